"""Lay one statement out as a variant asks: columns, preamble, data rows, footers, sheets.

`render` returns the sheets (lists of cell rows) that a writer turns into a file, the file
name, and the expected truth a loader must recover from it.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Callable

from .axes import FLAG_STYLES, SPREADSHEET_FORMATS, pick_header
from .cells import AmountStyle, date_cells, expected_date, number_format
from .data import BANKS, Move, Statement

Cell = object  # str | int | float | datetime | None


@dataclass
class Sheet:
    """One table of cells; `num_format` is the Excel format of typed amounts."""
    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    num_format: str = "#,##0.00"
    merges: list[int] = field(default_factory=list)  # rows whose first cell spans the width


@dataclass
class Rendered:
    """A variant ready to write: sheets, file name and the expected truth."""
    sheets: list[Sheet]
    file_name: str
    truth: dict[str, object]


def _columns(v: dict[str, str], index: int, st: Statement, rng: random.Random,
             style: AmountStyle) -> list[tuple[list[str], Callable[[Move], list[Cell]], str]]:
    """The table's columns as (headers, cells-of-a-move, role) in file order."""
    cols: list[tuple[list[str], Callable[[Move], list[Cell]], str]] = []
    date = v["date"]
    if date.startswith("split"):
        cols.append(([str(pick_header("date_only", index)), str(pick_header("time", index))],
                     lambda m: date_cells(m.when, date), "date"))
    else:
        cols.append(([str(pick_header("date", index))], lambda m: date_cells(m.when, date), "date"))
    if v["preamble"] == "columns":
        name_h, acct_h = pick_header("holder_cols", index)  # type: ignore[misc]
        cols.append(([name_h, acct_h], lambda m: [st.holder, st.account], "holder"))
    if rng.random() < 0.85:
        cols.append(([str(pick_header("summary", index))], lambda m: [m.purpose], "summary"))
    cols.extend(_direction_columns(v["direction"], index, rng, style))
    if rng.random() < 0.7:
        cols.append(([str(pick_header("balance", index))], lambda m: [style.unsigned(m.balance)], "balance"))
    if rng.random() < 0.3:
        cols.append(([str(pick_header("currency", index))], lambda m: ["人民币"], "currency"))
    cols.extend(_party_columns(v["counterparty"], index, rng))
    if rng.random() < 0.4:
        cols.append(([str(pick_header("channel", index))], lambda m: [m.channel], "channel"))
    if rng.random() < 0.5:
        serial = ([str(pick_header("serial_no", index))], lambda m: [m.serial_no], "serial")
        cols.insert(0 if rng.random() < 0.5 else len(cols), serial)
    return cols


def _direction_columns(conv: str, index: int, rng: random.Random, style: AmountStyle):
    """The amount column(s) and the direction column under one convention."""
    amount_h = str(pick_header("amount", index))
    if conv in ("signed", "paren", "plus_minus"):
        return [([amount_h], lambda m: [style.signed(m.amount, m.direction, conv)], "amount")]
    if conv in ("in_out", "debit_credit", "deposit_withdraw"):
        first, second = pick_header(conv, index)  # type: ignore[misc]
        # which side each header means: in_out and deposit_withdraw list "in" first
        first_dir = "out" if conv == "debit_credit" else "in"
        zero = rng.random() < 0.4

        def pair(m: Move) -> list[Cell]:
            value = style.unsigned(m.amount)
            blank = style.empty(zero)
            return [value, blank] if m.direction == first_dir else [blank, value]
        return [([first, second], pair, "amount")]
    if conv == "flag":
        out_word, in_word = FLAG_STYLES[index % len(FLAG_STYLES)]
        flag = ([str(pick_header("flag", index))],
                lambda m: [out_word if m.direction == "out" else in_word], "flag")
        amount = ([amount_h], lambda m: [style.unsigned(m.amount)], "amount")
        return [flag, amount] if rng.random() < 0.5 else [amount, flag]
    if conv == "shouzhi":
        words = {"out": "支出", "in": "收入", "neutral": "/"}
        return [(["收/支"], lambda m: [words[m.direction]], "flag"),
                ([amount_h], lambda m: [style.unsigned(m.amount)], "amount")]
    raise ValueError(f"unknown direction convention {conv!r}")


