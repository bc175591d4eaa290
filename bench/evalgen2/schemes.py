"""The planted schemes: the patterns table of domain.md section 4, each in a one-step form and,
where section 7 describes one, a two-step form ("the same hiding with one more step").

Each planter returns a truth row (without subject) or None when the debtor lacks what the
scheme needs (no flat, no spouse, ...). ``acts`` are the core input entities of the act.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from .cases import END, Debtor, assistance_notice, family, later, seize
from .world import World, years_after

Row = dict[str, Any]


def _row(kind: str, form: str, variant: str, acts: list[str], note: str = "") -> Row:
    return {"type": "scheme", "kind": kind, "form": form, "variant": variant, "acts": acts, "note": note}


def _kin(w: World, d: Debtor, *prefs: str) -> str | None:
    for p in prefs:
        if p in d.kin:
            return d.kin[p]
    return None


def _hide_day(w: World, d: Debtor) -> date:
    """When hiding happens: mostly after effectiveness, sometimes after service (I24 art. 6)."""
    c = d.case
    if w.rng.random() < 0.25:
        return later(w, c.served, 5, max(6, (c.effective - c.served).days - 5))
    return later(w, c.effective, 3, 200)


def sham_divorce(w: World, d: Debtor, form: str) -> Row | None:
    sp = d.kin.get("spouse")
    if d.company or not sp or not d.marriage or "marriage" in d.used:
        return None
    if form == "one_step" and (not d.flat or "flat" in d.used):
        return None
    d.used.add("marriage")
    c = d.case
    day = later(w, c.served, 10, (c.effective - c.served).days + 60)
    w.set(d.marriage, "endDate", day.isoformat())
    if form == "two_step" and (not d.flat or "flat" in d.used or w.rng.random() < 0.4):
        acts = [d.marriage]
        total = w.rng.randrange(20, 70) * 10_000
        for k in range(w.rng.randint(3, 5)):
            acts.append(w.transfer(d.id, sp, total / 4 * w.rng.uniform(0.7, 1.3), later(w, day, 3 + 9 * k, 10 + 9 * k),
                                   w.rng.choice(("转账", "生活费", "离婚补偿款"))))
        return _row("sham_divorce", form, "divorce_then_cash", acts, "divorce after service, then savings to the ex")
    d.used.add("flat")
    asset, own, value = d.flat  # type: ignore[misc]
    new = w.convey(own, sp, later(w, day, 0, 20), "divorce", None)
    acts = [d.marriage, own, new]
    if form == "two_step":
        onward = _kin(w, d, "in_law") or w.person(d.area)
        if "in_law" not in d.kin:
            family(w, sp, onward, "parent")
        acts.append(w.convey(new, onward, later(w, day, 40, 120), "gift", None))
        return _row("sham_divorce", form, "flat_via_ex_to_her_kin", acts, "ex-spouse passes the flat to her family")
    return _row("sham_divorce", form, "flat_to_ex", acts, "divorce settlement gives the flat to the spouse")


def kin_transfer(w: World, d: Debtor, form: str) -> Row | None:
    if d.company:
        return None
    item = "flat" if d.flat and "flat" not in d.used else "car" if d.car and "car" not in d.used else None
    if not item:
        return None
    asset, own, value = d.flat if item == "flat" else d.car  # type: ignore[misc]
    d.used.add(item)
    day = _hide_day(w, d)
    if form == "one_step":
        buyer = _kin(w, d, *w.rng.sample(["parent", "sibling", "spouse"], 3))
        basis, price = ("gift", None) if w.rng.random() < 0.3 else ("sale", value * w.rng.uniform(0.15, 0.55))
        return _row("kin_transfer", form, f"{item}_{basis}_to_kin", [own, w.convey(own, buyer, day, basis, price)])
    buyer = _kin(w, d, "in_law", "sibling_spouse", "cousin")
    if buyer and w.rng.random() < 0.5:
        new = w.convey(own, buyer, day, "sale", value * w.rng.uniform(0.2, 0.5))
        return _row("kin_transfer", form, f"{item}_to_two_step_kin", [own, new], "buyer related through a spouse or only as associate")
    buyer = _kin(w, d, "sibling", "parent", "spouse")
    price = round(value * w.rng.uniform(0.9, 1.0), -2)
    new = w.convey(own, buyer, day, "sale", price)
    paid = w.transfer(buyer, d.id, price, later(w, day, 0, 3), "购房款" if item == "flat" else "购车款")
    back_to = _kin(w, d, "sibling_spouse") if buyer == d.kin.get("sibling") and w.rng.random() < 0.5 else buyer
    acts = [own, new, paid]
    left = price * w.rng.uniform(0.9, 1.0)
    for k in range(w.rng.choice((1, 2))):
        acts.append(w.transfer(d.id, back_to or buyer, left / 2 if k == 0 else left / 2, later(w, day, 2 + 5 * k, 8 + 5 * k),
                               w.rng.choice(("还款", "转账", "往来款")), named_by_account=w.rng.random() < 0.3))
    return _row("kin_transfer", form, f"{item}_fair_price_paid_back", acts, "a fair-looking sale whose price goes back")


def zero_equity(w: World, d: Debtor, form: str) -> Row | None:
    if not d.stake or "stake" in d.used:
        return None
    d.used.add("stake")
    comp, own, ref = d.stake
    day = _hide_day(w, d)
    price = w.rng.choice((0, 1))
    if form == "one_step":
        to = _kin(w, d, "sibling", "parent", "spouse") or w.person(d.area)
        return _row("zero_equity", form, "stake_to_kin", [own, w.convey(own, to, day, "sale", price)])
    if w.rng.random() < 0.5 and "sibling" in d.kin:
        shell = w.company(d.area, f"{w.rng.choice(('恒', '瑞', '泰'))}{w.rng.choice(('通', '丰', '嘉'))}投资有限公司", capital=100_000)
        w.emit("Directorship", {"director": d.kin["sibling"], "organization": shell, "role": "法定代表人",
                                "startDate": (day - timedelta(days=w.rng.randint(5, 60))).isoformat()}, "market", link=True)
        return _row("zero_equity", form, "stake_to_kin_represented_company", [own, w.convey(own, shell, day, "sale", price)])
    if w.rng.random() < 0.5 and "sibling" in d.kin:  # a company two levels down the relative's chain
        top = w.company(d.area, f"{w.rng.choice(('鼎', '晟', '骏'))}{w.rng.choice(('成', '元', '博'))}控股有限公司", capital=1_000_000)
        low = w.company(d.area, f"{w.rng.choice(('鼎', '晟', '骏'))}{w.rng.choice(('信', '益', '联'))}实业有限公司", capital=500_000)
        w.own(d.kin["sibling"], top, day - timedelta(days=w.rng.randint(30, 400)), "market", pct=w.rng.choice((70, 90, 100)))
        w.own(top, low, day - timedelta(days=w.rng.randint(10, 30)), "market", pct=100)
        return _row("zero_equity", form, "stake_to_kin_company_two_levels_down", [own, w.convey(own, low, day, "sale", price)])
    to = _kin(w, d, "sibling_spouse", "in_law", "cousin")
    if not to:
        return None
    return _row("zero_equity", form, "stake_to_in_law", [own, w.convey(own, to, day, "sale", price)])


def diverted(w: World, d: Debtor, form: str) -> Row | None:
    c = d.case
    start = later(w, c.notice, 0, 60)
    if d.company:
        to = d.controller if form == "one_step" else d.kin.get("spouse")
    else:
        to = _kin(w, d, "parent", "sibling", "spouse") if form == "one_step" else _kin(w, d, "in_law", "sibling_spouse", "cousin", "sibling")
    if not to:
        return None
    if form == "one_step":
        acts = [w.transfer(d.id, to, w.rng.randrange(30_000, 150_000) + w.rng.random(), later(w, start, 0, 20),
                           w.rng.choice(("转账", "微信转账", "零钱提现")), kind=w.rng.choice(("wechat", "alipay", "bank")),
                           named_by_account=w.rng.random() < 0.5) for _ in range(w.rng.randint(2, 4))]
        return _row("diverted_accounts", form, "own_account_to_kin_wallet", acts)
    if w.rng.random() < 0.5:  # the debtor's customers pay a relative instead
        acts = []
        for k in range(w.rng.randint(3, 6)):
            cust = w.company(d.area, f"{w.rng.choice(('川', '蓉', '粤'))}{w.rng.choice(('兴', '达', '丰', '润'))}{w.rng.choice(('餐饮', '建筑', '超市'))}有限公司")
            for m in range(w.rng.randint(3, 8)):  # a customer of the debtor's before it pays the relative
                w.transfer(cust, d.id, w.rng.randrange(20_000, 90_000) + 0.5, c.served - timedelta(days=40 * m + w.rng.randint(0, 20)), "货款")
            acts.append(w.transfer(cust, to, w.rng.randrange(20_000, 90_000) + 0.5, later(w, start, 7 * k, 7 * k + 6),
                                   f"货款 {w.entities[d.id]['properties']['name'][0]}"))
        return _row("diverted_accounts", form, "customers_pay_kin", acts, "income diverted to a relative's account")
    middle = w.person(d.area, full=False)
    total = w.rng.randrange(150_000, 500_000)
    acts = [w.transfer(d.id, middle, total, start, "往来款")]
    pieces = w.rng.randint(2, 4)
    for k in range(pieces):
        acts.append(w.transfer(middle, to, total * 0.9 / pieces, later(w, start, 6 + 8 * k, 12 + 8 * k), "转账",
                               named_by_account=w.rng.random() < 0.4))
    return _row("diverted_accounts", form, "layered_via_third_party", acts, "split and passed on over weeks")


def sham_suit(w: World, d: Debtor, form: str) -> Row | None:
    from .cases import case_number, variant
    c = d.case
    if d.company:
        return None
    if form == "one_step":
        plaintiff = _kin(w, d, "sibling", "parent", "cousin")
    else:
        plaintiff = _kin(w, d, "in_law", "sibling_spouse")
        if plaintiff and w.rng.random() < 0.5:
            firm = w.company(d.area, f"{w.rng.choice(('盛', '旺', '隆'))}{w.rng.choice(('源', '发', '和'))}商贸有限公司")
            w.emit("Directorship", {"director": plaintiff, "organization": firm, "role": "法定代表人"}, "market", link=True)
            plaintiff = firm
    if not plaintiff:
        return None
    served = later(w, c.served, 2, 20)
    effective = later(w, served, 5, 25)
    filed = later(w, effective, 3, 15)
    number = case_number(w, d, filed.year)
    cid = w.emit("CourtCase", {"caseNumber": number, "court": d.court, "fileDate": filed.isoformat(),
                               "status": "执行中", "description": w.rng.choice(("民事调解书", "调解结案", None))}, "court")
    p1 = w.emit("CourtCaseParty", {"party": d.id, "case": cid, "role": "debtor"}, "court", link=True)
    p2 = w.emit("CourtCaseParty", {"party": plaintiff, "case": cid, "role": "applicant"}, "court", link=True)
    debt = w.emit("Debt", {"debtor": d.id, "creditor": plaintiff, "amount": str(w.rng.randrange(30, 150) * 10_000),
                           "date": effective.isoformat(), "summary": variant(w, number)}, "court", link=True)
    trial = case_number(w, d, served.year, "民初")
    for name, day in (("lawsuit_served", served), ("judgment_effective", effective), ("enforcement_filed", filed)):
        w.emit("Event", {"name": name, "date": day.isoformat(), "summary": variant(w, number), "involved": [d.id, plaintiff],
                         "description": trial if name != "enforcement_filed" else None}, "court", link=True)
    kind = "one_step_kin" if form == "one_step" else "in_law_or_kin_company"
    return _row("sham_suit", form, kind, [cid, debt, p2, p1], "mediation days after the creditor's suit, no loan ever paid")


def cash_out(w: World, d: Debtor, form: str) -> Row | None:
    day = later(w, d.case.effective, 10, 240)
    total = w.rng.randrange(120_000, 400_000)
    payer = w.counterparty(w.rng.choice(("成都某建材有限公司", "个体户-装修款", "某物流公司")))
    w.pay(payer, d.id, total, day, w.rng.choice(("工程款", "货款", "转账")), payee_acct=w.acct(d.id, on=day))
    acts: list[str] = []
    if form == "one_step":
        n = w.rng.randint(3, 6)
        for k in range(n):
            acts.append(w.cash_out(d.id, total * w.rng.uniform(0.85, 0.98) / n, later(w, day, 0 if k < 2 else 1, 2)))
        return _row("cash_out", form, "inflow_then_cash", acts)
    if w.rng.random() < 0.5 or d.company:
        for k in range(w.rng.randint(6, 9)):
            acts.append(w.cash_out(d.id, w.rng.randrange(19_000, 49_000) + 0.0, later(w, day, k, k + 1)))
        return _row("cash_out", form, "structured_over_a_week", acts, "withdrawals kept under 50,000 a day over days")
    kin = _kin(w, d, "sibling", "parent", "spouse")
    if not kin:
        return None
    acts.append(w.transfer(d.id, kin, total * 0.95, later(w, day, 0, 1), "转账"))
    for k in range(w.rng.randint(2, 4)):
        acts.append(w.cash_out(kin, total * 0.95 / 3, later(w, day, 1 + k, 2 + k)))
    return _row("cash_out", form, "via_kin_then_cash", acts, "relative withdraws the money in cash")


def frozen_disposal(w: World, d: Debtor, form: str) -> Row | None:
    item = "car" if d.car and "car" not in d.used else "flat" if d.flat and "flat" not in d.used else None
    if not item:
        return None
    d.used.add(item)
    asset, own, value = d.car if item == "car" else d.flat  # type: ignore[misc]
    seized = later(w, d.case.notice, 3, 40)
    seize(w, d, asset, seized)
    day = later(w, seized, 20, 220)
    if form == "one_step":
        buyer = w.person(d.area, full=False) if w.rng.random() < 0.5 else (_kin(w, d, "sibling", "parent") or w.person(d.area))
        new = w.convey(own, buyer, day, "sale", value * w.rng.uniform(0.6, 0.95))
        return _row("frozen_disposal", form, f"seized_{item}_conveyed", [own, new])
    if item != "car":
        d.used.discard(item)
        return None
    buyer = w.person(d.area, full=False)
    plate = w.entities[asset]["properties"]["registrationNumber"][0]
    to = _kin(w, d, "spouse", "sibling", "parent") or d.id
    pid = w.transfer(buyer, to, value * w.rng.uniform(0.5, 0.8), day, f"购车款 {plate}")
    return _row("frozen_disposal", form, "seized_car_sold_privately", [pid], "no registry change; only the money shows it")


def cheap_lease(w: World, d: Debtor, form: str) -> Row | None:
    if not d.flat or "flat" in d.used or d.company:
        return None
    d.used.add("flat")
    asset, own, value = d.flat
    day = _hide_day(w, d)
    years = w.rng.randint(8, 20)
    rent = w.rng.choice((1000, 1200, 2000, 3000))
    if form == "one_step":
        to = _kin(w, d, "sibling", "parent")
    elif w.rng.random() < 0.5 and "sibling" in d.kin:
        to = w.company(d.area, f"{w.rng.choice(('安', '福', '祥'))}居酒店管理有限公司")
        w.emit("Directorship", {"director": d.kin["sibling"], "organization": to, "role": "法定代表人"}, "market", link=True)
    else:
        to = _kin(w, d, "sibling_spouse", "in_law", "cousin")
    if not to:
        d.used.discard("flat")
        return None
    lease = w.own(to, asset, day, w.docs_of(own), "lease", rent, lease_end=years_after(day, years))
    return _row("cheap_lease", form, "to_kin" if form == "one_step" else "to_two_step_party", [lease],
                f"{years} years at {rent} a year")


def payer_after_notice(w: World, d: Debtor, form: str, salary: dict[str, float]) -> Row | None:
    if d.company or not d.employer or d.id not in salary or "employer" in d.used:
        return None
    to = d.id if form == "one_step" else _kin(w, d, "spouse", "parent", "sibling")
    if not to:
        return None
    day = later(w, d.case.notice, 5, 40)
    assistance_notice(w, d, d.employer, day)
    acts = []
    for k in range(w.rng.randint(2, 5)):
        pay_day = min(date(day.year, day.month, 10) + timedelta(days=31 * (k + 1)), END)
        acts.append(w.transfer(d.employer, to, salary[d.id] * w.rng.uniform(0.95, 1.1), pay_day,
                               w.rng.choice(("工资", "代发工资", "绩效"))))
    d.used.update(("salary_after_notice", "employer"))
    d.salary_stop = day
    return _row("payer_after_notice", form, "salary_to_debtor" if to == d.id else "salary_to_kin", acts,
                "employer keeps paying after the assistance notice")


def consumption_breach(w: World, d: Debtor, form: str) -> Row | None:
    c = d.case
    if d.company or not c.restrict_sanction or "restriction" in d.used:
        return None
    d.used.add("restriction")
    me = w.entities[d.id]["properties"]["name"][0]
    items = [("中国东方航空", "机票 成都-上海", 1400), ("中国铁路12306", "G1234次 二等座", 650),
             ("万达文华酒店", "五星级酒店住宿", 2200), ("中国国际航空", "机票 头等舱", 5200), ("中国铁路12306", "G87次 商务座", 2400)]
    acts = []
    payer = d.id if form == "one_step" else _kin(w, d, "sibling", "spouse", "cousin") or d.employer
    if not payer:
        return None
    for k in range(w.rng.randint(2, 4)):
        seller, what, price = w.rng.choice(items)
        named = w.counterparty(seller)
        text = what if form == "one_step" else f"{what} 乘客:{me}"
        acts.append(w.pay(payer, named, price * w.rng.uniform(0.7, 1.3), later(w, c.restrict, 10 + 20 * k, 25 + 20 * k),
                          text, payer_acct=w.acct(payer)))
    return _row("consumption_breach", form, "own_purchase" if form == "one_step" else "paid_by_other", acts)


PLANTERS: list[tuple[str, Callable[..., Row | None]]] = [
    ("sham_divorce", sham_divorce), ("kin_transfer", kin_transfer), ("zero_equity", zero_equity),
    ("diverted_accounts", diverted), ("sham_suit", sham_suit), ("cash_out", cash_out),
    ("frozen_disposal", frozen_disposal), ("cheap_lease", cheap_lease),
    ("payer_after_notice", payer_after_notice), ("consumption_breach", consumption_breach)]
