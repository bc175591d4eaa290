"""Benchmark: the evidence packet of a debtor with 10,000 payments (target: under 10 s).

Loads the ``sister_flat`` sample (debtorgraph.analysis.evidence.sample) with N background
card payments by the debtor into a temporary embedded store, then times building the
chain and rendering it as JSON and PDF, and prints the figures.

    python bench/evidence.py [--payments 10000]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import orjson

from debtorgraph.analysis.evidence import build_chain, render
from debtorgraph.analysis.evidence.sample import sample_entities, sample_findings
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.ftm import read_ftm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-evidence-") as tmp:
        folder = Path(tmp)
        data = folder / "bench.ftm.jsonl"
        data.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in sample_entities(args.payments)))
        t0 = time.perf_counter()
        store = EmbeddedStore(folder / "graph")
        ingest = Ingest(store)
        ingest.add(read_ftm(data), data.name)
        ingest.commit()
        t_load = time.perf_counter() - t0
        n = store.run_read("MATCH (p:Entity {id: 'p-wang'})-[r:PAYMENT]-() RETURN count(r) AS n").rows[0][0]
        t0 = time.perf_counter()
        chain = build_chain(store, "p-wang", "case-1", findings=sample_findings(), source_dirs=[folder])
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        detected = build_chain(store, "p-wang", "case-1", source_dirs=[folder])  # with the real detector
        t_detect = time.perf_counter() - t0
        times = {}
        for fmt in ("json", "pdf", "html", "docx"):
            t0 = time.perf_counter()
            out = render(chain, folder / f"packet.{fmt}", fmt)
            times[fmt] = (time.perf_counter() - t0, out.stat().st_size)
        store.close()
    facts = sum(len(c["facts"]) for c in chain["categories"].values())
    print(f"debtor payments in store : {n}")
    print(f"load (not counted)       : {t_load:6.2f} s")
    print(f"build_chain              : {t_build:6.2f} s  ({facts} facts, fixture findings)")
    print(f"build_chain + detection  : {t_detect:6.2f} s  ({len(detected['findings'])} findings)")
    for fmt, (secs, size) in times.items():
        print(f"render {fmt:4s}              : {secs:6.2f} s  ({size / 1024:,.0f} KiB)")
    total = t_detect + times["pdf"][0]
    print(f"packet (detect+build+PDF): {total:6.2f} s  -> {'OK' if total < 10 else 'OVER'} (target < 10 s)")


if __name__ == "__main__":
    main()
