"""cheap_lease: the debtor leases an asset out for long at a rent far below market.

Pattern
    Inside the watch window a lease of the debtor's asset begins (an Ownership with
    ``legalBasis``/``ownershipType`` ``lease``; ``sharesValue`` = yearly rent; ``startDate``
    and ``endDate`` = the term, docs/interchange.md). A long cheap lease to kin makes the asset
    unsaleable at auction (洪湖 case: RMB 1,000 a year for 10 years, to siblings).
Provisions
    SPC 2023 Contract Interpretation (法释〔2023〕13号) art. 43 (the 70% test of art. 42
    applies to leases) with Civil Code art. 539; art. 3(1) of 法释〔2024〕13号 (sham
    transfers); Criminal Law art. 313.
Thresholds
    Market rent = the asset's value x ``DEBTORGRAPH_LEASE_YIELD`` (default 0.02, a gross
    yearly yield; config setting). ``RATIO`` = 0.70 of market rent (CG arts. 42, 43); for
    kin, below ``KIN_RATIO`` = 0.90 too, scoring lower. ``LONG_YEARS`` = 3.
Score
    Related lessee below 70%: 0.70 + 0.1 x closeness. Kin between 70% and 90%: 0.45 +
    0.1 x closeness. Unrelated: 0.35 + up to 0.15 for the discount. +0.10 for a term of
    3 years or more, +0.05 more for 10 years or more.
"""
from __future__ import annotations

from debtorgraph.analysis.rules.base import Candidate, Context
from debtorgraph.analysis.rules.fmt import asset_and_relative, money, pct

RULE = "cheap_lease"
RATIO = 0.70
KIN_RATIO = 0.90
LONG_YEARS = 3
DEFAULT_YIELD = 0.02


def _yield(ctx: Context) -> float:
    value = ctx.settings.get("lease_yield")
    if value is None:
        from debtorgraph.config import setting

        value = setting("DEBTORGRAPH_LEASE_YIELD")
    try:
        return float(value) if float(value) > 0 else DEFAULT_YIELD
    except (TypeError, ValueError):
        return DEFAULT_YIELD


def find(ctx: Context) -> list[Candidate]:
    """Leases of the debtor's assets at a rent below the market rent."""
    gross = _yield(ctx)
    out = []
    for lease in ctx.owns:
        if not lease.lease or lease.start is None or lease.owner == ctx.subject or lease.id in ctx.claimed:
            continue
        if not any(o.owner == ctx.subject and not o.lease and o.held_on(lease.start)
                   for o in ctx.owns_of(lease.asset)):
            continue
        case = ctx.case_at(lease.start)
        value = ctx.value(lease.asset)
        if case is None or not value or lease.price is None:
            continue
        market = value * gross
        ratio = lease.price / market
        link = ctx.rel.get(lease.owner)
        kin_zone = link is not None and link.kin and RATIO <= ratio < KIN_RATIO
        if ratio >= RATIO and not kin_zone:
            continue
        years = (lease.end - lease.start).days / 365.25 if lease.end else None
        amount = (market - lease.price) * (years or 1.0)
        c = Candidate(RULE, case, [lease.id], [lease.owner], ctx.subject, round(amount, 2),
                      lease.start, 0.0, revocable=True,
                      provisions=["CG43", "CG42", "CC539", "I24-3-1", "CrimL313"])
        if link and ratio < RATIO:
            c.base = 0.70
        elif kin_zone:
            c.base = 0.45
        else:
            c.base = 0.35
            c.add("deep_discount", round(0.15 * (RATIO - ratio) / RATIO, 3),
                  f"租金仅为市场租金的 {pct(ratio)}", f"rent is {pct(ratio)} of market rent")
        if link:
            c.add("related_lessee", round(0.1 * link.closeness, 3), f"承租人系债务人之{link.zh}",
                  f"lessee is the debtor's {link.en}")
        if years is not None and years >= LONG_YEARS:
            c.add("long_term", 0.10, f"租期长达 {years:.0f} 年", f"a term of {years:.0f} years")
            if years >= 10:
                c.add("very_long_term", 0.05, "租期十年以上", "a term of ten years or more")
        c.facts.update(asset=lease.asset, rent=lease.price, market=market, ratio=ratio,
                       years=years, lessee=lease.owner, link=link, gross=gross)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    zh_kind, en_kind, who_zh, who_en = asset_and_relative(ctx, f)
    term_zh = f"，租期 {f['years']:.0f} 年" if f["years"] else ""
    term_en = f" for {f['years']:.0f} years" if f["years"] else ""
    zh = (f"被执行人{ctx.caption(ctx.subject)}于{when_zh}将{zh_kind}「{ctx.caption(f['asset'])}」出租给"
          f"{who_zh}{ctx.caption(f['lessee'])}{term_zh}，年租金 {money(f['rent'])} 元，仅为按"
          f" {f['gross']:.1%} 收益率估算的市场租金 {money(f['market'])} 元的 {pct(f['ratio'])}。")
    en = (f"{when_en.capitalize()}, the debtor {ctx.caption(ctx.subject)} leased the {en_kind} "
          f"{ctx.caption(f['asset'])} to {who_en}{ctx.caption(f['lessee'])}{term_en} at "
          f"{money(f['rent'])} yuan a year, {pct(f['ratio'])} of the market rent of "
          f"{money(f['market'])} yuan (at a {f['gross']:.1%} yield).")
    return zh, en
