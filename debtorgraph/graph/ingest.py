"""Ingest: validated FtM entities from any loader into a store, atomically and idempotently.

One :class:`Ingest` per load. :meth:`Ingest.add` checks each item against the FtM model
(rejects go straight to the rejects file), keeps node entities in memory and spills edge
entities to Parquet in chunks, so ten million Payments load in bounded memory.
:meth:`Ingest.commit` then resolves references (against this load and the store),
merges parties with the same valid identifier, compares with what the store already
holds (same entity again: nothing changes), and hands one :class:`WriteBatch` to the
store, which applies all of it or nothing.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson
import pyarrow as pa

from ..loaders.base import Item, Origin, Reject
from .identity import identifier_issues, party_key
from .model import REASONS, check_entity, schema_spec
from .report import LoadReport
from .schema import (ENTITY_COLUMNS, RECORD_COLUMNS, REL_COLUMNS, dumps_props, edge_values,
                     merge_props, node_row, ref_type, references, rel_type)
from .edges import EdgeSpill
from .memory import paused_gc, release_unused
from .store.base import Store, WriteBatch
from .unchanged import FileLedger

log = logging.getLogger(__name__)

_ARROW = {"STRING": pa.string(), "DOUBLE": pa.float64(), "INT64": pa.int64()}


def arrow_schema(columns: list[tuple[str, str]], prefix: tuple[str, ...] = ()) -> pa.Schema:
    """Arrow schema for a column list (optionally after ``from``/``to`` string columns)."""
    return pa.schema([(p, pa.string()) for p in prefix] + [(n, _ARROW[t]) for n, t in columns])


SPILL_PREFIX = "debtorgraph-load-"


def remove_stale_spills(folder: str | Path | None = None) -> int:
    """Delete spill folders of loads whose process is gone (a load killed with SIGKILL).

    Folders are named ``debtorgraph-load-<pid>-<random>``; one whose pid no longer runs is
    left over. Returns how many were removed.
    """
    base = Path(folder or tempfile.gettempdir())
    removed = 0
    for path in base.glob(SPILL_PREFIX + "*"):
        pid = path.name[len(SPILL_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # another user's live process
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    if removed:
        log.info("removed %d spill folders of killed loads", removed)
    return removed


@dataclass
class LoadBatch(WriteBatch):
    """A load's batch, with the files to note as loaded (``LoadedFile``, ladybug only)."""

    files: list[dict[str, Any]] = field(default_factory=list)


