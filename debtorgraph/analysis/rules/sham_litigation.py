"""sham_litigation: a related party sues the debtor right after the creditor did.

Pattern
    Soon after the creditor's suit (the notice to respond in the debtor's enforcement
    case), another case names the debtor as debtor and a related party as applicant or
    creditor (CourtCaseParty, Debt), often ending quickly in a mediation (调解) or a
    confession judgment. The new "creditor" then competes for, or shields, the assets.
Provisions
    Art. 4(1) of 法释〔2024〕13号 (false litigation to evade enforcement is "especially
    serious"); Civil Procedure Law arts. 115 and 116 (malicious collusion, sham
    litigation); Criminal Law art. 307-1 (false litigation).
Thresholds
    ``WINDOW_DAYS`` = 365 after the creditor's suit; ``QUICK_DAYS`` = 60 (filed soon
    after, or effective soon after filing). SPC typical cases of 2023-12-27.
    A Debt from the debtor to a related party, dated in that window and belonging to no
    case of the debtor, counts too (a sham debt, scored from 0.65).
Score
    0.35 + 0.1 x closeness; +0.15 when filed within 60 days of the creditor's suit;
    +0.10 for a mediation or confession; +0.05 when effective within 60 days of filing;
    +0.05 when it claims as much as the genuine debt or more. A sham debt with no case:
    0.35 + 0.1 x closeness + 0.10, +0.15 within 60 days. -0.40 when the lent money flowed
    from the relative to the debtor at least ``LENT_DAYS`` before the suit (half the
    claim or more). So a relative's suit after a normal trial, months after the
    creditor's, stays under the threshold (domain.md section 7).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from debtorgraph.analysis.milestones import CaseMilestones, to_when
from debtorgraph.graph.identity import normalize_case_number
from debtorgraph.analysis.rules.base import Candidate, Context
from debtorgraph.analysis.rules.fmt import money

RULE = "sham_litigation"
WINDOW_DAYS = 365
QUICK_DAYS = 60
_MEDIATION = ("调解", "mediation", "确认", "confession", "自认", "司法确认")
BASE = 0.35
LENT_DAYS = 180  # the loan must have flowed at least this long before the suit


def _start(case: CaseMilestones) -> datetime | None:
    served = case.first("lawsuit_served")
    dates = [d for d in (case.file_date, served.when if served else None) if d]
    return min(dates) if dates else case.duty_start


def _mediated(case: CaseMilestones) -> bool:
    """The case ended in a mediation or a confession (case text, its debts or its events)."""
    return any(w in case.description.lower() for w in _MEDIATION)


def _lent_before(ctx: Context, c: Candidate, lender: str, filed: datetime, amount: float) -> None:
    """The honest look-alike (domain.md section 7): the lent money flowed from the relative to
    the debtor long before the suit. Clears the suit when it covers half the claim or more."""
    lent = [p for p in ctx.payments if p.when < filed - timedelta(days=LENT_DAYS)
            and ctx.sender(p) == lender and ctx.to_subject(p)]
    total = sum(p.amount for p in lent)
    if amount > 0 and total >= 0.5 * amount:
        c.add("loan_flowed_before", -0.40, f"原告早在起诉前已向债务人转入借款 {money(total)} 元",
              f"the plaintiff paid the debtor {money(total)} yuan long before the suit: the loan is real")
        c.facts["lent"] = [p.id for p in lent]


def find(ctx: Context) -> list[Candidate]:
    """Cases against the debtor brought by related parties soon after the creditor's."""
    out = []
    for sham in ctx.others:
        sued = sham.role("debtor") | sham.role("defendant") | {x for d in sham.debts for x in d["debtor"]}
        if ctx.subject not in sued:
            continue
        claimants = sham.role("applicant") | sham.role("plaintiff") | {c for d in sham.debts for c in d["creditor"]}
        plaintiffs = [p for p in claimants if p in ctx.rel and p != ctx.subject]
        filed = _start(sham)
        if not plaintiffs or filed is None:
            continue
        genuine = [c for c in ctx.cases if c.case != sham.case and c.watch_start and c.watch_start <= filed]
        if not genuine:
            continue
        case = genuine[0]
        gap = (filed - (_start(case) or case.watch_start or filed)).days
        if gap > WINDOW_DAYS:
            continue
        for plaintiff in sorted(plaintiffs):
            link = ctx.rel.get(plaintiff)
            assert link is not None
            debts = [d for d in sham.debts if plaintiff in d["creditor"]]
            acts = [sham.case] + [d["id"] for d in debts]
            if plaintiff in sham.party_links:
                acts.append(sham.party_links[plaintiff])
            amount = sum(d["amount"] for d in debts if not d.get("balance"))
            # the finding is dated by its first act (the suit's filing or its debt), not by the
            # service of the suit, which is no act of it (docs/interchange.md, findings' date)
            dated = [x for x in [sham.file_date, *(d.get("when") for d in debts)] if x]
            c = Candidate(RULE, case, acts, [plaintiff], plaintiff, amount, min(dated) if dated else filed, BASE,
                          provisions=["I24-4-1", "CPL115", "CPL116", "CrimL307-1", "CrimL313"])
            c.add("relation", round(0.1 * link.closeness, 3), f"原告系债务人之{link.zh}",
                  f"the plaintiff is the debtor's {link.en}")
            if gap <= QUICK_DAYS:
                c.add("right_after_suit", 0.15, f"在申请人起诉后 {gap} 天内提起",
                      f"brought {gap} days after the creditor's suit")
            if _mediated(sham):
                c.add("mediation", 0.10, "以调解或自认结案", "ended in a mediation or confession")
            effective = sham.duty_start
            if effective and 0 <= (effective - filed).days <= QUICK_DAYS:
                c.add("quick_judgment", 0.05, f"立案 {(effective - filed).days} 天即生效",
                      f"effective {(effective - filed).days} days after filing")
            if case.debt_amount and amount >= case.debt_amount:
                c.add("outweighs_debt", 0.05, "所涉金额不低于申请人的债权", "claims as much as the genuine debt")
            _lent_before(ctx, c, plaintiff, filed, amount)
            c.facts.update(sham=sham.case_number or sham.case, plaintiff=plaintiff, link=link, gap=gap)
            out.append(c)
    return out + _sham_debts(ctx, {a for c in out for a in c.acts})


