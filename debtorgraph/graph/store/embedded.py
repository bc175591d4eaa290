"""The embedded store: ladybug (a maintained Kuzu fork), a folder on disk, no server.

Loads go through ``COPY`` from Arrow tables or Parquet files, written into a copy of
the store that replaces it only when everything succeeded, so a load that fails
part-way leaves the store as it was.

Readers and crashes. The store file at ``path`` is never written in place. A load
copies it to ``<path>.next`` (a reflink where the file system has them), writes the
batch there in one transaction, checkpoints, closes, fsyncs and renames it over
``path`` (then fsyncs the folder). So:

- a reader can open ``path`` read-only at any moment, also while a load runs, and
  always sees the last committed load (ladybug refuses read-only opens while a file
  has a pending write-ahead log, which an in-place load has for its whole commit);
- a reader that stays open keeps its snapshot (the old file lives on until it
  closes); :meth:`EmbeddedStore.is_stale` tells it to reopen;
- a load killed at any point leaves ``path`` as it was; the next writer deletes the
  ``<path>.next*`` leftovers. Only one writer at a time: ``<path>.writer.lock``.

The price is one copy of the store file per load (none for the first load).
"""
from __future__ import annotations

import fcntl
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa

from ...config import setting
from ...errors import DebtorGraphError
from ..schema import (ENTITY_COLUMNS, NODE_LABEL, RECORD_COLUMNS, RECORD_LABEL, REF_COLUMNS,
                      REL_COLUMNS)
from ..dialect import translate
from ..memory import release_unused
from .base import QueryResult, Source, StoredRecord, WriteBatch
from .embedded_cypher import REL_COPY_THREADS, copy_statement, ddl_columns, set_clause

log = logging.getLogger(__name__)

_LOOKUP_BATCH = 20_000
#: Files loaded whole, by content hash (``graph/unchanged.py``): a reload of one is skipped.
LOADED_FILE = "LoadedFile"
LOADED_FILE_COLUMNS = [("hash", "STRING"), ("name", "STRING"), ("size", "INT64"), ("load_id", "STRING"),
                       ("entities", "INT64"), ("rows", "INT64"), ("rejected", "STRING"),
                       ("rejects", "STRING")]
_FICLONE = 0x40049409  # Linux ioctl: share the blocks of a file (btrfs, XFS)
#: Files ladybug keeps beside an open or crashed database file.
_SIDECARS = (".wal", ".wal.checkpoint", ".shadow")


