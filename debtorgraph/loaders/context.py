"""What a record builder sees of one table: parsed fields, row numbers, and how to emit.

The engine (:mod:`.sources`) parses every mapped field column by column, marks the rows
that are not data (blank, 合计/小计 subtotals, notes, repeated headers) and hands a
:class:`Context` to the builder of the mapping's kind. The builder yields, for each data
row, exactly one non-derived item (the row's main entity or a Reject) and any number of
derived ones.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterator

from .base import Origin, Reject, Row
from .ids import entity

log = logging.getLogger(__name__)

REASONS: dict[str, tuple[str, str, str]] = {
    # reason: (Chinese problem, Chinese fix, English)
    "bad_value": ("无法识别的值", "请改正该单元格（金额写数字，日期写 2023-05-01）后重新导入",
                  "value cannot be read"),
    "missing_value": ("缺少必填项", "请补全该单元格后重新导入", "required value is missing"),
    "unknown_direction": ("无法判断收支方向", "请填写借贷标志（借/贷）或收入、支出金额之一",
                          "cannot tell whether money came in or went out"),
    "no_party": ("无法确定当事人", "请在表头上方注明户名和账号，或在该行填写姓名",
                 "no party can be named for this row"),
    "unknown_value": ("无法归类的值", "请改为模板中列出的取值", "value is not one the layout knows"),
    "not_completed": ("交易未成交", "无需处理（关闭、失败或待付款的交易没有资金往来，不导入）",
                      "the transaction did not complete (closed, failed or awaiting payment): no money "
                      "moved, nothing to fix"),
}


FIELD_NAMES = {
    # how a message names a field that has no header cell in the file
    "holder_account": "本方账号", "holder_name": "本方户名", "amount": "金额", "date": "日期",
    "direction": "借贷标志", "credit": "收入金额", "company_name": "企业名称",
    "relation": "与户主关系", "measure": "措施类型", "title_number": "不动产权证号",
    "case_number": "案号", "owner_name": "权利人", "plate": "号牌号码", "account": "账号",
}


@dataclass
class Context:
    """One table being read: parsed field values by row, and helpers to emit items."""

    file: str
    file_name: str
    doc_id: str
    publisher: str | None
    sheet: str | None
    options: dict[str, Any]
    values: dict[str, list[Any]]
    headers: dict[str, str]
    errors: dict[str, dict[int, str]]
    preamble: dict[str, Any]
    rownums: list[int]
    data_rows: list[int]
    shared: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)
    errors_by_row: dict[int, tuple[str, str]] = field(default_factory=dict)
    _emitted: set[Any] = field(default_factory=set)

    def __post_init__(self) -> None:
        for name, errors in self.errors.items():
            for row, raw in errors.items():
                self.errors_by_row.setdefault(row, (name, raw))

    def col(self, name: str) -> list[Any]:
        """The values of a field, one per row; empty cells take the preamble's value if any."""
        found = self.values.get(name)
        fallback = self.preamble.get(name)
        if found is None:
            return [fallback] * len(self.rownums)
        if fallback is not None:
            return [fallback if v is None else v for v in found]
        return found

    def get(self, name: str, i: int) -> Any:
        """The value of a field in row ``i``, or the value captured from the preamble."""
        found = self.values.get(name)
        value = found[i] if found is not None else None
        return value if value is not None else self.preamble.get(name)

    def lazy(self, name: str, i: int) -> str | None:
        """The raw cell of a lazily parsed field (``lazy_*`` parser) in row ``i``, or None."""
        arr = self.raw.get(name)
        return None if arr is None else arr[i].as_py()

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)

    def origin(self, i: int) -> Origin:
        return Origin(self.file, self.rownums[i], self.sheet)

    def record_id(self, i: int) -> str:
        """``明细!12`` in a workbook, ``row 12`` in a CSV file."""
        return f"{self.sheet}!{self.rownums[i]}" if self.sheet else f"row {self.rownums[i]}"

    def reject(self, i: int, reason: str, column: str | None = None, raw: Any = "",
               detail: str = "") -> Reject:
        """A Reject for row ``i`` whose Chinese message names the file, row, column and fix."""
        problem, fix, english = REASONS[reason]
        header = self.headers.get(column or "") or FIELD_NAMES.get(column or "", column or "")
        where = f"{self.file_name}" + (f"（工作表「{self.sheet}」）" if self.sheet else "")
        col_zh = f"「{header}」列" if header else ""
        shown = f"“{raw}”" if raw not in ("", None) else ""
        message_zh = f"{where} 第{self.rownums[i]}行{col_zh}{problem}{shown}{detail}：{fix}。"
        col_en = f", column {header!r}" if header else ""
        message_en = (f"{where} row {self.rownums[i]}{col_en}: {english}"
                      + (f" ({raw!r})" if raw not in ("", None) else "") + ".")
        return Reject(self.origin(i), reason, message_zh, message_en, raw=str(raw or ""),
                      column=header or None)

    def check(self, i: int, *required: str) -> Reject | None:
        """A Reject when any mapped cell of row ``i`` is unreadable or a required one is empty."""
        bad = self.errors_by_row.get(i)
        if bad is not None:
            return self.reject(i, "bad_value", bad[0], bad[1])
        for name in required:
            if self.get(name, i) is None:
                return self.reject(i, "missing_value", name)
        return None

    def link(self, schema: str, entity_id: str, i: int, props: dict[str, Any]) -> dict[str, Any]:
        """A link entity (Payment, Ownership, ...) with proof, recordId and publisher."""
        return entity(schema, entity_id, {**props, "proof": self.doc_id,
                                          "recordId": self.record_id(i),
                                          "publisher": self.publisher})

    def thing(self, schema: str, entity_id: str, props: dict[str, Any]) -> dict[str, Any]:
        """A non-link entity (party, account, asset) with proof and publisher."""
        return entity(schema, entity_id, {**props, "proof": self.doc_id,
                                          "publisher": self.publisher})

    def once(self, item: dict[str, Any], i: int) -> Iterator[Row]:
        """Yield ``item`` as a derived Row unless the same entity was already yielded here."""
        key = (item["id"], repr(sorted(item["properties"].items())))
        if key not in self._emitted:
            self._emitted.add(key)
            yield Row(item, self.origin(i), True)
