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
