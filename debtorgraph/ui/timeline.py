"""One time axis per debtor: case milestones, sanctions, transfers, ownership and family changes.

:func:`timeline_rows` gathers the dated facts of a debtor from the store; the Timeline
page draws them with Altair (bundled with Streamlit, so it works offline) through
:func:`timeline_chart`, one lane per kind of fact.
"""
from __future__ import annotations

import logging
from typing import Any

from ..graph.schema import ref_type
from . import queries as Q

log = logging.getLogger(__name__)

__all__ = ["LANES", "timeline_rows", "timeline_chart"]

#: Lanes, top to bottom.
LANES: tuple[str, ...] = ("milestone", "sanction", "family", "ownership", "out", "in")

# Events and Sanctions that name the party. Params: $id. Columns as CASE_MILESTONES.
INVOLVING = ("MATCH (e:Entity)-[:INVOLVED]->(p:Entity) WHERE p.id = $id RETURN e.id AS id, e.schema AS schema, "
             "e.caption AS caption, e.kind AS kind, e.date AS date, e.end_date AS end_date, "
             "e.case_number AS case_number")
#: Relationship type of Sanction.entity (named by the graph mapping, not by user text).
ENTITY_REL = ref_type("entity")
# Sanctions on the party or on what it owns. Params: $ids. Same columns.
BINDING = (f"MATCH (e:Entity)-[:{ENTITY_REL}]->(p:Entity) WHERE p.id IN $ids RETURN e.id AS id, e.schema AS schema, "
           "e.caption AS caption, e.kind AS kind, e.date AS date, e.end_date AS end_date, "
           "e.case_number AS case_number")
# Owners over time of the assets a party ever held. Params: $assets. Columns: owner, caption,
# asset, asset_caption, rid, date, end_date, role, amount, percentage.
ASSET_HISTORY = ("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE a.id IN $assets RETURN o.id AS owner, "
                 "o.caption AS caption, a.id AS asset, a.caption AS asset_caption, r.id AS rid, r.date AS date, "
                 "r.end_date AS end_date, r.role AS role, r.amount AS amount, r.percentage AS percentage")

EVENT_WORDS = {
    "lawsuit_served": ("应诉通知送达", "notice to respond served"),
    "judgment_effective": ("判决生效", "judgment effective"),
    "enforcement_filed": ("立案执行", "enforcement filed"),
    "execution_notice": ("执行通知", "execution notice"),
    "property_report_order": ("报告财产令", "property report order"),
    "assistance_notice": ("协助执行通知", "assistance notice"),
    "termination": ("终结本次执行", "termination"),
    "freeze": ("冻结", "freeze"), "seizure": ("查封/扣押", "seizure"),
    "dishonest_listing": ("纳入失信名单", "dishonest listing"),
    "consumption_restriction": ("限制消费令", "consumption restriction"),
}


def _item(date: str | None, lane: str, what: str, ent_id: str, amount: float | None = None,
          detail: str = "") -> dict[str, Any] | None:
    if not date:
        return None
    return {"date": date[:19], "day": date[:10], "lane": lane, "what": what, "id": ent_id,
            "amount": amount, "detail": detail}


