"""Open what courts receive (CSV in any Chinese encoding, XLSX, XLS) as sheets of text cells.

A :class:`Sheet` shows its first rows (``head``) for layout detection; :meth:`Sheet.body`
then gives the rows under a chosen header row as string columns (pyarrow arrays) with
their 1-based row numbers. Large CSV files go through ``pyarrow.csv`` in bulk; files it
cannot number line by line (quoted newlines, blank lines in the middle, ragged rows) fall
back to the ``csv`` module.
"""
from __future__ import annotations

import codecs
import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
import pyarrow.csv as pacsv

log = logging.getLogger(__name__)

HEAD_ROWS = 40
_HEAD_BYTES = 1 << 16
_SAMPLE_BYTES = 1 << 22
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(slots=True)
class Body:
    """The rows under a header: one string column per header cell, and their row numbers."""

    columns: list[pa.Array]
    rownums: list[int]

    def __len__(self) -> int:
        return len(self.rownums)


@dataclass
class Sheet:
    """One sheet of a workbook, or the single table of a CSV file."""

    name: str | None
    head: list[list[str]]
    _body: Callable[[int, int], Body] = field(repr=False)

    def body(self, header_index: int, width: int) -> Body:
        """Rows after ``head[header_index]``, cut or padded to ``width`` columns."""
        return self._body(header_index, width)


