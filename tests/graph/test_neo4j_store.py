"""The Neo4j store, checked on the exact Cypher and parameters it sends (no server).

The driver is ``MagicMock(spec=neo4j.Driver)`` with a recording session (neo4j_standin),
whose calls are bound against the real driver's signatures.
"""
from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import neo4j
import pyarrow as pa
import pytest
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from neo4j.graph import Graph, Node, Path

from cypher_corpus import library_texts
from neo4j_standin import default_respond, sample_batch, standin_driver
from debtorgraph.errors import DebtorGraphError, InvalidSchema
from debtorgraph.graph.dialect import NEO4J, translate
from debtorgraph.graph.ingest import arrow_schema
from debtorgraph.graph.schema import ENTITY_COLUMNS, RECORD_COLUMNS, REL_COLUMNS
from debtorgraph.graph.store import neo4j_cypher as nc
from debtorgraph.graph.store.base import WriteBatch
from debtorgraph.graph.store.neo4j import Neo4jStore, to_plain

DB = "courtgraph"


@pytest.fixture
def recorded() -> tuple[Neo4jStore, MagicMock, Any]:
    driver, log = standin_driver()
    return Neo4jStore(driver, DB), driver, log


# -- construction ------------------------------------------------------------------------
def test_constructor_does_no_io() -> None:
    driver = MagicMock(spec=neo4j.Driver)
    Neo4jStore(driver, DB)
    assert driver.method_calls == []


def test_from_settings_makes_and_checks_the_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    from debtorgraph.config import reload_settings

    made = MagicMock(spec=neo4j.Driver)
    factory = MagicMock(return_value=made)
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", factory)
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:7687")
    monkeypatch.setenv("NEO4J_USER", "court")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    monkeypatch.setenv("NEO4J_DATABASE", DB)
    reload_settings()
    store = Neo4jStore.from_settings(read_only=True)
    factory.assert_called_once_with("bolt://127.0.0.1:7687", auth=("court", "s3cret"))
    made.verify_connectivity.assert_called_once_with()
    assert (store.database, store.read_only, store.driver) == (DB, True, made)
    store.close()
    made.close.assert_called_once_with()


def test_from_settings_names_the_unreachable_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    from debtorgraph.config import reload_settings

    made = MagicMock(spec=neo4j.Driver)
    made.verify_connectivity.side_effect = ServiceUnavailable("no route")
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", MagicMock(return_value=made))
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    reload_settings()
    with pytest.raises(DebtorGraphError, match="bolt://127.0.0.1:1"):
        Neo4jStore.from_settings()
    made.close.assert_called_once_with()


def test_open_store_picks_neo4j_when_the_uri_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from debtorgraph.config import reload_settings
    from debtorgraph.graph.store import open_store

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", MagicMock(return_value=MagicMock(spec=neo4j.Driver)))
    monkeypatch.setenv("NEO4J_URI", "neo4j://127.0.0.1:7687")
    reload_settings()
    assert open_store().dialect == "neo4j"


# -- schema ------------------------------------------------------------------------------
def test_init_schema_sends_idempotent_constraints_and_indexes(recorded: Any) -> None:
    store, driver, _ = recorded
    store.init_schema()
    sent = [c.args[0] for c in driver.execute_query.call_args_list]
    assert all(c.kwargs == {"database_": DB} for c in driver.execute_query.call_args_list)
    assert sent == list(nc.SCHEMA_STATEMENTS)
    assert "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:`Entity`) REQUIRE n.id IS UNIQUE" in sent
    assert "CREATE CONSTRAINT record_id IF NOT EXISTS FOR (r:`Record`) REQUIRE r.id IS UNIQUE" in sent
    for column in ("party_key", "account_number", "case_number", "title_number", "reg_number", "schema"):
        assert f"CREATE INDEX entity_{column} IF NOT EXISTS FOR (n:`Entity`) ON (n.{column})" in sent
    assert "CREATE INDEX payment_date IF NOT EXISTS FOR ()-[r:`PAYMENT`]-() ON (r.date)" in sent
    assert "CREATE INDEX payment_id IF NOT EXISTS FOR ()-[r:`PAYMENT`]-() ON (r.id)" in sent
    assert all("IF NOT EXISTS" in s for s in sent)


