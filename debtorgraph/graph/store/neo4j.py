"""The server store: Neo4j 5, through the official driver.

The store is handed a driver (``from_settings`` makes one from NEO4J_URI...) and does no
I/O until it is used. Reads are managed read transactions (``execute_read``) on the
configured database, with the time limit as the transaction timeout and the row cap
applied while the result streams. Every text goes through :func:`dialect.translate`,
so the library's neutral Cypher runs unchanged.

Atomicity of a load (:meth:`Neo4jStore.write`):

- up to ``atomic_rows`` rows (default 50,000: well inside a default Neo4j heap), the
  whole load is ONE explicit transaction: it commits entirely or rolls back entirely;
- above that, one transaction would hold the whole load in server memory, so every
  batch of 1,000 is its own managed write transaction (``execute_write``, retried by the
  driver on transient errors; a retry only follows a rolled-back attempt, so CREATE is
  safe to retry, and a lost commit reply is not retried but fails), all creates first,
  then all updates in one explicit transaction. When any batch fails, a compensating
  delete removes everything carrying the load's ``load_id`` (relationships of the types
  written, then nodes and Records), so the store is as it was; if even that fails the
  error names the load id and :meth:`Neo4jStore.delete_load` finishes the job.
- a batched load first writes a ``PendingLoad`` marker (its id, host, pid and a heartbeat
  renewed by every batch) and deletes it in its last transaction. When the loading process
  dies (killed, machine lost), the marker stays: :meth:`Neo4jStore.recover`, run by the next
  load and by ``init``, removes that load's data and the marker. A marker is taken as dead
  when its process is gone (same host) or its heartbeat is older than ``stale_after`` seconds.
  Readers in between see the partial load.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import Any, Callable

from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time

from ...config import setting
from ...errors import DebtorGraphError
from ..dialect import NEO4J, translate
from ..schema import ENTITY_COLUMNS, NODE_LABEL, RECORD_COLUMNS, RECORD_LABEL, REL_COLUMNS
from .base import QueryResult, StoredRecord, WriteBatch, source_rows
from .neo4j_cypher import (BEAT_PENDING, CLEAR_PENDING, COUNT_RECORDS, DELETE_LOAD_NODES, DELETE_LOAD_RECORDS,
                           LIST_PENDING, LOOKUP_PARTY_KEYS, LOOKUP_RECORDS, MARK_PENDING, SCHEMA_STATEMENTS, Step,
                           delete_load_rels_cypher, plan_write, rel_types_of)

log = logging.getLogger(__name__)

_LOOKUP_BATCH = 20_000
# Neo4j stores no property for an absent value; ladybug's tables have every column (null).
_ABSENT_NODE = {NODE_LABEL: dict.fromkeys(c for c, _ in ENTITY_COLUMNS),
                RECORD_LABEL: dict.fromkeys(c for c, _ in RECORD_COLUMNS)}
_ABSENT_REL = dict.fromkeys(c for c, _ in REL_COLUMNS)


def to_plain(value: Any) -> Any:
    """Driver values as plain Python, shaped like the embedded store's.

    Node -> dict of properties with ``_ID`` (element id), ``_LABEL`` (Entity or Record)
    and ``_LABELS``; Relationship -> dict of properties with ``_ID``, ``_LABEL`` (its
    type), ``_SRC``, ``_DST``; an Entity, Record or relationship has every column of its
    embedded table, ``None`` where Neo4j has no property (as ladybug returns it); Path -> ``{"_NODES": [...], "_RELS": [...]}`` as ladybug
    returns a path; temporal values -> ``datetime`` objects; lists and maps recursively.
    """
    if value is None or isinstance(value, (str, int, float)):
        return value  # most values: nothing to convert
    if isinstance(value, Node):
        names = sorted(value.labels)
        main = RECORD_LABEL if RECORD_LABEL in names else NODE_LABEL if NODE_LABEL in names else (
            names[0] if names else None)
        absent = _ABSENT_NODE.get(main, {}) if main is not None else {}  # a node without labels: none
        return {"_ID": value.element_id, "_LABEL": main, "_LABELS": names, **absent,
                **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_ID": value.element_id, "_LABEL": value.type,
                "_SRC": value.start_node.element_id if value.start_node is not None else None,
                "_DST": value.end_node.element_id if value.end_node is not None else None,
                **_ABSENT_REL, **{k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"_NODES": [to_plain(n) for n in value.nodes],
                "_RELS": [to_plain(r) for r in value.relationships]}
    if isinstance(value, (Date, DateTime, Time)):
        return value.to_native()
    if isinstance(value, Duration):
        if value.months == 0:
            return dt.timedelta(days=value.days, seconds=value.seconds, microseconds=value.nanoseconds // 1000)
        return value.iso_format()
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


class Neo4jStore:
    """Graph store on a Neo4j 5 server. ``driver``: a ``neo4j.Driver`` the caller made."""

    dialect = NEO4J

    def __init__(self, driver: Any, database: str = "neo4j", *, read_only: bool = False,
                 batch_size: int = 1000, atomic_rows: int = 50_000, owns_driver: bool = False) -> None:
        if not database:
            raise DebtorGraphError("NEO4J_DATABASE 为空：请设置数据库名（如 neo4j） / "
                                   "NEO4J_DATABASE is empty: set the database name, e.g. neo4j")
        self.driver = driver
        self.database = database
        self.read_only = read_only
        self.batch_size = batch_size
        self.atomic_rows = atomic_rows
        self._owns_driver = owns_driver
        self._schema_ready = False

    @classmethod
    def from_settings(cls, read_only: bool = False) -> "Neo4jStore":
        """Make the driver from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD and check it connects."""
        import neo4j
        from neo4j.exceptions import AuthError, ServiceUnavailable

        uri = setting("NEO4J_URI")
        if not uri:
            raise DebtorGraphError("未设置 NEO4J_URI / NEO4J_URI is not set (e.g. bolt://127.0.0.1:7687)")
        driver = neo4j.GraphDatabase.driver(uri, auth=(setting("NEO4J_USER"), setting("NEO4J_PASSWORD")))
        try:
            driver.verify_connectivity()
        except AuthError as exc:
            driver.close()
            raise DebtorGraphError(f"Neo4j 拒绝登录（用户 {setting('NEO4J_USER')!r}）：请检查 NEO4J_USER 和 "
                                   f"NEO4J_PASSWORD / Neo4j at {uri} refused the credentials") from exc
        except ServiceUnavailable as exc:
            driver.close()
            raise DebtorGraphError(f"无法连接 Neo4j：{uri}。请确认服务已启动、NEO4J_URI 正确 / "
                                   f"cannot reach Neo4j at {uri}: start it or fix NEO4J_URI") from exc
        return cls(driver, setting("NEO4J_DATABASE"), read_only=read_only, owns_driver=True)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self, write: bool, **kwargs: Any) -> Any:
        import neo4j

        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode, **kwargs)

    # -- schema -----------------------------------------------------------------------
    def init_schema(self) -> None:
        """Uniqueness constraints and indexes, each ``IF NOT EXISTS`` (safe to repeat); then
        remove loads whose process died part-way (:meth:`recover`)."""
        for statement in SCHEMA_STATEMENTS:
            self.driver.execute_query(statement, database_=self.database)
        self._schema_ready = True
        self.recover()
        log.info("neo4j schema ready: %d statements on database %s", len(SCHEMA_STATEMENTS), self.database)

    # -- reads ------------------------------------------------------------------------
    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout_ms: int | None = None, max_rows: int | None = None) -> QueryResult:
        import neo4j
        from neo4j.exceptions import ClientError

        text = translate(cypher, NEO4J)
        values = dict(params or {})

        def work(tx: Any) -> QueryResult:
            result = tx.run(text, values)
            columns = list(result.keys())
            rows: list[list[Any]] = []
            truncated = False
            for record in result:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([to_plain(v) for v in record.values()])
            return QueryResult(columns, rows, truncated)

        if timeout_ms:
            work = neo4j.unit_of_work(timeout=timeout_ms / 1000)(work)
        # a capped read streams what the cap needs; others take the whole result in one PULL
        extra = {"fetch_size": min(max_rows + 1, 1000) if max_rows else -1}
        try:
            with self._session(write=False, **extra) as session:
                result: QueryResult = session.execute_read(work)
                return result
        except ClientError as exc:
            if "TransactionTimedOut" in (exc.code or ""):
                raise DebtorGraphError(f"查询超过 {timeout_ms} 毫秒被终止，请缩小范围或加 LIMIT / query stopped "
                                       f"after {timeout_ms} ms: narrow it or add LIMIT") from exc
            raise DebtorGraphError(f"Neo4j 拒绝了查询：{exc.message} / Neo4j rejected the query") from exc

    def _read_all(self, cypher: str, params: dict[str, Any]) -> list[list[Any]]:
        return self.run_read(cypher, params).rows

    def lookup_records(self, ids: list[str]) -> dict[str, StoredRecord]:
        out: dict[str, StoredRecord] = {}
        for start in range(0, len(ids), _LOOKUP_BATCH):
            for rid, schema, props, canonical in self._read_all(LOOKUP_RECORDS,
                                                                {"ids": ids[start:start + _LOOKUP_BATCH]}):
                out[rid] = StoredRecord(rid, schema, props, canonical)
        return out

    def lookup_party_keys(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        return {key: node for key, node in self._read_all(LOOKUP_PARTY_KEYS, {"keys": keys})}

    def count_records(self) -> int:
        return int(self._read_all(COUNT_RECORDS, {})[0][0])

    # -- writes -----------------------------------------------------------------------
    def write(self, batch: WriteBatch) -> None:
        """Apply a load: one transaction when small, batches plus compensation when large."""
        if self.read_only:
            raise DebtorGraphError("只读连接不能写入 / the store is open read-only")
        if not self._schema_ready:
            self.init_schema()
        else:
            self.recover()
        total = self._count_rows(batch)
        steps = plan_write(batch, self.batch_size)
        if total <= self.atomic_rows:
            log.info("load %s: %d rows in one transaction", batch.load_id, total)
            with self._session(write=True) as session:
                with session.begin_transaction() as tx:
                    for step in steps:
                        _run_step(tx, step)
                    tx.commit()
            return
        log.info("load %s: %d rows in batches of %d", batch.load_id, total, self.batch_size)
        self.driver.execute_query(MARK_PENDING, {"load_id": batch.load_id, "rel_types": rel_types_of(batch),
                                                 "host": socket.gethostname(), "pid": os.getpid()},
                                  database_=self.database)
        try:
            self._write_batched(steps, batch.load_id)
        except BaseException:
            log.error("load %s failed part-way: removing what it wrote", batch.load_id)
            try:
                self.delete_load(batch.load_id, rel_types_of(batch))
                self.driver.execute_query(CLEAR_PENDING, {"load_id": batch.load_id}, database_=self.database)
            except Exception as exc:
                raise DebtorGraphError(
                    f"导入失败且未能清除导入 {batch.load_id} 已写入的数据；请在 Neo4j 恢复后运行 "
                    f"Neo4jStore.delete_load({batch.load_id!r}) / the load failed and its partial data "
                    f"could not be removed: run delete_load({batch.load_id!r}) when Neo4j is back") from exc
            raise

    def _write_batched(self, steps: Any, load_id: str) -> None:
        updates: list[Step] = []
        n = 0
        with self._session(write=True) as session:
            for step in steps:
                if not step.creates:
                    updates.append(step)
                    continue
                session.execute_write(_step_work(step, load_id))
                n += 1
                if n % 100 == 0:
                    log.info("%d batches written", n)
            with session.begin_transaction() as tx:  # the updates, and the load is whole
                for step in updates:
                    _run_step(tx, step)
                tx.run(CLEAR_PENDING, {"load_id": load_id}).consume()
                tx.commit()

    def recover(self, stale_after: float = 600.0) -> list[str]:
        """Remove every load whose process died part-way (a ``PendingLoad`` marker left behind).

        A marker is dead when it names this host and its pid is not running, or when its
        heartbeat is older than ``stale_after`` seconds. Returns the load ids removed.
        """
        if self.read_only:
            return []
        host = socket.gethostname()
        removed = []
        for load_id, rel_types, m_host, pid, idle in self._read_all(LIST_PENDING, {}):
            alive = _pid_alive(pid) if m_host == host else (idle or 0) < stale_after
            if alive:
                log.warning("load %s (pid %s on %s) is in progress; left alone", load_id, pid, m_host)
                continue
            log.warning("load %s died part-way (pid %s on %s): removing what it wrote", load_id, pid, m_host)
            self.delete_load(load_id, list(rel_types or []) or None)
            self.driver.execute_query(CLEAR_PENDING, {"load_id": load_id}, database_=self.database)
            removed.append(load_id)
        return removed

    def delete_load(self, load_id: str, rel_types: list[str] | None = None) -> None:
        """Remove everything a load created (compensation; auto-commit batches of 10,000)."""
        from .neo4j_cypher import EDGE_TYPES, REF_TYPES

        with self._session(write=True) as session:
            for rel in rel_types if rel_types is not None else [*EDGE_TYPES, *REF_TYPES]:
                session.run(delete_load_rels_cypher(rel), {"load_id": load_id}).consume()
            session.run(DELETE_LOAD_NODES, {"load_id": load_id}).consume()
            session.run(DELETE_LOAD_RECORDS, {"load_id": load_id}).consume()

    @staticmethod
    def _count_rows(batch: WriteBatch) -> int:
        total: int = batch.nodes.num_rows if batch.nodes is not None else 0
        total += sum(source_rows(s) for s in batch.records)
        total += sum(source_rows(s) for sources in batch.edges.values() for s in sources)
        total += sum(t.num_rows for t in batch.refs.values())
        total += len(batch.node_updates) + len(batch.record_updates)
        total += sum(len(rows) for rows in batch.edge_updates.values())
        return total


def _run_step(tx: Any, step: Step) -> None:
    """Run one statement and check it made every relationship it was given."""
    result = tx.run(step.cypher, {"rows": step.rows})
    if step.expect is None:
        result.consume()
        return
    record = result.single(strict=True)
    made = int(record["n"])
    if made != step.expect:
        raise DebtorGraphError(f"写入关系 {made} 条，应为 {step.expect} 条：端点缺失 / wrote {made} of "
                               f"{step.expect} relationships: an endpoint node is missing")


def _step_work(step: Step, load_id: str) -> Callable[[Any], None]:
    """A transaction function for one batch (and the load's heartbeat); it consumes its
    results, so it may be retried."""
    def work(tx: Any) -> None:
        _run_step(tx, step)
        tx.run(BEAT_PENDING, {"load_id": load_id}).consume()
    return work


def _pid_alive(pid: Any) -> bool:
    """Whether process ``pid`` of this host is running."""
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError, TypeError):
        return False
    except PermissionError:
        return True
    return True


__all__ = ["Neo4jStore", "to_plain"]