class Ingest:
    """One load into ``store``. Use :meth:`add` for every loader's items, then :meth:`commit`."""

    def __init__(self, store: Store, rejects_path: str | Path | None = None, *,
                 spill_dir: str | Path | None = None, chunk_rows: int = 100_000,
                 progress: Callable[[int], None] | None = None,
                 part_of: tuple[Path, str] | None = None) -> None:
        self.store = store
        self._tmp: Any = None
        if part_of is None:
            self.load_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
            remove_stale_spills(spill_dir)
            self._tmp = tempfile.TemporaryDirectory(prefix=f"{SPILL_PREFIX}{os.getpid()}-", dir=spill_dir)
            folder = Path(self._tmp.name)
        else:  # reading one part of a file for another process's load (graph/parallel.py)
            folder, self.load_id = part_of
        self.report = LoadReport(self.load_id)
        self._t0 = time.perf_counter()
        self.chunk_rows = chunk_rows
        self.spill = EdgeSpill(folder, chunk_rows, self.load_id)
        self.nodes: dict[str, tuple[dict[str, Any], str]] = {}
        self.rejects_path = Path(rejects_path) if rejects_path else None
        self._rejects_fh: Any = None
        self._progress = progress
        self._edge_refs: set[str] = set()
        self.ledger = FileLedger()  # whole files read, noted with the load (graph/unchanged.py)

    # -- reading ------------------------------------------------------------------------
    def add(self, items: Iterable[Item], file_label: str | None = None) -> None:
        """Check and buffer every item of one loader.

        The cyclic garbage collector is paused meanwhile: a load makes millions of small
        containers and no cycles, and its scans cost a tenth of the load's time."""
        if file_label:
            self.report.files.append(file_label)
        with paused_gc():
            self._add(items)

    def _add(self, items: Iterable[Item]) -> None:
        report = self.report
        nodes = self.nodes
        spill = self.spill
        for item in items:
            if isinstance(item, Reject):
                report.entities_in += 1
                report.rows_in += 1
                self._reject(item)
                continue
            report.entities_in += 1
            if not item.derived:
                report.rows_in += 1
            if self._progress and report.entities_in % 50_000 == 0:
                self._progress(report.entities_in)
            entity = item.entity
            problems = check_entity(entity)
            if problems:
                first = problems[0]
                self._reject(Reject(item.origin, first.reason,
                                    "；".join(p.message_zh for p in problems),
                                    "; ".join(p.message_en for p in problems),
                                    raw=_raw(entity), column=first.prop,
                                    entity_id=_id_of(entity)))
                continue
            origin = item.origin.label()
            spec = schema_spec(entity["schema"])
            assert spec is not None
            if spec.edge:
                spill.add(entity, origin)
                continue
            ent_id = entity["id"]
            if ent_id in nodes:
                self._merge_node_duplicate(entity, item.origin)
                continue
            issues = identifier_issues(entity)
            if issues:
                report.invalid_identifier_count += len(issues)
                if len(report.invalid_identifiers) < 100:
                    report.invalid_identifiers.extend(f"{origin} {i}" for i in issues)
            nodes[ent_id] = (entity, origin)

    def _merge_node_duplicate(self, entity: dict[str, Any], origin: Origin) -> None:
        ent_id = entity["id"]
        prev = self.nodes.get(ent_id)
        if prev is None or not _compatible(prev[0]["schema"], entity["schema"]):
            self._reject(Reject(origin, "schema_conflict",
                                f"{origin.label()}：id {ent_id} 已以其他 schema 出现，请统一 schema",
                                f"{origin.label()}: id {ent_id} came earlier with another schema",
                                entity_id=ent_id))
            return
        merged = dict(prev[0])
        merged["properties"] = merge_props(prev[0].get("properties", {}), entity.get("properties", {}))
        self.nodes[ent_id] = (merged, prev[1])
        self._count_merge("duplicate_in_load")

    def _count_merge(self, reason: str, n: int = 1) -> None:
        self.report.merged += n
        self.report.merged_by_reason[reason] += n

    def _reject(self, reject: Reject) -> None:
        self.report.rejected += 1
        self.report.rejected_by_reason[reject.reason] += 1
        data = orjson.dumps(reject.as_dict()) + b"\n"
        self.ledger.note(reject.origin.file, reject.reason, data)
        self._write_rejects(data)

    def _write_rejects(self, data: bytes) -> None:
        if self.rejects_path is not None and data:
            if self._rejects_fh is None:
                self.rejects_path.parent.mkdir(parents=True, exist_ok=True)
                self._rejects_fh = open(self.rejects_path, "ab")
                self.report.rejects_path = str(self.rejects_path)
            self._rejects_fh.write(data)

    # -- committing ---------------------------------------------------------------------
    def commit(self) -> LoadReport:
        """Resolve, compare with the store and write everything atomically."""
        try:
            self.spill.flush()
            release_unused()  # what parsing left, before the plan reads the spills
            with paused_gc():  # the plan makes many small objects and no cycles, as reading does
                batch = self._plan()
            batch.files = self.ledger.rows(self.load_id)
            self.spill.release()
            release_unused()  # what the plan left, before the store copies
            if not batch.is_empty() or batch.files:
                self.store.write(batch)
            return self.report
        finally:
            self.report.seconds = time.perf_counter() - self._t0
            if self._rejects_fh is not None:
                self._rejects_fh.close()
            if self._tmp is not None:
                self._tmp.cleanup()

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


def _raw(entity: Any) -> str:
    """A refused entity as text for the rejects file, whatever it holds."""
    try:
        return orjson.dumps(entity).decode()
    except TypeError:  # nested deeper than orjson writes (255), or an int over 64 bits
        try:
            return repr(entity)[:2000]
        except RecursionError:
            return "(nested too deeply to show)"


def _id_of(entity: Any) -> str | None:
    ent_id = entity.get("id") if isinstance(entity, dict) else None
    return ent_id if isinstance(ent_id, str) else None


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


__all__ = ["Ingest", "merge_props", "arrow_schema", "rel_type", "edge_values", "REL_COLUMNS"]