def _party_columns(kind: str, index: int, rng: random.Random):
    """The counterparty column(s) under one counterparty style."""
    banks = {}

    def bank_of(m: Move) -> str:
        if m.party.account is None:
            return ""
        return banks.setdefault(m.party.name, rng.choice(BANKS)[1] + rng.choice(("", "成都分行", "营业部")))
    if kind == "columns":
        cols = [([str(pick_header("cp_name", index)), str(pick_header("cp_account", index))],
                 lambda m: [m.party.name, m.party.account or ""], "party")]
        if rng.random() < 0.3:
            cols.append(([str(pick_header("cp_bank", index))], lambda m: [bank_of(m)], "party_bank"))
        return cols
    if kind in ("one_cell_slash", "one_cell_space"):
        sep = "/" if kind == "one_cell_slash" else " "
        return [([str(pick_header("cp_cell", index))],
                 lambda m: [m.party.name + (sep + m.party.account if m.party.account else "")], "party")]
    if kind == "name_only":
        return [([str(pick_header("cp_name", index))], lambda m: [m.party.name], "party")]
    return []


def _period_line(st: Statement, rng: random.Random) -> str:
    """A statement period line in one of the spellings banks use."""
    a, b = st.start, st.end
    return rng.choice((f"起止日期：{a:%Y-%m-%d}至{b:%Y-%m-%d}", f"交易期间：{a:%Y/%m/%d} - {b:%Y/%m/%d}",
                       f"查询起止日期：{a:%Y%m%d}--{b:%Y%m%d}"))


def _preamble(kind: str, st: Statement, rng: random.Random) -> list[list[Cell]]:
    """Rows above the header that name the holder (or not), in one of the preamble styles."""
    title = [[rng.choice((f"{st.bank_name}个人账户交易明细", f"{st.bank_name}账户历史明细清单",
                          "活期账户交易明细", "客户交易明细对账单"))]]
    extra = [rng.choice((["币种：人民币"], [f"开户行：{st.bank_name}{rng.choice(('营业部', '城南支行'))}"],
                         [f"查询时间：{st.end + dt.timedelta(days=3):%Y-%m-%d} 10:21:07"]))]
    if kind == "one_cell":
        sep = rng.choice((" ", "  ", "\u3000"))
        body = [[f"户名：{st.holder}{sep}账号：{st.account}"]]
    elif kind == "across_cells":
        body = [["户名", st.holder, "账号", st.account, "币种", "人民币"]]
    elif kind == "customer_card":
        body = [[f"客户名称：{st.holder}"], [f"卡号：{st.account}"]]
    elif kind == "ideographic":
        body = [[f"户\u3000\u3000名：{st.holder}"], [f"账\u3000\u3000号：{st.account}"]]
    elif kind == "period":
        body = [[f"户名：{st.holder}"], [f"账号：{st.account}"], [_period_line(st, rng)]]
    else:  # filename, columns, anonymous: the table starts on the first row
        return []
    rows = (title if rng.random() < 0.7 else []) + body + (extra if rng.random() < 0.5 else [])
    return rows + ([[]] if rng.random() < 0.4 else [])


def _sum_row(label: str, moves: list[Move], cols, conv: str, style: AmountStyle) -> list[Cell]:
    """A 合计/小计 row: label in the first cell, totals in the amount column(s)."""
    out = round(sum(m.amount for m in moves if m.direction == "out"), 2)
    inn = round(sum(m.amount for m in moves if m.direction == "in"), 2)
    row: list[Cell] = []
    for headers, _, role in cols:
        if role == "amount":
            if len(headers) == 2:
                first_is_out = conv == "debit_credit"
                row += [style.unsigned(out), style.unsigned(inn)] if first_is_out else \
                       [style.unsigned(inn), style.unsigned(out)]
            elif conv in ("signed", "paren", "plus_minus"):
                net = round(inn - out, 2)
                row.append(style.signed(abs(net), "out" if net < 0 else "in", conv))
            else:
                row.append(style.unsigned(round(inn + out, 2)))
        else:
            row += [""] * len(headers)
    row[0] = label
    if len(row) > 1 and row[1] == "":
        row[1] = f"共{len(moves)}笔"
    return row


def _table(v, moves: list[Move], cols, style, rng, with_total: bool) -> list[list[Cell]]:
    """Header, data rows, and the footers the variant asks for (subtotals inside, totals after)."""
    footer = v["footer"]
    rows: list[list[Cell]] = [[h for headers, _, _ in cols for h in headers]]
    for i, m in enumerate(moves):
        rows.append([c for _, cells, _ in cols for c in cells(m)])
        last_of_month = i + 1 == len(moves) or moves[i + 1].when.month != m.when.month
        if footer in ("subtotal", "all") and last_of_month:
            month = [x for x in moves if x.when.month == m.when.month]
            rows.append(_sum_row(rng.choice(("本月小计", "小计")), month, cols, v["direction"], style))
    if with_total and footer in ("total", "all"):
        rows.append(_sum_row(rng.choice(("合计", "总计")), moves, cols, v["direction"], style))
    return rows


