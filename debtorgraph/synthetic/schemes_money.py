"""Planted schemes that move money (Payments) and their honest look-alikes.

Each function plants one scheme (``honest=False``) or its look-alike (``honest=True``) in
a debtor's network and returns the truth row. Payments are :class:`Pending` until the
background stream writes them in date order.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from debtorgraph.synthetic.network import Network, Pending
from debtorgraph.synthetic.schemes_common import (Act, Truth, after_duty, ensure_spouse, holder, monthly,
                                                  relative, round_to, sanction, truth)

log = logging.getLogger(__name__)

FAN_OUT_LIMIT = 50_000  # transfers to individuals of 50,000 or more draw a large-value report


def _out(net: Network, to: str, amount: float, when: date, purpose: str,
         account: str | None = None) -> Pending:
    """A payment from the debtor (from an account not frozen that day) to ``to``."""
    src = account or net.paying_account(net.debtor, when)
    return net.pay(net.debtor, src, to, net.accounts(to)[0], amount, net.at(when), purpose)


def related_party_payment(net: Network, honest: bool) -> Truth:
    """Large transfers straight from the debtor to a relative or associate after the duty
    arose. Look-alike: paying the applicant or the court, or small household amounts."""
    tl, r = net.timeline, net.rng
    acts: list[Act] = []
    parties: list[str] = []
    first = after_duty(net, span=120)
    if not honest:
        pool = net.adults(("sibling", "parent", "child", "spouse"), first)
        pool += [net.controller] if net.controller else net.friends
        pool = pool or [relative(net, first)]
        for _ in range(r.randint(1, 3)):
            to = r.choice(pool)
            acts.append(_out(net, to, round_to(r.uniform(50_000, 450_000), 1000),
                             net.day(first, 0, 20), r.choice(("转账", "借款", "往来款", "还款"))))
            parties.append(to)
    elif r.random() < 0.5:
        first = net.day(tl.notice, 2, 90)
        total = min(net.debt_amount, round_to(r.uniform(50_000, 300_000), 1000))
        for n in range(r.randint(1, 3)):
            if r.random() < 0.5:
                to, acct, why = net.applicant, net.applicant_account, "还款"
            else:
                to, acct, why = net.ctx.court, net.ctx.court_account, f"执行款{net.case_number}"
            when = net.day(first, 30 * n, 30 * n + 10)
            acts.append(net.pay(net.debtor, net.paying_account(net.debtor, when), to, acct,
                                round_to(total / 3, 100), net.at(when), why))
            parties.append(to)
    else:
        kin = net.adults(("parent", "child", "sibling"), first) or [relative(net, first)]
        for n in range(r.randint(3, 6)):
            to = r.choice(kin)
            acts.append(_out(net, to, round_to(r.uniform(300, 3000), 50), net.day(first, 30 * n, 30 * n + 5),
                             r.choice(("生活费", "学费", "医药费", "过节费"))))
            parties.append(to)
    return truth(net, "related_party_payment", honest, acts, parties)


def layered_transfer(net: Network, honest: bool) -> Truth:
    """Money leaves the debtor through 2-3 friends' accounts within days and lands with a
    relative, a company the debtor controls, or back in his other account. Look-alike: a
    chain of unrelated commercial payments."""
    tl, r = net.timeline, net.rng
    when = net.day(tl.judgment, 5, 200)
    if honest:
        hops = [_stranger_company(net) for _ in range(3)]
        amount = round_to(r.uniform(60_000, 400_000), 100)
        acts, payer, src = [], net.debtor, net.paying_account(net.debtor, when)
        stamp = net.at(when)
        for to, why in zip(hops, ("货款", "材料款", "运输费")):
            acts.append(net.pay(payer, src, to, net.accounts(to)[0], amount, stamp, why))
            payer, src = to, net.accounts(to)[0]
            amount = round_to(amount * r.uniform(0.2, 0.6), 100)
            stamp = net.later(stamp, 12 * 60, 3 * 24 * 60)
        return truth(net, "layered_transfer", True, acts, [hops[-1]])
    mids = []
    for _ in range(r.randint(2, 3)):
        if r.random() < 0.25:  # known only by the name on the statement
            statement = net.account_doc[net.accounts(net.debtor)[0]]
            le = net.add("LegalEntity", "le", statement, name=_name(net), country="cn")
            net.account(le)
            mids.append(le)
        else:
            mids.append(net.stranger())
    end_kind = r.random()
    if end_kind < 0.15:
        final, final_acct = net.debtor, net.account(net.debtor, "alipay" if r.random() < 0.5 else "bank",
                                                   opened=when - timedelta(days=r.randint(20, 300)))
    elif end_kind < 0.4:
        final = _controlled_company(net, when)
        final_acct = net.accounts(final)[0]
    else:
        final = relative(net, when, ("sibling", "parent", "child", "spouse"))
        final_acct = net.accounts(final)[0]
    amount = round_to(r.uniform(100_000, 800_000), 100)
    acts, payer, src = [], net.debtor, net.paying_account(net.debtor, when)
    stamp = net.at(when, 9, 16)
    for to, acct in [(m, net.accounts(m)[0]) for m in mids] + [(final, final_acct)]:
        acts.append(net.pay(payer, src, to, acct, amount, stamp,
                            r.choice(("转账", "借款", "往来款", "货款"))))
        payer, src = to, acct
        if r.random() < 0.5:
            amount = round_to(amount - r.uniform(0, 5000), 100)
        stamp = net.later(stamp, 20, 2 * 24 * 60)  # the next hop within two days
    return truth(net, "layered_transfer", False, acts, [final])


def _name(net: Network) -> str:
    from debtorgraph.synthetic import names
    r = net.rng
    return r.choice(names.SURNAMES) + r.choice(names.GIVEN_MALE + names.GIVEN_FEMALE)


def _stranger_company(net: Network) -> str:
    co = net.company()
    net.account(co)
    return co


def _controlled_company(net: Network, on: date) -> str:
    """A company the debtor (or the firm's controller) controls on ``on``."""
    for co in net.companies:
        return co
    who = holder(net)
    since = on - timedelta(days=net.rng.randint(400, 3000))
    co = net.company(since=since)
    net.own(who, co, since, percentage=str(net.rng.choice((51, 70, 90, 100))))
    net.add("Directorship", "dir", "registry", director=who, organization=co, role="法定代表人",
            startDate=since)
    net.account(co, opened=since)
    net.companies.append(co)
    return co


def fan_out(net: Network, honest: bool) -> Truth:
    """Many transfers just under 50,000 to different accounts within days after the
    execution notice. Look-alike: a company debtor's monthly payroll to its employees."""
    tl, r = net.timeline, net.rng
    if honest:
        acts = [p for p in net.payroll if p.when[:10] > tl.notice.isoformat()]
        parties = [p.props["beneficiary"][0] for p in acts]
        return truth(net, "fan_out", True, acts, parties)
    first = net.day(tl.notice, 1, 25)
    fixed = r.random() < 0.5
    base = round_to(r.uniform(45_000, 49_900), 1000 if fixed else 10)
    base = min(base, FAN_OUT_LIMIT - 1000) if fixed else base
    src = net.paying_account(net.debtor, first)
    acts, parties = [], []
    for _ in range(r.randint(6, 12)):
        # strangers' accounts: a transfer this size to kin would also be a related-party one
        to = net.stranger() if not parties or r.random() < 0.7 else r.choice(parties)
        amount = base if fixed else round_to(r.uniform(45_000, FAN_OUT_LIMIT - 10), 10)
        acct = net.account(to) if to in parties else net.accounts(to)[0]
        acts.append(net.pay(net.debtor, src, to, acct, amount, net.at(net.day(first, 0, 3)), "转账"))
        parties.append(to)
    return truth(net, "fan_out", False, acts, parties)


def cash_out(net: Network, honest: bool) -> Truth:
    """A large inflow then cash withdrawals of most of it within days, after the execution
    notice. Look-alike: small ATM withdrawals before the lawsuit."""
    tl, r = net.timeline, net.rng
    if honest:
        acts = []
        when = net.day(tl.lawsuit, -330, -210)  # 8 steps of at most 25 days end before it
        acct = net.paying_account(net.debtor, when)
        for _ in range(r.randint(4, 8)):
            acts.append(net.cash(net.debtor, acct, round_to(r.uniform(200, 3000), 100),
                                 net.at(when, 7, 23), r.choice(("ATM取款", "ATM取现"))))
            when = net.day(when, 3, 25)
        return truth(net, "cash_out", True, acts, [net.debtor])
    when = net.day(tl.notice, 2, 120)
    acct = net.paying_account(net.debtor, when)
    source = _stranger_company(net) if r.random() < 0.6 else net.stranger()
    total = round_to(r.uniform(150_000, 900_000), 1000)
    acts = [net.pay(source, net.accounts(source)[0], net.debtor, acct, total, net.at(when, 9, 12),
                    r.choice(("货款", "工程款", "转账", "还款")))]
    left = total * r.uniform(0.85, 1.0)
    while left >= 5_000:
        part = min(left, round_to(r.uniform(20_000, 200_000), 1000))
        acts.append(net.cash(net.debtor, acct, part, net.at(when, 12, 17),
                             r.choice(("取现", "现金支取", "柜台取款 现金"))))
        left -= part
        when = net.day(when, 0, 2)
    return truth(net, "cash_out", False, acts, [net.debtor])


def consumption_breach(net: Network, honest: bool) -> Truth:
    """After a consumption restriction: flights, five-star hotels, G-trains. Look-alike:
    budget hotels and second class on D-trains after it, or flights before it."""
    tl, r, ctx = net.timeline, net.rng, net.ctx
    start = net.day(tl.notice, 10, 60)
    sanc = sanction(net, "consumption_restriction", net.debtor, start, None)
    acts: list[Act] = [sanc]
    parties: list[str] = []
    for _ in range(r.randint(2, 5)):
        when = net.day(start, 3, 200)
        kind = r.randrange(3)
        if not honest:
            if kind == 0:
                m, amount = r.choice(ctx.airlines), r.uniform(600, 3500)
                why = f"机票 {_route(net)} 航空"
            elif kind == 1:
                m, amount, why = ctx.luxury_hotel, r.uniform(1200, 5000), "五星级酒店 住宿费"
            else:
                m, amount = ctx.railway, r.uniform(300, 1500)
                why = f"高铁 G{r.randrange(1, 9999)} {r.choice(('一等座', '商务座', '二等座'))}"
        elif kind == 0:
            m, amount, why = ctx.budget_hotel, r.uniform(120, 280), "快捷酒店 住宿费"
        elif kind == 1:
            m, amount = ctx.railway, r.uniform(40, 300)
            why = f"动车 D{r.randrange(1, 9999)} 二等座"
        else:
            m, amount = r.choice(ctx.airlines), r.uniform(500, 2500)
            when = net.day(start, -300, -10)
            why = f"机票 {_route(net)} 航空"
        src = net.paying_account(net.debtor, when)
        acts.append(net.pay(net.debtor, src, m.id, m.account, round(amount, 2), net.at(when), why))
        parties.append(m.id)
    return truth(net, "consumption_breach", honest, acts, parties)


def _route(net: Network) -> str:
    from debtorgraph.synthetic import names
    a, b = net.rng.sample(names.CITIES, 2)
    return f"{a}-{b}"


def diverted_income(net: Network, honest: bool) -> Truth:
    """After a freeze on the debtor's account his salary (or a customer's payments) goes to
    a relative's account. Look-alike: the spouse's own salary into her own account."""
    tl, r = net.timeline, net.rng
    acct = net.accounts(net.debtor)[0]
    start = net.day(tl.notice, 3, 60)
    sanc = sanction(net, "freeze", acct, start, None)
    net.touched.add(acct)
    tl_start, tl_end = tl.start, tl.end
    if honest:
        spouse = ensure_spouse(net)
        employer, eacct = net.take_employer()
        salary = round_to(r.uniform(2500, 9000), 10)
        net.employ(spouse, employer, eacct, tl_start - timedelta(days=400), salary, explicit=True)
        pays = monthly(net, employer, eacct, spouse, lambda d: net.accounts(spouse)[0], salary,
                        tl_start, tl_end, "工资")
        after = [p for p in pays if p.when[:10] > start.isoformat()]
        return truth(net, "diverted_income", True, [sanc, *after], [spouse])
    kin = relative(net, start, ("spouse", "parent", "sibling", "child"))
    kin_acct = net.accounts(kin)[0]
    job = net.jobs.get(net.debtor)
    if job is not None:
        payer, pacct, amount = job
        why = "工资"
    elif r.random() < 0.65:
        payer, pacct = net.take_employer()
        amount, why = round_to(r.uniform(3000, 15000), 10), "工资"
        net.employ(net.debtor, payer, pacct, tl_start - timedelta(days=600), amount, explicit=True)
    else:  # a regular customer of the debtor's business
        payer = _stranger_company(net)
        pacct = net.accounts(payer)[0]
        amount, why = round_to(r.uniform(8000, 60000), 100), "货款"
    _drop_salary(net, net.debtor)
    pays = monthly(net, payer, pacct, net.debtor,
                    lambda d: kin_acct if d > start else acct, amount, tl_start, tl_end, why)
    moved = [p for p in pays if p.props["beneficiaryAccount"][0] == kin_acct]
    for p in moved:
        p.props["beneficiary"] = [kin]
    return truth(net, "diverted_income", False, [sanc, *moved], [kin])


def _drop_salary(net: Network, person: str) -> None:
    net.flows = [f for f in net.flows if f.beneficiary != person]
