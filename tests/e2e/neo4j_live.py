"""Helpers for the tests that run against a live Neo4j (the ``neo4j_server`` fixture)."""
from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Iterator

#: Every kind of write a query can hold: the guard refuses each, and so does Neo4j's READ access mode.
ALL_WRITE_FORMS: tuple[str, ...] = (
    "CREATE (n:Entity {id: $id})",
    "MERGE (n:Entity {id: $id}) RETURN n",
    "MATCH (n:Entity) SET n.caption = 'x'",
    "MATCH (n:Entity) SET n:Person",
    "MATCH (n:Entity) REMOVE n.caption",
    "MATCH (n:Entity) DELETE n",
    "MATCH (n:Entity) DETACH DELETE n",
    "MATCH (a:Entity), (b:Entity) WHERE a.id < b.id CREATE (a)-[:FAMILY]->(b)",
    "MATCH ()-[r]->() DELETE r",
    "UNWIND $rows AS row CREATE (r:Record) SET r = row",
    "MATCH (n:Entity) FOREACH (x IN [1] | SET n.kind = 'x')",
    "MATCH (n:Entity) WITH n LIMIT 1 CALL { WITH n SET n.kind = 'y' } RETURN 1 AS one",
    "CREATE INDEX probe_idx IF NOT EXISTS FOR (n:Entity) ON (n.caption)",
    "DROP CONSTRAINT entity_id IF EXISTS",
    "CALL db.createLabel('Probe')",
)


@contextmanager
def live_store(settings: dict[str, str], **kwargs: Any) -> Iterator[Any]:
    """A Neo4jStore on the server of ``settings`` (NEO4J_URI...), with its own driver."""
    import neo4j

    from debtorgraph.graph.store.neo4j import Neo4jStore

    driver = neo4j.GraphDatabase.driver(settings["NEO4J_URI"],
                                        auth=(settings["NEO4J_USER"], settings["NEO4J_PASSWORD"]))
    try:
        yield Neo4jStore(driver, settings["NEO4J_DATABASE"], **kwargs)
    finally:
        driver.close()


def wipe(store: Any) -> None:
    """Empty the store's database: every node and relationship (the schema stays)."""
    with store.driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def canon(rows: list[Any]) -> list[str]:
    """Rows as sorted JSON texts: equal when the rows are equal in any order."""
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str) for r in rows)


def state(store: Any) -> dict[str, Any]:
    """Check a Neo4j store is consistent, and summarise what it holds.

    Consistent: every Record's canonical node exists and every node is some Record's
    canonical; every edge Record has its relationship and every edge relationship its
    Record; nothing carries a load id that has no Records; no load is marked in progress.
    """
    from collections import Counter

    from debtorgraph.graph.model import schema_spec

    records = store.run_read("MATCH (r:Record) RETURN r.id AS id, r.schema AS schema, r.canonical AS canonical, "
                             "r.load_id AS load_id").rows
    entities = store.run_read("MATCH (n:Entity) RETURN n.id AS id, n.schema AS schema, n.load_id AS load_id").rows
    rels = store.run_read("MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS t, r.id AS id, "
                          "r.load_id AS load_id").rows
    pending = store.run_read("MATCH (m:PendingLoad) RETURN m.load_id AS load_id").rows
    is_edge = {s: bool(schema_spec(s) and schema_spec(s).edge) for s in {r[1] for r in records}}
    canonical = {r[2] for r in records if not is_edge[r[1]]}
    entity_ids = {e[0] for e in entities}
    assert canonical == entity_ids, (len(canonical - entity_ids), len(entity_ids - canonical))
    assert len(entities) == len(entity_ids)
    edge_ids = {r[0] for r in records if is_edge[r[1]]}
    rel_ids = {r[1] for r in rels if r[1] is not None}
    assert rel_ids == edge_ids, (len(rel_ids - edge_ids), len(edge_ids - rel_ids))
    loads = Counter(r[3] for r in records)
    stray = ({e[2] for e in entities} | {r[2] for r in rels}) - set(loads)
    assert not stray, f"rows of a load without records: {stray}"
    return {"records": len(records), "entities": Counter(e[1] for e in entities),
            "rels": Counter(r[0] for r in rels), "loads": sorted(loads.values()), "pending": len(pending)}


#: What an empty store holds.
EMPTY: dict[str, Any] = {"records": 0, "entities": {}, "rels": {}, "loads": [], "pending": 0}
