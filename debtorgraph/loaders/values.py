"""Scalar cleaners for what courts receive: amounts, dates, phones, identifiers, case numbers.

Every parser takes the raw cell (a string, or the number or datetime a spreadsheet gives)
and returns the FtM string form, or ``None`` when the cell is empty. A cell that is not
empty but cannot be read raises :class:`ValueError` with a short reason; the loaders turn
that into a :class:`~debtorgraph.loaders.base.Reject`.

>>> parse_amount("（1,234.50）元")
'-1234.5'
>>> parse_amount("３.５万元")
'35000'
>>> parse_date("2023年5月1日")
'2023-05-01'
>>> parse_date(45047)
'2023-05-01'
>>> to_e164("139 1234 5678")
'+8613912345678'
>>> normalize_case_number("（2022）川3338 执123号")
'(2022)川3338执123号'
"""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from stdnum.cn import ric, uscc

log = logging.getLogger(__name__)

_EXCEL_EPOCH = datetime(1899, 12, 30)
_CURRENCY_MARKS = re.compile(r"[¥￥$,\s]|RMB|CNY|人民币|元|圆")
_AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DATE_PATTERNS = (
    # 2023-05-01, 2023/5/1, 2023.05.01, 2023年5月1日 (after NFKC), optional time after it
    re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
               r"(?:[\sT]*(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2}(?:\.\d+)?))?\s*秒?)?"),
    # 20230501, 20230501 100000, 20230501100000
    re.compile(r"(\d{4})(\d{2})(\d{2})(?:[\sT]*(\d{2}):?(\d{2}):?(\d{2})?)?"),
)
_TIME = re.compile(r"(\d{1,2})\s*[:时.点]?\s*(\d{2})(?:\s*[:分.]?\s*(\d{2}))?(?:\.\d+)?\s*秒?")
_BRACKETS = str.maketrans("〔〕[]【】", "()()()")
_BLANK = frozenset({"", "-", "--", "—", "/", "无", "null", "NULL", "None", "nan", "NaN", "#N/A"})


def clean_text(value: Any) -> str:
    """The cell as stripped text: NFKC (full-width to half-width), tabs and NBSPs removed.

    >>> clean_text("\\t王某某 ")
    '王某某'
    >>> clean_text(12.0)
    '12'
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    text = text.replace("\t", " ").replace("\u3000", " ").strip()
    if text.startswith(('="', '"')) and text.endswith('"'):
        text = text[2 if text[0] == "=" else 1:-1]
    return text.lstrip("'\"`=").rstrip("'`=").strip()


def is_blank(value: Any) -> bool:
    """True for an empty cell or a placeholder (``-``, ``/``, ``无``)."""
    return clean_text(value) in _BLANK


def parse_amount(value: Any) -> str | None:
    """A money amount as a plain decimal string: ``"-1234.5"``; ``None`` when empty.

    Accepts full-width digits, thousands separators, ``￥``/``元``/``RMB``, ``万``/``万元``
    (times 10,000), negatives written ``-x``, ``x-`` or ``(x)``.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _format_decimal(Decimal(repr(value)))
    text = clean_text(value)
    if text in _BLANK:
        return None
    negative = False
    ten_thousand = "万" in text
    text = _CURRENCY_MARKS.sub("", text.replace("万", ""))
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-") and text[:-1].replace(".", "").isdigit():
        negative, text = True, text[:-1]
    if not _AMOUNT.fullmatch(text):
        raise ValueError(f"not an amount: {value!r}")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise ValueError(f"not an amount: {value!r}") from exc
    if ten_thousand:
        number *= 10000
    if negative:
        number = -abs(number)
    return _format_decimal(number)