def timeline_rows(store: Any, party_id: str, limit: int = 2000, *, masked: bool = True) -> list[dict[str, Any]]:
    """Every dated fact about a debtor, oldest first; ``what`` keeps codes for the page to word."""
    from .backends import mask_caption

    def name(row: dict[str, Any] | None, fallback: str) -> str:
        if not row:
            return fallback
        text = row.get("caption") or fallback
        return mask_caption(row.get("schema"), text, _props(row)) if masked else text

    have = Q.rel_types(store)
    rows: list[dict[str, Any] | None] = []
    cases = Q.read(store, Q.PARTY_CASES, {"ids": [party_id]}, needs=("COURT_CASE_PARTY",))
    case_numbers = [c["case_number"] for c in cases if c["case_number"]]
    milestones: dict[str, dict[str, Any]] = {}
    if case_numbers:
        for r in Q.read(store, Q.CASE_MILESTONES, {"cases": case_numbers}):
            milestones[r["id"]] = r
    if "INVOLVED" in have:
        for r in Q.read(store, INVOLVING, {"id": party_id}):
            milestones[r["id"]] = r
    links = Q.read(store, Q.OUT_LINKS, {"ids": [party_id], "limit": limit}) if have else []
    links += Q.read(store, Q.IN_LINKS, {"ids": [party_id], "limit": limit}) if have else []
    assets = [r["dst"] for r in links if r["type"] == "OWNERSHIP" and r["src"] == party_id]
    if ENTITY_REL in have:
        for r in Q.read(store, BINDING, {"ids": [party_id, *assets]}):
            milestones[r["id"]] = r
    for m in milestones.values():
        lane = "sanction" if m["schema"] == "Sanction" else "milestone"
        rows.append(_item(m["date"], lane, f"{m['schema']}:{m['kind'] or m['caption']}", m["id"],
                          detail=m["case_number"] or ""))
        if m["schema"] == "Sanction" and m["end_date"]:
            rows.append(_item(m["end_date"], lane, f"lifted:{m['kind']}", m["id"], detail=m["case_number"] or ""))
    names = Q.nodes(store, list({r["src"] for r in links} | {r["dst"] for r in links}))
    for r in links:
        other = r["dst"] if r["src"] == party_id else r["src"]
        other_name = name(names.get(other), other)
        if r["type"] == "FAMILY":
            rows.append(_item(r["date"], "family", f"family_start:{r['role'] or ''}", r["rid"], detail=other_name))
            rows.append(_item(r["end_date"], "family", f"family_end:{r['role'] or ''}", r["rid"], detail=other_name))
        elif r["type"] == "DEBT":
            rows.append(_item(r["date"], "milestone", "debt", r["rid"], r["amount"], detail=other_name))
    if assets and "OWNERSHIP" in have:
        asset_rows = Q.nodes(store, assets)
        for r in Q.read(store, ASSET_HISTORY, {"assets": assets}):
            asset = name(asset_rows.get(r["asset"]), r["asset_caption"])
            if r["owner"] == party_id:
                rows.append(_item(r["end_date"], "ownership", "disposed", r["rid"], r["amount"], detail=asset))
            else:
                rows.append(_item(r["date"], "ownership", f"acquired_by:{r['role'] or ''}", r["rid"], r["amount"],
                                  detail=f"{asset} → {r['caption']}"))
    if "PAYMENT" in have:
        params = {**Q.pay_params(None, None, 0.0), "ids": [party_id], "limit": limit}
        pays = Q.read(store, Q.PARTY_PAYMENTS, params)
        pnames = Q.nodes(store, list({p["src"] for p in pays} | {p["dst"] for p in pays}))
        for p in pays:
            out = p["src"] == party_id
            other = p["dst"] if out else p["src"]
            rows.append(_item(p["date"], "out" if out else "in", f"payment:{p['purpose'] or ''}", p["rid"],
                              p["amount"], detail=name(pnames.get(other), other)))
    items = [r for r in rows if r is not None]
    items.sort(key=lambda r: (r["date"], LANES.index(r["lane"])))
    return items


def _props(row: dict[str, Any]) -> dict[str, list[str]]:
    import orjson

    try:
        return orjson.loads(row["props"]) if row.get("props") else {}
    except orjson.JSONDecodeError:
        return {}


def describe(item: dict[str, Any], lang: str) -> str:
    """A timeline item in words."""
    code, _, arg = item["what"].partition(":")
    zh = lang != "en"
    if code in ("Event", "Sanction"):
        pair = EVENT_WORDS.get(arg)
        return (pair[0] if zh else pair[1]) if pair else arg
    if code == "lifted":
        pair = EVENT_WORDS.get(arg, (arg, arg))
        return f"解除{pair[0]}" if zh else f"{pair[1]} lifted"
    if code == "debt":
        return "判决债务" if zh else "judgment debt"
    if code == "family_start":
        return ("结婚" if zh else "marriage") if arg == "spouse" else ("亲属关系" if zh else "relative")
    if code == "family_end":
        return ("离婚" if zh else "divorce") if arg == "spouse" else ("关系结束" if zh else "link ended")
    if code == "disposed":
        return "产权转出" if zh else "asset disposed of"
    if code == "acquired_by":
        return (f"他人取得（{arg}）" if zh else f"acquired by another ({arg})") if arg else ("他人取得" if zh else "acquired by another")
    if code == "payment":
        return (f"转账 {arg}" if zh else f"transfer {arg}").strip()
    return item["what"]


