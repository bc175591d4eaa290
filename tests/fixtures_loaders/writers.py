"""Real-looking court files, written on the fly: bank statements, bills, registry replies.

Every writer takes a folder and returns the path it wrote. The data tells a small story:
王某某 (the debtor, ID 11010519491231002X) moves 50,000 yuan to his sister 王小妹, takes
cash, sells his stake in 成都某某商贸有限公司 to 李四 for 1 yuan, and divorces.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

DEBTOR, DEBTOR_ID = "王某某", "11010519491231002X"
SISTER, SISTER_ID = "王小妹", "513338199001011236"  # check digit wrong on purpose
DEBTOR_ACCT = "6222020200001234567"
SISTER_ACCT = "6217003810001234567"
COMPANY, USCC = "成都某某商贸有限公司", "91350100M000100Y43"


def write_csv(path: Path, lines: list[str], encoding: str = "gbk", bom: bool = False) -> Path:
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]],
               merges: dict[str, list[str]] | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cell_range in (merges or {}).get(name, []):
            ws.merge_cells(cell_range)
    book.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    ws.write(r, c, value, date_style)
                elif value is not None:
                    ws.write(r, c, value)
    book.save(str(path))
    return path


# ------------------------------------------------------------------ bank statements

def icbc_xlsx(folder: Path) -> Path:
    """工商银行 XLSX: preamble, 记账金额(收入)/(支出), datetime cells, a 合计 row, notes."""
    rows: list[list[Any]] = [
        ["中国工商银行借记卡账户历史明细清单"],
        [f"卡号：{DEBTOR_ACCT}", None, f"户名：{DEBTOR}"],
        ["起止日期：2023-05-01 至 2023-05-31"],
        ["交易日期", "摘要", "交易场所", "记账金额(收入)", "记账金额(支出)", "余额",
         "对方户名", "对方账号", "对方开户行", "渠道"],
        [datetime(2023, 5, 1, 10, 1, 2), "跨行汇款", "网上银行", None, 50000, 150000,
         SISTER, SISTER_ACCT, "中国建设银行成都分行", "网银"],
        [datetime(2023, 5, 2, 9, 0), "ATM取款", "成都春熙路", None, "2,000.00", 148000,
         None, None, None, "ATM"],
        [datetime(2023, 5, 3, 12, 0), "货款", None, "￥1,000.00", None, 149000,
         COMPANY, "6222020200009999999", "中国工商银行", "柜面"],
        [None, "合计", None, 1000, 52000, None, None, None, None, None],
        [],
        ["注：本清单仅供参考"],
    ]
    return write_xlsx(folder / "工行流水.xlsx", {"明细": rows})


def abc_csv(folder: Path) -> Path:
    """农业银行 GBK CSV: signed amounts, 20230501 dates, 100102 times, a bad row."""
    return write_csv(folder / "农行流水.csv", [
        "中国农业银行账户交易明细",
        f"账户名称：{SISTER},账号：{SISTER_ACCT}",
        "交易日期,交易时间,交易金额,本次余额,对方户名,对方账号,对方开户行,交易渠道,摘要,附言,交易流水号",
        f"20230501,100105,\"50,000.00\",50000.00,{DEBTOR},{DEBTOR_ACCT},中国工商银行,网银,转账,借款,ABC001",
        "20230504,080000,-30000.00,20000.00,,,,柜面,现金支取,,ABC002",
        "20230505,080000,\"（1,000.00）\",19000.00,张三,6228480000000001,中国农业银行,网银,转账,,ABC003",
        "20230506,xx:yy,500.00,19500.00,张三,6228480000000001,中国农业银行,网银,转账,,ABC004",
    ])


def boc_xls(folder: Path) -> Path:
    """中国银行 XLS: 交易金额 + 借贷标志, full-width digits."""
    header = ["交易日期", "交易时间", "业务摘要", "对方账户名称", "对方账户账号", "对方开户网点",
              "币种", "交易金额", "借贷标志", "交易后余额", "交易渠道", "附言", "流水号"]
    rows: list[list[Any]] = [
        ["中国银行交易流水明细"],
        [f"客户名称：{DEBTOR}", "账号：6216610100001234567"],
        header,
        [datetime(2023, 6, 1), "14:30:00", "网银转账", SISTER, SISTER_ACCT, "建行成都分行",
         "人民币", "８，０００．００", "借", 92000.0, "网银", "还款", "BOC0001"],
        [datetime(2023, 6, 2), "09:00:00", "工资", COMPANY, "6222020200009999999", "工行",
         "人民币", 12000.5, "贷", 104000.5, "柜面", "", "BOC0002"],
    ]
    return write_xls(folder / "中行流水.xls", {"Sheet1": rows})


def boc_html_xls(folder: Path) -> Path:
    """中国银行 statement as many online banks export it: an HTML page saved as .xls (GBK),
    the title spanning every column, the account line spanning two rows."""
    header = ["交易日期", "交易时间", "业务摘要", "对方账户名称", "对方账户账号", "对方开户网点",
              "币种", "交易金额", "借贷标志", "交易后余额", "交易渠道", "附言", "流水号"]
    body = [["2023-06-01", "14:30:00", "网银转账", SISTER, SISTER_ACCT, "建行成都分行",
             "人民币", "８，０００．００", "借", "92000.00", "网银", "还款", "BOC0001"],
            ["2023-06-02", "09:00:00", "工资", COMPANY, "6222020200009999999", "工行",
             "人民币", "12000.50", "贷", "104000.50", "柜面", "", "BOC0002"]]

    def tr(cells: list[str], tag: str = "td") -> str:
        return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>\n"

    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
            "<style>td { mso-number-format:'\\@'; }</style></head><body>\n<table border=1>\n"
            f'<tr><td colspan="{len(header)}">中国银行交易流水明细</td></tr>\n'
            f'<tr><td rowspan="2" colspan="3">客户名称：{DEBTOR}</td><td>账号：6216610100001234567</td></tr>\n'
            "<tr><td>打印日期：2023-07-01</td></tr>\n"
            + tr(header, "th") + "".join(tr(row) for row in body) + "</table></body></html>\n")
    path = folder / "中行流水.xls"
    path.write_bytes(page.encode("gbk"))
    return path


def ccb_xlsx(folder: Path) -> Path:
    """建设银行 XLSX: 支出/收入 columns, Excel serial dates stored as numbers, 万元 amount."""
    rows: list[list[Any]] = [
        ["中国建设银行个人活期账户全部交易明细"],
        [f"客户名称：{SISTER}", f"卡号/账号：{SISTER_ACCT}"],
        ["序号", "交易日期", "交易时间", "摘要", "币别", "支出", "收入", "账户余额", "对方户名",
         "对方账号", "对方开户行", "交易地点/附言"],
        [1, 45047, "10:01:02", "跨行转入", "人民币", None, "5万元", 50000, DEBTOR, DEBTOR_ACCT,
         "中国工商银行", "借款"],
        [2, "2023年5月8日", "16:00", "消费", "人民币", 299.9, None, 49700.1, "某商场",
         "6222000000000001", "中国银行", ""],
    ]
    return write_xlsx(folder / "建行流水.xlsx", {"交易明细": rows})


def rcb_csv(folder: Path, encoding: str = "gb18030") -> Path:
    """农村商业银行 CSV (GB18030): 借方/贷方发生额, 本方账号 per row, subtotal row."""
    return write_csv(folder / "农商行对账单.csv", [
        "成都农村商业银行 账户对账单",
        "开户机构：成都农村商业银行春熙支行",
        "交易日期,交易时间,本方账号,本方户名,借方发生额,贷方发生额,余额,对方户名,对方账号,对方行名,摘要,用途,交易流水号",
        f"2023-07-01,10:00:00,6214000000000001,{DEBTOR},\"20,000.00\",,80000.00,{SISTER},{SISTER_ACCT},建设银行,转账,生活费,RCB01",
        f"2023-07-02,11:00:00,6214000000000001,{DEBTOR},,5000.00,85000.00,李四,6214000000000002,成都农商行,转账,,RCB02",
        "2023-07-03,09:00:00,6214000000000001,王某某,,10000.00,95000.00,,,,存现,,RCB03",
        "小计,,,,20000.00,15000.00,,,,,,,",
    ], encoding=encoding)


def wechat_csv(folder: Path) -> Path:
    """微信支付账单明细 (UTF-8 with BOM): preamble, ¥ amounts, tab-padded ids, neutral rows."""
    return write_csv(folder / "微信支付账单(20230101-20230331).csv", [
        "微信支付账单明细,,,,,,,,,,",
        f"微信昵称：[{DEBTOR}],,,,,,,,,,",
        "起始时间：[2023-01-01 00:00:00] 终止时间：[2023-03-31 23:59:59],,,,,,,,,,",
        "导出类型：[全部],,,,,,,,,,",
        "共3笔记录,,,,,,,,,,",
        "收入：1笔 500.00元,,,,,,,,,,",
        "----------------------微信支付账单明细列表--------------------,,,,,,,,,,",
        "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注",
        f"2023-03-01 20:00:00,转账,{SISTER},/,支出,¥20000.00,零钱,对方已收钱,1000050001202303010001\t,/,/",
        "2023-03-02 12:00:00,商户消费,美团,美团订单,支出,¥25.50,招商银行(1234),支付成功,4200001234202303020002\t,M0002\t,/",
        "2023-03-03 09:00:00,零钱提现,招商银行(1234),/,/,¥5000.00,零钱,提现已到账,1000060001202303030003\t,/,/",
    ], encoding="utf-8", bom=True)


def wechat_sister_csv(folder: Path) -> Path:
    """The sister's WeChat bill, showing the same 20,000 transfer as income."""
    return write_csv(folder / "微信支付账单_王小妹.csv", [
        "微信支付账单明细",
        f"微信昵称：[{SISTER}]",
        "----------------------微信支付账单明细列表--------------------",
        "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注",
        f"2023-03-01 20:00:01,转账,{DEBTOR},/,收入,¥20000.00,零钱,已存入零钱,1000050001202303010001\t,/,/",
    ], encoding="utf-8")


