"""The axes a statement layout varies along, their values, and which values exclude each other.

Each axis is a tuple of value names; a variant picks one value per axis.  Constraints are
pairwise (a value of one axis rules out a value of another), so a covering selection can
tell up front which pairs of values are possible at all.
"""
from __future__ import annotations

from typing import Mapping

# Container format of the file.
FORMATS = ("csv", "tsv", "padded", "eqtext", "xlsx", "xlsx_multi", "xlsx_split", "html_xls", "biff_xls")
# Formats whose cells are typed (numbers, dates); the others are text and take an encoding.
SPREADSHEET_FORMATS = frozenset({"xlsx", "xlsx_multi", "xlsx_split", "biff_xls"})
# Text encodings; "bin" is the placeholder for spreadsheet formats, which have none.
ENCODINGS = ("gbk", "gb18030", "utf8", "utf8bom", "utf16", "bin")
PYTHON_CODECS = {"gbk": "gbk", "gb18030": "gb18030", "utf8": "utf-8", "utf8bom": "utf-8-sig", "utf16": "utf-16"}

# Where the account holder is written.
PREAMBLES = (
    "filename",       # no preamble; holder name only in the file name (工行流水_王建国.csv)
    "one_cell",       # 户名：王某 账号：622... in one cell
    "across_cells",   # 户名,王某,账号,622... across cells
    "customer_card",  # 客户名称：... and 卡号：... lines
    "ideographic",    # 户　　名：... / 账　　号：... with ideographic spaces
    "period",         # holder lines plus 起止日期：2023-01-01至2023-06-30
    "columns",        # 户名/账号 columns on every row
    "anonymous",      # no holder anywhere
)
# How the direction of a move is written.
DIRECTIONS = (
    "signed",            # -3000.00 out, 3000.00 in
    "paren",             # (3,000.00) out
    "plus_minus",        # -3000.00 / +3000.00
    "in_out",            # 收入金额 / 支出金额 columns
    "debit_credit",      # 借方发生额 (out) / 贷方发生额 (in)
    "deposit_withdraw",  # 存入 / 取出
    "flag",              # unsigned amount plus a 借贷标志 column (styles in FLAG_STYLES)
    "shouzhi",           # 收/支 column with 收入/支出 and / for neutral moves
)
FLAG_STYLES = (("借", "贷"), ("D", "C"), ("借 Dr", "贷 Cr"), ("出", "入"))  # (out, in)
# How dates are written.
DATES = (
    "ymd_hms",       # 2023-06-10 09:12:00
    "ymd_slash",     # 2023/6/10
    "compact",       # 20230610
    "cn",            # 2023年6月10日
    "serial",        # Excel serial number in a General cell
    "xl_datetime",   # a date-time typed cell (serial with a date format)
    "md_period",     # 06/10, the year only in the statement period line
    "split",         # 2023-06-10 | 09:12:00 in two columns
    "split_compact", # 20230610 | 09:12:00 in two columns
)
DATES_WITH_TIME = frozenset({"ymd_hms", "xl_datetime", "split", "split_compact"})
# How amounts are written.
AMOUNTS = ("plain", "thousands", "yen", "yuan", "cny", "fullwidth", "number")
# How the counterparty is written.
COUNTERPARTIES = ("columns", "one_cell_slash", "one_cell_space", "name_only", "absent")
# What follows or interrupts the table.
FOOTERS = ("none", "total", "subtotal", "notice", "all")

AXES: Mapping[str, tuple[str, ...]] = {
    "encoding": ENCODINGS,
    "format": FORMATS,
    "preamble": PREAMBLES,
    "direction": DIRECTIONS,
    "date": DATES,
    "amount": AMOUNTS,
    "counterparty": COUNTERPARTIES,
    "footer": FOOTERS,
}


def available_axes() -> dict[str, tuple[str, ...]]:
    """AXES, without real BIFF `.xls` when `xlwt` (a test extra) is not installed."""
    try:
        import xlwt  # noqa: F401
    except ImportError:
        return {**AXES, "format": tuple(f for f in FORMATS if f != "biff_xls")}
    return dict(AXES)


def allowed(axis_a: str, value_a: str, axis_b: str, value_b: str) -> bool:
    """Whether two values of two different axes may appear in one variant."""
    pair = {axis_a: value_a, axis_b: value_b}
    fmt, enc = pair.get("format"), pair.get("encoding")
    if fmt is not None and enc is not None:
        if (fmt in SPREADSHEET_FORMATS) != (enc == "bin"):
            return False
        if fmt == "html_xls" and enc == "utf16":
            return False
    date = pair.get("date")
    if date in ("serial", "xl_datetime") and fmt is not None and fmt not in SPREADSHEET_FORMATS:
        return False
    if date in ("serial", "xl_datetime") and enc is not None and enc != "bin":
        return False
    if date == "md_period" and pair.get("preamble") not in (None, "period"):
        return False
    return True


def valid(variant: Mapping[str, str]) -> bool:
    """Whether a full assignment of axis values satisfies every pairwise constraint."""
    names = list(variant)
    return all(
        allowed(a, variant[a], b, variant[b]) for i, a in enumerate(names) for b in names[i + 1:]
    )


# Header synonyms per logical column; a variant picks one spelling of each (rotated so every
# spelling appears somewhere in the corpus).
HEADERS: Mapping[str, tuple[str, ...]] = {
    "date": ("交易日期", "记账日期", "交易时间", "入账日期"),
    "date_only": ("交易日期", "记账日期", "入账日期"),   # date column when time is a separate column
    "time": ("交易时间", "时间"),
    "amount": ("交易金额", "发生额", "金额", "金额(元)"),
    "in_out": (("收入金额", "支出金额"), ("收入", "支出")),
    "debit_credit": (("借方发生额", "贷方发生额"), ("借方金额", "贷方金额")),
    "deposit_withdraw": (("存入", "取出"), ("存入金额", "取出金额")),
    "flag": ("借贷标志", "借贷方向", "收支标志"),
    "shouzhi": ("收/支",),
    "cp_name": ("对方户名", "对手户名", "对方名称", "交易对手"),
    "cp_account": ("对方账号", "对手账号", "对方卡号"),
    "cp_cell": ("对手信息", "对方信息"),
    "summary": ("摘要", "用途", "附言", "交易摘要"),
    "balance": ("余额", "账户余额"),
    "serial_no": ("交易流水号", "流水号"),
    "holder_cols": (("户名", "账号"), ("账户名称", "卡号"), ("本方户名", "本方账号")),
    "channel": ("交易渠道", "渠道"),
    "currency": ("币种",),
    "cp_bank": ("对方开户行", "对方行名"),
}


def pick_header(key: str, index: int) -> object:
    """The spelling of logical column `key` that variant number `index` uses (rotating)."""
    options = HEADERS[key]
    return options[(index + sum(map(ord, key))) % len(options)]
