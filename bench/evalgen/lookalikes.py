"""Honest look-alikes: one planter per row of domain.md section 7's table.

Each act looks like evasion on one signal and carries the fact that clears it
(the right-hand column of the table). ``plant(w, c, ctx, variant) -> truth row``.
"""
from __future__ import annotations

import datetime as dt

from .debtors import COURT_DOC, Case
from .plant import D, acct, asset, at, bank_acct, buyer_stranger, flat, kin_pick, look, ratio, seize
from .world import COURT_NAME, World


def court_auction(w: World, c: Case, ctx, variant: str) -> dict:
    """The court auctions a seized asset; the buyer pays the court's account."""
    m, rng = c.m, w.rng
    item, value = asset(w, c)
    start = m["N"] + D(rng.randint(8, 25))
    seize(w, c, item, start)
    when = start + D(rng.randint(60, 150))
    buyer, b_acct = buyer_stranger(w)
    price = round(value * ratio(w, 0.71, 0.80), -2)
    old, new = w.convey(c.debtor, item, buyer, when, price, "auction")
    pay = w.pay(b_acct, ctx.court_acct, price, at(w, when - D(rng.randint(0, 3))), f"司法拍卖成交款 {c.case_no}")
    return look("court_auction", c, [old, new, pay], "法院司法拍卖查封资产，价款入法院执行款专户 / court auction, price paid to the court")


def court_consented_sale(w: World, c: Case, ctx, variant: str) -> dict:
    """A seized asset sold with the court's consent; the buyer pays the court's account."""
    m, rng = c.m, w.rng
    item, value = asset(w, c)
    start = m["N"] + D(rng.randint(8, 25))
    seize(w, c, item, start)
    when = start + D(rng.randint(20, 120))
    buyer, b_acct = buyer_stranger(w)
    price = round(value * ratio(w, 0.72, 0.95), -2)
    pay = w.pay(b_acct, ctx.court_acct, price, at(w, when - D(rng.randint(0, 2))), f"经法院准许购买查封房产/车辆价款 {c.case_no}")
    old, new = w.convey(c.debtor, item, buyer, when, price, "sale")
    return look("court_consented_sale", c, [old, new, pay], "经法院同意出售查封资产，买方直接付至执行款专户 / sale with consent, price to the court")


def kin_sale_price_to_court(w: World, c: Case, ctx, variant: str) -> dict:
    """Sale to a relative a little under value; the whole price goes on to the court or the creditor."""
    m, rng = c.m, w.rng
    kin = kin_pick(w, c, "sibling", "parent", "child")
    item, value = asset(w, c)
    when = m["J"] + D(rng.randint(1, 40))
    r = ratio(w, 0.72, 0.80)
    price = round(value * r, -2)
    old, new = w.convey(c.debtor, item, kin, when, price, "sale")
    mine = bank_acct(w, c, when, when + D(6))
    p1 = w.pay(acct(w, kin), mine, price, at(w, when), "购买款")
    to_court = rng.random() < 0.6
    target = ctx.court_acct if to_court else c.applicant_acct
    p2 = w.pay(mine, target, price, at(w, when + D(rng.randint(1, 5))), f"履行{c.case_no}还款")
    return look("kin_sale_price_to_court", c, [old, new, p1, p2],
                f"按{r:.0%}卖给亲属，全部价款数日内付给{'法院' if to_court else '申请人'} / whole price passed to the {'court' if to_court else 'creditor'}")


def divorce_share_paid_to_court(w: World, c: Case, ctx, variant: str) -> dict:
    """Divorce after the suit, the ex-spouse keeps the flat and pays the debtor's share to the court."""
    m, rng = c.m, w.rng
    spouse = c.kin["spouse"][0]
    when = m["L"] + D(rng.randint(3, 25))
    w.set(c.marriage, "endDate", when)
    home, _ = flat(w, c.debtor)
    value = float(w.get(home, "amount") or 0)
    old, new = w.convey(c.debtor, home, spouse, when, None, "divorce")
    pay = w.pay(acct(w, spouse), ctx.court_acct, round(value * ratio(w, 0.5, 0.55), -2),
                at(w, max(when, m["F"]) + D(rng.randint(3, 20))), f"代{w.names[c.debtor]}缴纳{c.case_no}执行款（房产折价款）")
    return look("divorce_share_paid_to_court", c, [c.marriage, old, new, pay],
                "离婚后前配偶取得房产并把被执行人份额折价款交法院 / ex-spouse paid the debtor's share to the court")


