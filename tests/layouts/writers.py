"""Write rendered sheets to a file in one container format and encoding.

Text formats (CSV, TSV, padded CSV, `="..."` CSV, HTML saved as .xls) take an encoding;
XLSX (openpyxl) and BIFF .xls (xlwt) keep numbers and dates typed.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import random
import re
from pathlib import Path

from .axes import PYTHON_CODECS
from .render import Sheet

_EQ_TEXT = re.compile(r"^[0-9][0-9\-/:. ]{5,}$")  # long digit strings Excel would mangle
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _text(cell: object) -> str:
    """A cell as text (text formats hold only strings; None is an empty cell)."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:.2f}"
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d %H:%M:%S")
    return str(cell)


def _width(sheet: Sheet) -> int:
    """The widest row of a sheet."""
    return max((len(r) for r in sheet.rows), default=1)


def _quote(value: str, delimiter: str) -> str:
    """A CSV field, quoted only when it must be."""
    if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def delimited_text(sheet: Sheet, fmt: str, rng: random.Random) -> str:
    """The text of a CSV/TSV-like file: plain, tab/space padded, or with ="..." text cells."""
    delimiter = "\t" if fmt == "tsv" else ","
    newline = rng.choice(("\r\n", "\n"))
    fill = rng.random() < 0.5           # pad every row to the table width with empty cells
    pad = rng.choice(("tab", "spaces"))  # for the padded format
    width = _width(sheet)
    out = io.StringIO()
    for row in sheet.rows:
        cells = [_text(c) for c in row]
        if fill and cells:
            cells += [""] * (width - len(cells))
        fields = []
        for value in cells:
            if fmt == "padded" and value:
                value = value + "\t" if pad == "tab" else f"  {value}   "
            if fmt == "eqtext" and _EQ_TEXT.match(value):
                fields.append(f'="{value}"')
            else:
                fields.append(_quote(value, delimiter))
        out.write(delimiter.join(fields) + newline)
    return out.getvalue()


def html_table(sheets: list[Sheet], charset: str, rng: random.Random) -> str:
    """An Excel-style HTML page (what many banks save with a .xls name)."""
    parts = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel">',
             f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
             '<style>td { mso-number-format:"\\@"; }</style></head><body>']
    header_tag = rng.choice(("td", "th"))
    for sheet in sheets:
        width = _width(sheet)
        parts.append('<table border="1" cellspacing="0">')
        header_seen = False
        for n, row in enumerate(sheet.rows):
            if not row:
                parts.append(f'<tr><td colspan="{width}"></td></tr>')
                continue
            if n in sheet.merges:
                parts.append(f'<tr><td colspan="{width}">{html.escape(_text(row[0]))}</td></tr>')
                continue
            tag = "td"
            if not header_seen and len(row) == width:
                tag, header_seen = header_tag, True
            cells = "".join(f"<{tag}>{html.escape(_text(c))}</{tag}>" for c in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_xlsx(sheets: list[Sheet], path: Path) -> None:
    """An .xlsx workbook with typed numbers and dates, merged title rows."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        width = _width(sheet)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, float):
                    cell.number_format = sheet.num_format
                elif isinstance(value, dt.datetime):
                    cell.number_format = DATETIME_FORMAT
            if r - 1 in sheet.merges and width > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        for c in range(1, width + 1):
            ws.column_dimensions[get_column_letter(c)].width = 18
    wb.save(path)


def write_biff(sheets: list[Sheet], path: Path) -> None:
    """A real BIFF8 .xls workbook written with xlwt."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, object] = {}

    def style(fmt: str) -> object:
        return styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt))
    for sheet in sheets:
        ws = wb.add_sheet(sheet.name[:31])
        width = _width(sheet)
        for r, row in enumerate(sheet.rows):
            if r in sheet.merges and width > 1:
                ws.write_merge(r, r, 0, width - 1, _text(row[0]))
                continue
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, float):
                    ws.write(r, c, value, style(sheet.num_format))
                elif isinstance(value, dt.datetime):
                    ws.write(r, c, value, style(DATETIME_FORMAT))
                else:
                    ws.write(r, c, value)
    wb.save(str(path))


def write_file(sheets: list[Sheet], fmt: str, encoding: str, path: Path, rng: random.Random) -> None:
    """Write `sheets` to `path` in container `fmt` and text `encoding` (axes.py names)."""
    if fmt in ("xlsx", "xlsx_multi", "xlsx_split"):
        write_xlsx(sheets, path)
    elif fmt == "biff_xls":
        write_biff(sheets, path)
    elif fmt == "html_xls":
        charset = {"gbk": "GBK", "gb18030": "GB18030"}.get(encoding, "utf-8")
        path.write_bytes(html_table(sheets, charset, rng).encode(PYTHON_CODECS[encoding]))
    else:
        if len(sheets) != 1:
            raise ValueError(f"{fmt} holds one table, got {len(sheets)}")
        path.write_bytes(delimited_text(sheets[0], fmt, rng).encode(PYTHON_CODECS[encoding]))
