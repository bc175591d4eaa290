"""Planted schemes that move money or bind people: diverted income, sham suits, cash-out,
payments by an assisting unit, consumption breaches, layering and structuring.

Each planter is ``plant(w, c, ctx, form, variant) -> truth row``.
"""
from __future__ import annotations

import datetime as dt

from .debtors import COURT_DOC, Case
from .plant import D, acct, at, bank_acct, kin_pick, out_acct, row
from .world import COURT_NAME, World


def diverted_income(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """Salary paid to a relative's account, or customers paying a relative instead of the debtor."""
    m, rng = c.m, w.rng
    if form == "one_step":
        kin = kin_pick(w, c, "spouse", "parent", "sibling")
        start = m["N"] + D(rng.randint(3, 20))
        c.salary_stop = start
        c.tags.add("no_employer_notice")
        payer = ctx.acct(w, c.employer)
        acts = [w.pay(payer, acct(w, kin), c.salary, at(w, start + D(30 * i), 10), "代发工资")
                for i in range(rng.randint(5, 8))]
        return row("diverted_income", form, variant, c, acts, [kin],
                   "执行通知后雇主把被执行人工资发到亲属账户 / after the notice the debtor's salary is paid to a relative")
    kin = kin_pick(w, c, "in_law", "sibling")
    clients = rng.sample(ctx.customers, 3)
    for i in range(rng.randint(3, 5)):  # before the notice the customers paid the debtor
        w.pay(ctx.acct(w, rng.choice(clients)), c.acct, float(rng.randrange(8_000, 60_000, 100)),
              at(w, m["N"] - D(rng.randint(20, 300))), "货款")
    acts = [w.pay(ctx.acct(w, rng.choice(clients)), acct(w, kin), float(rng.randrange(8_000, 60_000, 100)),
                  at(w, m["N"] + D(rng.randint(2, 150))), rng.choice(("货款", "工程款", "材料款")))
            for _ in range(rng.randint(5, 9))]
    return row("diverted_income", form, variant, c, acts, [kin],
               "执行通知后客户货款改付至亲属（姻亲）账户 / after the notice customers pay a relative's account")


def sham_litigation(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """A relative's suit days after the creditor's, closed by mediation with no money ever lent."""
    m, rng = c.m, w.rng
    roles = {"one_step": ("sibling", "parent"), "in_law": ("in_law",), "relative_spouse": ("sibling_spouse",)}
    kin = kin_pick(w, c, *roles["one_step" if form == "one_step" else variant])
    filed = m["L"] + D(rng.randint(2, 15))
    settled = filed + D(rng.randint(5, 20))
    number = w.case_number(filed.year, "民初")
    case = w.add("CourtCase", "case", doc=COURT_DOC, caseNumber=number, court=COURT_NAME, fileDate=filed,
                 closeDate=settled, status="调解结案", description="民事调解书（借款合同纠纷）")
    p1 = w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=kin, case=case, role="applicant")
    p2 = w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=c.debtor, case=case, role="debtor")
    debt = w.add("Debt", "debt", doc=COURT_DOC, debtor=c.debtor, creditor=kin,
                 amount=round(c.amount * rng.uniform(0.6, 1.6), -3), currency="CNY", date=settled,
                 summary=number, description="民事调解书确认借款")
    w.add("Event", "ev", doc=COURT_DOC, name="judgment_effective", date=settled, summary=number,
          involved=[kin, c.debtor], description="调解书生效")
    return row("sham_litigation", form, variant, c, [case, p1, p2, debt], [kin],
               f"债权人起诉后第{(filed - m['L']).days}天亲属起诉，{(settled - filed).days}天调解结案 / relative sues days after the creditor, mediated")


