"""undervalue_sale: the debtor sells an asset below its value, above all to a related party.

Pattern
    After the duty arose (or after the notice to respond, art. 6 of 法释〔2024〕13号),
    the debtor's Ownership of a flat, vehicle or stake ends and a buyer's begins with
    ``legalBasis`` ``sale`` (or ``set-off``) at a price below the reference value.
Provisions
    Civil Code art. 539; SPC 2023 Contract Interpretation (法释〔2023〕13号) arts. 42
    (and 43 for set-off); Criminal Law art. 313 with NPCSC Interpretation (2002) item (1);
    art. 8 of 法释〔2024〕13号 where the buyer is related (a knowing buyer is an accomplice).
Thresholds
    ``RATIO`` = 0.70: below 70% of the local market or guide price is "obviously
    unreasonable" (CG art. 42(1)). For relatives (CG art. 42(3): "亲属关系、关联关系" are
    not bound by the 70% line) a sale below ``KIN_RATIO`` = 0.90 is flagged too, scoring
    lower; 0.90 is this product's choice, not a legal figure. A zero or nominal price
    for a stake is left to ``nominal_equity_transfer``; gifts, divorce settlements and
    court auctions to their own rules.
Score
    Related buyer below 70%: 0.75, up to +0.15 for a deeper discount, +0.1 x closeness.
    Relative between 70% and 90%: 0.40 + 0.5 x (0.90 - ratio) + 0.1 x closeness.
    Unrelated buyer below 70%: 0.40 + up to 0.20 for the discount (art. 539 needs the
    buyer's knowledge, which the data rarely shows). +0.05 when no payment of the price
    from the buyer is seen; -0.05 when it is.
"""
from __future__ import annotations

from debtorgraph.analysis.rules.base import Candidate, Context
from debtorgraph.analysis.rules.consideration import apply, follow_price
from debtorgraph.analysis.rules.conveyance import deals
from debtorgraph.analysis.rules.fmt import asset_and_relative, money, pct

RULE = "undervalue_sale"
RATIO = 0.70
KIN_RATIO = 0.90
NOMINAL_SHARE = 0.05  # below this share of the reference value a stake sale is nominal


def find(ctx: Context) -> list[Candidate]:
    """Sales below the reference value inside the watch window, the price followed on."""
    out = []
    for deal in deals(ctx):
        if deal.kind not in ("sale", "set-off") or set(deal.acts) & ctx.claimed:
            continue
        if deal.price is None or not deal.value:
            continue
        if deal.equity and (deal.price <= 1 or (deal.ratio or 0.0) < NOMINAL_SHARE):
            continue
        onward = follow_price(ctx, deal)
        price = max(0.0, deal.price - onward.paid_back) if onward.sham_price else deal.price
        ratio = price / deal.value
        link = deal.link
        kin_zone = link is not None and link.kin and RATIO <= ratio < KIN_RATIO
        if ratio >= RATIO and not kin_zone:
            continue
        when = deal.bought.start
        assert when is not None
        c = Candidate(RULE, deal.case, deal.acts + [a for a in onward.acts if onward.sham_price],
                      [deal.bought.owner], ctx.subject, deal.value or 0.0, when, 0.0, revocable=True,
                      provisions=["CC539", "CG42"] + (["CG43"] if deal.kind == "set-off" else [])
                      + ["CrimL313", "NPC1"] + (["I24-8"] if link else []))
        if link and ratio < RATIO:
            c.base = 0.75
            c.add("deep_discount", round(0.15 * (RATIO - ratio) / RATIO, 3),
                  f"价格仅为市场价的 {pct(ratio)}", f"price is {pct(ratio)} of market value")
        elif kin_zone:
            c.base = 0.40 + 0.5 * (KIN_RATIO - ratio)
            c.add("kin_no_safe_harbour", 0.0, "买受人为近亲属，70% 以上亦非当然合理（合同编通则解释第四十二条第三款）",
                  "buyer is kin: 70% or more is no safe harbour (CG art. 42(3))")
        else:
            c.base = 0.50
            c.add("deep_discount", round(0.30 * (RATIO - ratio) / RATIO, 3),
                  f"价格仅为市场价的 {pct(ratio)}", f"price is {pct(ratio)} of market value")
        if link:
            c.add("related_buyer", round(0.1 * link.closeness, 3), f"买受人系债务人之{link.zh}",
                  f"buyer is the debtor's {link.en}")
        if not onward.sham_price:
            if deal.price > 0 and onward.price_seen + onward.to_creditor < 0.5 * deal.price:
                c.add("price_not_seen_paid", 0.05, "未见买受人支付价款", "no payment of the price by the buyer is seen")
            elif deal.price > 0:
                c.add("price_paid", -0.05, "见买受人支付价款", "the buyer's payment of the price is seen")
        apply(c, onward)
        c.facts.update(asset=deal.asset, price=deal.price, value=deal.value, ratio=ratio,
                       buyer=deal.bought.owner, link=link, paid_back=onward.paid_back if onward.sham_price else 0.0)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    zh_kind, en_kind, who_zh, who_en = asset_and_relative(ctx, f)
    buyer = ctx.caption(f["buyer"])
    zh = (f"被执行人{ctx.caption(ctx.subject)}于{when_zh}，以 {money(f['price'])} 元将{zh_kind}"
          f"「{ctx.caption(f['asset'])}」出售给{who_zh}{buyer}，仅为参考价值 {money(f['value'])} 元的"
          f" {pct(f['ratio'])}" + (f"（其中 {money(f['paid_back'])} 元价款事后又付回买受人）" if f.get("paid_back") else "")
          + "。")
    en = (f"{when_en.capitalize()}, the debtor {ctx.caption(ctx.subject)} sold the {en_kind} "
          f"{ctx.caption(f['asset'])} to {who_en}{buyer} for {money(f['price'])} yuan, "
          f"{pct(f['ratio'])} of its reference value of {money(f['value'])} yuan"
          + (f" once the {money(f['paid_back'])} yuan paid back to the buyer is deducted" if f.get("paid_back") else "")
          + ".")
    return zh, en
