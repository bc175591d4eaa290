"""Review marks on findings: confirmed, dismissed (with a reason) or to check.

Marks live in one JSON file, ``$DEBTORGRAPH_HOME/marks.json``, keyed by finding id
(finding ids are stable: same input, same id), so they survive re-running detection.
Writes go to a temporary file that replaces the old one, under a lock, so two sessions
marking at once never leave half a file. :func:`with_marks` adds the mark to findings
for display and export.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterable

from ..config import setting
from ..errors import InvalidInput

log = logging.getLogger(__name__)

__all__ = ["STATUSES", "marks_path", "load_marks", "save_mark", "with_marks"]

#: Allowed statuses; ``dismissed`` needs a reason.
STATUSES: tuple[str, ...] = ("to_check", "confirmed", "dismissed")
_LOCK = threading.Lock()


def marks_path(home: str | Path | None = None) -> Path:
    """Where the marks are kept."""
    return Path(home or os.environ.get("DEBTORGRAPH_HOME") or setting("DEBTORGRAPH_HOME")) / "marks.json"


def load_marks(home: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """All marks, by finding id (empty when none were made yet)."""
    path = marks_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("marks file unreadable, ignored: %s", exc)
        return {}
    return data if isinstance(data, dict) else {}


def save_mark(finding_id: str, status: str, reason: str = "", *, user: str | None = None,
              home: str | Path | None = None) -> dict[str, Any]:
    """Record a mark and return it.

    Raises
    ------
    InvalidInput
        For an unknown status, or a dismissal without a reason.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> save_mark("f-1", "dismissed", "已核实为正常借款", home=d)["status"]
    'dismissed'
    >>> load_marks(d)["f-1"]["reason"]
    '已核实为正常借款'
    """
    if status not in STATUSES:
        raise InvalidInput(f"未知的标注状态 {status!r}，应为 {', '.join(STATUSES)} / unknown status {status!r}",
                           {"status": status})
    reason = (reason or "").strip()
    if status == "dismissed" and not reason:
        raise InvalidInput("排除可疑行为时必须写明理由 / a dismissal needs a reason", {"reason": ""})
    mark = {"status": status, "reason": reason, "user": user or "",
            "at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    path = marks_path(home)
    with _LOCK:
        marks = load_marks(home)
        marks[str(finding_id)] = mark
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".marks-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(marks, fh, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, path)
    log.info("finding marked %s", status)
    return mark


def with_marks(findings: Iterable[dict[str, Any]], marks: dict[str, dict[str, Any]] | None = None
               ) -> list[dict[str, Any]]:
    """Findings with ``mark``, ``mark_reason``, ``mark_at`` added (copies).

    >>> with_marks([{"id": "f-1"}], {"f-1": {"status": "confirmed", "reason": "", "at": "t"}})[0]["mark"]
    'confirmed'
    """
    marks = load_marks() if marks is None else marks
    out = []
    for f in findings:
        m = marks.get(str(f.get("id")), {})
        out.append({**f, "mark": m.get("status", ""), "mark_reason": m.get("reason", ""),
                    "mark_at": m.get("at", "")})
    return out
