"""A :class:`~debtorgraph.ui.network.Network` as one self-contained HTML page (vis-network).

The nodes and edges are built here (:func:`build_vis`, the layout in :mod:`.layout`); the
page is our own template. vis-network's standalone build (``static/vis-network.min.js``,
Apache-2.0 OR MIT, see ``static/LICENSE-vis-network.txt``) is inlined, and a
Content-Security-Policy forbids the page to fetch anything: courts are offline.

Every text that comes from the data is escaped: tooltips are built from
``html.escape``-d pieces and turned into DOM nodes; the JSON block escapes ``<``, ``>``
and ``&`` so no value can close the ``<script>`` element it sits in.
"""
from __future__ import annotations

import html
import json
import logging
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from .fonts import FAMILY, network_font_css
from .i18n import schema_name, t
from .layout import FoldedEdge, fold_pairs, radial_positions
from .network import NetEdge, NetNode, Network

log = logging.getLogger(__name__)

__all__ = ["SCHEMA_STYLE", "network_html", "vis_js", "format_amount", "script_json", "build_vis", "MIN_SCALE"]

_STATIC = Path(__file__).with_name("static")

#: Colour and shape per schema (legend order).
SCHEMA_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"), "Company": ("#f28e2b", "square"), "Organization": ("#f28e2b", "square"),
    "PublicBody": ("#76b7b2", "triangleDown"), "LegalEntity": ("#9d9d9d", "dot"),
    "BankAccount": ("#59a14f", "diamond"), "RealEstate": ("#c9a227", "triangle"),
    "Vehicle": ("#b07aa1", "star"), "Security": ("#9c755f", "star"), "CourtCase": ("#555555", "box"),
    "Event": ("#ff9da7", "hexagon"), "Sanction": ("#d37295", "hexagon"), "Summary": ("#cfcfcf", "ellipse"),
}
_DEFAULT_STYLE = ("#8c8c8c", "dot")
FLAG = "#d62728"
_REL_WORDS = {
    "spouse": ("配偶", "spouse"), "parent": ("父母", "parent"), "child": ("子女", "child"),
    "sibling": ("兄弟姐妹", "sibling"), "other": ("其他亲属", "relative"),
    "debtor": ("被执行人", "debtor"), "applicant": ("申请执行人", "applicant"),
    "guarantor": ("担保人", "guarantor"), "assisting_unit": ("协助执行人", "assisting unit"),
    "sale": ("买卖", "sale"), "gift": ("赠与", "gift"), "divorce": ("离婚析产", "divorce"),
    "inheritance": ("继承", "inheritance"), "auction": ("拍卖", "auction"), "set-off": ("以物抵债", "set-off"),
    "lease": ("租赁", "lease"),
}
_TYPE_WORDS = {
    "OWNERSHIP": ("持有", "owns"), "DIRECTORSHIP": ("任职", "director"), "EMPLOYMENT": ("雇佣", "employs"),
    "ASSOCIATE": ("关系人", "associate"), "FAMILY": ("亲属", "family"), "DEBT": ("债务", "owes"),
    "COURT_CASE_PARTY": ("当事人", "party"), "INVOLVED": ("涉及", "involves"), "ENTITY": ("针对", "binds"), "ENTITY_REF": ("针对", "binds"),
    "PAYMENT": ("转账", "paid"), "SUMMARY": ("", ""),
}
_PROPS_SHOWN = ("id", "idNumber", "registrationNumber", "phone", "accountNumber", "bankName", "accountType",
                "titleNumber", "address", "model", "caseNumber", "court", "status", "program", "name")


@lru_cache(maxsize=1)
def vis_js() -> str:
    """The vendored vis-network standalone script."""
    return (_STATIC / "vis-network.min.js").read_text(encoding="utf-8")


def format_amount(value: float | None) -> str:
    """``¥1,234`` (whole yuan) or ``¥12.50``; empty for None.

    >>> format_amount(160000), format_amount(12.5), format_amount(None)
    ('¥160,000', '¥12.50', '')
    """
    if value is None:
        return ""
    if abs(value - round(value)) < 0.005:
        return f"¥{value:,.0f}"
    return f"¥{value:,.2f}"


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element.

    >>> script_json({"x": "</script><b>&"})
    '{"x": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def word(value: str | None, lang: str) -> str:
    """A role or relationship word in the current language (unknown words as written)."""
    if not value:
        return ""
    pair = _REL_WORDS.get(value.strip().lower())
    return (pair[1] if lang == "en" else pair[0]) if pair else value


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _day(value: str | None) -> str:
    return (value or "")[:10]


