"""Column roles of a statement, inferred from the header words and from the values below them.

The synonyms live in ``roles.yaml`` beside this module (data, not code). For every row in
the first rows of a sheet, each cell is given the role of the longest synonym it equals or
contains; the row with the most roles that has a date and an amount (or a debit/credit
pair) is the header. Roles claimed by several columns are settled by the values: a
``交易时间`` column of full date-times is the date when no other column holds dates, a
``交易时间`` of bare times beside a ``交易日期`` is the time; a column named like an amount
whose cells are not amounts loses the role. Columns no synonym names are sniffed: dates,
amounts and card numbers are recognised from their cells.

>>> cell_role("记账金额(支出)")[0]
'debit'
>>> cell_role("对方户名")[0]
'counterparty_name'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import values as V

SYNONYMS = Path(__file__).with_name("roles.yaml")
_NORMALIZE = re.compile(r"[\s*:：_]")
AMOUNT_ROLES = ("amount", "debit", "credit")
#: roles that several columns may feed (first non-empty wins; purpose joins them)
MULTI = ("purpose", "date")
DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b")
_SHORT_DATE = re.compile(r"^\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$")
_ACCOUNTISH = re.compile(r"^[0-9*Xx\-\s]{6,}$|@|^1\d{10}$")


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The synonym table: ``roles`` (role -> synonyms), ``holder_keys``, ``file_words``."""
    data = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))
    roles = {role: [normalize(str(s)) for s in words] for role, words in data["roles"].items()}
    keys = {k: [str(w) for w in v] for k, v in data["holder_keys"].items()}
    return {"roles": roles, "holder_keys": keys, "file_words": [str(w) for w in data["file_words"]]}


def normalize(cell: str) -> str:
    """A header cell as compared: NFKC, no spaces, stars, colons or underscores, upper case."""
    return _NORMALIZE.sub("", unicodedata.normalize("NFKC", cell or "")).upper()


@lru_cache(maxsize=4096)
def cell_role(cell: str) -> tuple[str, int, bool, int] | None:
    """``(role, synonym rank, exact, synonym length)`` for a header cell, or None."""
    key = normalize(cell)
    if not key or len(key) > 24:
        return None
    best: tuple[int, int, int, str, int] | None = None  # (exact, length, -role order, role, rank)
    for order, (role, words) in enumerate(table()["roles"].items()):
        for rank, word in enumerate(words):
            if key == word:
                cand = (1, len(word), -order, role, rank)
            elif word in key and (len(word) > 1 or len(key) <= 3):
                cand = (0, len(word), -order, role, rank)
            else:
                continue
            if best is None or cand[:3] > best[:3]:
                best = cand
    if best is None:
        return None
    return best[3], best[4], bool(best[0]), best[1]


@dataclass
class Roles:
    """A header row and what each of its columns holds."""

    header_index: int
    header: list[str]
    columns: dict[str, list[int]] = field(default_factory=dict)
    why: dict[int, str] = field(default_factory=dict)
    short_dates: bool = False
    #: ``dmy`` or ``mdy`` when dates are written 09/04/2025 (decided from the whole column)
    day_first: str | None = None

    def role_of(self, col: int) -> str | None:
        """The role given to column ``col``, or None."""
        return next((r for r, cols in self.columns.items() if col in cols), None)


_FOOTERISH = re.compile(r"合计|小计|总计|汇总|共\s*\d+\s*[笔条]|以上|以下|打印|经办|说明|注[:：]|提示|"
                        r"截止|页")


def _samples(head: list[list[str]], index: int, col: int, limit: int = 25) -> list[str]:
    """Up to ``limit`` non-empty cells of column ``col`` under the header, footers left out."""
    out = []
    for row in head[index + 1:]:
        if any(_FOOTERISH.search(str(c)) for c in row[:3] if c) or len(set(c for c in row if c)) <= 1:
            continue
        if col < len(row):
            text = V.clean_text(row[col])
            if text and not V.is_blank(text):
                out.append(text)
        if len(out) >= limit:
            break
    return out


def _share(samples: list[str], test: Any) -> float:
    if not samples:
        return 0.0
    ok = 0
    for s in samples:
        try:
            ok += bool(test(s))
        except (ValueError, ArithmeticError):
            pass
    return ok / len(samples)


def is_date(text: str) -> bool:
    """True for a date or date-time cell (also ``06/10``, ``6月10日``: a date without year)."""
    if _SHORT_DATE.match(text) or DMY.match(text):
        return True
    try:
        return V.parse_date(text) is not None and not re.fullmatch(r"\d{1,4}(\.\d+)?", text)
    except ValueError:
        return False


def is_excel_serial(text: str) -> bool:
    """True for an Excel serial date (``45087`` or ``45087.38``)."""
    return bool(re.fullmatch(r"[34]\d{4}(\.\d+)?", text))


def is_amount(text: str) -> bool:
    """True for a money amount in any of the notations :func:`notation.clean_amount` reads."""
    from .notation import clean_amount

    try:
        return V.parse_amount(clean_amount(text)) is not None
    except ValueError:
        return False


