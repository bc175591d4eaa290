"""Benchmark: read_source over a 1M-row GBK bank statement vs pyarrow.csv.read_csv.

Usage::

    python bench/load_statements.py [--rows 1000000] [--out bench/out/statement_1m_gbk.csv]

Writes the statement once (a 中国银行-style layout: preamble, then 交易金额 + 借贷标志,
amounts with thousands separators, 5,000 counterparties) and reuses it on later runs.
Times, in the same run and after warming both up on a small slice, ``pyarrow.csv.read_csv``
of the table (GBK decoded by pyarrow, preamble skipped) and ``read_source`` consuming
every item (layout inference, holder, every row to FtM entities); prints rows/s, wall and
CPU times and their ratios (target: at most 8x the pyarrow read of the same file).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from debtorgraph.loaders.base import Row  # noqa: E402
from debtorgraph.loaders.sources import read_source  # noqa: E402

PREAMBLE = ["中国银行 交易流水明细", "客户名称：王某某,账号：6216610100001234567",
            "查询期间：2020-01-01 至 2023-12-31"]
TARGET = 8.0
HEADER = ("交易日期,交易时间,业务摘要,对方账户名称,对方账户账号,对方开户网点,币种,"
          "交易金额,借贷标志,交易后余额,交易渠道,附言,流水号")


def write_statement(path: Path, rows: int, seed: int = 7) -> None:
    """A GBK statement of ``rows`` rows (random but reproducible)."""
    rng = random.Random(seed)
    names = [f"成都某某{i}商贸有限公司" if i % 3 else f"张{i:04d}" for i in range(5000)]
    accounts = [f"62170000{i:011d}" for i in range(5000)]
    banks = ["中国建设银行成都分行", "中国工商银行成都春熙支行", "成都农村商业银行", "招商银行成都分行"]
    purposes = ["转账汇款", "网银转账", "货款", "工资", "还款", "借款"]
    balance = 10_000_000.0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="gbk", newline="") as out:
        out.write("\r\n".join(PREAMBLE + [HEADER]) + "\r\n")
        lines = []
        for i in range(rows):
            k = rng.randrange(5000)
            amount = round(rng.uniform(1, 50000), 2)
            debit = rng.random() < 0.5
            balance += -amount if debit else amount
            lines.append(
                f"2021-{1 + i % 12:02d}-{1 + i % 28:02d},{i % 24:02d}:{i % 60:02d}:{i % 59:02d},"
                f"{purposes[i % 6]},{names[k]},{accounts[k]},{banks[k % 4]},人民币,"
                f"\"{amount:,.2f}\",{'借' if debit else '贷'},{balance:.2f},网银,,"
                f"BOC{i:012d}")
            if len(lines) == 100_000:
                out.write("\r\n".join(lines) + "\r\n")
                lines = []
        if lines:
            out.write("\r\n".join(lines) + "\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/statement_1m_gbk.csv"))
    args = parser.parse_args()
    path = args.out
    if not path.exists() or path.stat().st_size < args.rows * 50:
        started = time.perf_counter()
        write_statement(path, args.rows)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - started:.1f} s")

    # warm both up on a small slice (thread pools, codecs, imports, mapping files)
    warm = path.with_name("warmup_" + path.name)
    warm.write_bytes(b"".join(path.open("rb").readlines(200_000)))
    pacsv.read_csv(warm, read_options=pacsv.ReadOptions(encoding="gbk", skip_rows=len(PREAMBLE)))
    for _ in read_source(warm):
        pass

    started, cpu = time.perf_counter(), time.process_time()
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(
        encoding="gbk", skip_rows=len(PREAMBLE)))
    arrow_s, arrow_cpu = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    rows = derived = rejects = 0
    notes: dict = {}
    for item in read_source(path, notes=notes):
        if isinstance(item, Row):
            if item.derived:
                derived += 1
            else:
                rows += 1
        else:
            rejects += 1
    ours_s, ours_cpu = time.perf_counter() - started, time.process_time() - cpu

    print(f"rows in file        : {table.num_rows:,}")
    print(f"read_source         : {ours_s:.2f} s wall, {ours_cpu:.2f} s CPU  ({rows + rejects:,} rows, "
          f"{rejects:,} rejects, {derived:,} derived entities; {(rows + rejects) / ours_s:,.0f} rows/s)")
    print(f"pyarrow.csv.read_csv: {arrow_s:.2f} s wall, {arrow_cpu:.2f} s CPU  "
          f"({table.num_rows / arrow_s:,.0f} rows/s)")
    ratio = ours_s / arrow_s
    print(f"layout              : {notes.get('layout')} (holder: {notes.get('holders', [{}])[0]})")
    print(f"ratio               : {ratio:.2f}x wall, {ours_cpu / arrow_cpu:.2f}x CPU "
          f"(target <= {TARGET:g}x: {'met' if ratio <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
