"""assisting_unit_payment: a unit served an assistance notice keeps paying the debtor.

Pattern
    An ``assistance_notice`` Event (协助执行通知书) names a unit (``involved``; the unit is
    also a CourtCaseParty ``assisting_unit``), typically the debtor's employer or a
    customer told to withhold what it owes the debtor. Afterwards the unit still pays the
    debtor, the debtor's accounts or a related party instead of the court.
Provisions
    Civil Procedure Law arts. 117 and 118 (units that refuse to assist: fines of RMB
    50,000 to 1,000,000 and detention of those responsible); NPCSC Interpretation (2002)
    item (3) with Criminal Law art. 313; Execution Provisions (trial) para. 26 (a payer
    who pays after the notice is liable up to the amount).
Thresholds
    Payments on the notice day itself are ambiguous (the notice may have arrived after
    the transfer; docs/interchange.md) and are listed separately at a low score; payments on
    a later day defy the notice.
Score
    After the notice day: 0.85, +0.05 from three payments up. On the notice day: 0.40.
"""
from __future__ import annotations

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.fmt import money, plural

RULE = "assisting_unit_payment"
SAME_DAY_SCORE = 0.40
AFTER_SCORE = 0.85


def find(ctx: Context) -> list[Candidate]:
    """Payments by notified units to the debtor's side on or after the notice day."""
    out = []
    for case in ctx.cases:
        listed = case.role("assisting_unit")
        for notice in case.all("assistance_notice"):
            units = [u for u in notice.involved
                     if u != ctx.subject and u not in case.role("applicant") and u not in ctx.courts]
            units = units or sorted(listed)
            for unit in units:
                same: list[Pay] = []
                after: list[Pay] = []
                for p in ctx.payments:
                    if p.day < notice.when.date() or p.id in ctx.claimed:
                        continue
                    if p.payer != unit and ctx.sender(p) != unit:
                        continue
                    got = ctx.receiver(p)
                    if ctx.to_creditor_side(p) or not (ctx.to_subject(p) or got in ctx.rel):
                        continue
                    (same if p.day == notice.when.date() else after).append(p)
                for group, base in ((after, AFTER_SCORE), (same, SAME_DAY_SCORE)):
                    if not group:
                        continue
                    receivers = list(dict.fromkeys(ctx.receiver(p) for p in group))
                    c = Candidate(RULE, case, [notice.entity] + [p.id for p in group], receivers, unit,
                                  sum(p.amount for p in group), group[0].when, base,
                                  provisions=["CPL117", "CPL118", "NPC3", "CrimL313", "EP26"])
                    if base == SAME_DAY_SCORE:
                        c.add("notice_day", 0.0, "付款与通知送达同日，先后难以确定",
                              "paid on the notice day itself: which came first is unclear")
                    elif len(group) >= 3:
                        c.add("repeated", 0.05, f"通知后仍付款 {len(group)} 笔",
                              f"{len(group)} payments after the notice")
                    c.facts.update(unit=unit, count=len(group), notice=notice.when, same_day=base == SAME_DAY_SCORE,
                                   receivers=receivers)
                    out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    unit = ctx.caption(f["unit"])
    day = f["notice"].date().isoformat()
    debtor = ctx.caption(ctx.subject)
    if f["same_day"]:
        zh = (f"协助执行人{unit}于 {day} 收到协助执行通知书，同日仍向被执行人{debtor}一方支付"
              f" {money(c.amount)} 元，先后顺序待核实。")
        en = (f"The assisting unit {unit} was served the assistance notice on {day} and paid "
              f"{money(c.amount)} yuan to the debtor {debtor}'s side the same day; which came first needs checking.")
    else:
        zh = (f"协助执行人{unit}于 {day} 收到协助执行通知书后，仍于{when_zh}起向被执行人{debtor}一方支付"
              f" {f['count']} 笔共 {money(c.amount)} 元，未按通知扣留或划至法院。")
        en = (f"After being served the assistance notice on {day}, the assisting unit {unit} still paid "
              f"{plural(f['count'], 'payment')} totalling {money(c.amount)} yuan to the debtor {debtor}'s side from "
              f"{when_en} on, instead of withholding them for the court.")
    return zh, en
