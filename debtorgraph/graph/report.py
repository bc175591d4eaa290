"""The load report: entities in = loaded + merged + rejected, with counts per schema and reason."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..loaders.context import REASONS as ROW_REASONS
from .model import REASONS


def _row_reason(reason: str) -> tuple[str, str]:
    """How a court file's row was refused (loaders.context.REASONS), else the code itself.

    >>> _row_reason("not_completed")[0]
    '交易未成交'
    """
    found = ROW_REASONS.get(reason)
    return (found[0], found[2]) if found else (reason, reason)


MERGE_REASONS: dict[str, tuple[str, str]] = {
    "duplicate_in_load": ("本次导入中重复出现，已合并", "repeated within this load, merged"),
    "already_in_store": ("库中已有相同实体，未改变", "already in the store, unchanged"),
    "updated_in_store": ("库中已有该实体，已合并新属性", "already in the store, new values merged"),
    "same_identifier": ("证件号码相同，合并为同一当事人", "same valid ID number, merged into one party"),
}


@dataclass
class LoadReport:
    load_id: str
    files: list[str] = field(default_factory=list)
    entities_in: int = 0
    rows_in: int = 0
    loaded: int = 0
    merged: int = 0
    rejected: int = 0
    loaded_by_schema: Counter[str] = field(default_factory=Counter)
    merged_by_reason: Counter[str] = field(default_factory=Counter)
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    invalid_identifiers: list[str] = field(default_factory=list)
    invalid_identifier_count: int = 0
    rejects_path: str | None = None
    seconds: float = 0.0
    mappings: dict[str, str] = field(default_factory=dict)
    #: per court file: rows ``skipped``, statement ``holders`` found, ``placeholders`` to confirm
    #: (filled by ``debtorgraph load``; not part of :meth:`as_dict`, the CLI adds its own fields)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        """Footer, subtotal and notice rows of court files: neither loaded nor rejected."""
        return sum(n.get("skipped", 0) for n in self.notes.values())

    @property
    def mangled_accounts(self) -> int:
        """Account numbers Excel turned into scientific notation, not used as accounts."""
        return sum(n.get("mangled_accounts", 0) for n in self.notes.values())

    @property
    def placeholders(self) -> list[tuple[str, str]]:
        """(file, holder) for every statement holder named after its file, to confirm."""
        return [(name, p) for name, n in self.notes.items() for p in n.get("placeholders", [])]

    @property
    def balanced(self) -> bool:
        """True when every entity read was loaded, merged or rejected."""
        return self.entities_in == self.loaded + self.merged + self.rejected

    def as_dict(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id, "files": self.files, "rows_in": self.rows_in,
            "entities_in": self.entities_in, "loaded": self.loaded, "merged": self.merged,
            "rejected": self.rejected, "balanced": self.balanced,
            "loaded_by_schema": dict(self.loaded_by_schema),
            "merged_by_reason": dict(self.merged_by_reason),
            "rejected_by_reason": dict(self.rejected_by_reason),
            "invalid_identifiers": self.invalid_identifier_count,
            "rejects_file": self.rejects_path, "seconds": round(self.seconds, 3),
            "mappings": self.mappings,
        }

    def lines(self) -> list[str]:
        """The report as text, Chinese first (what the CLI prints at the end)."""
        out = [
            f"读入 {self.entities_in} 个实体（{self.rows_in} 行）= 新增 {self.loaded} + 合并 "
            f"{self.merged} + 拒绝 {self.rejected}"
            f" / entities in {self.entities_in} = loaded {self.loaded} + merged {self.merged}"
            f" + rejected {self.rejected}",
        ]
        for schema, n in sorted(self.loaded_by_schema.items()):
            out.append(f"  新增 loaded  {schema}: {n}")
        for reason, n in sorted(self.merged_by_reason.items()):
            zh, en = MERGE_REASONS.get(reason, (reason, reason))
            out.append(f"  合并 merged  {zh} / {en}: {n}")
        for reason, n in sorted(self.rejected_by_reason.items()):
            zh, en = REASONS.get(reason) or _row_reason(reason)
            out.append(f"  拒绝 rejected {zh} / {en}: {n}")
        if self.invalid_identifier_count:
            out.append(f"  证件号码校验失败（保留原值，不用于匹配）/ invalid ID numbers kept as written, "
                       f"not used for matching: {self.invalid_identifier_count}")
        if self.rejected and self.rejects_path:
            out.append(f"  被拒绝的行见 rejects written to: {self.rejects_path}")
        return out
