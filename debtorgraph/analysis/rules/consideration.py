"""Where the consideration went: follow the price or the money one step on.

domain.md section 7: an act that looks like hiding on one signal is lawful on the next.
What happened to the value decides it:

- it went into the court's enforcement account or to the applicant (the debt was paid:
  exculpatory, a finding does not stand on the act);
- it came back to the sender within days (a round trip nets out: nothing was kept);
- it went on to a related party, or the price of a sale was paid back to the buyer
  (aggravating: the consideration was a sham).

Every rule that asks "was this a real transfer of value away from the creditors?" calls
:func:`follow_price` (conveyances) or :func:`follow_payment` (money), and turns the
:class:`Onward` it gets into one explained factor of its score (:func:`apply`).

Thresholds (this product's choices, documented here once):
``SETTLE_SHARE`` = 0.9 of the value reaching the creditor side, or ``RETURN_SHARE`` = 0.9
coming back, clears the act; ``PAYBACK_SHARE`` = 0.5 of a price paid back to the buyer
makes the price a sham. ``RETURN_DAYS`` = 14 (round trips), ``ONWARD_DAYS`` = 30 (price
forwarded to the court), ``PRICE_DAYS`` = 60 (the price paid either side of the deed),
``PAYBACK_DAYS`` = 120 (price paid back after the deed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from debtorgraph.analysis.rules.base import Candidate, Context, Pay
from debtorgraph.analysis.rules.fmt import money

if TYPE_CHECKING:
    from debtorgraph.analysis.rules.conveyance import Deal

__all__ = ["Onward", "follow_payment", "follow_price", "follow_party", "follow_inflow", "round_trips",
           "apply", "covered",
           "SETTLE_SHARE", "RETURN_SHARE", "PAYBACK_SHARE"]

SETTLE_SHARE = 0.9
RETURN_SHARE = 0.9
PAYBACK_SHARE = 0.5
RETURN_DAYS = 14
ONWARD_DAYS = 30
PRICE_DAYS = 60
PAYBACK_DAYS = 120


@dataclass
class Onward:
    """What became of an amount: how much reached the creditor side, came back, went on."""

    amount: float
    to_creditor: float = 0.0
    returned: float = 0.0
    to_related: float = 0.0
    paid_back: float = 0.0        # a price paid back by the debtor to the buyer's side
    price_seen: float = 0.0       # the price seen paid to the debtor (conveyances)
    acts: list[str] = field(default_factory=list)

    def _share(self, part: float) -> float:
        return part / self.amount if self.amount > 0 else 0.0

    @property
    def settled(self) -> bool:
        """The value went on to the court or the applicant (exculpatory)."""
        return self.amount > 0 and self._share(self.to_creditor) >= SETTLE_SHARE

    @property
    def netted(self) -> bool:
        """The money came back to the sender (a round trip)."""
        return self.amount > 0 and self._share(self.returned) >= RETURN_SHARE

    @property
    def sham_price(self) -> bool:
        """Most of the price went back to the buyer's side."""
        return self.amount > 0 and self._share(self.paid_back) >= PAYBACK_SHARE

    @property
    def verdict(self) -> str:
        """``settled``, ``netted``, ``sham_price``, ``onward_related`` or ``kept``."""
        if self.settled:
            return "settled"
        if self.netted:
            return "netted"
        if self.sham_price:
            return "sham_price"
        if self._share(self.to_related) >= 0.5:
            return "onward_related"
        return "kept"

    @property
    def clears(self) -> bool:
        """The act is explained by an honest fact (section 7)."""
        return self.verdict in ("settled", "netted")


def _between(p: Pay, lo: datetime, hi: datetime) -> bool:
    return lo <= p.when <= hi


