"""Edge entities during a load: buffered in columns, spilled to Parquet, finished in Arrow.

Payments are most of what a court loads, so they never live in Python lists for long:
every ``chunk_rows`` they go to a Parquet file; at commit (:mod:`.edge_checks`) each file
is checked (references, what the store already holds) and copied as it was spilled, or
rewritten first (merged parties, repeated ids) in the column order of the store's
relationship tables.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .edge_checks import COPY_GROUP_ROWS, EDGE_SCHEMA, RECORD_SCHEMA, SPILL_SCHEMA, EdgeChecks, stored_records
from .model import schema_spec
from .schema import dumps_props, edge_tuple, entity_props, rel_type

log = logging.getLogger(__name__)

#: Spill columns with few distinct values: the only ones worth Parquet's dictionary (writing
#: a spill file without it elsewhere takes half the CPU; ids, dates and properties are
#: nearly all distinct).
_FEW_VALUES = ["from", "to", "schema", "currency", "role", "src_account", "dst_account", "load_id"]


class EdgeSpill(EdgeChecks):
    """Edge entities of one load, by relationship type."""

    def __init__(self, folder: Path, chunk_rows: int, load_id: str) -> None:
        self.folder = folder
        self.chunk_rows = chunk_rows
        self.load_id = load_id
        self.extra: dict[str, dict[str, Any]] = {}  # repeated edge ids: their later values
        self._drop: pa.Array = pa.array([], pa.int64())  # occurrences folded into an earlier one
        self._ids: pa.Array | None = None            # every edge id of the load (after flush)
        self._refs: dict[str, pa.Array] = {}          # spilled file -> the ids it references
        self._rows: dict[str, list[tuple[Any, ...]]] = {}  # schema -> rows not yet spilled
        self._files: dict[str, list[str]] = {}
        self._n = 0

    def edge_ids(self) -> pa.Array:
        """Every edge id of this load (read back from the spilled files, once)."""
        if self._ids is None:
            self.flush()
            arrays = [pq.read_table(p, columns=["id"])["id"].combine_chunks()
                      for files in self._files.values() for p in files]
            self._ids = pc.unique(pa.concat_arrays(arrays)) if arrays else pa.array([], pa.string())
        return self._ids

    def has_many(self, ids: Any) -> set[str]:
        """The ids among ``ids`` that are edges of this load."""
        ids = list(ids)
        if not ids or not self._files:
            return set()
        arr = pa.array(ids, pa.string())
        return set(arr.filter(pc.is_in(arr, value_set=self.edge_ids())).to_pylist())

    def release(self) -> None:
        """Drop what only the plan needed (10M edge ids are ~300 MB) before the store copies."""
        self._ids = None
        self._refs = {}
        self._drop = pa.array([], pa.int64())
        self.extra = {}

    def referenced_ids(self) -> set[str]:
        """Every id the edges of this load reference (their ends and other entity props)."""
        self.flush()
        if not self._refs:
            return set()
        return set(pc.unique(pa.concat_arrays(list(self._refs.values()))).to_pylist())

    def add(self, entity: dict[str, Any], origin: str) -> None:
        """Buffer an edge (repeated ids are found and folded at commit, in Arrow).

        The hot path of a load: one tuple per relationship row, turned into columns at
        :meth:`flush`."""
        schema = entity["schema"]
        spec = schema_spec(schema)
        assert spec is not None and spec.source and spec.target
        props = entity.get("properties", {})
        refs = [value for name in entity_props(schema) for value in props.get(name, ())]
        row = edge_tuple(entity["id"], schema, props, self.load_id)
        text = dumps_props(props)
        rows = self._rows.get(schema)
        if rows is None:
            rows = self._rows[schema] = []
        primary = True
        for src in props[spec.source]:
            for dst in props[spec.target]:
                rows.append((src, dst, *row, refs, text, origin, primary))
                primary = False
                self._n += 1
        if self._n >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows to spill files, one per relationship type."""
        for name, table in self._buffered().items():
            self.add_table(name, table)

    def _buffered(self) -> dict[str, pa.Table]:
        """The buffered rows as tables by relationship type; the buffer is emptied."""
        out = {}
        for schema, rows in self._rows.items():
            if rows:
                columns = [pa.array(col, type=field.type)
                           for col, field in zip(zip(*rows), SPILL_SCHEMA)]
                out[rel_type(schema)] = pa.Table.from_arrays(columns, schema=SPILL_SCHEMA)
        self._rows = {}
        self._n = 0
        return out

    def take_rows(self, with_line: bool = False) -> dict[str, list[pa.Table]]:
        """Take the buffered rows out (the columnar reader merges them with its own, in
        line order); ``with_line`` adds ``_line``, the line number from ``_origin``."""
        out: dict[str, list[pa.Table]] = {}
        for name, table in self._buffered().items():
            if with_line:
                lines = [int(o.rpartition(":")[2] or 0) for o in table["_origin"].to_pylist()]
                table = table.append_column("_line", pa.array(lines, pa.int64()))
            out[name] = [table]
        return out

    def add_table(self, name: str, table: pa.Table) -> None:
        """Spill rows (``SPILL_SCHEMA``) of relationship type ``name``, after those before."""
        if not table.num_rows:
            return
        path = self.folder / f"spill-{name}-{len(self._files.get(name, []))}.parquet"
        self._refs[str(path)] = pc.unique(pc.list_flatten(table["_refs"]))
        pq.write_table(table, path, compression="none", use_dictionary=_FEW_VALUES, write_statistics=False)
        self._files.setdefault(name, []).append(str(path))
        self._ids = None

    # -- commit -------------------------------------------------------------------------


__all__ = ["EdgeSpill", "SPILL_SCHEMA", "EDGE_SCHEMA", "RECORD_SCHEMA", "COPY_GROUP_ROWS", "stored_records"]
