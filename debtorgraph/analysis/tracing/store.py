"""Tracing on a store: read the payments money can reach, hop by hop, then trace them.

:func:`trace_store` answers ``debtorgraph trace`` and the app's trace page on either store.
It reads only the parties that traced money could reach on time-respecting paths, and
only the payments up to ``until``; postings before ``since`` carry no traced money and
are replayed into the balances money arrives into (:mod:`debtorgraph.analysis.tracing.rows`),
so the answer is the one a trace over every payment in the store gives (tested in
tests/graph/test_generated_load.py), except at hubs (see ``hub_payments``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from debtorgraph.analysis.neighbourhood.store import _FAR, StoreSource, resolve_with_schema
from debtorgraph.analysis.tracing.rows import (PLAIN_DATE, ROW_SCHEMA, Transfers, normalised_dates,
                                               past_balances, transfers_from_rows)
from debtorgraph.graph.memory import paused_gc

__all__ = ["trace_store", "read_trace_inputs", "TraceInputs", "HELD_ACCOUNTS", "ACCOUNTS",
           "TRACE_OUT", "TRACE_IN"]

# Accounts held by parties. Params: $ids. Columns: id, src, dst.
HELD_ACCOUNTS = ("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE o.id IN $ids AND a.schema = 'BankAccount' "
                 "RETURN r.id AS id, o.id AS src, a.id AS dst")
# Holders of accounts. Params: $ids. Columns: id, src, dst.
ACCOUNT_HOLDERS = ("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE a.id IN $ids "
                   "RETURN r.id AS id, o.id AS src, a.id AS dst")
# Parties that paid from an account, or were paid into it. Params: $id. Columns: id.
ACCOUNT_PAYERS = ("MATCH (a:Entity)-[p:PAYMENT]->(:Entity) WHERE p.src_account = $id "
                  "RETURN DISTINCT a.id AS id")
ACCOUNT_PAYEES = ("MATCH (:Entity)-[p:PAYMENT]->(b:Entity) WHERE p.dst_account = $id "
                  "RETURN DISTINCT b.id AS id")
# Accounts by id (opening balances). Params: $ids. Columns: id, schema, props.
ACCOUNTS = ("MATCH (a:Entity) WHERE a.id IN $ids AND a.schema = 'BankAccount' "
            "RETURN a.id AS id, a.schema AS schema, a.props AS props")
_TRACE_COLS = ("RETURN p.id AS id, a.id AS src, b.id AS dst, p.date AS date, p.amount AS amount, "
               "p.src_account AS src_account, p.dst_account AS dst_account, p.seq AS seq")
# Every posting out of parties up to a date, for tracing. Params: $ids, $until.
# Columns: id, src, dst, date, amount, src_account, dst_account, seq.
TRACE_OUT = "MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE a.id IN $ids AND p.date < $until " + _TRACE_COLS
# Every posting into parties up to a date, for tracing. Params: $ids, $until. Columns: as TRACE_OUT.
TRACE_IN = "MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE b.id IN $ids AND p.date < $until " + _TRACE_COLS
# Number of payments of parties (out plus in: a payment to oneself counts twice). Params: $ids.
# Columns: id, n. Out and in are counted apart because an undirected pattern counts a
# self-loop twice on ladybug and once on Neo4j.
PAYMENT_DEGREE = ("MATCH (a:Entity) WHERE a.id IN $ids "
                  "OPTIONAL MATCH (a)-[o:PAYMENT]->(:Entity) WITH a, count(o) AS out "
                  "OPTIONAL MATCH (a)<-[i:PAYMENT]-(:Entity) WITH a, out, count(i) AS inn "
                  "RETURN a.id AS id, out + inn AS n")


def _after(until: str | None) -> str:
    """An exclusive upper bound for ``p.date < $until`` that includes the whole day ``until``."""
    if not until:
        return _FAR
    if len(until) == 10:
        return (datetime.fromisoformat(until) + timedelta(days=1)).date().isoformat()
    return until + "~"


def trace_store(store: Any, source: str, since: str, until: str | None = None, rule: str = "libr",
                max_hops: int | None = None, max_wait: timedelta | None = None,
                hub_payments: int = 20_000) -> dict[str, Any]:
    """Trace money out of an account or party on a store (docs/interchange.md trace JSON).

    The payments are read hop by hop: every posting of the parties reached so far (up to
    ``until``; balances count from the first posting), then the trace is run
    (:func:`debtorgraph.analysis.tracing.trace`) and the holders of the accounts where
    traced money now sits are added, until no new holder appears or ``max_hops`` rounds
    were read. A party with more than ``hub_payments`` payments (a merchant, a bank) is
    not expanded: traced money that reaches it stays there, and ``hubs`` names it.

    Parameters
    ----------
    store : Store
    source : str
        Account or party id (an input id of a merged party works too).
    since, until : str
        ISO dates of the window.
    rule : {"libr", "fifo", "pro_rata", "greedy"}
    max_hops : int, optional
    max_wait : timedelta, optional
    hub_payments : int
        Parties with more payments than this are endpoints, not expanded.

    Returns
    -------
    dict
        The trace (``source``, ``rule``, ``since``, ``until``, ``endpoints``) plus
        ``hubs`` (parties not expanded) and ``payments_read``.
    """
    from debtorgraph.analysis.tracing import trace

    with paused_gc():
        inputs = read_trace_inputs(store, source, since, until, max_hops=max_hops,
                                   hub_payments=hub_payments)
        result = dict(trace(inputs.transfers, inputs.canonical, since, until, rule=rule,
                            max_hops=max_hops, max_wait=max_wait, accounts=inputs.accounts or None,
                            ownerships=inputs.ownerships))
    result["source"] = source
    result["hubs"] = inputs.hubs
    result["payments_read"] = inputs.read
    return result


@dataclass
class TraceInputs:
    """What a trace from ``canonical`` needs, read from a store (:func:`read_trace_inputs`).

    ``transfers`` serve every rule (the parties read are those any rule can reach), so one
    read can give LIBR and greedy side by side (``tracing.trace_range``).
    """

    canonical: str
    transfers: Transfers
    accounts: list[dict[str, Any]]
    ownerships: list[dict[str, Any]]
    hubs: list[str]
    read: int


def read_trace_inputs(store: Any, source: str, since: str, until: str | None = None, *,
                      max_hops: int | None = None, hub_payments: int = 20_000) -> TraceInputs:
    """Read the payments, accounts and ownerships a trace from ``source`` needs (see
    :func:`trace_store`, which runs the trace on them)."""
    with paused_gc():
        return _read_inputs(store, source, since, until, max_hops, hub_payments)


def _read_inputs(store: Any, source: str, since: str, until: str | None, max_hops: int | None,
                 hub_payments: int) -> TraceInputs:
    from debtorgraph.analysis.tracing.input import parse_when, read_openings

    src = StoreSource(store)
    canonical, schema = resolve_with_schema(store, source)
    owned, paid = src._has("OWNERSHIP"), src._has("PAYMENT")  # a store may have neither yet
    holders = {canonical}
    if schema == "BankAccount":
        holders = {r["src"] for r in src._read(ACCOUNT_HOLDERS, {"ids": [canonical]})} if owned else set()
        if not holders and paid:  # no Ownership: the parties that paid or were paid with it
            holders = {r["id"] for q in (ACCOUNT_PAYERS, ACCOUNT_PAYEES)
                       for r in src._read(q, {"id": canonical})}
    until_key = _after(until)
    since_key = _moment_key(since)
    rows: dict[str, tuple[Any, ...]] = {}  # payment id -> row of _TRACE_COLS, from since on
    past: list[pa.Table] = []             # the rows before since, as read (repeats possible)
    in_window: list[tuple[Any, ...]] = []  # ``rows`` in date order
    reached: dict[str, tuple[str, int]] = {h: (since, 0) for h in holders}  # party -> (arrival, hops)
    expanded: set[str] = set()
    hubs: set[str] = set()
    limit = max_hops or 6
    while True:
        frontier = sorted(p for p, (_, hops) in reached.items()
                          if p not in expanded and p not in hubs and hops <= limit)
        if not frontier or not paid:
            break
        others = [p for p in frontier if p not in holders]  # the source is never a hub
        degree = {r["id"]: r["n"] for r in src._read(PAYMENT_DEGREE, {"ids": others})}
        busy = {p for p in frontier if degree.get(p, 0) > hub_payments and p not in holders}
        hubs |= busy
        batch = [p for p in frontier if p not in busy]
        expanded.update(batch)
        params = {"ids": batch, "until": until_key}
        fresh = []
        for cypher in (TRACE_OUT, TRACE_IN):
            table = _read_table(store, cypher, params)
            if since_key is not None:  # earlier postings carry no traced money: kept in Arrow
                later = pc.greater_equal(normalised_dates(table["date"]), since_key)
                past.append(table.filter(pc.invert(later)))
                table = table.filter(later)
            for row in zip(*table.to_pydict().values()):
                if row[0] not in rows:
                    rows[row[0]] = row
                    if (row[3] or "") >= since:  # reach needs only rows from since on
                        fresh.append(row)
        fresh.sort(key=_by_date)
        in_window += fresh
        in_window.sort(key=_by_date)  # two sorted runs: Timsort merges them in one pass
        reached = _reach(in_window, holders, since, reached)
    ownerships = src._edges(src._read(HELD_ACCOUNTS, {"ids": sorted(expanded)})) if owned else []
    if owned:  # and who holds every account the payments name (a statement names its payee as
        # written; the holder is the account's owner: docs/tracing.md, endpoints)
        held = {o["properties"]["asset"][0] for o in ownerships}
        named = sorted({a for r in rows.values() for a in (r[5], r[6]) if a} - held)
        known = {o["id"] for o in ownerships}
        ownerships += [o for o in src._edges(src._read(ACCOUNT_HOLDERS, {"ids": named})) if o["id"] not in known]
    accounts = src.nodes(sorted({o["properties"]["asset"][0] for o in ownerships}))
    cut, stated = parse_when(since), read_openings(accounts)
    before = pa.concat_tables(past) if past else None
    replayed = past_balances(before, cut, stated) if before is not None else None
    if replayed is None:  # unusual dates or values: every row through the exact path
        if before is not None:
            rows.update((r[0], r) for r in zip(*before.to_pydict().values()) if r[0] not in rows)
        transfers = transfers_from_rows(rows.values(), cut=cut, openings=stated)
        read = len(rows)
    else:
        transfers = transfers_from_rows(rows.values())
        transfers.openings, transfers.parties, transfers.accounts = replayed
        read = len(rows) + len(pc.unique(before["id"])) if before is not None else len(rows)
    return TraceInputs(canonical, transfers, accounts, ownerships, sorted(hubs), read)


def _moment_key(since: str) -> str | None:
    """``since`` as the normalised date text rows compare against; None when not plain."""
    if re.fullmatch(PLAIN_DATE, since) is None:
        return None
    return since + "T00:00:00" if len(since) == 10 else since


def _read_table(store: Any, cypher: str, params: dict[str, Any]) -> pa.Table:
    """A trace read (the _TRACE_COLS columns) as an Arrow table, by Arrow where the store can."""
    if any(isinstance(v, list) and not v for v in params.values()):
        return ROW_SCHEMA.empty_table()
    read_arrow = getattr(store, "read_arrow", None)
    if callable(read_arrow):
        table = read_arrow(cypher, params)
        return table.cast(ROW_SCHEMA) if table.num_rows else ROW_SCHEMA.empty_table()
    rows = store.run_read(cypher, params).rows
    return pa.Table.from_pylist([dict(zip(ROW_SCHEMA.names, row)) for row in rows], schema=ROW_SCHEMA)


def _reach(ordered: list[tuple[Any, ...]], holders: set[str], since: str,
           old: dict[str, tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """Parties that money leaving the source could reach on time-respecting paths.

    A superset of where any tracing rule can move traced money (a rule moves at most
    what arrived, and only forward in time), so reading these parties' payments is
    enough for an exact trace; ``hops`` counts payments from the source. ``ordered`` are
    _TRACE_COLS tuples (id, src, dst, date, ...) in date order.
    """
    reached = {h: (since, 0) for h in holders}
    for pid, src, dst, day, *_ in ordered:
        got = reached.get(src)
        day = day or ""
        if got is None or day < got[0] or day < since or dst in holders:
            continue
        hops = got[1] + 1
        prev = reached.get(dst)
        # earliest arrival and fewest hops so far, each a bound on its own: money that
        # comes later by a shorter route may still travel further
        if prev is None:
            reached[dst] = (day, hops)
        elif day < prev[0] or hops < prev[1]:
            reached[dst] = (min(day, prev[0]), min(hops, prev[1]))
    for party, value in old.items():
        reached.setdefault(party, value)
    return reached


def _by_date(row: tuple[Any, ...]) -> tuple[str, str]:
    return (row[3] or "", row[0])
