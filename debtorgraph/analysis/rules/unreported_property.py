"""unreported_property: an order to report property was served while the debtor held assets.

Pattern
    A ``property_report_order`` Event was served in the case, and the debtor held a flat,
    vehicle, stake or other titled asset (not an account, not as a lessee) at some time in
    the look-back year: the year before the execution notice up to the order
    (:attr:`~debtorgraph.analysis.milestones.CaseMilestones.lookback`). An asset the court
    had already sealed or frozen before the order is left out (the court knew of it).
    Each one is a **lead**, not a finding (domain.md section 7): whether the asset was
    reported can only be judged against the debtor's property report, which the data
    does not hold, so it scores under the threshold (``detect --leads``) and says what
    would confirm it. A disposal by the court (auction, sale with the price paid to the
    court) or at market value to a stranger is not hiding and is not listed at all.
Provisions
    Civil Procedure Law art. 252 (the report covers current property and property held in
    the year before the execution notice); Property Investigation Provisions arts. 5 and 6
    (assets in others' names; transfers, leases and encumbrances in that year);
    art. 3(4) of 法释〔2024〕13号; Dishonest List Provisions art. 1(4).
Thresholds
    ``LOOK_BACK_DAYS`` = 365 (CPL art. 252); ``MARKET_RATIO`` = 0.9 of the reference
    value is a sale at market value (this product's choice).
Date
    The finding's ``date`` is the day the order was served: the duty to report begins
    then (the Ownership itself may be years older).
Score
    0.35 for an asset still held at the order; 0.45 for one given up during the
    look-back year (a transfer that must be reported, art. 6); -0.10 when it was sealed
    after the order. Capped at ``LEAD_CAP`` (0.45) as every lead is.
"""
from __future__ import annotations

from debtorgraph.analysis.milestones import LOOK_BACK_DAYS
from debtorgraph.analysis.milestones import CaseMilestones
from debtorgraph.analysis.rules.base import Candidate, Context, Own
from debtorgraph.analysis.rules.consideration import follow_price
from debtorgraph.analysis.rules.conveyance import deal_of
from debtorgraph.analysis.rules.fmt import kind_of, money

RULE = "unreported_property"
__all__ = ["RULE", "LOOK_BACK_DAYS", "find", "explain"]
#: a sale to a stranger at this share of the reference value or more is at market value
MARKET_RATIO = 0.9
_TITLED = ("RealEstate", "Vehicle", "Company", "Organization", "LegalEntity", "Security", "Asset")


def find(ctx: Context) -> list[Candidate]:
    """Assets held in the look-back year of a property report order."""
    out = []
    for case in ctx.cases:
        window = case.lookback
        order = case.first("property_report_order")
        if window is None or order is None:
            continue
        lo, hi = window
        for own in ctx.owns:
            if own.owner != ctx.subject or own.lease or ctx.schema(own.asset) not in _TITLED:
                continue
            if own.id in ctx.claimed or (own.start and own.start > hi) or (own.end and own.end < lo):
                continue
            sealed = [s for s, _ in ctx.sanctions
                      if s.name in ("seizure", "freeze") and own.asset in s.involved]
            if any(s.when <= order.when for s in sealed):
                continue
            disposed = own.end is not None and own.end <= hi
            bought = [o for o in ctx.owns_of(own.asset)
                      if disposed and o.owner != ctx.subject and o.start and own.end
                      and abs((o.start - own.end).days) <= 3 and not o.lease]
            if bought and all(_honest(ctx, own, b, case) for b in bought):
                continue
            buyers = [o.owner for o in bought]
            c = Candidate(RULE, case, [order.entity, own.id], buyers, ctx.subject,
                          ctx.value(own.asset, own.pct) or 0.0, order.when, 0.45 if disposed else 0.35,
                          provisions=["CPL252", "PIP5", "PIP6", "I24-3-4", "DL1-4"],
                          lead=(("核对被执行人的财产报告是否申报了该项转让及其价款去向" if disposed
                                 else "核对被执行人的财产报告是否申报了该项财产"),
                                ("check the debtor's property report for this transfer and where the price went"
                                 if disposed else "check the debtor's property report for this asset")))
            if disposed:
                c.add("disposed_in_look_back", 0.0, "该财产于报告期内转出，依法应当报告",
                      "given up within the look-back year, which must be reported")
            if sealed:
                c.add("sealed_later", -0.10, "报告令后法院已查封该财产", "the court sealed it after the order")
            c.facts.update(asset=own.asset, disposed=disposed, lo=lo, hi=hi)
            out.append(c)
    return out


def _honest(ctx: Context, sold: Own, bought: Own, case: CaseMilestones) -> bool:
    """A disposal that is not hiding: by the court, or at market value to a stranger."""
    deal = deal_of(ctx, sold, bought, case)
    if deal.kind == "court" or follow_price(ctx, deal).settled:
        return True
    return (deal.kind == "sale" and deal.link is None and deal.ratio is not None
            and deal.ratio >= MARKET_RATIO)


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    zh_kind, en_kind = kind_of(ctx, f["asset"])
    debtor = ctx.caption(ctx.subject)
    lo, hi = f["lo"].date().isoformat(), f["hi"].date().isoformat()
    value_zh = f"（参考价值 {money(c.amount)} 元）" if c.amount else ""
    value_en = f" (reference value {money(c.amount)} yuan)" if c.amount else ""
    held_zh = "曾持有并于期间内转出" if f["disposed"] else "持有"
    held_en = "held and gave up" if f["disposed"] else "held"
    served = c.when.date().isoformat()
    zh = (f"法院于 {served} 向被执行人{debtor}送达报告财产令；其在 {lo} 至 {hi} 的报告期内{held_zh}"
          f"{zh_kind}「{ctx.caption(f['asset'])}」{value_zh}，应核对是否如实申报。")
    en = (f"The order to report property was served on the debtor {debtor} on {served}; in the look-back "
          f"period {lo} to {hi} the debtor {held_en} the {en_kind} {ctx.caption(f['asset'])}{value_en}, "
          f"which should be checked against the report.")
    return zh, en
