"""A recording stand-in for the Neo4j driver (no server): what the Neo4j store sends.

``standin_driver()`` is a ``MagicMock(spec=neo4j.Driver)`` whose ``session()`` gives a
small fake session. Every call is checked against the real driver's signatures (a wrong
keyword fails here as it would on a server) and recorded as a :class:`Sent`:
the Cypher text, the parameters, the database, the access mode, the transaction kind
(``read``/``write`` managed, ``explicit``, ``auto``) and the timeout. ``respond`` decides
what each statement returns (rows of dicts) or raises.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable
from unittest.mock import MagicMock

import neo4j

Responder = Callable[[str, dict[str, Any]], list[dict[str, Any]]]

_SESSION_CONFIG = {"database", "default_access_mode", "fetch_size", "bookmarks", "impersonated_user",
                   "bookmark_manager", "auth", "notifications_min_severity"}


@dataclass
class Sent:
    cypher: str
    params: dict[str, Any]
    database: str | None
    access: str | None
    kind: str            # read | write | explicit | auto
    timeout: float | None = None
    tx: int = 0          # which transaction it ran in


@dataclass
class Log:
    sent: list[Sent] = field(default_factory=list)
    commits: list[int] = field(default_factory=list)
    pending: list[Sent] = field(default_factory=list)  # statements on PendingLoad markers (recovery)
    rollbacks: list[int] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    _tx: int = 0

    def texts(self, kind: str | None = None) -> list[str]:
        return [s.cypher for s in self.sent if kind is None or s.kind == kind]

    def next_tx(self) -> int:
        self._tx += 1
        return self._tx


def default_respond(cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Relationship writes report every row made; everything else returns no rows."""
    if "RETURN count(r) AS n" in cypher and "rows" in params:
        return [{"n": len(params["rows"])}]
    if cypher == "MATCH (r:`Record`) RETURN count(r) AS n":
        return [{"n": 0}]
    return []


class FakeResult:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows

    def keys(self) -> list[str]:
        return list(self._rows[0]) if self._rows else []

    def __iter__(self) -> Any:
        for row in self._rows:
            yield neo4j.Record(row.items())

    def single(self, strict: bool = False) -> Any:
        if strict and len(self._rows) != 1:
            raise neo4j.exceptions.ResultNotSingleError("expected one row")
        return neo4j.Record(self._rows[0].items()) if self._rows else None

    def consume(self) -> None:
        return None