def _notice(st: Statement, rng: random.Random) -> list[list[Cell]]:
    """Notice lines after the table: disclaimer, print time, clerk."""
    printed = st.end + dt.timedelta(days=rng.randint(1, 20))
    return [[], ["以上数据仅供参考，具体以银行正式对账单为准。"],
            [f"打印时间：{printed:%Y-%m-%d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:11"],
            [f"经办柜员：A{rng.randint(1000, 9999)}  打印网点：{st.bank_name}营业部"]]


def _file_name(v: dict[str, str], st: Statement, rng: random.Random, index: int) -> str:
    """The file name: holder in it only for the `filename` preamble."""
    fmt = v["format"]
    ext = {"csv": ".csv", "padded": ".csv", "eqtext": ".csv", "tsv": ".tsv" if index % 2 else ".txt",
           "html_xls": ".xls", "biff_xls": ".xls"}.get(fmt, ".xlsx")
    if v["preamble"] == "filename":
        return f"{st.bank_short}流水_{st.holder}{ext}"
    return rng.choice(("交易明细", "账户明细", "流水明细", "statement", "对账单", "历史明细")) + ext


def render(v: dict[str, str], index: int, st: Statement, rng: random.Random) -> Rendered:
    """Lay statement `st` out as variant `v` (number `index` in the corpus) asks."""
    gb = v["encoding"] in ("gbk", "gb18030")
    style = AmountStyle(v["amount"], v["format"] in SPREADSHEET_FORMATS,
                        "￥" if gb or rng.random() < 0.5 else "¥", rng.random() < 0.5, rng.random() < 0.5)
    cols = _columns(v, index, st, rng, style)
    moves = list(st.moves)
    preamble = _preamble(v["preamble"], st, rng)
    notice = _notice(st, rng) if v["footer"] in ("notice", "all") else []
    fmt_code = number_format(v["direction"])
    data_name = rng.choice(("交易明细", "Sheet1", "明细"))
    if v["format"] == "xlsx_split":
        half = len(moves) // 2
        parts = [(moves[:half], False), (moves[half:], True)]
        sheets = [Sheet(f"{data_name}_{n + 1}", preamble + _table(v, part, cols, style, rng, last)
                        + (notice if last else []), fmt_code) for n, (part, last) in enumerate(parts)]
        sheets.append(_notes_sheet())
    else:
        sheets = [Sheet(data_name, preamble + _table(v, moves, cols, style, rng, True) + notice, fmt_code)]
        if v["format"] == "xlsx_multi":
            twin = Sheet(f"{data_name} (2)", [list(r) for r in sheets[0].rows], fmt_code)
            sheets = [sheets[0], twin]
            sheets.insert(0 if rng.random() < 0.5 else 2, _notes_sheet())
    for sheet in sheets:
        sheet.merges = [i for i, row in enumerate(sheet.rows) if len(row) == 1]
    return Rendered(sheets, _file_name(v, st, rng, index), _truth(v, st))


def _notes_sheet() -> Sheet:
    """A sheet of explanations with no transactions."""
    return Sheet("说明", [["说明"], ["1. 本明细仅包含人民币活期账户交易。"], ["2. 金额单位：元。"],
                        ["3. 如有疑问请致电客服热线 95588。"]])


def _truth(v: dict[str, str], st: Statement) -> dict[str, object]:
    """What a loader must recover: holder, holder account, and every transaction."""
    holder = None if v["preamble"] == "anonymous" else st.holder
    account = None if v["preamble"] in ("anonymous", "filename") else st.account
    cp = v["counterparty"]
    rows = []
    for m in st.moves:
        name = None if cp == "absent" else m.party.name
        acct = m.party.account if cp in ("columns", "one_cell_slash", "one_cell_space") else None
        rows.append({"date": expected_date(m.when, v["date"]), "amount": m.amount, "direction": m.direction,
                     "counterparty": {"name": name, "account": acct}, "purpose": m.purpose})
    return {"holder": {"name": holder, "account": account}, "rows": rows}
