"""Whole-column parsing: pyarrow for the clean common case, the scalar parsers for the rest.

Each ``parse_*`` takes the columns a field maps to (string arrays of equal length) and
returns ``(values, errors)``: one value or ``None`` per row, and ``{row index: raw text}``
for cells that are not empty but could not be read. Columns with few distinct values
(dates, names, 摘要) are parsed once per distinct value.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

import pyarrow as pa
import pyarrow.compute as pc

from . import values as V

log = logging.getLogger(__name__)

Parsed = tuple[list[Any], dict[int, str]]
_TRIM = " \t\r\n'\"=`\u3000\xa0"


_PLACEHOLDERS = pa.array(["-", "--", "/", "无", "null", "NULL", "None", "nan", "#N/A"])


_SPACE = " \t\r\n\u3000\xa0"


def _trimmed(arr: pa.Array) -> pa.Array:
    """Trimmed cells; placeholders (``-``, ``/``, ``无``) become empty.

    Spaces, ``="…"`` text cells and a leading ``'`` go; a quote that ends the text but did
    not open it (``点击底部"多多视频"``) stays.
    """
    if len(arr) and pc.any(pc.match_substring(arr, '"')).as_py():
        arr = pc.utf8_trim(arr, characters=_SPACE)
        arr = pc.replace_substring_regex(arr, pattern=r'^=?"(.*)"$', replacement=r"\1")
        arr = pc.utf8_ltrim(arr, characters=_TRIM)
        return pc.if_else(pc.is_in(arr, value_set=_PLACEHOLDERS), "",
                          pc.utf8_rtrim(arr, characters=_SPACE + "'`="))
    arr = pc.utf8_trim(arr, characters=_TRIM)
    return pc.if_else(pc.is_in(arr, value_set=_PLACEHOLDERS), "", arr)


def _repetitive(arr: pa.Array) -> bool:
    """True when values repeat a lot (names, accounts): parse them once per distinct value."""
    return bool(pc.count_distinct(arr).as_py() * 4 < len(arr))


def _nulled(arr: pa.Array) -> pa.Array:
    """Empty strings as nulls, so that ``to_pylist`` gives None for them."""
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def parse_flag(arrays: list[pa.Array]) -> Parsed:
    """Short codes kept as written (a ``/`` in 收/支 means a neutral transaction)."""
    return _nulled(pc.utf8_trim(arrays[0], characters=_TRIM)).to_pylist(), {}


def _coalesce(arrays: list[pa.Array]) -> pa.Array:
    """The first non-empty cell of each row across the field's columns."""
    out = _trimmed(arrays[0])
    for arr in arrays[1:]:
        arr = _trimmed(arr)
        out = pc.if_else(pc.equal(out, ""), arr, out)
    return out


def _by_unique(arr: pa.Array, parse: Callable[[str], Any]) -> Parsed:
    """Parse each distinct value once; errors keep the raw text."""
    uniques = pc.unique(arr)
    parsed: list[Any] = []
    bad: list[int] = []
    for i, raw in enumerate(uniques.to_pylist()):
        try:
            parsed.append(parse(raw))
        except (ValueError, OverflowError, ArithmeticError):
            parsed.append(None)
            bad.append(i)
    index = pc.index_in(arr, value_set=uniques)
    # one str object per distinct value: its hash is computed once, not once per row
    out = [parsed[j] for j in index.to_pylist()]
    if not bad:
        return out, {}
    rows = pc.indices_nonzero(pc.is_in(index, value_set=pa.array(bad, type=index.type)))
    return out, {i: arr[i].as_py() for i in rows.to_pylist()}


def _per_value(raw: list[str], parse: Callable[[str], Any], rows: list[int] | None = None,
               out: list[Any] | None = None) -> Parsed:
    out = out if out is not None else [None] * len(raw)
    errors: dict[int, str] = {}
    for i in rows if rows is not None else range(len(raw)):
        try:
            out[i] = parse(raw[i])
        except (ValueError, OverflowError, ArithmeticError):
            errors[i] = raw[i]
    return out, errors


def parse_text(arrays: list[pa.Array], join: bool = False) -> Parsed:
    """Cleaned text (NFKC, trimmed); ``join`` glues the non-empty cells of several columns."""
    if join and len(arrays) > 1:
        arr = _trimmed(arrays[0])
        for other in arrays[1:]:
            other = _trimmed(other)
            both = pc.binary_join_element_wise(arr, other, " ")
            keep = pc.or_(pc.equal(other, ""), pc.equal(other, arr))
            arr = pc.if_else(keep, arr, pc.if_else(pc.equal(arr, ""), other, both))
    else:
        arr = _coalesce(arrays)
    if len(arr) and pc.all(pc.string_is_ascii(arr)).as_py() and not _repetitive(arr):
        return _nulled(arr).to_pylist(), {}
    return _by_unique(arr, lambda s: V.clean_text(s) or None)