def divorce_nothing_moved(w: World, c: Case, ctx, variant: str) -> dict:
    """Divorce after the suit; nothing of the debtor's moved."""
    when = c.m["L"] + D(w.rng.randint(3, 25))
    w.set(c.marriage, "endDate", when)
    return look("divorce_nothing_moved", c, [c.marriage], "应诉后离婚，但无任何财产或资金转出 / divorce, no asset or money left the debtor")


def relative_genuine_suit(w: World, c: Case, ctx, variant: str) -> dict:
    """A relative's genuine old loan: money lent years before, judgment after a normal trial."""
    m, rng = c.m, w.rng
    kin = kin_pick(w, c, "sibling", "parent")
    lent = m["L"] - D(rng.randint(3 * 365, 6 * 365))
    loan = float(rng.randrange(50_000, 300_000, 1000))
    w.pay(acct(w, kin), c.acct, loan, at(w, lent), "借款")
    filed = m["L"] + D(rng.randint(20, 90))
    decided = filed + D(rng.randint(90, 200))
    number = w.case_number(filed.year, "民初")
    case = w.add("CourtCase", "case", doc=COURT_DOC, caseNumber=number, court=COURT_NAME, fileDate=filed,
                 closeDate=decided, status="判决", description="民事判决书（民间借贷纠纷，经开庭审理）")
    p1 = w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=kin, case=case, role="applicant")
    p2 = w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=c.debtor, case=case, role="debtor")
    debt = w.add("Debt", "debt", doc=COURT_DOC, debtor=c.debtor, creditor=kin, amount=loan, currency="CNY",
                 date=decided, summary=number, description=f"民事判决书；借款于{lent.isoformat()}转账交付")
    w.add("Event", "ev", doc=COURT_DOC, name="judgment_effective", date=decided, summary=number,
          involved=[kin, c.debtor], description="判决生效")
    return look("relative_genuine_suit", c, [case, p1, p2, debt],
                f"亲属{lent.year}年实际出借，经审理判决 / money lent in {lent.year}, judgment after a trial")


def round_trip_relative(w: World, c: Case, ctx, variant: str) -> dict:
    """Money to a relative that comes back within days (or from a relative and returned)."""
    m, rng = c.m, w.rng
    kin = kin_pick(w, c, "sibling", "parent", "spouse", "child")
    when = m["N"] + D(rng.randint(1, 60))
    mine, theirs = bank_acct(w, c, when, when + D(6)), acct(w, kin)
    amount = float(rng.randrange(20_000, 120_000, 1000))
    back = at(w, when + D(rng.randint(1, 5)))
    if rng.random() < 0.5:
        pair = [w.pay(mine, theirs, amount, at(w, when), "转账"), w.pay(theirs, mine, amount, back, "退回")]
    else:
        pair = [w.pay(theirs, mine, amount, at(w, when), "借款"), w.pay(mine, theirs, amount, back, "还款")]
    return look("round_trip_relative", c, pair, "与亲属之间款项数日内原数退回 / the round trip nets to zero")


def unrelated_loan_repaid(w: World, c: Case, ctx, variant: str) -> dict:
    """A loan from an unrelated lender repaid within days."""
    m, rng = c.m, w.rng
    lender, l_acct = buyer_stranger(w)
    when = m["N"] + D(rng.randint(1, 60))
    mine = bank_acct(w, c, when, when + D(8))
    amount = float(rng.randrange(100_000, 400_000, 1000))
    p1 = w.pay(l_acct, mine, amount, at(w, when), "借款")
    p2 = w.pay(mine, l_acct, round(amount * rng.uniform(1.0, 1.01), -2), at(w, when + D(rng.randint(2, 7))), "还借款本息")
    return look("unrelated_loan_repaid", c, [p1, p2], "无关联出借人借款数日内归还 / a pass-through loan repaid")


