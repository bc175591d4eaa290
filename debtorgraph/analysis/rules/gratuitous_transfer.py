"""gratuitous_transfer: the debtor gives an asset away.

Pattern
    Inside the watch window the debtor's Ownership of an asset ends and another party's
    begins with ``legalBasis`` ``gift`` (赠与), or a sale of a flat or vehicle at 0 or 1
    yuan (a stake at a nominal price is ``nominal_equity_transfer``).
Provisions
    Civil Code art. 538 (a gratuitous act is revocable without proof of the recipient's
    knowledge); Criminal Law art. 313 with NPCSC Interpretation (2002) item (1) ("gives
    away"); art. 8 of 法释〔2024〕13号 for a related recipient.
Thresholds
    None on value: any gift after the duty arose is a loss to the creditor (CC art. 538).
Score
    0.80 to a related party (+0.1 x closeness), 0.65 to anyone else.
"""
from __future__ import annotations

from debtorgraph.analysis.rules.base import Candidate, Context
from debtorgraph.analysis.rules.conveyance import deals
from debtorgraph.analysis.rules.fmt import asset_and_relative, money

RULE = "gratuitous_transfer"


def find(ctx: Context) -> list[Candidate]:
    """Gifts (and 0/1-yuan sales of things other than stakes) in the watch window."""
    out = []
    for deal in deals(ctx):
        if set(deal.acts) & ctx.claimed:
            continue
        free_sale = deal.kind == "sale" and not deal.equity and deal.price is not None and deal.price <= 1
        if deal.kind != "gift" and not free_sale:
            continue
        when = deal.bought.start
        assert when is not None
        link = deal.link
        c = Candidate(RULE, deal.case, deal.acts, [deal.bought.owner], ctx.subject,
                      deal.value or 0.0, when, 0.80 if link else 0.65, revocable=True,
                      provisions=["CC538", "CrimL313", "NPC1"] + (["I24-8"] if link else []))
        if link:
            c.add("related_recipient", round(0.1 * link.closeness, 3), f"受赠人系债务人之{link.zh}",
                  f"recipient is the debtor's {link.en}")
        else:
            c.add("unrelated_recipient", 0.0, "受赠人与债务人无已知关系", "no known relation to the recipient")
        c.facts.update(asset=deal.asset, value=deal.value, recipient=deal.bought.owner, link=link,
                       free_sale=free_sale)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    zh_kind, en_kind, who_zh, who_en = asset_and_relative(ctx, f)
    value_zh = f"（参考价值 {money(f['value'])} 元）" if f["value"] else ""
    value_en = f" (reference value {money(f['value'])} yuan)" if f["value"] else ""
    how_zh = "以零元或一元名义价格转让" if f["free_sale"] else "无偿赠与"
    how_en = "transferred for a token 0 or 1 yuan" if f["free_sale"] else "gave away"
    zh = (f"被执行人{ctx.caption(ctx.subject)}于{when_zh}，将{zh_kind}「{ctx.caption(f['asset'])}」"
          f"{value_zh}{how_zh}给{who_zh}{ctx.caption(f['recipient'])}。")
    en = (f"{when_en.capitalize()}, the debtor {ctx.caption(ctx.subject)} {how_en} the {en_kind} "
          f"{ctx.caption(f['asset'])}{value_en} to {who_en}{ctx.caption(f['recipient'])}.")
    return zh, en
