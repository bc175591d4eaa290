"""Money tracing on time-respecting paths: LIBR, FIFO, pro rata and greedy.

Implements tracing.md section (c) and the trace JSON of interchange.md. One sweep over
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
:mod:`debtorgraph.analysis.tracing_ledger`); the parts of one payment over all routes add
up to the traced amount of that payment. A route's last amount can exceed what is left
at the endpoint when part of it moved on: that part is listed, with the longer route,
at the endpoint it reached.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any, Iterable

from debtorgraph.analysis.tracing_input import (HolderLookup, Transfer, account_ids,
                                                build_holder_lookup, parse_when,
                                                read_openings, read_transfers)
from debtorgraph.analysis.tracing_ledger import EPS, Ledger, Link
from debtorgraph.errors import InvalidInput, NodeNotFound

log = logging.getLogger(__name__)

__all__ = ["RULES", "build_holder_lookup", "trace", "trace_range", "max_flow_bound"]

RULES = ("libr", "fifo", "pro_rata", "greedy")
_DIGITS = 6

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
        The interchange.md trace: ``source``, ``rule``, ``since``, ``until`` and
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
    The multi-hop case of tracing.md: 100 own plus 300 traced, a side payment of 250,
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
    run = _prepare(payments, source, since, until, rule, max_hops, max_wait, accounts,
                   ownerships)
    ledger = _sweep(run, rule, max_hops, max_wait)
    return {"source": source, "rule": rule, "since": _show(since), "until": _show(until),
            "endpoints": _endpoints(ledger, run)}


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
    run = _prepare(payments, source, since, until, "libr", max_hops, max_wait, accounts,
                   ownerships)
    traces: dict[str, dict[str, Any]] = {}
    for rule in ("libr", "greedy"):
        ledger = _sweep(run, rule, max_hops, max_wait)
        traces[rule] = {"source": source, "rule": rule, "since": _show(since),
                        "until": _show(until), "endpoints": _endpoints(ledger, run)}
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
    totals = {rule: round(sum(e["amount"] for e in t["endpoints"]), _DIGITS)
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
    from debtorgraph.analysis.tracing_flow import flow_bound

    run = _prepare(payments, source, since, until, "libr", None, None, accounts, ownerships)
    if not _is_known(target, run):
        raise NodeNotFound(f"Target {target!r} is neither an account nor a party in the "
                           "payments; check the id or pass accounts=/ownerships=")
    return round(flow_bound(run, target), _DIGITS)


# -- preparation ---------------------------------------------------------------------

class _Run:
    """Validated inputs of one trace: transfers, openings, holders, source, window."""

    def __init__(self, transfers: list[Transfer], openings: list[tuple[datetime, str, float]],
                 lookup: HolderLookup, accounts: set[str], source: str, source_is_account: bool,
                 start: datetime, stop: datetime | None) -> None:
        self.transfers = transfers
        self.openings = openings
        self.lookup = lookup
        self.accounts = accounts
        self.source = source
        self.source_is_account = source_is_account
        self.start = start
        self.stop = stop

    def holders(self, node: str, is_account: bool, named: str | None, when: datetime) -> list[str]:
        """Holders of ``node`` at ``when``: Ownership first, else the party named with it."""
        if not is_account:
            return [node]
        found = self.lookup.holders(node, when)
        return found if found else ([named] if named else [])

    def in_source(self, node: str, is_account: bool, named: str | None, when: datetime) -> bool:
        """True when ``node`` belongs to the source at ``when``."""
        if node == self.source:
            return True
        if self.source_is_account or not is_account:
            return False
        return self.source in self.holders(node, True, named, when)


def _prepare(payments: Iterable[dict[str, Any]], source: str, since: Any, until: Any,
             rule: str, max_hops: Any, max_wait: Any, accounts: Any, ownerships: Any) -> _Run:
    """Validate every argument, then read the entities."""
    errors: dict[str, str] = {}
    if rule not in RULES:
        errors["rule"] = f"rule {rule!r} is not one of {', '.join(RULES)}"
    if not isinstance(source, str) or not source:
        errors["source"] = f"source {source!r} must be a non-empty entity id"
    if max_hops is not None and (isinstance(max_hops, bool) or not isinstance(max_hops, int)
                                 or max_hops < 1):
        errors["max_hops"] = f"max_hops {max_hops!r} must be a whole number of at least 1"
    if max_wait is not None and (not isinstance(max_wait, timedelta) or max_wait < timedelta(0)):
        errors["max_wait"] = f"max_wait {max_wait!r} must be a timedelta of at least 0"
    start = stop = None
    try:
        start = parse_when(since)
    except (ValueError, TypeError):
        errors["since"] = f"since {since!r} is not an ISO date or date-time"
    if until is not None:
        try:
            stop = parse_when(until, end=True)
        except (ValueError, TypeError):
            errors["until"] = f"until {until!r} is not an ISO date or date-time"
    if start is not None and stop is not None and stop < start:
        errors["until"] = f"until {until!r} is before since {since!r}"
    if errors:
        raise InvalidInput("; ".join(errors.values()), errors)
    assert start is not None
    transfers = read_transfers(payments)
    if stop is not None:
        transfers = [t for t in transfers if t.when <= stop]
    accounts = list(accounts or ())
    lookup = (ownerships if isinstance(ownerships, HolderLookup)
              else build_holder_lookup(ownerships or ()))
    known_accounts = account_ids(accounts)
    for t in transfers:
        if t.payer_is_account:
            known_accounts.add(t.payer_node)
        if t.payee_is_account:
            known_accounts.add(t.payee_node)
    run = _Run(transfers, read_openings(accounts), lookup, known_accounts, source, False,
               start, stop)
    run.source_is_account = _is_account(source, run)
    if not _is_known(source, run):
        raise NodeNotFound(f"Source {source!r} is neither an account nor a party in the "
                           "payments; check the id or pass accounts=/ownerships=")
    return run


def _is_account(node: str, run: _Run) -> bool:
    """An account: named as one in the payments or accounts, or an owned asset that is
    never a party (a Company is owned too, but pays and holds as a party)."""
    if node in run.accounts:
        return True
    if not run.lookup.knows(node) or run.lookup.owns_any(node):
        return False
    return not any(node in (t.payer, t.payee) for t in run.transfers)


def _is_known(node: str, run: _Run) -> bool:
    """True when ``node`` is an account or a party the data mention."""
    if node in run.accounts or run.lookup.knows(node) or run.lookup.owns_any(node):
        return True
    return any(node in (t.payer, t.payee) for t in run.transfers)


def _show(value: Any) -> str | None:
    """The window bound as written in the output: the caller's text, or ISO format."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


