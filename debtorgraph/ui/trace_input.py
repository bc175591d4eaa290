"""The payments a trace needs, read from the store around its source.

:func:`debtorgraph.analysis.tracing.trace` works on FtM Payment entities. Reading every
payment of a large store would be slow, and most cannot matter: traced money only moves
forward in time from the source. :func:`trace_inputs` walks out from the source party
(or the holders of the source account) hop by hop, following payments made on or after
``since``; for every party reached it reads all of its payments (earlier ones too,
because account balances count from the first posting), the Ownerships of its
accounts and the accounts' opening balances. The walk stops after ``max_hops`` hops or
``cap`` payments (then ``truncated`` is set and the page says so).
"""
from __future__ import annotations

import logging
from typing import Any

import orjson

from . import queries as Q

log = logging.getLogger(__name__)

__all__ = ["trace_inputs"]

_COLS = ("RETURN r.id AS rid, a.id AS src, b.id AS dst, r.date AS date, r.amount AS amount, "
         "r.currency AS currency, r.seq AS seq, r.src_account AS src_account, r.dst_account AS dst_account "
         "LIMIT $limit")
# Payments out of some parties. Params: $ids, $limit. Columns: rid, src, dst, date, amount,
# currency, seq, src_account, dst_account.
PAYMENTS_OUT = "MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) WHERE a.id IN $ids " + _COLS
# Payments into some parties. Same params and columns.
PAYMENTS_IN = "MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) WHERE b.id IN $ids " + _COLS
# Ownerships of assets. Params: $ids. Columns: rid, owner, asset, start_date, end_date.
HOLDERS = ("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE a.id IN $ids RETURN r.id AS rid, o.id AS owner, "
           "a.id AS asset, r.start_date AS start_date, r.end_date AS end_date")


def _payment(row: dict[str, Any]) -> dict[str, Any]:
    """A Payment FtM dict from a row of PAYMENTS_OUT/PAYMENTS_IN (the detector's builder)."""
    from ..analysis.pull import payment_entity

    return payment_entity(dict(row, id=row["rid"]))


def trace_inputs(store: Any, source: str, since: str | None, *, max_hops: int = 6,
                 cap: int = 200_000) -> dict[str, Any]:
    """Payments, ownerships and accounts for tracing from ``source``.

    Returns
    -------
    dict
        ``payments``, ``ownerships``, ``accounts`` (FtM entity dicts) and ``truncated``.
    """
    if "PAYMENT" not in Q.rel_types(store):
        return {"payments": [], "ownerships": [], "accounts": [], "truncated": False}
    start = Q.nodes(store, [source]).get(source)
    frontier = {source}
    if start and start["schema"] == "BankAccount":
        frontier = {r["owner"] for r in Q.read(store, HOLDERS, {"ids": [source]}, needs=("OWNERSHIP",))} or {source}
    seen_parties: set[str] = set()
    rows: dict[str, dict[str, Any]] = {}
    truncated = False
    floor = since or Q.NO_START
    for _ in range(max_hops + 1):
        frontier -= seen_parties
        if not frontier:
            break
        seen_parties |= frontier
        params = {"ids": sorted(frontier), "limit": cap - len(rows) + 1}
        got = Q.read(store, PAYMENTS_OUT, params) + Q.read(store, PAYMENTS_IN, params)
        nxt = set()
        for r in got:
            rows.setdefault(r["rid"], r)
            if r["src"] in frontier and (r["date"] or "") >= floor:
                nxt.add(r["dst"])
        if len(rows) > cap:
            truncated = True
            break
        frontier = nxt
    accounts = sorted({a for r in rows.values() for a in (r["src_account"], r["dst_account"]) if a})
    ownerships = [{"id": o["rid"], "schema": "Ownership",
                   "properties": {k: [v] for k, v in (("owner", o["owner"]), ("asset", o["asset"]),
                                                      ("startDate", o["start_date"]), ("endDate", o["end_date"])) if v}}
                  for o in Q.read(store, HOLDERS, {"ids": accounts}, needs=("OWNERSHIP",))] if accounts else []
    account_rows = []
    for acct in Q.nodes(store, accounts).values():
        props = orjson.loads(acct["props"]) if acct.get("props") else {}
        if props.get("balance") and props.get("balanceDate"):
            account_rows.append({"id": acct["id"], "schema": "BankAccount", "properties": props})
    log.info("trace inputs: %d payments, %d parties, truncated=%s", len(rows), len(seen_parties), truncated)
    return {"payments": [_payment(r) for r in rows.values()], "ownerships": ownerships, "accounts": account_rows,
            "truncated": truncated}