def _sham_debts(ctx: Context, seen: set[str]) -> list[Candidate]:
    """Debts the debtor owes a related party, dated soon after the creditor's suit, that no
    case of the debtor explains (a confession of debt or a mediation without its case)."""
    out = []
    genuine_numbers = {normalize_case_number(c.case_number) for c in ctx.cases if c.case_number}
    for a, b, key, data in ctx.g.edges(keys=True, data=True):
        if data.get("schema") != "Debt" or a != ctx.subject or key in seen or b not in ctx.rel:
            continue
        props = data.get("properties") or {}
        summary = (props.get("summary") or [""])[0]
        when = to_when((props.get("date") or [None])[0])
        if when is None or (summary and normalize_case_number(summary) in genuine_numbers):
            continue
        genuine = [c for c in ctx.cases if c.watch_start and c.watch_start <= when]
        if not genuine:
            continue
        case = genuine[0]
        gap = (when - (_start(case) or when)).days
        if gap > WINDOW_DAYS:
            continue
        link = ctx.rel.get(b)
        assert link is not None
        amount = float(str((props.get("amount") or ["0"])[0]).replace(",", "") or 0)
        c = Candidate(RULE, case, [key], [b], b, amount, when, BASE,
                      provisions=["I24-4-1", "CPL115", "CPL116", "CrimL307-1", "CrimL313"])
        c.add("relation", round(0.1 * link.closeness, 3), f"债权人系债务人之{link.zh}",
              f"the creditor is the debtor's {link.en}")
        c.add("no_case", 0.10, "该债务不属于债务人的任何案件（调解或自认而无案件）",
              "the debt belongs to no case of the debtor (a mediation or confession without its case)")
        if gap <= QUICK_DAYS:
            c.add("right_after_suit", 0.15, f"在申请人起诉后 {gap} 天内确认",
                  f"established {gap} days after the creditor's suit")
        _lent_before(ctx, c, b, when, amount)
        c.facts.update(sham=summary or key, plaintiff=b, link=link, gap=gap)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    debtor, plaintiff = ctx.caption(ctx.subject), ctx.caption(f["plaintiff"])
    number = f["sham"]
    zh = (f"申请人起诉后 {f['gap']} 天，被执行人{debtor}之{f['link'].zh}{plaintiff}即对其提起诉讼"
          f"（{number}），确认债权 {money(c.amount)} 元，涉嫌虚假诉讼。")
    en = (f"{f['gap']} days after the creditor's suit, {plaintiff}, the debtor {debtor}'s {f['link'].en}, "
          f"sued the debtor ({number}) for {money(c.amount)} yuan: a suspected sham suit.")
    return zh, en
