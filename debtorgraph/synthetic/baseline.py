"""The ordinary life around a debtor: family, friends, jobs, firms, accounts and assets.

Nothing here is suspicious. :func:`build_person_debtor` and :func:`build_company_debtor`
fill a :class:`~debtorgraph.synthetic.network.Network` and register the monthly flows and
the pairs of people that the background payment stream draws from.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from debtorgraph.synthetic import names
from debtorgraph.synthetic.network import Flow, Network
from debtorgraph.synthetic.schemes_common import monthly, round_to, years_before

log = logging.getLogger(__name__)


def _birth(net: Network, year: int) -> date:
    return date(year, net.rng.randrange(1, 13), net.rng.randrange(1, 29))


def _family(net: Network, who: str, spouse_p: float) -> None:
    """Spouse, children, parents and siblings of ``who``; their accounts and some jobs."""
    r, tl = net.rng, net.timeline
    info = net.people[who]
    if r.random() < spouse_p:
        spouse = net.person(_birth(net, info.birth.year + r.randint(-4, 3)), male=not info.male)
        wedding = _birth(net, max(info.birth.year, net.people[spouse].birth.year) + r.randint(22, 30))
        wedding = min(wedding, tl.lawsuit - timedelta(days=400))
        net.family(who, spouse, "spouse", start=wedding)
        net.kin["spouse"].append(spouse)
        for _ in range(r.choice((0, 1, 1, 2))):
            born = min(_birth(net, wedding.year + r.randint(1, 8)), tl.lawsuit - timedelta(days=200))
            child = net.person(born, surname=info.surname if info.male else None)
            net.family(who, child, "child")
            net.kin["child"].append(child)
    parents = r.choice((0, 1, 2, 2)) if info.birth.year > 1965 else r.choice((0, 0, 1))
    for n in range(parents):
        parent = net.person(_birth(net, info.birth.year - r.randint(22, 34)), male=(n == 0),
                            surname=info.surname if n == 0 else None)
        net.family(who, parent, "parent")
        net.kin["parent"].append(parent)
    for _ in range(r.choice((1, 1, 2, 3))):
        sib = net.person(_birth(net, info.birth.year + r.choice((-7, -5, -3, -2, 2, 4, 6))),
                         surname=info.surname)
        net.family(who, sib, "sibling")
        net.kin["sibling"].append(sib)
    for kind in net.kin:
        for pid in net.adults((kind,), tl.start):
            net.account(pid)
            if r.random() < 0.6:
                net.account(pid, "wechat")
            net.members.append(pid)
            net.pairs.append((who, pid))
            if r.random() < 0.45 and net.people[pid].birth.year > 1960:
                employer, eacct = net.take_employer()
                net.employ(pid, employer, eacct, years_before(net, tl.start, 1, 10),
                           round_to(r.uniform(2500, 9000), 10))


def _friends(net: Network, who: str) -> None:
    r = net.rng
    for _ in range(r.randint(2, 4)):
        friend = net.person(years=(1960, 1996))
        net.add("Associate", "assoc", "inquiry", person=who, associate=friend,
                relationship=r.choice(names.RELATIONS_ASSOC))
        net.account(friend, "wechat" if r.random() < 0.5 else "bank")
        net.friends.append(friend)
        net.members.append(friend)
        net.pairs.append((who, friend))


def _assets(net: Network, owner: str, flat_p: float, vehicle_p: float) -> None:
    tl = net.timeline
    if net.no_assets:
        return
    if net.rng.random() < flat_p:
        net.flat(owner, years_before(net, tl.lawsuit, 1.5, 12))
    if net.rng.random() < vehicle_p:
        net.vehicle(owner, years_before(net, tl.lawsuit, 1.2, 8))


def build_person_debtor(net: Network) -> str:
    """A natural-person debtor with family, friends, a job or a firm, accounts, assets."""
    r, tl = net.rng, net.timeline
    debtor = net.person(_birth(net, r.randrange(1962, 1995)), male=r.random() < 0.7)
    net.debtor = debtor
    net.account(debtor, opened=years_before(net, tl.start, 1, 10))
    if r.random() < 0.9:
        net.account(debtor, "wechat")
    if r.random() < 0.65:
        net.account(debtor, "alipay")
    net.members.append(debtor)
    _family(net, debtor, 0.75)
    _friends(net, debtor)
    if r.random() < 0.65:
        employer, eacct = net.take_employer()
        net.employ(debtor, employer, eacct, years_before(net, tl.start, 0.5, 8),
                   round_to(r.uniform(3000, 12000), 10))
    if r.random() < 0.3 and not net.no_assets:
        _own_firm(net, debtor)
    _assets(net, debtor, 0.6, 0.45)
    if not any(net.by_id[a]["schema"] == "RealEstate" for a in net.by_id) and r.random() < 0.5:
        landlord = net.stranger()
        net.flows.append(Flow(debtor, net.accounts(debtor)[0], landlord, net.accounts(landlord)[0],
                              round_to(r.uniform(600, 2500), 50), r.choice((1, 2, 3)), "房租",
                              tl.start, date(2100, 1, 1)))
    return debtor


def _own_firm(net: Network, who: str) -> str:
    r, tl = net.rng, net.timeline
    since = years_before(net, tl.lawsuit, 2, 12)
    co = net.company(since=since)
    pct = r.choice((51, 60, 70, 80, 100, 100))
    net.own(who, co, since, percentage=str(pct))
    if pct < 100:
        partner = r.choice(net.friends or net.kin["sibling"] or [net.stranger()])
        net.own(partner, co, since, percentage=str(100 - pct))
    net.add("Directorship", "dir", "registry", director=who, organization=co, role="法定代表人",
            startDate=since)
    second = net.kin["spouse"] or net.kin["sibling"]
    if second:
        net.add("Directorship", "dir", "registry", director=second[0], organization=co,
                role="监事", startDate=since)
    net.account(co, opened=since)
    net.companies.append(co)
    customer = r.choice(net.ctx.employers)
    net.flows.append(Flow(customer.id, customer.account, co, net.accounts(co)[0],
                          round_to(r.uniform(3000, 30000), 100), r.randrange(1, 28), "货款",
                          tl.start, date(2100, 1, 1)))
    net.members.append(co)
    return co


def _fixed(account: str) -> Callable[[date], str]:
    """The same account whatever the day (for :func:`monthly`)."""
    return lambda _day: account


def build_company_debtor(net: Network) -> str:
    """A company debtor with its controller, his family, a sister firm, staff and payroll."""
    r, tl = net.rng, net.timeline
    controller = net.person(_birth(net, r.randrange(1960, 1990)), male=r.random() < 0.75)
    net.controller = controller
    net.account(controller)
    net.account(controller, "wechat")
    net.members.append(controller)
    since = years_before(net, tl.lawsuit, 3, 15)
    co = net.company(since=since, capital=r.choice((1_000_000, 2_000_000, 5_000_000, 10_000_000)))
    net.debtor = co
    pct = r.choice((60, 70, 80, 100))
    net.own(controller, co, since, percentage=str(pct))
    _family(net, controller, 0.8)
    _friends(net, controller)
    if pct < 100:
        net.own(net.friends[0], co, since, percentage=str(100 - pct))
    for role in ("法定代表人", "经理"):
        net.add("Directorship", "dir", "registry", director=controller, organization=co, role=role,
                startDate=since)
    net.add("Directorship", "dir", "registry", director=r.choice(net.friends), organization=co,
            role="监事", startDate=since)
    if net.kin["sibling"]:
        net.add("Directorship", "dir", "registry", director=net.kin["sibling"][0], organization=co,
                role="董事", startDate=since)
    main = net.account(co, opened=since, bank=r.choice(names.BANKS)[0])
    net.account(co, opened=years_before(net, tl.start, 0.5, 5))
    net.members.append(co)
    sister_since = years_before(net, tl.lawsuit, 1, 8)
    sister = net.company(since=sister_since)
    net.own(controller, sister, sister_since, percentage=str(r.choice((51, 80, 100))))
    net.add("Directorship", "dir", "registry", director=controller, organization=sister,
            role="法定代表人", startDate=sister_since)
    net.account(sister, opened=sister_since)
    net.companies.append(sister)
    for _ in range(r.randint(2, 3)):
        customer = r.choice(net.ctx.employers)
        net.flows.append(Flow(customer.id, customer.account, co, main, round_to(r.uniform(5000, 40000), 100),
                              r.randrange(1, 28), "货款", tl.start, date(2100, 1, 1)))
    pay_day = r.choice((5, 10, 15))
    for _ in range(r.randint(5, 12)):
        staff = net.person(years=(1965, 2000))
        salary = round_to(r.uniform(3000, 9000), 10)
        net.employ(staff, co, main, years_before(net, tl.start, 0.3, 6), salary, explicit=True)
        net.account(staff)
        net.payroll += monthly(net, co, main, staff, _fixed(net.accounts(staff)[0]), salary,
                               tl.start, tl.end, "代发工资", day=pay_day)
    _assets(net, co, 0.3, 0.8)
    return co
