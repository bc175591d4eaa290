"""What the conveyance rules share: price, reference value and the buyer's relation.

docs/interchange.md "Conveyance of an asset": the seller's Ownership ends, the buyer's starts
the same day and carries ``legalBasis`` and the total price (``sharesValue``). The
reference value is the asset's ``amount`` (appraisal or guide price at the latest
conveyance) or, for a stake, ``percentage`` x the company's registered ``capital``.
"""
from __future__ import annotations

from dataclasses import dataclass
from debtorgraph.analysis.milestones import CaseMilestones
from debtorgraph.analysis.rules.base import Context, Own
from debtorgraph.analysis.rules.parties import Link

__all__ = ["Deal", "deals", "deal_of", "EQUITY_SCHEMATA", "COURT_WORDS"]

EQUITY_SCHEMATA = ("Company", "Organization", "LegalEntity")
_GIFT = ("gift", "赠与", "赠送", "donation")
_DIVORCE = ("divorce", "离婚", "离婚析产", "析产")
COURT_WORDS = ("auction", "拍卖", "司法拍卖", "变卖", "judicial sale")
_INHERIT = ("inheritance", "继承", "遗赠")
_SETOFF = ("set-off", "setoff", "以物抵债", "抵债")


@dataclass
class Deal:
    """One conveyance by the debtor, read for the rules."""

    sold: Own
    bought: Own
    case: CaseMilestones
    kind: str              # sale, gift, divorce, court, inheritance, set-off
    value: float | None    # reference value of what changed hands
    equity: bool
    link: Link | None      # the buyer's relation to the debtor

    @property
    def asset(self) -> str:
        return self.bought.asset

    @property
    def price(self) -> float | None:
        return self.bought.price

    @property
    def ratio(self) -> float | None:
        if self.price is None or not self.value:
            return None
        return self.price / self.value

    @property
    def acts(self) -> list[str]:
        return [self.sold.id, self.bought.id]


def _kind(basis: str) -> str:
    for words, kind in ((_GIFT, "gift"), (_DIVORCE, "divorce"), (COURT_WORDS, "court"),
                        (_INHERIT, "inheritance"), (_SETOFF, "set-off")):
        if any(w in basis for w in words):
            return kind
    return "sale"


def deal_of(ctx: Context, sold: Own, bought: Own, case: CaseMilestones) -> Deal:
    """One conveyance read as a :class:`Deal` under ``case``."""
    equity = ctx.schema(bought.asset) in EQUITY_SCHEMATA
    pct = bought.pct if bought.pct is not None else sold.pct
    return Deal(sold, bought, case, _kind(bought.basis), ctx.value(bought.asset, pct),
                equity, ctx.rel.get(bought.owner))


def deals(ctx: Context) -> list[Deal]:
    """Every conveyance by the debtor inside the watch window of one of its cases."""
    out = []
    for sold, bought in ctx.conveyances():
        when = bought.start
        case = ctx.case_at(when) if when else None
        if case is not None:
            out.append(deal_of(ctx, sold, bought, case))
    return out