def market_sale_in_lookback(w: World, c: Case, ctx, variant: str) -> dict:
    """An asset sold at market value to a stranger within the report order's one-year look-back."""
    m, rng = c.m, w.rng
    item, value = asset(w, c)
    when = m["N"] - D(rng.randint(30, 330))
    buyer, b_acct = buyer_stranger(w)
    price = round(value * ratio(w, 0.96, 1.06), -2)
    old, new = w.convey(c.debtor, item, buyer, when, price, "sale")
    pay = w.pay(b_acct, c.acct, price, at(w, when), "购买款")
    return look("market_sale_in_lookback", c, [old, new, pay], "报告期内按市价卖给无关第三人 / market-value sale to a stranger in the look-back")


def sale_after_seal_lifted(w: World, c: Case, ctx, variant: str) -> dict:
    """An asset sold after its seizure was lifted (Sanction endDate before the sale)."""
    m, rng = c.m, w.rng
    item, value = asset(w, c)
    start = m["N"] + D(rng.randint(8, 25))
    lifted = start + D(rng.randint(30, 120))
    seize(w, c, item, start, lifted)
    when = lifted + D(rng.randint(3, 30))
    buyer, b_acct = buyer_stranger(w)
    price = round(value * ratio(w, 0.93, 1.03), -2)
    old, new = w.convey(c.debtor, item, buyer, when, price, "sale")
    pay = w.pay(b_acct, bank_acct(w, c, when), price, at(w, when), "购买款")
    return look("sale_after_seal_lifted", c, [old, new, pay], f"查封解除后第{(when - lifted).days}天出售 / sold after the seal was lifted")


def _rented(w: World, c: Case, lessee: str, yield_lo: float, yield_hi: float, note: str, kind: str) -> dict:
    m, rng = c.m, w.rng
    shop, _ = flat(w, c.debtor, shop=True)
    value = float(w.get(shop, "amount") or 0)
    rent = round(value * rng.uniform(yield_lo, yield_hi), -2)
    start = m["J"] + D(rng.randint(1, 60))
    lease = w.lease(c.debtor, shop, lessee, start, rng.randint(3, 5), rent)
    pays = [w.pay(acct(w, lessee), bank_acct(w, c, start + D(365 * y)), rent, at(w, start + D(365 * y)), "租金")
            for y in range(2) if start + D(365 * y) < m["N"] + D(330)]
    return look(kind, c, [lease] + pays, note)


def lease_kin_market_rent(w: World, c: Case, ctx, variant: str) -> dict:
    """A lease to a relative at market rent (4.5-5.5% of value a year), rent paid."""
    kin = kin_pick(w, c, "sibling", "child", "parent")
    return _rented(w, c, kin, 0.045, 0.055, "按市场租金租给亲属且租金实付 / lease to kin at market rent, rent paid",
                   "lease_kin_market_rent")


def lease_stranger_under_market(w: World, c: Case, ctx, variant: str) -> dict:
    """A lease to a stranger somewhat under market rent."""
    tenant, _ = buyer_stranger(w)
    return _rented(w, c, tenant, 0.025, 0.034, "略低于市场租金出租给无关第三人 / lease to a stranger somewhat under market",
                   "lease_stranger_under_market")


