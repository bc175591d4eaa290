"""What every loader yields: FtM entities with their origin, or rejects with a reason.

An entity is the FtM JSON form, a plain dict::

    {"id": "p-wang", "schema": "Person", "properties": {"name": ["王某某"]}}

Loaders yield :class:`Row` and :class:`Reject` items, in file order, one item per row
read: so rows in = rows yielded, and the ingest step can count loaded + rejected + merged.
A loader that turns one source row into several entities (a bank line gives a Payment,
a counterparty LegalEntity and its BankAccount) yields the first as the row's ``Row`` and
the others with ``derived=True``: only non-derived items count as rows read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Union


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a row came from: the file, the 1-based row (or line), and the sheet if any."""

    file: str
    row: int | None = None
    sheet: str | None = None

    def label(self) -> str:
        """``file:row`` or ``file[sheet]:row``: how messages and outputs name the row."""
        where = f"{self.file}[{self.sheet}]" if self.sheet else self.file
        return f"{where}:{self.row}" if self.row is not None else where


@dataclass(slots=True)
class Row:
    """One FtM entity read from a file."""

    entity: dict[str, Any]
    origin: Origin
    derived: bool = False


@dataclass(slots=True)
class Reject:
    """A row that could not be read, with a reason code and a message in both languages."""

    origin: Origin
    reason: str
    message_zh: str
    message_en: str
    raw: str = ""
    column: str | None = None
    entity_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The rejects-file form of this reject (one JSON object per line)."""
        out: dict[str, Any] = {
            "file": self.origin.file, "row": self.origin.row, "sheet": self.origin.sheet,
            "column": self.column, "id": self.entity_id, "reason": self.reason,
            "message_zh": self.message_zh, "message_en": self.message_en,
        }
        if self.raw:
            out["raw"] = self.raw[:2000]
        return out


Item = Union[Row, Reject]
Items = Iterator[Item]
