"""Against a live Neo4j 5: load, query, detect and evidence give what the embedded store gives.

The server is the ``neo4j_server`` fixture (tests/conftest.py): NEO4J_URI when set, else a
Neo4j Community 5 started by ``tools/neo4j-local`` for the test session (in CI too). A
server given by NEO4J_URI must hold an empty database, or DEBTORGRAPH_E2E_WIPE=1 lets the
tests empty it: they delete everything in NEO4J_DATABASE. The server the tests start is
always emptied. Each xdist worker has its own server, so ``-n 2`` is safe.
"""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from conftest import NEO4J_ENV

DATABASE = NEO4J_ENV["NEO4J_DATABASE"]
WIPE = os.environ.get("DEBTORGRAPH_E2E_WIPE") == "1"

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

_VOLATILE = re.compile(r"(^_ID$|^_SRC$|^_DST$|load_id|generated|created|timestamp|digest|sha|^command$)", re.I)


def _stable(value: Any) -> Any:
    """Drop what differs between two loads of the same data (internal ids, load ids, times)."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if not _VOLATILE.search(str(k))}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _canon(rows: list[Any]) -> list[str]:
    return sorted(json.dumps(_stable(r), sort_keys=True, ensure_ascii=False, default=str) for r in rows)


def _wipe(driver: Any) -> None:
    with driver.session(database=DATABASE) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from debtorgraph.synthetic import generate

    out = tmp_path_factory.mktemp("caseload")
    generate(out, seed=11, debtors=24, payments=3000)
    return out


def _load(store: Any, path: Path) -> Any:
    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.loaders import read_any

    ingest = Ingest(store)
    items, _ = read_any(str(path), None)
    ingest.add(items, path.name)
    return ingest.commit()


@pytest.fixture(scope="module")
def driver(neo4j_server: dict[str, str]) -> Iterator[Any]:
    import neo4j

    global DATABASE
    DATABASE = neo4j_server["NEO4J_DATABASE"]
    drv = neo4j.GraphDatabase.driver(neo4j_server["NEO4J_URI"],
                                     auth=(neo4j_server["NEO4J_USER"], neo4j_server["NEO4J_PASSWORD"]))
    drv.verify_connectivity()
    records, _, _ = drv.execute_query("MATCH (n) RETURN count(n) AS n", database_=DATABASE)
    if records[0]["n"] and not WIPE and NEO4J_ENV["NEO4J_URI"]:
        drv.close()
        pytest.skip(f"database {DATABASE!r} of NEO4J_URI is not empty; set DEBTORGRAPH_E2E_WIPE=1 to let "
                    "the tests empty it")
    _wipe(drv)
    yield drv
    drv.close()


@pytest.fixture(scope="module")
def stores(driver: Any, data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """The same caseload loaded into a fresh embedded store and into Neo4j."""
    from debtorgraph.graph.store.embedded import EmbeddedStore
    from debtorgraph.graph.store.neo4j import Neo4jStore

    embedded = EmbeddedStore(tmp_path_factory.mktemp("graph") / "g")
    neo = Neo4jStore(driver, DATABASE)
    neo.init_schema()
    neo.init_schema()  # idempotent
    r1 = _load(embedded, data / "entities.ftm.jsonl")
    r2 = _load(neo, data / "entities.ftm.jsonl")
    assert (r1.loaded, r1.merged, r1.rejected) == (r2.loaded, r2.merged, r2.rejected)
    yield embedded, neo
    embedded.close()


def test_load_gives_the_same_graph(stores: tuple[Any, Any]) -> None:
    from debtorgraph.graph.export import export_ftm
    from debtorgraph.queries.stats import graph_stats

    embedded, neo = stores
    a, b = graph_stats(embedded), graph_stats(neo)
    assert (a["entities"], a["records"], a["nodes"], a["relationships"]) == \
        (b["entities"], b["records"], b["nodes"], b["relationships"])
    assert sorted(a["loads"].values()) == sorted(b["loads"].values())
    out_a, out_b = io.BytesIO(), io.BytesIO()
    export_ftm(embedded, out_a)
    export_ftm(neo, out_b)
    assert out_a.getvalue() == out_b.getvalue()  # every entity, as loaded, ids kept


def test_reload_changes_nothing(stores: tuple[Any, Any], data: Path) -> None:
    _, neo = stores
    before = neo.count_records()
    report = _load(neo, data / "entities.ftm.jsonl")
    assert report.loaded == 0 and neo.count_records() == before


def test_labels_and_types_are_the_models(stores: tuple[Any, Any]) -> None:
    _, neo = stores
    rows = neo.run_read("MATCH (n:Person) RETURN labels(n) AS l LIMIT 1").rows
    assert sorted(rows[0][0]) == ["Entity", "LegalEntity", "Person", "Thing"]
    types = {r[0] for r in neo.run_read("CALL db.relationshipTypes() YIELD relationshipType "
                                        "RETURN relationshipType").rows}
    assert {"PAYMENT", "OWNERSHIP", "COURT_CASE_PARTY"} <= types


def test_failed_large_load_leaves_no_trace(stores: tuple[Any, Any]) -> None:
    """Batched load (compensating delete): an edge to a missing node fails it; nothing stays."""
    import pyarrow as pa

    from debtorgraph.graph.ingest import arrow_schema
    from debtorgraph.graph.schema import ENTITY_COLUMNS, REL_COLUMNS
    from debtorgraph.graph.store.base import WriteBatch
    from debtorgraph.graph.store.neo4j import Neo4jStore
    from debtorgraph.errors import DebtorGraphError

    _, neo = stores
    before = neo.run_read("MATCH (n) RETURN count(n) AS n").rows[0][0]
    rels_before = neo.run_read("MATCH ()-[r]->() RETURN count(r) AS n").rows[0][0]
    nodes = [{**{c: None for c, _ in ENTITY_COLUMNS}, "id": f"x-{i}", "schema": "Person", "caption": "x",
              "props": "{}", "load_id": "e2e-fail"} for i in range(3000)]
    edge = {**{c: None for c, _ in REL_COLUMNS}, "from": "x-1", "to": "missing", "id": "pay-x",
            "schema": "Payment", "load_id": "e2e-fail"}
    batch = WriteBatch("e2e-fail", nodes=pa.Table.from_pylist(nodes, schema=arrow_schema(ENTITY_COLUMNS)),
                       edges={"PAYMENT": [pa.Table.from_pylist([edge], schema=arrow_schema(REL_COLUMNS,
                                                                                              ("from", "to")))]})
    for atomic_rows in (0, 100_000):  # batched with compensation; then one transaction
        with pytest.raises(DebtorGraphError, match="endpoint"):
            Neo4jStore(neo.driver, DATABASE, atomic_rows=atomic_rows).write(batch)
        assert neo.run_read("MATCH (n) RETURN count(n) AS n").rows[0][0] == before
        assert neo.run_read("MATCH ()-[r]->() RETURN count(r) AS n").rows[0][0] == rels_before


def test_timeout_and_row_cap(stores: tuple[Any, Any]) -> None:
    from debtorgraph.errors import DebtorGraphError

    _, neo = stores
    capped = neo.run_read("MATCH (n:Entity) RETURN n.id AS id", max_rows=5)
    assert len(capped.rows) == 5 and capped.truncated
    with pytest.raises(DebtorGraphError):
        neo.run_read("UNWIND range(1, 100000000) AS i WITH i WHERE i % 7 = 0 RETURN count(i) AS n",
                     timeout_ms=50)