def relative_own_job(w: World, c: Case, ctx, variant: str) -> dict:
    """A relative's own long-standing job at the debtor's employer, paid every month."""
    m, rng = c.m, w.rng
    kin = kin_pick(w, c, "sibling", "spouse")
    w.add("Employment", "em", doc="doc:劳动用工备案信息.pdf", employer=c.employer, employee=kin,
          role=rng.choice(("仓管", "出纳", "文员", "电工")), startDate=m["L"] - D(rng.randint(3 * 365, 8 * 365)))
    wage = float(rng.randrange(3500, 9000, 100))
    start = m["L"] - D(120)
    acts = [w.pay(ctx.acct(w, c.employer), acct(w, kin), wage, at(w, start + D(30 * i), 10), "代发工资")
            for i in range(((m["N"] + D(300)) - start).days // 30)]
    c.tags.add("no_employer_notice")
    return look("relative_own_job", c, acts, "亲属多年前起在同一单位任职，领取本人工资 / a relative's own long-standing job")


def travel_allowed(w: World, c: Case, ctx, variant: str) -> dict:
    """Travel that the consumption restriction does not bar."""
    m, rng = c.m, w.rng
    vendor, payer, purpose = "rail", out_acct_for(w, c, m["C"] + D(5)), "12306 D5105 二等座 成都东-康定"
    if variant == "relative_own_trip":
        kin = kin_pick(w, c, "sibling", "spouse", "child")
        when, vendor, payer = m["C"] + D(rng.randint(1, 60)), "airline", acct(w, kin)
        purpose = f"机票 乘机人:{w.names[kin]} 成都-北京 CA4193"
    elif variant == "second_class":
        when = m["C"] + D(rng.randint(1, 60))
        vendor, purpose = rng.choice((("rail", "12306 D5105 二等座 成都东-康定"), ("rail", "12306 K1158 硬座 成都-攀枝花"),
                                      ("budget_hotel", "住宿费 标准间1晚")))
    elif variant == "before_order":
        when, vendor, purpose = min(m["C"], m["D"]) - D(rng.randint(1, 10)), "airline", "机票 成都-上海 CA4501"
    else:
        m["C_end"] = m["C"] + D(rng.randint(60, 200))
        when, vendor, purpose = m["C_end"] + D(rng.randint(1, 30)), "airline2", "机票 成都-三亚 3U8765"
    if variant != "relative_own_trip":
        payer = out_acct_for(w, c, when)
    price = float(rng.randrange(80, 400) if vendor != "airline" and vendor != "airline2" else rng.randrange(600, 3000, 10))
    pay = w.pay(payer, ctx.acct(w, ctx.vendors[vendor]), price, at(w, when), purpose)
    return look("travel_allowed", c, [pay], f"不受限制消费令约束的出行（{variant}）/ travel the order does not bar", variant)


def out_acct_for(w: World, c: Case, when: dt.date) -> str:
    """The debtor's paying account on ``when``."""
    return c.acct if when < c.m["S"] else c.spend


def payroll(w: World, c: Case, ctx, variant: str) -> dict:
    """A company debtor paying many modest salaries on one day every month."""
    m, rng = c.m, w.rng
    staff = []
    for _ in range(rng.randint(8, 16)):
        p = w.stranger()
        w.add("Employment", "em", doc="doc:劳动用工备案信息.pdf", employer=c.debtor, employee=p,
              role=rng.choice(("工人", "司机", "会计", "销售", "保安")), startDate=m["L"] - D(rng.randint(200, 2000)))
        staff.append((p, w.account(p, "bank"), float(rng.randrange(3000, 8000, 100))))
    acts, month = [], dt.date(m["L"].year, m["L"].month, 15)
    while month < m["N"] + D(300):
        for _, a, wage in staff:
            acts.append(w.pay(out_acct_for(w, c, month), a, wage, at(w, month, 10), "工资"))
        month = (month + D(32)).replace(day=15)
    return look("payroll", c, acts, f"每月15日向{len(staff)}名员工发放工资 / monthly payroll to {len(staff)} employees")


LOOKALIKES = {  # kind: (planter, variants)
    "court_auction": (court_auction, [""]),
    "court_consented_sale": (court_consented_sale, [""]),
    "kin_sale_price_to_court": (kin_sale_price_to_court, [""]),
    "divorce_share_paid_to_court": (divorce_share_paid_to_court, [""]),
    "divorce_nothing_moved": (divorce_nothing_moved, [""]),
    "relative_genuine_suit": (relative_genuine_suit, [""]),
    "round_trip_relative": (round_trip_relative, [""]),
    "unrelated_loan_repaid": (unrelated_loan_repaid, [""]),
    "market_sale_in_lookback": (market_sale_in_lookback, [""]),
    "sale_after_seal_lifted": (sale_after_seal_lifted, [""]),
    "lease_kin_market_rent": (lease_kin_market_rent, [""]),
    "lease_stranger_under_market": (lease_stranger_under_market, [""]),
    "relative_own_job": (relative_own_job, [""]),
    "travel_allowed": (travel_allowed, ["relative_own_trip", "second_class", "before_order", "after_lifted"]),
    "payroll": (payroll, [""]),
}