def follow_party(ctx: Context, party: str, amount: float, start: datetime, days: int = ONWARD_DAYS,
                 exclude: set[str] | None = None) -> Onward:
    """What ``party`` paid on to the creditor side, back to the debtor, or to related parties
    between ``start`` and ``days`` later, against ``amount``."""
    out = Onward(amount)
    hi = start + timedelta(days=days)
    for p in ctx.payments:
        if not _between(p, start, hi) or (exclude and p.id in exclude):
            continue
        if ctx.sender(p) != party and p.payer != party:
            continue
        if ctx.to_creditor_side(p):
            out.to_creditor += p.amount
            out.acts.append(p.id)
        elif ctx.to_subject(p) and party != ctx.subject:
            out.returned += p.amount
            out.acts.append(p.id)
        else:
            got = ctx.receiver(p)
            if got != party and got != ctx.subject and got in ctx.rel:
                out.to_related += p.amount
    return out


def follow_payment(ctx: Context, pays: list[Pay], receiver: str, exclude: set[str] | None = None) -> Onward:
    """Money the debtor paid ``receiver``: did it come back within days (or had it come from
    the receiver days before: a loan repaid), reach the court or the applicant, or go on to
    another related party? Payments in ``exclude`` (already matched elsewhere) are not read."""
    total = sum(p.amount for p in pays)
    if not pays:
        return Onward(total)
    start, end = pays[0].when - timedelta(days=RETURN_DAYS), pays[-1].when
    # money the receiver sent the debtor just before (a loan repaid) or just after (sent back)
    return follow_party(ctx, receiver, total, start, (end - start).days + RETURN_DAYS,
                        {p.id for p in pays} | (exclude or set()))


def _close(a: float, b: float) -> bool:
    return min(a, b) >= RETURN_SHARE * max(a, b)


def round_trips(ctx: Context, pays: list[Pay], party: str, exclude: set[str] | None = None) -> dict[str, str]:
    """The debtor's payments to ``party`` that are one leg of a round trip: each matched, one
    to one, by a payment between ``party`` and the debtor the other way, of nearly the same
    amount (``RETURN_SHARE``), within ``RETURN_DAYS`` before (a loan repaid) or after (sent
    back). Returns {payment id: the id of the leg that nets it}. Payments not matched stand
    on their own: a round trip beside a real transfer does not clear the transfer."""
    back = [p for p in ctx.paid_in_by.get(party, ()) if not (exclude and p.id in exclude)]
    used: dict[str, str] = {}
    taken: set[str] = set()
    for p in pays:
        lo, hi = p.when - timedelta(days=RETURN_DAYS), p.when + timedelta(days=RETURN_DAYS)
        legs = [q for q in back if q.id not in taken and lo <= q.when <= hi and _close(p.amount, q.amount)]
        if legs:
            leg = min(legs, key=lambda q: abs((q.when - p.when).total_seconds()))
            taken.add(leg.id)
            used[p.id] = leg.id
    return used


def follow_inflow(ctx: Context, inflow: Pay, days: int = RETURN_DAYS) -> Onward:
    """Money paid to the debtor: how much of it the debtor paid back to its sender within
    ``days`` (a loan repaid within days is a pass-through, domain.md section 7)."""
    out = Onward(inflow.amount)
    sender = ctx.sender(inflow)
    hi = inflow.when + timedelta(days=days)
    for p in ctx.payments:
        if p.id != inflow.id and inflow.when <= p.when <= hi and ctx.from_subject(p) \
                and (ctx.receiver(p) == sender or p.payee == inflow.payer):
            out.returned += p.amount
            out.acts.append(p.id)
    return out


