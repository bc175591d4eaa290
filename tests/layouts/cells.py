"""Cell texts for one transaction: dates, amounts with their direction, counterparties.

Each function turns a value and a notation name (from axes.py) into what a bank's export
shows in a cell: a string for text formats, or a number / datetime for typed spreadsheets.
"""
from __future__ import annotations

import datetime as dt

FULLWIDTH = str.maketrans("0123456789.,-+", "０１２３４５６７８９．，－＋")
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def date_cells(when: dt.datetime, notation: str) -> list[object]:
    """The date cell (and the time cell, for split notations) of one row.

    >>> date_cells(dt.datetime(2023, 6, 10, 9, 12), "cn")
    ['2023年6月10日']
    >>> date_cells(dt.datetime(2023, 6, 10, 9, 12), "split_compact")
    ['20230610', '09:12:00']
    >>> date_cells(dt.datetime(2023, 6, 10, 9, 12), "serial")
    [45087]
    """
    if notation == "ymd_hms":
        return [f"{when:%Y-%m-%d %H:%M:%S}"]
    if notation == "ymd_slash":
        return [f"{when.year}/{when.month}/{when.day}"]
    if notation == "compact":
        return [f"{when:%Y%m%d}"]
    if notation == "cn":
        return [f"{when.year}年{when.month}月{when.day}日"]
    if notation == "serial":
        return [(dt.datetime.combine(when.date(), dt.time()) - EXCEL_EPOCH).days]
    if notation == "xl_datetime":
        return [when]
    if notation == "md_period":
        return [f"{when:%m/%d}"]
    if notation == "split":
        return [f"{when:%Y-%m-%d}", f"{when:%H:%M:%S}"]
    if notation == "split_compact":
        return [f"{when:%Y%m%d}", f"{when:%H:%M:%S}"]
    raise ValueError(f"unknown date notation {notation!r}")


def expected_date(when: dt.datetime, notation: str) -> str:
    """The ISO date (with time where the notation carries one) a loader should recover."""
    from .axes import DATES_WITH_TIME

    if notation in DATES_WITH_TIME:
        return when.strftime("%Y-%m-%dT%H:%M:%S")
    return when.strftime("%Y-%m-%d")


class AmountStyle:
    """How one variant writes an unsigned amount: notation plus the small choices within it."""

    def __init__(self, notation: str, typed: bool, yen: str, cny_prefix: bool, fw_thousands: bool):
        self.notation = notation
        self.typed = typed            # spreadsheet with numeric cells allowed
        self.yen = yen                # "¥" or the full-width "￥" (GBK has only the latter)
        self.cny_prefix = cny_prefix  # "CNY 3,000.00" rather than "3,000.00 CNY"
        self.fw_thousands = fw_thousands

    def numeric(self) -> bool:
        """Whether amounts go into typed numeric cells."""
        return self.notation == "number" and self.typed

    def text(self, value: float) -> str:
        """The unsigned amount as text.

        >>> AmountStyle("yen", False, "¥", True, False).text(3000)
        '¥3,000.00'
        >>> AmountStyle("fullwidth", False, "¥", True, False).text(3000.5)
        '３０００．５０'
        """
        n = self.notation
        if n in ("plain", "number"):
            return f"{value:.2f}"
        if n == "thousands":
            return f"{value:,.2f}"
        if n == "yen":
            return f"{self.yen}{value:,.2f}"
        if n == "yuan":
            return f"{value:.2f}元"
        if n == "cny":
            return f"CNY {value:,.2f}" if self.cny_prefix else f"{value:,.2f} CNY"
        if n == "fullwidth":
            body = f"{value:,.2f}" if self.fw_thousands else f"{value:.2f}"
            return body.translate(FULLWIDTH)
        raise ValueError(f"unknown amount notation {n!r}")

    def unsigned(self, value: float) -> object:
        """An unsigned amount cell (number or text)."""
        return round(value, 2) if self.numeric() else self.text(value)

    def signed(self, value: float, direction: str, convention: str) -> object:
        """A single amount cell that carries the direction itself (signed, paren, plus_minus).

        >>> s = AmountStyle("thousands", False, "¥", True, False)
        >>> s.signed(3000, "out", "paren"), s.signed(3000, "in", "plus_minus")
        ('(3,000.00)', '+3,000.00')
        """
        if self.numeric():
            return -round(value, 2) if direction == "out" else round(value, 2)
        body = self.text(value)
        if self.notation == "cny" and self.cny_prefix and convention != "paren":
            sign = {"signed": "-" if direction == "out" else "", "plus_minus": "-" if direction == "out" else "+"}
            return "CNY " + sign[convention] + body[4:]
        if convention == "signed":
            return "-" + body if direction == "out" else body
        if convention == "paren":
            return f"({body})" if direction == "out" else body
        if convention == "plus_minus":
            return ("-" if direction == "out" else "+") + body
        raise ValueError(f"{convention!r} is not a single-column convention")

    def empty(self, zero: bool) -> object:
        """The cell of the unused column of a pair: blank, or a zero amount."""
        if not zero:
            return "" if not self.numeric() else None
        return 0.0 if self.numeric() else self.text(0.0)


def number_format(convention: str) -> str:
    """The Excel number format for typed amounts under a direction convention."""
    if convention == "paren":
        return "#,##0.00;(#,##0.00)"
    if convention == "plus_minus":
        return "+#,##0.00;-#,##0.00"
    return "#,##0.00"
