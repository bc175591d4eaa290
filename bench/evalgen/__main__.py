"""Command line: ``python bench/evalgen --out DIR --seed N [--debtors N]``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from evalgen import generate
else:
    from . import generate


def main(argv: list[str] | None = None) -> int:
    """Generate one caseload and print its summary as JSON."""
    ap = argparse.ArgumentParser(prog="python bench/evalgen",
                                 description="生成评测用执行案件数据集 / generate an evaluation caseload")
    ap.add_argument("--out", required=True, help="输出目录 / output directory")
    ap.add_argument("--seed", type=int, required=True, help="随机种子 / random seed")
    ap.add_argument("--debtors", type=int, default=120, help="被执行人数量 / number of debtors (default 120)")
    args = ap.parse_args(argv)
    if args.debtors < 1:
        ap.error("--debtors 必须为正数 / --debtors must be positive")
    summary = generate(args.out, args.seed, args.debtors)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