def focus_window(items: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The part of the time axis worth opening on: from a year before the first case milestone
    (the 2024 Interpretation art. 6 looks back to the notice to respond) to the last item.

    >>> focus_window([{"date": "2008-10-01", "lane": "family"}, {"date": "2021-11-01", "lane": "milestone"},
    ...               {"date": "2022-09-01", "lane": "sanction"}])
    ('2020-11-01', '2022-10-01')
    """
    case_days = sorted(i["date"][:10] for i in items if i["lane"] in ("milestone", "sanction"))
    days = sorted(i["date"][:10] for i in items)
    if not days:
        return None
    start = case_days[0] if case_days else days[0]
    lo = f"{int(start[:4]) - 1}{start[4:10]}"
    # family changes (a marriage, a divorce) up to three years before the case are part of the story
    kin = [d for d in (i["date"][:10] for i in items if i["lane"] == "family") if d >= f"{int(start[:4]) - 3}{start[4:10]}"]
    if kin and kin[0] < lo:
        lo = f"{kin[0][:7]}-01"
    last = days[-1]
    year, month = int(last[:4]), int(last[5:7]) + 1
    if month > 12:
        year, month = year + 1, 1
    return (max(lo, days[0]), f"{year:04d}-{month:02d}{last[7:10]}")


def in_window(items: list[dict[str, Any]], window: tuple[str, str] | None) -> list[dict[str, Any]]:
    """The items the chart shows (all of them without a window), for the table under it.

    >>> in_window([{"date": "2008-10-01"}, {"date": "2021-11-01T09:00"}], ("2020-11-01", "2022-10-01"))
    [{'date': '2021-11-01T09:00'}]
    """
    if window is None:
        return list(items)
    return [i for i in items if window[0] <= i["date"][:10] <= window[1]]


def timeline_chart(items: list[dict[str, Any]], lane_names: dict[str, str], lang: str,
                   window: tuple[str, str] | None = None) -> Any:
    """An Altair chart: one row per lane, a mark per item, amounts as size, tooltips."""
    import altair as alt
    import pandas as pd

    df = pd.DataFrame(items)
    df["when"] = pd.to_datetime(df["date"], errors="coerce", format="ISO8601")
    df = df.dropna(subset=["when"])
    df["lane_name"] = df["lane"].map(lane_names)
    df["label"] = [describe(r, lang) for r in df.to_dict("records")]
    df["amount_text"] = df["amount"].map(lambda v: f"¥{v:,.0f}" if v == v and v is not None else "")
    order = [lane_names[lane] for lane in LANES if lane in set(df["lane"])]
    x_scale = alt.Scale(domain=list(window)) if window else alt.Undefined
    base = alt.Chart(df).encode(
        x=alt.X("when:T", title=None, scale=x_scale, axis=alt.Axis(format="%Y-%m-%d", labelAngle=-30)),
        y=alt.Y("lane_name:N", title=None, scale=alt.Scale(domain=order), axis=alt.Axis(labelLimit=160)),
        color=alt.Color("lane_name:N", scale=alt.Scale(domain=order), legend=None),
        tooltip=[alt.Tooltip("day:N", title="日期" if lang != "en" else "Date"),
                 alt.Tooltip("label:N", title="事项" if lang != "en" else "What"),
                 alt.Tooltip("detail:N", title="相关" if lang != "en" else "Related"),
                 alt.Tooltip("amount_text:N", title="金额" if lang != "en" else "Amount"),
                 alt.Tooltip("id:N", title="ID")],
    )
    points = base.transform_filter("datum.amount != null").mark_circle(opacity=0.8, clip=True).encode(
        size=alt.Size("amount:Q", scale=alt.Scale(range=[60, 700]), legend=None))
    ticks = base.transform_filter("datum.amount == null").mark_tick(thickness=3, size=26, clip=True)
    return (ticks + points).properties(height=56 * len(order)).interactive(bind_y=False)
