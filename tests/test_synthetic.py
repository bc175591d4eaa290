"""Tests of the synthetic caseload generator (``debtorgraph.synthetic``)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from followthemoney import model
from stdnum.cn import ric, uscc

from debtorgraph.errors import InvalidInput
from debtorgraph.synthetic import RULES, generate

CASH_WORDS = ("cash", "取现", "取款", "支取", "现金")
PARTIES = ("Person", "Company", "Organization", "PublicBody", "LegalEntity")


class Caseload:
    """A generated caseload read back: entities by id, indexes, truth rows."""

    def __init__(self, out: Path, summary: dict) -> None:
        self.summary = summary
        self.raw = (out / "entities.ftm.jsonl").read_bytes()
        self.truth_raw = (out / "truth.jsonl").read_bytes()
        self.entities = [json.loads(line) for line in self.raw.splitlines()]
        self.by_id = {e["id"]: e for e in self.entities}
        self.truth = [json.loads(line) for line in self.truth_raw.splitlines()]
        self.by_schema: dict[str, list[dict]] = defaultdict(list)
        for e in self.entities:
            self.by_schema[e["schema"]].append(e)
        self.related: dict[str, set[str]] = defaultdict(set)
        for e in self.by_schema["Family"]:
            a, b = one(e, "person"), one(e, "relative")
            self.related[a].add(b)
            self.related[b].add(a)
        for e in self.by_schema["Associate"]:
            a, b = one(e, "person"), one(e, "associate")
            self.related[a].add(b)
            self.related[b].add(a)
        self.holder: dict[str, str] = {}
        self.owned: dict[str, list[dict]] = defaultdict(list)
        for e in self.by_schema["Ownership"]:
            asset = self.by_id[one(e, "asset")]
            if asset["schema"] == "BankAccount":
                self.holder[asset["id"]] = one(e, "owner")
            self.owned[one(e, "owner")].append(e)
        self.events: dict[tuple[str, str], list[str]] = defaultdict(list)
        for e in self.by_schema["Event"]:
            self.events[(one(e, "summary"), one(e, "name"))].append(one(e, "date"))
        self.case_of = {t["subject"]: self.by_id[t["case"]] for t in self.truth}

    def milestone(self, subject: str, name: str) -> str:
        number = one(self.case_of[subject], "caseNumber")
        return min(self.events[(number, name)])

    def kin(self, party: str) -> set[str]:
        """Relatives and associates of a party, or of a company's controllers."""
        out = set(self.related[party])
        if self.by_id[party]["schema"] == "Company":
            for e in self.by_schema["Ownership"] + self.by_schema["Directorship"]:
                org = one(e, "asset") or one(e, "organization")
                if org == party:
                    boss = one(e, "owner") or one(e, "director")
                    out |= {boss} | self.related[boss]
        return out


def one(entity: dict, prop: str) -> str:
    vals = entity["properties"].get(prop, [])
    return vals[0] if vals else ""


def num(entity: dict, prop: str) -> float:
    return float(one(entity, prop))


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Caseload:
    out = tmp_path_factory.mktemp("caseload")
    seen: list[int] = []
    summary = generate(out, seed=7, debtors=60, payments=6000, progress=seen.append)
    assert seen and seen[-1] == summary["entities"]
    return Caseload(out, summary)


def test_every_entity_is_valid_ftm(caseload: Caseload) -> None:
    problems = []
    for e in caseload.entities:
        schema = model.get(e["schema"])
        assert schema is not None, e["schema"]
        assert set(e) == {"id", "schema", "properties"}
        for name, values in e["properties"].items():
            prop = schema.properties.get(name)
            if prop is None or prop.stub:
                problems.append((e["id"], name, "not a property"))
                continue
            assert isinstance(values, list) and values, (e["id"], name)
            for v in values:
                if not isinstance(v, str) or not prop.type.validate(v):
                    problems.append((e["id"], name, v))
                if prop.type.name == "entity" and v not in caseload.by_id:
                    problems.append((e["id"], name, f"dangling {v}"))
                elif prop.type.name == "entity" and prop.range is not None:
                    if not model.get(caseload.by_id[v]["schema"]).is_a(prop.range):
                        problems.append((e["id"], name, f"{v} is not a {prop.range.name}"))
    assert not problems, problems[:20]


