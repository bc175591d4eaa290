"""A trace (interchange.md form) as tables and as a layered graph, left to right by hop.

The Sankey the brief mentions would need plotly from a CDN; a hierarchical vis-network
layout shows the same thing offline: the source on the left, each hop one layer further
right, edge width by the traced amount.
"""
from __future__ import annotations

from typing import Any

from . import queries as Q
from .network import NetEdge, NetNode, Network
from .vis import format_amount

__all__ = ["payments_by_id", "hop_rows", "flow_network", "rule_range"]

# Payments by id. Params: $ids. Columns: rid, src, dst, date, amount, src_account, dst_account.
PAYMENTS_BY_ID = ("MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) WHERE r.id IN $ids RETURN r.id AS rid, a.id AS src, "
                  "b.id AS dst, r.date AS date, r.amount AS amount, r.src_account AS src_account, "
                  "r.dst_account AS dst_account")


def payments_by_id(store: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Payment rows by entity id."""
    if not ids:
        return {}
    return {r["rid"]: r for r in Q.read(store, PAYMENTS_BY_ID, {"ids": list(ids)}, needs=("PAYMENT",))}


def _paths(result: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(ep, path) for ep in result.get("endpoints", []) for path in ep.get("paths", []) or []]


def _names(store: Any, ids: list[str], masked: bool) -> dict[str, str]:
    import orjson

    from .backends import mask_caption

    out = {}
    for k, v in Q.nodes(store, ids).items():
        props = orjson.loads(v["props"]) if v.get("props") else {}
        out[k] = mask_caption(v["schema"], v["caption"], props) if masked else v["caption"]
    return out


def hop_rows(store: Any, result: dict[str, Any], masked: bool = True) -> list[dict[str, Any]]:
    """One row per hop of every path: path, hop, payment, date, from, to, amount, traced."""
    ids = sorted({p for _, path in _paths(result) for p in path.get("payments", [])})
    pays = payments_by_id(store, ids)
    names = _names(store, sorted({x for p in pays.values() for x in (
        p["src"], p["dst"], p["src_account"], p["dst_account"]) if x}), masked)
    rows = []
    for n, (ep, path) in enumerate(_paths(result), start=1):
        amounts = path.get("amounts") or []
        for hop, pid in enumerate(path.get("payments", []), start=1):
            p = pays.get(pid, {})
            src = str(p.get("src_account") or p.get("src") or "")
            dst = str(p.get("dst_account") or p.get("dst") or "")
            rows.append({"path": n, "hop": hop, "payment": pid, "date": (p.get("date") or "")[:19],
                         "from": names.get(src, src), "to": names.get(dst, dst),
                         "amount": format_amount(p.get("amount")),
                         "traced": format_amount(amounts[hop - 1] if hop - 1 < len(amounts) else None),
                         "endpoint": ep.get("id")})
    return rows


def flow_network(store: Any, source: str, result: dict[str, Any], names: dict[str, str],
                 masked: bool = True) -> Network:
    """Source → hops → endpoints, one node per account (or party), one edge per hop."""
    ids = sorted({p for _, path in _paths(result) for p in path.get("payments", [])})
    pays = payments_by_id(store, ids)
    edges: dict[tuple[str, str], NetEdge] = {}
    traced_of: dict[str, float] = {}   # payment -> traced amount (a payment on several routes counts once)
    node_ids: set[str] = {source}
    for _, path in _paths(result):
        amounts = path.get("amounts") or []
        for i, pid in enumerate(path.get("payments", [])):
            p = pays.get(pid)
            if p is None:
                continue
            a = p["src_account"] or p["src"]
            b = p["dst_account"] or p["dst"]
            node_ids.update((a, b))
            if i == 0 and a != source and (source, a) not in edges:  # the party holds the account
                edges[(source, a)] = NetEdge(source, a, "OWNERSHIP", "ownership", [], n=1)
            traced = float(amounts[i]) if i < len(amounts) and amounts[i] is not None else 0.0
            key = (a, b)
            if key not in edges:
                edges[key] = NetEdge(a, b, "PAYMENT", "payment", [], n=0, total=0.0, first=p["date"], last=p["date"])
            e = edges[key]
            if pid not in e.ids:
                e.ids.append(pid)
                e.n += 1
            before = traced_of.get(pid, 0.0)
            traced_of[pid] = max(before, traced)
            e.total = (e.total or 0.0) + traced_of[pid] - before
            day = p["date"] or ""
            e.first = min(e.first or day, day) or None
            e.last = max(e.last or day, day) or None
    info = Q.nodes(store, sorted(node_ids))
    shown = _names(store, sorted(node_ids), masked)
    endpoints = {ep.get("id") for ep in result.get("endpoints", [])}
    nodes: dict[str, NetNode] = {}
    for node_id in node_ids:
        row = info.get(node_id, {"id": node_id})
        nodes[node_id] = NetNode(node_id, row.get("schema"), shown.get(node_id) or names.get(node_id, node_id),
                                 center=(node_id == source), rules=["endpoint"] if node_id in endpoints else [])
    return Network(nodes, list(edges.values()))


def rule_range(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Endpoints of a trace with the LIBR–greedy range (``result["range"]``) of each.

    >>> r = {"endpoints": [{"id": "a", "holder": "p", "amount": 40.0}],
    ...      "range": [{"id": "a", "holder": "p", "libr": 40.0, "greedy": 90.0, "low": 40.0, "high": 90.0}]}
    >>> rule_range(r)[0]["range"]
    '¥40 – ¥90'
    """
    ranges = {(str(r.get("id")), r.get("holder")): r for r in result.get("range") or []}
    out = []
    for ep in result.get("endpoints", []):
        key = (str(ep.get("id")), ep.get("holder"))
        r = ranges.get(key)
        text = f"{format_amount(r['low'])} – {format_amount(r['high'])}" if r else ""
        out.append({"id": key[0], "holder": ep.get("holder"), "amount": float(ep.get("amount") or 0.0), "range": text})
    out.sort(key=lambda r: -r["amount"])
    return out
