"""A tiny named world for the detection tests: one debtor, one enforcement case, helpers.

``World()`` holds 王某 (``p-wang``), his account ``acct-wang``, the applicant 李某
(``p-li``), the court (``pb-court``) with its enforcement account, and the case
``c-1`` with its timeline: notice to respond 2023-01-10, judgment effective 2023-03-01,
enforcement filed 2023-04-01, execution notice 2023-04-05. Each test adds the acts it
needs (a sister, a sale, payments...) and calls :meth:`World.findings`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from debtorgraph.analysis.detect import Finding, detect_graph
from debtorgraph.graph.subgraph import graph_from_entities

CASE_NUMBER = "(2023)川3338执1号"
COURT = "得荣县人民法院"


class World:
    """Entities of one small case file, built step by step."""

    def __init__(self, debtor_schema: str = "Person") -> None:
        self.ents: list[dict[str, Any]] = []
        self.n = 0
        self.e("doc-bank", "Table", fileName="工商银行交易明细.csv", contentHash="a" * 40)
        self.e("doc-court", "Table", fileName="执行案件台账.csv", contentHash="b" * 40)
        self.e("p-wang", debtor_schema, name="王某" if debtor_schema == "Person" else "王氏公司")
        self.e("p-li", "Person", name="李某")
        self.e("pb-court", "PublicBody", name=COURT)
        self.account("p-wang", "acct-wang")
        self.account("p-li", "acct-li")
        self.account("pb-court", "acct-court", name=f"{COURT}执行款专户")
        self.e("c-1", "CourtCase", caseNumber=CASE_NUMBER, court=COURT, fileDate="2023-04-01")
        self.e("ccp-wang", "CourtCaseParty", party="p-wang", case="c-1", role="debtor", proof="doc-court",
               recordId="台账!2")
        self.e("ccp-li", "CourtCaseParty", party="p-li", case="c-1", role="applicant", proof="doc-court")
        self.e("debt-1", "Debt", debtor="p-wang", creditor="p-li", amount="300000", date="2023-03-01",
               summary=CASE_NUMBER)
        for name, day in (("lawsuit_served", "2023-01-10"), ("judgment_effective", "2023-03-01"),
                          ("enforcement_filed", "2023-04-01"), ("execution_notice", "2023-04-05")):
            self.event(name, day)

    # -- building ---------------------------------------------------------------------
    def e(self, ent_id: str, schema: str, **props: Any) -> str:
        clean = {k: (v if isinstance(v, list) else [str(v)]) for k, v in props.items() if v is not None}
        self.ents.append({"id": ent_id, "schema": schema, "properties": clean})
        return ent_id

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n}"

    def person(self, ent_id: str, name: str, **props: Any) -> str:
        return self.e(ent_id, "Person", name=name, **props)

    def company(self, ent_id: str, name: str, capital: float | None = None) -> str:
        return self.e(ent_id, "Company", name=name, capital=capital)

    def account(self, holder: str, acct: str | None = None, **props: Any) -> str:
        acct = acct or f"acct-{holder}"
        self.e(acct, "BankAccount", accountNumber=f"6222{abs(hash(acct)) % 10**12:012d}", **props)
        self.e(f"own-{acct}", "Ownership", owner=holder, asset=acct, startDate="2015-01-01")
        return acct

    def family(self, person: str, relative: str, relationship: str, **props: Any) -> str:
        return self.e(self.next_id("fam"), "Family", person=person, relative=relative,
                      relationship=relationship, **props)

    def own(self, owner: str, asset: str, start: str = "2015-01-01", **props: Any) -> str:
        return self.e(self.next_id("own"), "Ownership", owner=owner, asset=asset, startDate=start,
                      proof="doc-court", recordId="登记!1", **props)

    def convey(self, old: str, buyer: str, day: str, basis: str, price: float | None = None,
               **props: Any) -> str:
        """Close Ownership ``old`` on ``day`` and give the asset to ``buyer``."""
        ent = next(x for x in self.ents if x["id"] == old)
        ent["properties"]["endDate"] = [day]
        asset = ent["properties"]["asset"][0]
        for key in ("percentage",):
            if key in ent["properties"] and key not in props:
                props[key] = ent["properties"][key][0]
        return self.own(buyer, asset, day, legalBasis=basis,
                        sharesValue=None if price is None else f"{price:.0f}", **props)

    def flat(self, asset: str = "re-1", value: float = 800_000, owner: str = "p-wang") -> tuple[str, str]:
        self.e(asset, "RealEstate", titleNumber=f"川(2015)得荣县不动产权第{len(self.ents):07d}号",
               address="得荣县松麦镇人民路1号", amount=f"{value:.0f}", currency="CNY")
        return asset, self.own(owner, asset, percentage="100")

    def pay(self, payer: str, payee: str, amount: float, day: str, purpose: str = "转账",
            src: str | None = None, dst: str | None = None, pay_id: str | None = None) -> str:
        src = src if src is not None else f"acct-{payer.split('-', 1)[1]}" if payer.startswith("p-") else None
        return self.e(pay_id or self.next_id("pay"), "Payment", payer=payer, beneficiary=payee,
                      amount=f"{amount:.2f}", date=day, purpose=purpose,
                      payerAccount=src if src and self._has(src) else None,
                      beneficiaryAccount=dst if dst and self._has(dst) else None,
                      proof="doc-bank", recordId=f"明细!{self.n}")

    def cash(self, amount: float, day: str, acct: str = "acct-wang") -> str:
        return self.pay("p-wang", "p-wang", amount, day, "取现", src=acct)

    def event(self, name: str, day: str, involved: list[str] | None = None) -> str:
        return self.e(self.next_id("ev"), "Event", name=name, date=day, summary=CASE_NUMBER,
                      involved=involved or ["p-wang", "p-li"], proof="doc-court")

    def sanction(self, program: str, target: str, start: str, end: str | None = None) -> str:
        return self.e(self.next_id("sanc"), "Sanction", entity=target, program=program, authority="pb-court",
                      startDate=start, endDate=end, summary=CASE_NUMBER, proof="doc-court")

    def _has(self, ent_id: str) -> bool:
        return any(x["id"] == ent_id for x in self.ents)

    # -- running ----------------------------------------------------------------------
    def graph(self) -> Any:
        return graph_from_entities(self.ents)

    def findings(self, rules: list[str] | None = None, min_score: float = 0.0) -> list[Finding]:
        return detect_graph(self.graph(), rules=rules, min_score=min_score)

    def flagged(self, rule: str) -> list[Finding]:
        """Findings of ``rule`` at or above the default threshold."""
        return [f for f in self.findings() if f.rule == rule and f.score >= 0.5]

    def leads(self, rule: str) -> list[Finding]:
        """Leads of ``rule``: what only says "check this", scored under the threshold."""
        return [f for f in self.findings() if f.rule == rule and f.lead]

    def write(self, path: Path) -> Path:
        import orjson

        with open(path, "wb") as fh:
            for ent in self.ents:
                fh.write(orjson.dumps(ent) + b"\n")
        return path

    def load(self, store: Any, path: Path) -> Any:
        """Write the world to ``path`` and load it into ``store``; return the load report."""
        from debtorgraph.graph.ingest import Ingest
        from debtorgraph.loaders.ftm import read_ftm

        self.write(path)
        ingest = Ingest(store, path.with_suffix(".rejects.jsonl"))
        ingest.add(read_ftm(path), path.name)
        report = ingest.commit()
        assert report.rejected == 0, path.with_suffix(".rejects.jsonl").read_text()
        return report


def test_an_empty_world_has_no_findings() -> None:
    assert World().findings() == []


def test_the_world_is_valid_ftm() -> None:
    from debtorgraph.graph.model import check_entity

    w = World()
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    w.pay("p-wang", "p-sis", 50_000, "2023-05-01T10:00:00")
    assert [check_entity(e) for e in w.ents] == [[] for _ in w.ents]
