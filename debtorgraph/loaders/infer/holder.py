"""Who a statement belongs to: from the lines above the table, the file name, or the officer.

The preamble is read in any of the styles banks use: ``户名：王某 账号：622…`` in one cell,
``户名 | 王某 | 账号 | 622…`` across cells, ``账　　号：`` with ideographic spaces between the
characters of the label, ``[王某]`` in brackets. The labels are data (``holder_keys`` in
``roles.yaml``). A file named ``工行流水_王建国.csv`` names its holder. When nothing names
the holder, :func:`placeholder` gives a name built from the file and account, which the
load report lists for the officer to confirm.

>>> found = from_preamble([["账　　号：6222020200001234567", "户  名：王建国"]])
>>> found.name, found.account
('王建国', '6222020200001234567')
>>> from_file_name("工行流水_王建国.csv").name
'王建国'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .roles import table

_SEP = "\x1f"
_EQTEXT = re.compile(r'^="?|"$|(?<=[:：])\s*="?')
_CJK = r"\u4e00-\u9fff"
_BAD_NAME = re.compile(r"^[\d\-/.:：年月日*]+$|银行|支行|分行|日期|期间|时间|币种|账号|卡号|户名|"
                       r"^(人民币|元|CNY|RMB|活期|定期|借记卡|信用卡|储蓄卡|正常|全部)$")
_APP_KEYS = ("支付宝账户", "微信号", "财付通账号", "京东账号", "京东账号名", "美团账号")


@dataclass(frozen=True)
class Holder:
    """A statement's holder as found: name, account, and where they were found."""

    name: str | None = None
    account: str | None = None
    source: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.account)


def _key_pattern(key: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in key)


@lru_cache(maxsize=2)
def _patterns(kind: str) -> list[tuple[str, re.Pattern[str]]]:
    keys = sorted(table()["holder_keys"][kind], key=len, reverse=True)
    out = []
    for key in keys:
        out.append((key, re.compile(
            rf"(?:^|{_SEP}|[\s,，;；|])({_key_pattern(key)})\s*(?:[:：]\s*{_SEP}?\s*|{_SEP}\s*)"
            rf"[\[【(（]?([^\s{_SEP}\]】)）,，;；:：]+)", re.IGNORECASE)))
    return out


def _good_name(value: str) -> bool:
    value = value.strip()
    return (1 < len(value) <= 40 and not _BAD_NAME.search(value)
            and bool(re.search(rf"[{_CJK}A-Za-z]", value)))


def _good_account(value: str, key: str) -> bool:
    if key in _APP_KEYS:
        return len(value) >= 3
    return sum(ch.isdigit() for ch in value) >= 6 and bool(re.fullmatch(r"[0-9*Xx\-]+", value))


def from_preamble(rows: list[list[str]]) -> Holder:
    """The holder named in the rows above the table (any label style), or an empty Holder."""
    lines = [_SEP.join(_EQTEXT.sub("", unicodedata.normalize("NFKC", str(c or "")).strip())
                       for c in row) for row in rows]
    name = account = None
    for line in lines:
        if not line.strip(_SEP):
            continue
        if name is None:
            name = next((m.group(2) for _, p in _patterns("name") for m in p.finditer(line)
                         if _good_name(m.group(2))), None)
        if account is None:
            account = next((m.group(2).replace("-", "") for k, p in _patterns("account")
                            for m in p.finditer(line) if _good_account(m.group(2), k)), None)
    return Holder(name, account, "preamble" if (name or account) else "")


def from_file_name(file_name: str) -> Holder:
    """The holder named in a file name (``工行流水_王建国.csv``, ``王建国-6222….xlsx``)."""
    stem = unicodedata.normalize("NFKC", Path(file_name).stem)
    words = sorted(table()["file_words"], key=len, reverse=True)
    name = account = None
    tokens = [t for t in re.split(r"[_\-\s()\[\]【】（）·.,，+]+", stem) if t]
    for token in tokens:
        digits = re.sub(r"\D", "", token)
        if len(digits) >= 12 and account is None:
            account = digits
            token = token.replace(digits, "")
        # a name glued to words (王建国工行流水) only in a one-word name, never beside 银行
        glued = [w for w in words if w in token]
        if glued and (len(tokens) > 1 or "银行" in token or not re.search(r"流水|明细|账单", token)):
            continue
        for word in glued:
            token = token.replace(word, "")
        token = re.sub(r"\d+|年|月|日|至|到", "", token)
        if name is None and (re.fullmatch(rf"[{_CJK}]{{2,4}}", token) or
                             re.fullmatch(rf"[{_CJK}]{{2,30}}(公司|厂|店|中心|合作社)", token)):
            name = token
    return Holder(name, account, "file_name" if (name or account) else "")


def placeholder(file_name: str, account: str | None = None) -> str:
    """The name given to a holder nothing names: the file (and account), to be confirmed."""
    stem = Path(file_name).stem
    return f"待确认户名（{stem}" + (f"，账号{account}" if account else "") + "）"


def merge(*found: Holder) -> Holder:
    """The first name and the first account among the holders given, in order."""
    name = next((h.name for h in found if h.name), None)
    account = next((h.account for h in found if h.account), None)
    source = "+".join(dict.fromkeys(h.source for h in found if h and h.source))
    return Holder(name, account, source)
