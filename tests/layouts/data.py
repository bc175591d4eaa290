"""Seeded statement content: a holder, a bank, a period and 5-15 transactions with counterparties.

Amounts are unique within a statement, so a test can pair loaded Payments with expected rows
by amount alone and report every other difference as a difference of that row.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("建国", "秀英", "志强", "丽华", "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "霞",
         "海燕", "俊杰", "晓明", "春梅", "国庆", "文博", "雨涵", "子轩", "桂兰", "德胜", "玉珍", "鹏飞", "红梅", "嘉怡")
CITIES = ("杭州", "成都", "武汉", "南京", "长沙", "郑州", "合肥", "昆明", "佛山", "东莞", "温州", "泉州", "绵阳", "宜宾")
TRADES = ("贸易", "建材", "商贸", "物流", "餐饮管理", "电子科技", "装饰工程", "农业开发", "机械设备", "文化传媒")
WORDS = ("恒盛", "鑫源", "华泰", "隆达", "金桥", "宏远", "瑞丰", "天成", "永兴", "嘉禾", "盛世", "润泽")
MERCHANTS = ("美团", "京东商城", "拼多多", "滴滴出行", "中国石化加油站", "国家电网", "中国移动", "永辉超市")
BANKS = (("工行", "中国工商银行", "6222"), ("建行", "中国建设银行", "6217"), ("农行", "中国农业银行", "6228"),
         ("中行", "中国银行", "6216"), ("招行", "招商银行", "6214"), ("交行", "交通银行", "6222"),
         ("邮储", "中国邮政储蓄银行", "6210"), ("农商行", "四川农村商业银行", "6231"))
OUT_PURPOSES = ("转账", "网银转账", "手机银行转账", "消费", "快捷支付", "还款", "跨行转出", "货款", "借款")
IN_PURPOSES = ("转账", "工资", "跨行转入", "货款", "还款", "退款", "网银入账", "报销")
NEUTRAL_PURPOSES = ("零钱提现", "转入零钱通", "零钱通转出到零钱", "信用卡还款-本人")
# No ATM channel: an ATM move without a counterparty reads as cash, and the corpus has no cash moves.
TRANSFER_CHANNELS = ("网上银行", "手机银行", "柜面", "银联")
MERCHANT_CHANNELS = ("POS", "银联", "快捷支付", "手机银行")


@dataclass(frozen=True)
class Party:
    """A counterparty: name and account (None where the bank shows no account)."""
    name: str
    account: str | None


@dataclass(frozen=True)
class Move:
    """One transaction from the holder's side; `amount` is positive, `direction` out/in/neutral."""
    when: dt.datetime
    amount: float
    direction: str
    party: Party
    purpose: str
    balance: float
    serial_no: str
    channel: str


@dataclass
class Statement:
    """A statement's content before any layout is applied."""
    holder: str
    account: str
    bank_short: str
    bank_name: str
    start: dt.date
    end: dt.date
    moves: list[Move] = field(default_factory=list)


def luhn_complete(prefix_digits: str) -> str:
    """Append the Luhn check digit to a card number body.

    >>> luhn_complete("622202123456789012")
    '6222021234567890128'
    """
    total = 0
    for i, ch in enumerate(reversed(prefix_digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return prefix_digits + str((10 - total % 10) % 10)


def person_name(rng: random.Random) -> str:
    """A realistic Chinese personal name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def card_number(rng: random.Random, bin_prefix: str) -> str:
    """A 16 or 19 digit debit card number with a valid Luhn digit."""
    length = rng.choice((16, 19))
    body = bin_prefix + "".join(rng.choice("0123456789") for _ in range(length - 1 - len(bin_prefix)))
    return luhn_complete(body)


def _counterparties(rng: random.Random, holder: str, allow_neutral: bool) -> list[Party]:
    """3-6 counterparties: people with cards, companies with corporate accounts, merchants."""
    parties: list[Party] = []
    names = {holder}
    while len(parties) < rng.randint(3, 6):
        kind = rng.random()
        if kind < 0.5:
            name = person_name(rng)
            account: str | None = card_number(rng, rng.choice(BANKS)[2])
        elif kind < 0.8:
            name = rng.choice(CITIES) + rng.choice(WORDS) + rng.choice(TRADES) + "有限公司"
            account = "".join(rng.choice("0123456789") for _ in range(rng.choice((17, 20, 22))))
            account = "3" + account[1:] if account[0] == "0" else account
        else:
            name, account = rng.choice(MERCHANTS), None
        if name not in names:
            names.add(name)
            parties.append(Party(name, account))
    if allow_neutral:
        parties.append(Party("零钱通", None))
    return parties


def _amount(rng: random.Random, used: set[str]) -> float:
    """A positive amount with cents, unique within the statement, sometimes above 1,000."""
    while True:
        scale = rng.choice((80, 600, 4000, 30000, 120000))
        value = round(rng.uniform(1, scale), 2)
        key = f"{value:.2f}"
        if value >= 0.01 and key not in used:
            used.add(key)
            return value


def make_statement(rng: random.Random, allow_neutral: bool) -> Statement:
    """A statement for one holder over a half-year period with 5-15 moves, sorted by time."""
    bank_short, bank_name, bin_prefix = rng.choice(BANKS)
    year = rng.choice((2022, 2023, 2024))
    start = dt.date(year, rng.choice((1, 7)), 1)
    end = dt.date(year, 6, 30) if start.month == 1 else dt.date(year, 12, 31)
    holder = person_name(rng)
    st = Statement(holder, card_number(rng, bin_prefix), bank_short, bank_name, start, end)
    parties = _counterparties(rng, holder, allow_neutral)
    days = sorted(rng.sample(range((end - start).days + 1), rng.randint(5, 15)))
    balance = round(rng.uniform(20000, 300000), 2)
    used: set[str] = set()
    for n, day in enumerate(days):
        when = dt.datetime.combine(start + dt.timedelta(days=day),
                                   dt.time(rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59)))
        amount = _amount(rng, used)
        party = rng.choice(parties)
        if party.name == "零钱通":
            direction, purpose = "neutral", rng.choice(NEUTRAL_PURPOSES)
        elif party.name in MERCHANTS:
            refund = rng.random() < 0.2 or balance <= amount
            direction = "in" if refund else "out"
            purpose = "退款" if refund else rng.choice(("消费", "快捷支付", "POS消费"))
        elif rng.random() < 0.55 and balance > amount:
            direction, purpose = "out", rng.choice(OUT_PURPOSES)
        else:
            direction, purpose = "in", rng.choice(IN_PURPOSES)
        if direction == "out":
            balance = round(balance - amount, 2)
        elif direction == "in":
            balance = round(balance + amount, 2)
        serial = f"{when:%Y%m%d}{rng.randint(10**9, 10**10 - 1)}{n:03d}"
        channel = rng.choice(MERCHANT_CHANNELS if party.name in MERCHANTS else TRANSFER_CHANNELS)
        st.moves.append(Move(when, amount, direction, party, purpose, balance, serial, channel))
    return st