def test_ids_are_unique_and_readable(caseload: Caseload) -> None:
    assert len(caseload.by_id) == len(caseload.entities)
    prefixes = {e["id"].split("-")[0] for e in caseload.entities}
    assert {"p", "co", "acct", "pay", "own", "case", "ev", "sanc", "doc"} <= prefixes


def test_identifiers_have_valid_check_digits(caseload: Caseload) -> None:
    for e in caseload.by_schema["Person"]:
        number = one(e, "idNumber")
        assert ric.is_valid(number), number
        assert ric.get_birth_date(number).isoformat() == one(e, "birthDate")
        assert (int(number[16]) % 2 == 1) == (one(e, "gender") == "male")
        for phone in e["properties"].get("phone", []):
            assert phone.startswith("+86") and len(phone) == 14
    for e in caseload.by_schema["Company"] + caseload.by_schema["PublicBody"]:
        assert uscc.is_valid(one(e, "registrationNumber")), e


def test_case_conventions(caseload: Caseload) -> None:
    court = caseload.by_schema["PublicBody"][0]
    assert any(one(o, "owner") == court["id"] and
               caseload.by_id[one(o, "asset")]["schema"] == "BankAccount"
               for o in caseload.by_schema["Ownership"])
    for case in caseload.by_schema["CourtCase"]:
        assert one(case, "court") == one(court, "name")
        assert one(case, "caseNumber").startswith("(20")
    roles = {one(p, "role") for p in caseload.by_schema["CourtCaseParty"]}
    assert roles == {"debtor", "applicant", "assisting_unit"}
    names = {one(e, "name") for e in caseload.by_schema["Event"]}
    assert {"lawsuit_served", "judgment_effective", "enforcement_filed", "execution_notice",
            "property_report_order", "termination", "assistance_notice"} == names
    programs = {one(s, "program") for s in caseload.by_schema["Sanction"]}
    assert programs == {"freeze", "seizure", "dishonest_listing", "consumption_restriction"}
    assert all(one(s, "authority") == court["id"] for s in caseload.by_schema["Sanction"])
    assert any(one(d, "description") == "balance" for d in caseload.by_schema["Debt"])
    for p in caseload.by_schema["Payment"]:
        assert "T" in one(p, "date") and one(p, "currency") == "CNY"
        assert one(p, "recordId").startswith("明细!") and one(p, "proof").startswith("doc-")
        if one(p, "payer") == one(p, "beneficiary") and not one(p, "beneficiaryAccount"):
            assert any(w in one(p, "purpose") for w in CASH_WORDS)
    for link in ("Ownership", "Family", "Event", "Sanction", "Debt"):
        assert all(one(e, "recordId") and one(e, "proof") for e in caseload.by_schema[link])
    docs = caseload.by_schema["Table"] + caseload.by_schema["Document"]
    assert all(len(one(d, "contentHash")) == 40 and one(d, "publisher") for d in docs)


def test_truth_rows_reference_the_file(caseload: Caseload) -> None:
    assert caseload.truth
    for t in caseload.truth:
        assert set(t) == {"rule", "subject", "case", "acts", "counterparties", "honest"}
        assert t["rule"] in RULES
        assert caseload.by_id[t["subject"]]["schema"] in PARTIES
        assert caseload.by_id[t["case"]]["schema"] == "CourtCase"
        assert t["acts"] and all(a in caseload.by_id for a in t["acts"]), t
        assert all(c in caseload.by_id for c in t["counterparties"]), t
    planted = {t["rule"] for t in caseload.truth if not t["honest"]}
    honest = {t["rule"] for t in caseload.truth if t["honest"]}
    assert planted == honest == set(RULES)
    assert caseload.summary["schemes"] == len(RULES)


def test_schemes_hit_different_debtors_and_some_stay_clean(caseload: Caseload) -> None:
    subjects = [t["subject"] for t in caseload.truth]
    assert len(set(subjects)) == len(subjects)  # 60 debtors, 30 rows: one each
    debtors = {one(p, "party") for p in caseload.by_schema["CourtCaseParty"] if one(p, "role") == "debtor"}
    clean = debtors - set(subjects)
    assert len(clean) >= 20
    # some clean debtors paid the applicant or the court
    court_acct = {a for a, h in caseload.holder.items() if caseload.by_id[h]["schema"] == "PublicBody"}
    paid = {one(p, "payer") for p in caseload.by_schema["Payment"]
            if one(p, "payer") in clean and (one(p, "beneficiaryAccount") in court_acct or one(p, "purpose") == "还款")}
    assert paid
