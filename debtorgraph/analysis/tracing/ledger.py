"""The tracer's per-account ledger: running balance B and traced parcels under one rule.

Each account (or party, for payments that name no account) keeps its balance ``B`` and
the traced ("tainted") money it holds as *parcels*: one parcel per route the money took,
oldest first. The rule decides how much traced money a debit carries (docs/tracing.md
section (c)); the parcels decide which routes that money came by:

- ``libr``: B -= d; new tau = max(0, min(tau, B)); the debit carries old - new tau.
- ``greedy``: the debit carries min(tau, d).
- ``pro_rata``: the debit carries tau * d / B (all of tau when d >= B).
- ``fifo``: a queue of deposits (clean, traced or mixed) is used up oldest first; a
  mixed deposit gives up traced money in proportion to its traced share.

Whatever the rule, the traced amount a debit carries is taken from the parcels oldest
first (whole parcels, and part of at most one). This is the path-splitting convention:
it is exact for FIFO, a documented choice for the other rules (their amount does not
depend on which route the money came by), and keeps the sweep linear: each debit adds
at most one parcel. Parcels that may not move on (``max_hops`` reached on arrival, or
waiting longer than ``max_wait``) are *settled*: they stay at the account as an
endpoint and leave the rule's tau, so they never travel again.
"""
from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Iterator, Optional

__all__ = ["EPS", "Ledger", "Link", "Parcel"]

EPS = 1e-9

# A route, newest hop first: (payment id, traced amount this route carried on it, parent).
Link = Optional[tuple[str, float, "Link"]]


class Parcel:
    """Traced money that came by one route: amount held, route, hops, arrival, holder."""

    __slots__ = ("amount", "link", "hops", "arrived", "holder")

    def __init__(self, amount: float, link: Link, hops: int, arrived: datetime,
                 holder: str | None) -> None:
        self.amount = amount
        self.link = link
        self.hops = hops
        self.arrived = arrived
        self.holder = holder


class _Node:
    """State of one account: balance, live traced total, parcels, FIFO queue, settled."""

    __slots__ = ("balance", "taint", "parcels", "queue", "qhead", "qtaint", "settled")

    def __init__(self) -> None:
        self.balance = 0.0
        self.taint = 0.0
        self.parcels: deque[Parcel] = deque()
        self.queue: list[list[float]] = []  # FIFO only: [amount, traced part] per deposit
        self.qhead = 0                      # first unspent deposit
        self.qtaint = 0                     # no traced money before this index
        self.settled: list[Parcel] = []


