"""Planted schemes around court papers: defying an assistance notice, sham litigation.

Each function plants one scheme (``honest=False``) or its look-alike (``honest=True``) in
a debtor's network and returns the truth row.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from debtorgraph.synthetic.network import Network
from debtorgraph.synthetic.schemes_common import (Truth, monthly, relative, round_to, truth,
                                                  years_before)

log = logging.getLogger(__name__)


def assisting_unit_payment(net: Network, honest: bool) -> Truth:
    """The employer is served an assistance notice (协助执行通知书) and keeps paying the
    debtor's salary after it. Look-alike: the salary paid before the notice day, and
    after it withheld and remitted to the court's enforcement account."""
    tl, r, ctx = net.timeline, net.rng, net.ctx
    job = net.jobs.get(net.debtor)
    if job is None:
        employer, eacct = net.take_employer()
        salary = round_to(r.uniform(3000, 12000), 10)
        net.employ(net.debtor, employer, eacct, years_before(net, tl.start, 0.5, 6), salary,
                   explicit=True)
    else:
        employer, eacct, salary = job
    net.flows = [f for f in net.flows if f.beneficiary != net.debtor]
    pay_day = r.choice((5, 10, 15, 20))
    notice = net.day(tl.notice, 10, 60)
    if notice.day == pay_day:
        notice += timedelta(days=1)
    net.add("CourtCaseParty", "ccp", "court", party=employer, case=net.case, role="assisting_unit")
    ev = net.add("Event", "ev", "court", name="assistance_notice", date=notice,
                 summary=net.case_number, involved=[employer, net.debtor],
                 description="协助执行通知书：扣留、提取被执行人收入")
    acct = net.accounts(net.debtor)[0]
    end = tl.end if not honest else notice
    pays = monthly(net, employer, eacct, net.debtor, lambda d: acct, salary, tl.start, end, "工资",
                   day=pay_day)
    after = [p for p in pays if p.when[:10] > notice.isoformat()]
    if not honest:
        return truth(net, "assisting_unit_payment", False, [ev, *after], [net.debtor])
    before = [p for p in pays if p.when[:10] < notice.isoformat()][-3:]
    remitted = monthly(net, employer, eacct, ctx.court, lambda d: ctx.court_account,
                       round_to(salary * 0.5, 10), notice + timedelta(days=1),
                       min(tl.end, notice + timedelta(days=240)), f"协助执行扣划工资{net.case_number}",
                       day=pay_day)
    return truth(net, "assisting_unit_payment", True, [ev, *before, *remitted], [net.debtor])


def sham_litigation(net: Network, honest: bool) -> Truth:
    """Right after the applicant's lawsuit a relative sues the debtor and gets an effective
    judgment (often a mediation) within weeks. Look-alike: an older genuine suit by a bank."""
    tl, r, ctx = net.timeline, net.rng, net.ctx
    if honest:
        filed = years_before(net, tl.lawsuit, 0.8, 3)
        plaintiff = r.choice(ctx.banks).id
        effective = net.day(filed, 60, 220)
        amount = round_to(r.uniform(30_000, 500_000), 1000)
        cause = "金融借款合同纠纷"
    else:
        filed = net.day(tl.lawsuit, 3, 40)
        plaintiff = relative(net, filed, ("sibling", "parent", "child"))
        effective = net.day(filed, 7, 35)
        amount = round_to(max(net.debt_amount * r.uniform(0.8, 2.5), r.uniform(150_000, 900_000)), 1000)
        cause = "民间借贷纠纷"
    number = ctx.case_number(filed.year, "民初")
    case = net.add("CourtCase", "case", "court", caseNumber=number, court=ctx.county.court,
                   fileDate=filed, closeDate=effective, status="已结案", category="民事",
                   summary=cause, description="调解结案" if not honest and r.random() < 0.7 else "判决")
    party = net.add("CourtCaseParty", "ccp", "court", party=plaintiff, case=case, role="applicant")
    net.add("CourtCaseParty", "ccp", "court", party=net.debtor, case=case, role="debtor")
    debt = net.add("Debt", "debt", "court", debtor=net.debtor, creditor=plaintiff, amount=amount,
                   currency="CNY", date=effective, summary=number)
    for name, when in (("lawsuit_served", net.day(filed, 1, 5)), ("judgment_effective", effective)):
        net.add("Event", "ev", "court", name=name, date=when, summary=number,
                involved=[net.debtor, plaintiff])
    return truth(net, "sham_litigation", honest, [case, debt, party], [plaintiff])
