"""Edge entities at commit: every spilled chunk checked in Arrow and handed to the store.

:class:`EdgeChecks` is the commit half of :class:`~debtorgraph.graph.edges.EdgeSpill`:
repeated edge ids are folded into their first occurrence, edges the store already holds
are taken out (or merged, or refused), edges whose references resolve nowhere are refused,
merged parties are rewritten at the ends, and what survives goes to the store's batch,
several files per COPY. A chunk none of this changes is copied as it was spilled.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..loaders.base import Origin, Reject
from .model import REASONS
from .report import LoadReport
from .schema import RECORD_COLUMNS, REL_COLUMNS, dumps_props, edge_values, merge_props
from .store.base import SpillFiles, Store, WriteBatch

_ARROW = {"STRING": pa.string(), "DOUBLE": pa.float64(), "INT64": pa.int64()}
_META = [("_refs", pa.list_(pa.string())), ("_props", pa.string()), ("_origin", pa.string()),
         ("_primary", pa.bool_())]
SPILL_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string())]
                         + [(n, _ARROW[t]) for n, t in REL_COLUMNS] + _META)
EDGE_SCHEMA = pa.schema([("from", pa.string()), ("to", pa.string())]
                        + [(n, _ARROW[t]) for n, t in REL_COLUMNS])
RECORD_SCHEMA = pa.schema([(n, _ARROW[t]) for n, t in RECORD_COLUMNS])
#: Spilled files are copied into the store in groups of up to this many rows per COPY.
#: Ladybug copies one list of files much faster than the same files one COPY each (1M
#: relationships: 7.3 s against 13.3 s in a bare ladybug test), while a group bounds the
#: memory of one COPY (2M-row groups took a 10M load to 8.1 GB).
COPY_GROUP_ROWS = 1_000_000
#: How a relationship table and the Record table are read from spill files (SpillFiles).
EDGE_COLUMNS = tuple((n, n) for n in EDGE_SCHEMA.names)
RECORD_FROM_SPILL = (("id", "id"), ("schema", "schema"), ("props", "_props"), ("canonical", "id"),
                     ("origin", "_origin"), ("load_id", "load_id"))


def _groups(files: list[tuple[str, int]]) -> list[list[str]]:
    """Files (path, rows) in groups of up to ``COPY_GROUP_ROWS`` rows (one COPY each)."""
    groups: list[list[str]] = []
    size = 0
    for path, rows in files:
        if groups and size + rows <= COPY_GROUP_ROWS:
            groups[-1].append(path)
            size += rows
        else:
            groups.append([path])
            size = rows
    return groups


class EdgeChecks:
    """The checks at commit (:meth:`finish`) of the edges an :class:`EdgeSpill` spilled."""

    load_id: str
    extra: dict[str, dict[str, Any]]
    _drop: pa.Array
    _refs: dict[str, pa.Array]
    _files: dict[str, list[str]]

    def finish(self, batch: WriteBatch, store: Store, known_nodes: set[str], alias: dict[str, str],
               report: LoadReport, reject: Callable[[Reject], None]) -> None:
        """Check every spilled chunk and add the surviving edges and records to ``batch``.

        A chunk that nothing changes (no repeated id, nothing the store holds, every
        reference known, no merged party among its ends; a fresh load of new Payments is all
        of them) is copied from its spill file as it is (:class:`SpillFiles`); the others
        are filtered and rewritten in Arrow first."""
        self._fold_duplicates(report, reject)
        known = pa.array(list(known_nodes), pa.string())  # edges end on nodes, never on edges
        alias_keys = pa.array(list(alias), pa.string())
        alias_vals = pa.array(list(alias.values()), pa.string())
        drop = np.asarray(self._drop, dtype=np.int64)
        extra = pa.array(list(self.extra), pa.string())
        check_store = store.count_records() > 0
        offset = 0
        rewritten: dict[str, list[tuple[str, int]]] = {}
        as_spilled: dict[str, list[tuple[str, int]]] = {}
        records: list[tuple[str, int]] = []
        spilled_records: list[tuple[str, int]] = []
        for name, files in self._files.items():
            for i, path in enumerate(files):
                head = pq.read_table(path, columns=["id", "schema", "_primary"])
                first = offset
                prim_ids = head["id"].filter(head["_primary"])
                offset += len(prim_ids)
                stored = (stored_records(store, pc.unique(prim_ids.combine_chunks())) if check_store
                          else _STORED.empty_table())
                refs = self._refs.get(path)  # None: not known, so checked row by row below
                if (refs is not None and np.searchsorted(drop, first) == np.searchsorted(drop, offset)
                        and not stored.num_rows
                        and not (len(extra) and pc.any(pc.is_in(prim_ids, value_set=extra)).as_py())
                        and pc.all(pc.is_in(refs, value_set=known)).as_py() in (True, None)
                        and not (len(alias_keys) and pc.any(pc.is_in(refs, value_set=alias_keys)).as_py())):
                    as_spilled.setdefault(name, []).append((path, head.num_rows))
                    spilled_records.append((path, len(prim_ids)))
                    _count_loaded(report, head.filter(head["_primary"])["schema"])
                    continue
                table = pq.read_table(path)
                occ = _occurrences(table, first)
                if len(drop):
                    table = table.filter(pc.invert(pc.is_in(occ, value_set=self._drop)))
                if stored.num_rows:
                    table = self._drop_stored(table, stored, name, batch, report, reject)
                table = self._drop_dangling(table, known, report, reject)
                if self.extra:
                    table = self._apply_extra(table)
                if len(alias):
                    for col in ("from", "to"):
                        idx = pc.index_in(table[col], value_set=alias_keys)
                        new = pc.if_else(pc.is_valid(idx), pc.take(alias_vals, idx), table[col])
                        table = table.set_column(table.schema.get_field_index(col), col, new)
                if not table.num_rows:
                    continue
                edge_path = str(Path(path).with_name(f"edge-{name}-{i}.parquet"))
                pq.write_table(table.select(EDGE_SCHEMA.names).cast(EDGE_SCHEMA), edge_path, compression="none")
                rewritten.setdefault(name, []).append((edge_path, table.num_rows))
                prim = table.filter(table["_primary"])
                rec_path = str(Path(path).with_name(f"record-{name}-{i}.parquet"))
                pq.write_table(pa.table({
                    "id": prim["id"], "schema": prim["schema"], "props": prim["_props"],
                    "canonical": prim["id"], "origin": prim["_origin"],
                    "load_id": pa.array([self.load_id] * prim.num_rows, pa.string()),
                }, schema=RECORD_SCHEMA), rec_path, compression="none")
                records.append((rec_path, prim.num_rows))
                _count_loaded(report, prim["schema"])
        for name in dict.fromkeys([*rewritten, *as_spilled]):
            batch.edges[name] = [*_groups(rewritten.get(name, [])),
                                 *(SpillFiles(g, EDGE_COLUMNS) for g in _groups(as_spilled.get(name, [])))]
        batch.records.extend(_groups(records))
        batch.records.extend(SpillFiles(g, RECORD_FROM_SPILL, primary=True) for g in _groups(spilled_records))

    def _fold_duplicates(self, report: LoadReport, reject: Callable[[Reject], None]) -> None:
        """Find edge ids that occur more than once; fold later occurrences into the first."""
        ids, occs, offset = [], [], 0
        for files in self._files.values():
            for path in files:
                table = pq.read_table(path, columns=["id", "_primary"])
                occ = _occurrences(table, offset)
                prim = table["_primary"]
                offset += pc.sum(prim.cast(pa.int64())).as_py() or 0
                ids.append(table["id"].filter(prim).combine_chunks())
                occs.append(occ.filter(prim.combine_chunks()))
        if not ids:
            return
        counts = pa.table({"id": pa.concat_arrays(ids), "g": pa.concat_arrays(occs)}).group_by(
            "id").aggregate([("g", "min"), ("g", "count")])
        dups = counts.filter(pc.greater(counts["g_count"], 1))
        if not dups.num_rows:
            return
        first = dict(zip(dups["id"].to_pylist(), dups["g_min"].to_pylist()))
        dup_ids = pa.array(list(first), pa.string())
        first_schema: dict[str, str] = {}
        later: list[dict[str, Any]] = []
        offset = 0
        for files in self._files.values():
            for path in files:
                table = pq.read_table(path)
                occ = _occurrences(table, offset)
                offset += pc.sum(table["_primary"].cast(pa.int64())).as_py() or 0
                hit = pc.and_(pc.is_in(table["id"], value_set=dup_ids), table["_primary"])
                for row, g in zip(table.filter(hit).to_pylist(), occ.filter(hit).to_pylist()):
                    if g == first[row["id"]]:
                        first_schema[row["id"]] = row["schema"]
                    else:
                        later.append(dict(row, _g=g))
        drop = []
        for row in later:
            drop.append(row["_g"])
            file, _, line = row["_origin"].rpartition(":")
            if row["schema"] != first_schema[row["id"]]:
                reject(Reject(Origin(file, int(line) if line.isdigit() else None), "schema_conflict",
                              f"{row['_origin']}：id {row['id']} 已以其他 schema 出现，请统一 schema",
                              f"{row['_origin']}: id {row['id']} came earlier with another schema",
                              entity_id=row["id"]))
                continue
            self.extra[row["id"]] = merge_props(self.extra.get(row["id"], {}), orjson.loads(row["_props"]))
            report.merged += 1
            report.merged_by_reason["duplicate_in_load"] += 1
        self._drop = pa.array(sorted(drop), pa.int64())

    def _drop_stored(self, table: pa.Table, stored: pa.Table, name: str, batch: WriteBatch,
                     report: LoadReport, reject: Callable[[Reject], None]) -> pa.Table:
        """Take out the edges the store already holds (``stored``, :func:`stored_records`):
        unchanged ones in Arrow (a reload of 1M Payments is all of them), the others one by
        one (merged values, or refused)."""
        prim = table.filter(table["_primary"]).select(["id", "schema", "_props", "_origin"])
        joined = prim.join(stored, keys="id", join_type="inner")
        same = pc.and_(pc.equal(joined["schema"], joined["s_schema"]),
                       pc.equal(joined["_props"], joined["s_props"]))
        if self.extra:
            same = pc.and_(same, pc.invert(pc.is_in(joined["id"],
                                                    value_set=pa.array(list(self.extra), pa.string()))))
        unchanged = pc.sum(same.cast(pa.int64())).as_py() or 0
        report.merged += unchanged
        report.merged_by_reason["already_in_store"] += unchanged
        for row in joined.filter(pc.invert(same)).to_pylist():
            if row["s_schema"] != row["schema"]:  # the store has this id as another kind of entity
                file, _, line = row["_origin"].rpartition(":")
                reject(Reject(Origin(file, int(line) if line.isdigit() else None), "schema_conflict",
                              f"{row['_origin']}：id {row['id']} 在库中是 {row['s_schema']}，不能再作为 "
                              f"{row['schema']} 导入，请统一 schema",
                              f"{row['_origin']}: id {row['id']} is a {row['s_schema']} in the store, "
                              f"not a {row['schema']}", entity_id=row["id"]))
                continue
            props = orjson.loads(row["_props"])
            props = _merge(props, self.extra.pop(row["id"], {}))
            merged = merge_props(orjson.loads(row["s_props"]), props)
            text = dumps_props(merged)
            report.merged += 1
            if text == row["s_props"]:
                report.merged_by_reason["already_in_store"] += 1
                continue
            report.merged_by_reason["updated_in_store"] += 1
            batch.record_updates.append({"id": row["id"], "props": text, "canonical": row["s_canonical"]})
            entity = {"id": row["id"], "schema": row["schema"], "properties": merged}
            batch.edge_updates.setdefault(name, []).append(edge_values(entity, self.load_id))
        return table.filter(pc.invert(pc.is_in(table["id"], value_set=stored["id"])))

    def _drop_dangling(self, table: pa.Table, known: pa.Array, report: LoadReport,
                       reject: Callable[[Reject], None]) -> pa.Table:
        refs = table["_refs"].combine_chunks()
        flat = pc.list_flatten(refs)
        if not len(flat):
            return table
        missing = pc.invert(pc.is_in(flat, value_set=known))
        parents = pc.list_parent_indices(refs)
        bad_rows = pc.unique(pc.filter(parents, missing))
        if not len(bad_rows):
            return table
        bad = pc.is_in(pa.array(range(table.num_rows), pa.int32()), value_set=bad_rows.cast(pa.int32()))
        known_set = None
        for row in table.filter(bad).to_pylist():
            if not row["_primary"]:
                continue
            if known_set is None:
                known_set = set(known.to_pylist())
            ref = next((r for r in row["_refs"] if r not in known_set), "?")
            file, _, line = row["_origin"].rpartition(":")
            zh, en = REASONS["dangling_reference"]
            reject(Reject(Origin(file, int(line) if line.isdigit() else None), "dangling_reference",
                          f"{row['_origin']}：{row['schema']} {row['id']} 引用的 {ref} {zh}。"
                          "请一并导入被引用的实体",
                          f"{row['_origin']}: {row['schema']} {row['id']} references {ref}: {en}. "
                          "Load that entity too", entity_id=row["id"]))
        return table.filter(pc.invert(bad))

    def _apply_extra(self, table: pa.Table) -> pa.Table:
        hit = pc.is_in(table["id"], value_set=pa.array(list(self.extra), pa.string()))
        if not pc.any(hit).as_py():
            return table
        rows = table.to_pylist()
        for row in rows:
            more = self.extra.get(row["id"])
            if more is None:
                continue
            props = _merge(orjson.loads(row["_props"]), more)
            entity = {"id": row["id"], "schema": row["schema"], "properties": props}
            row.update(edge_values(entity, self.load_id))
            row["_props"] = dumps_props(props)
        return pa.Table.from_pylist(rows, schema=SPILL_SCHEMA)


_STORED = pa.schema([("id", pa.string()), ("s_schema", pa.string()), ("s_props", pa.string()),
                     ("s_canonical", pa.string())])


def stored_records(store: Store, ids: Any) -> pa.Table:
    """The Records the store holds among ``ids``: id, s_schema, s_props, s_canonical."""
    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    if not len(ids):
        return _STORED.empty_table()
    lookup = getattr(store, "lookup_records_arrow", None)
    if callable(lookup):
        return lookup(ids).rename_columns(_STORED.names).cast(_STORED)
    found = store.lookup_records(ids.to_pylist())
    return pa.Table.from_pylist([{"id": r.id, "s_schema": r.schema, "s_props": r.props,
                                  "s_canonical": r.canonical} for r in found.values()], schema=_STORED)


def _occurrences(table: pa.Table, offset: int) -> pa.Array:
    """Occurrence number of each row's entity: rows of one entity share it."""
    prim = table["_primary"].combine_chunks().cast(pa.int64())
    return pc.add(pc.subtract(pc.cumulative_sum(prim), 1), offset)


def _merge(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    return merge_props(a, b) if b else a


def _count_loaded(report: LoadReport, schemas: pa.ChunkedArray) -> None:
    """Count edge entities (one schema value each) as loaded."""
    report.loaded += len(schemas)
    for c in pc.value_counts(schemas.combine_chunks()):
        report.loaded_by_schema[c["values"].as_py()] += c["counts"].as_py()
