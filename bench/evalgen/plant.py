"""Shared helpers for the planters: assets on demand, seizures, times, truth rows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import ids
from .debtors import COURT_DOC, Case
from .world import COURT_NAME, World

D = dt.timedelta


def at(w: World, d: dt.date, hour: int | None = None) -> dt.datetime:
    """A business-hours time on day ``d``."""
    return dt.datetime.combine(d, dt.time(hour if hour is not None else w.rng.randint(8, 19),
                                          w.rng.randint(0, 59), w.rng.randint(0, 59)))


def flat(w: World, owner: str, value: float | None = None, shop: bool = False) -> tuple[str, str]:
    """A RealEstate held by ``owner`` for years; returns (asset id, Ownership id)."""
    rng = w.rng
    value = value or float(rng.randrange(300_000, 1_600_000, 1000))
    kind = "商铺" if shop else "住宅"
    asset = w.add("RealEstate", "re", doc="doc:不动产登记查询结果.pdf",
                  titleNumber=ids.title_number(rng, rng.randint(2009, 2019)), address=ids.address(rng),
                  area=f"{rng.randint(45, 160)}.{rng.randint(10, 99)}", amount=value, currency="CNY",
                  propertyType=kind)
    own = w.own(owner, asset, ids.random_date(rng, dt.date(2009, 1, 1), dt.date(2019, 12, 31)))
    return asset, own


def vehicle(w: World, owner: str, value: float | None = None) -> tuple[str, str]:
    """A Vehicle held by ``owner``; returns (asset id, Ownership id)."""
    rng = w.rng
    value = value or float(rng.randrange(60_000, 380_000, 1000))
    model = rng.choice(("丰田汉兰达", "大众途观", "别克GL8", "本田雅阁", "长城哈弗H6", "奥迪A6L", "比亚迪汉"))
    asset = w.add("Vehicle", "v", doc="doc:车辆登记信息查询.pdf", registrationNumber=ids.plate(rng),
                  type="小型汽车", model=model, amount=value, currency="CNY")
    own = w.own(owner, asset, ids.random_date(rng, dt.date(2015, 1, 1), dt.date(2020, 12, 31)))
    return asset, own


def asset(w: World, c: Case, value: float | None = None) -> tuple[str, float]:
    """A flat or a vehicle of the debtor (new); returns (asset id, market value)."""
    if w.rng.random() < 0.6:
        a, _ = flat(w, c.debtor, value)
    else:
        a, _ = vehicle(w, c.debtor, value)
    return a, float(w.get(a, "amount") or 0)


def seize(w: World, c: Case, target: str, start: dt.date, end: dt.date | None = None) -> str:
    """A seizure Sanction on an asset (``end`` = the day it was lifted)."""
    return w.add("Sanction", "sa", doc=COURT_DOC, entity=target, program="seizure", authority=COURT_NAME,
                 startDate=start, endDate=end, summary=c.case_no)


def kin_pick(w: World, c: Case, *roles: str) -> str:
    """One relative of the given roles (the first role that has anyone)."""
    for role in roles:
        people = c.kin.get(role, [])
        if people:
            return w.rng.choice(people)
    raise LookupError(f"debtor {c.debtor} has none of {roles}")


def acct(w: World, party: str, kind: str = "bank") -> str:
    """The party's account of ``kind``, its statement obtained by the investigator."""
    return w.main_account(party, kind, watched=True)


def buyer_stranger(w: World) -> tuple[str, str]:
    """A stranger who buys something, with a bank account."""
    p = w.stranger()
    return p, w.account(p, "bank")


def row(kind: str, form: str, variant: str, c: Case, acts: list[str], cps: list[str],
        note: str) -> dict[str, Any]:
    """A scheme truth row."""
    return {"type": "scheme", "kind": kind, "form": form, "variant": variant, "subject": c.debtor,
            "case": c.case_id, "acts": acts, "counterparties": cps, "note": note}