# -- reads -------------------------------------------------------------------------------
def test_run_read_translates_and_uses_a_read_transaction(recorded: Any) -> None:
    store, _, log = recorded
    store.run_read("MATCH (:Entity)-[r]->(:Entity) WHERE r.id IN $ids RETURN label(r) AS t",
                   {"ids": ["pay-1"]}, timeout_ms=2500)
    (sent,) = log.sent
    assert sent.cypher == "MATCH (:Entity)-[r]->(:Entity) WHERE r.id IN $ids RETURN type(r) AS t"
    assert sent.params == {"ids": ["pay-1"]}
    assert (sent.database, sent.access, sent.kind, sent.timeout) == (DB, neo4j.READ_ACCESS, "read", 2.5)


def _graph_values() -> tuple[Node, Any, Path]:
    graph = Graph()
    a = Node(graph, "4:x:1", 1, ["Entity", "Person", "LegalEntity", "Thing"], {"id": "p-wang", "amount": None})
    b = Node(graph, "4:x:2", 2, ["Entity", "Person", "LegalEntity", "Thing"], {"id": "p-li"})
    rel_cls = graph.relationship_type("PAYMENT")
    rel = rel_cls(graph, "5:x:9", 9, {"id": "pay-1", "amount": 50000.0})
    rel._start_node, rel._end_node = a, b
    return a, rel, Path(a, rel)


def test_run_read_converts_values_like_the_embedded_store() -> None:
    a, rel, path = _graph_values()
    # every column of the embedded table, None where Neo4j stored no property
    assert to_plain(a) == {"_ID": "4:x:1", "_LABEL": "Entity",
                           "_LABELS": ["Entity", "LegalEntity", "Person", "Thing"],
                           **{c: None for c, _ in ENTITY_COLUMNS}, "id": "p-wang"}
    assert to_plain(rel) == {"_ID": "5:x:9", "_LABEL": "PAYMENT", "_SRC": "4:x:1", "_DST": "4:x:2",
                             **{c: None for c, _ in REL_COLUMNS}, "id": "pay-1", "amount": 50000.0}
    plain_path = to_plain(path)
    assert [n["id"] for n in plain_path["_NODES"]] == ["p-wang", "p-li"]
    assert [r["_LABEL"] for r in plain_path["_RELS"]] == ["PAYMENT"]
    assert to_plain(neo4j.time.Date(2023, 6, 1)).isoformat() == "2023-06-01"
    assert to_plain({"xs": [neo4j.time.Date(2023, 6, 1)]}) == {"xs": [to_plain(neo4j.time.Date(2023, 6, 1))]}


def test_run_read_caps_rows_while_streaming() -> None:
    a, rel, path = _graph_values()
    rows = [{"n": a, "r": rel, "p": path, "i": i} for i in range(5)]
    driver, log = standin_driver(lambda cypher, params: rows)
    result = Neo4jStore(driver, DB).run_read("MATCH p = (n:Entity)-[r]->(:Entity) RETURN n, r, p, 1 AS i",
                                             max_rows=3)
    assert result.columns == ["n", "r", "p", "i"]
    assert len(result.rows) == 3 and result.truncated
    assert result.rows[0][0]["id"] == "p-wang" and result.rows[0][1]["_LABEL"] == "PAYMENT"
    assert log.sessions[-1] == {"database": DB, "default_access_mode": neo4j.READ_ACCESS, "fetch_size": 4}


def test_run_read_turns_a_timeout_into_a_clear_error() -> None:
    def respond(cypher: str, params: dict) -> list:
        raise Neo4jError._hydrate_neo4j(code="Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
                                        message="terminated")
    driver, _ = standin_driver(respond)
    with pytest.raises(DebtorGraphError, match="1500"):
        Neo4jStore(driver, DB).run_read("MATCH (n:Entity) RETURN n.id AS id", timeout_ms=1500)


