"""Realistic Chinese identifiers and names for the evaluation caseload.

Resident IDs follow GB 11643 (ISO 7064 MOD 11-2 check digit), Unified Social
Credit Codes follow GB 32100 (with the GB 11714 organisation-code check inside),
phones are E.164, bank cards pass Luhn, case numbers follow 法〔2015〕137号.
Every function takes the generator's ``random.Random`` so output is seeded.
"""
from __future__ import annotations

import datetime as dt
import random

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹")
GIVEN_M = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林国建志成德荣"
GIVEN_F = "芳娜敏静丽艳娟霞燕玲桂英秀兰琴云莲洁梅琳倩婷雪慧佳悦晶颖红萍"
# County codes valid for any birth year in the GB/T 2260 history (no start or end year).
AREAS = ("513338", "513338", "513322", "513325", "513323", "513326", "513330", "513331")
TOWNS = ("得荣县松麦镇", "得荣县瓦卡镇", "得荣县白松镇", "康定市炉城镇", "泸定县泸桥镇",
         "成都市锦江区", "成都市武侯区", "成都市龙泉驿区", "德阳市旌阳区")
STREETS = ("人民路", "建设路", "金沙路", "滨江路", "团结街", "新华街", "春熙路", "光明巷", "解放路")
FIRMS = ("建筑工程", "商贸", "农业开发", "运输", "餐饮管理", "建材", "物流", "装饰工程",
         "旅游开发", "电子科技", "药业", "矿业", "家具", "汽车销售", "酒店管理")
BRANDS = "鑫源华泰宏达金鼎恒通瑞丰盛世天成永安隆兴嘉禾锦程博远康达"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
MOBILE_PREFIXES = tuple(str(p) for p in (*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159,
                                          *range(180, 190), 173, 177, 166, 199))
BANKS = {"中国工商银行": "622202", "中国建设银行": "621700", "中国农业银行": "622848",
         "四川农村信用社": "621458", "中国银行": "621661"}


def person_name(rng: random.Random, male: bool, surname: str | None = None) -> str:
    """A two- or three-character Chinese name."""
    pool = GIVEN_M if male else GIVEN_F
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.6 else "")
    return (surname or rng.choice(SURNAMES)) + given


def id_check_digit(first17: str) -> str:
    """GB 11643 check character for the first 17 digits."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return "10X98765432"[total % 11]


def id_number(rng: random.Random, birth: dt.date, male: bool, area: str | None = None) -> str:
    """An 18-digit resident ID: area, birth date, sequence (odd for men), check."""
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first = f"{area or rng.choice(AREAS)}{birth:%Y%m%d}{seq:03d}"
    return first + id_check_digit(first)


def _org_code(rng: random.Random) -> str:
    """A GB 11714 organisation code (8 characters and a check character)."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(ORG_ALPHABET.index(c) * w for c, w in zip(body, weights))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def uscc(rng: random.Random, area: str | None = None) -> str:
    """An 18-character Unified Social Credit Code (GB 32100) for a company."""
    first = "91" + (area or rng.choice(AREAS)) + _org_code(rng)
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first))
    return first + USCC_ALPHABET[(31 - total % 31) % 31]


def mobile(rng: random.Random) -> str:
    """An E.164 mainland mobile number."""
    prefix = rng.choice(MOBILE_PREFIXES)
    return "+86" + prefix + "".join(rng.choice("0123456789") for _ in range(8))


def landline(rng: random.Random) -> str:
    """An E.164 landline number in the 康定/得荣 area code (0836)."""
    return "+86836" + rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(6))


def luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit to ``prefix``."""
    total = 0
    for i, c in enumerate(reversed(prefix)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return prefix + str((10 - total % 10) % 10)


def card_number(rng: random.Random, bank: str) -> str:
    """A 19-digit debit card number with the bank's BIN and a Luhn check."""
    body = BANKS[bank] + "".join(rng.choice("0123456789") for _ in range(12))
    return luhn_complete(body)


def corporate_account(rng: random.Random) -> str:
    """A corporate settlement account number (no Luhn, as real ones often fail it)."""
    return "5100" + "".join(rng.choice("0123456789") for _ in range(16))


def address(rng: random.Random) -> str:
    """A street address in Sichuan."""
    return (f"四川省{rng.choice(TOWNS)}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
            f"{rng.randint(1, 12)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室")


def company_name(rng: random.Random, trade: str | None = None) -> str:
    """A county company name such as 得荣县鑫源建筑工程有限公司."""
    brand = "".join(rng.sample(BRANDS, 2))
    place = rng.choice(("得荣县", "甘孜州", "康定市", "成都市", "四川"))
    return f"{place}{brand}{trade or rng.choice(FIRMS)}有限公司"


def plate(rng: random.Random) -> str:
    """A Sichuan licence plate (川A12345 style)."""
    return "川" + rng.choice("ABFGHRV") + "".join(rng.choice("0123456789" + PLATE_LETTERS[:6]) for _ in range(5))


def title_number(rng: random.Random, year: int) -> str:
    """A 不动产权证号."""
    return f"川({year})得荣县不动产权第{rng.randint(1, 99999):07d}号"


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A uniformly random day in [start, end]."""
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
