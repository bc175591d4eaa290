"""Store parity: one scenario, the same inputs, on the embedded store and on a live Neo4j 5.

The scenario runs the real CLI (in-process) against each store, in its own
DEBTORGRAPH_HOME: load a generated caseload (FtM) with court files (bank statements, WeChat
and Alipay bills, registries, 工商, household, marriage, case and measures lists) and a file
of look-alike people; load the same files again; ``stats``; ``detect`` over all debtors;
``trace`` under the four rules; ``evidence --format json``; ``candidates`` with a confirm
and a reject. Then every query of the Cypher library runs on both stores, and the read-only
guard and Neo4j's own read access mode refuse every write form. Outputs are compared after
dropping what differs by nature (load ids, times, internal ids, file paths).

The Neo4j server is the ``neo4j_server`` fixture (tests/conftest.py). The scenario is one test
(its steps are the ``_check_*`` functions), so xdist runs it once. The crash test and
the import of an export live in tests/graph/test_neo4j_live.py.
"""
from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from cypher_corpus import library_texts
from ftm_fixtures import write_ftm
from fixtures_loaders import writers as W
from e2e.neo4j_live import ALL_WRITE_FORMS, canon, live_store, wipe

pytestmark = pytest.mark.neo4j

RULES = ("libr", "fifo", "pro_rata", "greedy")
COURT_FILES = (W.icbc_xlsx, W.abc_csv, W.wechat_csv, W.wechat_sister_csv, W.alipay_csv, W.real_estate_xlsx,
               W.vehicle_csv, W.samr_xlsx, W.household_csv, W.marriage_xlsx, W.cases_xlsx, W.measures_csv)
LOOKALIKES = [  # same name and birth date; same phone: candidates, never merged by name alone
    {"id": "la-1", "schema": "Person", "properties": {"name": ["赵明远"], "birthDate": ["1970-02-03"]}},
    {"id": "la-2", "schema": "Person", "properties": {"name": ["赵明远"], "birthDate": ["1970-02-03"],
                                                      "country": ["cn"]}},
    {"id": "la-3", "schema": "Person", "properties": {"name": ["钱小红"], "phone": ["+8613800138000"]}},
    {"id": "la-4", "schema": "Person", "properties": {"name": ["钱晓红"], "phone": ["+8613800138000"]}},
]
_VOLATILE = re.compile(r"(load_id|^loads$|seconds|rejects_file|generated|created|timestamp|digest|sha|"
                       r"^command$|^_ID$|^_SRC$|^_DST$|^path$|^as_of$|^at$|^by$|^manifest$)", re.I)


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if not _VOLATILE.search(str(k))}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    if isinstance(value, float):
        return round(value, 2)
    return value


@contextmanager
def _env(values: dict[str, str | None]) -> Iterator[None]:
    from debtorgraph.config import reload_settings

    old = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reload_settings()
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reload_settings()


