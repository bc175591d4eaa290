"""Client-side cost of a Neo4j load: ingest + building every UNWIND batch, no server.

Generates a caseload, loads it through Neo4jStore on a driver stand-in that only counts
what it is sent (no network, no server work), and prints rows per second. This is the
ceiling the Python side puts on a Neo4j load; the server's own time comes on top.

    python bench/neo4j_write_plan.py --payments 200000 [--atomic-rows 50000]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any


class _Record(list):  # type: ignore[type-arg]
    def values(self) -> list[Any]:
        return list(self)


class _Result:
    def __init__(self, n: int | None, rows: list[list[Any]] | None = None) -> None:
        self.n = n
        self.rows = rows or []

    def consume(self) -> None:
        return None

    def single(self, strict: bool = False) -> dict[str, int]:
        return {"n": self.n or 0}

    def keys(self) -> list[str]:
        return ["n"] if self.rows else []

    def __iter__(self) -> Any:
        return iter(_Record(r) for r in self.rows)


class _Tx:
    def __init__(self, stats: dict[str, int]) -> None:
        self.stats = stats

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> _Result:
        rows = (parameters or {}).get("rows")
        self.stats["statements"] += 1
        self.stats["rows"] += len(rows) if rows else 0
        if rows is None and query.endswith("RETURN count(r) AS n"):
            return _Result(None, [[0]])  # count_records on an empty store
        return _Result(len(rows) if rows else None)

    def commit(self) -> None:
        return None

    def __enter__(self) -> "_Tx":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _Session(_Tx):
    def execute_read(self, fn: Any) -> Any:
        return fn(self)

    def execute_write(self, fn: Any) -> Any:
        return fn(self)

    def begin_transaction(self) -> _Tx:
        return _Tx(self.stats)


class _Driver:
    def __init__(self) -> None:
        self.stats = {"statements": 0, "rows": 0}

    def session(self, **config: Any) -> _Session:
        return _Session(self.stats)

    def execute_query(self, query: str, **kw: Any) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=200_000)
    parser.add_argument("--debtors", type=int, default=40)
    parser.add_argument("--atomic-rows", type=int, default=50_000)
    args = parser.parse_args()

    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.graph.store.neo4j import Neo4jStore
    from debtorgraph.loaders import read_any
    from debtorgraph.synthetic import generate

    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp, seed=1, debtors=args.debtors, payments=args.payments)
        path = Path(tmp) / "entities.ftm.jsonl"
        driver = _Driver()
        store = Neo4jStore(driver, "neo4j", atomic_rows=args.atomic_rows)
        t0 = time.perf_counter()
        ingest = Ingest(store, spill_dir=tmp)
        items, _ = read_any(str(path), None)
        ingest.add(items, path.name)
        t1 = time.perf_counter()
        report = ingest.commit()
        t2 = time.perf_counter()
    rows = driver.stats["rows"]
    print(f"entities loaded: {report.loaded}  rows sent: {rows}  statements: {driver.stats['statements']}")
    print(f"read+check: {t1 - t0:.2f} s   plan+send to stand-in: {t2 - t1:.2f} s   "
          f"({rows / max(t2 - t1, 1e-9):,.0f} rows/s client side)")


if __name__ == "__main__":
    main()
