"""Load benchmark: N Payments (default 1M) plus their parties and accounts into a fresh store.

Prints rows/s, peak RSS, store size on disk, and the ratio of the load time to the time
orjson needs merely to parse the same file, both measured in this run.

    python bench/load.py                 # 1M payments
    python bench/load.py --payments 10000000 --keep
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from debtorgraph.graph.ingest import Ingest  # noqa: E402
from debtorgraph.graph.store.embedded import EmbeddedStore  # noqa: E402
from debtorgraph.graph.parallel import add_ftm_file  # noqa: E402


def make_file(path: Path, payments: int, parties: int = 20_000, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "wb") as fh:
        for i in range(parties):
            fh.write(orjson.dumps({"id": f"p-{i}", "schema": "Person", "properties": {"name": [f"人{i}"]}}) + b"\n")
            fh.write(orjson.dumps({"id": f"a-{i}", "schema": "BankAccount",
                                   "properties": {"accountNumber": [f"6222{i:012d}"], "bankName": ["中国工商银行"]}}) + b"\n")
            fh.write(orjson.dumps({"id": f"o-{i}", "schema": "Ownership",
                                   "properties": {"owner": [f"p-{i}"], "asset": [f"a-{i}"]}}) + b"\n")
        for i in range(payments):
            a, b = rng.randrange(parties), rng.randrange(parties)
            fh.write(orjson.dumps({"id": f"pay-{i}", "schema": "Payment", "properties": {
                "payer": [f"p-{a}"], "beneficiary": [f"p-{b}"], "payerAccount": [f"a-{a}"],
                "beneficiaryAccount": [f"a-{b}"], "amount": [str(rng.randrange(100, 100000))],
                "currency": ["CNY"], "date": ["2023-%02d-%02dT%02d:%02d:00" % (
                    rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24), rng.randrange(60))],
                "purpose": ["转账"], "transactionNumber": [f"TX{i:012d}"]}}) + b"\n")


class TreeRSS:
    """Peak resident size of this process plus its children (the parallel readers), sampled
    every 50 ms: ru_maxrss alone would miss the readers' memory."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _rss(pid: str) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _tree(self) -> int:
        pids, total = [str(os.getpid())], 0
        while pids:
            pid = pids.pop()
            total += self._rss(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    pids += task.read_text().split()
                except OSError:
                    pass
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._tree())

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def store_floor(path: Path, work: Path) -> tuple[float, float]:
    """What ladybug alone needs for this file: COPY its edges as bare relationships (from,
    to, id; no other column) and its entities as bare records (id, properties as text),
    from Parquet, into a fresh store. No loader can be faster on this store."""
    import ladybug as lb
    import pyarrow as pa
    import pyarrow.parquet as pq

    nodes: dict[str, None] = {}
    edges: dict[str, list[str]] = {"from": [], "to": [], "id": []}
    records: dict[str, list[str]] = {"id": [], "props": []}
    with open(path, "rb") as fh:
        for line in fh:
            ent = orjson.loads(line)
            props = ent["properties"]
            records["id"].append(ent["id"])
            records["props"].append(orjson.dumps(props).decode())
            if ent["schema"] == "Payment":
                edges["from"].append(props["payer"][0])
                edges["to"].append(props["beneficiary"][0])
                edges["id"].append(ent["id"])
            elif ent["schema"] != "Ownership":
                nodes[ent["id"]] = None
    floor = work / "floor"
    remove_store(floor)
    pq.write_table(pa.table({"id": list(nodes)}), work / "floor-nodes.parquet")
    pq.write_table(pa.table(edges).sort_by("from"), work / "floor-edges.parquet")
    pq.write_table(pa.table(records), work / "floor-records.parquet")
    db = lb.Database(str(floor))
    conn = lb.Connection(db)
    conn.execute("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE NODE TABLE R(id STRING, props STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE E(FROM N TO N, id STRING)")
    conn.execute(f"COPY N FROM '{work / 'floor-nodes.parquet'}'")
    t = time.perf_counter()
    conn.execute(f"COPY E FROM '{work / 'floor-edges.parquet'}'")
    rels = time.perf_counter() - t
    t = time.perf_counter()
    conn.execute(f"COPY R FROM '{work / 'floor-records.parquet'}'")
    recs = time.perf_counter() - t
    conn.close()
    db.close()
    remove_store(floor)
    return rels, recs


def parse_only(path: Path) -> float:
    t = time.perf_counter()
    with open(path, "rb") as fh:
        for line in fh:
            orjson.loads(line)
    return time.perf_counter() - t


def remove_store(path: Path) -> None:
    """A ladybug store is a file plus its write-ahead log (or a folder in older versions)."""
    for p in path.parent.glob(path.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--payments", type=int, default=1_000_000)
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "debtorgraph-bench"))
    ap.add_argument("--keep", action="store_true", help="keep the store afterwards")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"payments-{args.payments}.jsonl"
    if not data.exists():
        print(f"writing {data} …", flush=True)
        make_file(data, args.payments)
    rows = sum(1 for _ in open(data, "rb"))
    parse = parse_only(data)
    db = work / f"graph-{args.payments}"
    remove_store(db)
    store = EmbeddedStore(db)
    tree = TreeRSS()
    t = time.perf_counter()
    ingest = Ingest(store, work / "rejects.jsonl")
    add_ftm_file(ingest, data, data.name)  # as `debtorgraph load` reads FtM files
    report = ingest.commit()
    load = time.perf_counter() - t
    store.close()
    tree_peak = tree.stop() / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows                  {rows:,}")
    print(f"loaded/merged/reject  {report.loaded:,}/{report.merged:,}/{report.rejected:,} balanced={report.balanced}")
    print(f"orjson parse only     {parse:.2f} s")
    print(f"load                  {load:.2f} s  ({rows / load:,.0f} rows/s)")
    print(f"ratio load/parse      {load / parse:.2f}x (target <= 5x)")
    print(f"peak RSS              {peak:,.0f} MiB (this process); {tree_peak:,.0f} MiB with its "
          "reader processes, sampled every 50 ms (target < 2 GB at 1M, < 6 GB at 10M)")
    print(f"store on disk         {du(db) / 2**20:,.0f} MiB (input {data.stat().st_size / 2**20:,.0f} MiB)")
    if not args.keep:
        remove_store(db)
    if args.payments <= 2_000_000:
        rels, recs = store_floor(data, work)
        floor = parse + rels + recs
        print(f"store floor           {rels:.2f} s bare relationship COPY + {recs:.2f} s bare record COPY"
              f" + parse = {floor:.2f} s = {floor / parse:.2f}x parse (no check, no mapping)")


if __name__ == "__main__":
    main()