class Side:
    """One store of the scenario: how to run the CLI on it, and what it printed."""

    def __init__(self, name: str, env: dict[str, str | None], db: list[str]) -> None:
        self.name, self.env, self.db = name, env, db
        self.out: dict[str, Any] = {}

    def cli(self, *args: str, ok: bool = True) -> Any:
        from debtorgraph.cli import main

        with _env(self.env):
            result = CliRunner().invoke(main, [*self.db, *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (self.name, args, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.cli(*args).stdout)

    def jsonl(self, *args: str) -> list[Any]:
        return [json.loads(line) for line in self.cli(*args).stdout.splitlines() if line.strip()]


def _run(side: Side, files: list[str], work: Path, debtor: str, case: str, source: str) -> None:
    out = side.out
    if side.name == "neo4j":
        side.cli("init")
        side.cli("init")  # idempotent
    out["load"] = side.json("load", *files, "--json")
    out["stats_1"] = side.json("stats", "--json")
    out["reload"] = side.json("load", *files, "--json")
    out["stats"] = side.json("stats", "--json")
    out["detect"] = side.jsonl("detect", "--format", "jsonl")
    out["trace"] = {rule: side.json("trace", "--from", source, "--since", "2015-01-01", "--rule", rule)
                    for rule in RULES}
    evidence = work / f"evidence-{side.name}.json"
    side.cli("evidence", "--debtor", debtor, "--case", case, "--format", "json", "-o", str(evidence))
    out["evidence"] = json.loads(evidence.read_text(encoding="utf-8"))
    out["candidates"] = side.jsonl("candidates", "--format", "json")
    side.cli("candidates", "confirm", "la-1", "la-2", "--reason", "身份证照片一致")
    side.cli("candidates", "reject", "la-3", "la-4", "--reason", "出生地不同")
    out["decided"] = side.jsonl("candidates", "--all", "--format", "json")
    out["stats_after"] = side.json("stats", "--json")


def _scenario(neo4j_server: dict[str, str], work: Path) -> dict[str, Any]:
    from debtorgraph.synthetic import generate

    generate(work / "caseload", seed=7, debtors=12, payments=1500)
    court = work / "court"
    court.mkdir()
    files = [str(work / "caseload" / "entities.ftm.jsonl"), *(str(make(court)) for make in COURT_FILES),
             str(write_ftm(work / "lookalikes.jsonl", LOOKALIKES))]
    truth = [json.loads(line) for line in (work / "caseload" / "truth.jsonl").read_text().splitlines() if line]
    planted = next(t for t in truth if not t.get("honest"))
    layered = next(t for t in truth if t["rule"] in ("layered_transfer", "fan_out"))  # money to trace
    with live_store(neo4j_server) as neo:
        wipe(neo)
    embedded = Side("embedded", {"NEO4J_URI": None, "DEBTORGRAPH_HOME": str(work / "home-e")},
                    ["--db", str(work / "graph")])
    neo4j = Side("neo4j", {**neo4j_server, "DEBTORGRAPH_DB": None, "DEBTORGRAPH_HOME": str(work / "home-n")}, [])
    for side in (embedded, neo4j):
        _run(side, files, work, planted["subject"], planted["case"], layered["subject"])
    return {"embedded": embedded.out, "neo4j": neo4j.out, "work": work, "truth": truth, "planted": planted,
            "server": neo4j_server}


def _check_load_reports_match_and_reload_changes_nothing(scenario: dict[str, Any]) -> None:
    e, n = scenario["embedded"], scenario["neo4j"]
    assert _stable(e["load"]) == _stable(n["load"])
    assert e["load"]["loaded"] > 3000 and e["load"]["rejected"] > 0 and e["load"]["balanced"]
    assert _stable(e["reload"]) == _stable(n["reload"])
    assert n["reload"]["loaded"] == 0 and n["reload"]["merged"] == n["load"]["loaded"] + n["load"]["merged"]
    for side in (e, n):
        assert _stable(side["stats"]) == _stable(side["stats_1"])  # the second load changed nothing


def _check_stats_match(scenario: dict[str, Any]) -> None:
    e, n = scenario["embedded"], scenario["neo4j"]
    assert _stable(e["stats"]) == _stable(n["stats"])
    assert sorted(e["stats"]["loads"].values()) == sorted(n["stats"]["loads"].values())


def _check_detect_gives_the_same_findings(scenario: dict[str, Any]) -> None:
    e, n = scenario["embedded"]["detect"], scenario["neo4j"]["detect"]
    assert len(e) >= 3, "a caseload with planted schemes must give findings"
    key = {f["id"]: (f["score"], f["acts"], f["rule"], f["subject"]) for f in e}
    assert key == {f["id"]: (f["score"], f["acts"], f["rule"], f["subject"]) for f in n}
    assert canon(_stable(e)) == canon(_stable(n))


def _check_trace_gives_the_same_amounts(scenario: dict[str, Any], rule: str) -> None:
    e, n = scenario["embedded"]["trace"][rule], scenario["neo4j"]["trace"][rule]
    amounts = {p["id"]: round(p["amount"], 2) for p in e["endpoints"]}
    assert amounts and sum(amounts.values()) > 0
    assert amounts == {p["id"]: round(p["amount"], 2) for p in n["endpoints"]}
    assert canon(_stable(e)) == canon(_stable(n))


def _check_evidence_has_the_same_facts(scenario: dict[str, Any]) -> None:
    e, n = scenario["embedded"]["evidence"], scenario["neo4j"]["evidence"]
    facts = sum(len(v) for v in e["categories"].values() if isinstance(v, list))
    assert facts or e["categories"]
    assert _stable(e) == _stable(n)


def _check_candidates_confirm_and_reject_the_same_way(scenario: dict[str, Any]) -> None:
    e, n = scenario["embedded"], scenario["neo4j"]
    assert _stable(e["candidates"]) == _stable(n["candidates"])
    pairs = {tuple(sorted((c["a"], c["b"]))) for c in e["candidates"]}
    assert {("la-1", "la-2"), ("la-3", "la-4")} <= pairs
    assert _stable(e["decided"]) == _stable(n["decided"])
    assert _stable(e["stats_after"]) == _stable(n["stats_after"])


def _library_params(store: Any, scenario: dict[str, Any]) -> dict[str, Any]:
    truth, planted = scenario["truth"], scenario["planted"]
    ids = sorted({i for t in truth for i in [t["subject"], *t["counterparties"]]})
    accounts = [r[0] for r in store.run_read(
        "MATCH (o:Entity)-[:OWNERSHIP]->(a:Entity) WHERE o.id IN $ids AND a.schema = 'BankAccount' "
        "RETURN a.account_number AS n ORDER BY n", {"ids": ids}).rows]
    acct_ids = [r[0] for r in store.run_read(
        "MATCH (o:Entity)-[:OWNERSHIP]->(a:Entity) WHERE o.id IN $ids AND a.schema = 'BankAccount' "
        "RETURN a.id AS n ORDER BY n", {"ids": ids}).rows]
    subject, other = planted["subject"], (planted["counterparties"] or ids)[0]
    return {"id": subject, "ids": ids, "case": planted["case"], "case_id": planted["case"], "debtor": subject,
            "schema": "Person", "src": subject, "dst": other, "payer": subject, "beneficiary": other,
            "asset": other, "account": accounts[0], "accounts": accounts, "numbers": accounts, "after": "",
            "page": 100_000, "q": "王", "text": "王", "qn": "王", "raw": "王", "limit": 100_000,
            "assets": ids, "since": "2000-01-01", "until": "2100-01-01", "min": 0.0, "min_amount": 0.0,
            "names": ["锦江区人民法院"], "schemata": ["Family", "Ownership", "Payment", "Employment"],
            "pids": [], "to": acct_ids, "cases": [planted["case"]], "roles": ["respondent", "被执行人"]}


def _check_every_library_query_returns_the_same_rows(scenario: dict[str, Any]) -> None:
    from debtorgraph.graph.store.embedded import EmbeddedStore

    embedded = EmbeddedStore(scenario["work"] / "graph", read_only=True)
    ran, absent = 0, []
    try:
        with live_store(scenario["server"]) as neo:
            params = _library_params(embedded, scenario)
            assert params == _library_params(neo, scenario)
            for text in library_texts():
                if text.name.startswith("debtorgraph.graph.store."):
                    continue  # the stores' own statements: the load and its checks cover them
                names = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text.cypher))
                assert names <= set(params), (text.name, names - set(params))
                values = {k: params[k] for k in names}
                try:
                    a = embedded.run_read(text.cypher, values).records()
                except Exception as exc:  # ladybug: a relationship type this caseload lacks
                    assert "does not exist" in str(exc), (text.name, exc)
                    absent.append(text.name)
                    assert neo.run_read(text.cypher, values).rows == [], text.name
                    continue
                b = neo.run_read(text.cypher, values).records()
                assert canon(_stable(a)) == canon(_stable(b)), text.name
                ran += 1
    finally:
        embedded.close()
    assert ran >= 80 and len(absent) <= 4, (ran, absent)


