"""Detection and tracing on the embedded store: same findings as in memory, input ids out,
sources with file and line, and the ``detect`` / ``trace`` commands as a user runs them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from debtorgraph.analysis.detect import detect
from debtorgraph.analysis.neighbourhood.store import StoreSource, pull_neighbourhood
from debtorgraph.analysis.tracing.store import trace_store
from debtorgraph.errors import NodeNotFound
from test_detect_kit import World

RIC = "11010519491231002X"  # a valid resident ID (domain.md section 6)


def _schemes(w: World) -> None:
    """A sister paid after the judgment, a flat sold cheaply to her, cash taken out."""
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-wang", "p-sis", "sibling")
    w.pay("p-wang", "p-sis", 120_000, "2023-05-01T10:00:00", dst="acct-sis", pay_id="pay-sis")
    _, old = w.flat(value=800_000)
    w.convey(old, "p-sis", "2023-06-01", "sale", 200_000)
    w.company("co-c", "某客户公司")
    w.account("co-c", "acct-co-c")
    w.pay("co-c", "p-wang", 300_000, "2023-07-01T09:00:00", "货款", src="acct-co-c", dst="acct-wang")
    w.cash(290_000, "2023-07-02T15:00:00")


def test_store_and_memory_give_the_same_findings(store, tmp_path: Path) -> None:
    w = World()
    _schemes(w)
    w.load(store, tmp_path / "w.jsonl")
    mem = {f.id: f.as_dict() for f in w.findings()}
    got = {f.id: f.as_dict() for f in detect(store)}
    assert set(got) == set(mem) and len(got) == 3
    for fid, f in got.items():
        m = mem[fid]
        assert {k: v for k, v in f.items() if k not in ("sources", "revocation")} == \
               {k: v for k, v in m.items() if k not in ("sources", "revocation")}
    src = next(f for f in got.values() if f["rule"] == "related_party_payment")["sources"][0]
    assert src["act"] == "pay-sis" and src["origin"] == f"w.jsonl:{_line(w, 'pay-sis')}"
    assert src["document"]["fileName"] == "工商银行交易明细.csv" and src["document"]["contentHash"] == "a" * 40
    assert src["recordId"].startswith("明细!")


def _line(w: World, ent_id: str) -> int:
    return next(i for i, e in enumerate(w.ents, 1) if e["id"] == ent_id)


@pytest.mark.parametrize("case_names", ["p-wang", "le-wang"])
def test_merged_parties_are_named_with_the_input_ids(store, tmp_path: Path, case_names: str) -> None:
    """The debtor also appears as the bank's LegalEntity with the same ID number."""
    w = World()
    w.ents[2]["properties"]["idNumber"] = [RIC]               # p-wang, loaded first: canonical
    w.e("le-wang", "LegalEntity", name="王某", idNumber=RIC)   # the bank's name for him
    w.ents = [e for e in w.ents if e["id"] != "ccp-wang"]
    w.e("ccp-wang", "CourtCaseParty", party=case_names, case="c-1", role="debtor", proof="doc-court")
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-wang", "p-sis", "sibling")
    pid = w.pay("le-wang", "p-sis", 90_000, "2023-05-01T10:00:00", src="acct-wang", dst="acct-sis")
    report = w.load(store, tmp_path / "w.jsonl")
    assert report.merged_by_reason["same_identifier"] == 1
    found = [f for f in detect(store) if f.rule == "related_party_payment"]
    assert [(f.subject, f.acts, f.counterparties) for f in found] == [(case_names, [pid], ["p-sis"])]
    assert found[0].explanation.startswith("被执行人王某")


def test_only_the_debtor_asked_for(store, tmp_path: Path) -> None:
    w = World()
    _schemes(w)
    w.load(store, tmp_path / "w.jsonl")
    assert detect(store, subjects=["p-li"]) == []
    assert {f.subject for f in detect(StoreSource(store), subjects=["p-wang"], rules=["cash_out"])} == {"p-wang"}
    entities, g = pull_neighbourhood(store, "p-wang")
    assert "pay-sis" in {e["id"] for e in entities} and g.has_node("p-sis")
    with pytest.raises(NodeNotFound, match="p-li"):
        pull_neighbourhood(store, "p-li")


