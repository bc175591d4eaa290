"""Ordinary payments around each debtor, so that planted acts sit in normal noise.

Salary, rent, utilities, shopping on WeChat/Alipay, top-ups, transfers to and from
strangers, small gifts to parents; for company debtors customer income, supplier
payments, taxes and utilities. Roughly 100-300 payments per debtor.
"""
from __future__ import annotations

import datetime as dt

from .debtors import Case
from .plant import D, Ctx, at
from .world import World


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, cur = [], dt.date(start.year, start.month, 1)
    while cur <= end:
        out.append(cur)
        cur = (cur + D(32)).replace(day=1)
    return out


def person_noise(w: World, c: Case, ctx: Ctx) -> None:
    """A year or two of a person debtor's everyday money (and a little of the spouse's)."""
    rng, m = w.rng, c.m
    friends = [w.stranger() for _ in range(rng.randint(3, 5))]
    f_accts = [w.account(p, rng.choice(("bank", "wechat", "alipay"))) for p in friends]
    landlord = None
    if rng.random() < 0.3:
        landlord = w.stranger()
        w.account(landlord, "bank")
    emp_acct = ctx.acct(w, c.employer) if c.employer else None
    parents = c.relatives("parent")
    for month in _months(m["L"] - D(240), m["N"] + D(300)):
        def day(lo: int = 1, hi: int = 28) -> dt.date:
            return month.replace(day=rng.randint(lo, hi))
        frozen = month >= m["S"] - D(31)  # the main account pays nothing from the freeze's month on
        if emp_acct and c.salary and not (c.salary_stop and month >= c.salary_stop):
            pay_day = month.replace(day=10)
            if c.salary_to_court_from and pay_day >= c.salary_to_court_from:
                w.pay(emp_acct, ctx.court_acct, c.salary, at(w, pay_day, 10),
                      f"协助执行扣划{w.names[c.debtor]}工资 {c.case_no}")
            else:
                w.pay(emp_acct, c.acct, c.salary, at(w, pay_day, 10), "代发工资")
        if not frozen and rng.random() < 0.8:
            w.pay(c.acct, c.spend, float(rng.randrange(500, 4000, 100)), at(w, day()), "转入零钱")
        elif frozen and rng.random() < 0.7:
            i = rng.randrange(len(friends))
            w.pay(f_accts[i], c.spend, float(rng.randrange(300, 3000, 50)), at(w, day()), "转账")
        w.pay(c.spend, ctx.acct(w, ctx.vendors["power"]), float(rng.randrange(40, 320)), at(w, day()), "电费")
        w.pay(c.spend, ctx.acct(w, ctx.vendors["mobile"]), float(rng.randrange(30, 200)), at(w, day()), "话费充值")
        if rng.random() < 0.5:
            w.pay(c.spend, ctx.acct(w, ctx.vendors["water"]), float(rng.randrange(20, 120)), at(w, day()), "水费")
        for _ in range(rng.randint(2, 5)):
            shop = rng.choice(ctx.merchants)
            w.pay(c.spend, w.accounts[shop][0], float(rng.randrange(15, 1500)), at(w, day()),
                  rng.choice(("消费", "扫码付款", "订单付款", "美团订单", "商品购买")))
        if landlord:
            w.pay(c.acct if not frozen else c.spend, w.accounts[landlord][0], float(rng.randrange(900, 2500, 100)),
                  at(w, day(1, 5)), "房租")
        if rng.random() < 0.45:
            i = rng.randrange(len(friends))
            w.pay(c.spend, f_accts[i], float(rng.randrange(100, 3000, 10)), at(w, day()), rng.choice(("转账", "红包", "AA付款")))
        if rng.random() < 0.25:
            i = rng.randrange(len(friends))
            w.pay(f_accts[i], c.spend, float(rng.randrange(100, 2000, 10)), at(w, day()), rng.choice(("转账", "还款")))
        if parents and rng.random() < 0.3:
            w.pay(c.spend, w.main_account(rng.choice(parents), "bank", watched=True),
                  float(rng.randrange(200, 2000, 100)), at(w, day()), "生活费")
        for sp in c.relatives("spouse"):
            if rng.random() < 0.5:
                w.pay(w.main_account(sp, "bank", watched=True), w.accounts[rng.choice(ctx.merchants)][0],
                      float(rng.randrange(20, 900)), at(w, day()), "消费")


def company_noise(w: World, c: Case, ctx: Ctx) -> None:
    """A company debtor's customer income, supplier payments, taxes and utilities."""
    rng, m = w.rng, c.m
    clients = rng.sample(ctx.customers, 4)
    suppliers = rng.sample(ctx.customers, 4)
    for month in _months(m["L"] - D(240), m["N"] + D(300)):
        def day(lo: int = 1, hi: int = 28) -> dt.date:
            return month.replace(day=rng.randint(lo, hi))
        mine = c.acct if month < m["S"] - D(31) else c.spend
        for _ in range(rng.randint(2, 4)):
            w.pay(ctx.acct(w, rng.choice(clients)), mine, float(rng.randrange(5_000, 150_000, 10)), at(w, day()), "货款")
        for _ in range(rng.randint(2, 4)):
            w.pay(mine, ctx.acct(w, rng.choice(suppliers)), float(rng.randrange(3_000, 90_000, 10)), at(w, day()),
                  rng.choice(("材料款", "运费", "设备租赁费")))
        w.pay(mine, ctx.acct(w, ctx.vendors["power"]), float(rng.randrange(800, 9000)), at(w, day()), "电费")
        if rng.random() < 0.6:
            w.pay(mine, ctx.acct(w, ctx.vendors["mobile"]), float(rng.randrange(200, 1500)), at(w, day()), "通信费")
