"""Tests of the synthetic caseload generator (``debtorgraph.synthetic``)."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from followthemoney import model
from stdnum.cn import ric, uscc

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
        self.debtors = {one(p, "party") for p in self.by_schema["CourtCaseParty"]
                        if one(p, "role") == "debtor"}

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
    paid = {one(p, "payer") for p in caseload.by_schema["Payment"] if one(p, "payer") in clean
            and (one(p, "beneficiaryAccount") in court_acct or one(p, "purpose") == "还款")}
    assert paid


# -- each planted row meets its rule; each look-alike misses it ------------------------
# One check per rule: does the row's acts meet the rule (True) or not (False)?

def _acts(c: Caseload, t: dict, schema: str) -> list[dict]:
    return [c.by_id[a] for a in t["acts"] if c.by_id[a]["schema"] == schema]


def _conveyance(c: Caseload, t: dict) -> tuple[dict, dict]:
    """(seller's Ownership, buyer's Ownership) of a row; they meet on one day."""
    old, new = [o for o in _acts(c, t, "Ownership")][:2]
    assert one(old, "owner") == t["subject"] and one(old, "asset") == one(new, "asset")
    assert one(old, "endDate") == one(new, "startDate")
    return old, new


def _value(c: Caseload, own: dict) -> float:
    asset = c.by_id[one(own, "asset")]
    if asset["schema"] == "Company":
        return num(own, "percentage") / 100 * num(asset, "capital")
    return num(asset, "amount")


def undervalue_sale(c: Caseload, t: dict) -> bool:
    _old, new = _conveyance(c, t)
    return (one(new, "legalBasis") == "sale" and one(new, "owner") in c.kin(t["subject"])
            and one(new, "startDate") > c.milestone(t["subject"], "judgment_effective")
            and num(new, "sharesValue") < 0.7 * _value(c, new))


def gratuitous_transfer(c: Caseload, t: dict) -> bool:
    _old, new = _conveyance(c, t)
    assert one(new, "legalBasis") == "gift" and not one(new, "sharesValue")
    return (one(new, "owner") in c.kin(t["subject"])
            and one(new, "startDate") >= c.milestone(t["subject"], "lawsuit_served"))


def nominal_equity_transfer(c: Caseload, t: dict) -> bool:
    _old, new = _conveyance(c, t)
    assert c.by_id[one(new, "asset")]["schema"] == "Company" and one(new, "legalBasis") == "sale"
    if one(new, "sharesValue") in ("0", "1"):
        return True
    assert abs(num(new, "sharesValue") / _value(c, new) - 1) < 0.05  # the fair price
    return False


def sham_divorce(c: Caseload, t: dict) -> bool:
    (fam,) = _acts(c, t, "Family")
    spouse = ({one(fam, "person"), one(fam, "relative")} - {t["subject"]}).pop()
    for own in _acts(c, t, "Ownership")[1::2]:
        assert one(own, "legalBasis") == "divorce" and one(own, "owner") == spouse
        assert one(own, "startDate") == one(fam, "endDate") and not one(own, "sharesValue")
    return one(fam, "endDate") > c.milestone(t["subject"], "lawsuit_served")


def related_party_payment(c: Caseload, t: dict) -> bool:
    since = c.milestone(t["subject"], "lawsuit_served")
    pays = _acts(c, t, "Payment")
    assert all(one(p, "payer") == t["subject"] for p in pays)
    hits = [one(p, "date") > since and num(p, "amount") >= 50_000
            and one(p, "beneficiary") in c.kin(t["subject"]) for p in pays]
    return all(hits) if hits[0] else any(hits)


def layered_transfer(c: Caseload, t: dict) -> bool:
    pays = sorted(_acts(c, t, "Payment"), key=lambda p: one(p, "date"))
    assert one(pays[0], "payer") == t["subject"] and len(pays) >= 3
    for a, b in zip(pays, pays[1:]):
        assert one(a, "beneficiaryAccount") == one(b, "payerAccount")
        gap = date.fromisoformat(one(b, "date")[:10]) - date.fromisoformat(one(a, "date")[:10])
        assert gap <= timedelta(days=3)
    end = one(pays[-1], "beneficiary")
    mids = {one(p, "beneficiary") for p in pays[:-1]}
    assert not mids & c.kin(t["subject"])  # the intermediaries look unrelated
    controlled = {one(o, "asset") for k in c.kin(t["subject"]) | {t["subject"]} for o in c.owned[k]
                  if c.by_id[one(o, "asset")]["schema"] == "Company"}
    return end in c.kin(t["subject"]) | {t["subject"]} | controlled


def fan_out(c: Caseload, t: dict) -> bool:
    pays = _acts(c, t, "Payment")
    assert all(one(p, "payer") == t["subject"] for p in pays)
    notice = c.milestone(t["subject"], "execution_notice")
    days = sorted(date.fromisoformat(one(p, "date")[:10]) for p in pays)
    near = [45_000 <= num(p, "amount") < 50_000 for p in pays]
    if not any(near):
        assert {one(p, "purpose") for p in pays} == {"代发工资"}
        return False
    assert len({one(p, "beneficiaryAccount") for p in pays}) == len(pays)
    return (all(near) and len(pays) >= 6 and (days[-1] - days[0]).days <= 5
            and days[0].isoformat() > notice)


def cash_out(c: Caseload, t: dict) -> bool:
    pays = _acts(c, t, "Payment")
    cash = [p for p in pays if one(p, "beneficiary") == one(p, "payer") == t["subject"]
            and not one(p, "beneficiaryAccount")]
    assert cash and all(any(w in one(p, "purpose") for w in CASH_WORDS) for p in cash)
    if all(one(p, "date") < c.milestone(t["subject"], "lawsuit_served") and num(p, "amount") <= 3000
           for p in cash):
        return False
    inflow = [p for p in pays if p not in cash]
    return (sum(num(p, "amount") for p in cash) >= 0.8 * num(inflow[0], "amount")
            and min(one(p, "date") for p in pays) > c.milestone(t["subject"], "execution_notice"))


def assisting_unit_payment(c: Caseload, t: dict) -> bool:
    (ev,) = _acts(c, t, "Event")
    unit = (set(ev["properties"]["involved"]) - {t["subject"]}).pop()
    assert one(ev, "name") == "assistance_notice"
    assert any(one(p, "party") == unit and one(p, "role") == "assisting_unit"
               for p in c.by_schema["CourtCaseParty"])
    salary = [p for p in _acts(c, t, "Payment") if one(p, "beneficiary") == t["subject"]]
    assert salary and all(one(p, "payer") == unit for p in salary)
    return all(one(p, "date")[:10] > one(ev, "date") for p in salary)


def frozen_asset_disposal(c: Caseload, t: dict) -> bool:
    (sanc,) = _acts(c, t, "Sanction")
    start, end = one(sanc, "startDate"), one(sanc, "endDate") or "9999"
    owns = _acts(c, t, "Ownership")
    moved = [one(owns[0], "endDate")] if owns else [one(p, "date")[:10] for p in _acts(c, t, "Payment")]
    if owns:
        assert one(owns[0], "asset") == one(sanc, "entity")
    else:
        assert all(one(p, "payerAccount") == one(sanc, "entity") for p in _acts(c, t, "Payment"))
    return all(start < m <= end for m in moved)


def diverted_income(c: Caseload, t: dict) -> bool:
    (sanc,) = _acts(c, t, "Sanction")
    assert one(sanc, "program") == "freeze" and c.holder[one(sanc, "entity")] == t["subject"]
    pays = _acts(c, t, "Payment")
    assert all(one(p, "date")[:10] > one(sanc, "startDate") for p in pays)
    payers = {one(p, "payer") for p in pays}
    before = {one(p, "payer") for p in c.by_schema["Payment"]
              if one(p, "beneficiaryAccount") == one(sanc, "entity")}
    to_kin = all(c.holder[one(p, "beneficiaryAccount")] in c.kin(t["subject"]) for p in pays)
    return to_kin and payers <= before


def cheap_lease(c: Caseload, t: dict) -> bool:
    (lease,) = _acts(c, t, "Ownership")
    assert one(lease, "legalBasis") == one(lease, "ownershipType") == "lease"
    start, end = (date.fromisoformat(one(lease, k)) for k in ("startDate", "endDate"))
    years = (end - start).days / 365
    market = 0.02 * _value(c, lease)
    if num(lease, "sharesValue") >= 0.8 * market:
        assert one(lease, "owner") not in c.kin(t["subject"])
        return False
    return (years >= 4.9 and num(lease, "sharesValue") < 0.5 * market
            and one(lease, "owner") in c.kin(t["subject"])
            and one(lease, "startDate") > c.milestone(t["subject"], "lawsuit_served"))


def sham_litigation(c: Caseload, t: dict) -> bool:
    (case,) = _acts(c, t, "CourtCase")
    (debt,) = _acts(c, t, "Debt")
    (party,) = _acts(c, t, "CourtCaseParty")
    assert case["id"] != t["case"] and "民初" in one(case, "caseNumber")
    assert one(party, "role") == "applicant" and one(debt, "creditor") == one(party, "party")
    assert one(debt, "summary") == one(case, "caseNumber") and one(debt, "debtor") == t["subject"]
    filed = date.fromisoformat(one(case, "fileDate"))
    lawsuit = date.fromisoformat(c.milestone(t["subject"], "lawsuit_served"))
    weeks = (date.fromisoformat(one(debt, "date")) - filed).days
    return (one(party, "party") in c.kin(t["subject"]) and 0 <= (filed - lawsuit).days <= 60
            and weeks <= 42)


LUXURY = ("机票", "航空", "五星级", "高铁 G", "一等座", "商务座")


def consumption_breach(c: Caseload, t: dict) -> bool:
    (sanc,) = _acts(c, t, "Sanction")
    assert one(sanc, "program") == "consumption_restriction" and one(sanc, "entity") == t["subject"]
    hits = [one(p, "date")[:10] > one(sanc, "startDate") and any(w in one(p, "purpose") for w in LUXURY)
            for p in _acts(c, t, "Payment")]
    return all(hits) if hits[0] else any(hits)


def _holdings(c: Caseload, debtor: str, notice: str) -> list[dict]:
    """Flats, vehicles and stakes the debtor held in the year before the notice."""
    since = (date.fromisoformat(notice) - timedelta(days=365)).isoformat()
    return [o for o in c.owned[debtor]
            if c.by_id[one(o, "asset")]["schema"] != "BankAccount" and one(o, "legalBasis") != "lease"
            and one(o, "startDate") <= notice and (one(o, "endDate") or "9999") >= since]


def unreported_property(c: Caseload, t: dict) -> bool:
    ev = _acts(c, t, "Event")[0]
    assert one(ev, "name") == "property_report_order"
    held = _holdings(c, t["subject"], c.milestone(t["subject"], "execution_notice"))
    assert {o["id"] for o in _acts(c, t, "Ownership")} <= {o["id"] for o in held}
    return bool(held)


@pytest.mark.parametrize("rule", RULES)
def test_planted_rows_meet_the_rule_and_look_alikes_do_not(caseload: Caseload, rule: str) -> None:
    check = globals()[rule]
    rows = [t for t in caseload.truth if t["rule"] == rule]
    assert rows
    for t in rows:
        assert check(caseload, t) is (not t["honest"]), t


# -- nothing outside the truth looks like a scheme --------------------------------------

def test_report_orders_only_where_the_truth_says(caseload: Caseload) -> None:
    """A served report order plus an asset held in the look-back year is planted."""
    planted = {t["subject"] for t in caseload.truth
               if t["rule"] == "unreported_property" and not t["honest"]}
    served = 0
    for case in caseload.by_schema["CourtCase"]:
        number = one(case, "caseNumber")
        if (number, "property_report_order") not in caseload.events:
            continue
        served += 1
        debtor = next(one(p, "party") for p in caseload.by_schema["CourtCaseParty"]
                      if one(p, "case") == case["id"] and one(p, "role") == "debtor")
        notice = min(caseload.events[(number, "execution_notice")])
        assert bool(_holdings(caseload, debtor, notice)) == (debtor in planted), debtor
    assert served > len(planted)


def test_no_payment_leaves_a_frozen_account_unless_planted(caseload: Caseload) -> None:
    planted = {a for t in caseload.truth if t["rule"] == "frozen_asset_disposal" and not t["honest"]
               for a in t["acts"]}
    for s in caseload.by_schema["Sanction"]:
        if one(s, "program") != "freeze":
            continue
        start, end = one(s, "startDate"), one(s, "endDate") or "9999"
        for p in caseload.by_schema["Payment"]:
            if one(p, "payerAccount") == one(s, "entity") and start <= one(p, "date")[:10] <= end:
                assert p["id"] in planted, p


def test_large_transfers_to_kin_are_all_planted(caseload: Caseload) -> None:
    """Every debtor's transfer of 20,000 or more to kin after the lawsuit is in a planted row."""
    planted = {a for t in caseload.truth if not t["honest"] for a in t["acts"]}
    for p in caseload.by_schema["Payment"]:
        payer = one(p, "payer")
        if payer in caseload.case_of and num(p, "amount") >= 20_000 \
                and one(p, "beneficiary") in caseload.kin(payer) \
                and one(p, "date") > caseload.milestone(payer, "lawsuit_served"):
            assert p["id"] in planted, p


def test_background_is_ordinary(caseload: Caseload) -> None:
    """Ordinary payments are small, never cash, never luxury travel."""
    acts = {a for t in caseload.truth for a in t["acts"]}
    for p in caseload.by_schema["Payment"]:
        if p["id"] in acts or one(p, "purpose") in ("工资", "代发工资", "货款", "房租"):
            continue
        if one(p, "payer") in caseload.debtors and one(p, "beneficiary") != one(p, "payer"):
            continue  # debts paid to the applicant or the court
        assert num(p, "amount") <= 5_000, p
        assert not any(w in one(p, "purpose") for w in CASH_WORDS + LUXURY), p
