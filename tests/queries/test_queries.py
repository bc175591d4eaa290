"""The queries library on a real embedded store, one tiny named world."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from debtorgraph.queries import library as L
from test_detect_kit import World


@pytest.fixture
def world_store(store, tmp_path: Path):
    """王某 with a sister (married to 赵某), a flat sold while sealed, payments two hops, cash."""
    w = World()
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-wang", "p-sis", "sibling")
    w.person("p-bil", "赵某")
    w.family("p-sis", "p-bil", "spouse", startDate="2015-01-01")
    w.person("p-m", "中间人")
    w.account("p-m", "acct-m")
    w.pay("p-wang", "p-m", 100_000, "2023-05-01T10:00:00", src="acct-wang", dst="acct-m", pay_id="pay-1")
    w.pay("p-m", "p-sis", 95_000, "2023-05-02T10:00:00", src="acct-m", dst="acct-sis", pay_id="pay-2")
    w.pay("p-m", "p-sis", 1_000, "2023-04-01T10:00:00", src="acct-m", dst="acct-sis", pay_id="pay-early")
    w.pay("p-wang", "p-sis", 3_000, "2023-02-01T10:00:00", src="acct-wang", dst="acct-sis", pay_id="pay-0")
    w.cash(20_000, "2023-05-03T15:00:00")
    asset, old = w.flat(value=800_000)
    w.sanction("seizure", asset, "2023-04-10")
    w.sanction("consumption_restriction", "p-wang", "2023-04-20")
    w.convey(old, "p-m", "2023-06-01", "sale", 700_000)
    w.load(store, tmp_path / "w.jsonl")
    return store


def _rows(store, name: str, **params):
    return store.run_read(getattr(L, name), params).records()


def test_debtors_and_case_parties(world_store) -> None:
    assert [(r["debtor"], r["case_id"]) for r in _rows(world_store, "DEBTORS")] == [("p-wang", "c-1")]
    parties = {(r["party"], r["role"]) for r in _rows(world_store, "CASE_PARTIES", case_id="c-1")}
    assert parties == {("p-wang", "debtor"), ("p-li", "applicant")}


def test_related_parties_and_in_laws(world_store) -> None:
    rel = {(r["link"], r["party"]) for r in _rows(world_store, "RELATED_PARTIES", debtor="p-wang")}
    assert {("Family", "p-sis"), ("Ownership", "acct-wang"), ("Ownership", "re-1")} <= rel
    assert ("Payment", "p-m") not in rel
    two = _rows(world_store, "RELATIVES_TWO_LINKS", debtor="p-wang")
    assert [(r["via"], r["party"], r["relation"]) for r in two] == [("p-sis", "p-bil", "spouse")]


def test_transfers_and_cash(world_store) -> None:
    out = _rows(world_store, "TRANSFERS_OUT_AFTER", debtor="p-wang", since="2023-03-01")
    assert [r["payment"] for r in out if r["beneficiary"] != "p-wang"] == ["pay-1"]
    cash = _rows(world_store, "CASH_WITHDRAWALS", debtor="p-wang", since="2023-01-01")
    assert [(r["amount"], r["account"]) for r in cash] == [(20_000.0, "acct-wang")]


def test_two_hops_respect_time(world_store) -> None:
    rows = _rows(world_store, "ACCOUNTS_TWO_HOPS", debtor="p-wang", since="2023-03-01")
    assert [(r["first"], r["second"], r["account"], r["holder"]) for r in rows] == \
           [("pay-1", "pay-2", "acct-sis", "p-sis")]  # pay-early came before pay-1


def test_assets_after_seizure_and_history(world_store) -> None:
    rows = _rows(world_store, "ASSETS_AFTER_SEIZURE", debtor="p-wang")
    assert [(r["asset"], r["new_owner"], r["basis"], r["price"]) for r in rows] == [("re-1", "p-m", "sale", 700_000.0)]
    hist = _rows(world_store, "OWNERSHIP_HISTORY", asset="re-1")
    assert [(r["owner"], r["end_date"]) for r in hist] == [("p-wang", "2023-06-01"), ("p-m", None)]


def test_milestones_and_measures(world_store) -> None:
    ms = _rows(world_store, "DEBTOR_MILESTONES", debtor="p-wang")
    assert [r["name"] for r in ms] == ["lawsuit_served", "judgment_effective", "enforcement_filed",
                                       "execution_notice", "seizure", "consumption_restriction"]
    measures = {(r["program"], r["target"]) for r in _rows(world_store, "DEBTOR_SANCTIONS", debtor="p-wang")}
    assert measures == {("seizure", "re-1"), ("consumption_restriction", "p-wang")}


def test_account_payments_in_a_window(world_store) -> None:
    rows = _rows(world_store, "ACCOUNT_PAYMENTS", account="acct-sis", since="2023-04-01", until="2023-05-02")
    assert [(r["payment"], r["direction"]) for r in rows] == [("pay-early", "credit")]
    rows = _rows(world_store, "ACCOUNT_PAYMENTS", account="acct-m", since="2023-01-01", until="2024-01-01")
    assert [(r["payment"], r["direction"]) for r in rows] == [
        ("pay-early", "debit"), ("pay-1", "credit"), ("pay-2", "debit")]


def test_payments_between_and_record(world_store) -> None:
    assert [r["payment"] for r in _rows(world_store, "PAYMENTS_BETWEEN", payer="p-m", beneficiary="p-sis")] == \
           ["pay-early", "pay-2"]
    rec = _rows(world_store, "RECORD_OF", id="pay-1")[0]
    assert rec["canonical"] == "pay-1" and rec["origin"].startswith("w.jsonl:")


def test_every_query_is_listed_and_documented() -> None:
    source = Path(L.__file__).read_text(encoding="utf-8")
    listed = {q.name for q in L.QUERIES}
    constants = {n for n in dir(L) if n.isupper() and isinstance(getattr(L, n), str)}
    assert listed == constants
    for q in L.QUERIES:
        comment = source[:source.index(f"\n{q.name} = ")].rsplit("\n\n", 1)[-1]
        assert "Params" in comment and "Columns" in comment, q.name
        assert set(re.findall(r"\$([a-z_]+)", q.cypher)) == set(q.params), q.name
    assert L.query("DEBTORS").cypher == L.DEBTORS
    with pytest.raises(KeyError, match="choose from"):
        L.query("NOPE")