def cash_out(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """A large inflow after the execution notice, then quick cash withdrawals."""
    m, rng = c.m, w.rng
    start = m["N"] + D(rng.randint(1, 30))
    src = bank_acct(w, c, start, start + D(40))
    amount = float(rng.randrange(150_000, 600_000, 1000))
    inflow = w.pay(ctx.acct(w, rng.choice(ctx.customers)), src, amount, at(w, start, 9), rng.choice(("往来款", "货款", "工程款")))
    acts, cps = [inflow], [c.debtor]
    left = amount * rng.uniform(0.88, 1.0)
    if form == "one_step" or variant == "spread_weeks":
        span, cap = (3, 50_000) if form == "one_step" else (rng.randint(14, 28), 49_900)
        days = sorted(rng.randint(0, span) for _ in range(int(left // cap) + 2))
        who, where = c.debtor, src
        note = "执行通知后大额入账随即分笔取现 / large inflow after the notice, withdrawn in cash within days"
        if form == "two_step":
            note = f"大额入账后{span}天内分笔取现（每笔低于5万）/ withdrawn in cash over {span} days, each under 50,000"
    else:
        kin = kin_pick(w, c, "in_law", "sibling_spouse", "sibling")
        where = acct(w, kin)
        acts.append(w.pay(src, where, round(left, -2), at(w, start + D(1)), "转账"))
        who, cps = kin, [kin]
        days = sorted(rng.randint(2, 7) for _ in range(int(left // 50_000) + 2))
        note = "大额入账次日转给亲属，由亲属分笔取现 / inflow passed to a relative who draws it in cash"
    each = round(left / len(days), -2)
    for d in days:
        acts.append(w.pay(where, None, each, at(w, start + D(d)), rng.choice(("取现", "ATM取款", "柜面取现"))))
    return row("cash_out", form, variant, c, acts, cps, note)


def assisting_unit_payment(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """A unit owing the debtor pays the debtor (or a relative) after an assistance notice."""
    m, rng = c.m, w.rng
    unit = rng.choice(ctx.customers)
    notice = m["N"] + D(rng.randint(8, 30))
    w.pay(ctx.acct(w, unit), c.acct, float(rng.randrange(20_000, 90_000, 100)),
          at(w, notice - D(rng.randint(60, 200))), "工程款")
    w.add("Event", "ev", doc=COURT_DOC, name="assistance_notice", date=notice, summary=c.case_no,
          involved=[unit, c.debtor], description="协助执行通知书（冻结、提取到期债权）")
    w.add("CourtCaseParty", "ccp", doc=COURT_DOC, party=unit, case=c.case_id, role="assisting_unit")
    n = rng.randint(1, 3)
    days = sorted({1} | {rng.randint(2, 40) for _ in range(n - 1)})
    if form == "one_step":
        target, purpose, cps = bank_acct(w, c, notice + D(1), notice + D(41)), "工程款", [c.debtor]
        note = f"协助执行通知送达后第{days[0]}天仍向被执行人付款 / the unit paid the debtor {days[0]} day(s) after the notice (CPL 117)"
    else:
        kin = kin_pick(w, c, "spouse", "sibling", "parent")
        target, purpose, cps = acct(w, kin), f"代{w.names[c.debtor]}收工程款", [kin]
        note = "协助执行通知送达后向被执行人亲属付款 / after the notice the unit paid the debtor's relative"
    acts = [w.pay(ctx.acct(w, unit), target, float(rng.randrange(15_000, 120_000, 100)),
                  at(w, notice + D(d)), purpose) for d in days]
    return row("assisting_unit_payment", form, variant, c, acts, cps + [unit], note)


_TRIPS = (("airline", "机票 成都-北京 CA4193"), ("airline2", "机票 成都-三亚 3U8765"),
          ("rail", "12306 G8506 二等座 成都东-重庆北"), ("rail", "12306 G2201 一等座 成都东-西安北"),
          ("hotel", "住宿费 豪华客房2晚"), ("hotel2", "住宿费 海景套房"), ("golf", "高尔夫球场 果岭费"))


def consumption_breach(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """Flights, G-trains, luxury hotels or golf after the consumption-restriction order."""
    m, rng = c.m, w.rng
    acts = []
    for _ in range(rng.randint(2, 4)):
        vendor, purpose = rng.choice(_TRIPS)
        when = m["C"] + D(rng.randint(1, 90))
        price = float(rng.randrange(600, 6000, 10)) if vendor != "rail" else float(rng.randrange(150, 900, 1))
        if form == "one_step":
            payer = out_acct(w, c, when)
        else:
            kin = kin_pick(w, c, "sibling", "spouse", "child")
            payer = acct(w, kin) if rng.random() < 0.7 or not c.companies else w.accounts[c.companies[0]][0]
            purpose = f"{purpose} 乘客/住客:{w.names[c.debtor]}"
        acts.append(w.pay(payer, ctx.acct(w, ctx.vendors[vendor]), price, at(w, when), purpose))
    note = ("限制消费令后乘飞机、高铁或入住星级酒店 / flights, G-trains or luxury hotels after the order"
            if form == "one_step" else "亲属或公司为被限制消费的被执行人购票、订酒店 / a relative or company pays for the restricted debtor")
    cps = sorted({w.get(a, "beneficiary") for a in acts})
    return row("consumption_breach", form, variant, c, acts, cps, note)


def layered_transfer(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """Money through intermediaries to a relative, or to a company the debtor controls."""
    m, rng = c.m, w.rng
    start = m["N"] + D(rng.randint(1, 40))
    src = bank_acct(w, c, start, start + D(80))
    total = float(rng.randrange(120_000, 450_000, 1000))
    w.pay(ctx.acct(w, rng.choice(ctx.customers)), src, total + 5000, at(w, start - D(rng.randint(1, 4))), "货款")
    hop = lambda: acct(w, w.stranger())  # noqa: E731 - an intermediary with a watched account
    if form == "one_step":
        kin = kin_pick(w, c, "sibling", "parent", "child")
        mid = hop()
        p1 = w.pay(src, mid, total, at(w, start), "往来款")
        p2 = w.pay(mid, acct(w, kin), round(total * rng.uniform(0.97, 1.0), -2), at(w, start + D(rng.randint(1, 3))), "还款")
        return row("layered_transfer", form, variant, c, [p1, p2], [kin, w.holder[mid]],
                   "经第三人账户1-3天内转入亲属账户 / via a third party's account to a relative within days")
    if variant == "company_chain" and c.is_person:
        top = w.company(start - D(rng.randint(400, 1500)), 1_000_000)
        w.own(c.debtor, top, dt.date.fromisoformat(w.get(top, "incorporationDate")), pct=100)
        end_party = w.company(start - D(rng.randint(100, 600)), 500_000)
        w.own(top, end_party, dt.date.fromisoformat(w.get(end_party, "incorporationDate")), pct=70)
        end_acct = w.account(end_party, "bank", watched=True)
        note = "分笔经多个中间人数周后汇入被执行人两层控股的公司 / split through intermediaries over weeks into a company two levels below the debtor"
    else:
        end_party = kin_pick(w, c, "in_law", "sibling_spouse", "sibling")
        end_acct = acct(w, end_party)
        note = "分笔经多个中间人、历时数周后归集到姻亲账户 / split through intermediaries over weeks, re-joined at an in-law"
    parts = [round(total * f, -2) for f in (0.4, 0.35)]
    parts.append(total - sum(parts))
    mids = [hop() for _ in parts]
    joiner = hop()
    acts, day = [], 0
    for part, mid in zip(parts, mids):
        day += rng.randint(3, 9)
        acts.append(w.pay(src, mid, part, at(w, start + D(day)), "往来款"))
        acts.append(w.pay(mid, joiner, part, at(w, start + D(day + rng.randint(2, 6))), "借款"))
    acts.append(w.pay(joiner, end_acct, total, at(w, start + D(day + rng.randint(8, 20))), "投资款"))
    cps = [end_party] + [w.holder[a] for a in mids + [joiner]]
    return row("layered_transfer", form, variant, c, acts, cps, note)


def structuring(w: World, c: Case, ctx, form: str, variant: str) -> dict:
    """The balance split into many small payments to relatives before the freeze takes hold."""
    m, rng = c.m, w.rng
    span = 1 if form == "one_step" else rng.randint(5, 8)
    if (m["S"] - m["N"]).days < span + 2:
        m["S"] = m["N"] + D(span + rng.randint(2, 4))
        w.set(c.freeze_id, "startDate", m["S"])
    first = m["S"] - D(span)
    roles = ("spouse", "parent", "sibling", "child") + (("in_law", "sibling_spouse") if form == "two_step" else ())
    people = c.relatives(*roles)
    cap = 9_900 if form == "one_step" else 19_900
    acts = []
    for i in range(rng.randint(8, 14) if form == "one_step" else rng.randint(10, 16)):
        when = first + D(0 if span == 1 else rng.randint(0, span - 1))
        kin = people[i % len(people)]
        target = acct(w, kin) if rng.random() < 0.7 else acct(w, kin, rng.choice(("wechat", "alipay")))
        acts.append(w.pay(c.acct, target, float(rng.randrange(cap // 3, cap, 100)), at(w, when),
                          rng.choice(("转账", "生活费", "还款", "红包"))))
    cps = sorted({w.holder[w.get(a, "beneficiaryAccount")] for a in acts})
    note = (f"冻结前一天分{len(acts)}笔小额转给亲属 / split into {len(acts)} small payments to kin the day before the freeze"
            if form == "one_step" else f"冻结前{span}天内分{len(acts)}笔转给亲属与姻亲 / {len(acts)} payments over {span} days before the freeze")
    return row("structuring", form, variant, c, acts, cps, note)


PLANTERS = {  # kind: (planter, one-step variants, two-step variants)
    "diverted_income": (diverted_income, ["salary_to_relative"], ["customers_pay_relative"]),
    "sham_litigation": (sham_litigation, ["relative_mediation"], ["in_law", "relative_spouse"]),
    "cash_out": (cash_out, ["withdraw_after_notice"], ["via_relative", "spread_weeks"]),
    "assisting_unit_payment": (assisting_unit_payment, ["pays_debtor"], ["pays_relative"]),
    "consumption_breach": (consumption_breach, ["own_travel"], ["someone_else_pays"]),
    "layered_transfer": (layered_transfer, ["via_intermediary"], ["weeks_split_rejoin", "company_chain"]),
    "structuring": (structuring, ["one_day"], ["over_a_week"]),
}
