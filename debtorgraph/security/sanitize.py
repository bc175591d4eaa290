"""Untrusted text in, untrusted text out: export cells, HTML, and bounded readers.

Files come from banks, registries and parties to the case, and exports are opened in
Excel by other people, so:

- :func:`neutralise_formula` keeps a cell from running as a formula in Excel or
  LibreOffice (CSV injection);
- :func:`safe_html` escapes text shown in HTML (pyvis tooltips, reports);
- :func:`check_xlsx_safe`, :func:`check_json_depth`, :func:`read_json_line_bounded`,
  :func:`check_line_length`, :func:`iter_lines_bounded` and :func:`decode_utf8_strict`
  refuse oversized or malformed input before a parser spends memory on it.

Every refusal is :class:`~debtorgraph.errors.InvalidInput` with a message in Chinese and
English that names the file and the limit.
"""
from __future__ import annotations

import html
import json
import logging
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InvalidInput

log = logging.getLogger(__name__)

__all__ = ["neutralise_formula", "safe_html", "check_xlsx_safe", "check_json_depth",
           "read_json_line_bounded", "check_line_length", "iter_lines_bounded",
           "decode_utf8_strict", "MAX_LINE_BYTES", "MAX_JSON_DEPTH"]

#: Characters that start a formula (also their full-width forms, which CJK input
#: methods produce and spreadsheets may accept), and tab/CR/LF that hide one.
_FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
MAX_LINE_BYTES = 1 << 20          # 1 MiB: an FtM entity line is a few KiB
MAX_JSON_DEPTH = 20               # an FtM entity is 3 deep
MAX_XLSX_UNCOMPRESSED = 512 << 20  # 512 MiB for all members together
MAX_XLSX_RATIO = 100              # real sheets compress 5-30 times
MAX_XLSX_MEMBERS = 10_000
_RATIO_FLOOR = 1 << 20            # members under 1 MiB are not held to the ratio


def neutralise_formula(value: Any) -> Any:
    """The cell value, with a leading apostrophe when text would start a formula.

    Numbers (int, float, Decimal) and text that is just a number (``-12.50``) stay as
    they are; so do None and booleans. Leading spaces are looked through, since
    spreadsheets ignore them before ``=``.

    >>> neutralise_formula("=HYPERLINK(\\"http://x\\",\\"点击\\")")
    '\\'=HYPERLINK("http://x","点击")'
    >>> neutralise_formula("@SUM(A1)"), neutralise_formula(-12.5), neutralise_formula("-12.5")
    ("'@SUM(A1)", -12.5, '-12.5')
    """
    if not isinstance(value, str):
        return value
    head = value.lstrip(" ")
    if not head or head[0] not in _FORMULA_START:
        return value
    if _PLAIN_NUMBER.fullmatch(value.strip()):
        return value
    return "'" + value


