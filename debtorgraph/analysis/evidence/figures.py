"""Figures of an evidence chain as PNG images, drawn offline with matplotlib.

Chinese text uses the WenQuanYi Micro Hei font shipped in ``analysis/fonts`` (Apache-2.0),
so figures look the same on a machine with no Chinese fonts. No pyplot state is used
(each figure is its own ``Figure`` on an Agg canvas) and the PNG carries no metadata
that changes between runs, so the same chain gives the same bytes.
"""
from __future__ import annotations

import io
import logging
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FONT_PATH = Path(__file__).with_name("fonts") / "wqy-microhei.ttf"
DPI = 110
_ACT, _MILESTONE, _MEASURE = "#c0392b", "#1f4e79", "#7f6000"


@lru_cache(maxsize=1)
def font_name() -> str:
    """Register the shipped CJK font with matplotlib once; return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_PATH))
    return font_manager.FontProperties(fname=str(FONT_PATH)).get_name()


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def render_figure(fig_data: dict[str, Any]) -> bytes:
    """PNG bytes of one figure of the chain (``timeline`` or ``money_flow``)."""
    import matplotlib

    with matplotlib.rc_context({"font.family": [font_name(), "DejaVu Sans"], "axes.unicode_minus": False,
                                "svg.hashsalt": "debtorgraph"}):
        if fig_data["kind"] == "timeline":
            return _timeline(fig_data)
        return _flow(fig_data)


def _timeline(data: dict[str, Any]) -> bytes:
    from matplotlib import dates as mdates

    items = [i for i in data["items"] if i.get("date")][:60]
    fig = _figure(10, 4.8)
    ax = fig.add_axes((0.04, 0.12, 0.92, 0.80))
    if not items:
        ax.text(0.5, 0.5, "无可显示的日期 / no dated items", ha="center", va="center")
        ax.axis("off")
        return _png(fig)
    xs = [mdates.date2num(date.fromisoformat(i["date"][:10])) for i in items]  # type: ignore[no-untyped-call]
    lo, hi = min(xs), max(xs)
    pad = max(20.0, (hi - lo) * 0.06)
    ax.set_xlim(lo - pad, hi + pad)
    ax.axhline(0, color="#555555", lw=1.2, zorder=1)
    days_per_inch = (hi - lo + 2 * pad) / (10 * 0.92)
    slots: dict[str, list[float]] = {"up": [], "down": []}  # right edge (in days) of the last label per level
    top = {"up": 1, "down": 1}
    for x, item in zip(xs, items):
        is_act = item["kind"] == "act"
        side = "down" if is_act else "up"
        label = f"{item['zh']}\n{item['date'][:10]}"
        if is_act and item.get("amount"):
            label += f"\n¥{item['amount']:,.0f}"
        half = max(len(line) * (1.0 if any(ord(ch) > 0x2e80 for ch in line) else 0.55)
                   for line in label.split("\n")) * 0.11 * days_per_inch / 2 + 0.04 * days_per_inch
        level = next((i for i, right in enumerate(slots[side]) if right < x - half), None)
        if level is None:
            level = len(slots[side])
            slots[side].append(x + half)
        else:
            slots[side][level] = x + half
        top[side] = max(top[side], level + 1)
        height = (1.0 + 1.25 * (level % 4)) * (-1 if is_act else 1)
        color = _ACT if is_act else _MEASURE if item["kind"] == "measure" else _MILESTONE
        ax.vlines(x, 0, height, color=color, lw=0.9, zorder=2)
        ax.plot([x], [0], "o", color=color, ms=5, zorder=3)
        ax.text(x, height, label, ha="center", va="top" if is_act else "bottom", fontsize=7.5, color=color,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": color, "lw": 0.6})
    ax.set_ylim(-1.0 - 1.25 * min(4, top["down"]) - 1.2, 1.0 + 1.25 * min(4, top["up"]) + 0.6)
    ax.yaxis.set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=10))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="x", labelsize=8)
    ax.text(1.0, 1.01, "上方：案件节点与执行措施　下方：行为", transform=ax.transAxes, ha="right", fontsize=8,
            color="#555555")
    return _png(fig)


def _layers(nodes: list[str], edges: list[tuple[str, str]], source: str) -> dict[str, int]:
    """Hop distance of each node from ``source`` (unreached nodes go last)."""
    layer = {source: 0}
    frontier = [source]
    while frontier:
        nxt = []
        for a, b in edges:
            if a in frontier and b not in layer:
                layer[b] = layer[a] + 1
                nxt.append(b)
        frontier = sorted(set(nxt))
    deepest = max(layer.values(), default=0)
    for n in nodes:
        layer.setdefault(n, deepest + 1)
    return layer


def _flow(data: dict[str, Any]) -> bytes:
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for e in data["edges"]:
        if not e["from"] or not e["to"] or e["from"] == e["to"]:
            continue
        p = pairs.setdefault((e["from"], e["to"]), {"traced": 0.0, "n": 0, "dates": []})
        p["traced"] += e["traced"] or 0.0
        p["n"] += 1
        p["dates"].append(e["date"] or "")
    ordered = sorted(pairs.items(), key=lambda kv: (-kv[1]["traced"], kv[0]))[:40]
    nodes = sorted({n for (a, b), _ in ordered for n in (a, b)})
    layer = _layers(nodes, [k for k, _ in ordered], data["source"])
    columns: dict[int, list[str]] = {}
    for n in sorted(nodes, key=lambda n: (layer[n], data["labels"].get(n, n), n)):
        columns.setdefault(layer[n], []).append(n)
    rows = max((len(v) for v in columns.values()), default=1)
    height = min(12.0, max(2.0, 0.8 * rows + 0.9))
    fig = _figure(10, height)
    ax = fig.add_axes((0.01, 0.02, 0.98, 1 - 0.45 / height))
    ax.axis("off")
    pos = {}
    for col, members in columns.items():
        for i, n in enumerate(members):
            pos[n] = (col, -(i - (len(members) - 1) / 2))
    rests: dict[str, float] = {}
    for end in data.get("endpoints", []):
        rests[end["holder"]] = rests.get(end["holder"], 0.0) + end["amount"]
    boxes = {}
    for n, (x, y) in pos.items():  # boxes first: the arrows are clipped to their outlines when drawn
        is_source = n == data["source"]
        label = data["labels"].get(n, n) + (f"\n留存 ¥{rests[n]:,.0f}" if rests.get(n) else "")
        boxes[n] = ax.text(x, y, label, ha="center", va="center", fontsize=9.5, zorder=1,
                           bbox={"boxstyle": "round,pad=0.35", "fc": "#fdebd0" if is_source else "#eaf2f8",
                                 "ec": _ACT if is_source else _MILESTONE, "lw": 0.8})
    for (a, b), p in ordered:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), zorder=2,
                    arrowprops={"arrowstyle": "-|>", "color": _ACT if p["traced"] else "#999999",
                                "lw": 1.0 + min(3.0, p["traced"] / 100000.0), "shrinkA": 2, "shrinkB": 2,
                                "patchA": boxes[a].get_bbox_patch(), "patchB": boxes[b].get_bbox_patch()})
        dates = sorted(d for d in p["dates"] if d)
        span = dates[0] if len(set(dates)) <= 1 else f"{dates[0]}–{dates[-1]}"
        t = 0.6 if x2 != x1 else 0.5
        ax.text(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, f"¥{p['traced']:,.0f}（{p['n']}笔）\n{span}", ha="center",
                va="center", fontsize=7.5, color="#333333", zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    xs = [x for x, _ in pos.values()] or [0]
    ys = [y for _, y in pos.values()] or [0]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    rule = {"libr": "最低中间余额法（LIBR）", "direct": "直接转账"}.get(data["rule"], data["rule"])
    total = sum(e["amount"] for e in data.get("endpoints", []))
    fig.text(0.01, 1 - 0.08 / height, f"追踪规则：{rule}" + (f"　追踪金额 ¥{total:,.0f}" if total else "")
             + "　箭头：资金去向（笔数、日期）", fontsize=8.5, va="top", color="#555555")
    return _png(fig)
