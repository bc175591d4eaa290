"""FtM JSON lines into a load, a block at a time in Arrow instead of a dict per entity.

Each block (about 16 MB, cut at a line end) is parsed by Arrow's JSON reader into one
table (``id``, ``schema``, ``properties`` as a struct of string lists). Vectorised
checks (:mod:`.checks`) pick the edge entities that are surely valid: a known edge
schema, a trimmed id, only properties of that schema, dates, numbers and other typed
values that pass, one source and one target, and a line with no ``null``, backslash or
control character (so Arrow and orjson read the same values). Those become spill rows
in Arrow (:mod:`.mapping`) with no Python object per entity.

Every other line (nodes, which are few, and anything a check does not pass) goes through
the row-wise path, :func:`~debtorgraph.loaders.ftm.line_item` then ``Ingest._add``, which
accepts, merges or rejects it exactly as a load without this reader does. A block Arrow
cannot parse (a broken line, a value of another type) is read row-wise whole. Rows keep
their file order in the spill, so repeated ids merge in the same order.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
from followthemoney import model

from ...loaders.ftm import MAX_LINE_BYTES, line_item, read_ftm
from ..memory import paused_gc
from ..model import _kinds, schema_spec
from ..schema import is_edge, rel_type
from .checks import all_true, field_ok
from .mapping import spill_table

#: 16 MB: on bench/load.py's 1M Payments the read step (two processes) peaks at 0.93 GB
#: against 1.11 GB with 32 MB blocks, for the same CPU time.
BLOCK_BYTES = 16 << 20
#: Arrow would read date-like strings as timestamps: the date properties of edge schemata
#: are declared as strings (a declared field costs every row a null, so only these).
_DATES = sorted({p.name for s in model.schemata.values() if s.edge for p in s.properties.values()
                 if p.type.name == "date"})
_PARSE = pj.ParseOptions(explicit_schema=pa.schema([
    ("id", pa.string()), ("schema", pa.string()),
    ("properties", pa.struct([(name, pa.list_(pa.string())) for name in _DATES]))]),
    unexpected_field_behavior="infer")
#: A line Arrow and orjson might read differently, or not at all: to the row-wise path.
_UNSURE = r"[\x00-\x09\x0b-\x1f\\]|null"
_BRACE = ord("{")
#: Ids whose ends no ``str.strip`` removes (printable ASCII, letters, digits).
_CLEAN_ID = r"^[!-~\pL\pN](.*[!-~\pL\pN])?$"


def add_ftm_columnar(ingest: Any, path: str | Path, label: str, *, start: int = 0,
                     stop: int | None = None, first_line: int = 1) -> None:
    """Add the lines of ``path`` that begin in ``[start, stop)`` to ``ingest`` (an
    :class:`~debtorgraph.graph.ingest.Ingest`), as ``ingest.add(read_ftm(...))`` would."""
    lineno = first_line
    with open(path, "rb") as fh, paused_gc():
        fh.seek(start)
        while True:
            pos = fh.tell()
            if stop is not None and pos >= stop:
                return
            block = fh.read(BLOCK_BYTES if stop is None else min(BLOCK_BYTES, stop - pos))
            if not block:
                return
            if not block.endswith(b"\n"):
                rest = fh.readline(MAX_LINE_BYTES + 1)
                block += rest
            done = _block(ingest, block, label, lineno)
            if done is None:  # a line too long to take whole: the rest as read_ftm reads it
                ingest._add(read_ftm(path, name=label, start=pos, stop=stop, first_line=lineno))
                return
            lineno = done
            if ingest._progress:
                ingest._progress(ingest.report.entities_in)


def _row_wise(ingest: Any, block: bytes, starts: np.ndarray, ends: np.ndarray, label: str,
              first_line: int, rows: Any = None) -> None:
    """Lines of a block (all, or the line indices ``rows``) through the row-wise path."""
    picked = range(len(starts)) if rows is None else rows
    items = (line_item(block[starts[j]:ends[j]], label, first_line + int(j)) for j in picked)
    ingest._add(item for item in items if item is not None)


def _block(ingest: Any, block: bytes, label: str, first_line: int) -> int | None:
    """Read one block; return the number of the line after it (None: a line is too long)."""
    buf = np.frombuffer(block, np.uint8)
    ends = np.flatnonzero(buf == 10) + 1
    if not len(ends) or ends[-1] != len(block):
        ends = np.append(ends, len(block))
    starts = np.concatenate(([0], ends[:-1]))
    if int((ends - starts).max()) > MAX_LINE_BYTES:
        return None
    content = ends - starts - (buf[ends - 1] == 10)
    filled = np.flatnonzero(content > 0)
    following = first_line + len(starts)
    if not len(filled):
        return following
    table = _parse(block, starts, ends, filled, buf)
    if table is None:
        _row_wise(ingest, block, starts, ends, label, first_line)
        return following
    lines = pa.StringArray.from_buffers(len(starts), pa.py_buffer(
        np.append(starts, ends[-1]).astype(np.int32)), pa.py_buffer(block)).take(pa.array(filled))
    fast = _fast_rows(table, lines)
    slow = filled[~fast]
    spill = ingest.spill
    spill.flush()  # what came before this block stays before it
    chunk, spill.chunk_rows = spill.chunk_rows, sys.maxsize
    try:
        _row_wise(ingest, block, starts, ends, label, first_line, slow)
    finally:
        spill.chunk_rows = chunk
    tables = spill.take_rows(with_line=True)
    if fast.any():
        _add_fast(ingest, table, fast, first_line + filled[fast], label, tables)
    for name, parts in tables.items():
        merged = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1:
            merged = merged.sort_by("_line")  # stable: one entity's rows keep their order
        spill.add_table(name, merged.drop_columns(["_line"]))
    return following


def _parse(block: bytes, starts: np.ndarray, ends: np.ndarray, filled: np.ndarray,
           buf: np.ndarray) -> pa.Table | None:
    """The block as a table, one row per non-blank line; None when Arrow cannot take it."""
    if (buf[starts[filled]] != _BRACE).any():  # leading blanks, or not an object
        return None
    try:
        pa.StringArray.from_buffers(len(starts), pa.py_buffer(np.append(starts, ends[-1]).astype(np.int32)),
                                    pa.py_buffer(block)).validate(full=True)  # UTF-8
        table = pj.read_json(io.BytesIO(block), parse_options=_PARSE)
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.num_rows != len(filled) or not pa.types.is_struct(
            table.schema.field("properties").type if "properties" in table.column_names else pa.null()):
        return None
    return table


def _fast_rows(table: pa.Table, lines: pa.Array) -> np.ndarray:
    """Boolean mask of the rows the columnar path takes."""
    n = table.num_rows
    ids = table.column("id").combine_chunks()
    schemas = table.column("schema").combine_chunks()
    props: pa.StructArray = table.column("properties").combine_chunks()
    names = [s for s in pc.unique(schemas).to_pylist() if isinstance(s, str) and is_edge(s)]
    if not names:
        return np.zeros(n, dtype=bool)
    masks = [pc.invert(pc.match_substring_regex(lines, _UNSURE)),
             pc.match_substring_regex(ids, _CLEAN_ID),
             pc.is_in(schemas, value_set=pa.array(names, pa.string())), pc.is_valid(props)]
    for k, field in enumerate(props.type):
        child = props.field(k)
        if pa.types.is_list(field.type) and field.type.value_type in (pa.string(), pa.null()):
            masks.append(field_ok(child, schemas, names, field.name))
        else:
            masks.append(pc.invert(pc.is_valid(child)))
    ends_ok = pa.array(np.zeros(n, dtype=bool))
    for name in names:
        spec = schema_spec(name)
        assert spec is not None and spec.source and spec.target
        one = [pc.equal(pc.list_value_length(props.field(p)), 1)
               for p in (spec.source, spec.target) if props.type.get_field_index(p) >= 0]
        if len(one) == 2:
            ends_ok = pc.or_(ends_ok, pc.and_(pc.equal(schemas, name), pc.fill_null(pc.and_(*one), False)))
    masks.append(ends_ok)
    return np.asarray(all_true(masks, n).to_numpy(zero_copy_only=False), dtype=bool)


def _add_fast(ingest: Any, table: pa.Table, fast: np.ndarray, linenos: np.ndarray, label: str,
              tables: dict[str, list[pa.Table]]) -> None:
    """Spill rows of the fast rows, grouped by relationship type, with their line numbers."""
    keep = pa.array(fast)
    ids = table.column("id").combine_chunks().filter(keep)
    schemas = table.column("schema").combine_chunks().filter(keep)
    props = table.column("properties").combine_chunks().filter(keep)
    lines = pa.array(linenos, pa.int64())
    for schema in pc.unique(schemas).to_pylist():
        rows = pc.equal(schemas, schema)
        sub = props.filter(rows)
        names = [f.name for f in sub.type if f.name in _kinds(schema)]
        line = lines.filter(rows)
        origins = pc.binary_join_element_wise(label + ":", pc.cast(line, pa.string()), "")
        spilled = spill_table(sub, ids.filter(rows), schema, names, origins, ingest.load_id)
        tables.setdefault(rel_type(schema), []).append(spilled.append_column("_line", line))
    count = int(fast.sum())
    ingest.report.entities_in += count
    ingest.report.rows_in += count
