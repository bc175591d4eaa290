"""The evidence chain as one self-contained HTML file: no scripts, no network, figures inline.

Every value is HTML-escaped; figures are PNG data URIs. The page names a list of common
Chinese system fonts and falls back to the reader's sans-serif font.
"""
from __future__ import annotations

import base64
import logging
from html import escape
from typing import Any

from .figures import render_figure
from .text import (SECTIONS, clue_rows, gap_line, header_lines, heading, manifest_lines,
                            manifest_rows, provision_rows, revocation_rows, source_lines)

log = logging.getLogger(__name__)

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",
SimSun,sans-serif;margin:2em auto;max-width:60em;color:#222;line-height:1.5}
h1{font-size:1.6em;margin-bottom:0}h2{color:#1f4e79;border-bottom:1px solid #ccc;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #aaa;padding:.3em .5em;
vertical-align:top;font-size:.9em}th{background:#eaf2f8;text-align:left}.en{color:#555;font-size:.85em}
.src{color:#555;font-size:.75em}.gap{color:#b03a2e}.id{white-space:nowrap;font-size:.8em}img{max-width:100%}
"""


def _table(rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    return f"<table><tr>{head}</tr>{body}</table>"


def html_text(chain: dict[str, Any]) -> str:
    """The HTML of a chain, as text."""
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{escape(chain['title_zh'])}</title><style>{CSS}</style></head><body>",
           f"<h1>{escape(chain['title_zh'])}</h1><p class='en'>{escape(chain['title_en'])}</p>",
           _table([["项目", "内容"], *[[k, v] for k, v in header_lines(chain)]]),
           f"<h2>摘要 Summary</h2><p>{escape(chain['summary']['zh'])}</p><p class='en'>{escape(chain['summary']['en'])}</p>"]
    for i, (key, zh, en) in enumerate(SECTIONS):
        cat = chain["categories"][key]
        out.append(f"<h2 id='{key}'>{escape(heading(i, zh, en))}</h2>")
        out += [f"<p class='gap'>{escape(gap_line(g))}</p>" for g in cat["gaps"]]
        if cat["facts"]:
            out.append("<table><tr><th>编号</th><th>事实 Fact</th><th>来源 Sources</th></tr>")
            for f in cat["facts"]:
                srcs = "<br>".join(escape(line) for line in source_lines(f))
                out.append(f"<tr id='{escape(f['id'])}'><td class='id'>{escape(f['id'])}</td><td>{escape(f['text_zh'])}"
                           f"<div class='en'>{escape(f['text_en'])}</div></td><td class='src'>{srcs}</td></tr>")
            out.append("</table>")
    out.append("<h2>六、图示　Figures</h2>")
    for fig in chain["figures"]:
        data = base64.b64encode(render_figure(fig)).decode()
        out.append(f"<h3>{escape(fig['title_zh'])} / {escape(fig['title_en'])}</h3>"
                   f"<img alt='{escape(fig['title_en'])}' src='data:image/png;base64,{data}'>")
    out.append("<h2>七、撤销权行使期限（民法典第五百四十一条）　Revocation deadlines</h2>")
    rows = revocation_rows(chain)
    out.append(_table(rows) if len(rows) > 1 else "<p>无可撤销的行为 / no revocable acts</p>")
    out.append("<h2>八、财产线索　Property clues</h2>")
    rows = clue_rows(chain)
    out.append(_table(rows) if len(rows) > 1 else "<p>数据中无财产线索 / none in the data</p>")
    out.append("<h2>九、引用法条　Provisions cited</h2>" + _table(provision_rows(chain)))
    out.append("<h2>十、来源文件与清单　Sources and manifest</h2>" + _table(manifest_rows(chain)))
    out += [f"<p class='src'>{escape(line)}</p>" for line in manifest_lines(chain)]
    out.append("</body></html>\n")
    return "\n".join(out)