def is_time(text: str) -> bool:
    """True for a bare time of day (``10:01:02``, ``100102``)."""
    try:
        return V.parse_time(text) is not None and not is_date(text)
    except ValueError:
        return False


def score_row(row: list[str]) -> tuple[int, set[str]]:
    """How header-like a row is: the number of distinct cells with a role, and the roles."""
    found = [r for c in dict.fromkeys(row) if (r := cell_role(c)) and r[0] != "ignore"]
    roles = {r[0] for r in found}
    return len(found), roles


def find_header(head: list[list[str]]) -> int | None:
    """The index of the header row among the first rows, or None when none looks like one."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(head):
        n, roles = score_row(row)
        if n < 2 or not roles & set(AMOUNT_ROLES) and not roles & {"direction"}:
            continue
        if not roles & {"date", "time"}:
            continue
        if best is None or n > best[0]:
            best = (n, index)
    return None if best is None else best[1]


def assign(head: list[list[str]], index: int) -> Roles:
    """Give each column of header row ``index`` a role, settling conflicts by the values."""
    header = [str(c) for c in head[index]]
    claims: dict[str, list[tuple[int, int, int]]] = {}  # role -> [(exact, rank, col)]
    out = Roles(index, header)
    for col, cell in enumerate(header):
        found = cell_role(cell)
        if found is None or found[0] == "ignore":
            continue
        role, rank, exact, _ = found
        claims.setdefault(role, []).append((-int(exact), rank, col))
        out.why[col] = f"表头「{cell.strip()}」{'即' if exact else '含'}同义词 / header synonym"
    samples = {col: _samples(head, index, col) for col in range(len(header))}
    # dates: the columns whose cells are dates; the others named like dates may be times
    dates = sorted(claims.pop("date", []) + claims.pop("time", []))
    date_cols, time_cols = [], []
    for _, _, col in dates:
        s = samples[col]
        if s and _share(s, is_date) >= 0.6 or s and _share(s, is_excel_serial) >= 0.8:
            date_cols.append(col)
        elif s and _share(s, is_time) >= 0.6:
            time_cols.append(col)
        elif not s:
            (time_cols if "时间" in header[col] and "日" not in header[col] else date_cols).append(col)
    if date_cols:
        out.columns["date"] = date_cols
        out.short_dates = any(_share(samples[c], _SHORT_DATE.match) >= 0.6 for c in date_cols)
        slashed = [DMY.match(v) for c in date_cols for v in samples[c]]
        if any(slashed):
            firsts = [int(m.group(1)) for m in slashed if m]
            seconds = [int(m.group(2)) for m in slashed if m]
            out.day_first = "mdy" if max(seconds) > 12 and max(firsts) <= 12 else "dmy"
    if time_cols:
        out.columns["time"] = time_cols[:1]
    for role, cands in claims.items():
        cands.sort()
        cols = [c for _, _, c in cands]
        if role in AMOUNT_ROLES or role == "balance":
            cols = [c for c in cols if not samples[c] or _share(samples[c], is_amount) >= 0.6]
        elif role in ("counterparty_account", "holder_account"):
            cols = [c for c in cols if not samples[c] or _share(
                samples[c], lambda s: _ACCOUNTISH.search(s) or re.search(r"\d{4}", s)) >= 0.5]
        if not cols:
            continue
        out.columns[role] = cols if role in MULTI else cols[:1]
    lone = [r for r in ("debit", "credit") if r in out.columns]
    if len(lone) == 1 and "amount" in out.columns:
        # 入账金额 beside 交易金额 on a card bill: the posted amount, not a credit column
        del out.columns[lone[0]]
    _sniff(out, samples)
    return out


def _sniff(out: Roles, samples: dict[int, list[str]]) -> None:
    """Roles for the columns no synonym names, from their cells."""
    taken = {c for cols in out.columns.values() for c in cols}
    for col, s in samples.items():
        if col in taken or len(s) < 2 or cell_role(out.header[col]):
            continue
        if "date" not in out.columns and _share(s, is_date) >= 0.8:
            out.columns["date"] = [col]
            out.why[col] = "单元格为日期 / cells are dates"
        elif not any(r in out.columns for r in AMOUNT_ROLES) and _share(s, is_amount) >= 0.8 \
                and _share(s, lambda t: "." in t or "," in t) >= 0.5:
            out.columns["amount"] = [col]
            out.why[col] = "单元格为金额 / cells are amounts"
        elif "counterparty_account" not in out.columns and _share(
                s, lambda t: re.fullmatch(r"\d{12,19}", t)) >= 0.8:
            out.columns["counterparty_account"] = [col]
            out.why[col] = "单元格为卡号 / cells are card numbers"


def usable(roles: Roles) -> bool:
    """True when the roles are enough to read payments: a date and an amount or debit/credit."""
    return "date" in roles.columns and any(r in roles.columns for r in AMOUNT_ROLES)
