"""The max-flow upper bound of a trace: a time-expanded graph solved with networkx.

Each account gets a chain of state vertices, a new one at every debit and every
arrival of traceable money; the edge from one state to the next carries at most the
lowest balance B between them. A payment is a vertex fed by its payer's state (and by
the super-source when it is a source debit in the window) and drained into its payee's
next state, with capacity equal to its amount. Arrivals at the target go straight to
the super-sink, so the flow value is the most source money that can first reach it.
Only accounts that traced money can reach are expanded, and only the part that can
reach the target is solved (Boykov-Kolmogorov).
"""
from __future__ import annotations

from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Hashable

import networkx as nx
from networkx.algorithms.flow import boykov_kolmogorov

from debtorgraph.analysis.tracing.ledger import EPS

if TYPE_CHECKING:  # pragma: no cover
    from debtorgraph.analysis.tracing.sweep import Run

__all__ = ["flow_bound"]

_SOURCE, _SINK = ("source",), ("sink",)


class _States:
    """Per-account balance and the current state vertex of reachable accounts."""

    def __init__(self) -> None:
        self.graph = nx.DiGraph()
        self.balance: dict[str, float] = {}
        self.index: dict[str, int] = {}      # reachable accounts only
        self.floor: dict[str, float] = {}    # lowest B since the current state began

    def vertex(self, node: str) -> Hashable:
        return ("s", node, self.index[node])

    def debit(self, node: str, amount: float) -> Hashable | None:
        """Lower B; for a reachable account return the state money leaves from."""
        after = max(0.0, self.balance.get(node, 0.0) - amount)
        self.balance[node] = after
        if node not in self.index:
            return None
        here = self.vertex(node)
        self.index[node] += 1
        self.graph.add_edge(here, self.vertex(node),
                            capacity=min(self.floor[node], after))
        self.floor[node] = after
        return here

    def credit(self, node: str, amount: float, feed: Hashable | None) -> None:
        """Raise B; when ``feed`` (a payment of ``amount``) may bring traceable money,
        start a new state fed by it."""
        before = self.balance.get(node, 0.0)
        self.balance[node] = before + amount
        if feed is None:
            return
        if node in self.index:
            here = self.vertex(node)
            self.index[node] += 1
            self.graph.add_edge(here, self.vertex(node), capacity=self.floor[node])
        else:
            self.index[node] = 0
        self.graph.add_edge(feed, self.vertex(node), capacity=amount)
        self.floor[node] = before + amount


def flow_bound(run: Run, target: str) -> float:
    """Maximum flow from the source's debits to first arrivals at ``target``."""
    st = _States()
    from debtorgraph.analysis.tracing.sweep import is_account

    target_is_account = is_account(target, run)
    openings = iter(run.openings)
    pending = next(openings, None)

    def in_target(node: str, is_account: bool, named: str | None, when: datetime) -> bool:
        if node == target:
            return True
        if target_is_account or not is_account:
            return False
        return target in run.holders(node, True, named, when)

    def settle_openings(until: datetime | None) -> None:
        nonlocal pending
        while pending is not None and (until is None or pending[0] <= until):
            diff = pending[2] - st.balance.get(pending[1], 0.0)
            if diff < 0:
                st.debit(pending[1], -diff)
            else:
                st.credit(pending[1], diff, None)
            pending = next(openings, None)

    for _, group_iter in groupby(run.transfers, key=lambda t: (t.when, t.seq)):
        group = list(group_iter)
        settle_openings(group[0].when)
        feeds: list[Hashable | None] = []
        for t in group:  # debits before credits
            state = st.debit(t.payer_node, t.amount)
            seeded = (t.when >= run.start
                      and run.in_source(t.payer_node, t.payer_is_account, t.payer, t.when)
                      and not run.in_source(t.payee_node, t.payee_is_account, t.payee, t.when))
            if (state is None and not seeded) or t.amount <= EPS:
                feeds.append(None)
                continue
            pay: Hashable = ("p", t.id)
            if state is not None:
                st.graph.add_edge(state, pay, capacity=t.amount)
            if seeded:
                st.graph.add_edge(_SOURCE, pay, capacity=t.amount)
            feeds.append(pay)
        for t, pay in zip(group, feeds):
            if pay is not None and in_target(t.payee_node, t.payee_is_account, t.payee, t.when):
                st.graph.add_edge(pay, _SINK, capacity=t.amount)
                st.credit(t.payee_node, t.amount, None)
            else:
                st.credit(t.payee_node, t.amount, pay)
    settle_openings(run.stop)
    graph = st.graph
    if _SOURCE not in graph or _SINK not in graph:
        return 0.0
    useful = nx.ancestors(graph, _SINK) | {_SINK}
    if _SOURCE not in useful:
        return 0.0
    # Boykov-Kolmogorov is about ten times faster than preflow-push on these long chains.
    return float(nx.maximum_flow_value(graph.subgraph(useful), _SOURCE, _SINK,
                                       flow_func=boykov_kolmogorov))