def test_the_scenario_gives_the_same_results_on_both_stores(neo4j_server: dict[str, str],
                                                            tmp_path: Path) -> None:
    """One test, so the scenario runs once (xdist would split a module's tests over workers)."""
    scenario = _scenario(neo4j_server, tmp_path)
    _check_load_reports_match_and_reload_changes_nothing(scenario)
    _check_stats_match(scenario)
    _check_detect_gives_the_same_findings(scenario)
    for rule in RULES:
        _check_trace_gives_the_same_amounts(scenario, rule)
    _check_evidence_has_the_same_facts(scenario)
    _check_candidates_confirm_and_reject_the_same_way(scenario)
    _check_every_library_query_returns_the_same_rows(scenario)


@pytest.fixture(scope="module")
def small_graph(neo4j_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A few entities and a payment in Neo4j, so every write form has something to write to."""
    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.loaders import read_any

    path = write_ftm(tmp_path_factory.mktemp("small") / "small.jsonl", [
        *LOOKALIKES, {"id": "pay-1", "schema": "Payment", "properties": {
            "payer": ["la-1"], "beneficiary": ["la-3"], "amount": ["100"], "date": ["2023-01-02"]}}])
    with live_store(neo4j_server) as neo:
        wipe(neo)
        ingest = Ingest(neo)
        items, _ = read_any(str(path), None)
        ingest.add(items, path.name)
        ingest.commit()
    return neo4j_server


@pytest.mark.parametrize("cypher", ALL_WRITE_FORMS)
def test_writes_are_refused_by_the_guard_and_by_the_server(small_graph: dict[str, str], cypher: str) -> None:
    from debtorgraph.errors import DebtorGraphError
    from debtorgraph.queries.guard import check_read_only

    with pytest.raises(DebtorGraphError):
        check_read_only(cypher)  # the guard, before any store sees the text
    with live_store(small_graph) as neo:
        before = neo.run_read("MATCH (n) RETURN count(n) AS n").rows
        assert before[0][0] >= 5
        with pytest.raises(DebtorGraphError, match="Writing in read access mode not allowed"):
            neo.run_read(cypher, {"id": "x", "rows": [{"id": "x"}]})  # the server's READ access mode
        assert neo.run_read("MATCH (n) RETURN count(n) AS n").rows == before