class FakeTx:
    def __init__(self, session: "FakeSession", kind: str, timeout: float | None, signature: Any) -> None:
        self.session, self.kind, self.timeout, self._sig = session, kind, timeout, signature
        self.id = session.log.next_tx()
        self.done = False

    def run(self, query: Any, parameters: dict[str, Any] | None = None, **kw: Any) -> FakeResult:
        self._sig.bind(self, query, parameters, **kw)
        if not isinstance(query, str):  # the real driver refuses Query objects in transactions
            raise TypeError("Query object is only supported for session.run")
        return self.session._send(query, dict(parameters or {}, **kw), self.kind, self.timeout, self.id)

    def commit(self) -> None:
        self.session.log.commits.append(self.id)
        self.done = True

    def rollback(self) -> None:
        self.session.log.rollbacks.append(self.id)
        self.done = True

    def close(self) -> None:
        if not self.done:
            self.rollback()

    def __enter__(self) -> "FakeTx":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FakeSession:
    def __init__(self, log: Log, respond: Responder, config: dict[str, Any]) -> None:
        unknown = set(config) - _SESSION_CONFIG
        assert not unknown, f"unknown session config {unknown}"
        self.log, self.respond, self.config = log, respond, config
        log.sessions.append(config)

    def _send(self, query: str, params: dict[str, Any], kind: str, timeout: float | None,
              tx: int) -> FakeResult:
        sent = Sent(query, params, self.config.get("database"), self.config.get("default_access_mode"), kind,
                    timeout, tx)
        (self.log.pending if "PendingLoad" in query else self.log.sent).append(sent)
        return FakeResult(self.respond(query, params))

    def _managed(self, kind: str, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        tx = FakeTx(self, kind, getattr(fn, "timeout", None), inspect.signature(neo4j.ManagedTransaction.run))
        try:
            out = fn(tx, *args, **kwargs)
        except BaseException:
            tx.rollback()
            raise
        tx.commit()
        return out

    def execute_read(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return self._managed("read", fn, args, kwargs)

    def execute_write(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return self._managed("write", fn, args, kwargs)

    def begin_transaction(self, metadata: dict[str, Any] | None = None, timeout: float | None = None) -> FakeTx:
        return FakeTx(self, "explicit", timeout, inspect.signature(neo4j.Transaction.run))

    def run(self, query: Any, parameters: dict[str, Any] | None = None, **kw: Any) -> FakeResult:
        inspect.signature(neo4j.Session.run).bind(self, query, parameters, **kw)
        text = query.text if isinstance(query, neo4j.Query) else query
        timeout = query.timeout if isinstance(query, neo4j.Query) else None
        return self._send(text, dict(parameters or {}, **kw), "auto", timeout, self.log.next_tx())

    def close(self) -> None:
        return None

    def __enter__(self) -> "FakeSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def standin_driver(respond: Responder | None = None) -> tuple[MagicMock, Log]:
    """A ``MagicMock(spec=neo4j.Driver)`` with recording sessions, and the log it writes."""
    log = Log()
    driver = MagicMock(spec=neo4j.Driver)
    driver.session.side_effect = lambda **config: FakeSession(log, respond or default_respond, config)
    return driver, log


def sample_batch(tmp_path: Any = None) -> Any:
    """A WriteBatch with every part filled: new nodes of two schemata, records (in memory
    and spilled to Parquet), PAYMENT and OWNERSHIP edges, INVOLVED references, and
    updates of a node, a record and an edge."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from debtorgraph.graph.ingest import arrow_schema
    from debtorgraph.graph.schema import ENTITY_COLUMNS, RECORD_COLUMNS, REL_COLUMNS
    from debtorgraph.graph.store.base import WriteBatch

    load = "L1"

    def node(i: str, schema: str, **kw: Any) -> dict[str, Any]:
        row: dict[str, Any] = {c: None for c, _ in ENTITY_COLUMNS}
        row.update({"id": i, "schema": schema, "caption": i, "props": "{}", "load_id": load, **kw})
        return row

    def rel(i: str, a: str, b: str, schema: str, **kw: Any) -> dict[str, Any]:
        row: dict[str, Any] = {c: None for c, _ in REL_COLUMNS}
        row.update({"from": a, "to": b}, id=i, schema=schema, load_id=load, **kw)
        return row

    nodes = [node("p-wang", "Person", party_key="ric:513338198001011234"), node("p-li", "Person"),
             node("acct-1", "BankAccount", account_number="6222"), node("ev-1", "Event", kind="execution_notice",
                                                                       case_number="(2022)川3338执123号")]
    records = [{"id": n["id"], "schema": n["schema"], "props": "{}", "canonical": n["id"],
                "origin": "a.jsonl:1", "load_id": load} for n in nodes]
    rel_schema = arrow_schema(REL_COLUMNS, ("from", "to"))
    pay = pa.Table.from_pylist([rel("pay-1", "p-wang", "p-li", "Payment", amount=50000.0, date="2023-06-02",
                                    src_account="acct-1", seq=3)], schema=rel_schema)
    own = pa.Table.from_pylist([rel("own-1", "p-wang", "acct-1", "Ownership", role="sale")], schema=rel_schema)
    edge_records = pa.Table.from_pylist(
        [{"id": "pay-1", "schema": "Payment", "props": "{}", "canonical": "pay-1", "origin": "a.jsonl:5",
          "load_id": load}], schema=arrow_schema(RECORD_COLUMNS))
    record_sources: list[Any] = [pa.Table.from_pylist(records, schema=arrow_schema(RECORD_COLUMNS))]
    if tmp_path is not None:
        path = str(tmp_path / "records.parquet")
        pq.write_table(edge_records, path)
        record_sources.append([path])
    else:
        record_sources.append(edge_records)
    refs = pa.Table.from_pylist([{"from": "ev-1", "to": "p-wang", "load_id": load}],
                                schema=pa.schema([("from", pa.string()), ("to", pa.string()),
                                                  ("load_id", pa.string())]))
    upd_node = node("p-zhao", "Person", caption="赵某")
    upd_edge = {c: None for c, _ in REL_COLUMNS}
    upd_edge.update(id="pay-0", schema="Payment", amount=10.0, load_id=load)
    return WriteBatch(
        load_id=load,
        nodes=pa.Table.from_pylist(nodes, schema=arrow_schema(ENTITY_COLUMNS)),
        records=record_sources,
        edges={"PAYMENT": [pay], "OWNERSHIP": [own]},
        refs={"INVOLVED": refs},
        node_updates=[upd_node],
        record_updates=[{"id": "p-zhao", "props": '{"name": ["赵某"]}', "canonical": "p-zhao"}],
        edge_updates={"PAYMENT": [upd_edge]},
    )
