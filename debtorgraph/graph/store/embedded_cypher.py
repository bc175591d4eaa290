"""The statements the embedded store (ladybug) writes with: table DDL, ``SET`` clauses and
the ``COPY`` of a load's tables, from Arrow tables or Parquet files.

(:mod:`.neo4j_cypher` is the same for Neo4j.)
"""
from __future__ import annotations

from typing import Any

import pyarrow as pa

from .base import Source, SpillFiles

#: Threads of a relationship COPY. Ladybug's relationship COPY keeps per-thread buffers:
#: on bench/load.py's 1M Payments one thread peaks about 200 MB lower (1.1 GB against 1.3
#: GB in a bare process) for the same CPU time and 1.4 s more wall time (11.0 s against
#: 9.6 s, quiet machine). Node COPYs (Entity, Record) peak lower and keep every core.
REL_COPY_THREADS = 1


def ddl_columns(columns: list[tuple[str, str]]) -> str:
    """``name TYPE, ...`` of a column list, for CREATE TABLE."""
    return ", ".join(f"{name} {kind}" for name, kind in columns)


def set_clause(var: str, columns: list[tuple[str, str]]) -> str:
    """``SET v.c = row.c, ...`` with typed casts (an all-null parameter column has no type)."""
    parts = []
    for name, kind in columns:
        if name in ("id", "hash"):  # primary keys
            continue
        value = f"row.{name}" if kind == "STRING" else f"CAST(row.{name} AS {kind})"
        parts.append(f"{var}.{name} = {value}")
    return "SET " + ", ".join(parts)


def copy_statement(table: str, source: Source) -> tuple[str, dict[str, Any]] | None:
    """The ``COPY`` of ``source`` into ``table`` (None when there is nothing to copy).

    Spill files read through a projection (:class:`SpillFiles`) are copied with
    ``COPY ... FROM (LOAD FROM [...] RETURN ...)``: on the 1M-Payment bench file as fast as
    a COPY of the same columns written to files of their own, which a load then need not
    write."""
    if isinstance(source, pa.Table):
        return (f"COPY {table} FROM $t", {"t": source}) if source.num_rows else None
    if isinstance(source, SpillFiles):
        files = source.files
    elif source:
        files = source
    else:
        return None
    names = ", ".join("'" + p.replace("'", "''") + "'" for p in files)
    if not isinstance(source, SpillFiles):
        return f"COPY {table} FROM [{names}]", {}
    where = " WHERE `_primary`" if source.primary else ""
    columns = ", ".join(f"`{src}`" if src == out else f"`{src}` AS `{out}`" for out, src in source.columns)
    return f"COPY {table} FROM (LOAD FROM [{names}]{where} RETURN {columns})", {}