def parse_amount(arrays: list[pa.Array]) -> Parsed:
    """Plain decimal strings (``"-1234.5"``); a regex fast path, :func:`values.parse_amount` else."""
    arr = _coalesce(arrays)
    arr = pc.replace_substring_regex(arr, pattern=r"[,¥￥\s]|元$|^\+", replacement="")
    plain = pc.match_substring_regex(arr, pattern=r"^-?\d+(\.\d+)?$")
    # 1234.50 -> 1234.5, 100.00 -> 100, 007 -> 7, -0 -> 0
    canon = pc.replace_substring_regex(arr, pattern=r"\.0*$|(\.\d*?[1-9])0+$",
                                       replacement=r"\1")
    if pc.any(pc.match_substring_regex(canon, pattern=r"^-?0\d|^-0$")).as_py():
        canon = pc.replace_substring_regex(canon, pattern=r"^(-?)0+(\d)", replacement=r"\1\2")
        canon = pc.if_else(pc.equal(canon, "-0"), "0", canon)
    out = pc.if_else(plain, canon, pa.scalar(None, pa.string())).to_pylist()
    raw = None
    dirty = pc.indices_nonzero(pc.and_(pc.invert(plain), pc.not_equal(arr, ""))).to_pylist()
    if not dirty:
        return out, {}
    raw = _coalesce(arrays).to_pylist()
    return _per_value(raw, V.parse_amount, dirty, out)


def parse_date(arrays: list[pa.Array]) -> Parsed:
    """ISO dates or date-times, parsed once per distinct value. With several columns (记账日期
    beside 交易时间) the first non-empty one counts, but a later one that gives the time of day
    of the same day wins over a date alone."""
    values, errors = _by_unique(_coalesce(arrays), V.parse_date)
    for arr in arrays[1:]:
        timed, _ = _by_unique(_trimmed(arr), V.parse_date)
        values = [t if v and t and "T" not in v and "T" in t and t[:10] == v[:10] else v
                  for v, t in zip(values, timed)]
    return values, errors


def parse_day(arrays: list[pa.Array]) -> Parsed:
    """ISO dates without the time of day."""
    return _by_unique(_coalesce(arrays), lambda s: V.parse_date(s, with_time=False))


def parse_time(arrays: list[pa.Array]) -> Parsed:
    """``HH:MM:SS`` times; a cell holding a full date-time gives its time part."""
    def one(raw: str) -> str | None:
        try:
            return V.parse_time(raw)
        except ValueError:
            stamp = V.parse_date(raw)
            return stamp.split("T")[1] if stamp and "T" in stamp else None
    return _by_unique(_coalesce(arrays), one)


def parse_identifier(arrays: list[pa.Array]) -> Parsed:
    """ID numbers, USCCs and account numbers as written, upper-cased, no spaces or dashes."""
    arr = _coalesce(arrays)
    if len(arr) and pc.all(pc.string_is_ascii(arr)).as_py():
        arr = pc.utf8_upper(pc.replace_substring_regex(arr, pattern=r"[\s\-]", replacement=""))
        if _repetitive(arr):
            return _by_unique(arr, lambda s: s or None)
        return _nulled(arr).to_pylist(), {}
    return _by_unique(arr, lambda s: V.clean_identifier(s) or None)


def parse_phone(arrays: list[pa.Array]) -> Parsed:
    """E.164 phone numbers; a cell that is no phone number is an error."""
    def one(raw: str) -> str | None:
        if V.is_blank(raw):
            return None
        number = V.to_e164(raw)
        if number is None:
            raise ValueError(f"not a phone number: {raw!r}")
        return number
    return _by_unique(_coalesce(arrays), one)


def parse_percent(arrays: list[pa.Array]) -> Parsed:
    """Shares as a number of percent."""
    return _by_unique(_coalesce(arrays), V.parse_percent)


def parse_case(arrays: list[pa.Array]) -> Parsed:
    """Case numbers with half-width brackets and no spaces."""
    return _by_unique(_coalesce(arrays), lambda s: V.normalize_case_number(s) or None)


def parse_measure(arrays: list[pa.Array]) -> Parsed:
    """A number with a unit after it (``89.5平方米``, ``120㎡``): the number."""
    def one(raw: str) -> str | None:
        text = V.clean_text(raw)
        if text in ("", "-", "/", "无"):
            return None
        match = _NUMBER.match(text.replace(",", ""))
        if not match:
            raise ValueError(f"not a number: {raw!r}")
        return V.parse_amount(match.group(0))
    return _by_unique(_coalesce(arrays), one)


_NUMBER = re.compile(r"-?\d+(\.\d+)?")

PARSERS: dict[str, Callable[[list[pa.Array]], Parsed]] = {
    "text": parse_text,
    "flag": parse_flag,
    "join": lambda arrays: parse_text(arrays, join=True),
    "amount": parse_amount,
    "date": parse_date,
    "day": parse_day,
    "time": parse_time,
    "identifier": parse_identifier,
    "phone": parse_phone,
    "percent": parse_percent,
    "case": parse_case,
    "measure": parse_measure,
}