def alipay_csv(folder: Path) -> Path:
    """支付宝交易记录明细 (GBK): padded cells, trailing comma, closed trade, trailer notes."""
    def row(*cells: str) -> str:
        return ",".join(f"{c:<20}" for c in cells) + ","
    return write_csv(folder / "alipay_record_20230401.csv", [
        "支付宝交易记录明细查询",
        "账号:[wang@example.com]",
        "起始日期:[2023-01-01 00:00:00]    终止日期:[2023-03-31 23:59:59]",
        "---------------------------------交易记录明细列表------------------------------------",
        row("交易号", "商家订单号", "交易创建时间", "付款时间", "最近修改时间", "交易来源地", "类型",
            "交易对方", "商品名称", "金额（元）", "收/支", "交易状态", "服务费（元）", "成功退款（元）",
            "备注", "资金状态"),
        row("2023030122001411111111111111", "", "2023-03-01 10:00:00", "2023-03-01 10:00:05",
            "2023-03-01 10:00:05", "其他（包括阿里巴巴和外部商家）", "即时到账交易", SISTER,
            "转账", "30000.00", "支出", "交易成功", "0.00", "0.00", "", "已支出"),
        row("2023030222001422222222222222", "T200", "2023-03-02 11:00:00", "",
            "2023-03-02 11:30:00", "淘宝", "即时到账交易", "某网店", "手机", "4999.00", "支出",
            "交易关闭", "0.00", "0.00", "", ""),
        "------------------------------------------------------------------------------------",
        "共2笔记录",
        "已收入:0笔,0.00元",
        "已支出:1笔,30000.00元",
        "导出时间:[2023-04-01 10:00:00]",
        "用户:王某某",
    ], encoding="gbk")


