"""Notations of statement cells that the plain parsers do not read, rewritten column-wise.

- amounts with a note in brackets (``100.00（已退款）``, ``¥30.00(已全额退款)``), a currency
  word before or after (``CNY 1,000.00``, ``1,000.00 人民币``) or a sign after a space;
- dates without a year (``06/10``, ``6月10日``): the year comes from the statement period
  (``查询期间：2023-01-01 至 2023-12-31``), or the file's other dates;
- one cell holding the counterparty's name and account (``王小妹 6217…``,
  ``6217…/王小妹``, ``王小妹(6217…)``): split into a name column and an account column.

>>> clean_amount("¥30.00(已全额退款)")
'¥30.00'
>>> split_party("王小妹/6217003810001234567")
('王小妹', '6217003810001234567')
>>> with_year("06/10", [(2022, 12), (2023, 6)])
'2023-06-10'
>>> with_year("12/29", [(2024, 1)])
'2023-12-29'
"""
from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc

_NOTE = re.compile(r"\s*[(（\[【][^)）\]】]*[\u4e00-\u9fff][^)）\]】]*[)）\]】]\s*$")
_BRACKETED = re.compile(r"^[(（]\s*[-+]?[¥￥]?\s*[\d,.]+\s*(元|CNY|RMB)?\s*[)）]$")
_WORDS = re.compile(r"^(CNY|RMB|人民币|USD|美元)\s*|\s*(CNY|RMB|人民币)$", re.IGNORECASE)
_LEAD_WORD = re.compile(r"^[\u4e00-\u9fff]{1,4}[:：]?\s*(?=[-+¥￥\d(（])")
_SHORT = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(.*)$")
_FULL_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*\d{1,2})?|"
                        r"((?:19|20)\d{2})(\d{2})\d{2}")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(.*)$")
_ACCOUNT = re.compile(r"[0-9][0-9*\-]{5,}[0-9Xx*]|[0-9]{6,}")


def clean_amount(text: str) -> str:
    """An amount cell without a trailing note in brackets or a currency word."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return text
    if not _BRACKETED.match(text):
        text = _NOTE.sub("", text)
    text = _WORDS.sub("", text).strip()
    text = _LEAD_WORD.sub("", text)
    return re.sub(r"^([-+])\s+", r"\1", text)


def clean_amounts(arr: pa.Array) -> pa.Array:
    """:func:`clean_amount` over a column (a no-op for plain numbers, which stay as they are)."""
    odd = pc.match_substring_regex(arr, pattern=r"[\x{4e00}-\x{9fff}A-Za-z]|^\s*[-+]\s")
    if not len(arr) or not pc.any(odd).as_py():
        return arr
    values = arr.to_pylist()
    return pa.array([clean_amount(v) if v else v for v in values], pa.string())


def period_months(text: str) -> list[tuple[int, int]]:
    """The (year, month) of every full date written in ``text`` (the statement period)."""
    found = []
    for m in _FULL_DATE.finditer(unicodedata.normalize("NFKC", text or "")):
        year = int(m.group(1) or m.group(3))
        month = int(m.group(2) or m.group(4) or 1)
        if 1 <= month <= 12:
            found.append((year, month))
    return found


def with_year(text: str, months: list[tuple[int, int]]) -> str:
    """``06/10`` as ``2023-06-10`` given the period's (year, month) list; else unchanged."""
    m = _SHORT.match(unicodedata.normalize("NFKC", text or "").strip())
    if not m or not months:
        return text
    month, day, rest = int(m.group(1)), int(m.group(2)), m.group(3).strip()
    last = max(months)
    year = last[0] - 1 if month > last[1] else last[0]
    out = f"{year:04d}-{month:02d}-{day:02d}"
    return f"{out} {rest}" if rest else out


def complete_dates(arrays: list[pa.Array], months: list[tuple[int, int]],
                   day_first: str | None = None) -> pa.Array:
    """The first non-empty date of the columns (or a later one giving the time of day of the
    same date: 交易时间 beside 记账日期), the year added to cells written without one,
    ``09/04/2025`` turned ISO (day first unless ``day_first`` is ``mdy``).

    >>> complete_dates([pa.array(["2023-08-05"]), pa.array(["2023-08-05 13:36:00"])], []).to_pylist()
    ['2023-08-05 13:36:00']
    """
    out = []
    for cells in zip(*(a.to_pylist() for a in arrays)):
        filled = [v.strip() for v in cells if v and v.strip()]
        value = filled[0] if filled else ""
        if ":" not in value and (digits := re.sub(r"\D", "", value)):
            value = next((v for v in filled[1:] if ":" in v and re.sub(r"\D", "", v).startswith(digits)), value)
        m = _SLASHED.match(value)
        if m:
            a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
            day, month = (b, a) if day_first == "mdy" else (a, b)
            value = f"{year}-{month:02d}-{day:02d}{m.group(4)}"
        elif value:
            value = with_year(value, months)
        out.append(value)
    return pa.array(out, pa.string())


def split_party(text: str) -> tuple[str, str]:
    """A counterparty cell as (name, account); either may be empty."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    found = max(_ACCOUNT.findall(text), key=len, default="")
    if not found or sum(ch.isdigit() for ch in found) < 6:
        return text.strip(" /|;,-"), ""
    name = text.replace(found, " ")
    name = re.sub(r"[()\[\]/|;,:]|账号|卡号|户名", " ", name)
    return " ".join(name.split()), found


def split_parties(arr: pa.Array) -> tuple[pa.Array, pa.Array]:
    """:func:`split_party` over a column: a name column and an account column."""
    names, accounts = [], []
    cache: dict[str, tuple[str, str]] = {}
    for value in arr.to_pylist():
        got = cache.get(value or "")
        if got is None:
            got = cache[value or ""] = split_party(value or "")
        names.append(got[0])
        accounts.append(got[1])
    return pa.array(names, pa.string()), pa.array(accounts, pa.string())
