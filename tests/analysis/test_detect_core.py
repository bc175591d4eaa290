"""Milestones, placement, scoring, ids and art. 541 deadlines."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from debtorgraph.analysis.detect import DEFAULT_THRESHOLD, detect, detect_graph, finding_id, revocation
from debtorgraph.analysis.milestones import CaseMilestones, Milestone, case_milestones, place
from debtorgraph.errors import InvalidInput
from test_detect_kit import CASE_NUMBER, World


def _case(*events: tuple[str, str]) -> CaseMilestones:
    return CaseMilestones("c", events=[Milestone(n, datetime.fromisoformat(d), f"e-{n}") for n, d in events])


@pytest.mark.parametrize("events, duty, watch, basis", [
    # judgment effective and notice to respond: duty at effectiveness, watch from the notice
    ((("lawsuit_served", "2023-01-10"), ("judgment_effective", "2023-03-01")), "2023-03-01", "2023-01-10",
     "judgment_effective"),
    # only an enforcement filing: it stands in for the duty
    ((("enforcement_filed", "2023-04-01"),), "2023-04-01", "2023-04-01", "enforcement_filed"),
])
def test_duty_and_watch_start(events, duty: str, watch: str, basis: str) -> None:
    ms = _case(*events)
    assert ms.duty_start == datetime.fromisoformat(duty) and ms.watch_start == datetime.fromisoformat(watch)
    assert ms.duty_basis == basis


def test_case_milestones_match_case_numbers_across_bracket_widths() -> None:
    case = {"id": "c-1", "schema": "CourtCase", "properties": {"caseNumber": ["（2023）川3338执1号"]}}
    ents = [{"id": "e1", "schema": "Event", "properties": {"name": ["执行通知"], "date": ["2023-04-05"],
                                                          "summary": [CASE_NUMBER]}},
            {"id": "e2", "schema": "Event", "properties": {"name": ["execution_notice"], "date": ["2023-04-06"],
                                                          "summary": ["(2023)川3338执2号"]}},
            {"id": "s1", "schema": "Sanction", "properties": {"program": ["查封"], "startDate": ["2023-04-10"],
                                                             "entity": ["re-1"], "summary": [CASE_NUMBER]}},
            {"id": "d1", "schema": "Debt", "properties": {"debtor": ["p"], "amount": ["1000"],
                                                         "date": ["2023-03-01"], "summary": [CASE_NUMBER]}}]
    ms = case_milestones(case, ents)
    assert [m.entity for m in ms.events] == ["e1"] and ms.sanctions[0].name == "seizure"
    assert ms.duty_basis == "debt_date" and ms.debt_amount == 1000
    assert ms.lookback is None and ms.is_enforcement


@pytest.mark.parametrize("when, zh, en", [
    ("2023-04-08T11:00:00", "执行通知送达后 3 天", "3 days after the execution notice"),
    ("2023-03-01", "判决生效当天", "on the day of the judgment took effect"),
    ("2023-01-01", "应诉通知送达前 9 天", "9 days before service of the notice to respond"),
    ("2023-04-11", "查封后 1 天", "1 day after the seizure"),
])
def test_place(when: str, zh: str, en: str) -> None:
    ms = _case(("lawsuit_served", "2023-01-10"), ("judgment_effective", "2023-03-01"),
               ("execution_notice", "2023-04-05"))
    ms.sanctions.append(Milestone("seizure", datetime(2023, 4, 10), "s"))
    p = place(datetime.fromisoformat(when), ms)
    assert (p.zh, p.en) == (zh, en)


@pytest.mark.parametrize("act, loaded, today, basis, deadline, expired", [
    # before the enforcement filing: the filing is when the creditor should have known
    (date(2023, 2, 1), date(2024, 1, 1), date(2024, 6, 1), "enforcement_filed", "2024-04-01", True),
    # after it: the day the data was loaded
    (date(2023, 6, 1), date(2024, 1, 1), date(2024, 6, 1), "data_loaded", "2025-01-01", False),
    # nothing loaded (in-memory run): today
    (date(2023, 6, 1), None, date(2024, 6, 1), "detection_run", "2025-06-01", False),
    # the 5-year limit comes first
    (date(2023, 6, 1), date(2028, 3, 1), date(2028, 4, 1), "data_loaded", "2028-06-01", False),
])
def test_revocation_deadlines(act: date, loaded: date | None, today: date, basis: str, deadline: str,
                              expired: bool) -> None:
    ms = _case(("enforcement_filed", "2023-04-01"))
    r = revocation(act, ms, loaded, today)
    assert (r["knowledge_basis"], r["deadline"], r["expired"]) == (basis, deadline, expired)
    assert r["five_year_deadline"] == act.replace(year=act.year + 5).isoformat()


def test_ids_are_stable_and_depend_on_rule_and_acts() -> None:
    w = World()
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    w.pay("p-wang", "p-sis", 60_000, "2023-05-01T10:00:00", pay_id="pay-x")
    first = [f.id for f in w.findings()]
    assert first == [f.id for f in w.findings()] and first == [finding_id("related_party_payment", ["pay-x"])]
    assert finding_id("cash_out", ["pay-x"]) != first[0]


def test_every_finding_reads_in_both_languages_and_keeps_its_factors() -> None:
    w = World()
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    w.pay("p-wang", "p-sis", 60_000, "2023-05-01T10:00:00")
    f = w.findings()[0]
    assert "王某" in f.explanation and "王妹" in f.explanation and "60,000" in f.explanation
    assert "debtor" in f.explanation_en and f.timing["zh"] == "执行通知送达后 26 天"
    assert round(0.6 + sum(x["weight"] for x in f.factors), 3) == f.score
    assert f.legal_basis[0].startswith("NPCSC") and f.legal_basis_zh and f.case_number == CASE_NUMBER


def test_arguments_are_checked() -> None:
    g = World().graph()
    with pytest.raises(InvalidInput, match="unknown rule 'nope'"):
        detect_graph(g, rules=["nope"])
    with pytest.raises(InvalidInput, match="min_score"):
        detect_graph(g, min_score=2)
    assert detect(g) == [] and DEFAULT_THRESHOLD == 0.5


def test_min_score_and_case_filters() -> None:
    w = World()
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    w.pay("p-wang", "p-sis", 60_000, "2023-05-01T10:00:00")
    g = w.graph()
    assert len(detect_graph(g, min_score=0.5)) == 1 and detect_graph(g, min_score=0.99) == []
    assert len(detect_graph(g, case="c-1")) == 1 and detect_graph(g, case="c-9") == []
