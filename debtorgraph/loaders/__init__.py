"""Loaders: files in, FtM entities (plain dicts) and rejects out. They never touch a store."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from .base import Items
from .ftm import is_ftm_file, read_ftm

__all__ = ["read_any", "read_ftm", "is_ftm_file", "Layout"]


class Layout(str):
    """The name of the layout a file was read with; ``notes`` fills as its items are read.

    ``notes`` holds ``skipped`` (footers, subtotals and notices: neither loaded nor
    rejected), ``holders`` (each statement table's holder and where it was found) and
    ``placeholders`` (holders named after the file because nothing in it names them: the
    officer confirms them) and ``mangled_accounts`` (account numbers Excel turned into
    scientific notation, not used as accounts).
    """

    notes: dict[str, Any]

    def __new__(cls, name: str, notes: dict[str, Any] | None = None) -> "Layout":
        self = super().__new__(cls, name)
        self.notes = notes if notes is not None else {}
        return self


def read_any(path: str | Path, mapping: str | Path | None = None, *, holder: str | None = None,
             account: str | None = None) -> tuple[Items, Layout | None]:
    """Pick the reader for a file: FtM JSON lines, or a court file whose layout is known or
    inferred (any bank statement or payment-app bill).

    Returns the items and the layout (a :class:`Layout`, a str; None for FtM). ``holder``
    and ``account`` name a statement's holder when the file does not.
    Raises :class:`InvalidInput` naming the file when no reader knows it.
    """
    if mapping is None and is_ftm_file(path):
        return read_ftm(path), None
    from .sources import detect_layout, read_source

    layout = detect_layout(path, mapping)
    if layout is not None:
        notes: dict[str, Any] = {}
        items = read_source(path, mapping, holder=holder, account=account, notes=notes)
        return items, Layout(getattr(layout, "name", None) or str(layout), notes)
    raise InvalidInput(
        f"无法识别文件格式：{path}。支持 FtM JSON 行文件、银行流水与支付账单（按表头含义识别）及登记查询结果；"
        f"请用 debtorgraph inspect 查看原因，或用 --mapping 指定映射文件。 / Unknown file layout: {path}: "
        f"no header row with a date and an amount, and no known layout. Run `debtorgraph inspect` "
        f"to see why, or pass --mapping.", {"file": str(path)})
