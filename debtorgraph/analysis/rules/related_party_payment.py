"""related_party_payment: money paid straight from the debtor to a related party.

Pattern
    Inside the watch window the debtor pays a relative, in-law, former spouse, associate,
    controlled company or (for a company debtor) its controller or the controller's family
    (:mod:`~debtorgraph.analysis.rules.parties`). Payments of at least ``MIN_EACH`` to one
    party are grouped; the group counts from ``MIN_TOTAL``. Household support (生活费,
    学费, 医药费...) under ``MIN_EACH``, salary to a relative the debtor employs, and
    payments to the applicant or the court are the honest look-alikes, as is pay that goes
    on as before: a salary (工资) to a party the debtor paid a salary in ``PAY_MONTHS``
    months before the watch window, at no more than the usual pay (``PAY_RISE`` times the
    median, or ``PAY_MARGIN`` times the most paid before, whichever is higher)
    (domain.md section 7, payroll: "regular, to employees, every month"; a company's pay
    to its legal representative); so is money that
    came back within days or had come from the relative days before (each such payment
    is netted against its other leg and left out; a group that still comes back as a
    whole nets out) or that the relative paid on to the court or the applicant (:mod:`~debtorgraph.analysis.rules.consideration`, -0.6).
Provisions
    NPCSC Interpretation (2002) item (1) with Criminal Law art. 313; Civil Code art. 538
    (a payment without consideration is a gift); art. 8 of 法释〔2024〕13号.
Thresholds
    ``MIN_EACH`` = 5,000; ``MIN_TOTAL`` = 10,000 (this product's choices: background
    transfers among family are mostly under 3,000; art. 5 of 法释〔2024〕13号 leaves the
    debtor's living necessities aside).
Score
    0.60 + 0.2 x closeness; +0.05 from 100,000; +0.05 when the total is half the debt or more.
"""
from __future__ import annotations

import statistics
from datetime import datetime

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.consideration import apply, follow_payment, round_trips
from debtorgraph.analysis.rules.fmt import money, plural
from debtorgraph.analysis.rules.text import is_household, is_salary

RULE = "related_party_payment"
MIN_EACH = 5_000.0
MIN_TOTAL = 10_000.0
#: Months of salary before the watch window that make a pay stream regular, and how far a
#: later payment may exceed the median pay before and still be the same pay.
PAY_MONTHS = 3
PAY_RISE = 1.5
PAY_MARGIN = 1.1


def usual_pay(ctx: Context, got: str, before: datetime | None) -> float | None:
    """The most the same pay comes to, judged on the salary the debtor paid ``got`` before
    ``before``: ``PAY_RISE`` times its median, or ``PAY_MARGIN`` times its largest payment
    (a pay that varies from month to month), when paid in at least :data:`PAY_MONTHS`
    different months; else None."""
    if before is None:
        return None
    pays = [p for p in ctx.payments if p.when < before and is_salary(p.purpose) and ctx.from_subject(p)
            and ctx.receiver(p) == got]
    if len({(p.when.year, p.when.month) for p in pays}) < PAY_MONTHS:
        return None
    amounts = [p.amount for p in pays]
    return max(PAY_RISE * statistics.median(amounts), PAY_MARGIN * max(amounts))


def find(ctx: Context) -> list[Candidate]:
    """Payments from the debtor to each related party, grouped per party and case."""
    groups: dict[tuple[str, str], list[Pay]] = {}
    usual: dict[tuple[str, datetime | None], float | None] = {}
    for p in ctx.payments:
        if p.amount < MIN_EACH or not ctx.from_subject(p) or p.id in ctx.claimed or p.withdrawal:
            continue
        got = ctx.receiver(p)
        if got == ctx.subject or got not in ctx.rel or ctx.to_creditor_side(p):
            continue
        if is_salary(p.purpose) and ctx.rel.employment.get(got) == "employee":
            continue
        case = ctx.case_at(p.when)
        if case is None:
            continue
        if is_salary(p.purpose):  # the same pay as before the case is no transfer
            key = (got, case.watch_start)
            if key not in usual:
                usual[key] = usual_pay(ctx, *key)
            most = usual[key]
            if most is not None and p.amount <= most:
                continue
        groups.setdefault((case.case, got), []).append(p)
    out = []
    for (case_id, got), pays in groups.items():
        legs = round_trips(ctx, pays, got)  # each leg of a round trip nets out on its own
        pays = [p for p in pays if p.id not in legs]
        total = sum(p.amount for p in pays)
        if total < MIN_TOTAL:
            continue
        case = next(c for c in ctx.cases if c.case == case_id)
        link = ctx.rel.get(got)
        assert link is not None
        c = Candidate(RULE, case, [p.id for p in pays], [got], ctx.subject, total, pays[0].when,
                      0.60, revocable=True, provisions=["NPC1", "CrimL313", "CC538", "I24-8"])
        c.add("relation", round(0.2 * link.closeness, 3), f"收款人系债务人之{link.zh}",
              f"receiver is the debtor's {link.en}")
        if total >= 100_000:
            c.add("large", 0.05, f"合计 {money(total)} 元", f"{money(total)} yuan in all")
        if case.debt_amount and total >= 0.5 * case.debt_amount:
            c.add("half_the_debt", 0.05, "金额达债务的一半以上", "half the debt or more")
        if all(is_household(p.purpose) for p in pays):
            c.add("household_words", -0.10, "摘要为生活费等家庭开支", "purposes name household costs")
        apply(c, follow_payment(ctx, pays, got, set(legs.values())), "转出款项", "the money")
        c.facts.update(receiver=got, link=link, count=len(pays))
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    debtor, got = ctx.caption(ctx.subject), ctx.caption(f["receiver"])
    zh = (f"被执行人{debtor}于{when_zh}起向其{f['link'].zh}{got}转账 {f['count']} 笔，"
          f"共 {money(c.amount)} 元。")
    en = (f"From {when_en} on, the debtor {debtor} paid {got}, the debtor's {f['link'].en}, "
          f"{money(c.amount)} yuan in {plural(f['count'], 'payment')}.")
    return zh, en
