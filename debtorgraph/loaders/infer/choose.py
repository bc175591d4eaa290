"""Which layout reads a file: a YAML mapping, inference, or both laid over each other.

Order: a mapping the officer passes (``--mapping``) is used as written; otherwise the
shipped mappings are scored against the sheets. A registry or court layout (real estate,
marriage...) is read by its mapping. A statement is inferred (:mod:`.layout`); when a
shipped statement mapping also fits, it overrides inference where it says something.
Identical sheets of one workbook (the same table copied to a second sheet) are read once.

Footers, subtotals and notices are not rows: :func:`statement_rows` drops them from a
statement's data rows (they count as skipped, not rejected).
"""
from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..files import Body, Sheet
from ..mapping import Mapping, Match, choose_mapping
from . import holder as H
from .layout import holder_for, infer_sheet, inferred_mapping, overlay
from .roles import AMOUNT_ROLES

STATEMENT = "bank_statement"
_FOOTER = re.compile(r"合计|小计|总计|汇总|笔数|共\s*\d+\s*[笔条项]|仅供参考|以上|以下|说明|备注[:：]|注[:：]|"
                     r"打印|导出|温馨提示|页码|第\s*\d+\s*页|签章|盖章|经办|复核|制表|截止|统计")
_DATEISH = r"^\s*[=\"']*\s*(\d{4}\s*[-/.年]\s*\d{1,2}|\d{8}|\d{1,2}\s*[-/.月]\s*\d{1,2}|[34]\d{4}(\.\d+)?$)"
_AMOUNTISH = r"\d"


def unique_sheets(sheets: list[Sheet]) -> list[Sheet]:
    """The sheets, without those that repeat an earlier sheet cell for cell."""
    out: list[Sheet] = []
    for sheet in sheets:
        twin = next((s for s in out if s.head == sheet.head and _same_body(s, sheet)), None)
        if twin is None:
            out.append(sheet)
    return out


def _same_body(a: Sheet, b: Sheet) -> bool:
    width = max((len(r) for r in a.head), default=0)
    if width == 0:
        return True
    body_a, body_b = a.body(len(a.head) - 1, width), b.body(len(b.head) - 1, width)
    return len(body_a) == len(body_b) and all(x.equals(y) for x, y in zip(body_a.columns,
                                                                         body_b.columns))


def choose_layout(sheets: list[Sheet], file_name: str, chosen: Mapping | None = None,
                  given: H.Holder | None = None) -> tuple[Mapping, list[Match]] | None:
    """The layout of a file and its matched tables, statements with their holder found."""
    given = given or H.Holder()
    sheets = unique_sheets(sheets)
    found = choose_mapping(sheets, file_name, chosen)
    if chosen is not None and not found:
        return None
    if found and all(m.table.kind != STATEMENT for m in found[1]):
        return found
    inferred = {id(s): got for s in sheets if (got := infer_sheet(s, file_name))}
    if found:
        matches = [overlay(m, inferred[id(m.sheet)][0]) if id(m.sheet) in inferred else m
                   for m in found[1]]
        _holders(matches, file_name, given)
        return found[0], matches
    if not inferred:
        return None
    best = max(inferred.values(), key=lambda got: got[0].score)
    matches = [got[0] for got in inferred.values()]
    _holders(matches, file_name, given)
    return inferred_mapping(best[1]["publisher"], best[1]["app"]), matches


def _holders(matches: list[Match], file_name: str, given: H.Holder) -> None:
    for match in matches:
        if match.table.kind == STATEMENT:
            match.holder, match.placeholder = holder_for(match, file_name, given)
            match.given = given


def holder_values(match: Match, found: dict[str, Any], notes: dict[str, Any] | None,
                  file_name: str) -> None:
    """Fill ``found`` (the preamble values) with the holder: the officer's, the YAML's, inferred.

    A placeholder is used only when neither the mapping's preamble nor inference named one;
    it is recorded in ``notes["placeholders"]`` for the load report.
    """
    holder: H.Holder | None = getattr(match, "holder", None)
    given: H.Holder = getattr(match, "given", None) or H.Holder()
    if given.name:
        found["holder_name"] = given.name
    if given.account:
        found["holder_account"] = given.account
    if holder is None:
        return
    named = found.get("holder_name") or found.get("holder_account")
    if match.placeholder and named:
        return
    if holder.name:
        found.setdefault("holder_name", holder.name)
    if holder.account:
        found.setdefault("holder_account", holder.account)
    if notes is not None:
        notes.setdefault("holders", []).append({
            "sheet": match.sheet.name, "name": found.get("holder_name"),
            "account": found.get("holder_account"),
            "source": "placeholder" if match.placeholder else (holder.source or "mapping")})
        if match.placeholder:
            notes.setdefault("placeholders", []).append(found["holder_name"])


def statement_rows(body: Body, match: Match, keep: list[int]) -> list[int]:
    """``keep`` without footers, subtotals and notices: rows whose date cell is not a date,
    with no amount, that say 合计/说明/以上… or hold a single cell."""
    cols = match.columns
    date_cols = cols.get("date") or cols.get("time")
    if not date_cols or not keep or date_cols[0] >= len(body.columns):
        return keep
    date = pc.utf8_trim_whitespace(body.columns[date_cols[0]])
    odd = pc.invert(pc.match_substring_regex(date, pattern=_DATEISH))
    suspects = set(pc.indices_nonzero(odd).to_pylist()) & set(keep)
    if not suspects:
        return keep
    amount_cols = [c for r in AMOUNT_ROLES for c in cols.get(r, []) if c < len(body.columns)]
    drop = set()
    for i in suspects:
        cells = [str(c[i].as_py() or "").strip() for c in body.columns]
        filled = [c for c in cells if c]
        amounts = [cells[c] for c in amount_cols if cells[c]]
        text = " ".join(filled)
        if len(set(filled)) <= 1 or (not amounts and _FOOTER.search(text)) or (
                re.search(r"合计|小计|总计|汇总", text)):
            drop.add(i)
    return [i for i in keep if i not in drop]


def skipped_count(body: Body, keep: list[int]) -> int:
    """Non-blank rows of ``body`` that are not data rows (footers, subtotals, notices)."""
    if not body.columns:
        return 0
    filled = None
    for col in body.columns:
        nonblank = pc.not_equal(pc.utf8_trim_whitespace(col), pa.scalar(""))
        filled = nonblank if filled is None else pc.or_(filled, nonblank)
    rows = set(pc.indices_nonzero(filled).to_pylist()) if filled is not None else set()
    return len(rows - set(keep))