def test_lookup_records_in_batches_of_20000(recorded: Any) -> None:
    driver, log = standin_driver(lambda c, p: [{"id": i, "schema": "Person", "props": "{}", "canonical": i}
                                               for i in p["ids"][:1]])
    store = Neo4jStore(driver, DB)
    ids = [f"p-{i}" for i in range(20_001)]
    found = store.lookup_records(ids)
    assert [s.cypher for s in log.sent] == [nc.LOOKUP_RECORDS] * 2
    assert nc.LOOKUP_RECORDS == ("UNWIND $ids AS i MATCH (r:`Record` {id: i}) "
                                 "RETURN r.id AS id, r.schema AS schema, r.props AS props, r.canonical AS canonical")
    assert [s.params["ids"] for s in log.sent] == [ids[:20_000], ids[20_000:]]
    assert set(found) == {"p-0", "p-20000"} and found["p-0"].canonical == "p-0"
    assert all(s.kind == "read" and s.database == DB for s in log.sent)


def test_lookup_party_keys_and_count_records(recorded: Any) -> None:
    driver, log = standin_driver(lambda c, p: [{"party_key": "ric:1", "id": "p-wang"}] if "keys" in p
                                 else default_respond(c, p))
    store = Neo4jStore(driver, DB)
    assert store.lookup_party_keys([]) == {} and log.sent == []
    assert store.lookup_party_keys(["ric:1", "ric:2"]) == {"ric:1": "p-wang"}
    assert (log.sent[0].cypher, log.sent[0].params) == (
        "UNWIND $keys AS k MATCH (n:`Entity` {party_key: k}) RETURN n.party_key AS party_key, n.id AS id",
        {"keys": ["ric:1", "ric:2"]})
    assert store.count_records() == 0
    assert log.sent[1].cypher == "MATCH (r:`Record`) RETURN count(r) AS n"


# -- writes ------------------------------------------------------------------------------
def test_small_load_is_one_transaction_with_exact_statements(recorded: Any, tmp_path: Any) -> None:
    store, driver, log = recorded
    store.write(sample_batch(tmp_path))
    assert len(driver.execute_query.call_args_list) == len(nc.SCHEMA_STATEMENTS)  # schema first, once
    (load_tx,) = {s.tx for s in log.sent}
    assert {s.kind for s in log.sent} == {"explicit"} and log.rollbacks == []
    assert log.commits[-1] == load_tx and [s.cypher for s in log.pending] == [nc.LIST_PENDING]  # recovery
    assert all(s.access == neo4j.WRITE_ACCESS and s.database == DB for s in log.sent)
    got = [(s.cypher, s.params) for s in log.sent]
    person = "UNWIND $rows AS row CREATE (n:`Entity`:`LegalEntity`:`Person`:`Thing`) SET n = row"
    assert got[2] == (person, {"rows": [
        {"id": "p-wang", "schema": "Person", "caption": "p-wang", "props": "{}",
         "party_key": "ric:513338198001011234", "load_id": "L1"},
        {"id": "p-li", "schema": "Person", "caption": "p-li", "props": "{}", "load_id": "L1"}]})
    assert got[0][0] == "UNWIND $rows AS row CREATE (n:`Entity`:`Asset`:`BankAccount`:`Thing`:`Value`) SET n = row"
    assert got[3][0] == got[4][0] == "UNWIND $rows AS row CREATE (r:`Record`) SET r = row"
    assert [r["id"] for r in got[3][1]["rows"]] == ["p-wang", "p-li", "acct-1", "ev-1"]
    assert got[4][1] == {"rows": [{"id": "pay-1", "schema": "Payment", "props": "{}", "canonical": "pay-1",
                                   "origin": "a.jsonl:5", "load_id": "L1"}]}  # read back from Parquet
    assert got[6] == (
        "UNWIND $rows AS row MATCH (a:`Entity` {id: row.from}) MATCH (b:`Entity` {id: row.to}) "
        "CREATE (a)-[r:`PAYMENT`]->(b) SET r = row.props RETURN count(r) AS n",
        {"rows": [{"from": "p-wang", "to": "p-li", "props": {
            "id": "pay-1", "schema": "Payment", "date": "2023-06-02", "amount": 50000.0,
            "src_account": "acct-1", "seq": 3, "load_id": "L1"}}]})
    assert got[5][0].endswith("CREATE (a)-[r:`OWNERSHIP`]->(b) SET r = row.props RETURN count(r) AS n")
    assert got[7] == (
        "UNWIND $rows AS row MATCH (a:`Entity` {id: row.from}) MATCH (b:`Entity` {id: row.to}) "
        "CREATE (a)-[r:`INVOLVED`]->(b) SET r.load_id = row.load_id RETURN count(r) AS n",
        {"rows": [{"from": "ev-1", "to": "p-wang", "load_id": "L1"}]})
    assert got[8][0] == ("UNWIND $rows AS row MERGE (n:`Entity` {id: row.id}) "
                         "SET n = row, n:`LegalEntity`:`Person`:`Thing`")
    assert got[8][1]["rows"][0]["caption"] == "赵某" and got[8][1]["rows"][0]["party_key"] is None  # full row
    assert got[9] == ("UNWIND $rows AS row MATCH (r:`Record` {id: row.id}) "
                      "SET r.props = row.props, r.canonical = row.canonical",
                      {"rows": [{"id": "p-zhao", "props": '{"name": ["赵某"]}', "canonical": "p-zhao"}]})
    assert got[10][0] == ("UNWIND $rows AS row MATCH (:`Entity`)-[r:`PAYMENT` {id: row.id}]->(:`Entity`) "
                          "SET r = row")
    assert got[10][1]["rows"][0]["amount"] == 10.0
    assert len(got) == 11


