"""Read the files courts receive: detect the layout, then map each row to FtM entities.

Usage (a file at hand is needed, so this is not a doctest)::

    from debtorgraph.loaders.sources import detect_layout, read_source
    detect_layout("工行流水.xlsx").name       # 'icbc_statement'
    for item in read_source("工行流水.xlsx"):
        ...

``read_source`` yields the file's provenance document first (``Table`` for CSV,
``Workbook`` for spreadsheets, ``Document`` otherwise; derived), then for every data row
one non-derived item (the row's main entity, or a Reject) and the derived entities it
gives. Blank rows, 合计/小计 subtotals, notes and repeated headers are not data rows. A
file that cannot be opened, or whose layout no mapping fits, gives one Reject.
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from .base import Item, Origin, Reject, Row
from .columns import PARSERS
from .context import Context
from .files import Body, read_sheets
from .ids import entity, make_id
from .kinds import KINDS
from .infer.choose import STATEMENT, choose_layout, holder_values, skipped_count, statement_rows
from .infer.holder import Holder
from .mapping import Mapping, Match, load_mapping, normalize_header

log = logging.getLogger(__name__)

__all__ = ["detect_layout", "detect_tables", "read_source"]

_MIME = {".csv": "text/csv", ".txt": "text/plain", ".tsv": "text/tab-separated-values",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
         ".xls": "application/vnd.ms-excel"}
_SUBTOTAL = re.compile(r"^(本页|本月|本期|本年|累计|总)?(合计|小计|总计)([:：\s].*)?$")
_NOTE = re.compile(r"^(注|备注|说明|温馨提示|提示|特别提示|声明|共\s*\d+\s*[笔条项]|导出|打印|查询|"
                   r"数据来源|以下空白|以下无|本(明细|清单|对账单|页|表)|已收入|待收入|已支出|待支出|"
                   r"不计收支|中性交易|收入[:：]|支出[:：]|用户[:：]|经办|制表|复核|签章|盖章|"
                   r"[-=*_—─]{3,})")
_CANDIDATE = re.compile(r"^$|^(本页|本月|本期|本年|累计|总)?(合计|小计|总计)|" + _NOTE.pattern)


def _as_mapping(mapping: str | Path | Mapping | None) -> Mapping | None:
    if mapping is None or isinstance(mapping, Mapping):
        return mapping
    return load_mapping(mapping)


def detect_layout(path: str | Path, mapping: str | Path | Mapping | None = None) -> Mapping | None:
    """The layout that fits the file (a mapping, or an inferred statement layout), or None.

    With ``mapping`` (a YAML path), that mapping if its header is found, else None.
    """
    found = detect_tables(path, mapping)
    return found[0] if found else None


def detect_tables(path: str | Path, mapping: str | Path | Mapping | None = None,
                  holder: str | None = None, account: str | None = None
                  ) -> tuple[Mapping, list[Match]] | None:
    """The layout and its matched tables (header row, column roles, holder), or None."""
    chosen = _as_mapping(mapping)
    path = Path(path)
    try:
        sheets, _ = read_sheets(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is "not a known file"
        log.info("cannot open %s: %s", path.name, exc)
        return None
    return choose_layout(sheets, path.name, chosen, Holder(holder, account, "officer"))


def _file_reject(file: str, reason: str, zh: str, en: str) -> Reject:
    return Reject(Origin(file), reason, zh, en)


def _document(path: Path, data_hash: str, size: int, encoding: str | None,
              publisher: str | None, mapping: Mapping | None) -> dict[str, Any]:
    suffix = path.suffix.lower()
    schema = ("Table" if suffix in (".csv", ".txt", ".tsv") else
              "Workbook" if suffix in (".xlsx", ".xls", ".xlsm") else "Document")
    return entity(schema, make_id("doc", data_hash), {
        "fileName": path.name, "contentHash": data_hash, "fileSize": str(size),
        "mimeType": _MIME.get(suffix, "application/octet-stream"), "encoding": encoding,
        "publisher": publisher, "title": mapping.title if mapping else None,
        "processingAgent": f"debtorgraph mapping {mapping.name}" if mapping else None})


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_source(path: str | Path, mapping: str | Path | Mapping | None = None, *,
                publisher: str | None = None, holder: str | None = None,
                account: str | None = None, notes: dict[str, Any] | None = None
                ) -> Iterator[Item]:
    """Yield the document entity, then the entities and rejects of every data row.

    Parameters
    ----------
    path : the file (CSV/TXT in UTF-8, GBK or GB18030; XLSX; XLS).
    mapping : a mapping YAML to use instead of detecting the layout.
    publisher : the data provider; defaults to the mapping's ``publisher``.
    holder, account : the statement holder's name and account, as the officer knows them
        (they win over what the file says).
    notes : filled as the items are read: ``layout``, ``skipped`` (footers, subtotals,
        notices), ``holders`` and ``placeholders`` (holders named after the file, to confirm).
    """
    chosen = _as_mapping(mapping)  # a broken mapping file raises InvalidSchema here
    path = Path(path)
    file = str(path)
    try:
        data_hash, size = _sha1(path), path.stat().st_size
        sheets, encoding = read_sheets(path)
    except Exception as exc:  # noqa: BLE001 - corrupt workbooks raise many kinds of error
        log.warning("cannot open %s: %s", path.name, exc)
        yield _file_reject(file, "unreadable_file",
                           f"{path.name} 无法打开（{type(exc).__name__}）：请确认文件完整，"
                           f"表格请另存为 .xlsx 或 .csv 后重新导入。",
                           f"{path.name} cannot be opened: {exc}")
        return
    found = choose_layout(sheets, path.name, chosen, Holder(holder, account, "officer"))
    layout = found[0] if found else None
    if notes is not None:
        notes["layout"] = layout.name if layout else None
    publisher = publisher or (layout.publisher if layout else None)
    doc = _document(path, data_hash, size, encoding, publisher, layout)
    yield Row(doc, Origin(file), True)
    if found is None:
        hint = f"映射 {chosen.name} 的表头" if chosen else "任何已知版式"
        yield _file_reject(file, "unknown_layout",
                           f"{path.name} 的表头不符合{hint}：请检查表头行，或用 --mapping 指定映射文件。",
                           f"{path.name}: no header row matches "
                           f"{'mapping ' + chosen.name if chosen else 'any known layout'}.")
        return
    layout, matches = found
    log.info("%s: layout %s (%s), %d table(s)", path.name, layout.name, layout.title, len(matches))
    shared: dict[str, Any] = {}
    contexts = [(m, _context(m, file, path.name, doc["id"], publisher, shared, notes))
                for m in matches]
    order = {id(t): k for k, t in enumerate(layout.tables)}
    for match, ctx in sorted(contexts, key=lambda mc: order.get(id(mc[0].table), 0)):
        prepare = KINDS[match.table.kind].prepare
        if prepare is not None:
            prepare(ctx)
    for match, ctx in contexts:
        yield from _guarded(match, ctx)


def _guarded(match: Match, ctx: Context) -> Iterator[Item]:
    """Run the builder; if it fails, the rows it did not reach become Rejects."""
    last: Item | None = None
    try:
        for last in KINDS[match.table.kind].build(ctx):
            yield last
    except Exception:  # noqa: BLE001 - one bad row must not lose the rest of the file
        log.exception("%s: builder %s failed", ctx.file_name, match.table.kind)
        # builders go in row order: the rows after the last one yielded were not read
        after = last.origin.row if last is not None and last.origin.row is not None else -1
        for i in ctx.data_rows:
            if ctx.rownums[i] <= after:
                continue
            yield Reject(ctx.origin(i), "internal_error",
                         f"{ctx.file_name} 第{ctx.rownums[i]}行未能读取（程序错误）：请将该文件报告给维护者。",
                         f"{ctx.file_name} row {ctx.rownums[i]}: not read (internal error).")


def _data_rows(body: Body, header: list[str]) -> list[int]:
    """Indices of the rows that hold data: not blank, subtotal, note or repeated header."""
    n = len(body)
    if not body.columns or n == 0:
        return []
    first = pc.utf8_trim_whitespace(body.columns[0])
    head_key = normalize_header(header[0]) if header else ""
    suspect = pc.match_substring_regex(first, pattern=_CANDIDATE.pattern)
    if head_key:
        suspect = pc.or_(suspect, pc.equal(first, header[0].strip()))
    odd = set(pc.indices_nonzero(suspect).to_pylist())
    if not odd:
        return list(range(n))
    header_keys = [normalize_header(h) for h in header]
    keep = []
    for i in range(n):
        if i not in odd:
            keep.append(i)
            continue
        cells = [c[i].as_py().strip() for c in body.columns]
        filled = [c for c in cells if c]
        if not filled:
            continue
        lead = filled[0]
        if _SUBTOTAL.match(lead):
            continue
        if _NOTE.match(lead) and len(filled) <= max(2, len(cells) // 3):
            continue
        if sum(normalize_header(c) == k for c, k in zip(cells, header_keys) if c) * 2 >= len(filled):
            continue
        keep.append(i)
    return keep


def _context(match: Match, file: str, file_name: str, doc_id: str, publisher: str | None,
             shared: dict[str, Any], notes: dict[str, Any] | None = None) -> Context:
    """Parse every mapped field of the matched table, and what the preamble says."""
    kind = KINDS[match.table.kind]
    width = max(len(match.header), 1)
    body = match.sheet.body(match.header_index, width)
    values: dict[str, list[Any]] = {}
    raw: dict[str, pa.Array] = {}
    errors: dict[str, dict[int, str]] = {}
    headers: dict[str, str] = {}
    for name in {**match.columns, **match.derive}:
        parser = kind.fields[name]
        cols = match.columns.get(name, [])
        if name in match.derive:
            arrays = [match.derive[name](body)]
        else:
            arrays = [body.columns[c] for c in cols if c < len(body.columns)]
        if not arrays:
            continue
        headers[name] = match.header[cols[0]].strip() if cols else name
        if parser.startswith("lazy_"):  # parsed by the builder for the rows it needs
            raw[name] = arrays[0]
            continue
        if parser == "amount" and "万" in headers[name]:
            arrays = [_ten_thousand(a) for a in arrays]
        values[name], errors[name] = PARSERS[parser](arrays)
        if name in ACCOUNT_FIELDS:
            values[name] = _without_mangled(values[name], notes)
    preamble: dict[str, Any] = {}
    for name, patterns in match.table.preamble.items():
        hit = next((h for p in patterns if (h := p.search(match.preamble))), None)
        if hit:
            parser = kind.fields[name].removeprefix("lazy_")
            parsed, bad = PARSERS[parser]([pa.array([hit.group(1)], pa.string())])
            if not bad and parsed[0] is not None:
                preamble[name] = parsed[0]
                headers.setdefault(name, name)
    data_rows = _data_rows(body, match.header)
    if match.table.kind == STATEMENT:
        holder_values(match, preamble, notes, file_name)
        data_rows = statement_rows(body, match, data_rows)
    if notes is not None:
        notes["skipped"] = notes.get("skipped", 0) + skipped_count(body, data_rows)
    return Context(file=file, file_name=file_name, doc_id=doc_id, publisher=publisher,
                   sheet=match.sheet.name, options=dict(match.table.options), values=values,
                   headers=headers, errors=errors, preamble=preamble, rownums=body.rownums,
                   raw=raw,
                   data_rows=data_rows, shared=shared)


#: Fields holding account numbers; Excel shows a long number as ``6.22E+18`` and saves it so.
ACCOUNT_FIELDS = frozenset({"counterparty_account", "holder_account", "account"})
_MANGLED = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


def _without_mangled(values: list[Any], notes: dict[str, Any] | None) -> list[Any]:
    """Account numbers Excel turned into scientific notation (``8.15E+14``) dropped: the digits
    are lost, and two accounts that round alike would be joined as one. They are counted in
    ``notes["mangled_accounts"]``; the row keeps its counterparty by name.

    >>> _without_mangled(["6222020200112233", "8.15E+14", None], notes := {}), notes
    (['6222020200112233', None, None], {'mangled_accounts': 1})
    """
    out = [None if isinstance(v, str) and _MANGLED.match(v) else v for v in values]
    dropped = sum(1 for a, b in zip(values, out) if a is not b)
    if dropped and notes is not None:
        notes["mangled_accounts"] = notes.get("mangled_accounts", 0) + dropped
    return out


def _ten_thousand(arr: pa.Array) -> pa.Array:
    """Cells of a ``(万元)`` column, marked so that the amount parser multiplies them."""
    trimmed = pc.utf8_trim_whitespace(arr)
    marked = pc.binary_join_element_wise(trimmed, pa.scalar("万"), "")
    plain = pc.or_(pc.equal(trimmed, ""), pc.match_substring(trimmed, "万"))
    return pc.if_else(plain, trimmed, marked)
