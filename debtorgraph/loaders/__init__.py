"""Loaders: files in, FtM entities (plain dicts) and rejects out. They never touch a store."""
from __future__ import annotations

from pathlib import Path

from ..errors import InvalidInput
from .base import Items
from .ftm import is_ftm_file, read_ftm

__all__ = ["read_any", "read_ftm", "is_ftm_file"]


def read_any(path: str | Path, mapping: str | Path | None = None) -> tuple[Items, str | None]:
    """Pick the reader for a file: FtM JSON lines, or a court file with a known layout.

    Returns the items and the name of the mapping used (None for FtM).
    Raises :class:`InvalidInput` naming the file when no reader knows it.
    """
    if mapping is None and is_ftm_file(path):
        return read_ftm(path), None
    try:
        from .sources import detect_layout, read_source
    except ImportError:  # court-file loaders not installed in this build
        detect_layout = read_source = None  # type: ignore[assignment]
    if detect_layout is not None:
        layout = detect_layout(path, mapping)
        if layout is not None:
            name = getattr(layout, "name", None) or str(layout)
            return read_source(path, mapping), name
    raise InvalidInput(
        f"无法识别文件格式：{path}。支持 FtM JSON 行文件及已知的银行流水、微信/支付宝账单、登记查询结果；"
        f"其他格式请用 --mapping 指定映射文件。 / Unknown file layout: {path}. Use FtM JSON lines, a known "
        f"court file, or pass --mapping.", {"file": str(path)})