def test_small_load_failure_rolls_back_everything() -> None:
    def respond(cypher: str, params: dict) -> list:
        if "`PAYMENT`]->(b)" in cypher:
            raise Neo4jError._hydrate_neo4j(code="Neo.ClientError.Schema.ConstraintValidationFailed", message="x")
        return default_respond(cypher, params)
    driver, log = standin_driver(respond)
    with pytest.raises(Neo4jError):
        Neo4jStore(driver, DB).write(sample_batch())
    assert log.commits == [log.pending[0].tx] and log.rollbacks == [log.sent[0].tx]  # the recovery read
    assert not any("DELETE" in s.cypher for s in log.sent)


def test_large_load_batches_in_managed_transactions() -> None:
    driver, log = standin_driver()
    Neo4jStore(driver, DB, atomic_rows=5).write(sample_batch())
    kinds = [s.kind for s in log.sent]
    assert kinds == ["write"] * 8 + ["explicit"] * 3  # creates retried per batch; updates together
    creates = {s.tx for s in log.sent if s.kind == "write"}
    assert len(creates) == 8 and set(log.commits) >= creates
    # the marker: made before the first batch, renewed by each, deleted with the updates
    marked = [c for c in driver.execute_query.call_args_list if c.args[0] == nc.MARK_PENDING]
    assert len(marked) == 1 and marked[0].args[1]["load_id"] == "L1"
    beats = [s.tx for s in log.pending if s.cypher == nc.BEAT_PENDING]
    assert set(beats) == creates
    assert [(s.cypher, s.tx) for s in log.pending if s.cypher == nc.CLEAR_PENDING] == [(nc.CLEAR_PENDING,
                                                                                         log.sent[-1].tx)]
    assert all("MERGE" in s.cypher or "MATCH" in s.cypher for s in log.sent[8:])


def test_large_load_failure_deletes_what_the_load_wrote() -> None:
    def respond(cypher: str, params: dict) -> list:
        if "`PAYMENT`]->(b)" in cypher:
            raise ServiceUnavailable("connection lost")
        return default_respond(cypher, params)
    driver, log = standin_driver(respond)
    with pytest.raises(ServiceUnavailable):
        Neo4jStore(driver, DB, atomic_rows=5).write(sample_batch())
    undo = [(s.cypher, s.params, s.kind) for s in log.sent if "DELETE" in s.cypher]
    assert undo == [
        ("MATCH (:`Entity`)-[r:`INVOLVED`]->(:`Entity`) WHERE r.load_id = $load_id "
         "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS", {"load_id": "L1"}, "auto"),
        ("MATCH (:`Entity`)-[r:`OWNERSHIP`]->(:`Entity`) WHERE r.load_id = $load_id "
         "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS", {"load_id": "L1"}, "auto"),
        ("MATCH (:`Entity`)-[r:`PAYMENT`]->(:`Entity`) WHERE r.load_id = $load_id "
         "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS", {"load_id": "L1"}, "auto"),
        ("MATCH (n:`Entity` {load_id: $load_id}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
         {"load_id": "L1"}, "auto"),
        ("MATCH (r:`Record` {load_id: $load_id}) CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
         {"load_id": "L1"}, "auto"),
    ]
    assert not any(s.kind == "explicit" for s in log.sent)  # updates never started


