"""The evidence chain as a Word document (python-docx).

Runs name an East Asian font (``w:eastAsia`` = 宋体 / SimSun, the font every Chinese
Word installation has; viewers without it substitute their own CJK font) beside a Latin
one, so Chinese text is never drawn in a Latin-only font. Figures are the same PNGs as
in the PDF. Core properties carry no wall-clock time: created and modified are the
chain's "as of" date, so the same chain gives the same document text.
"""
from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Any

from .evidence_figures import render_figure
from .evidence_text import (SECTIONS, clue_rows, gap_line, header_lines, heading, manifest_lines,
                            manifest_rows, provision_rows, revocation_rows, source_lines)

log = logging.getLogger(__name__)

EAST_ASIA_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def _font(run: Any, size: float | None = None, color: tuple[int, int, int] | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
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


def _table(doc: Any, rows: list[list[str]]) -> None:
    t = doc.add_table(rows=0, cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.paragraphs[0].text = ""
            _font(cell.paragraphs[0].add_run(text), 8.5 if i else 9)


def docx_bytes(chain: dict[str, Any]) -> bytes:
    """The DOCX of ``chain``."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIA_FONT)
    when = datetime.fromisoformat((chain["as_of"] or "2000-01-01") + "T00:00:00")
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = chain["title_zh"], "debtorgraph", "debtorgraph"
    props.created = props.modified = when
    props.revision = 1
    props.comments = f"content SHA-256 {chain['manifest']['content_sha256']}"
    _font(doc.add_heading(level=0).add_run(chain["title_zh"]), 20)
    _para(doc, chain["title_en"], 10, (0x55, 0x55, 0x55))
    _table(doc, [["项目", "内容"], *[[k, v] for k, v in header_lines(chain)]])
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
        for row in t.rows:
            for cell, w in zip(row.cells, (Cm(2.4), Cm(8.6), Cm(6.0))):
                cell.width = w
    _heading(doc, "六、图示　Figures", 1)
    for fig in chain["figures"]:
        _para(doc, f"{fig['title_zh']} / {fig['title_en']}", 10)
        doc.add_picture(io.BytesIO(render_figure(fig)), width=Cm(16))
    _heading(doc, "七、撤销权行使期限（民法典第五百四十一条）　Revocation deadlines", 1)
    rows = revocation_rows(chain)
    _table(doc, rows) if len(rows) > 1 else _para(doc, "无可撤销的行为 / no revocable acts")
    _heading(doc, "八、财产线索　Property clues", 1)
    rows = clue_rows(chain)
    _table(doc, rows) if len(rows) > 1 else _para(doc, "数据中无财产线索 / none in the data")
    _heading(doc, "九、引用法条　Provisions cited", 1)
    _table(doc, provision_rows(chain))
    _heading(doc, "十、来源文件与清单　Sources and manifest", 1)
    _table(doc, manifest_rows(chain))
    for line in manifest_lines(chain):
        _para(doc, line, 8, (0x55, 0x55, 0x55))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
