"""The embedded store: ladybug (a maintained Kuzu fork), a folder on disk, no server.

Loads go through ``COPY`` from Arrow tables or Parquet files inside one transaction,
so a load that fails part-way is rolled back and leaves the store as it was; a load
killed outright never commits and the write-ahead log drops it on the next open.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pyarrow as pa

from ...config import setting
from ...errors import DebtorGraphError
from ..schema import (ENTITY_COLUMNS, NODE_LABEL, RECORD_COLUMNS, RECORD_LABEL, REF_COLUMNS,
                      REL_COLUMNS)
from ..dialect import translate
from .base import QueryResult, Source, StoredRecord, WriteBatch

log = logging.getLogger(__name__)

_LOOKUP_BATCH = 20_000


def _ddl_columns(columns: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns)


def _set_clause(var: str, columns: list[tuple[str, str]]) -> str:
    """``SET v.c = row.c, ...`` with typed casts (an all-null parameter column has no type)."""
    parts = []
    for name, kind in columns:
        if name == "id":
            continue
        value = f"row.{name}" if kind == "STRING" else f"CAST(row.{name} AS {kind})"
        parts.append(f"{var}.{name} = {value}")
    return "SET " + ", ".join(parts)


def _plain(value: Any) -> Any:
    """Make ladybug values JSON-friendly (internal ids become 'table:offset')."""
    if isinstance(value, dict):
        if set(value) == {"offset", "table"}:
            return f"{value['table']}:{value['offset']}"
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class EmbeddedStore:
    """Graph store on ladybug. ``path`` is the database folder; ``read_only`` for readers."""

    dialect = "ladybug"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._db: Any = None
        self._conn: Any = None

    # -- connection -------------------------------------------------------------------
    @property
    def conn(self) -> Any:
        if self._conn is None:
            import ladybug as lb

            if not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise DebtorGraphError(f"数据库不存在：{self.path}。请先运行 `debtorgraph load` 或 "
                                       f"`debtorgraph demo`。 / No store at {self.path}: load data first.")
            try:
                pool = int(setting("DEBTORGRAPH_BUFFER_POOL_MB")) * 2**20
                self._db = lb.Database(str(self.path), read_only=self.read_only,
                                       buffer_pool_size=pool)
            except RuntimeError as exc:
                raise DebtorGraphError(f"无法打开数据库 {self.path}：{exc} / cannot open the store") from exc
            self._conn = lb.Connection(self._db)
            if not self.read_only:
                self.init_schema()
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._db.close()
        self._conn = self._db = None

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------
    def init_schema(self) -> None:
        conn = self.conn
        conn.execute(f"CREATE NODE TABLE IF NOT EXISTS {NODE_LABEL}("
                     f"{_ddl_columns(ENTITY_COLUMNS)}, PRIMARY KEY(id))")
        conn.execute(f"CREATE NODE TABLE IF NOT EXISTS {RECORD_LABEL}("
                     f"{_ddl_columns(RECORD_COLUMNS)}, PRIMARY KEY(id))")

    def rel_tables(self) -> set[str]:
        rows = self.conn.execute("CALL show_tables() RETURN name, type").get_all()
        return {name for name, kind in rows if kind == "REL"}

    def _ensure_rel(self, name: str, columns: list[tuple[str, str]], existing: set[str]) -> None:
        if name not in existing:
            cols = _ddl_columns(columns)
            self.conn.execute(f"CREATE REL TABLE IF NOT EXISTS {name}(FROM {NODE_LABEL} TO "
                              f"{NODE_LABEL}{', ' + cols if cols else ''})")
            existing.add(name)

    # -- reads ------------------------------------------------------------------------
    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout_ms: int | None = None, max_rows: int | None = None) -> QueryResult:
        conn = self.conn
        if timeout_ms:
            conn.set_query_timeout(int(timeout_ms))
        try:
            result = conn.execute(translate(cypher, self.dialect), params or {})
            columns = result.get_column_names()
            rows: list[list[Any]] = []
            truncated = False
            while result.has_next():
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([_plain(v) for v in result.get_next()])
            return QueryResult(columns, rows, truncated)
        finally:
            if timeout_ms:
                conn.set_query_timeout(0)

    def lookup_records(self, ids: list[str]) -> dict[str, StoredRecord]:
        out: dict[str, StoredRecord] = {}
        if not ids or self.count_records() == 0:
            return out
        query = (f"UNWIND $ids AS i MATCH (r:{RECORD_LABEL} {{id: i}}) "
                 "RETURN r.id, r.schema, r.props, r.canonical")
        for start in range(0, len(ids), _LOOKUP_BATCH):
            res = self.conn.execute(query, {"ids": ids[start:start + _LOOKUP_BATCH]})
            for rid, schema, props, canonical in res.get_all():
                out[rid] = StoredRecord(rid, schema, props, canonical)
        return out

    def lookup_party_keys(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        res = self.conn.execute(f"MATCH (n:{NODE_LABEL}) WHERE n.party_key IN $keys "
                                "RETURN n.party_key, n.id", {"keys": keys})
        return {key: node for key, node in res.get_all()}

    def count_records(self) -> int:
        return int(self.conn.execute(f"MATCH (r:{RECORD_LABEL}) RETURN count(r)").get_all()[0][0])

    # -- writes -----------------------------------------------------------------------
    def _copy(self, table: str, source: Source) -> None:
        if isinstance(source, pa.Table):
            if source.num_rows:
                self.conn.execute(f"COPY {table} FROM $t", {"t": source})
        elif source:
            files = ", ".join("'" + p.replace("'", "''") + "'" for p in source)
            self.conn.execute(f"COPY {table} FROM [{files}]")

    def write(self, batch: WriteBatch) -> None:
        if self.read_only:
            raise DebtorGraphError("只读连接不能写入 / the store is open read-only")
        conn = self.conn
        existing = self.rel_tables()
        conn.execute("BEGIN TRANSACTION")
        try:
            for name in batch.edges:
                self._ensure_rel(name, REL_COLUMNS, existing)
            for name in batch.refs:
                self._ensure_rel(name, REF_COLUMNS, existing)
            if batch.nodes is not None:
                self._copy(NODE_LABEL, batch.nodes)
            for source in batch.records:
                self._copy(RECORD_LABEL, source)
            for name, sources in batch.edges.items():
                for source in sources:
                    self._copy(name, source)
            for name, table in batch.refs.items():
                self._copy(name, table)
            self._apply_updates(batch)
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except RuntimeError:  # ladybug already rolled back the failed transaction
                log.debug("transaction was already rolled back")
            raise

    def _apply_updates(self, batch: WriteBatch) -> None:
        conn = self.conn
        if batch.node_updates:
            conn.execute(f"UNWIND $rows AS row MATCH (n:{NODE_LABEL} {{id: row.id}}) "
                         f"{_set_clause('n', ENTITY_COLUMNS)}",
                         {"rows": batch.node_updates})
        if batch.record_updates:
            conn.execute(f"UNWIND $rows AS row MATCH (r:{RECORD_LABEL} {{id: row.id}}) "
                         "SET r.props = row.props, r.canonical = row.canonical",
                         {"rows": batch.record_updates})
        for name, rows in batch.edge_updates.items():
            conn.execute(f"UNWIND $rows AS row MATCH ()-[r:{name}]->() WHERE r.id = row.id "
                         f"{_set_clause('r', REL_COLUMNS)}",
                         {"rows": rows})
