"""A debtor's network as the Network page draws it: nodes, edges, filters, summaries.

:func:`build_network` reads the neighbourhood of some centre nodes from the store and
returns a :class:`Network`: relatives, associates, companies, accounts, assets, cases and
milestones as nodes; links as edges; the transfers between two parties aggregated into
one edge (count, total, first and last date) unless the pair is asked for one by one.
Filters (relation kinds, date window, minimum amount) are applied in the queries. A
neighbourhood larger than ``max_nodes`` keeps the most telling nodes (pinned, in a
finding, kin and holdings before transfers, larger transfers first) and folds the rest
into one summary node per relation kind, so the browser never gets thousands of nodes.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable

import orjson

from . import queries as Q

log = logging.getLogger(__name__)

__all__ = ["RELATION_KINDS", "relation_kind", "NetNode", "NetEdge", "Network", "build_network",
           "finding_index", "PARTY_SCHEMATA"]

#: Relation kinds the filters offer, in the order of their importance when summarising.
RELATION_KINDS: tuple[str, ...] = ("case", "family", "ownership", "control", "associate", "milestone",
                                   "payment", "other")
_KIND_OF_TYPE: dict[str, str] = {
    "FAMILY": "family", "ASSOCIATE": "associate", "OWNERSHIP": "ownership",
    "DIRECTORSHIP": "control", "EMPLOYMENT": "control", "REPRESENTATION": "control", "CONTROL": "control",
    "MEMBERSHIP": "control", "SUCCESSION": "control", "PAYMENT": "payment", "COURT_CASE_PARTY": "case",
    "DEBT": "case", "INVOLVED": "milestone", "ENTITY": "milestone", "ENTITY_REF": "milestone", "AUTHORITY": "milestone",
}
#: Reference types never drawn (documents would tie every entity to its source file).
SKIPPED_TYPES = frozenset({"PROOF", "ADDRESS_ENTITY", "RISK_SOURCE", "BANK"})
PARTY_SCHEMATA = frozenset({"Person", "Company", "Organization", "PublicBody", "LegalEntity"})
_LINK_LIMIT = 5000
_PAYMENT_LIMIT = 5000
_PAIR_LIMIT = 500


def relation_kind(rel_type: str) -> str:
    """The filter kind of a relationship type.

    >>> relation_kind("COURT_CASE_PARTY"), relation_kind("PAYMENT"), relation_kind("UNKNOWN_LINK")
    ('case', 'payment', 'other')
    """
    return _KIND_OF_TYPE.get(rel_type, "other")


@dataclass
class NetNode:
    id: str
    schema: str | None
    caption: str
    props: dict[str, list[str]] = field(default_factory=dict)
    date: str | None = None
    end_date: str | None = None
    amount: float | None = None
    kind: str | None = None
    center: bool = False
    pinned: bool = False
    rules: list[str] = field(default_factory=list)     # findings touching the node
    summary_of: int = 0                                # > 0 for a summary node
    summary_total: float = 0.0


@dataclass
class NetEdge:
    src: str
    dst: str
    type: str                  # relationship type (PAYMENT, FAMILY...)
    kind: str                  # relation kind for the filters
    ids: list[str] = field(default_factory=list)       # entity ids of the link(s)
    n: int = 1                 # transfers aggregated in this edge
    total: float | None = None
    first: str | None = None
    last: str | None = None
    role: str | None = None
    percentage: float | None = None
    end_date: str | None = None
    flagged: bool = False      # an act of a finding
    single: bool = False       # one transfer of an expanded pair


@dataclass
class Network:
    nodes: dict[str, NetNode]
    edges: list[NetEdge]
    summarised: int = 0        # nodes folded into summary nodes
    truncated: bool = False    # a query hit its row cap
    flagged_findings: int = 0

    def pairs(self) -> list[tuple[str, str, int]]:
        """Aggregated transfer edges (src, dst, count) that can be shown one by one."""
        return [(e.src, e.dst, e.n) for e in self.edges if e.type == "PAYMENT" and not e.single and e.n > 1]


def finding_index(findings: Iterable[dict[str, Any]]) -> tuple[dict[str, list[str]], set[str]]:
    """Which findings' rules touch which node ids, and the ids of all their acts."""
    by_node: dict[str, list[str]] = {}
    acts: set[str] = set()
    for f in findings:
        rule = str(f.get("rule") or "?")
        touched = [f.get("subject"), f.get("actor"), *(f.get("counterparties") or [])]
        for node in touched:
            if node and rule not in by_node.setdefault(str(node), []):
                by_node[str(node)].append(rule)
        acts.update(str(a) for a in f.get("acts") or [])
    return by_node, acts


