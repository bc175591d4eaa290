"""Consistency checks of an embedded store, shared by the crash and fuzz tests, and
:class:`MemoryStore`, the store calls of a load kept in memory and checked batch by batch."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from followthemoney import model

from debtorgraph.graph.model import schema_spec
from debtorgraph.graph.schema import rel_type
from debtorgraph.graph.store.base import StoredRecord, WriteBatch, iter_batches
from debtorgraph.graph.store.embedded import EmbeddedStore

# Records. Params: none. Columns: id, schema, canonical, load_id.
ALL_RECORDS = "MATCH (r:Record) RETURN r.id, r.schema, r.canonical, r.load_id"
# Entities. Params: none. Columns: id, schema, load_id.
ALL_ENTITIES = "MATCH (n:Entity) RETURN n.id, n.schema, n.load_id"
# Relationships of one edge table (the name comes from show_tables). Columns: id, load_id.
EDGE_RELS = "MATCH (:Entity)-[r:{name}]->(:Entity) RETURN r.id, r.load_id"
# Relationships of one reference table (INVOLVED, PROOF...). Columns: id (null), load_id.
REF_RELS = "MATCH (:Entity)-[r:{name}]->(:Entity) RETURN NULL, r.load_id"
# Relationship tables. Params: none. Columns: name.
REL_TABLES = "CALL show_tables() WHERE type = 'REL' RETURN name"
#: Relationship tables that hold edge entities (the others hold references).
EDGE_TYPES = frozenset(rel_type(n) for n in model.schemata
                       if (spec := schema_spec(n)) is not None and spec.edge)
#: What an empty store (or none) holds.
EMPTY: dict[str, Any] = {"records": 0, "entities": Counter(), "rels": Counter(), "loads": []}


def state(db: Path, *, whole_loads: bool = True) -> dict[str, Any]:
    """Open the store read-only, check it is consistent, and summarise what it holds.

    ``whole_loads``: also check that no node or relationship carries a load id without
    Records (true when no load updated what an earlier one wrote).
    """
    if not db.exists():
        return EMPTY
    store = EmbeddedStore(db, read_only=True)
    try:
        records = store.run_read(ALL_RECORDS).rows
        entities = store.run_read(ALL_ENTITIES).rows
        rels = []
        for (name,) in store.run_read(REL_TABLES).rows:
            query = (EDGE_RELS if name in EDGE_TYPES else REF_RELS).format(name=name)
            rels += [[name, *row] for row in store.run_read(query).rows]
    finally:
        store.close()
    is_edge = {s: bool(schema_spec(s) and schema_spec(s).edge) for s in {r[1] for r in records}}
    node_recs = [r for r in records if not is_edge[r[1]]]
    edge_ids = {r[0] for r in records if is_edge[r[1]]}
    entity_ids = {e[0] for e in entities}
    canonical = {r[2] for r in node_recs}
    # every Record's canonical node exists, and every node is some Record's canonical
    assert canonical == entity_ids, (len(canonical - entity_ids), len(entity_ids - canonical))
    assert len(entities) == len(canonical)
    # every edge relationship has its Record, and every edge Record its relationship
    rel_ids = {r[1] for r in rels if r[1] is not None}
    assert rel_ids == edge_ids, (len(rel_ids - edge_ids), len(edge_ids - rel_ids))
    payments = [r for r in rels if r[0] == "PAYMENT"]
    assert all(p[1] in edge_ids for p in payments)
    # nothing carries a load id that has no Records (no partial load)
    loads = Counter(r[3] for r in records)
    stray = ({e[2] for e in entities} | {r[2] for r in rels}) - set(loads)
    assert not (whole_loads and stray), f"rows of a load without records: {stray}"
    return {"records": len(records), "entities": Counter(e[1] for e in entities),
            "rels": Counter(r[0] for r in rels), "loads": sorted(loads.values())}


class MemoryStore:
    """The store calls a load makes, kept in memory; checks every batch it is given."""

    dialect = "memory"

    def __init__(self) -> None:
        self.records: dict[str, StoredRecord] = {}
        self.keys: dict[str, str] = {}
        self.nodes: set[str] = set()

    def lookup_records(self, ids: list[str]) -> dict[str, StoredRecord]:
        return {i: self.records[i] for i in ids if i in self.records}

    def lookup_party_keys(self, keys: list[str]) -> dict[str, str]:
        return {k: self.keys[k] for k in keys if k in self.keys}

    def count_records(self) -> int:
        return len(self.records)

    def write(self, batch: WriteBatch) -> None:
        if batch.nodes is not None:
            for row in batch.nodes.to_pylist():
                assert row["id"] not in self.nodes, f"node {row['id']!r} created twice"
                self.nodes.add(row["id"])
                if row["party_key"]:
                    self.keys.setdefault(row["party_key"], row["id"])
        for row in batch.node_updates:
            assert row["id"] in self.nodes, f"update of a node that does not exist: {row['id']!r}"
        for source in batch.records:
            for rows in iter_batches(source):
                for r in rows:
                    assert r["id"] not in self.records, f"record {r['id']!r} written twice"
                    self.records[r["id"]] = StoredRecord(r["id"], r["schema"], r["props"], r["canonical"])
        for upd in batch.record_updates:
            old = self.records[upd["id"]]
            self.records[upd["id"]] = StoredRecord(old.id, old.schema, upd["props"], upd["canonical"])
        for sources in batch.edges.values():
            for source in sources:
                for rows in iter_batches(source):
                    for r in rows:
                        assert r["from"] in self.nodes and r["to"] in self.nodes, \
                            f"edge {r['id']!r} ends on a missing node"
        for table in batch.refs.values():
            for r in table.to_pylist():
                assert r["from"] in self.nodes and r["to"] in self.nodes, "reference to a missing node"

    def close(self) -> None:
        pass
