"""Ability to execute (履行能力): what the debtor had and earned from the effective date on.

Ability is shown from the data, not asserted: for each account the debtor holds, the
running balance is rebuilt from its postings (date, then sequence number, debits first);
an account's ``balance`` + ``balanceDate`` pins it where the data gives one, otherwise
the opening balance is taken as the least that keeps the balance from going below zero
(so every balance shown is a lower bound). Salary comes from Payments by an employer
(Employment link) or with purpose 工资/salary; assets are valued at their market value
(``amount``), a stake at ``percentage`` x the company's ``capital``. 法释〔2024〕13号 art. 5:
partial ability counts, after deducting living necessities (which the data cannot show).
"""
from __future__ import annotations

import logging
from itertools import accumulate
from typing import Any

from .case import Context
from .facts import day, money
from .store import as_float

log = logging.getLogger(__name__)

_SALARY_WORDS = ("工资", "薪", "salary", "wage", "代发")
_ASSET_NAMES = {"RealEstate": ("不动产", "real estate"), "Vehicle": ("车辆", "vehicle"),
                "Company": ("股权", "equity"), "Security": ("证券", "security"), "Asset": ("财产", "asset"),
                "BankAccount": ("账户", "account")}


def read_holdings(ctx: Context) -> None:
    """Read the debtor's ownerships, accounts and payments into ``ctx.extra``."""
    graph = ctx.graph
    owns = graph.owned_by(ctx.ids | {ctx.canonical})
    recs = graph.records([o["rel"] for o in owns] + [o["asset"] for o in owns])
    holdings = []
    for o in owns:
        p = recs.get(o["rel"], {}).get("props", {})
        asset = recs.get(o["asset"])
        if asset is None:
            continue
        start, end = day(_one(p, "startDate")), day(_one(p, "endDate"))
        ctx.note(start, end)
        holdings.append({"rel": o["rel"], "asset": o["asset"], "schema": asset["schema"],
                         "start": start, "end": end, "lease": _one(p, "ownershipType") == "lease"
                         or _one(p, "legalBasis") == "lease", "percentage": as_float(_one(p, "percentage")),
                         "value": asset_value(ctx, o["asset"], as_float(_one(p, "percentage")))})
    payments = graph.payments_of(ctx.canonical)
    for row in payments:
        ctx.note(row["date"])
    accounts = sorted({h["asset"] for h in holdings if h["schema"] == "BankAccount"}
                      | {r["src"] for r in payments if r["payer"] == ctx.canonical and r["src"]}
                      | {r["dst"] for r in payments if r["beneficiary"] == ctx.canonical and r["dst"]})
    ctx.extra.update(holdings=holdings, payments=payments, accounts=accounts)


def _one(props: dict[str, list[str]], name: str) -> str | None:
    values = props.get(name)
    return values[0] if values else None


def asset_value(ctx: Context, asset: str, percentage: float | None) -> float | None:
    """Market value of an asset; a stake is ``percentage`` x the company's capital."""
    props = ctx.graph.props(asset)
    schema = ctx.graph.schema(asset)
    if schema == "Company":
        capital = as_float(_one(props, "capital"))
        if capital is not None and percentage is not None:
            return capital * percentage / 100.0
        return None
    if schema == "BankAccount":
        return None
    return as_float(_one(props, "amount"))


def account_series(ctx: Context, account: str) -> dict[str, Any]:
    """Postings and running balances of one of the debtor's accounts (computed once)."""
    cache = ctx.extra.setdefault("series", {})
    if account not in cache:
        cache[account] = _series(ctx, account)
    series: dict[str, Any] = cache[account]
    return series


def _series(ctx: Context, account: str) -> dict[str, Any]:
    rows = [r for r in ctx.extra["payments"] if r["src"] == account or r["dst"] == account]
    rows.sort(key=lambda r: (r["date"] or "", r["seq"] or 0, 0 if r["src"] == account else 1, r["id"]))
    deltas = [-(r["amount"] or 0.0) if r["src"] == account else (r["amount"] or 0.0) for r in rows]
    cum = list(accumulate(deltas))
    props = ctx.graph.props(account)
    anchor, anchor_date = as_float(_one(props, "balance")), day(_one(props, "balanceDate"))
    if anchor is not None and anchor_date:
        before = [c for r, c in zip(rows, cum) if r["date"] and r["date"][:10] <= anchor_date]
        offset, basis = anchor - (before[-1] if before else 0.0), "anchor"
    else:
        offset, basis = 0.0, "lower_bound"
    least = max([0.0] + [-c for c in cum])  # below this the balance would go negative somewhere
    if offset < least:
        offset, basis = least, ("anchor_inconsistent" if basis == "anchor" else basis)
    balances = [round(offset + c, 2) for c in cum]
    return {"account": account, "rows": rows, "balances": balances, "opening": round(offset, 2), "basis": basis}