def _overlaps(start: str | None, end: str | None, since: str | None, until: str | None) -> bool:
    if since and end and end < since:
        return False
    if until and start and start[:10] > until:
        return False
    return True


def _collect(store: Any, centers: list[str], kinds: set[str], since: str | None, until: str | None,
             min_amount: float, have: set[str]) -> tuple[list[NetEdge], bool]:
    edges: list[NetEdge] = []
    truncated = False
    if kinds - {"payment"}:
        for cypher in (Q.OUT_LINKS, Q.IN_LINKS):
            rows = Q.read(store, cypher, {"ids": centers, "limit": _LINK_LIMIT})
            truncated |= len(rows) >= _LINK_LIMIT
            for r in rows:
                if r["type"] in SKIPPED_TYPES:
                    continue
                kind = relation_kind(r["type"])
                if kind not in kinds:
                    continue
                if not _overlaps(r["date"], r["end_date"], since, until):
                    continue
                edges.append(NetEdge(r["src"], r["dst"], r["type"], kind, [r["rid"]] if r["rid"] else [],
                                     total=r["amount"], first=r["date"], last=r["date"], role=r["role"],
                                     percentage=r["percentage"], end_date=r["end_date"]))
    if "payment" in kinds and "PAYMENT" in have:
        params = {"ids": centers, "limit": _PAYMENT_LIMIT, **Q.pay_params(since, until, min_amount)}
        seen: set[tuple[str, str]] = set()
        for cypher in (Q.OUT_PAYMENTS, Q.IN_PAYMENTS):
            rows = Q.read(store, cypher, params)
            truncated |= len(rows) >= _PAYMENT_LIMIT
            for r in rows:
                if (r["src"], r["dst"]) in seen:  # both ends are centres: counted once
                    continue
                seen.add((r["src"], r["dst"]))
                edges.append(NetEdge(r["src"], r["dst"], "PAYMENT", "payment", list(r["ids"] or []),
                                     n=int(r["n"]), total=r["total"], first=r["first"], last=r["last"]))
    return edges, truncated


def _split_pairs(store: Any, edges: list[NetEdge], pairs: set[tuple[str, str]], since: str | None,
                 until: str | None, min_amount: float) -> list[NetEdge]:
    out: list[NetEdge] = []
    for e in edges:
        if e.type != "PAYMENT" or (e.src, e.dst) not in pairs:
            out.append(e)
            continue
        rows = Q.read(store, Q.PAIR_PAYMENTS, {"src": e.src, "dst": e.dst, "limit": _PAIR_LIMIT,
                                                **Q.pay_params(since, until, min_amount)})
        for r in rows:
            out.append(NetEdge(e.src, e.dst, "PAYMENT", "payment", [r["rid"]], total=r["amount"],
                               first=r["date"], last=r["date"], role=r["purpose"], single=True))
    return out


def _priority(node_id: str, edges_of: dict[str, list[NetEdge]], pinned: set[str],
              rules: dict[str, list[str]]) -> tuple[int, int, float]:
    if node_id in pinned:
        return (0, 0, 0.0)
    if node_id in rules:
        return (1, 0, 0.0)
    es = edges_of.get(node_id, [])
    rank = min((RELATION_KINDS.index(e.kind) for e in es), default=len(RELATION_KINDS))
    weight = sum(abs(e.total or 0.0) for e in es if e.type == "PAYMENT")
    return (2, rank, -weight)