# ------------------------------------------------------------------ registries

def real_estate_xlsx(folder: Path) -> Path:
    rows: list[list[Any]] = [
        ["不动产登记信息查询结果"],
        ["查询日期：2023-08-01"],
        ["权利人", "证件号码", "不动产权证号", "坐落", "建筑面积", "规划用途", "登记日期",
         "登记原因", "交易价格", "查封状态", "查封日期", "查封机关", "查封文号", "抵押状态"],
        [DEBTOR, DEBTOR_ID, "川（2021）成都市不动产权第0123456号", "成都市锦江区春熙路1号1栋1单元101",
         "89.5平方米", "住宅", "2021-03-15", "买卖", "1200000", "查封", "2023-06-01",
         "得荣县人民法院", "（2022）川3338执123号", "抵押"],
        [SISTER, SISTER_ID, "川（2023）成都市不动产权第0999999号", "成都市武侯区人民南路2号", "120",
         "住宅", "2023年6月20日", "赠与", None, "无", None, None, None, "无"],
    ]
    return write_xlsx(folder / "不动产查询.xlsx", {"查询结果": rows})


def vehicle_csv(folder: Path) -> Path:
    return write_csv(folder / "车辆查询.csv", [
        "号牌号码,号牌种类,机动车所有人,身份证明号码,中文品牌,车辆型号,车辆类型,车辆识别代号,初次登记日期,机动车状态,查封日期,查封单位",
        f"川A12345,小型汽车,{DEBTOR},{DEBTOR_ID},宝马,BMW7201,小型轿车,LBV12345678901234,2020-01-10,查封,2023-06-05,得荣县人民法院",
        f"川A54321,小型汽车,{SISTER},,丰田,凯美瑞,小型轿车,,2023-06-25,正常,,",
    ], encoding="gbk")


def housing_fund_xlsx(folder: Path) -> Path:
    rows: list[list[Any]] = [
        ["成都住房公积金管理中心 个人账户信息"],
        ["查询日期：2023-08-01"],
        ["公积金账号", "姓名", "证件号码", "单位名称", "开户日期", "月缴存额", "账户余额", "账户状态",
         "手机号码"],
        ["0101234567", DEBTOR, DEBTOR_ID, COMPANY, "2015-07-01", "1,200.00", "86,500.30", "冻结",
         "139 1234 5678"],
    ]
    return write_xlsx(folder / "公积金.xlsx", {"Sheet1": rows})


