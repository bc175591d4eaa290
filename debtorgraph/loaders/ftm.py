"""FtM JSON lines in: one entity per line, as OCCRP Aleph and OpenSanctions write them."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

import orjson

from .base import Item, Origin, Reject, Row

log = logging.getLogger(__name__)

#: Longest line accepted (a larger one is refused, not read into memory whole).
MAX_LINE_BYTES = 8 * 1024 * 1024


def is_ftm_file(path: str | Path) -> bool:
    """True when the file looks like FtM JSON lines (first non-blank line is an object)."""
    try:
        with open(path, "rb") as fh:
            for line in fh:
                line = line.strip()
                if line:
                    return line.startswith(b"{")
    except OSError:
        return False
    return False


def read_ftm(path: str | Path, *, name: str | None = None, start: int = 0, stop: int | None = None,
             first_line: int = 1) -> Iterator[Item]:
    """Yield a Row per entity line and a Reject per line that is not a JSON object.

    Blank lines are skipped (they are not rows). Line numbers are 1-based. ``start`` and
    ``stop`` read only the lines beginning in that byte range (``start`` at a line
    start, whose number is ``first_line``): how a large file is read in parts.
    """
    label = name or Path(path).name
    with open(path, "rb") as fh:
        fh.seek(start)
        lineno = first_line - 1
        while True:
            if stop is not None and fh.tell() >= stop:
                break
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                break
            lineno += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the long line
                    line = fh.readline(MAX_LINE_BYTES)
                yield Reject(Origin(label, lineno), "invalid_json",
                             f"{label} 第 {lineno} 行超过 {MAX_LINE_BYTES} 字节，已拒绝",
                             f"{label} line {lineno} is longer than {MAX_LINE_BYTES} bytes")
                continue
            item = line_item(line, label, lineno)
            if item is not None:
                yield item


def line_item(line: bytes, label: str, lineno: int) -> Item | None:
    """The item of one line (no longer than ``MAX_LINE_BYTES``): a Row, a Reject when the
    line is not a JSON object, or None for a blank line. The columnar reader
    (``graph/columnar``) hands the lines it does not take to this, so both give the same."""
    if not line.strip():
        return None
    try:
        entity = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        bad = _utf8_error(line)
        if bad is not None:  # orjson's message would only say "surrogates not allowed"
            return Reject(Origin(label, lineno), "invalid_json",
                          f"{label} 第 {lineno} 行第 {bad} 字节起不是有效的 UTF-8 编码（可能是 "
                          f"GBK），请将文件另存为 UTF-8",
                          f"{label} line {lineno} is not valid UTF-8 at byte {bad} (GBK, "
                          "perhaps?); save the file as UTF-8",
                          raw=line.decode("utf-8", "replace"))
        return Reject(Origin(label, lineno), "invalid_json",
                      f"{label} 第 {lineno} 行不是合法的 JSON（{exc}），请修正该行",
                      f"{label} line {lineno} is not valid JSON ({exc})",
                      raw=line.decode("utf-8", "replace"))
    if not isinstance(entity, dict):
        return Reject(Origin(label, lineno), "invalid_json",
                      f"{label} 第 {lineno} 行不是 JSON 对象",
                      f"{label} line {lineno} is not a JSON object",
                      raw=line.decode("utf-8", "replace"))
    return Row(entity, Origin(label, lineno))


def split_point(path: str | Path, parts: int = 2) -> list[tuple[int, int | None, int]]:
    """Cut a file into ``parts`` byte ranges at line starts: ``(start, stop, first line)``."""
    size = Path(path).stat().st_size
    cuts = [0]
    with open(path, "rb") as fh:
        for k in range(1, parts):
            cut = max(cuts[-1], size * k // parts)
            fh.seek(cut)
            while True:  # to the start of the next line, a block at a time (a line may be huge)
                block = fh.read(1 << 20)
                if not block:
                    cut = size
                    break
                newline = block.find(b"\n")
                if newline >= 0:
                    cut += newline + 1
                    break
                cut += len(block)
            cuts.append(cut)
    ranges = []
    line = 1
    with open(path, "rb") as fh:
        for k, begin in enumerate(cuts):
            end = cuts[k + 1] if k + 1 < len(cuts) else None
            ranges.append((begin, end, line))
            if end is not None:
                fh.seek(begin)
                left = end - begin
                while left > 0:
                    block = fh.read(min(left, 16 << 20))
                    line += block.count(b"\n")
                    left -= len(block)
    return ranges


def _utf8_error(line: bytes) -> int | None:
    """The 1-based byte where ``line`` stops being UTF-8, or None when it is UTF-8."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start + 1
    return None
