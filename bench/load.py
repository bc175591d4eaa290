"""Load benchmark: N Payments (default 1M) plus their parties and accounts into a fresh store.

Prints, from one run on the same file: the time orjson needs merely to parse it, the
COPY floor (the same COPY calls of the same files into a fresh store, no reading, no
checks), the load, their ratios, the peak RSS, the reload of the unchanged file and the
store's size on disk. Each time is printed as wall time and as CPU time (the load's with
its reader processes'): on a shared machine the wall time follows the other users, the
CPU time much less. The machine's load average is printed with them.

    python bench/load.py                 # 1M payments
    python bench/load.py --payments 10000000 --keep
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from debtorgraph.graph.ingest import Ingest  # noqa: E402
from debtorgraph.graph.store.base import SpillFiles  # noqa: E402
from debtorgraph.graph.store.embedded import EmbeddedStore  # noqa: E402
from debtorgraph.graph.parallel import add_ftm_file  # noqa: E402
from debtorgraph.graph.schema import rel_type  # noqa: E402

from followthemoney import model  # noqa: E402

EDGE_TYPES = {rel_type(s.name) for s in model.schemata.values() if s.edge}


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


class RecordingStore(EmbeddedStore):
    """The product's store, keeping a hard link to every file (and a copy of every table)
    the load COPYs, so that the floor below copies exactly the same graph with the same
    statements."""

    def __init__(self, path: Path, keep: Path) -> None:
        super().__init__(path)
        self.keep = keep
        self.copies: list[tuple[str, Any]] = []

    def _copy(self, table: str, source: Any) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        n = len(self.copies)
        if isinstance(source, pa.Table):
            if source.num_rows:
                kept = str(self.keep / f"t{n}.parquet")
                pq.write_table(source, kept, compression="none")
                self.copies.append((table, [kept]))
        else:
            files = source.files if isinstance(source, SpillFiles) else source
            kept_files = []
            for k, p in enumerate(files):
                kept_files.append(str(self.keep / f"f{n}-{k}.parquet"))
                os.link(p, kept_files[-1])
            if kept_files:
                self.copies.append((table, dataclasses.replace(source, files=kept_files)
                                    if isinstance(source, SpillFiles) else kept_files))
        if STEPS is not None:
            STEPS.begin()
        super()._copy(table, source)
        if STEPS is not None:
            STEPS.end(f"COPY {table}")


class Clock:
    """Wall time and CPU time (this process and its finished children) since creation."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, self._cpu() - self.cpu


class Steps:
    """Wall time, CPU time and peak RSS (of the process tree) of each step of the load."""

    def __init__(self, tree: TreeRSS) -> None:
        self.tree = tree
        self.rows: dict[str, list[float]] = {}
        self._clock: Clock | None = None

    def begin(self) -> None:
        self._clock = Clock()
        self.tree.peak = 0

    def end(self, name: str) -> None:
        assert self._clock is not None
        wall, cpu = self._clock.read()
        row = self.rows.setdefault(name, [0.0, 0.0, 0.0])
        row[0] += wall
        row[1] += cpu
        row[2] = max(row[2], self.tree.peak / 2**20)


STEPS: Steps | None = None


class TimedIngest(Ingest):
    """The product's Ingest, its plan timed as a step."""

    def _plan(self):  # type: ignore[no-untyped-def]
        if STEPS is not None:
            STEPS.begin()
        batch = super()._plan()
        if STEPS is not None:
            STEPS.end("plan")
        return batch


