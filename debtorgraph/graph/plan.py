"""The plan of a load: what the entities read by :class:`~debtorgraph.graph.ingest.Ingest`
become in the store.

At commit the nodes and spilled edges of a load are resolved (references against this
load and the store, a reference to a missing entity refused), parties with the same valid
identifier are merged into one node, what the store already holds is compared (the same
entity again changes nothing; new values are merged in), and the result is one
:class:`LoadBatch` for the store to write, all of it or nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import orjson
import pyarrow as pa

from ..loaders.base import Origin, Reject
from .edges import EdgeSpill
from .identity import party_key
from .model import REASONS, schema_spec
from .report import LoadReport
from .schema import (ENTITY_COLUMNS, RECORD_COLUMNS, dumps_props, merge_props, node_row, ref_type,
                     references)
from .store.base import Store, WriteBatch

_ARROW = {"STRING": pa.string(), "DOUBLE": pa.float64(), "INT64": pa.int64()}


def arrow_schema(columns: list[tuple[str, str]], prefix: tuple[str, ...] = ()) -> pa.Schema:
    """Arrow schema for a column list (optionally after ``from``/``to`` string columns)."""
    return pa.schema([(p, pa.string()) for p in prefix] + [(n, _ARROW[t]) for n, t in columns])


@dataclass
class LoadBatch(WriteBatch):
    """A load's batch, with the files to note as loaded (``LoadedFile``, ladybug only)."""

    files: list[dict[str, Any]] = field(default_factory=list)


