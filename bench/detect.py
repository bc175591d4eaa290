"""Detection and tracing speed on a store with 1M Payments.

``debtorgraph generate`` writes a county caseload (default 100 debtors, 1,000,000
background Payments plus the planted ones), which is loaded into a fresh embedded store
(the load is timed separately; bench/load.py is its own benchmark). Then:

- detection over the whole store (every debtor, every rule), target < 60 s on 2 cores;
- a 6-hop LIBR trace from debtors with planted schemes, from the first act, target < 1 s
  each (and the same with a 90-day window).

    python bench/detect.py                       # generate, load, measure
    python bench/detect.py --work /tmp/dg-bench  # reuse the data and store if present
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from debtorgraph.analysis.detect import DEFAULT_THRESHOLD, detect  # noqa: E402
from debtorgraph.analysis.tracing.store import trace_store  # noqa: E402
from debtorgraph.graph.store.embedded import EmbeddedStore  # noqa: E402


def _cli(*args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"debtorgraph {' '.join(args)} failed:\n{proc.stderr}")


def _first_payment_date(store: EmbeddedStore, acts: list[str]) -> str | None:
    for act in acts:
        rows = store.run_read("MATCH (r:Record {id: $id}) RETURN r.schema AS schema, r.props AS props",
                              {"id": act}).records()
        if rows and rows[0]["schema"] == "Payment":
            return json.loads(rows[0]["props"])["date"][0][:10]
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--payments", type=int, default=1_000_000)
    ap.add_argument("--debtors", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--traces", type=int, default=10, help="number of debtors to trace from")
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "debtorgraph-detect-bench"))
    args = ap.parse_args()
    work = Path(args.work)
    data, db = work / f"data-{args.seed}-{args.payments}", work / f"graph-{args.seed}-{args.payments}"
    if not (data / "entities.ftm.jsonl").exists():
        t = time.perf_counter()
        _cli("generate", "--out", str(data), "--seed", str(args.seed), "--debtors", str(args.debtors),
             "--payments", str(args.payments))
        print(f"generate              {time.perf_counter() - t:.1f} s")
    if not db.exists():
        t = time.perf_counter()
        _cli("--db", str(db), "load", str(data / "entities.ftm.jsonl"), "--json")
        print(f"load                  {time.perf_counter() - t:.1f} s")
    store = EmbeddedStore(db, read_only=True)
    try:
        n = store.run_read("MATCH ()-[p:PAYMENT]->() RETURN count(p) AS n").records()[0]["n"]
        t = time.perf_counter()
        findings = detect(store)
        seconds = time.perf_counter() - t
        debtors = len({f.subject for f in findings})
        shown = sum(f.score >= DEFAULT_THRESHOLD for f in findings)
        print(f"payments in store     {n:,}")
        print(f"detect (all debtors)  {seconds:.1f} s  ({args.debtors} debtors, {seconds / args.debtors * 1000:.0f} ms each; "
              f"{len(findings)} findings, {shown} at >= {DEFAULT_THRESHOLD}, {debtors} debtors with findings)"
              f"   target < 60 s")
        truth = [json.loads(line) for line in (data / "truth.jsonl").read_text().splitlines() if line.strip()]
        sources = []
        for t_row in truth:
            if not t_row["honest"]:
                day = _first_payment_date(store, t_row["acts"])
                if day:
                    sources.append((t_row["rule"], t_row["subject"], day))
        sources = sources[:args.traces]
        for window in (None, 90):
            times, reads = [], []
            for rule, subject, day in sources:
                until = (date.fromisoformat(day) + timedelta(days=window)).isoformat() if window else None
                t = time.perf_counter()
                out = trace_store(store, subject, day, until, rule="libr", max_hops=6)
                times.append(time.perf_counter() - t)
                reads.append(out["payments_read"])
                if window is None:
                    print(f"  trace {subject:10s} from {day} ({rule:24s}) {times[-1] * 1000:6.0f} ms, "
                          f"{len(out['endpoints'])} endpoints, {out['payments_read']:,} payments read")
            label = "to the end of the data" if window is None else f"{window}-day window"
            print(f"LIBR 6-hop trace, {label}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"max {max(times) * 1000:.0f} ms over {len(times)} sources "
                  f"(median {statistics.median(reads):,.0f} payments read)   target < 1000 ms")
    finally:
        store.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} during the run")


if __name__ == "__main__":
    main()