def store_floor(store: RecordingStore, work: Path) -> tuple[float, float]:
    """What ladybug alone needs for the graph this load wrote: the same COPY statements of
    the same files into a fresh store with the same tables, run as the load runs them
    (``EmbeddedStore.execute_copy`` inside ``_swap``). No loader can be faster."""
    from debtorgraph.graph.schema import REF_COLUMNS, REL_COLUMNS

    floor = work / "floor"
    remove_store(floor)
    bare = EmbeddedStore(floor)
    bare.conn  # noqa: B018 - creates the store
    rels = {t for t, _ in store.copies if t not in ("Entity", "Record")}

    def copy_all() -> None:
        existing = bare.rel_tables()
        for name in rels:
            bare._ensure_rel(name, REL_COLUMNS if name in EDGE_TYPES else REF_COLUMNS, existing)
        for table, source in store.copies:
            bare.execute_copy(table, source)

    clock = Clock()
    bare._swap(copy_all)  # as a load writes: into a copy, checkpointed, renamed into place
    total = clock.read()
    bare.close()
    remove_store(floor)
    return total


def parse_only(path: Path) -> tuple[float, float]:
    clock = Clock()
    with open(path, "rb") as fh:
        for line in fh:
            orjson.loads(line)
    return clock.read()


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
    parse, parse_cpu = parse_only(data)
    db = work / f"graph-{args.payments}"
    remove_store(db)
    keep = work / "copied"
    shutil.rmtree(keep, ignore_errors=True)
    keep.mkdir()
    store = RecordingStore(db, keep)
    global STEPS
    tree = TreeRSS()
    STEPS = steps = Steps(tree)
    clock = Clock()
    ingest = TimedIngest(store, work / "rejects.jsonl")
    steps.begin()
    add_ftm_file(ingest, data, data.name)  # as `debtorgraph load` reads FtM files
    steps.end("read")
    report = ingest.commit()
    load, load_cpu = clock.read()
    STEPS = None
    tree_peak = max(tree.stop(), *(int(r[2]) << 20 for r in steps.rows.values())) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    again = Ingest(store, work / "rejects-again.jsonl")
    add_ftm_file(again, data, data.name)
    again_report = again.commit()
    reload = time.perf_counter() - t
    store.close()
    size = du(db)
    if not args.keep:
        remove_store(db)
    copy, copy_cpu = store_floor(store, work)
    shutil.rmtree(keep, ignore_errors=True)
    floor, floor_cpu = parse + copy, parse_cpu + copy_cpu
    print(f"load average          {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"(1, 5, 15 min; {os.cpu_count()} cores)")
    print(f"rows                  {rows:,}")
    print(f"loaded/merged/reject  {report.loaded:,}/{report.merged:,}/{report.rejected:,} balanced={report.balanced}")
    print("                      wall      CPU")
    print(f"orjson parse only     {parse:6.2f} s  {parse_cpu:6.2f} s")
    print(f"COPY floor            {copy:6.2f} s  {copy_cpu:6.2f} s  the same COPY statements of the same files "
          f"into a fresh store (+ parse: {floor:.2f} s, {floor_cpu:.2f} s CPU)")
    print(f"load                  {load:6.2f} s  {load_cpu:6.2f} s  ({rows / load:,.0f} rows/s)")
    print(f"ratio load/parse      {load / parse:6.2f}x  {load_cpu / parse_cpu:6.2f}x  (target <= 6x)")
    print(f"ratio load/floor      {load / floor:6.2f}x  {load_cpu / floor_cpu:6.2f}x  (target <= 1.3x)")
    for name, (wall, cpu, top) in steps.rows.items():
        print(f"  {name:20s}{wall:6.2f} s  {cpu:6.2f} s  peak {top:,.0f} MiB")
    print(f"  {'the rest':20s}{load - sum(r[0] for r in steps.rows.values()):6.2f} s  "
          f"{load_cpu - sum(r[1] for r in steps.rows.values()):6.2f} s  (opening, checkpoint, hashing...)")
    print(f"peak RSS              {peak:,.0f} MiB (this process); {tree_peak:,.0f} MiB with its "
          "reader processes, sampled every 50 ms (target < 1 GB at 1M, < 3 GB at 10M)")
    print(f"reload, unchanged     {reload:.2f} s (merged {again_report.merged:,}, balanced={again_report.balanced})")
    print(f"store on disk         {size / 2**20:,.0f} MiB (input {data.stat().st_size / 2**20:,.0f} MiB)")

if __name__ == "__main__":
    main()