def test_an_edge_with_a_missing_end_fails_the_load() -> None:
    driver, log = standin_driver(lambda c, p: [{"n": 0}] if "RETURN count(r) AS n" in c else [])
    with pytest.raises(DebtorGraphError, match="endpoint"):
        Neo4jStore(driver, DB).write(sample_batch())
    assert log.commits == [log.pending[0].tx]  # only the recovery read


def test_writes_go_in_batches_of_1000() -> None:
    rows = [{"id": f"r{i}", "schema": "Person", "props": "{}", "canonical": f"r{i}", "origin": "f:1",
             "load_id": "L2"} for i in range(2500)]
    batch = WriteBatch("L2", records=[pa.Table.from_pylist(rows, schema=arrow_schema(RECORD_COLUMNS))])
    driver, log = standin_driver()
    Neo4jStore(driver, DB).write(batch)
    assert [len(s.params["rows"]) for s in log.sent] == [1000, 1000, 500]
    assert {s.cypher for s in log.sent} == {nc.CREATE_RECORDS}


def test_read_only_store_refuses_to_write() -> None:
    driver, log = standin_driver()
    with pytest.raises(DebtorGraphError, match="read-only"):
        Neo4jStore(driver, DB, read_only=True).write(sample_batch())
    assert log.sessions == [] and driver.execute_query.call_count == 0


@pytest.mark.parametrize("name", [
    "Person`) DETACH DELETE n //",  # user text trying to break out of the backticks
    "NotASchema",                   # a well-formed name that the FtM model does not have
    "person",                       # case matters: labels are the schema names exactly
])
def test_labels_come_only_from_the_model(name: str) -> None:
    with pytest.raises(InvalidSchema):
        nc.quote_name(name, nc.ALLOWED_LABELS)
    with pytest.raises(InvalidSchema):
        nc.create_edges_cypher(name)


def test_ingest_of_ftm_entities_through_the_neo4j_store(tmp_path: Any) -> None:
    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.loaders.base import Origin, Row

    entities = [
        {"id": "p-wang", "schema": "Person", "properties": {"name": ["王某"]}},
        {"id": "p-li", "schema": "Person", "properties": {"name": ["李某"]}},
        {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p-wang"], "beneficiary": ["p-li"],
                                                             "amount": ["48000"], "date": ["2023-06-02"]}},
    ]
    driver, log = standin_driver()
    ingest = Ingest(Neo4jStore(driver, DB), spill_dir=tmp_path)
    ingest.add(Row(e, Origin("a.jsonl", i + 1)) for i, e in enumerate(entities))
    report = ingest.commit()
    assert report.loaded == 3
    writes = [s for s in log.sent if s.kind == "explicit"]
    assert [s.cypher.split(" SET ")[0] for s in writes] == [
        "UNWIND $rows AS row CREATE (n:`Entity`:`LegalEntity`:`Person`:`Thing`)",
        "UNWIND $rows AS row CREATE (r:`Record`)",
        "UNWIND $rows AS row CREATE (r:`Record`)",
        "UNWIND $rows AS row MATCH (a:`Entity` {id: row.from}) MATCH (b:`Entity` {id: row.to}) "
        "CREATE (a)-[r:`PAYMENT`]->(b)",
    ]
    assert writes[-1].params["rows"][0]["props"]["amount"] == 48000.0


# -- every query of the product, as the Neo4j store sends it --------------------------------
LIBRARY = library_texts()


@pytest.mark.parametrize("text", LIBRARY, ids=[t.name for t in LIBRARY])
def test_library_query_goes_to_neo4j_translated(text: Any) -> None:
    driver, log = standin_driver()
    params = {"p": 1}
    Neo4jStore(driver, DB).run_read(text.cypher, params, timeout_ms=1000, max_rows=10)
    (sent,) = log.sent or log.pending  # PendingLoad statements are logged apart
    expected = translate(text.cypher, NEO4J)
    assert sent.cypher == expected and translate(expected, NEO4J) == expected  # idempotent
    assert (sent.params, sent.database, sent.access, sent.kind) == (params, DB, neo4j.READ_ACCESS, "read")
    for ladybug_only in ("label(", "list_contains(", "rels(", "to_double(", "list_extract(", "current_date("):
        assert ladybug_only not in expected.replace("labels(", ""), ladybug_only
