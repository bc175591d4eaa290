"""Validate a generated caseload: ``python bench/evalgen/check.py DIR [--seed N]``.

Checks that every entity is valid for followthemoney (known schema and properties,
values FtM keeps unchanged), ids are unique, references resolve to the right schema,
identifiers are valid (GB 11643, GB 32100, E.164), conveyances follow interchange.md,
every truth act exists, scheme and look-alike acts are disjoint and hold only core
act entities, and the minimum counts of the brief are met. With ``--seed`` it also
regenerates the caseload and checks the files are byte-identical.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from followthemoney import model
from stdnum.cn import ric, uscc

SCHEME_KINDS = ("sham_divorce", "transfer_to_relative", "undervalue_sale", "gratuitous_transfer",
                "zero_price_equity", "diverted_income", "sham_litigation", "cash_out",
                "sealed_asset_disposal", "cheap_lease", "assisting_unit_payment", "consumption_breach",
                "layered_transfer", "structuring")
LOOKALIKE_KINDS = ("court_auction", "court_consented_sale", "kin_sale_price_to_court",
                   "divorce_share_paid_to_court", "divorce_nothing_moved", "relative_genuine_suit",
                   "round_trip_relative", "unrelated_loan_repaid", "market_sale_in_lookback",
                   "sale_after_seal_lifted", "lease_kin_market_rent", "lease_stranger_under_market",
                   "relative_own_job", "travel_allowed", "payroll")
ACT_SCHEMATA = {"Payment", "Ownership", "Family", "CourtCase", "Debt", "CourtCaseParty"}
CONVEYANCES = {"sale", "gift", "divorce", "inheritance", "auction", "set-off"}
CASE_NO = re.compile(r"^\(\d{4}\)川\d{4}(执|民初)\d+号$")
MINIMUM = 5


def check_entities(ents: dict[str, dict], errors: list[str]) -> None:
    """FtM validity, references, identifiers and the interchange.md conventions."""
    for eid, ent in ents.items():
        schema = model.get(ent["schema"])
        if schema is None:
            errors.append(f"{eid}: 未知 schema / unknown schema {ent['schema']}")
            continue
        props = ent["properties"]
        for name, values in props.items():
            prop = schema.get(name)
            if prop is None:
                errors.append(f"{eid}: {ent['schema']} 无属性 / has no property {name}")
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                errors.append(f"{eid}.{name}: 值须为非空字符串列表 / values must be non-empty strings")
                continue
            if prop.type.name == "entity":
                for ref in values:
                    target = ents.get(ref)
                    if target is None:
                        errors.append(f"{eid}.{name}: 引用不存在 / dangling reference {ref}")
                    elif not model.get(target["schema"]).is_a(prop.range):
                        errors.append(f"{eid}.{name}: {ref} 不是 / is not a {prop.range.name}")
        proxy = model.get_proxy(ent, cleaned=False)
        kept = proxy.to_dict()["properties"]
        for name, values in props.items():
            if sorted(kept.get(name, [])) != sorted(values):
                errors.append(f"{eid}.{name}: FtM 改写或丢弃了值 / FtM changed {values} to {kept.get(name)}")
        _check_conventions(eid, ent, errors)


def _check_conventions(eid: str, ent: dict, errors: list[str]) -> None:
    p, schema = ent["properties"], ent["schema"]
    for num in p.get("idNumber", []):
        if not ric.is_valid(num):
            errors.append(f"{eid}: 身份证号无效 / invalid resident ID {num}")
    if schema in ("Company", "LegalEntity", "PublicBody", "Organization"):
        for num in p.get("registrationNumber", []):
            if not uscc.is_valid(num):
                errors.append(f"{eid}: 统一社会信用代码无效 / invalid USCC {num}")
    for phone in p.get("phone", []):
        if not re.fullmatch(r"\+86\d{10,11}", phone):
            errors.append(f"{eid}: 电话非 E.164 / phone not E.164 {phone}")
    for num in p.get("caseNumber", []):
        if not CASE_NO.match(num):
            errors.append(f"{eid}: 案号格式 / case number format {num}")
    if schema == "Payment":
        for key in ("payer", "beneficiary", "amount", "date", "proof", "recordId"):
            if key not in p:
                errors.append(f"{eid}: 付款缺少 / payment lacks {key}")
        if "beneficiaryAccount" not in p and p.get("beneficiary") != p.get("payer"):
            errors.append(f"{eid}: 取现的收款人应为付款人本人 / cash withdrawal beneficiary must be the payer")
    if schema not in ("Person", "Company", "LegalEntity", "PublicBody", "BankAccount", "RealEstate", "Vehicle",
                      "CourtCase", "Table", "Document", "Workbook") and "recordId" not in p:
        errors.append(f"{eid}: 关联实体缺少 recordId / link entity lacks recordId")
    if schema not in ("Table", "Document", "Workbook") and "proof" not in p:
        errors.append(f"{eid}: 缺少 proof / no proof")


def check_conveyances(ents: dict[str, dict], errors: list[str]) -> None:
    """Each conveyance's buyer Ownership starts the day a seller Ownership of the asset ends."""
    ends: dict[str, set[str]] = {}
    for ent in ents.values():
        p = ent["properties"]
        if ent["schema"] == "Ownership" and "endDate" in p and p.get("legalBasis") != ["lease"]:
            ends.setdefault(p["asset"][0], set()).add(p["endDate"][0])
    for eid, ent in ents.items():
        p = ent["properties"]
        if ent["schema"] != "Ownership" or not set(p.get("legalBasis", [])) & CONVEYANCES:
            continue
        if p["startDate"][0] not in ends.get(p["asset"][0], set()):
            errors.append(f"{eid}: 无同日结束的出让方持有 / no seller Ownership ending on {p['startDate'][0]}")
        if p["legalBasis"] == ["gift"] and "sharesValue" in p:
            errors.append(f"{eid}: 赠与不应有价款 / a gift has no price")


