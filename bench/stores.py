"""The same work on both stores in one run: the embedded store and a live Neo4j 5.

Generates a caseload (``debtorgraph generate``: N background Payments plus the planted
schemes), then on each store: load it (``debtorgraph load``, the user's path), ``detect``
over all debtors, a 6-hop LIBR ``trace`` from a debtor with layered transfers, and ten
queries of the Cypher library (each run 3 times, the median kept). Prints the times side
by side with their ratio (Neo4j / embedded) and each store's size on disk.

Neo4j is NEO4J_URI when set (its database is emptied: give a throwaway one), else a
server of our own from ``tools/neo4j-local`` (heap and page cache from --heap, --pagecache).

    python bench/stores.py                      # 1M payments
    python bench/stores.py --payments 200000 --keep
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NEO4J_LOCAL = ROOT / "tools" / "neo4j-local" / "neo4j-local"

#: Ten library queries and how to fill their parameters from the caseload's truth.
QUERIES = ("DEBTORS", "CASE_PARTIES", "RELATED_PARTIES", "RELATIVES_TWO_LINKS", "TRANSFERS_OUT_AFTER",
           "CASH_WITHDRAWALS", "ACCOUNTS_TWO_HOPS", "DEBTOR_MILESTONES", "DEBTOR_SANCTIONS", "OWNERSHIP_HISTORY")


def _cli(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run the CLI; return the wall time and its stdout."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], env=env, capture_output=True,
                          text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"debtorgraph {' '.join(args[:3])} failed:\n{proc.stderr[-3000:]}")
    return took, proc.stdout


def _du(path: Path) -> int:
    """Bytes on disk of a store: a folder, or a file and its siblings (graph, graph.wal...)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return sum(_du(p) if p.is_dir() else p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _params(store: Any, truth: list[dict[str, Any]]) -> dict[str, Any]:
    subject = next(t for t in truth if t["rule"] == "layered_transfer")
    assets = [a for t in truth for a in t["acts"] if a.startswith("own-")]
    asset = store.run_read("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE r.id IN $ids RETURN a.id AS aid "
                           "ORDER BY aid LIMIT 1", {"ids": assets}).rows
    return {"debtor": subject["subject"], "case_id": subject["case"], "since": "2015-01-01",
            "asset": asset[0][0] if asset else "", "limit": 1000}


def _queries(store: Any, params: dict[str, Any]) -> dict[str, float]:
    import re

    from debtorgraph.queries import library

    out = {}
    for name in QUERIES:
        cypher = getattr(library, name)
        values = {k: params[k] for k in set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", cypher))}
        times = []
        for _ in range(3):
            start = time.perf_counter()
            store.run_read(cypher, values)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def _run_store(name: str, env: dict[str, str], data: Path, truth: list[dict[str, Any]],
               open_store: Any) -> dict[str, float]:
    times: dict[str, float] = {}
    if name == "neo4j":
        _cli(["init"], env)
    took, out = _cli(["load", str(data / "entities.ftm.jsonl"), "--json"], env)
    times["load"] = took
    print(f"  {name}: loaded {json.loads(out)['loaded']:,} entities in {took:.1f} s", flush=True)
    took, out = _cli(["detect", "--format", "jsonl", "--min-score", "0"], env)
    times["detect (all debtors)"] = took
    print(f"  {name}: detect {len(out.splitlines())} findings in {took:.1f} s", flush=True)
    source = next(t for t in truth if t["rule"] == "layered_transfer")["subject"]
    took, out = _cli(["trace", "--from", source, "--since", "2015-01-01", "--rule", "libr", "--max-hops", "6"], env)
    times["trace LIBR 6 hops"] = took
    print(f"  {name}: trace {len(json.loads(out)['endpoints'])} endpoints in {took:.1f} s", flush=True)
    store = open_store()
    try:
        queries = _queries(store, _params(store, truth))
    finally:
        store.close()
    times["10 library queries"] = sum(queries.values())
    for q, t in queries.items():
        times[f"  {q}"] = t
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--payments", type=int, default=1_000_000)
    ap.add_argument("--debtors", type=int, default=60)
    ap.add_argument("--heap", default="4g", help="Neo4j heap (tools/neo4j-local)")
    ap.add_argument("--pagecache", default="2g", help="Neo4j page cache (tools/neo4j-local)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()

    from debtorgraph.synthetic import generate

    work = Path(tempfile.mkdtemp(prefix="bench-stores-"))
    server_dir = work / "neo4j"
    started = False
    try:
        start = time.perf_counter()
        generate(work / "data", seed=3, debtors=args.debtors, payments=args.payments)
        print(f"generated {args.payments:,} payments + {args.debtors} debtors in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        truth = [json.loads(line) for line in (work / "data" / "truth.jsonl").read_text().splitlines() if line]
        base = dict(os.environ, DEBTORGRAPH_HOME=str(work / "home"), PYTHONIOENCODING="utf-8")
        settings = {k: os.environ.get(k, "") for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}
        settings["NEO4J_DATABASE"] = os.environ.get("NEO4J_DATABASE", "neo4j")
        if not settings["NEO4J_URI"]:
            proc = subprocess.run([str(NEO4J_LOCAL), "start", str(server_dir), "--heap", args.heap,
                                   "--pagecache", args.pagecache], capture_output=True, text=True, check=True,
                                  env=dict(os.environ, NEO4J_LOCAL_PARENT=str(os.getpid())))
            started = True
            for line in proc.stdout.splitlines():
                key, _, value = line.removeprefix("export ").partition("=")
                settings[key] = value
        import neo4j

        from debtorgraph.graph.store.embedded import EmbeddedStore
        from debtorgraph.graph.store.neo4j import Neo4jStore

        driver = neo4j.GraphDatabase.driver(settings["NEO4J_URI"],
                                            auth=(settings["NEO4J_USER"] or "neo4j", settings["NEO4J_PASSWORD"]))
        with driver.session(database=settings["NEO4J_DATABASE"]) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        embedded_env = {**base, "DEBTORGRAPH_DB": str(work / "graph")}
        embedded_env.pop("NEO4J_URI", None)
        neo4j_env = {**base, **settings}
        neo4j_env.pop("DEBTORGRAPH_DB", None)
        results = {
            "embedded": _run_store("embedded", embedded_env, work / "data", truth,
                                   lambda: EmbeddedStore(work / "graph", read_only=True)),
            "neo4j": _run_store("neo4j", neo4j_env, work / "data", truth,
                                lambda: Neo4jStore(driver, settings["NEO4J_DATABASE"], read_only=True)),
        }
        driver.close()
        print(f"\n{args.payments:,} payments, 2 cores; Neo4j {settings['NEO4J_URI']} "
              f"(heap {args.heap}, page cache {args.pagecache} when started here)")
        print(f"{'work':<28}{'embedded s':>12}{'Neo4j s':>12}{'Neo4j/embedded':>16}")
        for work_name, e in results["embedded"].items():
            n = results["neo4j"][work_name]
            print(f"{work_name:<28}{e:>12.3f}{n:>12.3f}{(n / e if e else float('inf')):>15.1f}x")
        if started:
            print(f"{'size on disk (MB)':<28}{_du(work / 'graph') / 1e6:>12.0f}{_du(server_dir / 'data') / 1e6:>12.0f}")
    finally:
        if started:
            subprocess.run([str(NEO4J_LOCAL), "stop", str(server_dir)], capture_output=True)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