def test_trace_on_the_store_follows_the_money(store, tmp_path: Path) -> None:
    w = World()
    w.person("p-m", "中间人")
    w.account("p-m", "acct-m")
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.pay("p-wang", "p-m", 100_000, "2023-05-01T10:00:00", src="acct-wang", dst="acct-m", pay_id="t1")
    w.pay("p-m", "p-sis", 90_000, "2023-05-02T10:00:00", src="acct-m", dst="acct-sis", pay_id="t2")
    w.load(store, tmp_path / "w.jsonl")
    out = trace_store(store, "acct-wang", "2023-05-01", max_hops=6)
    ends = {e["id"]: e for e in out["endpoints"]}
    assert ends["acct-sis"]["amount"] == 90_000 and ends["acct-sis"]["holder"] == "p-sis"
    assert ends["acct-sis"]["paths"] == [{"payments": ["t1", "t2"], "amounts": [100_000.0, 90_000.0]}]
    assert ends["acct-m"]["amount"] == 10_000
    one_hop = trace_store(store, "p-wang", "2023-05-01", max_hops=1)
    assert [e["id"] for e in one_hop["endpoints"]] == ["acct-m"]


# -- the commands ------------------------------------------------------------------------

def _run(args: list[str], db: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBTORGRAPH_DB=str(db), DEBTORGRAPH_HOME=str(home), PYTHONIOENCODING="utf-8")
    env.pop("NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.mark.parametrize("command", ["detect", "trace"])
def test_help_has_an_example(command: str, tmp_path: Path) -> None:
    out = _run([command, "--help"], tmp_path / "db", tmp_path).stdout
    assert "Example" in out and f"debtorgraph {command}" in out


def test_detect_and_trace_commands(tmp_path: Path) -> None:
    from debtorgraph.graph.store.embedded import EmbeddedStore

    w = World()
    _schemes(w)
    db = tmp_path / "db"
    st = EmbeddedStore(db)
    w.load(st, tmp_path / "w.jsonl")
    st.close()
    proc = _run(["detect", "--format", "jsonl"], db, tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert sorted(r["rule"] for r in rows) == ["cash_out", "related_party_payment", "undervalue_sale"]
    for r in rows:
        assert {"id", "rule", "score", "subject", "actor", "case", "acts", "counterparties", "amount", "date",
                "legal_basis", "explanation", "sources"} <= set(r)
    table = _run(["detect", "--debtor", "p-wang", "--rule", "cash_out", "--format", "table"], db, tmp_path)
    assert table.returncode == 0 and "cash_out" in table.stdout and "undervalue" not in table.stdout
    assert all(r["lead"] is None for r in rows)
    assert "--leads" in proc.stderr  # the summary says where the leads are
    bad = _run(["detect", "--rule", "nonsense"], db, tmp_path)
    assert bad.returncode != 0 and "nonsense" in bad.stderr
    traced = _run(["trace", "--from", "acct-wang", "--since", "2023-05-01", "--max-hops", "3"], db, tmp_path)
    assert traced.returncode == 0, traced.stderr
    out = json.loads(traced.stdout)
    assert set(out) == {"source", "rule", "since", "until", "endpoints"} and out["rule"] == "libr"
    assert {e["id"] for e in out["endpoints"]} >= {"acct-sis"}
    missing = _run(["trace", "--from", "nobody", "--since", "2023-05-01"], db, tmp_path)
    assert missing.returncode != 0 and "nobody" in missing.stderr


def test_detect_leads_are_listed_apart(tmp_path: Path) -> None:
    """An asset held in the report order's look-back year is a lead (what to check), listed
    with --leads and never among the findings."""
    from debtorgraph.graph.store.embedded import EmbeddedStore

    w = World()
    w.event("property_report_order", "2023-04-05")
    _, own = w.flat()
    db = tmp_path / "db"
    st = EmbeddedStore(db)
    w.load(st, tmp_path / "w.jsonl")
    st.close()
    findings = _run(["detect"], db, tmp_path)
    assert findings.returncode == 0 and findings.stdout.strip() == ""
    assert "1 条待核查线索" in findings.stderr
    leads = _run(["detect", "--leads"], db, tmp_path)
    rows = [json.loads(line) for line in leads.stdout.splitlines()]
    assert [r["rule"] for r in rows] == ["unreported_property"] and own in rows[0]["acts"]
    assert rows[0]["score"] < 0.5 and "财产报告" in rows[0]["lead"]["confirm"]
    table = _run(["detect", "--leads", "--format", "table"], db, tmp_path)
    assert "confirm" in table.stdout and "财产报告" in table.stdout


def test_trace_on_a_store_without_ownerships_or_payments(store, tmp_path: Path) -> None:
    """Bank statements alone (no Ownership): an account is traced through the parties that
    used it. With no payments at all the answer is a clear 'not found', not a query error."""
    from ftm_fixtures import write_ftm

    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.loaders.ftm import read_ftm

    people = [{"id": "p-a", "schema": "Person", "properties": {"name": ["甲"]}},
              {"id": "p-b", "schema": "Person", "properties": {"name": ["乙"]}},
              {"id": "acct-a", "schema": "BankAccount", "properties": {"accountNumber": ["6222000011112222"]}}]
    ingest = Ingest(store)
    ingest.add(read_ftm(write_ftm(tmp_path / "p.jsonl", people)))
    ingest.commit()
    with pytest.raises(NodeNotFound):
        trace_store(store, "acct-a", "2023-01-01")
    pay = [{"id": "t1", "schema": "Payment", "properties": {
        "payer": ["p-a"], "beneficiary": ["p-b"], "payerAccount": ["acct-a"], "amount": ["700"],
        "date": ["2023-02-01"]}}]
    ingest = Ingest(store)
    ingest.add(read_ftm(write_ftm(tmp_path / "t.jsonl", pay)))
    ingest.commit()
    out = trace_store(store, "acct-a", "2023-01-01")
    assert [(e["id"], e["amount"]) for e in out["endpoints"]] == [("p-b", 700.0)]


def test_trace_on_the_store_names_the_owner_of_an_account_a_statement_names_by_name(store, tmp_path: Path) -> None:
    """A bank statement names its payee as written (a LegalEntity 收某); the account's Ownership
    names the person who holds it: the trace's holder is the owner (docs/tracing.md)."""
    from ftm_fixtures import write_ftm

    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.loaders.ftm import read_ftm

    ents = [{"id": "p-s", "schema": "Person", "properties": {"name": ["源某"]}},
            {"id": "a-s", "schema": "BankAccount", "properties": {"accountNumber": ["6222000000000001"]}},
            {"id": "o-s", "schema": "Ownership", "properties": {"owner": ["p-s"], "asset": ["a-s"]}},
            {"id": "p-x", "schema": "Person", "properties": {"name": ["收某"]}},
            {"id": "le-x", "schema": "LegalEntity", "properties": {"name": ["收某"]}},
            {"id": "a-x", "schema": "BankAccount", "properties": {"accountNumber": ["6222000000000002"]}},
            {"id": "o-x", "schema": "Ownership", "properties": {"owner": ["p-x"], "asset": ["a-x"]}},
            {"id": "t1", "schema": "Payment", "properties": {
                "payer": ["p-s"], "payerAccount": ["a-s"], "beneficiary": ["le-x"], "beneficiaryAccount": ["a-x"],
                "amount": ["100"], "date": ["2023-06-05"]}},
            {"id": "t2", "schema": "Payment", "properties": {
                "payer": ["p-s"], "payerAccount": ["a-s"], "beneficiary": ["p-s"], "amount": ["200"],
                "date": ["2023-06-06"], "purpose": ["ATM取现"]}}]
    ingest = Ingest(store)
    ingest.add(read_ftm(write_ftm(tmp_path / "e.jsonl", ents)))
    ingest.commit()
    for source in ("a-s", "p-s"):
        out = trace_store(store, source, "2023-06-01")
        assert {(e["id"], e["holder"]): e["amount"] for e in out["endpoints"]} == {
            ("a-x", "p-x"): 100.0, ("p-s", "p-s"): 200.0}, source


def test_the_evidence_chain_cites_only_findings_detect_shows(store, tmp_path: Path) -> None:
    """A relative's suit after a normal trial scores under the threshold: detect shows it only
    with --min-score 0, and the evidence chain built by running detection does not cite it."""
    from debtorgraph.analysis.evidence import build_chain

    w = World()
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    w.e("c-2", "CourtCase", caseNumber="(2023)川3338民初9号", court="得荣县人民法院", fileDate="2023-06-20",
        description="判决")
    w.e("ccp-2a", "CourtCaseParty", party="p-sis", case="c-2", role="applicant")
    w.e("ccp-2d", "CourtCaseParty", party="p-wang", case="c-2", role="debtor")
    w.e("debt-2", "Debt", debtor="p-wang", creditor="p-sis", amount="500000", date="2023-11-30",
        summary="(2023)川3338民初9号")
    _schemes(w)
    w.load(store, tmp_path / "w.jsonl")
    low = {f.id for f in detect(store, min_score=0) if not f.lead and f.score < 0.5}
    shown = {f.id for f in detect(store, min_score=0.5)}
    assert low and shown
    chain = build_chain(store, "p-wang", "c-1")
    cited = set(chain["findings"])  # the ids of the findings cited
    assert cited and cited <= shown and not cited & low
