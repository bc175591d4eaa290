"""What the PDF, HTML and DOCX renderers print: the same sections, rows and wording.

Renderers differ only in markup; the content of each section (titles, table rows,
the short source lines under each fact) is decided here once.
"""
from __future__ import annotations

from typing import Any

from .facts import CATEGORIES, money

NUMERALS = "一二三四五六七八九十"
MAX_SOURCE_LINES = 8  # per fact; the JSON has them all

SECTIONS = [(key, zh, en) for key, (zh, en) in CATEGORIES.items()]


def heading(index: int, zh: str, en: str) -> str:
    """``一、身份 Identity``."""
    return f"{NUMERALS[index]}、{zh}　{en}"


def source_lines(fact: dict[str, Any], limit: int = MAX_SOURCE_LINES) -> list[str]:
    """One short line per source of a fact: entity, document (hash), recordId, file:line."""
    lines = []
    for s in fact["sources"][:limit]:
        doc = (f"{s['file_name']}（SHA-1 {s['content_hash'][:12]}…）" if s.get("content_hash")
               else s.get("file_name") or "无来源文件 / no proof document")
        parts = [s["entity"], doc]
        if s.get("record_id"):
            parts.append(f"行 {s['record_id']}")
        if s.get("origin"):
            parts.append(s["origin"])
        lines.append(" · ".join(parts))
    more = len(fact["sources"]) - limit
    if more > 0:
        lines.append(f"……另 {more} 项来源（共 {len(fact['entities'])} 个实体，见 JSON）/ {more} more in the JSON")
    return lines


def gap_line(gap: dict[str, Any]) -> str:
    """``缺口：缺少生效日期 / gap: no effective date (case-1)``."""
    ents = f"（{', '.join(gap['entities'][:6])}）" if gap.get("entities") else ""
    return f"缺口：{gap['zh']} / gap: {gap['en']}{ents}"


def header_lines(chain: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) lines under the title."""
    d = chain["debtor"]
    cases = "；".join(f"{c['case_number'] or c['id']}（{c['court'] or '—'}，生效 {c['effective_date'] or '缺少生效日期'}）"
                     for c in chain["cases"])
    return [("被执行人 Debtor", f"{d['name']}（{d['canonical']}，{d['schema']}）"),
            ("案号 Case", cases),
            ("数据截止 As of", chain["as_of"] or "—"),
            ("检测结果 Findings", f"{len(chain['findings'])} 项" if chain["findings"] else "未发现拒不执行行为 / no findings"),
            ("内容校验 Content SHA-256", chain["manifest"]["content_sha256"])]


def revocation_rows(chain: dict[str, Any]) -> list[list[str]]:
    """Header plus one row per revocable act."""
    rows = [["事实", "行为日期", "依据", "五年期限（最迟）", "一年期限", "状态"]]
    for r in chain["revocation_deadlines"]:
        article = {"CC-538": "民法典第538条（无偿）", "CC-539": "民法典第539条（低价，相对人知情）"}.get(
            r["article"], r["article"])
        rows.append([f"{r['fact']}（{', '.join(r['acts'][:3])}）", r["act_date"], article, r["five_year_deadline"],
                     "自知道或应当知道撤销事由之日起一年", "已过五年期限" if r["expired"] else "可行使"])
    return rows


def clue_rows(chain: dict[str, Any]) -> list[list[str]]:
    """Header plus one row per property clue."""
    kinds = {"account": "账户", "asset": "名下财产", "transferred_asset": "已转移财产", "traced_funds": "追踪资金",
             "income": "收入"}
    rows = [["编号", "类别", "线索", "价值", "实体"]]
    for c in chain["property_clues"]:
        rows.append([c["id"], kinds.get(c["kind"], c["kind"]), c["zh"], money(c.get("value")),
                     ", ".join(c["entities"][:4])])
    return rows


def provision_rows(chain: dict[str, Any]) -> list[list[str]]:
    """Header plus one row per provision cited."""
    rows = [["法条", "要旨", "引用事实"]]
    for p in chain["provisions"]:
        rows.append([p["citation_zh"], p["gist_zh"], ", ".join(p["cited_by"][:8])])
    return rows


def manifest_rows(chain: dict[str, Any]) -> list[list[str]]:
    """Header plus one row per source file named."""
    rows = [["文件", "来源实体", "记录的 SHA-1", "SHA-256（文件在手时）"]]
    for f in chain["manifest"]["source_files"]:
        sha = f["sha256"] or "文件不在手边 / file not at hand"
        rows.append([f["file_name"], f["document"] or "—", f["recorded_sha1"] or "—", sha])
    return rows


def manifest_lines(chain: dict[str, Any]) -> list[str]:
    """Tool, version, command and the content hash."""
    m = chain["manifest"]
    return [f"工具 Tool：{m['tool']} {m['version']}", f"命令 Command：{m['command']}",
            f"内容 SHA-256（不含该字段的规范 JSON）：{m['content_sha256']}",
            "输出文件自身的 SHA-256 见同名 .sha256 文件 / the file's own SHA-256 is in the .sha256 file beside it"]