# -- the sweep -----------------------------------------------------------------------

def _sweep(run: _Run, rule: str, max_hops: int | None, max_wait: timedelta | None) -> Ledger:
    """Post every opening and transfer in order; return the final ledger."""
    ledger = Ledger(rule, max_hops, max_wait)
    openings = iter(run.openings)
    pending = next(openings, None)
    for _, group_iter in groupby(run.transfers, key=lambda t: (t.when, t.seq)):
        group = list(group_iter)
        when = group[0].when
        while pending is not None and pending[0] <= when:
            ledger.open(pending[1], pending[0], pending[2])
            pending = next(openings, None)
        carried = [_debit(ledger, run, t) for t in group]  # debits before credits
        for t, parts in zip(group, carried):
            holder = None
            if parts:
                found = run.holders(t.payee_node, t.payee_is_account, t.payee, t.when)
                holder = found[0] if found else None
            ledger.credit(t.payee_node, t.id, t.amount, t.when, parts, holder)
    while pending is not None and (run.stop is None or pending[0] <= run.stop):
        ledger.open(pending[1], pending[0], pending[2])
        pending = next(openings, None)
    return ledger


def _debit(ledger: Ledger, run: _Run, t: Transfer) -> list[tuple[Link, float, int]]:
    """Post the debit side of ``t``; seed it in full when it leaves the source."""
    parts = ledger.debit(t.payer_node, t.amount, t.when)
    if t.when < run.start or not run.in_source(t.payer_node, t.payer_is_account, t.payer, t.when):
        return parts
    if run.in_source(t.payee_node, t.payee_is_account, t.payee, t.when):
        return parts  # a move inside the source: nothing leaves it
    fresh = t.amount - sum(p[1] for p in parts)
    if fresh > EPS:
        parts.append((None, fresh, 0))
    return parts


def _endpoints(ledger: Ledger, run: _Run) -> list[dict[str, Any]]:
    """Group the parcels left at the end into interchange.md endpoints."""
    grouped: dict[tuple[str, str | None], list[Any]] = {}
    for node, parcel in ledger.endpoints():
        holder = parcel.holder
        if holder is None:
            found = run.holders(node, node in run.accounts, None, parcel.arrived)
            holder = found[0] if found else None
        grouped.setdefault((node, holder), []).append(parcel)
    out = []
    for (node, holder), parcels in grouped.items():
        amount = round(sum(p.amount for p in parcels), _DIGITS)
        if amount <= 0:
            continue
        paths = [_route(p.link) for p in parcels]
        paths.sort(key=lambda r: (-r["amounts"][-1], r["payments"]))
        out.append({"id": node, "holder": holder, "amount": amount, "paths": paths})
    out.sort(key=lambda e: (-e["amount"], e["id"], e["holder"] or ""))
    return out


def _route(link: Link) -> dict[str, list[Any]]:
    """Unroll a route (newest hop first) into payments and amounts, first hop first."""
    payments: list[str] = []
    amounts: list[float] = []
    while link is not None:
        payments.append(link[0])
        amounts.append(round(link[1], _DIGITS))
        link = link[2]
    payments.reverse()
    amounts.reverse()
    return {"payments": payments, "amounts": amounts}
