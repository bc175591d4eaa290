"""python bench/evalgen2 --out DIR --seed N [--debtors 120]"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evalgen2 import generate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description="write an evaluation caseload (FtM JSON lines) and its truth")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--debtors", type=int, default=120)
    args = ap.parse_args()
    truth = generate(Path(args.out), seed=args.seed, debtors=args.debtors)
    kinds = Counter((t["type"], t["kind"], t.get("form", "")) for t in truth)
    for (typ, kind, form), n in sorted(kinds.items()):
        print(f"{typ:10s} {kind:26s} {form:9s} {n}")


if __name__ == "__main__":
    main()
