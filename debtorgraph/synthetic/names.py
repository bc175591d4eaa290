"""Vocabulary of the synthetic county: names, places, banks, merchants and purposes.

Everything here is plain data; the generator draws from it with its own seeded
``random.Random``, so the same seed always picks the same words.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤扎泽降"
)
GIVEN_MALE = "伟强军磊勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳洋峰建国志文斌海东德荣"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华玲燕红梅琳雪婷慧莉萍颖琴云兰倩洁月蓉佳丹晶欣悦璐瑶"


@dataclass(frozen=True)
class County:
    """A county whose basic court runs the caseload."""

    province: str  # abbreviation used in case numbers and plates (川)
    division: str  # 6-digit administrative division code of the county
    court: str  # the court's name, as written in CourtCase.court
    place: str  # address prefix: province + prefecture + county
    plate: str  # licence plate prefix (川V)
    area_code: str  # fixed-line area code without the leading 0
    towns: tuple[str, ...]
    neighbours: tuple[str, ...]  # division codes for people born nearby (always valid in GB 11643)


COUNTIES = (
    County("川", "513338", "得荣县人民法院", "四川省甘孜藏族自治州得荣县", "川V", "836",
           ("松麦镇", "瓦卡镇", "子庚乡", "奔都乡", "八日乡", "徐龙乡"),
           ("513338", "513338", "513337", "513336", "513335", "513334", "513322", "510121")),
    County("川", "513401", "西昌市人民法院", "四川省凉山彝族自治州西昌市", "川W", "834",
           ("北城街道", "长安街道", "礼州镇", "安宁镇", "川兴镇", "佑君镇"),
           ("513401", "513401", "513424", "513423", "513433", "513426", "513427", "510121")),
    County("云", "532329", "武定县人民法院", "云南省楚雄彝族自治州武定县", "云E", "878",
           ("狮山镇", "高桥镇", "猫街镇", "插甸镇", "白路镇", "万德镇"),
           ("532329", "532329", "532328", "532327", "532326", "532322", "530124", "532323")),
    County("晋", "140121", "清徐县人民法院", "山西省太原市清徐县", "晋A", "351",
           ("清源镇", "徐沟镇", "东于镇", "孟封镇", "马峪乡", "柳杜乡"),
           ("140121", "140121", "140122", "140123", "140121", "140122", "140123", "140121")),
)

STREETS = ("人民路", "解放路", "建设路", "新华街", "胜利路", "团结路", "文化路", "滨河路", "幸福路", "光明街")
ESTATES = ("阳光花园", "金色家园", "锦绣小区", "滨江苑", "和平小区", "翠湖雅居", "康居苑", "东方明珠小区")

# Banks: (bankName, card BIN, statement file stem, publisher)
BANKS = (
    ("中国工商银行", "622202", "中国工商银行"),
    ("中国农业银行", "622848", "中国农业银行"),
    ("中国建设银行", "621700", "中国建设银行"),
    ("中国银行", "621661", "中国银行"),
    ("农村信用合作联社", "621457", "农村信用合作联社"),
    ("中国邮政储蓄银行", "621799", "中国邮政储蓄银行"),
)
WECHAT = ("财付通", "财付通支付科技有限公司")
ALIPAY = ("支付宝", "支付宝（中国）网络技术有限公司")

TRADES = ("商贸", "建材", "农业开发", "运输", "餐饮管理", "建筑工程", "电子科技", "物流", "矿业", "旅游开发",
          "劳务", "酒业", "石材", "汽车销售", "装饰工程")
COMPANY_WORDS = ("鑫源", "华泰", "金鼎", "宏达", "福顺", "恒通", "瑞丰", "安康", "顺达", "众诚", "兴旺",
                 "博远", "天成", "德润", "永盛", "嘉禾", "汇丰", "新城", "康泰", "佳和")
ROLES_JOB = ("员工", "司机", "会计", "销售", "厨师", "保安", "技术员", "仓管", "出纳", "施工员")
VEHICLE_MODELS = ("大众朗逸", "丰田卡罗拉", "本田雅阁", "比亚迪汉", "长城哈弗H6", "别克GL8", "奥迪A6L",
                  "宝马5系", "吉利博越", "五菱宏光", "丰田普拉多", "奔驰E300L")
VEHICLE_TYPES = ("小型轿车", "小型普通客车", "小型越野客车", "轻型厢式货车")

# Everyday merchants: (name, purposes, low, high)
SHOPS = (
    ("{county}红旗连锁超市有限公司", ("超市购物", "日用品", "消费"), 15, 600),
    ("{county}老味道餐饮店", ("餐饮", "晚餐", "聚餐"), 30, 500),
    ("国网{province}电力公司", ("电费", "代扣电费"), 40, 400),
    ("{county}自来水公司", ("水费",), 20, 150),
    ("中国移动通信集团{province}有限公司", ("话费充值", "手机话费"), 30, 300),
    ("中国石化销售股份有限公司{province}石油分公司", ("加油", "加油费"), 100, 600),
    ("{county}百姓大药房", ("药品",), 10, 300),
    ("拼多多（上海）网络科技有限公司", ("网购", "拼多多购物"), 10, 900),
    ("京东商城（北京）电子商务有限公司", ("网购", "京东购物"), 20, 2500),
    ("{county}燃气有限公司", ("燃气费",), 30, 300),
    ("{county}美家家具城", ("家具", "家电"), 200, 4500),
    ("{county}鲜果蔬菜店", ("买菜", "水果"), 5, 200),
)
CONSUMPTION_RAIL = "中国铁路{rail}局集团有限公司"
LUXURY_HOTEL = "{city}香格里拉大酒店有限公司"
BUDGET_HOTEL = "如家酒店连锁管理有限公司"
AIRLINES = ("中国国际航空股份有限公司", "四川航空股份有限公司", "中国东方航空股份有限公司")
CITIES = ("成都", "北京", "上海", "广州", "昆明", "西安", "深圳", "重庆", "杭州")

P2P_PURPOSES = ("转账", "微信红包", "生活费", "还钱", "AA餐费", "借款", "代付", "零花钱")
RELATIONS_ASSOC = ("朋友", "同学", "生意伙伴", "同事", "老乡")


def county_of(county: County, template: str) -> str:
    """Fill the ``{county}``/``{province}`` placeholders of a merchant name."""
    short = county.place[-3:]
    province = county.place[:2] if county.place[2] == "省" else county.place[:3]
    return template.format(county=short, province=province)
