"""The audit log: append-only JSON lines, hash-chained, with a head file against truncation.

Every search, view of a person, unmasking, query, export and load is one line of
``<DEBTORGRAPH_HOME>/audit.jsonl``::

    {"action":"unmask","details":{},"hash":"…","prev":"…","seq":7,"targets":["p-513338********1234"],
     "when":"2024-05-01T10:00:00.123+08:00","who":"wang","why":"核对身份 / check identity"}

Design
------
- **No unmasked identifiers.** Every string (who, targets, why, detail keys and values)
  goes through :mod:`.masking` before it is written; so does the hash input.
- **Chain.** Each line is the canonical JSON of its entry (sorted keys, no spaces, UTF-8).
  ``hash`` is the SHA-256 of the canonical JSON of the entry without ``hash``; ``prev`` is
  the previous line's ``hash`` (64 zeros for the first); ``seq`` counts from 0. A changed
  line breaks its own hash; a removed or inserted line breaks ``seq`` and ``prev``.
- **Truncation.** Cutting lines off the end leaves a valid chain, so a sidecar
  ``audit.jsonl.head`` holds ``{"count", "hash", "size"}`` of the log after the last
  append. It is replaced atomically (temporary file, fsync, rename) after each line is
  written and synced, under the same lock. :func:`verify` compares the log with it;
  :meth:`AuditLog.append` also checks it first and refuses to write to a log that is
  shorter than its head, or whose last line is not the recorded one, so a truncation
  cannot be covered by new lines. A crash between the line and the head leaves the log
  one line ahead; the next append checks that line's chain and adopts it, and an
  unfinished last line (no newline, past the head) is cut off.
- **Limits.** Anyone who can rewrite both files can rebuild a consistent chain: a hash
  chain without a secret only shows changes made without recomputing it. To make the log
  evidence, record the head elsewhere from time to time (``debtorgraph audit head``,
  printed into the case file or kept on another machine) and check it with
  ``verify(path, anchor=(count, hash))``.
- **Two writers.** Appends hold an exclusive ``fcntl.flock`` on the log file; ``verify``
  holds a shared one.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

from ..config import setting
from ..errors import DebtorGraphError, InvalidInput
from .masking import MASKED_PROPS, PERSON_ONLY_PROPS, mask_text, mask_value
from .users import PERMISSIONS

log = logging.getLogger(__name__)

__all__ = ["AUDIT_ACTIONS", "AuditLog", "AuditTampered", "Problem", "VerifyResult",
           "default_audit_path", "head_path", "read_head", "read_entries", "verify"]

#: What may be logged: every permission, plus logins.
AUDIT_ACTIONS: frozenset[str] = frozenset(PERMISSIONS) | {"login", "login_failed"}
GENESIS = "0" * 64
BEIJING = timezone(timedelta(hours=8))
MAX_STRING = 4000
_FIELDS = frozenset({"seq", "who", "when", "action", "targets", "why", "details", "prev", "hash"})


class AuditTampered(DebtorGraphError):
    """The log does not match its head: it was cut, edited or its head removed."""


@dataclass(frozen=True)
class Problem:
    """One finding of :func:`verify`; ``line`` is 1-based, 0 for the file as a whole."""

    line: int
    kind: str       # changed, removed, inserted, truncated, malformed, head, anchor, missing
    message: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    last_hash: str
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        """One line for people."""
        if self.ok:
            return f"审计日志完好 / audit log intact: {self.count} entries, head {self.last_hash}"
        return (f"审计日志有 {len(self.problems)} 处问题 / audit log has {len(self.problems)} "
                f"problem(s) in {self.count} entries")


def default_audit_path() -> Path:
    """``<DEBTORGRAPH_HOME>/audit.jsonl``."""
    return Path(setting("DEBTORGRAPH_HOME")) / "audit.jsonl"


def head_path(path: str | Path) -> Path:
    """The head file beside the log: ``audit.jsonl.head``."""
    p = Path(path)
    return p.with_name(p.name + ".head")


def canonical(obj: Any) -> bytes:
    """The one byte form an entry is hashed and written in."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry without its ``hash`` field."""
    return hashlib.sha256(canonical({k: v for k, v in entry.items() if k != "hash"})).hexdigest()