def detect_encoding(data: bytes) -> tuple[str, bool]:
    """The encoding of ``data`` and whether it decodes cleanly (False: errors are replaced).

    BOMs first, then strict UTF-8 (tolerating a character cut at the end), GBK, GB18030
    (a superset of GBK and GB2312), then charset-normalizer's best guess. Large files are
    judged on their first 4 MB; a bad byte further on sends the bulk reader to the
    line-by-line one, which replaces it.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, True
    sample = data if len(data) <= _SAMPLE_BYTES else data[:data.rfind(b"\n", 0, _SAMPLE_BYTES) + 1]
    for name in ("utf-8", "gbk", "gb18030"):
        for cut in range(4):
            try:
                sample[:len(sample) - cut].decode(name)
                return name, True
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_HEAD_BYTES]).best()
    return (best.encoding if best else "gb18030"), False


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates ISO, integral floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != time() else value.strftime("%Y-%m-%d")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def _rows_body(rows: list[list[str]], start: int, header_index: int, width: int) -> Body:
    """A body from rows already in memory; ``start`` is the 1-based number of ``rows[0]``."""
    data = rows[header_index + 1:]
    nums = list(range(start + header_index + 1, start + header_index + 1 + len(data)))
    cols = [[(r[c] if c < len(r) else "") for r in data] for c in range(width)]
    return Body([pa.array(c, type=pa.string()) for c in cols], nums)


# --------------------------------------------------------------------------- CSV

def read_csv(path: Path) -> tuple[list[Sheet], str]:
    """The single sheet of a CSV file, and the encoding it was read with."""
    data = path.read_bytes()
    encoding, clean = detect_encoding(data)
    head_text = data[:_HEAD_BYTES].decode(encoding, errors="replace")
    head_lines = [line.rstrip("\r") for line in head_text.split("\n")[:HEAD_ROWS]]
    delimiter = _sniff_delimiter(head_lines)
    head = [_split_line(line, delimiter) for line in head_lines]

    def body(header_index: int, width: int) -> Body:
        fast = _fast_body(data, encoding, clean, header_index, width, delimiter)
        return fast if fast is not None else _slow_body(data, encoding, header_index, width,
                                                        delimiter)

    return [Sheet(None, head, body)], encoding


def _sniff_delimiter(lines: list[str]) -> str:
    sample = "\n".join(lines)
    counts = {d: sample.count(d) for d in (",", "\t", "|", ";")}
    best = max(counts, key=lambda d: counts[d])
    if best == "\t" and sample.count("\t,") >= 0.8 * counts["\t"]:
        return ","  # comma-separated cells padded with a tab after each value
    return best if counts[best] else ","


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _fast_body(data: bytes, encoding: str, clean: bool, header_index: int, width: int,
               delimiter: str) -> Body | None:
    """pyarrow's bulk reader, when its rows map one-to-one onto the file's lines."""
    if not clean or encoding.startswith("utf-16"):
        return None
    offset = 0
    for _ in range(header_index + 1):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            return Body([pa.array([], type=pa.string()) for _ in range(width)], [])
    region = pa.py_buffer(data)[offset:]
    if region.size == 0:
        return Body([pa.array([], type=pa.string()) for _ in range(width)], [])
    raw = data[offset:]
    n_lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(region),
            read_options=pacsv.ReadOptions(column_names=names, encoding=_arrow_encoding(encoding),
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError, LookupError):
        return None
    rows = table.num_rows
    if rows != n_lines:  # blank lines: let the csv module number them (ragged rows raise)
        return None
    first = header_index + 2
    columns = [table.column(i).combine_chunks() for i in range(width)]
    return Body(columns, list(range(first, first + rows)))


def _arrow_encoding(encoding: str) -> str:
    return "utf8" if encoding in ("utf-8", "utf-8-sig") else encoding


def _slow_body(data: bytes, encoding: str, header_index: int, width: int,
               delimiter: str) -> Body:
    """The csv module, line-numbered; ragged, blank and multi-line rows are kept as they are."""
    text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    region = "\n".join(lines[header_index + 1:])
    reader = csv.reader(io.StringIO(region, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    nums: list[int] = []
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            cells = [lines[header_index + 1 + last].rstrip("\r")] if (
                header_index + 1 + last < len(lines)) else []
        rows.append(cells)
        nums.append(header_index + 2 + last)
        last = reader.line_num
    cols = [[(r[c] if c < len(r) else "") for r in rows] for c in range(width)]
    return Body([pa.array(c, type=pa.string()) for c in cols], nums)


# --------------------------------------------------------------------------- Excel

def read_xlsx(path: Path) -> list[Sheet]:
    """Every sheet of an XLSX workbook, merged cells filled with their top-left value."""
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in book.worksheets:
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for merged in ws.merged_cells.ranges:
            top = _cell_text(ws.cell(merged.min_row, merged.min_col).value)
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, merged.max_col):
                    while len(rows[r]) <= c:
                        rows[r].append("")
                    rows[r][c] = top
        sheets.append(_memory_sheet(ws.title, rows))
    return sheets


def read_xls(path: Path) -> list[Sheet]:
    """Every sheet of a legacy XLS workbook (needs ``xlrd``), merged cells filled."""
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True)
    sheets = []
    for ws in book.sheets():
        rows = []
        for r in range(ws.nrows):
            row = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                value: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                row.append(_cell_text(value))
            rows.append(row)
        for r0, r1, c0, c1 in ws.merged_cells:
            top = rows[r0][c0]
            for r in range(r0, r1):
                for c in range(c0, c1):
                    rows[r][c] = top
        sheets.append(_memory_sheet(ws.name, rows))
    return sheets


def read_html(path: Path) -> tuple[list[Sheet], str]:
    """The tables of an HTML page saved as ``.xls``, as many bank and registry systems
    export: each ``<table>`` a sheet (``table1``, ``table2``...), cells spanning several
    rows or columns filled like merged cells. Returns the sheets and the text encoding."""
    from lxml import html as lhtml

    data = path.read_bytes()
    encoding, _ = detect_encoding(data)
    doc = lhtml.document_fromstring(data.decode(encoding, errors="replace") or "<html/>")
    sheets = []
    for k, table in enumerate(doc.iter("table"), 1):
        rows: list[list[str]] = []
        carried: dict[tuple[int, int], str] = {}  # (row, column) -> text of a rowspan above
        trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        for r, tr in enumerate(trs):
            row: list[str] = []

            def fill() -> None:
                while (r, len(row)) in carried:
                    row.append(carried.pop((r, len(row))))

            for cell in tr.xpath("./td|./th"):
                fill()
                text = " ".join(cell.text_content().split())
                across, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
                for _ in range(across):
                    for below in range(1, down):
                        carried[(r + below, len(row))] = text
                    row.append(text)
            fill()
            rows.append(row)
        if rows:
            sheets.append(_memory_sheet(f"table{k}", rows))
    return sheets, encoding


def _span(value: str | None) -> int:
    """A colspan/rowspan attribute as a count of 1 to 100 (a bad one counts 1)."""
    try:
        return min(max(int(str(value).strip()), 1), 100) if value else 1
    except ValueError:
        return 1


def _memory_sheet(name: str, rows: list[list[str]]) -> Sheet:
    return Sheet(name, rows[:HEAD_ROWS], lambda h, w: _rows_body(rows, 1, h, w))


def read_sheets(path: Path) -> tuple[list[Sheet], str | None]:
    """The sheets of a file by its extension (CSV/TXT, XLSX/XLSM, XLS), and its text encoding."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path), None
    if suffix == ".xls":
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if head[:4] == b"\xd0\xcf\x11\xe0":
            return read_xls(path), None
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if b"<table" in head.lower() or start.startswith((b"<html", b"<!doctype", b"<meta", b"<?xml")):
            return read_html(path)  # an HTML page saved as .xls
        return read_csv(path)  # or text
    return read_csv(path)
