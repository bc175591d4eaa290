"""What the loader makes of a file, without writing anything: for ``debtorgraph inspect``.

:func:`inspect_file` reports the layout found (a shipped mapping, an inferred statement
layout, or none and why), the holder and where it was found, each column's role and the
reason, three rows as they would load, and the rejects with their reasons.
:func:`mapping_yaml` writes the layout found as a YAML mapping to edit and pass back with
``--mapping`` (for the cases where inference gets a column wrong).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from .base import Reject, Row
from .ftm import is_ftm_file
from .files import read_sheets
from .infer.roles import AMOUNT_ROLES, score_row

SAMPLE_ROWS = 3


def _column_letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def why_unknown(path: Path) -> str:
    """Why no layout fits: the file cannot be opened, or no row looks like a statement header."""
    try:
        sheets, _ = read_sheets(path)
    except Exception as exc:  # noqa: BLE001 - any failure to open is the reason
        return f"文件无法打开（{type(exc).__name__}）/ cannot be opened: {exc}"
    best: tuple[int, set[str], str | None, int] | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.head):
            n, roles = score_row(row)
            if n and (best is None or n > best[0]):
                best = (n, roles, sheet.name, index)
    if best is None:
        return ("前 40 行中没有可识别的表头（日期、金额等列名）/ no header row (date, amount...) "
                "in the first 40 rows of any sheet")
    n, roles, sheet_name, index = best
    missing = [r for r, ok in (("date 日期", bool(roles & {"date", "time"})),
                               ("amount 金额", bool(roles & set(AMOUNT_ROLES)))) if not ok]
    where = f"{sheet_name or ''} 第{index + 1}行 / row {index + 1}"
    return (f"最像表头的一行（{where}）识别出 {sorted(roles)}，缺少 {missing or '可读的单元格'} / "
            f"the most header-like row ({where}) has roles {sorted(roles)}; missing "
            f"{missing or 'readable cells under it'}")


def inspect_file(path: str | Path, mapping: str | Path | None = None, holder: str | None = None,
                 account: str | None = None) -> dict[str, Any]:
    """A plain dict describing how ``path`` would load (nothing is written)."""
    from .sources import detect_tables, read_source

    path = Path(path)
    out: dict[str, Any] = {"file": str(path), "name": path.name}
    if mapping is None and is_ftm_file(path):
        out.update(layout="ftm", recognised=True, tables=[])
        return out
    found = detect_tables(path, mapping, holder, account)
    if found is None:
        out.update(layout=None, recognised=False, reason=why_unknown(path))
        return out
    layout, matches = found
    out.update(layout=layout.name, title=layout.title, recognised=True,
               tables=[_table(m) for m in matches])
    notes: dict[str, Any] = {}
    names: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    reasons: Counter[str] = Counter()
    messages: list[str] = []
    loaded = 0
    for item in read_source(path, mapping, holder=holder, account=account, notes=notes):
        if isinstance(item, Reject):
            reasons[item.reason] += 1
            if len(messages) < 5:
                messages.append(f"{item.message_zh} / {item.message_en}")
            continue
        entity = item.entity
        if "name" in entity["properties"]:
            names[entity["id"]] = entity["properties"]["name"][0]
        if item.derived:
            continue
        loaded += 1
        if len(rows) < SAMPLE_ROWS:
            rows.append({"row": item.origin.row, "sheet": item.origin.sheet,
                         "schema": entity["schema"], "properties": entity["properties"]})
    for row in rows:  # party ids as names, now that the derived entities were read
        for prop in ("payer", "beneficiary", "owner", "person", "entity"):
            if prop in row["properties"]:
                row[prop] = [names.get(v, v) for v in row["properties"][prop]]
    found_holders = notes.get("holders", [])
    for table, found_holder in zip([t for t in out["tables"] if t["holder"]], found_holders):
        table["holder"].update(name=found_holder["name"], account=found_holder["account"],
                               source=found_holder["source"],
                               placeholder=found_holder["source"] == "placeholder")
    out.update(rows_loaded=loaded, sample=rows, rejected=dict(reasons), reject_messages=messages,
               skipped=notes.get("skipped", 0), holders=notes.get("holders", []),
               placeholders=notes.get("placeholders", []))
    return out


def _table(match: Any) -> dict[str, Any]:
    """One matched table: sheet, header row, each column's role and why."""
    roles_by_col: dict[int, str] = {c: r for r, cols in match.columns.items() for c in cols}
    info = match.info or {}
    inferred = info.get("roles")
    why = inferred.why if inferred is not None else {}
    columns = []
    for col, cell in enumerate(match.header):
        if not str(cell).strip():
            continue
        role = roles_by_col.get(col)
        reason = why.get(col) or ("映射文件指定 / set by the mapping" if role else "未用 / not used")
        if role and info.get("overlay") and inferred is not None and inferred.role_of(col) != role:
            reason = "映射文件指定 / set by the mapping"
        columns.append({"column": _column_letter(col), "header": str(cell).strip(), "role": role,
                        "why": reason})
    holder = getattr(match, "holder", None)
    return {"sheet": match.sheet.name, "header_row": match.header_index + 1, "kind": match.table.kind,
            "convention": info.get("convention"), "app": info.get("app"), "columns": columns,
            "options": dict(match.table.options),
            "holder": {"name": holder.name, "account": holder.account, "source": holder.source,
                       "placeholder": bool(match.placeholder)} if holder is not None else None}


def mapping_yaml(path: str | Path, name: str | None = None) -> str | None:
    """A YAML mapping for the layout found in ``path`` (its first table), or None."""
    from .sources import detect_tables

    found = detect_tables(path)
    if found is None:
        return None
    _, matches = found
    match = matches[0]
    headers = {role: [match.header[c].strip() for c in cols] for role, cols in match.columns.items()}
    fields = {k: v[0] if len(v) == 1 else v for k, v in headers.items()}
    key = [r for r in ("date", "amount", "debit", "credit", "direction") if r in fields]
    spec: dict[str, Any] = {
        "name": name or f"{Path(path).stem}_layout",
        "title": f"{Path(path).name} 的版式（debtorgraph inspect 生成，请核对）",
        "publisher": None, "kind": match.table.kind,
        "detect": {"header": [fields[k] for k in key]},
        "fields": fields,
    }
    if match.table.options:
        spec["options"] = dict(match.table.options)
    header = ("# debtorgraph inspect --write-mapping 生成：核对每列的字段后用 --mapping 传回。\n"
              "# Written by debtorgraph inspect --write-mapping: check each field, then pass it "
              "back with --mapping.\n")
    return header + yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)