def follow_price(ctx: Context, deal: "Deal") -> Onward:
    """The consideration of a conveyance by the debtor.

    The value followed is the price (or, with no price, the reference value). Counted on
    the creditor side: what the buyer paid the court or the applicant around the deed,
    and what the debtor paid them within ``ONWARD_DAYS`` of receiving the price. A payment
    of the buyer's that is the price of another deal between them is that deal's, not
    this one's. Counted as paid back: what the debtor paid the buyer (or the buyer's
    accounts) within ``PAYBACK_DAYS`` after the deed, beyond any refund the buyer's price
    explains, except the repayment of a loan the buyer made days before (:func:`round_trips`).
    """
    start = deal.bought.start
    assert start is not None
    buyer = deal.bought.owner
    price = deal.price if deal.price is not None and deal.price > 1 else (deal.value or 0.0)
    out = Onward(price)
    lo, hi = start - timedelta(days=PRICE_DAYS), start + timedelta(days=PRICE_DAYS)
    received: list[Pay] = []
    back: list[Pay] = []
    for p in ctx.payments:
        if not _between(p, lo, hi + timedelta(days=PAYBACK_DAYS)):
            continue
        sender = ctx.sender(p)
        if sender == buyer and _between(p, lo, hi):
            if ctx.to_creditor_side(p):
                out.to_creditor += p.amount
                out.acts.append(p.id)
            elif ctx.to_subject(p):
                out.price_seen += p.amount
                received.append(p)
        elif ctx.from_subject(p) and ctx.receiver(p) == buyer and p.when >= start \
                and not ctx.to_creditor_side(p):
            back.append(p)
    matched = [p for p in received if abs(p.amount - price) <= 0.1 * price]
    if matched:  # the buyer's payment of this price (the buyer may have paid for other things too)
        received = [min(matched, key=lambda p: (abs(p.amount - price), p.when))]
        out.price_seen = received[0].amount
    else:  # a payment that is the price of another deal with the same buyer belongs to that deal
        others = [b.price for _, b in ctx.conveyances()
                  if b.owner == buyer and b.id != deal.bought.id and b.price is not None and b.price > 1]
        received = [p for p in received if not any(abs(p.amount - o) <= 0.1 * o for o in others)]
        out.price_seen = sum(p.amount for p in received)
    # paid back to the buyer: not a loan of the buyer's repaid within days (a round trip)
    legs = round_trips(ctx, back, buyer, exclude={p.id for p in received})
    for p in back:
        if p.id not in legs:
            out.paid_back += p.amount
            out.acts.append(p.id)
    if received:
        first = min(p.when for p in received)
        hi_fwd = first + timedelta(days=ONWARD_DAYS + (hi - first).days)
        fwd = [p for p in ctx.payments if first <= p.when <= hi_fwd and ctx.from_subject(p)
               and ctx.to_creditor_side(p) and p.amount <= 1.1 * out.price_seen]
        out.to_creditor += min(sum(p.amount for p in fwd), out.price_seen)
        out.acts += [p.id for p in fwd]
    return out


def covered(ctx: Context, when: datetime, days: int = PRICE_DAYS) -> bool:
    """The debtor's own statements cover ``when``: some payment of the debtor's falls within
    ``days`` either side. Without that, a price "not seen paid" says nothing."""
    lo, hi = when - timedelta(days=days), when + timedelta(days=days)
    return any(lo <= p.when <= hi and (ctx.from_subject(p) or ctx.to_subject(p)) for p in ctx.payments)


def apply(c: Candidate, onward: Onward, what_zh: str = "价款", what_en: str = "the price") -> bool:
    """Add the onward factor to a candidate; True when the act is cleared (the caller drops it
    or keeps it below the threshold)."""
    verdict = onward.verdict
    c.facts["onward"] = onward
    if verdict == "settled":
        c.add("paid_to_court", -0.6, f"{what_zh} {money(onward.to_creditor)} 元已交法院或申请人",
              f"{what_en} ({money(onward.to_creditor)} yuan) went to the court or the applicant")
        return True
    if verdict == "netted":
        c.add("round_trip", -0.6, f"款项 {money(onward.returned)} 元数日内退回，往来相抵",
              f"{money(onward.returned)} yuan came back within days: the round trip nets out")
        return True
    if verdict == "sham_price":
        c.add("price_paid_back", 0.15, f"{what_zh}随后又付回买受人一方 {money(onward.paid_back)} 元",
              f"{money(onward.paid_back)} yuan of {what_en} was paid back to the buyer's side")
    elif verdict == "onward_related":
        c.add("onward_related", 0.05, f"款项又转给其他关联方 {money(onward.to_related)} 元",
              f"{money(onward.to_related)} yuan went on to another related party")
    return False