def check_freezes(ents: dict[str, dict], errors: list[str]) -> None:
    """No payment leaves a frozen account while the freeze holds, except to the court."""
    frozen: dict[str, list[tuple[str, str]]] = {}
    for ent in ents.values():
        p = ent["properties"]
        if ent["schema"] == "Sanction" and p.get("program") == ["freeze"]:
            frozen.setdefault(p["entity"][0], []).append((p["startDate"][0], p.get("endDate", ["9999"])[0]))
    for eid, ent in ents.items():
        p = ent["properties"]
        if ent["schema"] != "Payment" or p.get("payerAccount", [""])[0] not in frozen:
            continue
        when = p["date"][0][:10]
        if ents[p["beneficiary"][0]]["schema"] == "PublicBody":
            continue
        for start, end in frozen[p["payerAccount"][0]]:
            if start <= when < end:
                errors.append(f"{eid}: 冻结期间从冻结账户付款 / paid from a frozen account on {when}")


def check_truth(ents: dict[str, dict], rows: list[dict], errors: list[str]) -> dict:
    """Truth rows: acts exist, are core act entities, disjoint between schemes and look-alikes."""
    debtors = {e["properties"]["party"][0] for e in ents.values()
               if e["schema"] == "CourtCaseParty" and e["properties"]["role"] == ["debtor"]}
    enforcement_cases = {r.get("case") for r in rows if r["type"] == "scheme"}
    owner: dict[str, str] = {}
    for n, r in enumerate(rows, start=1):
        if r["type"] not in ("scheme", "lookalike"):
            errors.append(f"truth {n}: 未知类型 / unknown type {r['type']}")
        if r["subject"] not in debtors:
            errors.append(f"truth {n}: subject {r['subject']} 不是被执行人 / is not a debtor")
        if r["type"] == "scheme":
            if r["form"] not in ("one_step", "two_step") or not r.get("variant"):
                errors.append(f"truth {n}: form/variant 无效 / invalid form or variant")
            if ents.get(r["case"], {}).get("schema") != "CourtCase":
                errors.append(f"truth {n}: case {r['case']} 不存在 / missing")
            for cp in r["counterparties"]:
                if cp not in ents:
                    errors.append(f"truth {n}: 对手方不存在 / counterparty {cp} missing")
        if not r["acts"] or len(set(r["acts"])) != len(r["acts"]):
            errors.append(f"truth {n}: acts 为空或重复 / acts empty or repeated")
        for act in r["acts"]:
            ent = ents.get(act)
            if ent is None:
                errors.append(f"truth {n}: act {act} 不存在 / does not exist")
                continue
            if ent["schema"] not in ACT_SCHEMATA or act in enforcement_cases:
                errors.append(f"truth {n}: act {act} 是背景实体 / is a context entity ({ent['schema']})")
            if act in owner and owner[act] != f"{r['type']}:{n}":
                errors.append(f"truth {n}: act {act} 已属于 / already belongs to {owner[act]}")
            owner[act] = f"{r['type']}:{n}"
    schemes = Counter((r["kind"], r["form"]) for r in rows if r["type"] == "scheme")
    looks = Counter(r["kind"] for r in rows if r["type"] == "lookalike")
    for kind in SCHEME_KINDS:
        for form in ("one_step", "two_step"):
            if schemes[(kind, form)] < MINIMUM:
                errors.append(f"数量不足 / too few {kind} {form}: {schemes[(kind, form)]}")
    for kind in LOOKALIKE_KINDS:
        if looks[kind] < MINIMUM:
            errors.append(f"数量不足 / too few look-alike {kind}: {looks[kind]}")
    unknown = {r["kind"] for r in rows} - set(SCHEME_KINDS) - set(LOOKALIKE_KINDS)
    if unknown:
        errors.append(f"未知种类 / unknown kinds {sorted(unknown)}")
    return {"scheme_rows": sum(schemes.values()), "lookalike_rows": sum(looks.values()),
            "debtors": len(debtors), "acts": len(owner)}


