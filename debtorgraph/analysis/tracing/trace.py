"""Money tracing on time-respecting paths: LIBR, FIFO, pro rata and greedy.

Implements docs/tracing.md section (c) and the trace JSON of docs/interchange.md. One sweep over
the payments in posting order (date-time, then ``sequenceNumber``, then debits before
credits) keeps every account's running balance B and the traced money it holds.

What a trace starts from (the product's convention): ``source`` is an account, or a
party (all accounts it holds, plus payments posted at the party because they name no
account). Every debit from the source on or after ``since`` (and up to ``until``) to a
node outside the source is traced at its full amount; the traced money then moves hop
by hop under the rule until ``until``. Traced money that comes back to the source is
spent first by the source's next debits, so nothing is counted twice: the endpoint
amounts always add up to the amount seeded, less nothing (conservation).

Path bookkeeping: each endpoint lists the routes (Payment ids hop by hop) by which its
traced money came, and for each hop the traced amount that route carried on it. When a
debit carries money from several routes, it is split over them oldest route first (see
:mod:`debtorgraph.analysis.tracing.ledger`); the parts of one payment over all routes add
up to the traced amount of that payment. A route's last amount can exceed what is left
at the endpoint when part of it moved on: that part is listed, with the longer route,
at the endpoint it reached.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from debtorgraph.analysis.tracing.input import HolderLookup, build_holder_lookup
from debtorgraph.analysis.tracing.sweep import (DIGITS, RULES, endpoints, is_known, prepare,
                                                sweep)
from debtorgraph.errors import NodeNotFound

log = logging.getLogger(__name__)

__all__ = ["RULES", "build_holder_lookup", "max_flow_bound", "trace", "trace_range",
           "traced_payments"]


Ownerships = Iterable[dict[str, Any]] | HolderLookup | None


def trace(payments: Iterable[dict[str, Any]], source: str, since: str | date | datetime,
          until: str | date | datetime | None = None, rule: str = "libr",
          max_hops: int | None = None, max_wait: timedelta | None = None,
          accounts: Iterable[dict[str, Any]] | None = None,
          ownerships: Ownerships = None) -> dict[str, Any]:
    """Trace money out of an account or party under one tracing rule.

    Parameters
    ----------
    payments : iterable of dict
        FtM Payment entities (``payer``, ``beneficiary``, ``payerAccount``,
        ``beneficiaryAccount``, ``amount``, ``date``, ``sequenceNumber``). Entities of
        other schemata are skipped. A payment that names no account is posted at the
        party (cash, unknown account).
    source : str
        An account id, or a party id meaning every account it holds.
    since, until : str, date or datetime
        The window. Debits from the source in it are traced at full amount. A date
        ``until`` includes that whole day; None means to the end of the data.
    rule : {"libr", "fifo", "pro_rata", "greedy"}
        How a debit from a mixed balance is split between traced and clean money.
    max_hops : int, optional
        Longest chain of payments followed; money that has made ``max_hops`` hops stays
        where it arrived.
    max_wait : timedelta, optional
        Longest wait at an account between hops; traced money older than that at an
        account stays there.
    accounts : iterable of dict, optional
        BankAccount entities; ``balance`` + ``balanceDate`` set B at that date.
    ownerships : iterable of dict or HolderLookup, optional
        Ownership entities (or :func:`build_holder_lookup` of them): who held each
        account when. Without one, the party a payment names with an account holds it.

    Returns
    -------
    dict
        The docs/interchange.md trace: ``source``, ``rule``, ``since``, ``until`` and
        ``endpoints`` (``id``, ``holder``, ``amount``, ``paths`` of ``payments`` and
        ``amounts``), largest amount first. An account whose holder changed while money
        arrived is listed once per holder.

    Raises
    ------
    InvalidInput
        For an unknown rule, a bad window or limit, or unreadable payments.
    NodeNotFound
        When ``source`` is neither an account nor a party in the data.

    Examples
    --------
    The multi-hop case of docs/tracing.md: 100 own plus 300 traced, a side payment of 250,
    then a forward of 140.

    >>> def pay(pid, a, b, amount, day):
    ...     return {"id": pid, "schema": "Payment", "properties": {
    ...         "payer": ["p-" + a], "beneficiary": ["p-" + b], "payerAccount": [a],
    ...         "beneficiaryAccount": [b], "amount": [str(amount)], "date": [day]}}
    >>> pays = [pay("own", "x", "a", 100, "2023-01-01"), pay("t1", "s", "a", 300, "2023-02-01"),
    ...         pay("side", "a", "c", 250, "2023-02-02"), pay("fwd", "a", "d", 140, "2023-02-03")]
    >>> out = trace(pays, "s", "2023-02-01")
    >>> [(e["id"], e["amount"]) for e in out["endpoints"]]
    [('c', 150.0), ('d', 140.0), ('a', 10.0)]
    >>> out["endpoints"][1]["paths"]
    [{'payments': ['t1', 'fwd'], 'amounts': [300.0, 140.0]}]
    >>> [(e["id"], e["amount"]) for e in trace(pays, "s", "2023-02-01", rule="greedy")["endpoints"]]
    [('c', 250.0), ('d', 50.0)]
    """
    run = prepare(payments, source, since, until, rule, max_hops, max_wait, accounts,
                   ownerships)
    ledger = sweep(run, rule, max_hops, max_wait)
    return {"source": source, "rule": rule, "since": _show(since), "until": _show(until),
            "endpoints": endpoints(ledger, run)}


def trace_range(payments: Iterable[dict[str, Any]], source: str,
                since: str | date | datetime, until: str | date | datetime | None = None,
                max_hops: int | None = None, max_wait: timedelta | None = None,
                accounts: Iterable[dict[str, Any]] | None = None,
                ownerships: Ownerships = None) -> dict[str, Any]:
    """Trace under LIBR and greedy and put the endpoint amounts side by side.

    LIBR (the legal default) and greedy (taint moves as fast as possible) show how much
    the choice of rule matters; neither bounds the other at every endpoint.

    Parameters
    ----------
    payments, source, since, until, max_hops, max_wait, accounts, ownerships
        As for :func:`trace`.

    Returns
    -------
    dict
        ``source``, ``since``, ``until``; ``endpoints``: one row per (id, holder) with
        ``libr``, ``greedy``, ``low`` and ``high`` amounts, highest first; ``totals`` per
        rule; ``traces``: the two full traces keyed by rule.

    Examples
    --------
    >>> def pay(pid, a, b, amount, day):
    ...     return {"id": pid, "schema": "Payment", "properties": {
    ...         "payer": ["p-" + a], "beneficiary": ["p-" + b], "payerAccount": [a],
    ...         "beneficiaryAccount": [b], "amount": [str(amount)], "date": [day]}}
    >>> pays = [pay("own", "x", "a", 100, "2023-01-01"), pay("t1", "s", "a", 300, "2023-02-01"),
    ...         pay("side", "a", "c", 250, "2023-02-02"), pay("fwd", "a", "d", 140, "2023-02-03")]
    >>> rows = trace_range(pays, "s", "2023-02-01")["endpoints"]
    >>> [(r["id"], r["libr"], r["greedy"]) for r in rows]
    [('c', 150.0, 250.0), ('d', 140.0, 50.0), ('a', 10.0, 0.0)]
    """
    run = prepare(payments, source, since, until, "libr", max_hops, max_wait, accounts,
                   ownerships)
    traces: dict[str, dict[str, Any]] = {}
    for rule in ("libr", "greedy"):
        ledger = sweep(run, rule, max_hops, max_wait)
        traces[rule] = {"source": source, "rule": rule, "since": _show(since),
                        "until": _show(until), "endpoints": endpoints(ledger, run)}
    rows: dict[tuple[str, str | None], dict[str, Any]] = {}
    for rule, result in traces.items():
        for ep in result["endpoints"]:
            row = rows.setdefault((ep["id"], ep["holder"]),
                                  {"id": ep["id"], "holder": ep["holder"], "libr": 0.0,
                                   "greedy": 0.0})
            row[rule] = ep["amount"]
    for row in rows.values():
        row["low"], row["high"] = min(row["libr"], row["greedy"]), max(row["libr"], row["greedy"])
    ordered = sorted(rows.values(), key=lambda r: (-r["high"], r["id"], r["holder"] or ""))
    totals = {rule: round(sum(e["amount"] for e in t["endpoints"]), DIGITS)
              for rule, t in traces.items()}
    return {"source": source, "since": _show(since), "until": _show(until),
            "endpoints": ordered, "totals": totals, "traces": traces}


def max_flow_bound(payments: Iterable[dict[str, Any]], source: str, target: str,
                   since: str | date | datetime, until: str | date | datetime | None = None,
                   accounts: Iterable[dict[str, Any]] | None = None,
                   ownerships: Ownerships = None) -> float:
    """Upper bound on the source's money that can reach ``target`` in the window.

    A maximum flow on the time-expanded graph (Kosyfaki et al.): every payment carries
    at most its amount, an account holds at most its balance B between postings, and
    hops respect posting order. Each source debit in the window may carry its full
    amount. The bound holds for every rule, with or without ``max_hops``/``max_wait``:
    no rule can leave more at ``target`` than the most that could ever arrive there.

    Parameters
    ----------
    payments, source, since, until, accounts, ownerships
        As for :func:`trace`.
    target : str
        An account, or a party (its accounts and the payments posted at it).

    Returns
    -------
    float
        The most traced money that can first arrive at ``target``.

    Raises
    ------
    InvalidInput, NodeNotFound
        As for :func:`trace`; NodeNotFound also for an unknown ``target``.

    Examples
    --------
    >>> def pay(pid, a, b, amount, day):
    ...     return {"id": pid, "schema": "Payment", "properties": {
    ...         "payer": ["p-" + a], "beneficiary": ["p-" + b], "payerAccount": [a],
    ...         "beneficiaryAccount": [b], "amount": [str(amount)], "date": [day]}}
    >>> pays = [pay("own", "x", "a", 100, "2023-01-01"), pay("t1", "s", "a", 300, "2023-02-01"),
    ...         pay("side", "a", "c", 250, "2023-02-02"), pay("fwd", "a", "d", 140, "2023-02-03")]
    >>> max_flow_bound(pays, "s", "d", "2023-02-01")
    140.0
    """
    from debtorgraph.analysis.tracing.flow import flow_bound

    run = prepare(payments, source, since, until, "libr", None, None, accounts, ownerships)
    if not is_known(target, run):
        raise NodeNotFound(f"Target {target!r} is neither an account nor a party in the "
                           "payments; check the id or pass accounts=/ownerships=")
    return round(flow_bound(run, target), DIGITS)


def traced_payments(result: dict[str, Any]) -> dict[str, float]:
    """Traced amount each payment carried in a trace, summed over the routes through it.

    A route's ``amounts`` give what that route carried on each hop; one payment can
    carry several routes' money, and one route prefix is listed at every endpoint its
    money reached, so this counts each distinct prefix once.

    Parameters
    ----------
    result : dict
        A :func:`trace` result.

    Returns
    -------
    dict of str to float
        Payment id -> traced amount (never more than the payment's amount).

    Examples
    --------
    >>> result = {"endpoints": [
    ...     {"id": "m", "holder": "p-m", "amount": 20.0,
    ...      "paths": [{"payments": ["r2"], "amounts": [40.0]}]},
    ...     {"id": "z", "holder": "p-z", "amount": 80.0,
    ...      "paths": [{"payments": ["r1", "fwd"], "amounts": [60.0, 60.0]},
    ...                {"payments": ["r2", "fwd"], "amounts": [40.0, 20.0]}]}]}
    >>> traced_payments(result)
    {'r2': 40.0, 'r1': 60.0, 'fwd': 80.0}
    """
    prefixes: dict[tuple[str, ...], float] = {}
    for ep in result.get("endpoints", []):
        for path in ep.get("paths", []):
            for i, amount in enumerate(path["amounts"]):
                prefixes[tuple(path["payments"][: i + 1])] = float(amount)
    out: dict[str, float] = {}
    for prefix, amount in prefixes.items():
        out[prefix[-1]] = out.get(prefix[-1], 0.0) + amount
    return {pid: round(amount, DIGITS) for pid, amount in out.items()}


def _show(value: Any) -> str | None:
    """The window bound as written in the output: the caller's text, or ISO format."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
