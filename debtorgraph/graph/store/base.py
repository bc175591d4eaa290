"""The one small interface both stores implement, and what a load hands to it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Protocol, Union

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

@dataclass(frozen=True)
class SpillFiles:
    """Spilled Parquet files read through a projection, as written at reading time (a load
    whose edges need no rewriting is copied from them directly, without writing them again).

    ``columns`` are (column of the table written, column of the files); ``primary`` keeps
    only the rows whose ``_primary`` is true (an edge entity's first relationship row, the
    one its Record comes from).
    """

    files: list[str]
    columns: tuple[tuple[str, str], ...]
    primary: bool = False

    def read(self, path: str) -> pa.Table:
        """The projected rows of one of the files."""
        names = list(dict.fromkeys(src for _, src in self.columns))
        table = pq.read_table(path, columns=names + (["_primary"] if self.primary else []))
        if self.primary:
            table = table.filter(table["_primary"])
        return pa.table({out: table[src] for out, src in self.columns})


#: A table to write: in memory, Parquet files spilled by the ingest step (in the table's
#: column order), or spilled files read through a projection.
Source = Union[pa.Table, list[str], SpillFiles]


def iter_batches(source: Source, batch_size: int = 1000) -> Iterator[list[dict[str, Any]]]:
    """Yield the rows of a source as lists of dicts, ``batch_size`` at a time."""
    if isinstance(source, pa.Table):
        tables: Iterable[pa.Table] = [source]
    elif isinstance(source, SpillFiles):
        tables = (source.read(p) for p in source.files)
    else:
        tables = (pq.read_table(p) for p in source)
    for table in tables:
        for batch in table.to_batches(max_chunksize=batch_size):
            yield batch.to_pylist()


def source_rows(source: Source) -> int:
    """Number of rows in a source."""
    if isinstance(source, pa.Table):
        return int(source.num_rows)
    if isinstance(source, SpillFiles):
        if source.primary:
            return sum(int(pc.sum(pq.read_table(p, columns=["_primary"])["_primary"].cast(pa.int64())).as_py() or 0)
                       for p in source.files)
        source = source.files
    return sum(int(pq.ParquetFile(p).metadata.num_rows) for p in source)


@dataclass
class QueryResult:
    """Rows of a query: column names and rows (lists of plain Python values)."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@dataclass
class StoredRecord:
    """An entity as the store holds it (its Record node)."""

    id: str
    schema: str
    props: str
    canonical: str


@dataclass
class WriteBatch:
    """Everything one load writes, applied by :meth:`Store.write` atomically."""

    load_id: str
    nodes: pa.Table | None = None                      # ENTITY_COLUMNS, new nodes
    records: list[Source] = field(default_factory=list)  # RECORD_COLUMNS, new records
    edges: dict[str, list[Source]] = field(default_factory=dict)  # type -> from,to,REL_COLUMNS
    refs: dict[str, pa.Table] = field(default_factory=dict)      # type -> from,to,load_id
    node_updates: list[dict[str, Any]] = field(default_factory=list)  # full ENTITY rows
    record_updates: list[dict[str, Any]] = field(default_factory=list)  # id, props, canonical
    edge_updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # type -> REL rows

    def is_empty(self) -> bool:
        return not (self.records or self.node_updates or self.record_updates or self.edge_updates)


class Store(Protocol):
    """What the rest of the product needs from a graph store."""

    dialect: str  # "ladybug" or "neo4j"

    def init_schema(self) -> None:
        """Create tables / constraints and indexes, idempotently."""

    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout_ms: int | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a read query (parameters only; never string-built values)."""

    def lookup_records(self, ids: list[str]) -> dict[str, StoredRecord]:
        """The stored Records among ``ids``."""

    def lookup_party_keys(self, keys: list[str]) -> dict[str, str]:
        """Canonical node id for each known valid party identifier key."""

    def write(self, batch: WriteBatch) -> None:
        """Apply a load atomically: all of it, or nothing."""

    def count_records(self) -> int:
        """Number of Records (entities as loaded)."""

    def close(self) -> None:
        """Release the store."""
