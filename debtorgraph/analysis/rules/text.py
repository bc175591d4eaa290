"""Reading a payment's words: cash, salary, gifts, and what a restricted debtor may buy.

Cash (docs/interchange.md): a withdrawal has ``beneficiary`` = the payer, no
``beneficiaryAccount`` and ``purpose`` containing one of cash, 取现, 取款, 支取, 现金.

Consumption restriction (法释〔2015〕17号 art. 3; domain.md section 4): after the order,
flights; star-rated hotels, nightclubs, golf; any seat on a G-train; first class (一等座,
商务座, 特等座) on other bullet trains (C, D); soft sleepers; buying real estate or a car;
travel; private-school fees; high-premium insurance are barred. Budget hotels and second
class on D/K/Z trains are allowed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CASH_OUT_WORDS", "CASH_IN_WORDS", "is_cash_withdrawal", "is_cash_deposit",
           "is_salary", "is_household", "asset_marks", "names_asset", "Consumption", "classify_consumption"]

CASH_OUT_WORDS = ("cash", "取现", "取款", "支取", "现金")
CASH_IN_WORDS = ("cash", "存现", "存款", "现金")
_SALARY = ("工资", "薪", "奖金", "劳务费", "salary", "wage", "payroll")
_HOUSEHOLD = ("生活费", "学费", "医药费", "医疗费", "过节费", "红包", "零花钱", "赡养", "抚养",
              "AA", "餐费")


def _has(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


def is_cash_withdrawal(payer: str, payee: str, dst: str | None, purpose: str) -> bool:
    """Cash taken out of an account.

    >>> is_cash_withdrawal("p1", "p1", None, "ATM取现"), is_cash_withdrawal("p1", "p2", None, "取现")
    (True, False)
    """
    return payer == payee and not dst and _has(purpose, CASH_OUT_WORDS)


def is_cash_deposit(payer: str, payee: str, src: str | None, purpose: str) -> bool:
    """Cash paid into an account (the mirror image of a withdrawal)."""
    return payer == payee and not src and _has(purpose, CASH_IN_WORDS)


def asset_marks(props: dict[str, list[str]]) -> list[str]:
    """A vehicle's plate or a flat's title number, spaces removed (five characters or more):
    what a payment's purpose names when it pays for that asset (a private sale).

    >>> asset_marks({"registrationNumber": ["川A 12345"], "titleNumber": ["123"]})
    ['川A12345']
    """
    marks = [re.sub(r"\s+", "", v) for k in ("registrationNumber", "titleNumber") for v in props.get(k, [])]
    return [m for m in marks if len(m) >= 5]


def names_asset(purpose: str, marks: list[str]) -> bool:
    """True when ``purpose`` names one of ``marks`` (spaces in it ignored).

    >>> names_asset("购车款 川A 12345", ["川A12345"]), names_asset("货款", ["川A12345"])
    (True, False)
    """
    plain = re.sub(r"\s+", "", purpose)
    return any(m in plain for m in marks)


def is_salary(purpose: str) -> bool:
    """Salary, wages or bonus (工资, 代发工资, 奖金...)."""
    return _has(purpose, _SALARY)


def is_household(purpose: str) -> bool:
    """Household support: living costs, school fees, medical costs, gifts of festival money."""
    return _has(purpose, _HOUSEHOLD)


@dataclass(frozen=True)
class Consumption:
    """What a payment bought, and whether a restricted debtor may buy it."""

    kind: str        # flight, luxury_hotel, budget_hotel, hotel, train, ...
    barred: bool
    certain: bool    # False when the words leave doubt (a hotel of unknown class)
    zh: str
    en: str


_TRAIN = re.compile(r"(?<![A-Za-z])([GCDKZTY])\s?(\d{1,4})(?!\d)")
_LUXURY = ("五星", "四星", "星级", "香格里拉", "希尔顿", "万豪", "洲际", "喜来登", "凯悦", "威斯汀",
           "丽思", "四季酒店", "半岛", "瑞吉", "柏悦", "文华东方", "皇冠假日", "索菲特", "君悦",
           "亚特兰蒂斯", "华尔道夫", "宝格丽", "安缦", "悦榕庄", "康莱德", "朗廷", "费尔蒙", "凯宾斯基",
           "艾美", "万丽", "铂尔曼", "海景套房", "豪华套房", "行政套房", "总统套房", "豪华客房",
           "hilton", "marriott", "shangri", "sheraton", "hyatt", "ritz", "intercontinental",
           "atlantis", "waldorf", "conrad", "kempinski")
_BUDGET = ("快捷", "经济型", "如家", "汉庭", "7天", "七天", "锦江之星", "格林豪泰", "速8", "莫泰",
           "青年旅舍", "招待所", "budget")
_FLIGHT = ("机票", "航空", "航班", "飞机", "头等舱", "商务舱", "经济舱", "air ticket", "airline", "flight")
_HOTEL = ("酒店", "宾馆", "饭店", "住宿", "hotel")
_FIRST = ("一等座", "商务座", "特等座", "头等", "first class", "business class")
_SOFT = ("软卧",)
#: (words in the purpose, words in the payee's name, kind, zh, en); a payee's name alone
#: is not enough for broad words (a "旅游开发有限公司" sells more than holidays).
_OTHER_BARRED = (
    (("高尔夫", "golf"), ("高尔夫",), "golf", "高尔夫", "golf"),
    (("夜总会", "nightclub"), ("夜总会",), "nightclub", "夜总会", "a nightclub"),
    (("旅行社", "旅游", "度假", "travel"), ("旅行社",), "travel", "旅游度假", "travel"),
    (("购房", "首付", "房款", "买房", "购买房产", "购买不动产"), (), "real_estate", "购置不动产",
     "buying real estate"),
    (("购车", "车款", "买车", "购买车辆"), (), "car", "购车", "buying a car"),
    (("私立", "国际学校", "贵族学校"), ("国际学校",), "private_school", "私立学校学费",
     "private-school fees"),
)


def classify_consumption(purpose: str, payee_name: str = "") -> Consumption | None:
    """Classify a payment under the consumption restriction; None when it is ordinary.

    >>> classify_consumption("高铁 G1234 二等座").barred, classify_consumption("动车 D5678 二等座").barred
    (True, False)
    >>> classify_consumption("住宿费", "如家酒店连锁管理有限公司").kind
    'budget_hotel'
    >>> classify_consumption("机票 成都-北京", "四川航空股份有限公司").zh
    '乘坐飞机'
    >>> classify_consumption("超市购物") is None
    True
    >>> classify_consumption("12306 高铁票").barred, classify_consumption("K123 硬卧").barred
    (True, False)
    """
    text = f"{purpose} {payee_name}"
    train = _TRAIN.search(purpose)
    if train and (_has(text, ("铁路", "高铁", "动车", "火车", "12306", "座", "卧", "train"))):
        letter, number = train.group(1).upper(), train.group(2)
        code = f"{letter}{number}"
        if letter == "G":
            return Consumption("train", True, True, f"乘坐高铁（{code}）", f"a G-train ({code})")
        if letter in "CD" and _has(purpose, _FIRST):
            return Consumption("train", True, True, f"乘坐动车一等座以上（{code}）",
                               f"first class on a bullet train ({code})")
        if _has(purpose, _SOFT):
            return Consumption("train", True, True, f"乘坐软卧（{code}）", f"a soft sleeper ({code})")
        return Consumption("train", False, True, f"乘坐普通列车座位（{code}）", f"an allowed train seat ({code})")
    if _has(purpose, ("高铁", "high-speed rail")):
        return Consumption("train", True, True, "乘坐高铁", "a G-train")
    if _has(purpose, _SOFT):
        return Consumption("train", True, True, "乘坐软卧", "a soft sleeper")
    if _has(purpose, ("动车",)) and _has(purpose, _FIRST):
        return Consumption("train", True, True, "乘坐动车一等座以上", "first class on a bullet train")
    if _has(text, _FLIGHT):
        return Consumption("flight", True, True, "乘坐飞机", "a flight")
    if _has(text, _HOTEL):
        if _has(text, _BUDGET):
            return Consumption("budget_hotel", False, True, "入住经济型酒店", "a budget hotel")
        if _has(text, _LUXURY):
            return Consumption("luxury_hotel", True, True, "入住星级酒店", "a star-rated hotel")
        return Consumption("hotel", True, False, "入住等级不明的酒店", "a hotel of unknown class")
    for words, names, kind, zh, en in _OTHER_BARRED:
        if _has(purpose, words) or (names and _has(payee_name, names)):
            return Consumption(kind, True, True, zh, en)
    return None


#: Purposes of ordinary trade between firms (goods, materials, works, freight, services, rent).
TRADE_WORDS = ("货款", "材料款", "工程款", "运费", "运输费", "服务费", "采购", "租金", "租赁费", "加工费", "invoice")


def is_trade(purpose: str) -> bool:
    """The purpose names goods or services paid for (货款, 材料款, 设备租赁费...).

    >>> is_trade("设备租赁费"), is_trade("往来款")
    (True, False)
    """
    return any(w in purpose for w in TRADE_WORDS)