def build_network(store: Any, centers: list[str], *, kinds: Iterable[str] = RELATION_KINDS,
                  since: str | None = None, until: str | None = None, min_amount: float = 0.0,
                  depth: int = 1, split_pairs: Iterable[tuple[str, str]] = (), max_nodes: int = 150,
                  pinned: Iterable[str] = (), hidden: Iterable[str] = (),
                  findings: Iterable[dict[str, Any]] = (), masked: bool = True) -> Network:
    """Read and shape the neighbourhood of ``centers``.

    Parameters
    ----------
    store : Store
        A (read-only) graph store.
    centers : list of str
        Node ids whose neighbours are drawn (the debtor, plus nodes the user expanded).
    kinds : iterable of str
        Relation kinds to draw (:data:`RELATION_KINDS`).
    since, until : str, optional
        ISO dates bounding transfers (inclusive) and dated links (overlap).
    min_amount : float
        Smallest single transfer drawn.
    depth : int
        1 draws the centres' neighbours; 2 also draws the neighbours of neighbouring parties.
    split_pairs : iterable of (str, str)
        Payer/beneficiary pairs whose transfers are drawn one by one.
    max_nodes : int
        Most nodes drawn; the rest become one summary node per relation kind.
    pinned, hidden : iterable of str
        Node ids always kept, and never drawn.
    findings : iterable of dict
        Findings (interchange.md) whose subjects, actors, counterparties and acts are flagged.
    masked : bool
        Mask identifiers in captions (an account's number, an ID number used as a name).

    Returns
    -------
    Network
    """
    kinds = set(kinds)
    hidden = set(hidden)
    pinned = set(pinned)
    centers = [c for c in dict.fromkeys(centers) if c and c not in hidden]
    rules, acts = finding_index(findings)
    have = Q.rel_types(store)
    if not centers or not have:
        infos = Q.nodes(store, centers)
        return Network({c: _node(infos.get(c, {"id": c}), True, pinned, rules, masked) for c in centers}, [])
    edges, truncated = _collect(store, centers, kinds, since, until, min_amount, have)
    if depth > 1:
        first_ring = {e.dst if e.src in centers else e.src for e in edges if e.kind != "payment"}
        ring_info = Q.nodes(store, list(first_ring - set(centers)))
        more = [i for i, n in ring_info.items() if n["schema"] in PARTY_SCHEMATA and i not in hidden]
        if more:
            extra, trunc2 = _collect(store, more, kinds, since, until, min_amount, have)
            known = {(e.src, e.dst, tuple(e.ids)) for e in edges}
            edges += [e for e in extra if (e.src, e.dst, tuple(e.ids)) not in known]
            truncated |= trunc2
    edges = [e for e in edges if e.src not in hidden and e.dst not in hidden]
    if split_pairs:
        edges = _split_pairs(store, edges, {(str(a), str(b)) for a, b in split_pairs}, since, until, min_amount)
    for e in edges:
        e.flagged = any(i in acts for i in e.ids)
    # choose the nodes to draw
    edges_of: dict[str, list[NetEdge]] = {}
    for e in edges:
        edges_of.setdefault(e.src, []).append(e)
        edges_of.setdefault(e.dst, []).append(e)
    center_set = set(centers)
    others = [n for n in edges_of if n not in center_set]
    others.sort(key=lambda n: _priority(n, edges_of, pinned, rules))
    keep = set(others[:max(0, max_nodes - len(center_set))]) | center_set
    dropped = [n for n in others if n not in keep]
    infos = Q.nodes(store, list(keep | pinned))
    net_nodes = {i: _node(infos.get(i, {"id": i}), i in center_set, pinned, rules, masked) for i in keep}
    kept_edges = [e for e in edges if e.src in keep and e.dst in keep]
    summarised = 0
    if dropped:
        summarised = len(dropped)
        kept_edges += _summaries(dropped, edges_of, center_set, net_nodes)
    flagged = sum(1 for f in findings if f.get("subject") in net_nodes or f.get("actor") in net_nodes)
    return Network(net_nodes, kept_edges, summarised, truncated, flagged)


def _summaries(dropped: list[str], edges_of: dict[str, list[NetEdge]], centers: set[str],
               nodes: dict[str, NetNode]) -> list[NetEdge]:
    groups: dict[tuple[str, str], list[str]] = {}
    totals: dict[tuple[str, str], float] = {}
    for node in dropped:
        es = edges_of[node]
        e = min(es, key=lambda x: RELATION_KINDS.index(x.kind))
        anchor = e.src if e.src != node else e.dst
        if anchor not in nodes:
            anchor = next(iter(sorted(centers)))
        key = (anchor, e.kind)
        groups.setdefault(key, []).append(node)
        totals[key] = totals.get(key, 0.0) + sum(abs(x.total or 0.0) for x in es if x.type == "PAYMENT")
    out = []
    for (anchor, kind), members in groups.items():
        sid = f"summary:{anchor}:{kind}"
        nodes[sid] = NetNode(sid, "Summary", kind, summary_of=len(members), summary_total=totals[(anchor, kind)],
                             kind=kind)
        out.append(NetEdge(anchor, sid, "SUMMARY", kind, [], n=len(members), total=totals[(anchor, kind)] or None))
    return out


def _node(row: dict[str, Any], center: bool, pinned: set[str], rules: dict[str, list[str]],
          masked: bool = True) -> NetNode:
    props: dict[str, list[str]] = {}
    if row.get("props"):
        try:
            props = orjson.loads(row["props"])
        except orjson.JSONDecodeError:
            props = {}
    node_id = row["id"]
    caption = row.get("caption") or node_id
    if masked:
        from .backends import mask_caption

        caption = mask_caption(row.get("schema"), caption, props)
    return NetNode(node_id, row.get("schema"), caption, props, row.get("date"),
                   row.get("end_date"), row.get("amount"), row.get("kind"), center, node_id in pinned,
                   list(rules.get(node_id, [])))