def _digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def check_dir(out_dir: str | Path, seed: int | None = None, debtors: int = 120) -> tuple[list[str], dict]:
    """Run every check on ``out_dir``; returns (errors, figures)."""
    out = Path(out_dir)
    errors: list[str] = []
    ents: dict[str, dict] = {}
    with open(out / "caseload.ftm.jsonl", encoding="utf-8") as fh:
        for line in fh:
            ent = json.loads(line)
            if ent["id"] in ents:
                errors.append(f"{ent['id']}: id 重复 / duplicate id")
            ents[ent["id"]] = ent
    rows = [json.loads(line) for line in open(out / "truth.jsonl", encoding="utf-8")]
    check_entities(ents, errors)
    check_conveyances(ents, errors)
    check_freezes(ents, errors)
    figures = check_truth(ents, rows, errors)
    figures["entities"] = len(ents)
    if seed is not None:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from evalgen import generate
        with tempfile.TemporaryDirectory() as tmp:
            generate(tmp, seed, debtors)
            for name in ("caseload.ftm.jsonl", "truth.jsonl"):
                if _digest(Path(tmp) / name) != _digest(out / name):
                    errors.append(f"{name}: 同一种子结果不一致 / not byte-identical for seed {seed}")
        figures["reproducible"] = not any("byte-identical" in e for e in errors)
    return errors, figures


def main(argv: list[str] | None = None) -> int:
    """Check a generated directory and print the figures and the first errors."""
    ap = argparse.ArgumentParser(description="校验评测数据集 / validate an evaluation caseload")
    ap.add_argument("dir", help="generate 的输出目录 / the output directory of generate")
    ap.add_argument("--seed", type=int, help="重新生成并比对字节 / regenerate and compare bytes")
    ap.add_argument("--debtors", type=int, default=120)
    args = ap.parse_args(argv)
    errors, figures = check_dir(args.dir, args.seed, args.debtors)
    print(json.dumps(figures, ensure_ascii=False))
    for e in errors[:50]:
        print(e)
    print(f"{len(errors)} 个问题 / problems" if errors else "通过 / OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