def node_label(node: NetNode, lang: str) -> str:
    if node.summary_of:
        text = t("more_nodes", lang, n=node.summary_of, kind=t(f"rk_{node.kind}", lang))
        return text + (f"\n{format_amount(node.summary_total)}" if node.summary_total else "")
    label = node.caption
    if node.schema in ("Event", "Sanction") and node.kind:
        from .timeline import EVENT_WORDS

        pair = EVENT_WORDS.get(node.kind)
        label = (pair[1] if lang == "en" else pair[0]) if pair else node.kind
        label += f"\n{(node.date or '')[:10]}"
    elif len(label) > 24:
        label = label[:23] + "…"
    return ("★ " if node.pinned else "") + label


def node_tooltip(node: NetNode, lang: str, mask: Any) -> str:
    """Escaped HTML: caption, schema, the key properties (masked), findings."""
    parts = [f"<b>{_e(node_label(node, lang) if node.summary_of else node.caption)}</b>",
             _e(schema_name(node.schema, lang) if node.schema != "Summary" else t("legend", lang))]
    if not node.summary_of:
        parts.append(f"ID: {_e(node.id)}")
    props = mask(node.schema, node.props) if node.props else {}
    for name in _PROPS_SHOWN:
        for value in props.get(name, [])[:2]:
            if name == "name" and value == node.caption:
                continue
            parts.append(f"{_e(name)}: {_e(value)}")
    if node.amount is not None and node.schema not in ("Person", "Summary"):
        parts.append(f"{_e(t('amount', lang))}: {_e(format_amount(node.amount))}")
    if node.date:
        parts.append(f"{_e(t('date', lang))}: {_e(node.date)}" + (f" — {_e(node.end_date)}" if node.end_date else ""))
    if node.rules:
        parts.append(f"<span style='color:{FLAG}'>⚠ {_e(', '.join(node.rules))}</span>")
    return "<br>".join(parts)


def edge_label(edge: NetEdge, lang: str) -> str:
    if edge.type == "PAYMENT":
        if edge.single:
            return f"{format_amount(edge.total)}\n{_day(edge.first)}"
        span = _day(edge.first) if _day(edge.first) == _day(edge.last) else f"{_day(edge.first)}–{_day(edge.last)}"
        count = f"{edge.n}{t('transfers', lang)}" if lang == "zh" else f"{edge.n} {t('transfers', lang)}"
        return f"{count} {format_amount(edge.total)}\n{span}"
    if edge.type == "SUMMARY":
        return format_amount(edge.total) if edge.total else ""
    pair = _TYPE_WORDS.get(edge.type)
    text = word(edge.role, lang) or (pair[1] if lang == "en" else pair[0]) if pair else word(edge.role, lang)
    if not text:
        text = edge.type.lower()
    if edge.percentage:
        text += f" {edge.percentage:g}%"
    if edge.type in ("DEBT", "OWNERSHIP") and edge.total is not None:
        text += f" {format_amount(edge.total)}"
    dates = _day(edge.first)
    if edge.end_date:
        dates = f"{dates}–{_day(edge.end_date)}"
    return f"{text}\n{dates}" if dates else text


def edge_tooltip(edge: NetEdge, lang: str, names: dict[str, str]) -> str:
    parts = [f"<b>{_e(names.get(edge.src, edge.src))} → {_e(names.get(edge.dst, edge.dst))}</b>",
             _e(edge_label(edge, lang)).replace("\n", "<br>")]
    if edge.type == "PAYMENT" and not edge.single:
        parts.append(f"{_e(t('n_transfers', lang))}: {edge.n}; {_e(t('total', lang))}: {_e(format_amount(edge.total))}")
    if edge.ids:
        shown = ", ".join(edge.ids[:6]) + (" …" if len(edge.ids) > 6 else "")
        parts.append(f"ID: {_e(shown)}")
    if edge.flagged:
        parts.append(f"<span style='color:{FLAG}'>⚠ {_e(t('page_findings', lang))}</span>")
    return "<br>".join(parts)


def _width(edge: NetEdge) -> float:
    if edge.type != "PAYMENT" or not edge.total:
        return 1.5
    return min(8.0, 1.0 + math.log10(max(1.0, abs(edge.total))) / 1.2)


#: Label sizes in CSS pixels at zoom 1; the page never zooms out below MIN_SCALE, so a label is
#: at least EDGE_FONT * MIN_SCALE = 11.2 px on screen.
NODE_FONT, CENTRE_FONT, EDGE_FONT, MIN_SCALE = 15, 18, 14, 0.8