def ability_facts(ctx: Context) -> None:
    """履行能力: accounts with balances over time, income, assets with market values."""
    graph, facts = ctx.graph, ctx.facts
    eff = ctx.effective_date
    since = eff or "0000-00-00"
    if not eff:
        facts.gap("ability", "no_effective_date", "缺少生效日期：履行能力按全部数据期间列示",
                  "no effective date: ability is shown over the whole period of the data",
                  [c["id"] for c in ctx.cases])
    own_rel = {h["asset"]: h["rel"] for h in ctx.extra["holdings"]}
    ctx.extra["account_state"] = {}
    for acct in ctx.extra["accounts"]:
        s = account_series(ctx, acct)
        rows, bal = s["rows"], s["balances"]
        if not rows:
            continue
        at_eff = s["opening"]
        for r, b in zip(rows, bal):
            if (r["date"] or "")[:10] < since:
                at_eff = b
        after = [(r, b) for r, b in zip(rows, bal) if (r["date"] or "")[:10] >= since]
        peak = max(after, key=lambda x: x[1]) if after else None
        if eff and (peak is None or at_eff > peak[1]):
            peak = ({"date": eff}, round(at_eff, 2))
        inflow = sum(r["amount"] or 0 for r, _ in after if r["dst"] == acct)
        outflow = sum(r["amount"] or 0 for r, _ in after if r["src"] == acct)
        last = bal[-1]
        ctx.extra["account_state"][acct] = {"last_balance": last, "last_date": day(rows[-1]["date"]),
                                            "peak": peak[1] if peak else None}
        props = graph.props(acct)
        label = f"{_one(props, 'bankName') or ''} {_one(props, 'accountNumber') or acct}".strip()
        basis_zh = {"anchor": "以对账余额为基准推算",
                    "anchor_inconsistent": "对账余额与流水不符，按使余额不为负的最小值推算"}.get(
                        s["basis"], "期初余额未知，按使余额不为负的最小值推算")
        zh = (f"账户 {label}：生效日余额 {money(at_eff)}；生效日后最高余额 {money(peak[1] if peak else None)}"
              f"（{day(peak[0]['date']) if peak else '—'}）；生效日后流入 {money(inflow)}、流出 {money(outflow)}"
              f"（{len(after)} 笔）；最后余额 {money(last)}（{day(rows[-1]['date'])}）。{basis_zh}")
        en = (f"Account {label}: balance {money(at_eff)} on the effective date; highest balance after it "
              f"{money(peak[1] if peak else None)} ({day(peak[0]['date']) if peak else '—'}); in {money(inflow)}, "
              f"out {money(outflow)} ({len(after)} postings); last balance {money(last)}. "
              + {"anchor": "Rebuilt from the stated balance.",
                 "anchor_inconsistent": "The stated balance contradicts the postings: the least that keeps it "
                                        "from going below zero."}.get(
                  s["basis"], "Opening balance unknown: the least that keeps it from going below zero."))
        monthly: dict[str, list[float]] = {}
        for r, b in after:
            m = monthly.setdefault((r["date"] or "")[:7], [b, b])
            m[0], m[1] = b, max(m[1], b)
        facts.add("ability", "account", zh, en, [acct, own_rel.get(acct, ""), *[r["id"] for r in rows]],
                  date=day(peak[0]["date"]) if peak else None, amount=peak[1] if peak else None,
                  data={"account": acct, "balance_at_effective_date": round(at_eff, 2),
                        "peak_balance": peak[1] if peak else None, "peak_date": day(peak[0]["date"]) if peak else None,
                        "inflow": round(inflow, 2), "outflow": round(outflow, 2), "postings": len(after),
                        "last_balance": last, "opening_basis": s["basis"],
                        "monthly": [[k, round(v[0], 2), round(v[1], 2)] for k, v in sorted(monthly.items())]})
    _income(ctx, since)
    held_value = _assets(ctx, since)
    liquid = _combined_peak(ctx, since)
    ctx.extra["ability_total"] = held_value + liquid
    _summary(ctx, held_value, liquid)


def _combined_peak(ctx: Context, since: str) -> float:
    """Highest sum of the debtor's account balances on or after ``since``."""
    events: list[tuple[str, float]] = []
    opening = 0.0
    for acct in ctx.extra["accounts"]:
        s = account_series(ctx, acct)
        opening += s["opening"]
        for r in s["rows"]:
            amt = r["amount"] or 0.0
            if r["src"] == acct and r["dst"] == acct:
                continue
            events.append((r["date"] or "", -amt if r["src"] == acct else amt))
    events.sort(key=lambda e: (e[0], e[1]))
    total, peak = opening, None
    for when, delta in events:
        total += delta
        if when[:10] >= since:
            peak = total if peak is None else max(peak, total)
    if peak is None:
        peak = total
    return max(0.0, round(peak, 2))


