"""Issue 17 item 4: the network view made for an investigator.

Links between the same two parties are one edge with the count and total on it; parties are
grouped by kind in their own sectors around the debtor; labels are at least 11 px on screen
(font size times the smallest zoom the page allows); the debtor is drawn last (in front).
"""
from __future__ import annotations

import json
import math
import re

from debtorgraph.ui.layout import radial_positions
from debtorgraph.ui.network import NetEdge, NetNode, Network
from debtorgraph.ui.vis import MIN_SCALE, build_vis, network_html


def star() -> Network:
    """A debtor with 40 neighbours of every kind, and a pair joined three ways."""
    nodes = {"d": NetNode("d", "Person", "王建国", center=True)}
    edges = []
    kinds = [("f", "Person", "FAMILY", "family", 6), ("c", "Company", "DIRECTORSHIP", "control", 8),
             ("a", "BankAccount", "OWNERSHIP", "ownership", 10), ("r", "RealEstate", "OWNERSHIP", "ownership", 4),
             ("e", "Event", "INVOLVED", "milestone", 5), ("o", "Person", "PAYMENT", "payment", 7)]
    for prefix, schema, rel, kind, n in kinds:
        for i in range(n):
            nid = f"{prefix}{i}"
            nodes[nid] = NetNode(nid, schema, f"{schema}{i}")
            edges.append(NetEdge("d", nid, rel, kind, [f"l-{nid}"], total=1000.0 * (i + 1) if rel == "PAYMENT" else None))
    edges += [NetEdge("d", "f0", "PAYMENT", "payment", ["p1", "p2", "p3"], n=3, total=120000.0),
              NetEdge("f0", "d", "PAYMENT", "payment", ["p4"], n=1, total=5000.0)]
    return Network(nodes, edges)


def test_links_between_two_parties_are_one_edge_with_count_and_total() -> None:
    _, edges = build_vis(star(), "zh", lambda s, p: p)
    between = [e for e in edges if {e["from"], e["to"]} == {"d", "f0"}]
    assert len(between) == 1
    label = between[0]["label"]
    assert "亲属" in label and "4笔" in label and "¥125,000" in label, label
    assert between[0]["arrows"]["to"]["enabled"] and between[0]["arrows"]["from"]["enabled"]
    assert len(edges) == 40


def test_parties_grouped_in_their_own_sectors() -> None:
    pos = radial_positions(star())
    assert pos["d"][:2] == (0.0, 0.0)
    angles: dict[str, list[float]] = {}
    for nid, (x, y, group) in pos.items():
        if nid != "d":
            angles.setdefault(group, []).append((math.atan2(y, x) + math.pi / 2) % (2 * math.pi))  # from the top
    assert set(angles) == {"family", "companies", "accounts", "assets", "case", "others"}
    spans = sorted((min(a), max(a), g) for g, a in angles.items())
    for (lo1, hi1, g1), (lo2, hi2, g2) in zip(spans, spans[1:]):
        assert hi1 < lo2, (g1, g2)                           # sectors do not interleave
    assert {g for nid, (_, _, g) in pos.items() if nid.startswith("f")} == {"family"}
    for i, (x1, y1, _) in enumerate(pos.values()):            # no two nodes on top of each other
        for x2, y2, _ in list(pos.values())[i + 1:]:
            assert math.hypot(x1 - x2, y1 - y2) > 60


def test_labels_at_least_11px_and_the_debtor_in_front() -> None:
    nodes, edges = build_vis(star(), "zh", lambda s, p: p, positions=radial_positions(star()))
    assert nodes[-1]["id"] == "d" and nodes[-1]["font"]["size"] > nodes[0]["font"]["size"]
    assert min(n["font"]["size"] for n in nodes) * MIN_SCALE >= 11
    assert min(e["font"]["size"] for e in edges) * MIN_SCALE >= 11
    page = network_html(star(), "zh", lambda s, p: p, height=560)
    data = json.loads(re.search(r"var DATA = (\{.*?\});\n", page, re.S).group(1))
    assert data["minScale"] == MIN_SCALE and data["centre"] == "d"
    assert data["options"]["physics"]["enabled"] is False and all("x" in n for n in data["nodes"])
    assert "net.moveTo" in page and "DebtorgraphCJK" in data["options"]["edges"]["font"]["face"]
    assert "DebtorgraphCJK" in data["options"]["nodes"]["font"]["face"]