def folded_label(folded: FoldedEdge, lang: str) -> str:
    """One label for all the links between two parties: relations first, then the transfers."""
    words = [edge_label(e, lang).split("\n")[0] for e in folded.edges if e.type not in ("PAYMENT", "SUMMARY")]
    pays = folded.payments
    if pays:
        n = sum(e.n for e in pays)
        total = sum(e.total or 0 for e in pays)
        count = f"{n}{t('transfers', lang)}" if lang == "zh" else f"{n} {t('transfers', lang)}"
        words.append(f"{count} {format_amount(total)}")
    words += [edge_label(e, lang) for e in folded.edges if e.type == "SUMMARY" and e.total]
    return " · ".join(dict.fromkeys(w for w in words if w))


def build_vis(network: Network, lang: str, mask: Any, *, positions: dict[str, tuple[float, float, str]] | None = None
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network nodes and edges: one edge per pair of parties, centres drawn last (in front)."""
    names = {n.id: n.caption for n in network.nodes.values()}
    nodes = []
    for node in sorted(network.nodes.values(), key=lambda n: n.center):
        color, shape = SCHEMA_STYLE.get(node.schema or "", _DEFAULT_STYLE)
        border = FLAG if node.rules else ("#222222" if node.center else color)
        item: dict[str, Any] = {
            "id": node.id, "label": node_label(node, lang), "title": node_tooltip(node, lang, mask), "shape": shape,
            "color": {"background": color, "border": border, "highlight": {"background": color, "border": "#000000"}},
            "borderWidth": 4 if (node.rules or node.center) else 1, "size": 30 if node.center else 16,
            "font": {"size": CENTRE_FONT if node.center else NODE_FONT, "strokeWidth": 0 if shape == "box" else 4,
                     "strokeColor": "#ffffff",
                     "color": "#ffffff" if shape == "box" else "#1a1a1a", "bold": node.center},
            "pinned": node.pinned}
        if node.summary_of:
            item["shapeProperties"] = {"borderDashes": [4, 4]}
        if positions and node.id in positions:
            x, y, group = positions[node.id]
            item.update(x=round(x, 1), y=round(y, 1), group=group, fixed=bool(node.center))
        nodes.append(item)
    edges = []
    for i, folded in enumerate(fold_pairs(network.edges)):
        pays = folded.payments
        color = FLAG if folded.flagged else ("#4e79a7" if pays else "#7f7f7f")
        width = max((_width(e) for e in folded.edges), default=1.5) + (1.5 if folded.flagged else 0)
        tips = "<hr>".join(edge_tooltip(e, lang, names) for e in folded.edges[:8])
        direction = folded.direction()
        edges.append({"id": f"e{i}", "from": folded.a, "to": folded.b, "label": folded_label(folded, lang),
                      "title": tips, "color": {"color": color, "highlight": "#000000"}, "width": width,
                      "dashes": all(bool(e.end_date) for e in folded.edges),
                      "arrows": {"to": {"enabled": "to" in direction.split(", ")},
                                 "from": {"enabled": "from" in direction.split(", ")}},
                      "font": {"size": EDGE_FONT, "align": "middle", "strokeWidth": 4, "strokeColor": "#ffffff",
                               "color": "#333333"}})
    return nodes, edges


_FACE = "DebtorgraphCJK, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
#: The radial layout is computed (:mod:`.layout`): no physics, nodes stay where they are put.
OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "multiselect": True},
    "edges": {"smooth": {"type": "curvedCW", "roundness": 0.08}, "font": {"face": _FACE}},
    "nodes": {"font": {"face": _FACE}},
    "layout": {"improvedLayout": False},
}
HIERARCHICAL: dict[str, Any] = {
    "layout": {"hierarchical": {"enabled": True, "direction": "LR", "sortMethod": "directed",
                                "levelSeparation": 300, "nodeSpacing": 120}},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120},
    "edges": {"smooth": {"type": "curvedCW", "roundness": 0.2}, "font": {"face": _FACE}},  # a hop that skips a layer arcs over it
    "nodes": {"font": {"face": _FACE}},
}

_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src 'self' data:">
<style>
{fontface}
html,body{{margin:0;padding:0;background:#fff;font-family:DebtorgraphCJK,"Noto Sans CJK SC","Microsoft YaHei",sans-serif}}
#net{{width:100%;height:{height}px;border:1px solid #e6e6e6;border-radius:6px;box-sizing:border-box}}
.tip{{font-size:13px;line-height:1.45;max-width:360px;white-space:normal}}
div.vis-tooltip{{background:#fffff0;border:1px solid #bbb;border-radius:4px;padding:6px 8px;
  box-shadow:2px 2px 6px rgba(0,0,0,.15);position:absolute;visibility:hidden;z-index:10}}
#hint{{font-size:12px;color:#666;padding:2px 4px}}
</style></head><body>
<div id="net" data-drawn="0"></div><div id="hint">{hint}</div>
<script>{vis}</script>
<script>
(function() {{
  var DATA = {data};
  function tip(h) {{ if (!h) return undefined; var d = document.createElement("div"); d.className = "tip"; d.innerHTML = h; return d; }}
  var nodes = new vis.DataSet(DATA.nodes.map(function(n) {{ n.title = tip(n.title); return n; }}));
  var edges = new vis.DataSet(DATA.edges.map(function(e) {{ e.title = tip(e.title); return e; }}));
  var box = document.getElementById("net");
  var net = new vis.Network(box, {{nodes: nodes, edges: edges}}, DATA.options);
  function fitted() {{
    net.fit({{animation: false}});
    if (net.getScale() < DATA.minScale) {{  // labels stay readable: scroll rather than shrink
      var c = DATA.centre ? net.getPositions([DATA.centre])[DATA.centre] : undefined;
      if (DATA.hierarchical) {{  // the source on the left edge, the money flowing right
        var ps = net.getPositions(), xs = [], ys = [];
        Object.keys(ps).forEach(function(k) {{ xs.push(ps[k].x); ys.push(ps[k].y); }});
        c = {{x: Math.min.apply(null, xs) - 60 + box.clientWidth / (2 * DATA.minScale),
             y: (Math.min.apply(null, ys) + Math.max.apply(null, ys)) / 2}};
      }}
      net.moveTo({{scale: DATA.minScale, position: c, animation: false}});
    }}
  }}
  fitted();
  net.once("afterDrawing", function() {{ box.setAttribute("data-drawn", String(nodes.length));
    box.setAttribute("data-scale", String(net.getScale())); }});
  nodes.forEach(function(n) {{ if (n.pinned) nodes.update({{id: n.id, fixed: true}}); }});
  window.addEventListener("resize", fitted);
  if (document.fonts) {{  // the canvas draws with loaded fonts only: redraw once ours is in
    document.fonts.load("15px {family}", "中").then(function() {{ net.redraw(); }}, function() {{}});
  }}
  net.on("doubleClick", function(p) {{
    if (!p.nodes.length) return;
    var n = nodes.get(p.nodes[0]);
    nodes.update({{id: n.id, fixed: !n.fixed, borderWidth: n.fixed ? 1 : 4}});
  }});
  window.debtorgraphNetwork = net;
}})();
</script></body></html>"""


_SHAPE_MARKS = {"dot": "●", "square": "■", "triangle": "▲", "triangleDown": "▼", "diamond": "◆",
                "star": "★", "box": "▬", "hexagon": "⬢", "ellipse": "⬭"}


def legend_html(schemata: set[str | None], lang: str) -> str:
    """One line of coloured shapes naming the schemata drawn, plus the finding colour."""
    items = []
    for schema, (color, shape) in SCHEMA_STYLE.items():
        if schema in schemata and schema != "Summary":
            items.append(f"<span style='color:{color};font-size:15px'>{_SHAPE_MARKS.get(shape, '●')}</span>&nbsp;"
                         f"{html.escape(schema_name(schema, lang))}")
    items.append(f"<span style='color:{FLAG};font-size:15px'>━</span>&nbsp;{html.escape(t('page_findings', lang))}")
    items.append("<span style='color:#7f7f7f'>┅</span>&nbsp;" + html.escape("已结束" if lang != "en" else "ended"))
    return ("<div style='font-size:13px;color:#444;line-height:1.9'>" + "&emsp;".join(items) + "</div>")


def network_html(network: Network, lang: str, mask: Any, *, height: int = 640,
                 hierarchical: bool = False) -> str:
    """The whole page: vis-network inlined, data escaped, no outside request possible.

    A debtor's network is laid out radially by group (:func:`.layout.radial_positions`); the
    flow view is hierarchical, left to right. Both fit the frame but never zoom out below
    :data:`MIN_SCALE`, and draw in the CJK font the app serves (:mod:`.fonts`).
    """
    positions = None if hierarchical else radial_positions(network)
    nodes, edges = build_vis(network, lang, mask, positions=positions)
    options = HIERARCHICAL if hierarchical else OPTIONS
    centre = next((n.id for n in network.nodes.values() if n.center), None)
    data = {"nodes": nodes, "edges": edges, "options": options, "minScale": MIN_SCALE, "centre": centre,
            "hierarchical": hierarchical}
    return _TEMPLATE.format(lang="en" if lang == "en" else "zh", height=height, hint=html.escape(t("network_hint", lang)),
                            vis=vis_js(), data=script_json(data), fontface=network_font_css(), family=FAMILY)
