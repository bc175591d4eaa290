"""Planted schemes on titled assets (flats, vehicles, equity) and their honest look-alikes.

Each function plants one scheme (``honest=False``) or its look-alike (``honest=True``) in
a debtor's :class:`~debtorgraph.synthetic.network.Network` and returns the truth row.
Conveyances follow docs/interchange.md: the seller's Ownership gets an ``endDate``, the
buyer's starts that day and carries ``legalBasis`` and the price in ``sharesValue``.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from debtorgraph.synthetic.network import Network, Pending
from debtorgraph.synthetic.schemes_common import (Act, Truth, after_duty, debtor_asset, ensure_sibling,
                                                  ensure_spouse, relative, round_to, sanction,
                                                  truth, years_before)

log = logging.getLogger(__name__)


def _sale_payment(net: Network, buyer: str, price: float, when: date, what: str) -> Pending:
    """The buyer pays the price into an account of the debtor that is not frozen."""
    return net.pay(buyer, net.accounts(buyer)[0], net.debtor, net.paying_account(net.debtor, when),
                   price, net.at(when), what)


def undervalue_sale(net: Network, honest: bool) -> Truth:
    """Flat or vehicle sold to a related party below 70% of market value after the judgment
    became effective. Look-alike: a sale to a stranger at ~95%, or a sale before the lawsuit."""
    tl, r = net.timeline, net.rng
    if honest and r.random() < 0.5:
        when = years_before(net, tl.lawsuit, 0.5, 4)
        asset, own = debtor_asset(net, before=when)
        buyer = relative(net, when)
        price = round_to(net.value(asset) * r.uniform(0.55, 0.9), 1000)
    else:
        asset, own = debtor_asset(net)
        when = net.day(tl.judgment, 3, 140)
        if honest:
            buyer = net.stranger()
            price = round_to(net.value(asset) * r.uniform(0.92, 1.0), 1000)
        else:
            buyer = relative(net, when, ("sibling", "parent", "child")) if r.random() < 0.8 \
                else _friend(net)
            price = round_to(net.value(asset) * r.uniform(0.12, 0.62), 1000)
    acts: list[Act] = [own, net.convey(own, buyer, when, "sale", price)]
    if honest or r.random() < 0.5:  # not every sale shows the price paid
        what = "购房款" if net.by_id[asset]["schema"] == "RealEstate" else "购车款"
        acts.append(_sale_payment(net, buyer, price, when, what))
    return truth(net, "undervalue_sale", honest, acts, [buyer])


def _friend(net: Network) -> str:
    if net.friends:
        return net.rng.choice(net.friends)
    return ensure_sibling(net)


def gratuitous_transfer(net: Network, honest: bool) -> Truth:
    """Gift (legalBasis ``gift``, no price) of a flat or vehicle to a relative after the duty
    arose. Look-alike: the same gift years before the lawsuit."""
    tl = net.timeline
    when = years_before(net, tl.lawsuit, 1.5, 6) if honest else after_duty(net)
    asset, own = debtor_asset(net, before=when)
    heir = relative(net, when, ("child", "parent", "sibling"))
    new = net.convey(own, heir, when, "gift")
    return truth(net, "gratuitous_transfer", honest, [own, new], [heir])


def nominal_equity_transfer(net: Network, honest: bool) -> Truth:
    """The debtor's stake sold for 0 or 1 yuan to a relative or nominee. Look-alike: the
    same kind of transfer at the fair price (percentage x capital), paid by the buyer."""
    tl, r = net.timeline, net.rng
    since = years_before(net, tl.lawsuit, 2, 10)
    co = net.company(since=since)
    net.account(co, opened=since)
    pct = r.choice((30, 40, 51, 60, 70, 80, 100))
    own = net.own(net.debtor, co, since, percentage=str(pct))
    net.add("Directorship", "dir", "registry", director=net.debtor, organization=co,
            role="法定代表人", startDate=since)
    net.touched.add(co)
    when = after_duty(net)
    if honest:
        buyer = net.stranger() if r.random() < 0.6 else relative(net, when)
        capital = float(net.prop(co, "capital") or 0)
        price = round_to(pct / 100 * capital * r.uniform(0.98, 1.04), 100)
    else:
        if r.random() < 0.6:
            buyer = relative(net, when)
        else:  # a nominee: an acquaintance who holds the stake for the debtor
            buyer = net.stranger()
            net.add("Associate", "assoc", "inquiry", person=net.debtor, associate=buyer,
                    relationship=r.choice(("朋友", "员工", "老乡")))
        price = float(r.choice((0, 1)))
    new = net.convey(own, buyer, when, "sale", price)
    acts: list[Act] = [own, new]
    if honest:  # a fair sale is paid for: the buyer's transfer of the price
        acts.append(_sale_payment(net, buyer, price, when, "股权转让款"))
    return truth(net, "nominal_equity_transfer", honest, acts, [buyer])


def sham_divorce(net: Network, honest: bool) -> Truth:
    """Divorce after the notice to respond, the flat going to the spouse (legalBasis
    ``divorce``, no price); the debtor keeps living there. Look-alike: a divorce years
    before the lawsuit."""
    tl, r = net.timeline, net.rng
    spouse = ensure_spouse(net)
    fam = _marriage(net, spouse)
    wedding = date.fromisoformat(net.prop(fam, "startDate") or "2005-01-01")
    if honest:
        if (tl.lawsuit - wedding).days < 4 * 365:  # married long enough before the divorce
            adult = max(net.people[net.debtor].birth, net.people[spouse].birth)
            wedding = max(date(adult.year + 21, 5, 1), years_before(net, tl.lawsuit, 5, 12))
            net.set_prop(fam, "startDate", wedding)
        span = (tl.lawsuit - wedding).days / 365
        when = wedding + timedelta(days=int(r.uniform(1.0, span - 2.0) * 365))
    else:
        when = net.day(tl.lawsuit, 10, 160)
    acts = [fam]
    net.set_prop(fam, "endDate", when)
    net.kin["spouse"].remove(spouse)
    for kind in ("flat",) if r.random() < 0.7 else ("flat", "vehicle"):
        asset, own = debtor_asset(net, kind, before=when)
        acts += [own, net.convey(own, spouse, when, "divorce")]
        if kind == "flat" and not honest:  # the debtor still lives in the flat
            net.set_prop(net.debtor, "address", net.prop(asset, "address"))
    if honest and r.random() < 0.5:  # remarried since
        ensure_spouse_after(net, when)
    return truth(net, "sham_divorce", honest, acts, [spouse])


def _marriage(net: Network, spouse: str) -> str:
    """The id of the Family link that records the marriage with ``spouse``."""
    for ent in net.entities:
        p = ent["properties"]
        if ent["schema"] == "Family" and spouse in p.get("person", []) + p.get("relative", []) \
                and p["relationship"][0] in ("spouse", "配偶"):
            return str(ent["id"])
    raise LookupError(f"no marriage recorded with {spouse}")


def ensure_spouse_after(net: Network, divorced: date) -> None:
    """A new marriage a year or more after an old divorce."""
    info = net.people[net.debtor]
    spouse = net.person(birth=date(info.birth.year + net.rng.randint(-3, 6), 6, 1), male=not info.male)
    net.family(net.debtor, spouse, "spouse", start=net.day(divorced, 400, 900))
    net.kin["spouse"].append(spouse)
    net.account(spouse)


def cheap_lease(net: Network, honest: bool) -> Truth:
    """Long lease (>= 5 years) of the debtor's flat to a sibling at a token rent after the
    duty arose. Look-alike: a lease at market rent (value x 2%) to a stranger."""
    tl, r = net.timeline, net.rng
    flat, _own = debtor_asset(net, "flat")
    start = after_duty(net)
    market_rent = net.value(flat) * 0.02
    if honest:
        lessee = net.stranger()
        years = r.choice((1, 2, 3, 5, 6))
        rent = round_to(market_rent * r.uniform(0.9, 1.25), 100)
    else:
        lessee = ensure_sibling(net)
        years = r.choice((5, 8, 10, 15, 20))
        rent = round_to(min(market_rent * r.uniform(0.05, 0.3), 3000), 100)
    end = date(start.year + years, start.month, min(start.day, 28))
    lease = net.own(lessee, flat, start, endDate=end, legalBasis="lease", ownershipType="lease",
                    sharesValue=f"{rent:.0f}", sharesCurrency="CNY")
    acts: list[Act] = [lease]
    if honest:  # the tenant pays the first year's rent
        acts.append(net.pay(lessee, net.accounts(lessee)[0], net.debtor,
                            net.paying_account(net.debtor, start), rent, net.at(start), "房租"))
    return truth(net, "cheap_lease", honest, acts, [lessee])


def frozen_asset_disposal(net: Network, honest: bool) -> Truth:
    """A seized flat or vehicle is conveyed, or a frozen account pays out, after the
    measure took effect. Look-alike: the same after the measure was lifted (endDate)."""
    tl, r = net.timeline, net.rng
    start = net.day(tl.notice, 3, 60)
    lifted = net.day(start, 30, 150) if honest else None
    after = lifted or start
    if r.random() < 0.6:
        asset, own = debtor_asset(net)
        sanc = sanction(net, "seizure", asset, start, lifted)
        when = net.day(after, 5, 90)
        buyer = net.stranger()
        price = round_to(net.value(asset) * r.uniform(0.85, 1.0), 1000)
        new = net.convey(own, buyer, when, "sale", price)
        paid = _sale_payment(net, buyer, price, when, "购买款")
        return truth(net, "frozen_asset_disposal", honest, [sanc, own, new, paid], [buyer])
    acct = net.account(net.debtor, opened=years_before(net, tl.lawsuit, 1, 6))
    net.touched.add(acct)
    sanc = sanction(net, "freeze", acct, start, lifted)
    acts: list[Act] = [sanc]
    parties = []
    for _ in range(r.randint(2, 5)):
        to = net.stranger()  # strangers: a payment to kin would also be related-party
        when = net.day(after, 1, 60)
        acts.append(net.pay(net.debtor, acct, to, net.accounts(to)[0],
                            round_to(r.uniform(5_000, 80_000), 100), net.at(when),
                            r.choice(("转账", "往来款", "借款"))))
        parties.append(to)
    return truth(net, "frozen_asset_disposal", honest, acts, parties)


def unreported_property(net: Network, honest: bool) -> Truth:
    """An order to report property is served while the debtor held a flat or vehicle in
    the year before the execution notice. Look-alike: a debtor with no such asset."""
    tl, r = net.timeline, net.rng
    net.report_forced = True
    ev = net.add("Event", "ev", "court", name="property_report_order", date=tl.report,
                 summary=net.case_number, involved=[net.debtor, net.applicant],
                 description="报告财产令")
    if honest:
        return truth(net, "unreported_property", True, [ev], [])
    asset, own = debtor_asset(net)
    acts: list[Act] = [ev, own]
    parties = []
    if r.random() < 0.3:  # sold at market price within the year before the notice
        when = net.day(tl.notice, -300, -30)
        buyer = net.stranger()
        price = round_to(net.value(asset) * r.uniform(0.93, 1.0), 1000)
        net.convey(own, buyer, when, "sale", price)
        acts.append(_sale_payment(net, buyer, price, when, "购买款"))
        parties.append(buyer)
    return truth(net, "unreported_property", False, acts, parties)
