"""The evidence chain as a PDF in Chinese (reportlab).

The text is set in WenQuanYi Micro Hei, embedded as a subset (only the glyphs used), so
the PDF renders the same on a machine with no Chinese fonts and its text layer can be
searched and extracted. ``invariant=1`` fixes the creation date and document id, so the
same chain gives the same PDF bytes. Figures are the PNGs of
:mod:`debtorgraph.analysis.evidence.figures`.
"""
from __future__ import annotations

import io
import logging
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from .figures import FONT_PATH, render_figure
from .text import (SECTIONS, clue_rows, gap_line, header_lines, heading, manifest_lines,
                            manifest_rows, provision_rows, revocation_rows, source_lines)

log = logging.getLogger(__name__)

FONT = "WQYMicroHei"


@lru_cache(maxsize=1)
def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))
    return FONT


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    font = _register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, textColor=colors.HexColor("#555555")),
        "h1": ParagraphStyle("h1", parent=base, fontSize=13.5, leading=20, spaceBefore=12, spaceAfter=5,
                             textColor=colors.HexColor("#1f4e79")),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11, leading=16, spaceBefore=8, spaceAfter=3),
        "body": base,
        "en": ParagraphStyle("en", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#444444")),
        "src": ParagraphStyle("src", parent=base, fontSize=6.8, leading=9, textColor=colors.HexColor("#555555")),
        "gap": ParagraphStyle("gap", parent=base, textColor=colors.HexColor("#b03a2e")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.8, leading=10.5),
    }


def _p(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def _table(rows: list[list[str]], widths: list[float], st: dict[str, Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    data = [[_p(c, st["cell"]) for c in row] for row in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eaf2f8")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _fact_table(facts: list[dict[str, Any]], st: dict[str, Any], width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    rows = [[_p("编号", st["cell"]), _p("事实 Fact", st["cell"]), _p("来源 Sources（实体 · 文件 · 行 · 导入位置）", st["cell"])]]
    for f in facts:
        text = [_p(f["text_zh"], st["body"]), _p(f["text_en"], st["en"])]
        srcs = [_p(line, st["src"]) for line in source_lines(f)] or [_p("—", st["src"])]
        rows.append([_p(f["id"], st["src"]), text, srcs])
    t = Table(rows, colWidths=[width * 0.13, width * 0.53, width * 0.34], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#aaaaaa")),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eaf2f8")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _image(png: bytes, width: float) -> Any:
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    iw, ih = ImageReader(io.BytesIO(png)).getSize()
    return Image(io.BytesIO(png), width=width, height=width * ih / iw)


def _date_as_of(canvas: Any, as_of: str | None) -> None:
    """Date the PDF (CreationDate, ModDate) by the chain's as-of day instead of reportlab's
    fixed 2000-01-01 of ``invariant``: the same chain still gives the same bytes."""
    import calendar
    import time

    from reportlab.pdfbase.pdfdoc import TimeStamp

    if not as_of:
        return
    try:
        t = calendar.timegm(time.strptime(as_of[:10], "%Y-%m-%d"))
    except ValueError:
        return
    stamp = TimeStamp(invariant=1)
    stamp.t, stamp.lt = t, time.gmtime(t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    canvas._doc._timeStamp = stamp


def pdf_bytes(chain: dict[str, Any]) -> bytes:
    """The PDF of ``chain``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer

    st = _styles()
    cases = "、".join(c["case_number"] or c["id"] for c in chain["cases"])
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, invariant=1, title=f"{chain['title_zh']} {cases}",
                            author="debtorgraph", creator=f"debtorgraph {chain['manifest']['version']}",
                            producer="debtorgraph", subject=chain["debtor"]["name"], lang="zh-CN")
    width = doc.width
    story: list[Any] = [_p(chain["title_zh"], st["title"]), _p(chain["title_en"], st["subtitle"]), Spacer(1, 6)]
    story.append(_table([["项目", "内容"], *[[k, v] for k, v in header_lines(chain)]], [width * 0.25, width * 0.75], st))
    story += [_p("摘要 Summary", st["h1"]), _p(chain["summary"]["zh"], st["body"]), _p(chain["summary"]["en"], st["en"])]
    for i, (key, zh, en) in enumerate(SECTIONS):
        cat = chain["categories"][key]
        story.append(_p(heading(i, zh, en), st["h1"]))
        for gap in cat["gaps"]:
            story.append(_p(gap_line(gap), st["gap"]))
        if cat["facts"]:
            story.append(_fact_table(cat["facts"], st, width))
        elif not cat["gaps"]:
            story.append(_p("（无）/ none", st["body"]))
    story.append(PageBreak())
    story.append(_p("六、图示　Figures", st["h1"]))
    for fig in chain["figures"]:
        story += [_p(f"{fig['title_zh']} / {fig['title_en']}", st["h2"]), _image(render_figure(fig), width)]
    story.append(_p("七、撤销权行使期限（民法典第五百四十一条）　Revocation deadlines", st["h1"]))
    rows = revocation_rows(chain)
    story.append(_table(rows, [width * r for r in (0.2, 0.12, 0.2, 0.14, 0.22, 0.12)], st) if len(rows) > 1
                 else _p("无可撤销的行为 / no revocable acts", st["body"]))
    story.append(_p("八、财产线索　Property clues", st["h1"]))
    rows = clue_rows(chain)
    story.append(_table(rows, [width * r for r in (0.08, 0.12, 0.5, 0.13, 0.17)], st) if len(rows) > 1
                 else _p("数据中无财产线索 / none in the data", st["body"]))
    story.append(_p("九、引用法条　Provisions cited", st["h1"]))
    story.append(_table(provision_rows(chain), [width * 0.3, width * 0.5, width * 0.2], st))
    story.append(_p("十、来源文件与清单　Sources and manifest", st["h1"]))
    story.append(_table(manifest_rows(chain), [width * 0.3, width * 0.12, width * 0.24, width * 0.34], st))
    story += [_p(line, st["src"]) for line in manifest_lines(chain)]
    footer = f"{cases} · {chain['debtor']['name']} · debtorgraph {chain['manifest']['version']}"

    def on_page(canvas: Any, document: Any) -> None:
        _date_as_of(canvas, chain.get("as_of"))
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(16 * mm, 9 * mm, footer)
        canvas.drawRightString(A4[0] - 16 * mm, 9 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