def _income(ctx: Context, since: str) -> None:
    graph, facts = ctx.graph, ctx.facts
    employers = {}
    for link in graph.links([ctx.canonical]):
        if link["type"] == "EMPLOYMENT" and link["a"] == ctx.canonical:
            employers[link["b"]] = link["rel"]
    salary = [r for r in ctx.extra["payments"] if r["beneficiary"] == ctx.canonical and r["payer"] != ctx.canonical
              and (r["date"] or "")[:10] >= since and (r["payer"] in employers or any(
                  w in (r["purpose"] or "").lower() for w in _SALARY_WORDS))]
    if salary:
        total = sum(r["amount"] or 0 for r in salary)
        months = sorted({(r["date"] or "")[:7] for r in salary})
        names = "、".join(sorted({graph.caption(r["payer"]) for r in salary}))
        facts.add("ability", "income", f"生效日后收入：{names} 支付工资/报酬 {len(salary)} 笔，合计 {money(total)}"
                  f"（{months[0]} 至 {months[-1]}，月均 {money(total / len(months))}）",
                  f"Income after the effective date: {len(salary)} payments from {names}, total {money(total)} "
                  f"({months[0]} to {months[-1]}, {money(total / len(months))} a month)",
                  [*[employers[p] for p in sorted({r['payer'] for r in salary}) if p in employers],
                   *[r["id"] for r in salary]], date=day(salary[0]["date"]), amount=total,
                  data={"payers": sorted({r["payer"] for r in salary}), "total": round(total, 2),
                        "count": len(salary), "months": len(months)})
    elif employers:
        facts.add("ability", "employment", "受雇于 " + "、".join(graph.caption(e) for e in sorted(employers))
                  + "（数据中未见工资流水）", "Employed by " + ", ".join(graph.caption(e) for e in sorted(employers))
                  + " (no salary postings in the data)", [*employers.values(), *sorted(employers)])
    ctx.extra["employers"] = employers


def _assets(ctx: Context, since: str) -> float:
    graph, facts = ctx.graph, ctx.facts
    held_value = 0.0
    for h in sorted(ctx.extra["holdings"], key=lambda h: (h["start"] or "", h["rel"])):
        if h["schema"] == "BankAccount" or h["lease"]:
            continue
        if h["end"] and h["end"] < since:
            continue
        zh_kind, en_kind = _ASSET_NAMES.get(h["schema"], ("财产", "asset"))
        name = graph.caption(h["asset"])
        share = f"{h['percentage']:g}% " if h["percentage"] is not None else ""
        when_zh = f"{h['start'] or '—'} 起持有" + (f"，{h['end']} 转出" if h["end"] else "，至今仍登记在其名下")
        when_en = f"held from {h['start'] or '—'}" + (f", transferred {h['end']}" if h["end"] else ", still registered")
        if h["value"] is not None:
            held_value += h["value"]
        facts.add("ability", "asset", f"{zh_kind}：{share}{name}，市值 {money(h['value'])}；{when_zh}",
                  f"{en_kind}: {share}{name}, market value {money(h['value'])}; {when_en}", [h["asset"], h["rel"]],
                  date=h["start"], amount=h["value"],
                  data={"asset": h["asset"], "schema": h["schema"], "value": h["value"], "start": h["start"],
                        "end": h["end"], "percentage": h["percentage"]})
        if h["value"] is None:
            facts.gap("ability", "no_market_value", "部分财产缺少市值（评估价或指导价）",
                      "some assets have no market value (appraisal or guide price)", [h["asset"]])
    return held_value


def _summary(ctx: Context, held_value: float, liquid: float) -> None:
    facts = ctx.facts
    due = ctx.extra.get("unpaid")
    total = held_value + liquid
    if not total:
        facts.gap("ability", "no_ability_data", "数据中没有被执行人生效日后的账户流水或财产",
                  "no accounts or assets of the debtor after the effective date in the data")
        return
    if due:
        level_zh = "足以全部履行" if total >= due else "至少可部分履行"
        level_en = "enough to pay in full" if total >= due else "at least partial ability"
        tail_zh, tail_en = f"，对比未履行金额 {money(due)}：{level_zh}", f"; against {money(due)} unpaid: {level_en}"
    else:
        tail_zh = tail_en = ""
    facts.add("ability", "summary", f"生效日时及之后：名下财产市值合计 {money(held_value)}，账户余额合计最高 "
              f"{money(liquid)}{tail_zh}（法释〔2024〕13号第五条：部分能力亦属有能力执行；未扣除生活必需费用）",
              f"From the effective date on: assets worth {money(held_value)}, account balances up to "
              f"{money(liquid)}{tail_en} (法释〔2024〕13号 art. 5: partial ability counts; living necessities "
              "not deducted)", [*ctx.extra["accounts"], *[h["rel"] for h in ctx.extra["holdings"]
                                                          if h["schema"] != "BankAccount" and not h["lease"]]],
              amount=total,
              data={"assets_value": round(held_value, 2), "peak_liquid": liquid, "unpaid": due})
