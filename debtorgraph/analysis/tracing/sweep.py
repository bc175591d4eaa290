"""The tracer's run: validated inputs, the time-ordered sweep, and the endpoints.

Internal to :mod:`debtorgraph.analysis.tracing` (public API) and
:mod:`debtorgraph.analysis.tracing.flow`.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby
from typing import Any, Iterable

from debtorgraph.analysis.tracing.input import (HolderLookup, Transfer, account_ids,
                                                build_holder_lookup, parse_when,
                                                read_openings, read_transfers)
from debtorgraph.analysis.tracing.ledger import EPS, Ledger, Link
from debtorgraph.analysis.tracing.rows import Transfers
from debtorgraph.errors import InvalidInput, NodeNotFound

__all__ = ["DIGITS", "RULES", "Run", "endpoints", "is_account", "is_known", "prepare", "sweep"]

RULES = ("libr", "fifo", "pro_rata", "greedy")
DIGITS = 6


class Run:
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
        self.parties_before: set[str] = set()  # parties of postings replayed into openings

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


def prepare(payments: Iterable[dict[str, Any]], source: str, since: Any, until: Any,
             rule: str, max_hops: Any, max_wait: Any, accounts: Any, ownerships: Any) -> Run:
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
    given = payments if isinstance(payments, Transfers) else None
    transfers: list[Transfer] = given if given is not None else read_transfers(payments)
    if stop is not None:
        transfers = [t for t in transfers if t.when <= stop]
    accounts = list(accounts or ())
    lookup = (ownerships if isinstance(ownerships, HolderLookup)
              else build_holder_lookup(ownerships or ()))
    known_accounts = account_ids(accounts)
    openings = read_openings(accounts)
    before: set[str] = set()
    if given is not None and given.openings:
        # postings before the window were replayed into balances at its start
        openings = sorted(openings + given.openings)
        known_accounts |= given.accounts
        before = given.parties
    for t in transfers:
        if t.payer_is_account:
            known_accounts.add(t.payer_node)
        if t.payee_is_account:
            known_accounts.add(t.payee_node)
    run = Run(transfers, openings, lookup, known_accounts, source, False, start, stop)
    run.parties_before = before
    run.source_is_account = is_account(source, run)
    if not is_known(source, run):
        raise NodeNotFound(f"Source {source!r} is neither an account nor a party in the "
                           "payments; check the id or pass accounts=/ownerships=")
    return run


def is_account(node: str, run: Run) -> bool:
    """An account: named as one in the payments or accounts, or an owned asset that is
    never a party (a Company is owned too, but pays and holds as a party)."""
    if node in run.accounts:
        return True
    if not run.lookup.knows(node) or run.lookup.owns_any(node):
        return False
    if node in run.parties_before:
        return False
    return not any(node in (t.payer, t.payee) for t in run.transfers)


def is_known(node: str, run: Run) -> bool:
    """True when ``node`` is an account or a party the data mention."""
    if node in run.accounts or run.lookup.knows(node) or run.lookup.owns_any(node):
        return True
    if node in run.parties_before:
        return True
    return any(node in (t.payer, t.payee) for t in run.transfers)


# -- the sweep -----------------------------------------------------------------------

def sweep(run: Run, rule: str, max_hops: int | None, max_wait: timedelta | None) -> Ledger:
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


def _debit(ledger: Ledger, run: Run, t: Transfer) -> list[tuple[Link, float, int]]:
    """Post the debit side of ``t``; seed it in full when it leaves the source."""
    parts = ledger.debit(t.payer_node, t.amount, t.when)
    if t.when < run.start or not run.in_source(t.payer_node, t.payer_is_account, t.payer, t.when):
        return parts
    if run.in_source(t.payee_node, t.payee_is_account, t.payee, t.when) and not _cash(t):
        return parts  # a move inside the source: nothing leaves it (cash drawn does leave)
    fresh = t.amount - sum(p[1] for p in parts)
    if fresh > EPS:
        parts.append((None, fresh, 0))
    return parts


def _cash(t: Transfer) -> bool:
    """Cash drawn from an account: the party pays itself and no account receives it
    (docs/interchange.md); it leaves a party's accounts even when the party is the source."""
    return t.payer_is_account and not t.payee_is_account and t.payer == t.payee == t.payee_node


def endpoints(ledger: Ledger, run: Run) -> list[dict[str, Any]]:
    """Group the parcels left at the end into docs/interchange.md endpoints."""
    grouped: dict[tuple[str, str | None], list[Any]] = {}
    for node, parcel in ledger.endpoints():
        holder = parcel.holder
        if holder is None:
            found = run.holders(node, node in run.accounts, None, parcel.arrived)
            holder = found[0] if found else None
        grouped.setdefault((node, holder), []).append(parcel)
    out = []
    for (node, holder), parcels in grouped.items():
        amount = round(sum(p.amount for p in parcels), DIGITS)
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
        amounts.append(round(link[1], DIGITS))
        link = link[2]
    payments.reverse()
    amounts.reverse()
    return {"payments": payments, "amounts": amounts}
