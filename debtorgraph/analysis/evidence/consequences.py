"""Circumstances and consequences (情节与后果), revocation deadlines and the property clue list.

- the amount concealed against the debt (each act counted once), the time outstanding up
  to the latest date in the data (no wall-clock dates: same inputs, same chain), what the
  applicant has not received, conduct after the dishonest listing or consumption order,
  and the circumstances of 法释〔2024〕13号 (arts. 3, 4, 6, 7, 8, 10) that the facts meet;
- for each revocable act (Civil Code arts. 538/539) the art. 541 deadlines;
- 财产线索: what the applicant can ask the court to reach.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from .case import Context
from .conduct import rule_name
from .facts import PROGRAMS, add_years, day, days_between, money
from .law import PROVISIONS, REVOCABLE

log = logging.getLogger(__name__)

_MAINTENANCE = re.compile(r"赡养|扶养|抚养|抚恤|医疗费|劳动报酬|工资|maintenance|alimony|wage", re.I)
#: Rules whose amount is not property moved away (a breach, a report, a sham claim).
_NOT_MOVED = {"consumption_breach", "unreported_property", "sham_litigation"}
_ASSET_RULES = {"undervalue_sale", "gratuitous_transfer", "nominal_equity_transfer", "sham_divorce", "cheap_lease",
                "frozen_asset_disposal"}


def compute_unpaid(ctx: Context) -> None:
    """Unpaid amount: latest balance Debt per case, else the debt less payments to applicant or court."""
    g = ctx.graph
    total, paid_total, basis = 0.0, 0.0, []
    payees = {a["id"] for c in ctx.cases for a in c["applicants"]}
    courts = {c["court"] for c in ctx.cases if c["court"]}
    for c in ctx.cases:
        if c["balances"]:
            total += c["balances"][-1]["amount"] or 0.0
            basis.append(c["balances"][-1]["id"])
        elif c["debts"]:
            total += sum(d["amount"] or 0.0 for d in c["debts"])
            basis.extend(d["id"] for d in c["debts"])
    paid = []
    for r in ctx.extra.get("payments", []):
        if r["payer"] != ctx.canonical or r["beneficiary"] == ctx.canonical:
            continue
        if ctx.effective_date and (r["date"] or "")[:10] < ctx.effective_date:
            continue
        if r["beneficiary"] in payees or g.caption(r["beneficiary"]) in courts:
            paid.append(r)
            paid_total += r["amount"] or 0.0
    if not any(c["balances"] for c in ctx.cases):
        total = max(0.0, total - paid_total)
    ctx.extra.update(unpaid=round(total, 2) if basis else None, unpaid_basis=basis, paid=paid,
                     paid_total=round(paid_total, 2))


def circumstances_facts(ctx: Context) -> dict[str, list[str]]:
    """情节与后果 facts; return the provisions they cite (key -> fact ids)."""
    facts = ctx.facts
    cites: dict[str, list[str]] = {}
    unpaid = ctx.extra.get("unpaid")
    as_of = ctx.extra["as_of"]
    counted: set[str] = set()
    concealed, used = 0.0, []
    for fact in facts.facts["conduct"]:
        d = fact["data"]
        if fact["kind"] != "act" or fact["amount"] is None or d.get("rule") in _NOT_MOVED:
            continue
        moved = {a["id"] for a in d["acts"] if a.get("schema") in ("Payment", "Ownership")}
        if moved & counted:  # the same money or asset under two rules: count it once
            continue
        counted |= moved
        concealed += fact["amount"]
        used.append(fact)
    if used:
        share = f"，为未履行金额 {money(unpaid)} 的 {concealed / unpaid:.0%}" if unpaid else ""
        share_en = f", {concealed / unpaid:.0%} of the unpaid {money(unpaid)}" if unpaid else ""
        facts.add("circumstances", "concealed", f"转移、隐匿财产合计 {money(concealed)}（{len(used)} 项行为，重叠的行为只计一次）"
                  f"{share}", f"Property moved or hidden: {money(concealed)} in {len(used)} acts (overlaps counted once)"
                  f"{share_en}", [a["id"] for f in used for a in f["data"]["acts"]], amount=concealed,
                  data={"concealed": round(concealed, 2), "unpaid": unpaid,
                        "findings": [f["data"]["finding"] for f in used], "facts": [f["id"] for f in used]})
    eff = ctx.effective_date
    if eff and as_of:
        days = days_between(eff, as_of) or 0
        facts.add("circumstances", "outstanding", f"自判决生效（{eff}）至数据截止日（{as_of}）已 {days} 日（约 {days / 365:.1f} 年）"
                  "未履行完毕", f"{days} days ({days / 365:.1f} years) from the effective date {eff} to the latest date "
                  f"in the data ({as_of}) without full payment", [c["effective_source"] for c in ctx.cases],
                  date=as_of, data={"effective_date": eff, "as_of": as_of, "days": days})
    if unpaid is not None:
        apps = "、".join(a["name"] for c in ctx.cases for a in c["applicants"]) or "申请执行人"
        fid = facts.add("circumstances", "loss", f"申请执行人 {apps} 尚未受偿 {money(unpaid)}；生效后被执行人向申请执行人或法院"
                        f"支付 {money(ctx.extra['paid_total'])}（{len(ctx.extra['paid'])} 笔）",
                        f"The applicant has not received {money(unpaid)}; the debtor paid {money(ctx.extra['paid_total'])} "
                        f"to the applicant or the court after the effective date", [*ctx.extra["unpaid_basis"],
                                                                                   *[r["id"] for r in ctx.extra["paid"]]],
                        amount=unpaid, data={"unpaid": unpaid, "paid": ctx.extra["paid_total"]})["id"]
        if unpaid > 0:
            cites.setdefault("I24-7", []).append(fid)
    for s in ctx.sanctions:
        if s["program"] not in ("dishonest_listing", "consumption_restriction") or not s["start"]:
            continue
        after = [f for f in ctx.findings if f.get("date") and day(f["date"]) >= s["start"]]
        zh, en = PROGRAMS[s["program"]]
        acts_zh = "、".join(rule_name(f.get("rule", ""))[0] for f in after) or "无"
        facts.add("circumstances", "breach" if after else "listing",
                  f"{s['start']} {zh}；其后仍实施 {len(after)} 项行为（{acts_zh}）",
                  f"{en} from {s['start']}; {len(after)} acts after it", [s["id"], *[a for f in after for a in f["acts"]]],
                  date=s["start"], data={"sanction": s["id"], "program": s["program"],
                                         "findings_after": [f.get("id") for f in after]})
    when = ctx.milestone("termination")
    if when:
        fid = facts.add("circumstances", "termination", f"{when[0]} 终结本次执行程序：经执行措施后仍无法执行",
                        f"{when[0]}: enforcement ended without full payment after enforcement measures",
                        [when[1]], date=when[0])["id"]
        cites.setdefault("I24-7", []).append(fid)
    _aggravating(ctx, cites)
    return cites


def _aggravating(ctx: Context, cites: dict[str, list[str]]) -> None:
    facts = ctx.facts
    conduct = ctx.facts.facts["conduct"]
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for fact in conduct:
        if fact["kind"] == "act":
            by_rule.setdefault(fact["data"]["rule"] or "", []).append(fact)

    def add(key: str, zh: str, en: str, facts_used: list[dict[str, Any]], met: bool = True) -> None:
        cz, ce, _, _ = PROVISIONS[key]
        acts = [a["id"] for x in facts_used for a in x["data"].get("acts", [])]
        f = facts.add("circumstances", "circumstance", f"{cz}：{zh}", f"{ce}: {en}",
                      acts or [e for x in facts_used for e in x["entities"][:50]],
                      data={"provision": key, "condition_met": met, "facts": [x["id"] for x in facts_used]})
        cites.setdefault(key, []).append(f["id"])

    transfers = [f for r, fs in by_rule.items() if r not in ("consumption_breach", "unreported_property",
                                                             "sham_litigation", "assisting_unit_payment") for f in fs]
    unexecuted = (ctx.extra.get("unpaid") or 0) > 0
    if transfers:
        add("NPC-1", "隐藏、转移财产或无偿、低价转让财产" + ("，案件至今未执行完毕" if unexecuted else "（须致使判决无法执行）"),
            "property hidden, moved or given away" + ("; the judgment is still unexecuted" if unexecuted else ""),
            transfers, unexecuted)
    gratuitous = [f for r in ("gratuitous_transfer", "nominal_equity_transfer", "sham_divorce", "cheap_lease")
                  for f in by_rule.get(r, [])]
    if gratuitous:
        add("I24-3-1", "恶意无偿处分财产权益或虚假转让", "malicious gratuitous disposal or sham transfer", gratuitous,
            unexecuted)
    if by_rule.get("sham_litigation"):
        add("I24-4-1", "通过虚假诉讼妨害执行：情节特别严重", "false litigation: especially serious",
            by_rule["sham_litigation"])
    soft = by_rule.get("consumption_breach", []) + by_rule.get("unreported_property", [])
    if soft:
        add("I24-3-4", "违反限制消费令或拒不报告财产；须经罚款、拘留后仍拒不执行（数据中未见罚款、拘留记录，请核实）",
            "breach of the consumption order or no report; needs a prior fine or detention (none in the data)",
            soft, False)
    if by_rule.get("assisting_unit_payment"):
        add("NPC-3", "协助执行义务人接到协助执行通知后仍向被执行人付款", "assisting unit paid after the notice",
            by_rule["assisting_unit_payment"])
    if by_rule.get("frozen_asset_disposal"):
        add("I24-9", "处分已冻结/查封的财产，同时涉嫌非法处置查封、扣押、冻结的财产罪，依处罚较重的规定",
            "disposal of frozen property may also be the art. 314 offence: the heavier applies", by_rule["frozen_asset_disposal"])
    early = [f for f in conduct if f["kind"] == "act" and f["data"].get("phase") == "before_effective"]
    if early:
        add("I24-6", "诉讼开始后、判决生效前转移财产，生效后仍拒不执行", "assets moved after the lawsuit began and "
            "before the judgment became effective", early)
    kin = [f for f in conduct if f["kind"] == "act" and any(c["kind"] not in (None, "self", "account")
                                                                  for c in f["data"]["counterparties"])]
    if kin:
        add("I24-8", "相对方与被执行人存在亲属或关联关系；明知并协助的，以共犯论处（须查明其明知）",
            "counterparties are kin or associates; if they knew and helped they are accomplices", kin, False)
    text = " ".join(str(x) for c in ctx.cases for x in ctx.graph.props(c["id"]).get("description", []))
    text += " ".join(str(x) for c in ctx.cases for d in c["debts"] for x in ctx.graph.props(d["id"]).get("description", []))
    if _MAINTENANCE.search(text):
        add("I24-10", "执行内容为赡养费、抚养费、医疗费或劳动报酬等：应当从重处罚",
            "the debt is maintenance, medical costs or wages: heavier punishment",
            [f for f in ctx.facts.facts["duty"] if f["kind"] == "case"])


def revocation_deadlines(ctx: Context) -> list[dict[str, Any]]:
    """Art. 541 deadlines of each revocable act (gratuitous: art. 538; low price: art. 539)."""
    out = []
    as_of = ctx.extra["as_of"]
    for fact in ctx.facts.facts["conduct"]:
        if fact["kind"] != "act":
            continue
        d = fact["data"]
        article = REVOCABLE.get(d["rule"] or "")
        for basis in d.get("legal_basis", []):
            if re.search(r"civil code art\.?\s*53[89]", basis, re.I):
                article = "CC-" + re.search(r"53[89]", basis).group(0)  # type: ignore[union-attr]
        if not article or not fact["date"]:
            continue
        five = add_years(fact["date"], 5)
        out.append({"fact": fact["id"], "finding": d["finding"], "rule": d["rule"], "acts": [a["id"] for a in d["acts"]],
                    "act_date": fact["date"], "article": article,
                    "counterparties": [c["id"] for c in d["counterparties"]],
                    "one_year_zh": "自申请执行人知道或者应当知道撤销事由之日起一年内（知道之日不在数据中；最迟不晚于下列五年期限）",
                    "one_year_en": "within one year of the day the creditor knew or should have known (not in the data; "
                                   "never later than the five-year limit)",
                    "five_year_deadline": five, "expired": bool(as_of and as_of > five),
                    "counterparty_knowledge_needed": article == "CC-539"})
    return out


def property_clues(ctx: Context, flows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """财产线索: accounts, assets held, assets moved to others, where traced money rests, income."""
    g = ctx.graph
    clues: list[dict[str, Any]] = []
    frozen = {e for s in ctx.sanctions if s["program"] in ("freeze", "seizure") and not s["end"] for e in s["entities"]}
    for acct in ctx.extra.get("accounts", []):
        p = g.props(acct)
        state = ctx.extra.get("account_state", {}).get(acct, {})
        clues.append({"kind": "account", "entity": acct, "holder": ctx.canonical,
                      "zh": f"{(p.get('bankName') or [''])[0]} 账户 {(p.get('accountNumber') or [acct])[0]}，最后余额 "
                            f"{money(state.get('last_balance'))}（{state.get('last_date') or '—'}）"
                            + ("，已冻结" if acct in frozen else "，可申请冻结、扣划"),
                      "en": f"account {(p.get('accountNumber') or [acct])[0]}, last balance {money(state.get('last_balance'))}"
                            + (" (frozen)" if acct in frozen else ": freeze and transfer"),
                      "value": state.get("last_balance"), "entities": [acct]})
    for h in ctx.extra.get("holdings", []):
        if h["schema"] == "BankAccount" or h["lease"] or h["end"]:
            continue
        clues.append({"kind": "asset", "entity": h["asset"], "holder": ctx.canonical,
                      "zh": f"{g.caption(h['asset'])}（{h['schema']}），市值 {money(h['value'])}，仍登记在被执行人名下"
                            + ("，已查封" if h["asset"] in frozen else "，可申请查封、拍卖"),
                      "en": f"{g.caption(h['asset'])} ({h['schema']}), value {money(h['value'])}, still registered to the debtor",
                      "value": h["value"], "entities": [h["asset"], h["rel"]]})
    for fact in ctx.facts.facts["conduct"]:
        d = fact["data"]
        if fact["kind"] != "act" or d.get("rule") not in _ASSET_RULES:
            continue
        for a in d["acts"]:
            if a.get("schema") == "Ownership" and a.get("owner") not in ctx.ids and a.get("asset"):
                clues.append({"kind": "transferred_asset", "entity": a["asset"], "holder": a["owner"],
                              "zh": f"{g.caption(a['asset'])} 已于 {day(a.get('start')) or '—'} 转至 {g.caption(a['owner'])}："
                                    "可请求撤销（民法典第五百三十八、五百三十九条）后执行，或在刑事追诉中追缴（法释〔2024〕13号第十二条）",
                              "en": f"{g.caption(a['asset'])} moved to {g.caption(a['owner'])}: revoke (CC 538/539) then "
                                    "enforce, or recover in the prosecution (art. 12)",
                              "value": d["price"]["market_value"] if d.get("price") else None,
                              "entities": [a["asset"], a["id"]]})
    for flow in flows:
        for end in flow.get("endpoints", []):
            if end["holder"] in ctx.ids or end["amount"] <= 0:
                continue
            clues.append({"kind": "traced_funds", "entity": end["id"], "holder": end["holder"],
                          "zh": f"追踪资金 {money(end['amount'])} 停留于 {g.caption(end['holder'])} 的账户 "
                                f"{g.caption(end['id'])}（{flow['rule']}，自 {flow['finding']}）",
                          "en": f"{money(end['amount'])} traced to {g.caption(end['id'])} held by {g.caption(end['holder'])}",
                          "value": end["amount"], "entities": [end["id"], *end.get("payments", [])]})
    for emp, rel in sorted(ctx.extra.get("employers", {}).items()):
        clues.append({"kind": "income", "entity": emp, "holder": emp,
                      "zh": f"工作单位 {g.caption(emp)}：可发出协助执行通知，扣留、提取被执行人收入",
                      "en": f"employer {g.caption(emp)}: an assistance notice can withhold the debtor's income",
                      "value": None, "entities": [emp, rel]})
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for c in clues:
        key = (c["kind"], c["entity"])
        if key in merged and c["value"] is not None:
            merged[key]["value"] = (merged[key]["value"] or 0) + c["value"]
        merged.setdefault(key, c)
    out = list(merged.values())
    for i, c in enumerate(out, 1):
        c["id"] = f"clue.{i}"
    return out
