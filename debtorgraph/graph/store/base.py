"""The one small interface both stores implement, and what a load hands to it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol, Union

import pyarrow as pa
import pyarrow.parquet as pq

#: A table to write: in memory, or Parquet files spilled by the ingest step.
Source = Union[pa.Table, list[str]]


def iter_batches(source: Source, batch_size: int = 1000) -> Iterator[list[dict[str, Any]]]:
    """Yield the rows of a source as lists of dicts, ``batch_size`` at a time."""
    tables = [source] if isinstance(source, pa.Table) else (pq.read_table(p) for p in source)
    for table in tables:
        for batch in table.to_batches(max_chunksize=batch_size):
            yield batch.to_pylist()


def source_rows(source: Source) -> int:
    """Number of rows in a source."""
    if isinstance(source, pa.Table):
        return int(source.num_rows)
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