def safe_html(text: Any) -> str:
    """Escape ``& < > " '`` so the text shows as text in HTML and in attributes.

    >>> safe_html('<img src=x onerror="alert(1)">王某某')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;王某某'
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=True)


def _name(source: str | Path | None) -> str:
    return str(source) if source else "输入 input"


def check_xlsx_safe(path: str | Path, *, max_uncompressed: int = MAX_XLSX_UNCOMPRESSED,
                    max_ratio: float = MAX_XLSX_RATIO, max_members: int = MAX_XLSX_MEMBERS
                    ) -> None:
    """Refuse a spreadsheet that would expand too far (zip bomb), before openpyxl opens it.

    Only the zip's central directory is read: the declared size of each member, their
    sum, and each member's compression ratio. Python's ``zipfile`` (which openpyxl uses)
    stops reading a member at its declared size, so a member that lies about its size
    cannot expand past what is checked here.

    Raises
    ------
    InvalidInput
        Not a zip file, too many members, a member or the total larger than
        ``max_uncompressed``, or a member over 1 MiB compressed more than ``max_ratio``.
    """
    name = _name(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(f"{name} 不是有效的 xlsx（zip）文件 / {name} is not a valid xlsx "
                           f"(zip) file: {exc}", {"file": name}) from exc
    if len(infos) > max_members:
        raise InvalidInput(f"{name} 含 {len(infos)} 个压缩成员，超过上限 {max_members} / {name} "
                           f"has {len(infos)} zip members; the limit is {max_members}.",
                           {"file": name, "limit": max_members})
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > max_ratio:
            raise InvalidInput(
                f"{name} 中的 {info.filename} 压缩比 {ratio:.0f}:1 超过上限 {max_ratio:g}:1，疑似"
                f"压缩炸弹 / {info.filename} in {name} expands {ratio:.0f} times, over the limit "
                f"of {max_ratio:g}: refused as a possible zip bomb.",
                {"file": name, "member": info.filename, "limit": max_ratio})
        if total > max_uncompressed:
            raise InvalidInput(
                f"{name} 解压后超过 {max_uncompressed} 字节上限 / {name} would expand to more "
                f"than {max_uncompressed} bytes (at {info.filename}); the limit is "
                f"{max_uncompressed}.", {"file": name, "limit": max_uncompressed})


def check_json_depth(obj_or_text: Any, max_depth: int = MAX_JSON_DEPTH, *,
                     source: str | Path | None = None) -> None:
    """Refuse JSON nested deeper than ``max_depth`` (text is scanned without parsing it).

    >>> check_json_depth('{"a": [1, {"b": "]]]]"}]}', max_depth=3)
    >>> check_json_depth("[" * 50 + "]" * 50, max_depth=20)
    Traceback (most recent call last):
    ...
    debtorgraph.errors.InvalidInput: 输入 input 的 JSON 嵌套超过 20 层 / The JSON in 输入 input is nested deeper than 20 levels.
    """
    if isinstance(obj_or_text, (str, bytes, bytearray)):
        depth = _text_depth(obj_or_text, max_depth)
    else:
        depth = _object_depth(obj_or_text, max_depth)
    if depth > max_depth:
        name = _name(source)
        raise InvalidInput(f"{name} 的 JSON 嵌套超过 {max_depth} 层 / The JSON in {name} is "
                           f"nested deeper than {max_depth} levels.",
                           {"file": name, "limit": max_depth})


def _text_depth(text: str | bytes | bytearray, limit: int) -> int:
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:      # backslash
                escaped = True
            elif byte == 0x22:      # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _object_depth(obj: Any, limit: int) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def decode_utf8_strict(data: bytes, *, source: str | Path | None = None,
                       line: int | None = None) -> str:
    """Decode UTF-8 or refuse with the position; a leading BOM (Excel's CSV) is dropped.

    >>> decode_utf8_strict("王某某".encode("utf-8"))
    '王某某'
    >>> decode_utf8_strict("王".encode("gbk"), source="流水.csv")
    Traceback (most recent call last):
    ...
    debtorgraph.errors.InvalidInput: 流水.csv 第 1 字节起不是有效的 UTF-8 编码（可能是 GBK），请另存为 UTF-8 / 流水.csv is not valid UTF-8 at byte 1 (GBK, perhaps?); save it as UTF-8.
    """
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        name = _name(source)
        where = f"第 {line} 行 " if line is not None else ""
        where_en = f" on line {line}" if line is not None else ""
        raise InvalidInput(
            f"{name} {where}第 {exc.start + 1} 字节起不是有效的 UTF-8 编码（可能是 GBK），请另存为 "
            f"UTF-8 / {name} is not valid UTF-8{where_en} at byte {exc.start + 1} (GBK, "
            "perhaps?); save it as UTF-8.", {"file": name, "byte": exc.start + 1}) from exc
    return text[1:] if text.startswith("\ufeff") else text


def check_line_length(line: str | bytes, max_length: int = MAX_LINE_BYTES, *,
                      source: str | Path | None = None, line_no: int | None = None) -> None:
    """Refuse a line longer than ``max_length`` (bytes for bytes, characters for text)."""
    if len(line) > max_length:
        name = _name(source)
        at = f"第 {line_no} 行" if line_no is not None else "一行"
        at_en = f"line {line_no}" if line_no is not None else "a line"
        raise InvalidInput(f"{name} {at}超过 {max_length} 字节上限 / {at_en} of {name} is longer "
                           f"than the limit of {max_length}.",
                           {"file": name, "line": line_no, "limit": max_length})


def iter_lines_bounded(fh: IO[bytes], max_length: int = MAX_LINE_BYTES, *,
                       source: str | Path | None = None) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line number, line without newline)`` from a binary file, never reading
    more than ``max_length + 1`` bytes for one line."""
    no = 0
    while True:
        raw = fh.readline(max_length + 2)
        if not raw:
            return
        no += 1
        body = raw.rstrip(b"\r\n") if raw.endswith(b"\n") else raw
        check_line_length(body, max_length, source=source, line_no=no)
        yield no, body


def read_json_line_bounded(line: str | bytes, *, max_length: int = MAX_LINE_BYTES,
                           max_depth: int = MAX_JSON_DEPTH, source: str | Path | None = None,
                           line_no: int | None = None) -> Any:
    """Parse one JSON line after checking its length, encoding and nesting depth.

    >>> read_json_line_bounded(b'{"id": "p-1", "schema": "Person"}')
    {'id': 'p-1', 'schema': 'Person'}
    """
    check_line_length(line, max_length, source=source, line_no=line_no)
    text = line if isinstance(line, str) else decode_utf8_strict(line, source=source,
                                                                  line=line_no)
    check_json_depth(text, max_depth, source=source)
    try:
        return json.loads(text)
    except ValueError as exc:
        name = _name(source)
        at = f" line {line_no}" if line_no is not None else ""
        raise InvalidInput(f"{name} 不是有效的 JSON{f'（第 {line_no} 行）' if line_no else ''} / "
                           f"{name}{at} is not valid JSON: {exc}", {"file": name}) from exc
