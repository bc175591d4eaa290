"""The enforcement case of a debtor: timeline, parties, debt, milestones and measures.

:func:`open_case` writes what every case has (CourtCase, CourtCaseParty, Debt, the
milestone Events). :func:`close_case` runs after the schemes: it serves the order to
report property where that keeps the truth clean, applies the ordinary measures
(freezes, seizures, the dishonest list, consumption restrictions) and records what the
debtor paid.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from debtorgraph.synthetic.network import Network, Timeline
from debtorgraph.synthetic.schemes_common import round_to, sanction

log = logging.getLogger(__name__)

FIRST_LAWSUIT = date(2021, 3, 1)
LOOK_BACK = 365  # CPL art. 252: property held in the year before the execution notice


def make_timeline(net: Network) -> Timeline:
    """Milestones of one case and the window of ordinary payments around them."""
    r = net.rng
    lawsuit = FIRST_LAWSUIT + timedelta(days=r.randint(0, 900))
    judgment = lawsuit + timedelta(days=r.randint(40, 200))
    filed = judgment + timedelta(days=r.randint(15, 150))
    notice = filed + timedelta(days=r.randint(2, 12))
    report = notice if r.random() < 0.5 else notice + timedelta(days=r.randint(1, 7))
    start = (lawsuit - timedelta(days=r.randint(380, 450))).replace(day=1)
    end = notice + timedelta(days=r.randint(330, 420))
    return Timeline(lawsuit, judgment, filed, notice, report, start, end)


def open_case(net: Network) -> None:
    """CourtCase, parties, the Debt and the milestone Events of the enforcement case."""
    r, ctx, tl = net.rng, net.ctx, net.timeline
    pick = r.random()
    if pick < 0.25:
        bank = r.choice(ctx.banks)
        net.applicant, net.applicant_account = bank.id, bank.account
    else:
        net.applicant = net.company() if pick < 0.5 else net.person(years=(1955, 1995))
        net.applicant_account = net.account(net.applicant)
    low, high = (200_000, 5_000_000) if net.controller else (30_000, 900_000)
    net.debt_amount = round_to(r.uniform(low, high), 100)
    net.case_number = ctx.case_number(tl.filed.year, "执")
    trial = ctx.case_number(tl.lawsuit.year, "民初")
    net.case = net.add("CourtCase", "case", "court", caseNumber=net.case_number,
                       court=ctx.county.court, fileDate=tl.filed, status="执行中",
                       category="首次执行", description=f"执行依据：{trial}")
    for party, role in ((net.debtor, "debtor"), (net.applicant, "applicant")):
        net.add("CourtCaseParty", "ccp", "court", party=party, case=net.case, role=role)
    net.add("Debt", "debt", "court", debtor=net.debtor, creditor=net.applicant,
            amount=net.debt_amount, currency="CNY", date=tl.judgment, summary=net.case_number)
    for name, when, note in (("lawsuit_served", tl.lawsuit, trial),
                             ("judgment_effective", tl.judgment, trial),
                             ("enforcement_filed", tl.filed, None),
                             ("execution_notice", tl.notice, None)):
        _event(net, name, when, note)


def _event(net: Network, name: str, when: date, description: str | None = None) -> str:
    return net.add("Event", "ev", "court", name=name, date=when, summary=net.case_number,
                   involved=[net.debtor, net.applicant], description=description)


def held_in_look_back(net: Network) -> bool:
    """Did the debtor own a flat, vehicle or stake (not an account, not a lease) at any
    time in the year before the execution notice?"""
    tl = net.timeline
    since = (tl.notice - timedelta(days=LOOK_BACK)).isoformat()
    for ent in net.entities:
        p = ent["properties"]
        if ent["schema"] != "Ownership" or p["owner"][0] != net.debtor:
            continue
        asset = net.by_id.get(p["asset"][0])
        if (asset is not None and asset["schema"] == "BankAccount") or p.get("legalBasis") == ["lease"]:
            continue
        if p.get("startDate", [""])[0] <= tl.notice.isoformat() and \
                p.get("endDate", ["9999"])[0] >= since:
            return True
    return False


def close_case(net: Network, pays_in_full: bool) -> None:
    """Report order, ordinary measures, what the debtor paid, the outcome of the case."""
    r, ctx, tl = net.rng, net.ctx, net.timeline
    if not net.report_forced and not held_in_look_back(net):
        _event(net, "property_report_order", tl.report, "报告财产令")
    paid = 0.0
    if pays_in_full or r.random() < 0.3:
        share = 1.0 if pays_in_full else r.uniform(0.05, 0.4)
        parts = r.randint(1, 4)
        for n in range(parts):
            when = net.day(tl.notice, 5 + 40 * n, 30 + 40 * n)
            to_court = r.random() < 0.5
            amount = round(net.debt_amount * share / parts, 2)
            net.pay(net.debtor, net.paying_account(net.debtor, when),
                    ctx.court if to_court else net.applicant,
                    ctx.court_account if to_court else net.applicant_account,
                    amount, net.at(when), f"执行款{net.case_number}" if to_court else "还款")
            paid += amount
    if not pays_in_full:
        _measures(net)
    if pays_in_full:
        status = "执行完毕"
    elif r.random() < 0.45:
        status = "终结本次执行"
        _event(net, "termination", net.day(tl.notice, 200, 320), "终结本次执行程序")
    else:
        status = "执行中"
    net.set_prop(net.case, "status", status)
    if not pays_in_full and r.random() < 0.5:
        net.add("Debt", "debt", "court", debtor=net.debtor, creditor=net.applicant,
                amount=round(net.debt_amount - paid, 2), currency="CNY",
                date=net.day(tl.notice, 60, 250), summary=net.case_number, description="balance")


def _measures(net: Network) -> None:
    """Ordinary freezes, seizures and listings on what no scheme uses."""
    r, tl = net.rng, net.timeline
    if r.random() < 0.45:
        start = net.day(tl.notice, 3, 40)
        for acct in net.accounts(net.debtor):
            if acct not in net.frozen and acct not in net.touched and not _pays_out(net, acct, start):
                sanction(net, "freeze", acct, start, None)
                break
    if r.random() < 0.5:
        for ent in list(net.entities):
            p = ent["properties"]
            if ent["schema"] == "Ownership" and p["owner"][0] == net.debtor and "endDate" not in p \
                    and p["asset"][0] not in net.touched \
                    and net.by_id.get(p["asset"][0], {}).get("schema") in ("RealEstate", "Vehicle"):
                sanction(net, "seizure", p["asset"][0], net.day(tl.notice, 5, 45), None)
                break
    if "consumption_restriction" not in net.sanctions and r.random() < 0.5:
        start = net.day(tl.notice, 15, 90)
        sanction(net, "consumption_restriction", net.debtor, start, None)
        if r.random() < 0.6:
            sanction(net, "dishonest_listing", net.debtor, start, None)


def _pays_out(net: Network, account: str, since: date) -> bool:
    """Does any planted payment leave ``account`` on or after ``since``?"""
    s = since.isoformat()
    return any(p.props.get("payerAccount") == [account] and p.when[:10] >= s for p in net.planted)
