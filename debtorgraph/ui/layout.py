"""How a debtor's network is laid out for an investigator: edges folded per pair, parties grouped.

- :func:`fold_pairs`: every link between the same two parties becomes one drawn edge (the
  kinship, the holdings and the transfers both ways), with the count and total on it, so
  labels do not pile up on top of each other.
- :func:`group_of`: the kind of party a node is, for the layout: family and associates,
  companies, accounts, assets, case events, other parties.
- :func:`radial_positions`: the debtor in the middle, each group in its own sector around
  it, on as many rings as its members need (at least :data:`SPACING` pixels apart), so a
  star of 40 nodes reads as groups rather than a hairball.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .network import NetEdge, NetNode, Network

__all__ = ["GROUPS", "FoldedEdge", "fold_pairs", "group_of", "radial_positions", "SPACING", "RING"]

#: Layout groups in sector order (clockwise from the top).
GROUPS: tuple[str, ...] = ("family", "companies", "accounts", "assets", "case", "others")
#: Pixels between neighbouring nodes on a ring, and between rings.
SPACING = 120.0
RING = 230.0
_ASSETS = frozenset({"RealEstate", "Vehicle", "Security", "Asset", "Airplane", "Vessel"})
_CASE = frozenset({"CourtCase", "Event", "Sanction"})
_COMPANIES = frozenset({"Company", "Organization", "PublicBody", "LegalEntity"})
_KIN_TYPES = frozenset({"FAMILY", "ASSOCIATE"})


@dataclass
class FoldedEdge:
    """The links between two nodes, drawn as one edge."""

    a: str
    b: str
    edges: list[NetEdge] = field(default_factory=list)

    @property
    def payments(self) -> list[NetEdge]:
        return [e for e in self.edges if e.type == "PAYMENT"]

    @property
    def flagged(self) -> bool:
        return any(e.flagged for e in self.edges)

    def direction(self) -> str:
        """``to`` (a→b), ``from`` (b→a), ``to, from`` or "" (undirected links only)."""
        directed = [e for e in self.edges if e.type not in ("FAMILY", "ASSOCIATE", "SUMMARY")]
        forward = any(e.src == self.a for e in directed)
        backward = any(e.src == self.b for e in directed)
        return ", ".join(d for d, on in (("to", forward), ("from", backward)) if on)


def fold_pairs(edges: list[NetEdge]) -> list[FoldedEdge]:
    """Edges grouped by their unordered pair of ends, in first-seen order.

    >>> e = [NetEdge("a", "b", "PAYMENT", "payment", n=3, total=10.0), NetEdge("b", "a", "PAYMENT", "payment"),
    ...      NetEdge("a", "b", "FAMILY", "family")]
    >>> [(f.a, f.b, len(f.edges), f.direction()) for f in fold_pairs(e)]
    [('a', 'b', 3, 'to, from')]
    """
    pairs: dict[tuple[str, str], FoldedEdge] = {}
    for edge in edges:
        key = (edge.src, edge.dst) if edge.src <= edge.dst else (edge.dst, edge.src)
        folded = pairs.get(key)
        if folded is None:
            folded = pairs[key] = FoldedEdge(edge.src, edge.dst)
        folded.edges.append(edge)
    return list(pairs.values())


def group_of(node: NetNode, kin: set[str]) -> str:
    """The layout group of ``node``; ``kin`` are the ids joined to a centre by kinship."""
    if node.summary_of:
        return {"family": "family", "associate": "family", "ownership": "assets", "control": "companies",
                "case": "case", "milestone": "case"}.get(node.kind or "", "others")
    schema = node.schema or ""
    if schema in _CASE:
        return "case"
    if schema == "BankAccount":
        return "accounts"
    if schema in _ASSETS:
        return "assets"
    if schema in _COMPANIES:
        return "companies"
    return "family" if node.id in kin else "others"


def _kin(network: Network, centres: set[str]) -> set[str]:
    return {e.dst if e.src in centres else e.src for e in network.edges
            if e.type in _KIN_TYPES and (e.src in centres or e.dst in centres)}


def radial_positions(network: Network) -> dict[str, tuple[float, float, str]]:
    """``id -> (x, y, group)``: centres in the middle, each group in its own sector.

    Sectors are as wide as their group's share of the nodes (at least a twelfth of the
    circle each); a group that does not fit its sector on one ring goes on to the next.
    """
    centres = [i for i, n in network.nodes.items() if n.center] or list(network.nodes)[:1]
    out: dict[str, tuple[float, float, str]] = {}
    for k, cid in enumerate(centres):  # several centres (expanded parties): side by side
        out[cid] = ((k - (len(centres) - 1) / 2) * SPACING * 1.5, 0.0, "centre")
    kin = _kin(network, set(centres))
    groups: dict[str, list[NetNode]] = {g: [] for g in GROUPS}
    for node in network.nodes.values():
        if node.id not in out:
            groups[group_of(node, kin)].append(node)
    used = [(g, members) for g, members in groups.items() if members]
    if not used:
        return out
    total = sum(len(m) for _, m in used)
    minimum = 2 * math.pi / 12
    shares = [max(minimum, 2 * math.pi * len(m) / total) for _, m in used]
    scale = 2 * math.pi / sum(shares)
    angle = -math.pi / 2
    for (group, members), share in zip(used, shares):
        width = share * scale
        members.sort(key=lambda n: (not n.rules, -(n.amount or 0), n.caption))
        ring, placed = 1, 0
        while placed < len(members):
            radius = RING + (ring - 1) * SPACING
            room = max(1, int(radius * width * 0.9 // SPACING))
            batch = members[placed:placed + room]
            for j, node in enumerate(batch):
                a = angle + width * (j + 0.5) / len(batch)
                out[node.id] = (radius * math.cos(a), radius * math.sin(a), group)
            placed += len(batch)
            ring += 1
        angle += width
    return out
