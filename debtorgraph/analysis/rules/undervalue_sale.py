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
The price that counts
    The agreed price less what the debtor paid back to the buyer after the deed (from
    ``PAYBACK_MIN`` of the price: a fair-looking sale whose price went back, domain.md
    section 7); for a related buyer seen paying less than ``UNPAID_SHARE`` of it, what was
    seen paid (a sale on paper only), where the debtor's statements cover the deed. A price that went on to the court or the applicant
    clears the sale (:mod:`~debtorgraph.analysis.rules.consideration`).
Score
    Related buyer below 70%: 0.75, up to +0.15 for a deeper discount, +0.1 x closeness.
    Relative between 70% and 90%: 0.40 + 0.5 x (0.90 - ratio) + 0.1 x closeness.
    Unrelated buyer below 70%: 0.52 + up to 0.30 for the discount (the debtor's sale
    at an obviously unreasonable price is the act of NPC item (1); art. 539's knowing
    buyer matters for revocation, not for the debtor's conduct). +0.05 when no payment
    of the price from the buyer is seen; +0.15 when half the price was paid back;
    -0.6 when it went to the court or the applicant.
"""
from __future__ import annotations

from debtorgraph.analysis.rules.base import Candidate, Context
from debtorgraph.analysis.rules.consideration import apply, covered, follow_price
from debtorgraph.analysis.rules.conveyance import deals
from debtorgraph.analysis.rules.fmt import asset_and_relative, money, pct

RULE = "undervalue_sale"
RATIO = 0.70
KIN_RATIO = 0.90
NOMINAL_SHARE = 0.05  # below this share of the reference value a stake sale is nominal
PAYBACK_MIN = 0.05    # a payback to the buyer from this share of the price lowers the price
UNPAID_SHARE = 0.10   # a related buyer seen paying less than this share of the price never paid


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
        when = deal.bought.start
        assert when is not None  # deals() keeps only dated conveyances
        onward = follow_price(ctx, deal)
        link = deal.link
        paid_back = onward.paid_back if onward.paid_back >= PAYBACK_MIN * deal.price else 0.0
        seen = onward.price_seen + onward.to_creditor
        unpaid = (link is not None and deal.price > 1 and seen < UNPAID_SHARE * deal.price
                  and covered(ctx, when))
        price = seen if unpaid else max(0.0, deal.price - paid_back)
        ratio = price / deal.value
        kin_zone = link is not None and link.kin and RATIO <= ratio < KIN_RATIO
        if ratio >= RATIO and not kin_zone:
            continue
        c = Candidate(RULE, deal.case, deal.acts + [a for a in onward.acts if paid_back],
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
            c.base = 0.52
            c.add("deep_discount", round(0.30 * (RATIO - ratio) / RATIO, 3),
                  f"价格仅为市场价的 {pct(ratio)}", f"price is {pct(ratio)} of market value")
        if unpaid:
            c.add("price_never_paid", 0.0, f"约定价款 {money(deal.price)} 元，未见关联买受人支付",
                  f"the related buyer was never seen paying the agreed {money(deal.price)} yuan")
        if link:
            c.add("related_buyer", round(0.1 * link.closeness, 3), f"买受人系债务人之{link.zh}",
                  f"buyer is the debtor's {link.en}")
        if not paid_back and not unpaid and deal.price > 0 and seen < 0.5 * deal.price \
                and covered(ctx, when):
            c.add("price_not_seen_paid", 0.05, "未见买受人支付价款", "no payment of the price by the buyer is seen")
        apply(c, onward)
        c.facts.update(asset=deal.asset, price=deal.price, value=deal.value, ratio=ratio,
                       buyer=deal.bought.owner, link=link, paid_back=paid_back, unpaid=unpaid)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    zh_kind, en_kind, who_zh, who_en = asset_and_relative(ctx, f)
    buyer, debtor, asset = ctx.caption(f["buyer"]), ctx.caption(ctx.subject), ctx.caption(f["asset"])
    zh = (f"被执行人{debtor}于{when_zh}，以 {money(f['price'])} 元将{zh_kind}「{asset}」出售给{who_zh}{buyer}"
          f"（参考价值 {money(f['value'])} 元）")
    en = (f"{when_en.capitalize()}, the debtor {debtor} sold the {en_kind} {asset} to {who_en}{buyer} "
          f"for {money(f['price'])} yuan (reference value {money(f['value'])} yuan)")
    if f.get("unpaid"):
        zh += "，但未见买受人支付价款，实为无偿转让。"
        en += ", but the buyer was never seen paying: a transfer for nothing."
    elif f.get("paid_back"):
        zh += f"，事后又将 {money(f['paid_back'])} 元付回买受人，实际价格仅为参考价值的 {pct(f['ratio'])}。"
        en += (f", then paid {money(f['paid_back'])} yuan back to the buyer: the real price is "
               f"{pct(f['ratio'])} of the value.")
    else:
        zh += f"，仅为参考价值的 {pct(f['ratio'])}。"
        en += f", {pct(f['ratio'])} of its reference value."
    return zh, en
