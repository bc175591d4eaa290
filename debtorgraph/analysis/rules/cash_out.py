"""cash_out: a large sum comes into the debtor's account and is taken out in cash.

Pattern
    Inside the watch window a payment of at least ``MIN_INFLOW`` reaches an account of the
    debtor and, within ``WINDOW_DAYS``, cash withdrawals from that account (docs/interchange.md:
    ``beneficiary`` = payer, no ``beneficiaryAccount``, ``purpose`` with 取现, 取款, 支取,
    现金 or cash) take out at least ``MIN_SHARE`` of it, or at least ``MIN_CASH`` whatever
    its share (a large inflow drawn down in cash over days). Cash leaves no trail for the court.
    Cash drawn after the next large inflow into the same account is that inflow's, not an
    older one's. An inflow the debtor paid back to its sender within days (a loan repaid,
    :func:`~debtorgraph.analysis.rules.consideration.follow_inflow`) is a pass-through:
    the cash did not come from it.
Provisions
    NPCSC Interpretation (2002) item (1) with Criminal Law art. 313 (hiding property);
    Civil Procedure Law art. 114(6).
Thresholds
    ``MIN_INFLOW`` = 20,000 yuan, ``WINDOW_DAYS`` = 30, ``MIN_SHARE`` = 0.5 (this
    product's choices; below 20,000 a withdrawal after a salary is ordinary life);
    ``LARGE`` = 50,000 (the cash large-value reporting line, PBOC Order 2016 No. 3);
    ``MIN_CASH`` = 100,000, twice that line.
Score
    0.75; +0.10 when 80% or more went out in cash; +0.05 when it all went within 7 days;
    +0.05 for an inflow of 50,000 or more.
"""
from __future__ import annotations

from datetime import timedelta

from debtorgraph.analysis.rules.base import Candidate, Context
from debtorgraph.analysis.rules.consideration import follow_inflow
from debtorgraph.analysis.rules.fmt import money, pct, plural

RULE = "cash_out"
MIN_INFLOW = 20_000.0
LARGE = 50_000.0
WINDOW_DAYS = 30
MIN_SHARE = 0.5
MIN_CASH = 2 * LARGE


def find(ctx: Context) -> list[Candidate]:
    """Large inflows followed by cash withdrawals of most of them."""
    out = []
    used: set[str] = set()
    inflows = [(q, case) for q in ctx.payments
               if q.amount >= MIN_INFLOW and ctx.to_subject(q) and not q.deposit and q.payer != ctx.subject
               and q.id not in ctx.claimed and (case := ctx.case_at(q.when)) is not None
               and not follow_inflow(ctx, q).netted]  # a loan repaid within days explains no cash
    for inflow, case in inflows:
        end = inflow.when + timedelta(days=WINDOW_DAYS)
        later = [q.when for q, _ in inflows if q.when > inflow.when and q.dst == inflow.dst]
        if later:  # cash drawn after the next large inflow is that one's
            end = min(end, min(later) - timedelta(microseconds=1))
        outs = [p for p in ctx.payments
                if inflow.when <= p.when <= end and p.withdrawal and p.id not in used
                and p.id not in ctx.claimed and (p.src == inflow.dst if inflow.dst else ctx.from_subject(p))]
        taken = sum(p.amount for p in outs)
        if taken < MIN_SHARE * inflow.amount and taken < MIN_CASH:
            continue
        keep, total = [], 0.0
        for p in outs:  # only as much cash as the inflow explains
            if total >= inflow.amount * 1.05:
                break
            keep.append(p)
            total += p.amount
        used.update(p.id for p in keep)
        share = min(1.0, total / inflow.amount)
        c = Candidate(RULE, case, [inflow.id] + [p.id for p in keep], [ctx.subject], ctx.subject,
                      round(min(total, inflow.amount), 2), inflow.when, 0.75,
                      provisions=["NPC1", "CrimL313", "CPL114-6"])
        if share >= 0.8:
            c.add("most_in_cash", 0.10, f"{pct(share)} 的入账被取现", f"{pct(share)} of the inflow taken in cash")
        if inflow.amount >= LARGE:
            c.add("large_inflow", 0.05, f"入账金额 {money(inflow.amount)} 元", f"an inflow of {money(inflow.amount)} yuan")
        span = (keep[-1].when - inflow.when).days
        if span <= 7:
            c.add("quickly", 0.05, f"{span} 天内取完", f"taken within {span} days")
        c.facts.update(inflow=inflow.amount, cash=total, count=len(keep), share=share, span=span,
                       payer=inflow.payer)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    debtor = ctx.caption(ctx.subject)
    zh = (f"被执行人{debtor}的账户于{when_zh}收到{ctx.caption(f['payer'])}转入的 {money(f['inflow'])} 元后，"
          f"{f['span']} 天内分 {f['count']} 次取现 {money(f['cash'])} 元（{pct(f['share'])}）。")
    en = (f"{when_en.capitalize()}, the debtor {debtor}'s account received {money(f['inflow'])} yuan from "
          f"{ctx.caption(f['payer'])}; within {f['span']} days {money(f['cash'])} yuan ({pct(f['share'])}) "
          f"was withdrawn in cash in {plural(f['count'], 'withdrawal')}.")
    return zh, en