class LoadPlan:
    """The plan steps of :class:`~debtorgraph.graph.ingest.Ingest` (which provides the state)."""

    store: Store
    load_id: str
    report: LoadReport
    spill: EdgeSpill
    nodes: dict[str, tuple[dict[str, Any], str]]
    _edge_refs: set[str]
    _reject: Callable[[Reject], None]

    def _count_merge(self, reason: str, n: int = 1) -> None:
        self.report.merged += n
        self.report.merged_by_reason[reason] += n

    def _plan(self) -> LoadBatch:
        report, nodes, store = self.report, self.nodes, self.store
        batch = LoadBatch(self.load_id)
        # 1. references of nodes: known in this load, else in the store.
        wanted = {ref for ent, _ in nodes.values() for _, ref in references(ent)}
        wanted |= self.spill.referenced_ids()
        self._reject_node_edge_clashes()
        stored = store.lookup_records(list(nodes))
        self._reject_store_clashes(stored)
        self._edge_refs = self.spill.has_many(i for i in wanted if i not in nodes)
        outside = [i for i in wanted if i not in nodes and i not in self._edge_refs]
        # a reference must end on a node: an edge (of this load or stored) is no target
        stored_refs = {k: v for k, v in store.lookup_records(outside).items() if not _is_edge(v.schema)}
        rejected_nodes = self._reject_dangling_nodes(stored_refs)
        # 2. parties with the same valid identifier become one node.
        alias = self._resolve_identities()
        for rid, rec in stored_refs.items():
            if rec.canonical != rid:
                alias[rid] = rec.canonical
        # 3. what the store holds already (``stored``, looked up above).
        new_nodes: list[dict[str, Any]] = []
        node_records: list[dict[str, Any]] = []
        canon_props: dict[str, dict[str, list[str]]] = {}
        for ent_id, (entity, origin) in nodes.items():
            canon = alias.get(ent_id, ent_id)
            props = entity.get("properties", {})
            old = stored.get(ent_id)
            if old is not None:
                old_props = orjson.loads(old.props)
                merged = merge_props(old_props, props)
                if dumps_props(merged) == old.props:
                    self._count_merge("already_in_store")
                    continue
                batch.record_updates.append({"id": ent_id, "props": dumps_props(merged),
                                             "canonical": old.canonical})
                self._count_merge("updated_in_store")
                canon = old.canonical
                _merge_into(canon_props, canon, merged)
                continue
            node_records.append({"id": ent_id, "schema": entity["schema"], "props": dumps_props(props),
                                 "canonical": canon, "origin": origin, "load_id": self.load_id})
            if canon != ent_id:
                self._count_merge("same_identifier")
            else:
                report.loaded += 1
                report.loaded_by_schema[entity["schema"]] += 1
            _merge_into(canon_props, canon, props)
        # canonical nodes: new ones are created, existing ones get the merged properties.
        existing_canon = store.lookup_records([c for c in canon_props if c not in nodes or c in stored])
        for canon, props in canon_props.items():
            schema = nodes[canon][0]["schema"] if canon in nodes else existing_canon[canon].schema
            row = node_row({"id": canon, "schema": schema, "properties": props}, self.load_id)
            if canon in existing_canon:
                old_props = orjson.loads(existing_canon[canon].props)
                row = node_row({"id": canon, "schema": schema,
                                "properties": merge_props(old_props, props)}, self.load_id)
                batch.node_updates.append(row)
            else:
                new_nodes.append(row)
        if new_nodes:
            batch.nodes = pa.Table.from_pylist(new_nodes, schema=arrow_schema(ENTITY_COLUMNS))
        if node_records:
            batch.records.append(pa.Table.from_pylist(node_records, schema=arrow_schema(RECORD_COLUMNS)))
        # 4. reference relationships of new node records.
        refs: dict[str, list[dict[str, str]]] = {}
        for row in node_records:
            entity = nodes[row["id"]][0]
            src = row["canonical"]
            for prop, ref in references(entity):
                refs.setdefault(ref_type(prop), []).append(
                    {"from": src, "to": alias.get(ref, ref), "load_id": self.load_id})
        ref_schema = pa.schema([("from", pa.string()), ("to", pa.string()), ("load_id", pa.string())])
        batch.refs = {k: pa.Table.from_pylist(v, schema=ref_schema) for k, v in refs.items()}
        # 5. edges, filtered and rewritten in Arrow.
        known_nodes = set(nodes) - rejected_nodes
        known_nodes.update(stored_refs)
        self.spill.finish(batch, store, known_nodes, alias, report, self._reject)
        return batch

    def _reject_node_edge_clashes(self) -> None:
        """An id used by a node and by an edge in one load: the node is refused."""
        for ent_id in self.spill.has_many(self.nodes):
            entity, origin = self.nodes.pop(ent_id)
            file, _, row = origin.rpartition(":")
            self._reject(Reject(Origin(file, int(row) if row.isdigit() else None), "schema_conflict",
                                f"{origin}：id {ent_id} 同时用于节点与关系，请统一 schema",
                                f"{origin}: id {ent_id} is used by a node and by an edge",
                                entity_id=ent_id))

    def _reject_store_clashes(self, stored: dict[str, Any]) -> None:
        """A node whose id the store holds as another kind of entity is refused."""
        for ent_id, rec in stored.items():
            entity, origin = self.nodes[ent_id]
            if not _is_edge(rec.schema) and _compatible(rec.schema, entity["schema"]):
                continue
            del self.nodes[ent_id]
            file, _, row = origin.rpartition(":")
            self._reject(Reject(Origin(file, int(row) if row.isdigit() else None), "schema_conflict",
                                f"{origin}：id {ent_id} 在库中是 {rec.schema}，不能再作为 "
                                f"{entity['schema']} 导入，请统一 schema",
                                f"{origin}: id {ent_id} is a {rec.schema} in the store, not a "
                                f"{entity['schema']}", entity_id=ent_id))

    def _reject_dangling_nodes(self, stored_refs: dict[str, Any]) -> set[str]:
        """Reject nodes whose references resolve nowhere, until no more fall."""
        nodes = self.nodes
        rejected: set[str] = set()
        changed = True
        while changed:
            changed = False
            for ent_id, (entity, origin) in list(nodes.items()):
                missing = [ref for _, ref in references(entity)
                           if (ref not in nodes and ref not in stored_refs) or ref in rejected]
                if missing:
                    rejected.add(ent_id)
                    del nodes[ent_id]
                    changed = True
                    file, _, row = origin.rpartition(":")
                    self._reject(_dangling(Origin(file, int(row) if row.isdigit() else None),
                                           ent_id, missing[0]))
        return rejected

    def _resolve_identities(self) -> dict[str, str]:
        """Map each party id to its canonical id (first one seen, or the store's)."""
        first: dict[str, str] = {}
        for ent_id, (entity, _) in self.nodes.items():
            key = party_key(entity)
            if key and key not in first:
                first[key] = ent_id
        if not first:
            return {}
        known = self.store.lookup_party_keys(list(first))
        alias: dict[str, str] = {}
        for ent_id, (entity, _) in self.nodes.items():
            key = party_key(entity)
            if key:
                canon = known.get(key, first[key])
                if canon != ent_id:
                    alias[ent_id] = canon
        return alias



def _merge_into(props_of: dict[str, dict[str, list[str]]], key: str, props: dict[str, list[str]]) -> None:
    """Merge ``props`` into ``props_of[key]`` (no copy for the first: merges never mutate)."""
    prev = props_of.get(key)
    props_of[key] = props if prev is None else merge_props(prev, props)


def _dangling(origin: Origin, ent_id: str, ref: str) -> Reject:
    zh, en = REASONS["dangling_reference"]
    return Reject(origin, "dangling_reference",
                  f"{origin.label()}：实体 {ent_id} 引用的 {ref} {zh}。请一并导入被引用的实体",
                  f"{origin.label()}: entity {ent_id} references {ref}: {en}. Load that entity too",
                  entity_id=ent_id)


def _is_edge(schema: str) -> bool:
    spec = schema_spec(schema)
    return spec is not None and spec.edge


def _compatible(a: str, b: str) -> bool:
    from followthemoney import model

    try:
        model.common_schema(a, b)
        return True
    except Exception:
        return False
