"""Every Cypher statement the Neo4j store sends, and the plan of a load as statements.

Labels and relationship types cannot be parameters, so they go into the text, but only
names from the FtM model (the allow-lists below), backtick-escaped; values are always
``$parameters``. Writes are ``UNWIND $rows`` batches of 1,000: ``CREATE`` for what the
ingest found new (nodes, records, edges, references), ``MERGE``/``SET`` for updates.
Relationship writes ``MATCH`` each end in its own clause, and return how many they made,
so a batch that lost an endpoint fails instead of writing fewer edges than it was given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.compute as pc
from followthemoney import model

from ...errors import InvalidSchema
from ..schema import (ENTITY_COLUMNS, NODE_LABEL, RECORD_LABEL, REL_COLUMNS, entity_props,
                      labels, ref_type, rel_type)
from .base import Source, WriteBatch, iter_batches

BATCH_SIZE = 1000

#: Node labels the store may write: Entity, Record and every FtM schema name.
ALLOWED_LABELS: frozenset[str] = frozenset({NODE_LABEL, RECORD_LABEL, *model.schemata})
#: Relationship types of edge schemata (PAYMENT, OWNERSHIP...).
EDGE_TYPES: tuple[str, ...] = tuple(sorted({rel_type(s.name) for s in model.schemata.values() if s.edge}))
#: Relationship types of entity-typed properties (INVOLVED, PROOF, ENTITY...).
REF_TYPES: tuple[str, ...] = tuple(sorted({ref_type(p) for s in model.schemata.values()
                                           for p in entity_props(s.name)}))
ALLOWED_REL_TYPES: frozenset[str] = frozenset(EDGE_TYPES) | frozenset(REF_TYPES)

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def quote_name(name: str, allowed: frozenset[str]) -> str:
    """Backtick-escape a label or type from the model's allow-list; refuse anything else.

    >>> quote_name("PAYMENT", ALLOWED_REL_TYPES)
    '`PAYMENT`'
    """
    if name not in allowed or not _NAME.match(name):
        raise InvalidSchema(f"标签或关系类型 {name!r} 不在 FtM 模型中，拒绝写入 Cypher / "
                            f"{name!r} is not a label or relationship type of the FtM model")
    return "`" + name.replace("`", "``") + "`"


ENTITY = quote_name(NODE_LABEL, ALLOWED_LABELS)
RECORD = quote_name(RECORD_LABEL, ALLOWED_LABELS)

# -- schema (init_schema): constraints and indexes, each idempotent -----------------------
_NODE_INDEXES = ("party_key", "account_number", "case_number", "title_number", "reg_number", "schema",
                 "load_id")
SCHEMA_STATEMENTS: tuple[str, ...] = (
    f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
    f"CREATE CONSTRAINT record_id IF NOT EXISTS FOR (r:{RECORD}) REQUIRE r.id IS UNIQUE",
    *(f"CREATE INDEX entity_{c} IF NOT EXISTS FOR (n:{ENTITY}) ON (n.{c})" for c in _NODE_INDEXES),
    f"CREATE INDEX record_load_id IF NOT EXISTS FOR (r:{RECORD}) ON (r.load_id)",
    "CREATE INDEX payment_date IF NOT EXISTS FOR ()-[r:`PAYMENT`]-() ON (r.date)",
    *(f"CREATE INDEX {t.lower()}_id IF NOT EXISTS FOR ()-[r:{quote_name(t, ALLOWED_REL_TYPES)}]-() ON (r.id)"
      for t in EDGE_TYPES),
)

# -- reads ----------------------------------------------------------------------------------
# Records among $ids. Columns: id, schema, props, canonical.
LOOKUP_RECORDS = (f"UNWIND $ids AS i MATCH (r:{RECORD} {{id: i}}) "
                  "RETURN r.id AS id, r.schema AS schema, r.props AS props, r.canonical AS canonical")
# Canonical node of each party key in $keys. Columns: party_key, id.
LOOKUP_PARTY_KEYS = (f"UNWIND $keys AS k MATCH (n:{ENTITY} {{party_key: k}}) "
                     "RETURN n.party_key AS party_key, n.id AS id")
# Number of Records. Columns: n.
COUNT_RECORDS = f"MATCH (r:{RECORD}) RETURN count(r) AS n"

# -- writes ---------------------------------------------------------------------------------
# New Records. $rows: RECORD_COLUMNS maps (nulls left out).
CREATE_RECORDS = f"UNWIND $rows AS row CREATE (r:{RECORD}) SET r = row"
# Changed Records. $rows: {id, props, canonical}.
UPDATE_RECORDS = (f"UNWIND $rows AS row MATCH (r:{RECORD} {{id: row.id}}) "
                  "SET r.props = row.props, r.canonical = row.canonical")


def _node_labels(schema: str) -> str:
    return ":".join(quote_name(label, ALLOWED_LABELS) for label in labels(schema))


def create_nodes_cypher(schema: str) -> str:
    """New nodes of one schema. $rows: ENTITY_COLUMNS maps (nulls left out)."""
    return f"UNWIND $rows AS row CREATE (n:{_node_labels(schema)}) SET n = row"


def merge_nodes_cypher(schema: str) -> str:
    """Nodes that exist already (merged properties). $rows: full ENTITY_COLUMNS maps."""
    extra = [quote_name(x, ALLOWED_LABELS) for x in labels(schema) if x != NODE_LABEL]
    more = (", n:" + ":".join(extra)) if extra else ""
    return f"UNWIND $rows AS row MERGE (n:{ENTITY} {{id: row.id}}) SET n = row{more}"


def create_edges_cypher(rel: str) -> str:
    """New edge relationships of one type. $rows: {from, to, props}. Columns: n (made)."""
    t = quote_name(rel, ALLOWED_REL_TYPES)
    return (f"UNWIND $rows AS row MATCH (a:{ENTITY} {{id: row.from}}) MATCH (b:{ENTITY} {{id: row.to}}) "
            f"CREATE (a)-[r:{t}]->(b) SET r = row.props RETURN count(r) AS n")


def create_refs_cypher(rel: str) -> str:
    """New reference relationships of one type. $rows: {from, to, load_id}. Columns: n."""
    t = quote_name(rel, ALLOWED_REL_TYPES)
    return (f"UNWIND $rows AS row MATCH (a:{ENTITY} {{id: row.from}}) MATCH (b:{ENTITY} {{id: row.to}}) "
            f"CREATE (a)-[r:{t}]->(b) SET r.load_id = row.load_id RETURN count(r) AS n")


def update_edges_cypher(rel: str) -> str:
    """Edge relationships whose entity changed (every copy with that id). $rows: REL_COLUMNS maps."""
    t = quote_name(rel, ALLOWED_REL_TYPES)
    return f"UNWIND $rows AS row MATCH (:{ENTITY})-[r:{t} {{id: row.id}}]->(:{ENTITY}) SET r = row"


# -- compensation: remove everything one load created (large loads, see Neo4jStore.write) ---
# Auto-commit only (CALL ... IN TRANSACTIONS); the variable scope clause needs Neo4j >= 5.23.
def delete_load_rels_cypher(rel: str) -> str:
    """Relationships of one type written by $load_id (auto-commit: CALL IN TRANSACTIONS)."""
    t = quote_name(rel, ALLOWED_REL_TYPES)
    return (f"MATCH (:{ENTITY})-[r:{t}]->(:{ENTITY}) WHERE r.load_id = $load_id "
            "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS")


DELETE_LOAD_NODES = (f"MATCH (n:{ENTITY} {{load_id: $load_id}}) "
                     "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
DELETE_LOAD_RECORDS = (f"MATCH (r:{RECORD} {{load_id: $load_id}}) "
                       "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS")


# -- loads in progress (batched loads only): a marker node while the batches are written ------
# A batched load is not one transaction: if its process dies, what it committed stays. The
# marker says so; Neo4jStore.recover() removes such loads (the next load or `init` runs it).
PENDING = "`PendingLoad`"
# Start of a batched load. $load_id, $rel_types, $host, $pid.
MARK_PENDING = (f"CREATE (:{PENDING} {{load_id: $load_id, rel_types: $rel_types, host: $host, pid: $pid, "
                "beat: datetime()})")
# The load is alive (every batch). $load_id.
BEAT_PENDING = f"MATCH (m:{PENDING} {{load_id: $load_id}}) SET m.beat = datetime()"
# The load is whole (in its last transaction) or removed. $load_id.
CLEAR_PENDING = f"MATCH (m:{PENDING} {{load_id: $load_id}}) DELETE m"
# Loads in progress. Columns: load_id, rel_types, host, pid, idle (seconds since the last beat).
LIST_PENDING = (f"MATCH (m:{PENDING}) RETURN m.load_id AS load_id, m.rel_types AS rel_types, m.host AS host, "
                "m.pid AS pid, duration.inSeconds(m.beat, datetime()).seconds AS idle")


@dataclass
class Step:
    """One statement of a load: its text, its rows, and whether it creates or updates."""

    cypher: str
    rows: list[dict[str, Any]]
    creates: bool
    expect: int | None = None  # relationships the statement must report making


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _node_steps(nodes: pa.Table, size: int) -> Iterator[Step]:
    for schema in sorted(pc.unique(nodes["schema"]).to_pylist()):
        part = nodes.filter(pc.equal(nodes["schema"], schema))
        for rows in iter_batches(part, size):
            yield Step(create_nodes_cypher(schema), [_compact(r) for r in rows], True)


def _edge_steps(rel: str, sources: list[Source], size: int) -> Iterator[Step]:
    cypher = create_edges_cypher(rel)
    for source in sources:
        for rows in iter_batches(source, size):
            out = [{"from": r["from"], "to": r["to"],
                    "props": _compact({c: r[c] for c, _ in REL_COLUMNS})} for r in rows]
            yield Step(cypher, out, True, expect=len(out))


def plan_write(batch: WriteBatch, size: int = BATCH_SIZE) -> Iterator[Step]:
    """The statements of a load, creates first (nodes, records, edges, references), then updates."""
    if batch.nodes is not None and batch.nodes.num_rows:
        yield from _node_steps(batch.nodes, size)
    for source in batch.records:
        for rows in iter_batches(source, size):
            yield Step(CREATE_RECORDS, [_compact(r) for r in rows], True)
    for rel in sorted(batch.edges):
        yield from _edge_steps(rel, batch.edges[rel], size)
    for rel in sorted(batch.refs):
        cypher = create_refs_cypher(rel)
        for rows in iter_batches(batch.refs[rel], size):
            yield Step(cypher, rows, True, expect=len(rows))
    by_schema: dict[str, list[dict[str, Any]]] = {}
    for row in batch.node_updates:
        by_schema.setdefault(row["schema"], []).append({c: row.get(c) for c, _ in ENTITY_COLUMNS})
    for schema in sorted(by_schema):
        for rows in _chunks(by_schema[schema], size):
            yield Step(merge_nodes_cypher(schema), rows, False)
    for rows in _chunks(batch.record_updates, size):
        yield Step(UPDATE_RECORDS, [{"id": r["id"], "props": r["props"], "canonical": r["canonical"]}
                                    for r in rows], False)
    for rel in sorted(batch.edge_updates):
        for rows in _chunks(batch.edge_updates[rel], size):
            yield Step(update_edges_cypher(rel), [{c: r.get(c) for c, _ in REL_COLUMNS} for r in rows], False)


def rel_types_of(batch: WriteBatch) -> list[str]:
    """Relationship types a load writes (what a compensating delete must look at)."""
    return sorted(set(batch.edges) | set(batch.refs))


__all__ = ["ALLOWED_LABELS", "ALLOWED_REL_TYPES", "EDGE_TYPES", "REF_TYPES", "SCHEMA_STATEMENTS",
           "LOOKUP_RECORDS", "LOOKUP_PARTY_KEYS", "COUNT_RECORDS", "CREATE_RECORDS", "UPDATE_RECORDS",
           "DELETE_LOAD_NODES", "DELETE_LOAD_RECORDS", "MARK_PENDING", "BEAT_PENDING", "CLEAR_PENDING",
           "LIST_PENDING", "Step", "plan_write", "quote_name",
           "create_nodes_cypher", "merge_nodes_cypher", "create_edges_cypher", "create_refs_cypher",
           "update_edges_cypher", "delete_load_rels_cypher", "rel_types_of"]