def _clone(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst``: a reflink when the file system can, else a full copy."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        try:
            fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
            return
        except OSError:
            pass
        shutil.copyfileobj(fin, fout, 16 << 20)


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        self._opened: tuple[int, int] | None = None  # (inode, mtime) of the file read
        self._lock: Any = None                       # the writer lock file, while held
        self._writing = False                        # self.conn is the copy being written

    # -- connection -------------------------------------------------------------------
    def _open(self, path: Path, read_only: bool) -> tuple[Any, Any]:
        import ladybug as lb

        try:
            pool = int(setting("DEBTORGRAPH_BUFFER_POOL_MB")) * 2**20
            db = lb.Database(str(path), read_only=read_only, buffer_pool_size=pool)
        except RuntimeError as exc:
            raise DebtorGraphError(f"无法打开数据库 {self.path}：{exc} / cannot open the store") from exc
        return db, lb.Connection(db)

    @property
    def conn(self) -> Any:
        """The connection reads go through: read-only on ``path``, also for a writer."""
        if self._conn is None:
            if not self.read_only:
                self._acquire_writer()
            elif not self.path.exists():
                raise DebtorGraphError(
                    f"数据库不存在：{self.path}。请先运行 `debtorgraph load`；演示数据在 ~/.debtorgraph/demo/graph，"
                    f"可用 `debtorgraph --db ~/.debtorgraph/demo/graph stats` 查看。 / No store at {self.path}: "
                    f"load data first. The demo store is ~/.debtorgraph/demo/graph "
                    f"(`debtorgraph --db ~/.debtorgraph/demo/graph stats`).")
            st = os.stat(self.path)
            self._db, self._conn = self._open(self.path, read_only=True)
            self._opened = (st.st_ino, st.st_mtime_ns)
        return self._conn

    def is_stale(self) -> bool:
        """True when a load has replaced the file since this store opened it (reopen to see it)."""
        if self._opened is None:
            return False
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return True
        return (st.st_ino, st.st_mtime_ns) != self._opened

    def _close_reader(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._db.close()
        self._conn = self._db = None
        self._opened = None

    def close(self) -> None:
        self._close_reader()
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the writer's side ------------------------------------------------------------
    def _next(self) -> Path:
        return self.path.with_name(self.path.name + ".next")

    def _acquire_writer(self) -> None:
        """Take the writer lock, clear a killed writer's leftovers, create the store if new."""
        if self._lock is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path.with_name(self.path.name + ".writer.lock"), "a")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.close()
            raise DebtorGraphError(f"另一个导入正在写入 {self.path}，请等它结束后再试 / Another load "
                                   f"is writing to {self.path}; try again when it has finished.") from exc
        self._lock = fh
        for leftover in self.path.parent.glob(self._next().name + "*"):
            log.warning("removing %s left by an interrupted load", leftover.name)
            leftover.unlink(missing_ok=True)
        if any(self.path.with_name(self.path.name + s).exists() for s in _SIDECARS):
            # a store written in place by an older version and killed: let ladybug recover it
            log.warning("recovering %s after an interrupted write", self.path)
            db, conn = self._open(self.path, read_only=False)
            conn.execute("CHECKPOINT")
            conn.close()
            db.close()
        if not self.path.exists():
            self._swap(lambda: None)

    def _swap(self, work: Any) -> None:
        """Run ``work`` on a copy of the store (as ``self.conn``), then put the copy in place."""
        nxt = self._next()
        self._close_reader()
        try:
            if self.path.exists():
                _clone(self.path, nxt)
            self._db, self._conn = self._open(nxt, read_only=False)
            self._writing = True
            self.init_schema()
            work()
            self._conn.execute("CHECKPOINT")
            self._close_reader()
            self._writing = False
            if any(nxt.with_name(nxt.name + s).exists() for s in _SIDECARS):
                raise DebtorGraphError(f"检查点未完成：{nxt} / the checkpoint of {nxt} did not finish")
            _fsync(nxt)
            os.replace(nxt, self.path)
            _fsync(self.path.parent, directory=True)
        except BaseException:
            self._close_reader()
            self._writing = False
            for leftover in self.path.parent.glob(nxt.name + "*"):
                leftover.unlink(missing_ok=True)
            raise

    # -- schema -----------------------------------------------------------------------
    def init_schema(self) -> None:
        if self.read_only or not self._writing:
            self.conn  # noqa: B018 - a writer creates the store, with its tables, if new
            return
        conn = self.conn
        conn.execute(f"CREATE NODE TABLE IF NOT EXISTS {NODE_LABEL}("
                     f"{ddl_columns(ENTITY_COLUMNS)}, PRIMARY KEY(id))")
        conn.execute(f"CREATE NODE TABLE IF NOT EXISTS {RECORD_LABEL}("
                     f"{ddl_columns(RECORD_COLUMNS)}, PRIMARY KEY(id))")

    def rel_tables(self) -> set[str]:
        rows = self.conn.execute("CALL show_tables() RETURN name, type").get_all()
        return {name for name, kind in rows if kind == "REL"}

    def _ensure_rel(self, name: str, columns: list[tuple[str, str]], existing: set[str]) -> None:
        if name not in existing:
            cols = ddl_columns(columns)
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

    def read_arrow(self, cypher: str, params: dict[str, Any] | None = None) -> pa.Table:
        """A read query's result as an Arrow table.

        For bulk reads of scalar columns (a trace reads 100k payments): several times
        faster than :meth:`run_read`'s row-by-row conversion.
        """
        result = self.conn.execute(translate(cypher, self.dialect), params or {})
        table: pa.Table = result.get_as_arrow()
        return table

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

    def lookup_records_arrow(self, ids: pa.Array) -> pa.Table:
        """The stored Records among ``ids`` as a table (id, schema, props, canonical).

        The ids go in as an Arrow table scanned by ``LOAD FROM``: for the million ids of a
        reload about twice as fast as ``UNWIND`` of a list, and no Python object per row.
        """
        columns = ["id", "schema", "props", "canonical"]
        if not len(ids) or self.count_records() == 0:
            return pa.table({c: pa.array([], pa.string()) for c in columns})
        parts = []
        for start in range(0, len(ids), 250_000):
            wanted = pa.table({"wanted": ids.slice(start, 250_000)})
            parts.append(self.conn.execute(
                f"LOAD FROM $t MATCH (r:{RECORD_LABEL} {{id: wanted}}) "
                "RETURN r.id AS id, r.schema AS schema, r.props AS props, r.canonical AS canonical",
                {"t": wanted}).get_as_arrow())
        return pa.concat_tables(parts).select(columns)

    def lookup_party_keys(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        res = self.conn.execute(f"MATCH (n:{NODE_LABEL}) WHERE n.party_key IN $keys "
                                "RETURN n.party_key, n.id", {"keys": keys})
        return {key: node for key, node in res.get_all()}

    def loaded_file_sizes(self) -> set[int]:
        """Sizes of the files noted as loaded (``graph/unchanged.py``)."""
        if LOADED_FILE not in self._node_tables():
            return set()
        return {int(r[0]) for r in self.conn.execute(f"MATCH (f:{LOADED_FILE}) RETURN DISTINCT f.size").get_all()}

    def loaded_file(self, digest: str) -> dict[str, Any] | None:
        """The note of the file with SHA-256 ``digest``, or None."""
        if LOADED_FILE not in self._node_tables():
            return None
        res = self.conn.execute(f"MATCH (f:{LOADED_FILE} {{hash: $h}}) RETURN f.*", {"h": digest})
        rows = res.get_all()
        if not rows:
            return None
        return {name.split(".", 1)[-1]: value for name, value in zip(res.get_column_names(), rows[0])}

    def _node_tables(self) -> set[str]:
        rows = self.conn.execute("CALL show_tables() RETURN name, type").get_all()
        return {name for name, kind in rows if kind == "NODE"}

    def count_records(self) -> int:
        return int(self.conn.execute(f"MATCH (r:{RECORD_LABEL}) RETURN count(r)").get_all()[0][0])

    # -- writes -----------------------------------------------------------------------
    def execute_copy(self, table: str, source: Source) -> None:
        """``COPY`` ``source`` into ``table`` (:func:`copy_statement`), a relationship table on
        ``REL_COPY_THREADS`` threads."""
        statement = copy_statement(table, source)
        if statement is None:
            return
        node = table in (NODE_LABEL, RECORD_LABEL, LOADED_FILE)
        self.conn.set_max_threads_for_exec((os.cpu_count() or 1) if node else REL_COPY_THREADS)
        self.conn.execute(*statement)

    def _copy(self, table: str, source: Source) -> None:
        self.execute_copy(table, source)
        release_unused()  # ladybug frees a COPY's working memory; give it back before the next

    def write(self, batch: WriteBatch) -> None:
        if self.read_only:
            raise DebtorGraphError("只读连接不能写入 / the store is open read-only")
        self.conn  # noqa: B018 - the writer lock, and the store created if new
        self._swap(lambda: self._write_batch(batch))

    def _write_batch(self, batch: WriteBatch) -> None:
        """Write a load into the copy. Each COPY commits on its own: the copy only replaces
        the store when all of them succeeded (see :meth:`_swap`), so atomicity does not need
        one transaction, and memory stays bounded by one COPY (10M Payments in one
        transaction overflow the buffer pool)."""
        existing = self.rel_tables()
        for name in batch.edges:
            self._ensure_rel(name, REL_COLUMNS, existing)
        for name in batch.refs:
            self._ensure_rel(name, REF_COLUMNS, existing)
        if batch.nodes is not None:
            self._copy(NODE_LABEL, batch.nodes)
        # the relationships first: their COPY has the highest peak, and it then sits on the
        # least memory (the Records' COPY leaves pages behind in the buffer pool)
        for name, sources in batch.edges.items():
            for source in sources:
                self._copy(name, source)
        for source in batch.records:
            self._copy(RECORD_LABEL, source)
        for name, table in batch.refs.items():
            self._copy(name, table)
        self._apply_updates(batch)
        files = getattr(batch, "files", None)
        if files:
            self.conn.execute(f"CREATE NODE TABLE IF NOT EXISTS {LOADED_FILE}({ddl_columns(LOADED_FILE_COLUMNS)}, "
                              "PRIMARY KEY(hash))")
            self.conn.execute(f"UNWIND $rows AS row MERGE (f:{LOADED_FILE} {{hash: row.hash}}) "
                              + set_clause("f", LOADED_FILE_COLUMNS), {"rows": files})

    def _apply_updates(self, batch: WriteBatch) -> None:
        conn = self.conn
        if batch.node_updates:
            conn.execute(f"UNWIND $rows AS row MATCH (n:{NODE_LABEL} {{id: row.id}}) "
                         f"{set_clause('n', ENTITY_COLUMNS)}",
                         {"rows": batch.node_updates})
        if batch.record_updates:
            conn.execute(f"UNWIND $rows AS row MATCH (r:{RECORD_LABEL} {{id: row.id}}) "
                         "SET r.props = row.props, r.canonical = row.canonical",
                         {"rows": batch.record_updates})
        for name, rows in batch.edge_updates.items():
            conn.execute(f"UNWIND $rows AS row MATCH ()-[r:{name}]->() WHERE r.id = row.id "
                         f"{set_clause('r', REL_COLUMNS)}",
                         {"rows": rows})
