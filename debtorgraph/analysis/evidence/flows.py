"""Figure data of an evidence chain: the timeline, and the money flow of each traced transfer.

The data goes into the chain's JSON (so the JSON alone is the full record); the images
are drawn from it by :mod:`debtorgraph.analysis.evidence.figures`.

Each finding whose acts include Payments is traced with
:func:`debtorgraph.analysis.tracing.trace` (LIBR): the act payments are the only debits of
the debtor given to the tracer, so exactly they are seeded, and the tracer follows them
through the counterparties' accounts (two hops of their postings are read from the store).
"""
from __future__ import annotations

import logging
from typing import Any

from .case import Context
from .conduct import rule_name
from .facts import MILESTONES, PROGRAMS, day
from .store import one

log = logging.getLogger(__name__)

MAX_FLOW_EDGES = 60  # edges drawn per money-flow figure (all of them stay in the JSON)


def timeline(ctx: Context) -> dict[str, Any]:
    """Milestones, measures and acts in date order."""
    items = []
    for c in ctx.cases:
        for name, hits in c["milestones"].items():
            zh, en = MILESTONES.get(name, (name, name))
            for when, eid in hits:
                items.append({"date": when, "kind": "milestone", "name": name, "zh": zh, "en": en, "entities": [eid]})
        if c["effective_date"] and not c["milestones"].get("judgment_effective"):
            items.append({"date": c["effective_date"], "kind": "milestone", "name": "judgment_effective",
                          "zh": "判决生效", "en": "judgment effective", "entities": [c["effective_source"]]})
    for s in ctx.sanctions:
        if s["start"]:
            zh, en = PROGRAMS.get(s["program"], (s["program"], s["program"]))
            items.append({"date": s["start"], "kind": "measure", "name": s["program"], "zh": zh, "en": en,
                          "entities": [s["id"]]})
    for fact in ctx.facts.facts["conduct"]:
        if fact["kind"] == "act" and fact["date"]:
            zh, en = rule_name(fact["data"]["rule"] or "")
            items.append({"date": fact["date"], "kind": "act", "name": fact["data"]["rule"], "zh": zh, "en": en,
                          "amount": fact["amount"], "fact": fact["id"], "entities": fact["entities"][:20]})
    items.sort(key=lambda i: (i["date"], {"milestone": 0, "measure": 1, "act": 2}[i["kind"]], i["name"] or ""))
    return {"id": "timeline", "kind": "timeline", "title_zh": "时间线：案件节点、执行措施与行为",
            "title_en": "Timeline: milestones, measures and acts", "items": items}


def _entity(rec: dict[str, Any]) -> dict[str, Any]:
    return {"id": rec["id"], "schema": rec["schema"], "properties": rec["props"]}


def money_flows(ctx: Context) -> list[dict[str, Any]]:
    """One flow per finding with Payment acts: traced endpoints and the edges to draw."""
    from ..tracing import trace

    g = ctx.graph
    flows = []
    for fact in ctx.facts.facts["conduct"]:
        if fact["kind"] != "act":
            continue
        acts = [a for a in fact["data"]["acts"] if a.get("schema") == "Payment"]
        if not acts:
            continue
        seeded = {a["id"] for a in acts}
        payers = sorted(a["payer"] for a in acts if a.get("payer"))
        # trace from the debtor when it paid; else (income diverted, an assisting unit paying) from the payer
        source = ctx.canonical if set(payers) & ctx.ids or not payers else max(set(payers), key=payers.count)
        own = ctx.ids if source == ctx.canonical else {source}
        hop1 = sorted({a["beneficiary"] for a in acts if a.get("beneficiary") and a["beneficiary"] not in own})
        rows: dict[str, dict[str, Any]] = {}
        for party in hop1:
            for r in g.payments_of(party):
                rows[r["id"]] = r
        hop2 = sorted({r["beneficiary"] for r in rows.values() if r["payer"] in hop1} - set(hop1) - own)
        for r in g.payments_out_of(hop2):
            rows[r["id"]] = r
        ids = sorted(seeded | {i for i, r in rows.items() if r["payer"] not in own})
        recs = g.records(ids)
        since = min(day(a.get("date")) or "9999" for a in acts)
        flow: dict[str, Any] = {"id": f"flow-{fact['data']['finding'] or fact['id']}", "kind": "money_flow",
                                "finding": fact["data"]["finding"], "fact": fact["id"], "source": source,
                                "since": since, "rule": "libr", "seeded": sorted(seeded),
                                "title_zh": f"资金流向：{rule_name(fact['data']['rule'] or '')[0]}（{fact['id']}）",
                                "title_en": f"Money flow: {rule_name(fact['data']['rule'] or '')[1]} ({fact['id']})",
                                "endpoints": [], "edges": []}
        traced: dict[str, float] = {}
        accounts = sorted({p for r in recs.values() for k in ("payerAccount", "beneficiaryAccount")
                           for p in r["props"].get(k, [])})
        acct_recs = g.records(accounts)
        owns = g.owners_of(accounts)
        own_recs = g.records([o["rel"] for o in owns])
        try:
            result = trace([_entity(recs[i]) for i in ids if i in recs], source, since, rule="libr",
                           accounts=[_entity(r) for r in acct_recs.values()],
                           ownerships=[_entity(r) for r in own_recs.values()])
        except Exception as exc:  # a trace that cannot run leaves the direct edges, and says why
            log.warning("trace of %s failed: %s", fact["id"], exc)
            flow["rule"], flow["trace_error"] = "direct", str(exc)
            result = {"endpoints": []}
        for end in result["endpoints"]:
            pays = sorted({p for path in end.get("paths", []) for p in path["payments"]})
            flow["endpoints"].append({"id": end["id"], "holder": end.get("holder") or end["id"],
                                      "amount": round(float(end["amount"]), 2), "payments": pays})
            for path in end.get("paths", []):
                for pid, amt in zip(path["payments"], path["amounts"]):
                    traced[pid] = max(traced.get(pid, 0.0), float(amt))
        for pid in sorted(set(traced) | seeded, key=lambda p: ((day(g.first(p, "date")) or ""), p)):
            props = g.props(pid)

            def first(key: str, props: dict[str, list[str]] = props) -> str | None:
                return one(props, key)

            flow["edges"].append({"payment": pid, "from": first("payer"), "to": first("beneficiary"),
                                  "from_account": first("payerAccount"), "to_account": first("beneficiaryAccount"),
                                  "date": day(first("date")), "amount": float(first("amount") or 0),
                                  "traced": round(traced.get(pid, float(first("amount") or 0) if pid in seeded else 0), 2)})
        flow["nodes"] = sorted({n for e in flow["edges"] for n in (e["from"], e["to"]) if n})
        flow["labels"] = {n: g.caption(n) for n in flow["nodes"]}
        flows.append(flow)
    return flows