def _format_decimal(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def parse_percent(value: Any) -> str | None:
    """A share as a number of percent: ``"60%"``, ``"60"`` and ``0.6`` (a fraction) give ``"60"``."""
    if isinstance(value, float) and 0 < value <= 1:
        return _format_decimal(Decimal(repr(value)) * 100)
    text = clean_text(value).replace("%", "").replace("％", "")
    if text in _BLANK:
        return None
    return parse_amount(text)


def _excel_serial(number: float) -> datetime:
    if not 1 <= number < 2958466:
        raise ValueError(f"not an Excel date: {number!r}")
    return _EXCEL_EPOCH + timedelta(days=number)


def _iso(moment: datetime, with_time: bool) -> str:
    if with_time and (moment.hour or moment.minute or moment.second):
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    return moment.strftime("%Y-%m-%d")


def parse_date(value: Any, *, with_time: bool = True) -> str | None:
    """An ISO date (``2023-05-01``), or date-time when a time is given and ``with_time``.

    Accepts ``datetime``/``date`` objects, Excel serial numbers (also as text), and text
    such as ``2023-05-01``, ``2023/5/1``, ``2023.05.01``, ``20230501``, ``2023年5月1日``.
    """
    if isinstance(value, datetime):
        return _iso(value, with_time)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 29991231 and float(value).is_integer():
            return parse_date(str(int(value)), with_time=with_time)
        return _iso(_excel_serial(float(value)), with_time)
    text = clean_text(value)
    if text in _BLANK:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _iso(_excel_serial(float(text)), with_time)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _date_from_match(match, with_time, value)
    raise ValueError(f"not a date: {value!r}")


def _date_from_match(match: re.Match[str], with_time: bool, value: Any) -> str:
    year, month, day, hour, minute, second = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(float(second or 0)))
    except ValueError as exc:
        raise ValueError(f"not a date: {value!r}") from exc
    return _iso(moment, with_time)


def parse_time(value: Any) -> str | None:
    """A time of day as ``HH:MM:SS``: from ``10:00:00``, ``100000``, ``10:00`` or an Excel fraction."""
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86400)
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    text = clean_text(value)
    if text in _BLANK:
        return None
    if re.fullmatch(r"\d{5,6}", text):
        text = text.zfill(6)
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"not a time: {value!r}")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"not a time: {value!r}")
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def join_date_time(day: str | None, clock: str | None) -> str | None:
    """``2023-05-01`` + ``10:00:00`` gives ``2023-05-01T10:00:00``; midnight stays a date."""
    if day is None or not clock or "T" in day or clock == "00:00:00":
        return day
    return f"{day}T{clock}"


def to_e164(value: Any) -> str | None:
    """A Chinese phone number in E.164 (``+8613912345678``); ``None`` if it is not one."""
    text = clean_text(value)
    if text in _BLANK:
        return None
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_identifier(value: Any) -> str:
    """An ID or registration number as written, upper-cased, without spaces or dashes."""
    return re.sub(r"[\s\-]", "", clean_text(value)).upper()


def valid_ric(value: str) -> bool:
    """True for an 18-digit resident ID (身份证) whose check digit and birth date are right."""
    return len(value) == 18 and ric.is_valid(value)


def valid_uscc(value: str) -> bool:
    """True for a Unified Social Credit Code (统一社会信用代码) with a right check character."""
    return len(value) == 18 and uscc.is_valid(value)


def looks_like_ric(value: str) -> bool:
    """An 18-character ID shape (17 digits and a digit or X), valid or not."""
    return bool(re.fullmatch(r"\d{17}[\dX]", value))


def normalize_case_number(value: Any) -> str:
    """A case number (案号) with half-width brackets and no spaces, so that files match."""
    text = clean_text(value)
    text = text.translate(_BRACKETS)
    return re.sub(r"\s+", "", text)


def split_names(value: Any) -> list[str]:
    """Several names in one cell (``张三、李四；王五``) as a list."""
    text = clean_text(value)
    return [part.strip() for part in re.split(r"[、,;；\n/]+", text) if part.strip()
            and part.strip() not in _BLANK]
