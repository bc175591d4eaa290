"""The evidence chain as a Word document (python-docx).

The text is set in WenQuanYi Micro Hei, embedded in the document as a subset of the
characters used (an obfuscated font part, ECMA-376 17.8.1, as Word itself embeds fonts),
so Word and LibreOffice show the Chinese text on a machine with no Chinese fonts.
A viewer that ignores embedded fonts falls back to 宋体 / SimSun first (``w:altName``).
Figures are the same PNGs as in the PDF. Core properties carry no wall-clock time:
created and modified are the chain's "as of" date.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
from datetime import datetime
from typing import Any

from .figures import FONT_PATH, render_figure
from .text import (SECTIONS, clue_rows, gap_line, header_lines, heading, manifest_lines,
                            manifest_rows, provision_rows, revocation_rows, source_lines)

log = logging.getLogger(__name__)

EAST_ASIA_FONT = "WenQuanYi Micro Hei"   # embedded (subset); 宋体 is its alternative name
LATIN_FONT = EAST_ASIA_FONT
FALLBACK_FONT = "宋体"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _subset_font(text: str) -> bytes:
    """The shipped CJK font cut down to the characters of ``text`` (TrueType)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "DSIG"]
    font = TTFont(str(FONT_PATH), lazy=True, recalcTimestamp=False)  # no clock in the bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,:;()-/%")
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _embed_font(doc: Any, text: str) -> None:
    """Embed the font subset for ``text`` as word/fonts/font1.odttf and declare it in fontTable."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    data = bytearray(_subset_font(text))
    digest = hashlib.md5(bytes(data)).hexdigest().upper()  # a stable key: same text, same document
    guid = f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}}}"
    key = bytes.fromhex(digest)[::-1]
    for i in range(32):  # obfuscation: XOR the first 32 bytes with the reversed GUID bytes
        data[i] ^= key[i % 16]
    table = doc.part.part_related_by(RT.FONT_TABLE)
    font_part = Part(PackURI("/word/fonts/font1.odttf"),
                     "application/vnd.openxmlformats-officedocument.obfuscatedFont", bytes(data), table.package)
    rid = table.relate_to(font_part, RT.FONT)
    entry = (f'<w:font w:name="{EAST_ASIA_FONT}"><w:altName w:val="{FALLBACK_FONT}"/><w:charset w:val="86"/>'
             f'<w:family w:val="swiss"/><w:pitch w:val="variable"/>'
             f'<w:embedRegular r:id="{rid}" w:fontKey="{guid}"/></w:font>')
    table._blob = re.sub(rb"</w:fonts>\s*$", entry.encode("utf-8") + b"</w:fonts>", table.blob)
    settings = doc.settings.element
    from docx.oxml import parse_xml

    zoom = settings.find(f"{{{_W}}}zoom")
    for i, name in enumerate(("embedTrueTypeFonts", "saveSubsetFonts")):
        el = parse_xml(f'<w:{name} xmlns:w="{_W}"/>')
        if zoom is not None:
            zoom.addnext(el) if i == 0 else settings.find(f"{{{_W}}}embedTrueTypeFonts").addnext(el)
        else:
            settings.insert(i, el)


def _font(run: Any, size: float | None = None, color: tuple[int, int, int] | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), EAST_ASIA_FONT)
    fonts.set(qn("w:hint"), "eastAsia")
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor(*color)


def _para(doc_or_cell: Any, text: str, size: float = 10.5, color: tuple[int, int, int] | None = None,
          style: str | None = None) -> Any:
    p = doc_or_cell.add_paragraph(style=style) if style else doc_or_cell.add_paragraph()
    _font(p.add_run(text), size, color)
    return p


def _heading(doc: Any, text: str, level: int) -> None:
    h = doc.add_heading(level=level)
    _font(h.add_run(text), 15 if level == 1 else 12, (0x1F, 0x4E, 0x79))


def _widths(table: Any, widths: tuple[Any, ...]) -> None:
    """Fixed column widths (Word reads the cells, LibreOffice the grid: set both)."""
    table.autofit = False
    for col, w in zip(table.columns, widths):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w


def _table(doc: Any, rows: list[list[str]], widths: tuple[float, ...] | None = None) -> None:
    from docx.shared import Cm

    t = doc.add_table(rows=0, cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.paragraphs[0].text = ""
            _font(cell.paragraphs[0].add_run(text), 8.5 if i else 9)
    if widths:
        _widths(t, tuple(Cm(17.0 * w) for w in widths))


def docx_bytes(chain: dict[str, Any]) -> bytes:
    """The DOCX of ``chain``."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        normal_fonts.set(qn(attr), EAST_ASIA_FONT)
    when = datetime.fromisoformat((chain["as_of"] or "2000-01-01") + "T00:00:00")
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = chain["title_zh"], "debtorgraph", "debtorgraph"
    props.created = props.modified = when
    props.revision = 1
    props.comments = f"content SHA-256 {chain['manifest']['content_sha256']}"
    _font(doc.add_heading(level=0).add_run(chain["title_zh"]), 20)
    _para(doc, chain["title_en"], 10, (0x55, 0x55, 0x55))
    _table(doc, [["项目", "内容"], *[[k, v] for k, v in header_lines(chain)]], (0.3, 0.7))
    _heading(doc, "摘要 Summary", 1)
    _para(doc, chain["summary"]["zh"])
    _para(doc, chain["summary"]["en"], 9, (0x44, 0x44, 0x44))
    for i, (key, zh, en) in enumerate(SECTIONS):
        cat = chain["categories"][key]
        _heading(doc, heading(i, zh, en), 1)
        for g in cat["gaps"]:
            _para(doc, gap_line(g), 10, (0xB0, 0x3A, 0x2E))
        if not cat["facts"]:
            continue
        t = doc.add_table(rows=1, cols=3)
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, ("编号", "事实 Fact", "来源 Sources")):
            _font(cell.paragraphs[0].add_run(text), 9)
        for f in cat["facts"]:
            cells = t.add_row().cells
            _font(cells[0].paragraphs[0].add_run(f["id"]), 8)
            _font(cells[1].paragraphs[0].add_run(f["text_zh"]), 9.5)
            _para(cells[1], f["text_en"], 8, (0x44, 0x44, 0x44))
            lines = source_lines(f)
            _font(cells[2].paragraphs[0].add_run(lines[0] if lines else "—"), 7, (0x55, 0x55, 0x55))
            for line in lines[1:]:
                _para(cells[2], line, 7, (0x55, 0x55, 0x55))
        _widths(t, (Cm(2.6), Cm(8.4), Cm(6.0)))
    _heading(doc, "六、图示　Figures", 1)
    for fig in chain["figures"]:
        _para(doc, f"{fig['title_zh']} / {fig['title_en']}", 10)
        doc.add_picture(io.BytesIO(render_figure(fig)), width=Cm(16))
    _heading(doc, "七、撤销权行使期限（民法典第五百四十一条）　Revocation deadlines", 1)
    rows = revocation_rows(chain)
    _table(doc, rows, (0.2, 0.12, 0.2, 0.14, 0.22, 0.12)) if len(rows) > 1 else _para(doc, "无可撤销的行为 / no revocable acts")
    _heading(doc, "八、财产线索　Property clues", 1)
    rows = clue_rows(chain)
    _table(doc, rows, (0.08, 0.12, 0.5, 0.13, 0.17)) if len(rows) > 1 else _para(doc, "数据中无财产线索 / none in the data")
    _heading(doc, "九、引用法条　Provisions cited", 1)
    _table(doc, provision_rows(chain), (0.3, 0.5, 0.2))
    _heading(doc, "十、来源文件与清单　Sources and manifest", 1)
    _table(doc, manifest_rows(chain), (0.3, 0.12, 0.24, 0.34))
    for line in manifest_lines(chain):
        _para(doc, line, 8, (0x55, 0x55, 0x55))
    _embed_font(doc, _all_text(doc))
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue(), when)


def _stable_zip(data: bytes, when: datetime) -> bytes:
    """The same DOCX with every zip entry dated ``when`` (the chain's as-of date) instead of
    the moment of writing: the same chain then gives the same bytes, like the JSON and PDF."""
    import zipfile

    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _all_text(doc: Any) -> str:
    """Every character the document shows (body, tables, headings), once."""
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "".join(sorted(set("".join(parts))))
