"""Checks on a generated caseload: python bench/evalgen2/check.py [--seed N] [--debtors N]

- every line parses with ``followthemoney`` ``model.get_proxy`` and no property is dropped;
- every reference names an entity in the file; identifiers pass stdnum.cn.ric / stdnum.cn.uscc;
- every act of the truth exists, is a core entity (never a milestone, account or party),
  and no act is shared between a scheme and a look-alike;
- the same seed gives the same bytes.
Exits 1 and lists the problems when any check fails.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from followthemoney import model  # noqa: E402
from stdnum.cn import ric, uscc  # noqa: E402

from evalgen2 import generate  # noqa: E402

ACT_SCHEMATA = {"Payment", "Ownership", "Family", "CourtCase", "Debt", "CourtCaseParty"}


def check_dir(data: Path) -> list[str]:
    """Return the problems found in one generated folder (empty when all is well)."""
    problems: list[str] = []
    entities = {}
    for n, line in enumerate((data / "caseload.ftm.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        raw = json.loads(line)
        proxy = model.get_proxy(raw)
        kept = proxy.to_dict()["properties"]
        for prop, values in raw["properties"].items():
            if sorted(kept.get(prop, [])) != sorted(values):
                problems.append(f"line {n}: {raw['schema']}.{prop} {values} became {kept.get(prop)}")
        entities[raw["id"]] = proxy
    for proxy in entities.values():
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity" and value not in entities:
                problems.append(f"{proxy.id}: {proxy.schema.name}.{prop.name} -> missing {value}")
        if proxy.schema.name == "Person":
            for v in proxy.get("idNumber"):
                if not ric.is_valid(v):
                    problems.append(f"{proxy.id}: bad resident ID {v}")
        if proxy.schema.name == "Company":
            for v in proxy.get("registrationNumber"):
                if not uscc.is_valid(v):
                    problems.append(f"{proxy.id}: bad USCC {v}")
    truth = [json.loads(x) for x in (data / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    acts: dict[str, set[str]] = {"scheme": set(), "lookalike": set()}
    for t in truth:
        if not t["acts"]:
            problems.append(f"truth row without acts: {t['kind']} {t['subject']}")
        if t["subject"] not in entities:
            problems.append(f"truth subject missing: {t['subject']}")
        for a in t["acts"]:
            if a not in entities:
                problems.append(f"act missing: {t['kind']} {a}")
            elif entities[a].schema.name not in ACT_SCHEMATA:
                problems.append(f"act is a {entities[a].schema.name}: {t['kind']} {a}")
            acts[t["type"]].add(a)
    for a in acts["scheme"] & acts["lookalike"]:
        problems.append(f"act both scheme and look-alike: {a}")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--debtors", type=int, default=120)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        generate(a, args.seed, args.debtors)
        generate(b, args.seed, args.debtors)
        problems = check_dir(a)
        for name in ("caseload.ftm.jsonl", "truth.jsonl"):
            if (a / name).read_bytes() != (b / name).read_bytes():
                problems.append(f"seed {args.seed}: {name} differs between two runs")
        lines = len((a / "caseload.ftm.jsonl").read_text(encoding="utf-8").splitlines())
        rows = len((a / "truth.jsonl").read_text(encoding="utf-8").splitlines())
    for p in problems[:50]:
        print(p)
    print(f"seed {args.seed}: {lines} entities, {rows} truth rows, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
