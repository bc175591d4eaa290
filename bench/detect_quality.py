"""Detection quality on synthetic caseloads the rules were not developed on.

For each seed: ``debtorgraph generate`` writes a county caseload with planted schemes and
honest look-alikes (truth.jsonl), ``debtorgraph load`` loads it into a fresh embedded
store, and detection runs on the store. Then, at the default threshold (0.5):

- recall: planted schemes found (a finding of the same rule and debtor sharing an act);
- precision: findings that match a planted scheme;
- look-alikes flagged: honest rows sharing an act with any finding of that debtor.

The rules were developed on seeds 1, 2, 3 and 7; the default seeds here are others.

    python bench/detect_quality.py                      # seeds 101 202 303, 120 debtors each
    python bench/detect_quality.py --seeds 11 12 --debtors 60
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from debtorgraph.analysis.detect import DEFAULT_THRESHOLD, detect  # noqa: E402
from debtorgraph.graph.store.embedded import EmbeddedStore  # noqa: E402

TARGET_RECALL, TARGET_PRECISION = 0.95, 0.90


def _cli(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"debtorgraph {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stdout


def _matches(f: Any, t: dict[str, Any]) -> bool:
    return f.rule == t["rule"] and f.subject == t["subject"] and bool(set(f.acts) & set(t["acts"]))


def run_seed(seed: int, debtors: int, work: Path) -> dict[str, Any]:
    data, db = work / f"seed-{seed}", work / f"seed-{seed}.db"
    _cli("generate", "--out", str(data), "--seed", str(seed), "--debtors", str(debtors))
    _cli("--db", str(db), "load", str(data / "entities.ftm.jsonl"), "--json")
    truth = [json.loads(line) for line in (data / "truth.jsonl").read_text().splitlines() if line.strip()]
    store = EmbeddedStore(db, read_only=True)
    t0 = time.perf_counter()
    try:
        findings = detect(store)
    finally:
        store.close()
    seconds = time.perf_counter() - t0
    shown = [f for f in findings if f.score >= DEFAULT_THRESHOLD]
    planted = [t for t in truth if not t["honest"]]
    honest = [t for t in truth if t["honest"]]
    missed = [t for t in planted if not any(_matches(f, t) for f in shown)]
    wrong = [f for f in shown if not any(_matches(f, t) for t in planted)]
    flagged = [t for t in honest
               if any(f.subject == t["subject"] and set(f.acts) & set(t["acts"]) for f in shown)]
    return {"seed": seed, "planted": planted, "honest": honest, "missed": missed, "wrong": wrong,
            "flagged": flagged, "shown": shown, "seconds": seconds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[101, 202, 303])
    ap.add_argument("--debtors", type=int, default=120)
    ap.add_argument("--work", default=None, help="folder for the data and stores (default: a temp folder)")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="debtorgraph-quality-"))
    work.mkdir(parents=True, exist_ok=True)
    runs = [run_seed(s, args.debtors, work) for s in args.seeds]
    per_rule: dict[str, Counter[str]] = {}
    for r in runs:
        for t in r["planted"]:
            c = per_rule.setdefault(t["rule"], Counter())
            c["planted"] += 1
            c["found"] += t not in r["missed"]
        for t in r["honest"]:
            c = per_rule.setdefault(t["rule"], Counter())
            c["honest"] += 1
            c["flagged"] += t in r["flagged"]
        for f in r["wrong"]:
            per_rule.setdefault(f.rule, Counter())["wrong"] += 1
    print(f"threshold {DEFAULT_THRESHOLD}; seeds {args.seeds}; {args.debtors} debtors each; work {work}")
    print(f"{'rule':26s} {'found/planted':>14s} {'look-alikes flagged':>20s} {'false findings':>15s}")
    for rule in sorted(per_rule):
        c = per_rule[rule]
        print(f"{rule:26s} {c['found']:>6d}/{c['planted']:<7d} {c['flagged']:>11d}/{c['honest']:<8d} {c['wrong']:>15d}")
    planted = sum(len(r["planted"]) for r in runs)
    found = planted - sum(len(r["missed"]) for r in runs)
    shown = sum(len(r["shown"]) for r in runs)
    right = shown - sum(len(r["wrong"]) for r in runs)
    honest = sum(len(r["honest"]) for r in runs)
    flagged = sum(len(r["flagged"]) for r in runs)
    recall, precision = found / max(1, planted), right / max(1, shown)
    for r in runs:
        print(f"seed {r['seed']}: detect {r['seconds']:.1f} s, {len(r['shown'])} findings shown")
        for t in r["missed"]:
            print(f"  missed   {t['rule']} {t['subject']} {t['acts'][:4]}")
        for f in r["wrong"]:
            print(f"  false    {f.rule} {f.score} {f.subject} {f.acts[:4]} {f.explanation[:80]}")
        for t in r["flagged"]:
            print(f"  honest flagged {t['rule']} {t['subject']} {t['acts'][:4]}")
    print(f"recall    {recall:.3f} ({found}/{planted})   target >= {TARGET_RECALL}")
    print(f"precision {precision:.3f} ({right}/{shown})   target >= {TARGET_PRECISION}")
    print(f"honest look-alikes flagged: {flagged}/{honest}")
    ok = recall >= TARGET_RECALL and precision >= TARGET_PRECISION and flagged == 0
    print("PASS" if ok else "BELOW TARGET")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