def _scrub(value: Any, key: str | None = None) -> Any:
    """Mask every string inside ``value``; identifier keys get their own format."""
    if isinstance(value, dict):
        return {mask_text(str(k)): _scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_scrub(v, key) for v in value]
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        text = str(value)
        masked = _scrub(text, key)
        return value if masked == text else masked
    text = value if isinstance(value, str) else str(value)
    masked = mask_value(key, text) if key in MASKED_PROPS | PERSON_ONLY_PROPS else mask_text(text)
    return masked if len(masked) <= MAX_STRING else masked[:MAX_STRING] + "…"


def read_head(path: str | Path) -> dict[str, Any] | None:
    """The head file's ``{"count", "hash", "size"}``, or None when there is none."""
    try:
        data = json.loads(head_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise AuditTampered(f"审计日志头文件损坏 / The audit head file is damaged: {exc}") from exc
    if not isinstance(data, dict) or not {"count", "hash", "size"} <= data.keys():
        raise AuditTampered("审计日志头文件损坏 / The audit head file is damaged.")
    return data


def _write_head(path: Path, count: int, last: str, size: int) -> None:
    target = head_path(path)
    fd, tmp = tempfile.mkstemp(prefix=".audit-head.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(canonical({"count": count, "hash": last, "size": size}))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _last_line(fh: IO[bytes], end: int) -> bytes:
    """The line that ends, with its newline, just before byte ``end`` (b"" if none does)."""
    if end <= 0:
        return b""
    fh.seek(end - 1)
    if fh.read(1) != b"\n":
        return b""
    chunks, pos = [], end - 1
    while pos > 0:
        step = min(8192, pos)
        fh.seek(pos - step)
        chunk = fh.read(step)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            chunks.append(chunk[cut + 1:])
            break
        chunks.append(chunk)
        pos -= step
    return b"".join(reversed(chunks))


def _parse(raw: bytes) -> dict[str, Any] | None:
    """The entry on one line, or None when the line is not a well-formed, canonical entry."""
    obj = _loose(raw)
    return obj if obj is not None and canonical(obj) == raw else None


def _loose(raw: bytes) -> dict[str, Any] | None:
    """The entry on a line even when it is not canonical; None when it is no entry."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(obj, dict) or set(obj) != _FIELDS or not isinstance(obj["seq"], int):
        return None
    return obj


class AuditLog:
    """Append entries to one audit log file.

    >>> import tempfile, pathlib
    >>> tmp = tempfile.TemporaryDirectory()
    >>> p = pathlib.Path(tmp.name) / "audit.jsonl"
    >>> e = AuditLog(p).append("wang", "unmask", ["p-513338198001011234"], why="核对身份")
    >>> e["targets"], verify(p).ok
    (['p-513338********1234'], True)
    >>> tmp.cleanup()
    """

    def __init__(self, path: str | Path | None = None, *, fsync: bool = True) -> None:
        self.path = Path(path) if path is not None else default_audit_path()
        self.fsync = fsync

    def append(self, who: str, action: str, targets: Iterable[str] = (), why: str = "",
               details: dict[str, Any] | None = None, *, when: datetime | None = None
               ) -> dict[str, Any]:
        """Write one entry (masked) and return it as written.

        Raises InvalidInput for an unknown action or an unmasking without a reason, and
        :class:`AuditTampered` when the log no longer matches its head.
        """
        if action not in AUDIT_ACTIONS:
            raise InvalidInput(f"未知的审计操作 {action!r} / Unknown audit action {action!r}; "
                               f"one of {', '.join(sorted(AUDIT_ACTIONS))}.")
        if action == "unmask" and not (why and why.strip()):
            raise InvalidInput("查看完整身份信息须说明理由 / Unmasking needs a reason.")
        if isinstance(targets, str):
            targets = [targets]
        stamp = (when or datetime.now(BEIJING)).astimezone(BEIJING)  # naive = local time
        entry: dict[str, Any] = {
            "who": _scrub(str(who)), "when": stamp.isoformat(timespec="milliseconds"),
            "action": action, "targets": [_scrub(str(t)) for t in targets],
            "why": _scrub(why or ""), "details": _scrub(details or {}),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            count, last, size = self._tail(fh)
            entry.update(seq=count, prev=last)
            entry["hash"] = entry_hash(entry)
            line = canonical(entry) + b"\n"
            fh.write(line)
            fh.flush()
            if self.fsync:
                os.fsync(fh.fileno())
            _write_head(self.path, count + 1, entry["hash"], size + len(line))
        log.debug("audit entry %d: %s", count, action)
        return entry

    def _tail(self, fh: IO[bytes]) -> tuple[int, str, int]:
        """(count, last hash, size) to chain onto, after checking the log against its head."""
        size = os.fstat(fh.fileno()).st_size
        head = read_head(self.path)
        if head is None:
            if size:
                raise AuditTampered(
                    f"审计日志 {self.path} 缺少头文件，可能被改动；请运行 debtorgraph audit verify "
                    f"并另存此日志 / The audit log {self.path} has no head file; run "
                    "`debtorgraph audit verify`, move the log aside as evidence and start a new one.")
            _write_head(self.path, 0, GENESIS, 0)
            return 0, GENESIS, 0
        count, last, hsize = int(head["count"]), str(head["hash"]), int(head["size"])
        if count == 0 and (hsize or last != GENESIS):
            raise AuditTampered(f"审计日志头文件不一致 / The head of {self.path} is inconsistent.")
        if size < hsize:
            raise AuditTampered(
                f"审计日志 {self.path} 比头文件记录的短（{size} < {hsize} 字节），已被截断 / The "
                f"audit log {self.path} is shorter than its head records ({size} < {hsize} "
                "bytes): it was truncated. Run `debtorgraph audit verify`.")
        if count:
            entry = _parse(_last_line(fh, hsize))
            if entry is None or entry["hash"] != last or entry["seq"] != count - 1:
                raise AuditTampered(
                    f"审计日志 {self.path} 的最后一行与头文件不符 / The last recorded line of "
                    f"{self.path} does not match its head. Run `debtorgraph audit verify`.")
        if size > hsize:
            count, last, hsize = self._adopt(fh, count, last, hsize, size)
        return count, last, hsize

    def _adopt(self, fh: IO[bytes], count: int, last: str, start: int, size: int
               ) -> tuple[int, str, int]:
        """Lines past the head (an append cut short by a crash): keep them if they chain."""
        fh.seek(start)
        tail = fh.read(size - start)
        pos = start
        for raw in tail.split(b"\n")[:-1]:
            entry = _parse(raw)
            if entry is None or entry["seq"] != count or entry["prev"] != last \
                    or entry_hash(entry) != entry["hash"]:
                raise AuditTampered(
                    f"审计日志 {self.path} 头文件之后有无效的行 / {self.path} has lines past its "
                    "head that do not chain. Run `debtorgraph audit verify`.")
            count, last, pos = count + 1, entry["hash"], pos + len(raw) + 1
        if pos < size:  # an unfinished line, never acknowledged: cut it off
            log.warning("audit log: dropping an unfinished last line (%d bytes)", size - pos)
            os.ftruncate(fh.fileno(), pos)
        _write_head(self.path, count, last, pos)
        return count, last, pos


def read_entries(path: str | Path) -> Iterator[dict[str, Any]]:
    """The entries of a log, in order (no checks: use :func:`verify` for that)."""
    with open(path, "rb") as fh:
        for raw in fh:
            if raw.strip():
                yield json.loads(raw)


def verify(path: str | Path | None = None, *, anchor: tuple[int, str] | None = None
           ) -> VerifyResult:
    """Check the chain, the head file and, if given, an anchor recorded elsewhere.

    Finds a changed line (its hash), a removed or inserted line (``seq`` and ``prev``),
    a truncated file (shorter than the head, or an unfinished last line), a missing head.
    """
    path = Path(path) if path is not None else default_audit_path()
    problems: list[Problem] = []
    head: dict[str, Any] | None = None
    try:
        with open(path, "rb") as fh:
            fcntl.flock(fh, fcntl.LOCK_SH)
            data = fh.read()
            try:
                head = read_head(path)
            except AuditTampered as exc:
                problems.append(Problem(0, "head", str(exc)))
    except FileNotFoundError:
        return VerifyResult(False, 0, GENESIS, (Problem(0, "missing",
                            f"没有审计日志 / No audit log at {path}"),))
    lines = data.split(b"\n")
    if lines[-1]:
        problems.append(Problem(len(lines), "truncated",
                                "最后一行不完整 / The last line is cut off (no newline)."))
    lines = lines[:-1]
    count, expected = 0, 0
    last: str | None = GENESIS
    for no, raw in enumerate(lines, start=1):
        entry = _loose(raw)
        if entry is None:
            problems.append(Problem(no, "malformed", f"第 {no} 行不是审计记录 / Line {no} is not "
                                    "an audit entry (not JSON, or fields missing)."))
            expected, last = expected + 1, None
            continue
        count += 1
        if entry_hash(entry) != entry["hash"] or canonical(entry) != raw:
            problems.append(Problem(no, "changed", f"第 {no} 行内容被修改 / Line {no} was changed "
                                    "after it was written (its hash does not match)."))
        elif entry["seq"] > expected:
            problems.append(Problem(no, "removed", f"第 {no} 行之前缺少 {entry['seq'] - expected} "
                                    f"行 / {entry['seq'] - expected} line(s) removed before "
                                    f"line {no}."))
        elif entry["seq"] < expected:
            problems.append(Problem(no, "inserted", f"第 {no} 行是插入的或重复的 / Line {no} was "
                                    f"inserted (sequence {entry['seq']}, expected {expected})."))
        elif last is not None and entry["prev"] != last:
            problems.append(Problem(no, "inserted", f"第 {no} 行与上一行不相连 / Line {no} does "
                                    "not chain to the line before it (a line was replaced)."))
        expected, last = int(entry["seq"]) + 1, str(entry["hash"])
    if head is None and lines and not any(p.kind == "head" for p in problems):
        problems.append(Problem(0, "head", "缺少头文件 / The head file is missing."))
    elif head is not None:
        hcount, hhash = int(head["count"]), str(head["hash"])
        last = last or ""
        if expected < hcount:
            problems.append(Problem(0, "truncated", f"日志被截断：头文件记录 {hcount} 行，现有 "
                                    f"{expected} 行 / Truncated: the head records {hcount} "
                                    f"entries, the log ends at {expected}."))
        elif expected > hcount:
            problems.append(Problem(0, "head", f"头文件之后多出 {expected - hcount} 行（中断的写入"
                                    f"或手工添加） / {expected - hcount} entries past the head "
                                    "(an interrupted append, or lines added by hand)."))
        elif last != hhash:
            problems.append(Problem(0, "changed", "最后一行与头文件不符 / The last entry does not "
                                    "match the head."))
    if anchor is not None and not _has_anchor(lines, anchor):
        problems.append(Problem(0, "anchor", f"找不到锚点 {anchor[0]}:{anchor[1]} / The anchor "
                                f"{anchor[0]}:{anchor[1]} recorded earlier is not in the log."))
    return VerifyResult(not problems, count, last or "", tuple(problems))


def _has_anchor(lines: list[bytes], anchor: tuple[int, str]) -> bool:
    n, h = anchor
    if n == 0:
        return h == GENESIS
    if n > len(lines):
        return False
    entry = _parse(lines[n - 1])
    return entry is not None and entry["seq"] == n - 1 and entry["hash"] == h
