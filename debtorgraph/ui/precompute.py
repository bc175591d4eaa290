"""Detection over the whole store, run once per loaded store in a background process.

Detection over every debtor takes seconds (a minute on a large store); the Overview, the
first page a person opens, must not wait for it. ``debtorgraph app`` starts
``python -m debtorgraph.ui.precompute DB`` when the server starts; the process writes the
findings to ``$DEBTORGRAPH_HOME/cache/findings-<store>-<version>.json`` (private to the user),
where ``<version>`` is the store file's inode, size and modification time, so a load (which
replaces the file) makes a new one. Pages read the file when it is there
(:func:`cached`); the Overview shows the rest of its queue at once and fills in the findings
when the file appears (:func:`start` runs the process if nobody has).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..config import setting

log = logging.getLogger(__name__)

__all__ = ["cache_file", "cached", "start", "compute"]


def _version(db: str | Path) -> str | None:
    try:
        st = os.stat(db)
    except OSError:
        return None
    return f"{st.st_ino}-{st.st_size}-{st.st_mtime_ns}"


def cache_file(db: str | Path) -> Path | None:
    """Where the findings of the store at ``db``, as it is now, are kept.

    None when there is no store file (Neo4j) or ``DEBTORGRAPH_PRECOMPUTE=0`` (detection then
    runs when a page asks, and nothing is kept).
    """
    if os.environ.get("DEBTORGRAPH_PRECOMPUTE", "1") == "0":
        return None
    version = _version(db)
    if version is None:
        return None
    tag = hashlib.sha256(str(Path(db).resolve()).encode()).hexdigest()[:12]
    return Path(setting("DEBTORGRAPH_HOME")) / "cache" / f"findings-{tag}-{version}.json"


def cached(db: str | Path) -> list[dict[str, Any]] | None:
    """The findings computed for the store as it is now, or None when not (yet) computed."""
    path = cache_file(db)
    if path is None or not path.is_file():
        return None
    try:
        return list(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _write(path: Path, findings: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(findings, fh, ensure_ascii=False, default=str)
    os.replace(tmp, path)
    for old in path.parent.glob(path.name.rsplit("-", 3)[0] + "-*.json"):  # earlier versions of this store
        if old != path:
            old.unlink(missing_ok=True)


def compute(store: Any, db: str | Path) -> list[dict[str, Any]]:
    """Run detection on ``store`` (the store at ``db``) and keep the result in the cache file."""
    from .backends import run_detection

    version = _version(db)
    findings = run_detection(store)
    path = cache_file(db)
    if path is not None and _version(db) == version:  # not replaced by a load meanwhile
        _write(path, findings)
    return findings


def start(db: str | Path) -> bool:
    """Start the background detection for ``db`` unless its result is there or it is running.

    Returns True when the result is already there.
    """
    path = cache_file(db)
    if path is None:
        return False
    if path.is_file():
        return True
    marker = path.with_suffix(".running")
    try:
        pid = int(marker.read_text())
        os.kill(pid, 0)
        return False  # running
    except (OSError, ValueError):
        pass
    marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    proc = subprocess.Popen([sys.executable, "-m", "debtorgraph.ui.precompute", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    marker.write_text(str(proc.pid))
    return False


def main(db: str) -> None:
    """The background process: detection on a read-only store, written to the cache file."""
    from ..graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(db, read_only=True)
    try:
        compute(store, db)
    finally:
        store.close()
        path = cache_file(db)
        if path is not None:
            path.with_suffix(".running").unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1])
