"""Honest look-alikes (domain.md section 7, first table) and ordinary background activity.

A look-alike looks like evasion on one signal and carries the fact that clears it.
Each returns a truth row (``type`` ``lookalike``) or None when the debtor lacks what it needs.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from .cases import END, Debtor, assistance_notice, later, seize
from .world import World, years_after

Row = dict[str, Any]


def _row(kind: str, acts: list[str], note: str = "") -> Row:
    return {"type": "lookalike", "kind": kind, "acts": acts, "note": note}


def _take(d: Debtor, *items: str) -> str | None:
    for item in items:
        if getattr(d, item) and item not in d.used:
            d.used.add(item)
            return item
    return None


def court_auction(w: World, d: Debtor) -> Row | None:
    item = _take(d, "flat", "car")
    if not item:
        return None
    asset, own, value = getattr(d, item)
    seized = later(w, d.case.notice, 5, 40)
    seize(w, d, asset, seized)
    day = later(w, seized, 120, 300)
    buyer = w.person(d.area, full=False)
    price = round(value * w.rng.uniform(0.7, 0.95), -2)
    new = w.convey(own, buyer, day, "auction", price)
    paid = w.pay(buyer, w.courts[d.court], price, later(w, day, -10, 0), "司法拍卖成交款",
                 w.acct(buyer), w.court_account[d.court])
    return _row("court_auction", [own, new, paid])


def consented_sale(w: World, d: Debtor) -> Row | None:
    item = _take(d, "flat", "car")
    if not item:
        return None
    asset, own, value = getattr(d, item)
    seized = later(w, d.case.notice, 5, 40)
    seize(w, d, asset, seized)
    day = later(w, seized, 30, 200)
    buyer = w.person(d.area, full=False)
    price = round(value * w.rng.uniform(0.95, 1.05), -2)
    new = w.convey(own, buyer, day, "sale", price)
    paid = w.pay(buyer, w.courts[d.court], price, later(w, day, 0, 2), f"购买查封财产价款 代{w.entities[d.id]['properties']['name'][0]}付执行款",
                 w.acct(buyer), w.court_account[d.court])
    return _row("consented_sale", [own, new, paid])


def kin_sale_price_to_court(w: World, d: Debtor) -> Row | None:
    kin = d.kin.get("sibling") or d.kin.get("parent")
    if d.company or not kin:
        return None
    item = _take(d, "flat", "car")
    if not item:
        return None
    asset, own, value = getattr(d, item)
    day = later(w, d.case.effective, 10, 150)
    price = round(value * w.rng.uniform(0.85, 0.97), -2)
    new = w.convey(own, kin, day, "sale", price)
    paid = w.transfer(kin, d.id, price, later(w, day, 0, 2), "购房款" if item == "flat" else "购车款")
    court = w.pay(d.id, w.courts[d.court], price, later(w, day, 2, 6), "履行执行款", w.acct(d.id), w.court_account[d.court])
    return _row("kin_sale_price_to_court", [own, new, paid, court])


def divorce_share_to_court(w: World, d: Debtor) -> Row | None:
    sp = d.kin.get("spouse")
    if d.company or not sp or not d.marriage or "marriage" in d.used or not _take(d, "flat"):
        return None
    d.used.add("marriage")
    asset, own, value = d.flat  # type: ignore[misc]
    day = later(w, d.case.served, 30, 200)
    w.set(d.marriage, "endDate", day.isoformat())
    new = w.convey(own, sp, later(w, day, 0, 15), "divorce", round(value / 2, -2))
    paid = w.pay(sp, w.courts[d.court], round(value / 2, -2), later(w, day, 10, 40), "代被执行人缴纳执行款（离婚析产折价款）",
                 w.acct(sp), w.court_account[d.court])
    return _row("divorce_share_to_court", [d.marriage, own, new, paid])


def divorce_nothing_moved(w: World, d: Debtor) -> Row | None:
    if d.company or not d.marriage or "marriage" in d.used:
        return None
    d.used.add("marriage")
    w.set(d.marriage, "endDate", later(w, d.case.served, 20, 300).isoformat())
    return _row("divorce_nothing_moved", [d.marriage])


def genuine_kin_suit(w: World, d: Debtor) -> Row | None:
    from .cases import case_number, variant
    kin = d.kin.get("sibling") or d.kin.get("parent")
    if d.company or not kin:
        return None
    lent = d.case.served - timedelta(days=w.rng.randint(700, 1500))
    amount = w.rng.randrange(10, 60) * 10_000
    loan = w.transfer(kin, d.id, amount, lent, "借款")
    served = later(w, d.case.served, 30, 200)
    effective = later(w, served, 150, 330)
    number = case_number(w, d, effective.year)
    cid = w.emit("CourtCase", {"caseNumber": number, "court": d.court, "fileDate": later(w, effective, 20, 60).isoformat(),
                               "status": "执行中", "description": "民事判决书"}, "court")
    w.emit("CourtCaseParty", {"party": d.id, "case": cid, "role": "debtor"}, "court", link=True)
    w.emit("CourtCaseParty", {"party": kin, "case": cid, "role": "applicant"}, "court", link=True)
    debt = w.emit("Debt", {"debtor": d.id, "creditor": kin, "amount": str(amount), "date": effective.isoformat(),
                           "summary": variant(w, number)}, "court", link=True)
    trial = case_number(w, d, served.year, "民初")
    for name, day in (("lawsuit_served", served), ("judgment_effective", effective)):
        w.emit("Event", {"name": name, "date": day.isoformat(), "summary": variant(w, number), "involved": [d.id, kin],
                         "description": trial}, "court", link=True)
    return _row("genuine_kin_suit", [cid, debt, loan], "loan paid years before, normal trial")


def kin_round_trip(w: World, d: Debtor) -> Row | None:
    kin = d.kin.get("sibling") or d.kin.get("parent") or d.kin.get("spouse") or d.controller
    if not kin:
        return None
    day = later(w, d.case.effective, 10, 300)
    amount = w.rng.randrange(20_000, 90_000)
    if w.rng.random() < 0.5:
        a = w.transfer(d.id, kin, amount, day, "转账")
        b = w.transfer(kin, d.id, amount, later(w, day, 1, 6), "还款")
    else:
        a = w.transfer(kin, d.id, amount, day, "借款")
        b = w.transfer(d.id, kin, amount, later(w, day, 1, 6), "还款")
    return _row("kin_round_trip", [a, b])


def loan_repaid(w: World, d: Debtor) -> Row | None:
    lender = w.company(d.area, f"{w.rng.choice(('德', '信', '诚'))}{w.rng.choice(('盈', '和', '汇'))}商贸有限公司")
    day = later(w, d.case.effective, 10, 300)
    amount = w.rng.randrange(50_000, 300_000)
    a = w.transfer(lender, d.id, amount, day, "借款")
    b = w.transfer(d.id, lender, amount * 1.005, later(w, day, 2, 9), "还借款本息")
    return _row("loan_repaid", [a, b])


def lookback_market_sale(w: World, d: Debtor) -> Row | None:
    item = _take(d, "car", "flat")
    if not item:
        return None
    asset, own, value = getattr(d, item)
    day = max(d.case.notice - timedelta(days=w.rng.randint(30, 330)), d.case.served - timedelta(days=300))
    buyer = w.person(d.area, full=False)
    price = round(value * w.rng.uniform(0.95, 1.08), -2)
    new = w.convey(own, buyer, day, "sale", price)
    paid = w.transfer(buyer, d.id, price, later(w, day, -3, 0), "购车款" if item == "car" else "房款")
    return _row("lookback_market_sale", [own, new, paid], "market price to a stranger in the look-back year")


def sale_after_lifted(w: World, d: Debtor) -> Row | None:
    item = _take(d, "car", "flat")
    if not item:
        return None
    asset, own, value = getattr(d, item)
    seized = later(w, d.case.notice, 5, 30)
    lifted = later(w, seized, 30, 120)
    seize(w, d, asset, seized, lifted)
    buyer = w.person(d.area, full=False)
    day = later(w, lifted, 10, 90)
    price = round(value * w.rng.uniform(0.95, 1.05), -2)
    new = w.convey(own, buyer, day, "sale", price)
    paid = w.transfer(buyer, d.id, price, day, "购车款" if item == "car" else "购房款")
    return _row("sale_after_lifted", [own, new, paid], "seizure lifted before the sale")


def lease_market_kin(w: World, d: Debtor) -> Row | None:
    kin = d.kin.get("sibling") or d.kin.get("parent")
    if d.company or not kin or not _take(d, "flat"):
        return None
    asset, own, value = d.flat  # type: ignore[misc]
    day = later(w, d.case.effective, 10, 200)
    rent = round(value * w.rng.uniform(0.028, 0.035), -2)
    lease = w.own(kin, asset, day, w.docs_of(own), "lease", rent, lease_end=years_after(day, 3))
    acts = [lease] + [w.transfer(kin, d.id, rent / 12, min(day + timedelta(days=30 * k), END), "房租")
                      for k in range(0, 12, w.rng.choice((1, 3)))]
    return _row("lease_market_kin", acts, "market rent, paid")


def lease_stranger_under(w: World, d: Debtor) -> Row | None:
    if not _take(d, "flat"):
        return None
    asset, own, value = d.flat  # type: ignore[misc]
    day = later(w, d.case.effective, 10, 200)
    tenant = w.person(d.area, full=False)
    rent = round(value * w.rng.uniform(0.022, 0.027), -2)
    lease = w.own(tenant, asset, day, w.docs_of(own), "lease", rent, lease_end=years_after(day, 2))
    return _row("lease_stranger_under", [lease], "a stranger somewhat under market")


def kin_job_at_employer(w: World, d: Debtor, salary: dict[str, float]) -> Row | None:
    kin = d.kin.get("sibling") or d.kin.get("spouse")
    if d.company or not kin or not d.employer or "employer" in d.used or d.id not in salary:
        return None
    d.used.add("employer")  # the debtor's own salary keeps reaching the debtor's account (background)
    w.emit("Employment", {"employer": d.employer, "employee": kin, "role": "职员", "startDate": "2014-03-01"}, "market", link=True)
    acts = []
    first = date(2019, 1, 15)
    for k in range(0, (END - first).days // 31):
        when = first + timedelta(days=31 * k)
        pid = w.transfer(d.employer, kin, w.rng.randrange(4_000, 9_000) + 0.37, when, "代发工资")
        if when > d.case.notice and len(acts) < 8:
            acts.append(pid)
    return _row("kin_job_at_employer", acts, "the relative's own long-standing salary")


def employer_complied(w: World, d: Debtor, salary: dict[str, float]) -> Row | None:
    if d.company or not d.employer or "employer" in d.used or d.id not in salary:
        return None
    d.used.update(("employer", "salary_stops"))
    day = later(w, d.case.notice, 5, 40)
    assistance_notice(w, d, d.employer, day)
    acts = []
    for k in range(w.rng.randint(3, 8)):
        when = min(date(day.year, day.month, 10) + timedelta(days=31 * (k + 1)), END)
        acts.append(w.pay(d.employer, w.courts[d.court], round(salary[d.id] * 0.5, 2), when, "协助执行 扣划工资",
                          w.acct(d.employer), w.court_account[d.court]))
    d.salary_stop = day
    return _row("employer_complied", acts, "after the assistance notice the employer pays the court")


def travel_allowed(w: World, d: Debtor) -> Row | None:
    c = d.case
    if d.company or not c.restrict_sanction or "restriction" in d.used:
        return None
    d.used.add("restriction")
    acts = []
    kin = d.kin.get("sibling") or d.kin.get("spouse")
    if kin:
        name = w.entities[kin]["properties"]["name"][0]
        acts.append(w.pay(kin, w.counterparty("中国南方航空"), 1280.0, later(w, c.restrict, 10, 200), f"机票 乘机人:{name}",
                          payer_acct=w.acct(kin)))
    acts.append(w.pay(d.id, w.counterparty("中国铁路12306"), 146.5, later(w, c.restrict, 10, 200), "D5102次 二等座",
                      payer_acct=w.acct(d.id)))
    acts.append(w.pay(d.id, w.counterparty("中国东方航空"), 980.0, c.restrict - timedelta(days=w.rng.randint(20, 200)),
                      "机票 成都-昆明", payer_acct=w.acct(d.id)))
    # after the order was lifted only when no other case's order binds him (seed 36: a second
    # case's restriction still held, so that flight was a real breach, rightly flagged)
    if w.rng.random() < 0.5 and sum(1 for x in d.cases if x.restrict_sanction) == 1:
        lifted = later(w, c.restrict, 60, 200)
        w.set(c.restrict_sanction, "endDate", lifted.isoformat())
        acts.append(w.pay(d.id, w.counterparty("中国国际航空"), 1650.0, later(w, lifted, 5, 60), "机票 北京-成都",
                          payer_acct=w.acct(d.id)))
    return _row("travel_allowed", acts)


def payroll(w: World, d: Debtor) -> Row | None:
    if not d.company:
        return None
    staff = [w.person(d.area, full=False) for _ in range(w.rng.randint(8, 20))]
    for s in staff:
        w.emit("Employment", {"employer": d.id, "employee": s, "startDate": "2018-05-01"}, "market", link=True)
    acts = []
    for m in range(18):
        day = d.case.served - timedelta(days=200) + timedelta(days=31 * m)
        for s in staff:
            pid = w.transfer(d.id, s, w.rng.randrange(3_500, 8_000) + 0.5, day, "代发工资")
            if day > d.case.effective and len(acts) < 10:
                acts.append(pid)
    return _row("payroll", acts, "many modest salaries, monthly")


LOOKALIKES: list[tuple[str, Callable[..., Row | None]]] = [
    ("court_auction", court_auction), ("consented_sale", consented_sale),
    ("kin_sale_price_to_court", kin_sale_price_to_court), ("divorce_share_to_court", divorce_share_to_court),
    ("divorce_nothing_moved", divorce_nothing_moved), ("genuine_kin_suit", genuine_kin_suit),
    ("kin_round_trip", kin_round_trip), ("loan_repaid", loan_repaid), ("lookback_market_sale", lookback_market_sale),
    ("sale_after_lifted", sale_after_lifted), ("lease_market_kin", lease_market_kin),
    ("lease_stranger_under", lease_stranger_under), ("kin_job_at_employer", kin_job_at_employer),
    ("employer_complied", employer_complied),
    ("travel_allowed", travel_allowed), ("payroll", payroll)]


def background(w: World, d: Debtor, salary: dict[str, float]) -> None:
    """Years of ordinary life before and during the case: salary, rent, shopping, family support."""
    r = w.rng
    first = w.start + timedelta(days=r.randint(0, 200))
    months = (END - first).days // 31
    shops = [w.counterparty(n) for n in r.sample(["美团外卖", "永辉超市", "京东商城", "中石化加油站", "沃尔玛", "红旗连锁"], 3)]
    if d.company:
        customers = [w.counterparty(f"客户{n}") for n in r.sample("甲乙丙丁戊", 3)]
        for m in range(months):
            day = first + timedelta(days=31 * m)
            for c in customers:
                if r.random() < 0.6:
                    w.pay(c, d.id, r.randrange(20_000, 120_000) + r.random(), day + timedelta(days=r.randint(0, 20)),
                          "货款", payee_acct=w.acct(d.id))
            w.transfer(d.id, d.controller, r.randrange(8_000, 20_000), day, "工资")
        return
    landlord = w.counterparty(f"房东-{w.name()}") if not d.flat and r.random() < 0.6 else None
    rent = r.randrange(1_500, 3_500)
    stop = (d.salary_stop or d.case.notice) if d.used & {"salary_after_notice", "salary_stops"} else END
    for m in range(months):
        day = first + timedelta(days=31 * m)
        if d.id in salary and day.replace(day=10) < stop:
            w.transfer(d.employer, d.id, salary[d.id] * r.uniform(0.97, 1.05), day.replace(day=10), "代发工资")
        if "parent" in d.kin and r.random() < 0.7:
            w.transfer(d.id, d.kin["parent"], r.choice((500, 800, 1000, 1500)), day + timedelta(days=2), "生活费")
        if "spouse" in d.kin and r.random() < 0.5:
            w.transfer(d.kin["spouse"], d.id, r.randrange(1_000, 4_000), day + timedelta(days=5), "家用")
        if landlord:
            w.pay(d.id, landlord, rent, day + timedelta(days=1), "房租", payer_acct=w.acct(d.id))
        for _ in range(r.randint(1, 4)):
            w.pay(d.id, r.choice(shops), round(r.uniform(15, 900), 2), day + timedelta(days=r.randint(0, 28)),
                  r.choice(("消费", "财付通-消费", "支付宝-消费", "POS消费")), payer_acct=w.acct(d.id))