class Ledger:
    """All accounts' state during one time-ordered sweep under one rule."""

    def __init__(self, rule: str, max_hops: int | None = None,
                 max_wait: timedelta | None = None) -> None:
        self.rule = rule
        self.max_hops = max_hops
        self.max_wait = max_wait
        self.nodes: dict[str, _Node] = {}

    def _node(self, key: str) -> _Node:
        node = self.nodes.get(key)
        if node is None:
            node = self.nodes[key] = _Node()
        return node

    def balance(self, key: str) -> float:
        """Current running balance B of ``key`` (0 if never posted)."""
        node = self.nodes.get(key)
        return node.balance if node else 0.0

    def open(self, key: str, when: datetime, balance: float) -> None:
        """Set B to a stated balance: a clean credit, or an unrecorded debit.

        Traced money an unrecorded debit takes (missing postings) settles at the account:
        it left, but the data do not say where.
        """
        node = self._node(key)
        diff = balance - node.balance
        if diff >= 0:
            self._credit_clean(node, diff)
        else:
            for link, amount, hops in self.debit(key, -diff, when):
                node.settled.append(Parcel(amount, link, hops, when, None))

    def debit(self, key: str, amount: float, when: datetime) -> list[tuple[Link, float, int]]:
        """Post a debit; return the traced money it carries as (route, amount, hops)."""
        node = self._node(key)
        if self.max_wait is not None and node.parcels:
            self._settle_stale(node, when - self.max_wait)
        old = node.balance
        node.balance = max(0.0, old - amount)
        if self.rule == "fifo":
            carried = self._spend_queue(node, amount)
        elif node.taint <= EPS:
            return []
        elif self.rule == "libr":
            carried = node.taint - min(node.taint, node.balance)
        elif self.rule == "greedy":
            carried = min(node.taint, amount)
        else:  # pro_rata
            carried = node.taint if amount >= old or old <= EPS else node.taint * amount / old
        carried = min(carried, node.taint, amount)
        return self._draw(node, carried) if carried > EPS else []

    def credit(self, key: str, payment: str, amount: float, when: datetime,
               carried: list[tuple[Link, float, int]], holder: str | None) -> None:
        """Post a credit bringing ``carried`` traced money (may be empty)."""
        node = self._node(key)
        node.balance += amount
        live = 0.0
        for parent, part, hops in carried:
            parcel = Parcel(part, (payment, part, parent), hops + 1, when, holder)
            if self.max_hops is not None and parcel.hops >= self.max_hops:
                node.settled.append(parcel)
            else:
                node.parcels.append(parcel)
                live += part
        node.taint += live
        if self.rule == "fifo":
            if live > EPS:
                node.queue.append([amount, min(live, amount)])
            else:
                self._credit_clean(node, amount, add_balance=False)

    def endpoints(self) -> Iterator[tuple[str, Parcel]]:
        """Every parcel still holding money at the end: (node id, parcel)."""
        for key, node in self.nodes.items():
            for parcel in node.settled:
                if parcel.amount > EPS:
                    yield key, parcel
            for parcel in node.parcels:
                if parcel.amount > EPS:
                    yield key, parcel

    # -- helpers ---------------------------------------------------------------------
    def _credit_clean(self, node: _Node, amount: float, add_balance: bool = True) -> None:
        if add_balance:
            node.balance += amount
        if self.rule != "fifo" or amount <= 0:
            return
        queue = node.queue
        if len(queue) > node.qhead and queue[-1][1] <= EPS:
            queue[-1][0] += amount
        else:
            queue.append([amount, 0.0])

    def _spend_queue(self, node: _Node, amount: float) -> float:
        """FIFO: use up deposits oldest first; return the traced part used."""
        queue, need, traced = node.queue, amount, 0.0
        while need > EPS and node.qhead < len(queue):
            entry = queue[node.qhead]
            if entry[0] <= need + EPS:
                need -= entry[0]
                traced += entry[1]
                node.qhead += 1
            else:
                part = entry[1] * need / entry[0] if entry[1] > 0 else 0.0
                entry[0] -= need
                entry[1] -= part
                traced += part
                need = 0.0
        if node.qhead > 256 and node.qhead * 2 > len(queue):
            del queue[:node.qhead]
            node.qtaint = max(0, node.qtaint - node.qhead)
            node.qhead = 0
        return traced

    def _settle_stale(self, node: _Node, cutoff: datetime) -> None:
        """Settle parcels that arrived before ``cutoff``; they no longer move."""
        parcels, stale = node.parcels, 0.0
        while parcels and parcels[0].arrived < cutoff:
            parcel = parcels.popleft()
            node.settled.append(parcel)
            stale += parcel.amount
        if stale <= 0:
            return
        node.taint = max(0.0, node.taint - stale) if parcels else 0.0
        if self.rule == "fifo":  # the stale money is the oldest traced money in the queue
            i = max(node.qhead, node.qtaint)
            while stale > EPS and i < len(node.queue):
                take = min(node.queue[i][1], stale)
                node.queue[i][1] -= take
                stale -= take
                if node.queue[i][1] <= EPS:
                    node.queue[i][1] = 0.0
                    i += 1
            node.qtaint = i

    def _draw(self, node: _Node, amount: float) -> list[tuple[Link, float, int]]:
        """Take ``amount`` of traced money from the parcels, oldest first."""
        out: list[tuple[Link, float, int]] = []
        parcels, need = node.parcels, amount
        while need > EPS and parcels:
            parcel = parcels[0]
            if parcel.amount <= need + EPS:
                parcels.popleft()
                out.append((parcel.link, parcel.amount, parcel.hops))
                need -= parcel.amount
            else:
                parcel.amount -= need
                out.append((parcel.link, need, parcel.hops))
                need = 0.0
        node.taint = max(0.0, node.taint - amount) if parcels else 0.0
        return out