def samr_xlsx(folder: Path) -> Path:
    """工商 extract: 基本信息, 股东及出资信息 (万元), 变更记录 dating a 1-yuan equity transfer."""
    return write_xlsx(folder / "企业登记信息.xlsx", {
        "基本信息": [
            ["企业名称", "统一社会信用代码", "法定代表人", "注册资本", "成立日期", "登记状态", "住所"],
            [COMPANY, USCC, "李四", "100万元人民币", "2015-06-01", "存续", "成都市锦江区"],
        ],
        "股东及出资信息": [
            ["股东名称", "股东类型", "证照号码", "认缴出资额(万元)", "实缴出资额(万元)", "出资比例"],
            ["李四", "自然人股东", "", 60, 0, "60%"],
            ["赵六", "自然人股东", "", 40, 40, "40%"],
        ],
        "变更记录": [
            ["序号", "变更日期", "变更事项", "变更前", "变更后"],
            [1, "2023-06-10", "股东(投资人)变更", f"{DEBTOR}(60%)；赵六(40%)",
             "李四(60%)；赵六(40%)；转让价格：1元"],
            [2, "2023-06-10", "法定代表人变更", DEBTOR, "李四"],
            [3, "2023-07-01", "经营范围变更", "批发", "批发、零售"],
        ],
    })


def household_csv(folder: Path) -> Path:
    return write_csv(folder / "户籍信息.csv", [
        "户号,姓名,与户主关系,公民身份号码,性别,出生日期,住址",
        f"510100001,{DEBTOR},户主,{DEBTOR_ID},男,1949-12-31,成都市锦江区春熙路1号",
        "510100001,刘某,妻,,女,1952-01-01,成都市锦江区春熙路1号",
        "510100001,王小明,长子,,男,1980-05-05,成都市锦江区春熙路1号",
        ",,,,,,",
    ], encoding="gbk")


def marriage_xlsx(folder: Path) -> Path:
    return write_xlsx(folder / "婚姻登记.xlsx", {"婚姻登记": [
        ["男方姓名", "男方身份证件号", "女方姓名", "女方身份证件号", "登记类型", "登记日期", "登记机关"],
        [DEBTOR, DEBTOR_ID, "刘某", "", "结婚登记", "1975-10-01", "成都市锦江区民政局"],
        [DEBTOR, DEBTOR_ID, "刘某", "", "离婚登记", "2023-05-20", "成都市锦江区民政局"],
    ]})


def cases_xlsx(folder: Path) -> Path:
    return write_xlsx(folder / "执行案件.xlsx", {"案件列表": [
        ["案号", "执行法院", "立案日期", "生效日期", "被执行人", "被执行人证件号码", "申请执行人",
         "执行标的(万元)", "未履行金额", "案件状态", "结案日期", "结案方式", "执行依据"],
        ["（2022）川3338执123号", "得荣县人民法院", "2022-09-01", "2022-07-15", DEBTOR, DEBTOR_ID,
         "成都某银行股份有限公司", 50, "480,000.00", "已结案", "2023-08-30", "终结本次执行程序",
         "（2022）川3338民初45号"],
    ]})


def measures_csv(folder: Path) -> Path:
    return write_csv(folder / "执行措施.csv", [
        "案号,执行法院,被执行人,证件号码,措施类型,财产类型,财产,协助执行单位,措施日期,解除日期,冻结金额",
        f"（2022）川3338执123号,得荣县人民法院,{DEBTOR},{DEBTOR_ID},冻结,银行存款,{DEBTOR_ACCT},中国工商银行,2022-09-10,,\"150,000.00\"",
        f"（2022）川3338执123号,得荣县人民法院,{DEBTOR},{DEBTOR_ID},查封,不动产,川（2021）成都市不动产权第0123456号,,2023-06-01,,",
        f"（2022）川3338执123号,得荣县人民法院,{DEBTOR},{DEBTOR_ID},纳入失信被执行人名单,,,,2022-12-01,,",
        f"（2022）川3338执123号,得荣县人民法院,{DEBTOR},{DEBTOR_ID},限制消费令,,,,2022-12-01,,",
        f"（2022）川3338执123号,得荣县人民法院,{DEBTOR},{DEBTOR_ID},执行通知,,,,2022-09-05,,",
        f"（2022）川3338执123号,得荣县人民法院,{DEBTOR},{DEBTOR_ID},拍照,,,,2022-09-05,,",
    ], encoding="utf-8")