def look(kind: str, c: Case, acts: list[str], note: str, variant: str = "") -> dict[str, Any]:
    """A look-alike truth row."""
    out = {"type": "lookalike", "kind": kind, "subject": c.debtor, "acts": acts, "note": note}
    if variant:
        out["variant"] = variant
    return out


def ratio(w: World, lo: float, hi: float) -> float:
    """A price ratio drawn from [lo, hi]."""
    return round(w.rng.uniform(lo, hi), 3)


def out_acct(w: World, c: Case, when: dt.date) -> str:
    """The account the debtor pays from on ``when``: the main one until the freeze, then the spending one."""
    return c.acct if when < c.m["S"] else c.spend


def bank_acct(w: World, c: Case, when: dt.date, last: dt.date | None = None) -> str:
    """A bank account of the debtor usable from ``when`` to ``last`` (a second, unfrozen one
    when the freeze starts before ``last``)."""
    if (last or when) < c.m["S"]:
        return c.acct
    if not c.second:
        c.second = w.account(c.debtor, "bank", opened=c.m["L"] - D(w.rng.randint(200, 900)),
                             bank="中国银行", watched=True)
    return c.second


@dataclass
class Ctx:
    """Shared parties of the caseload: the court, employers, customers and vendors."""

    court: str
    court_acct: str
    employers: list[str] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)
    merchants: list[str] = field(default_factory=list)
    vendors: dict[str, str] = field(default_factory=dict)  # role -> party

    def acct(self, w: World, party: str) -> str:
        """The party's (unwatched) bank account."""
        return w.main_account(party, "bank", watched=False)


VENDORS = {"airline": "中国国际航空股份有限公司", "airline2": "四川航空股份有限公司",
           "rail": "中国铁路12306", "hotel": "成都香格里拉大酒店有限公司",
           "hotel2": "三亚亚特兰蒂斯酒店有限公司", "golf": "成都麓山国际高尔夫俱乐部有限公司",
           "budget_hotel": "如家快捷酒店（得荣店）", "power": "国网四川省电力公司甘孜供电公司",
           "mobile": "中国移动通信集团四川有限公司", "water": "得荣县自来水公司"}
MERCHANTS = ("美团-得荣县老味道餐馆", "京东商城", "拼多多", "淘宝-衣品天成旗舰店", "得荣县红旗超市",
             "中石油得荣加油站", "得荣县人民医院", "滴滴出行", "得荣县民族中学", "抖音电商-日用百货",
             "得荣县惠民药房", "永辉超市康定店")


def build_ctx(w: World, court: str, court_acct: str, n_employers: int = 24, n_customers: int = 30) -> Ctx:
    """The shared parties: employers, customer companies, merchants and vendors, each with an account."""
    rng = w.rng
    ctx = Ctx(court, court_acct)
    for _ in range(n_employers):
        co = w.company(ids.random_date(rng, dt.date(2000, 1, 1), dt.date(2012, 12, 31)),
                       rng.choice((2_000_000, 5_000_000, 10_000_000, 30_000_000)))
        w.account(co, "bank", watched=False)
        ctx.employers.append(co)
    for _ in range(n_customers):
        co = w.company(ids.random_date(rng, dt.date(2005, 1, 1), dt.date(2018, 12, 31)),
                       rng.choice((1_000_000, 3_000_000, 8_000_000)))
        w.account(co, "bank", watched=False)
        ctx.customers.append(co)
    for name in MERCHANTS:
        le = w.add("LegalEntity", "le", doc="doc:对手方身份信息.pdf", name=name)
        w.account(le, rng.choice(("alipay", "wechat")) if "-" in name else "bank", watched=False)
        ctx.merchants.append(le)
    for role, name in VENDORS.items():
        co = w.add("Company", "c", doc="book:市场监督管理局企业登记信息.xlsx", name=name,
                   registrationNumber=ids.uscc(rng), address=ids.address(rng), status="存续")
        w.account(co, "bank", watched=False)
        ctx.vendors[role] = co
    return ctx
