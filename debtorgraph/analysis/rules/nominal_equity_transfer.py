"""nominal_equity_transfer: the debtor's stake goes for nothing or a token price.

Pattern
    Inside the watch window the debtor's Ownership of a company stake ends and another
    party's begins with ``legalBasis`` ``sale`` at 0 or 1 yuan, or at less than 5% of the
    stake's reference value (``percentage`` x registered ``capital``, docs/interchange.md).
Provisions
    Civil Code art. 538 (in substance gratuitous) and art. 539; NPCSC Interpretation
    (2002) item (1) with Criminal Law art. 313; Change/Add-Party Provisions art. 19
    (a shareholder who transfers without paying in); art. 8 of 法释〔2024〕13号 for a
    related or nominee transferee.
Thresholds
    ``NOMINAL_PRICE`` = 1 yuan (docs/interchange.md: "A sale at 0 or 1 is a zero or
    nominal-price transfer"); ``NOMINAL_SHARE`` = 5% of the reference value (this
    product's choice; from 5% to 70% the sale is an ``undervalue_sale``).
Score
    0.80 to a related party or a nominee the debtor is linked to (+0.1 x closeness);
    0.60 to an unrelated party (who may still be a nominee).
"""
from __future__ import annotations

from debtorgraph.analysis.rules.base import Candidate, Context
from debtorgraph.analysis.rules.conveyance import deals
from debtorgraph.analysis.rules.fmt import money

RULE = "nominal_equity_transfer"
NOMINAL_PRICE = 1.0
NOMINAL_SHARE = 0.05


def find(ctx: Context) -> list[Candidate]:
    """Zero or nominal-price transfers of the debtor's stakes in the watch window."""
    out = []
    for deal in deals(ctx):
        if not deal.equity or deal.kind != "sale" or deal.price is None or set(deal.acts) & ctx.claimed:
            continue
        ratio = deal.ratio
        if deal.price > NOMINAL_PRICE and (ratio is None or ratio >= NOMINAL_SHARE):
            continue
        when = deal.bought.start
        assert when is not None
        link = deal.link
        c = Candidate(RULE, deal.case, deal.acts, [deal.bought.owner], ctx.subject,
                      deal.value or 0.0, when, 0.80 if link else 0.60, revocable=True,
                      provisions=["CC538", "CC539", "CrimL313", "NPC1", "CAP19"]
                      + (["I24-8"] if link else []))
        if link:
            c.add("related_transferee", round(0.1 * link.closeness, 3), f"受让人系债务人之{link.zh}",
                  f"transferee is the debtor's {link.en}")
        else:
            c.add("possible_nominee", 0.0, "受让人与债务人无已知关系，可能为代持人",
                  "no known relation to the transferee, who may be a nominee")
        pct = deal.bought.pct if deal.bought.pct is not None else deal.sold.pct
        c.facts.update(company=deal.asset, price=deal.price, value=deal.value, pct=pct,
                       buyer=deal.bought.owner, link=link)
        out.append(c)
    return out


def explain(c: Candidate, ctx: Context, when_zh: str, when_en: str) -> tuple[str, str]:
    f = c.facts
    share = f"{f['pct']:g}%" if f["pct"] is not None else ""
    who_zh = f"其{f['link'].zh}" if f["link"] else ""
    who_en = f"the debtor's {f['link'].en} " if f["link"] else ""
    ref_zh = f"（按注册资本折算约 {money(f['value'])} 元）" if f["value"] else ""
    ref_en = f" (about {money(f['value'])} yuan at registered capital)" if f["value"] else ""
    zh = (f"被执行人{ctx.caption(ctx.subject)}于{when_zh}，将所持「{ctx.caption(f['company'])}」{share}股权"
          f"{ref_zh}以 {money(f['price'])} 元转让给{who_zh}{ctx.caption(f['buyer'])}。")
    en = (f"{when_en.capitalize()}, the debtor {ctx.caption(ctx.subject)} transferred a stake of {share} in "
          f"{ctx.caption(f['company'])}{ref_en} to {who_en}{ctx.caption(f['buyer'])} for "
          f"{money(f['price'])} yuan.")
    return zh, en
