"""Unchanged files: a file loaded before, byte for byte, is recognised and skipped.

Each FtM file a load reads whole is noted by its SHA-256 with what its load reported
for it (entities, rows, rejects by reason, the rejects themselves). The note is written
with the load, in the same store transaction (``LoadedFile`` on ladybug). Loading the
same bytes under the same name again then reads nothing: the report counts every
entity as merged (already in the store) or rejected as before, and the rejects file
gets the same lines again. A reload of 1M Payments takes about a second, the hash.

A file is not noted when one of its entities was refused for a dangling reference:
a later load may have brought the missing entity, so reading it again could load more.
Every other refusal depends on the file alone or on what the store keeps forever.
"""
from __future__ import annotations

import hashlib
import logging
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)

#: Rejects kept per noted file; a file with more is not noted (it is read again).
MAX_REJECT_BYTES = 16 << 20


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class FileLedger:
    """What one load read from each whole file, for :func:`noted_files`."""

    def __init__(self) -> None:
        self._digests: dict[str, Future[str] | str] = {}
        self._sizes: dict[str, int] = {}
        self._counts: dict[str, tuple[int, int]] = {}
        self._reasons: dict[str, Counter[str]] = {}
        self._rejects: dict[str, list[bytes]] = {}
        self._bytes: dict[str, int] = {}
        self._pool: ThreadPoolExecutor | None = None

    def begin(self, label: str, path: Path, report: Any, digest: str | None = None) -> None:
        """Start noting ``label``; its digest is computed meanwhile, in a thread (hashlib
        lets go of the GIL), unless known already."""
        if digest is None:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="digest")
            self._digests[label] = self._pool.submit(file_digest, path)
        else:
            self._digests[label] = digest
        self._sizes[label] = path.stat().st_size
        self._counts[label] = (report.entities_in, report.rows_in)
        self._reasons[label] = Counter()
        self._rejects[label] = []
        self._bytes[label] = 0

    def end(self, label: str, report: Any) -> None:
        """Stop counting the entities read for ``label``."""
        entities, rows = self._counts[label]
        self._counts[label] = (report.entities_in - entities, report.rows_in - rows)

    def note(self, label: str, reason: str, data: bytes, n: int = 1) -> None:
        """A reject (or ``n`` of them, as rejects-file lines ``data``) of file ``label``."""
        if label not in self._reasons:
            return
        self._reasons[label][reason] += n
        self._bytes[label] += len(data)
        if self._bytes[label] <= MAX_REJECT_BYTES:
            self._rejects[label].append(data)

    def note_many(self, label: str, reasons: Counter[str], data: bytes) -> None:
        """Rejects read by another process for ``label``: their reasons and lines."""
        if label not in self._reasons:
            return
        self._reasons[label].update(reasons)
        self._bytes[label] += len(data)
        if self._bytes[label] <= MAX_REJECT_BYTES:
            self._rejects[label].append(data)

    def rows(self, load_id: str) -> list[dict[str, Any]]:
        """``LoadedFile`` rows of the files that may be skipped next time."""
        out = []
        for label, digest in self._digests.items():
            reasons = self._reasons[label]
            if reasons.get("dangling_reference") or self._bytes[label] > MAX_REJECT_BYTES:
                continue
            entities, rows = self._counts[label]
            out.append({"hash": digest if isinstance(digest, str) else digest.result(), "name": label,
                        "size": self._sizes[label], "load_id": load_id, "entities": entities,
                        "rows": rows, "rejected": orjson.dumps(dict(reasons)).decode(),
                        "rejects": b"".join(self._rejects[label]).decode()})
        if self._pool is not None:
            self._pool.shutdown()
        return out


def known_file(store: Any, path: Path, label: str) -> tuple[dict[str, Any] | None, str | None]:
    """The store's note of this file (same bytes, same name), and the digest if computed.

    The digest is computed only when the store has noted a file of the same size."""
    sizes = getattr(store, "loaded_file_sizes", None)
    if store is None or not callable(sizes) or path.stat().st_size not in sizes():
        return None, None
    digest = file_digest(path)
    found = store.loaded_file(digest)
    if found is None or found["name"] != label:
        return None, digest
    return found, digest


def skip_file(ingest: Any, label: str, found: dict[str, Any]) -> None:
    """Count an unchanged file in the report as its earlier load found it, and write its
    rejects again."""
    report = ingest.report
    reasons = orjson.loads(found["rejected"])
    rejected = sum(reasons.values())
    report.files.append(label)
    report.entities_in += found["entities"]
    report.rows_in += found["rows"]
    report.rejected += rejected
    report.rejected_by_reason.update(reasons)
    report.merged += found["entities"] - rejected
    report.merged_by_reason["already_in_store"] += found["entities"] - rejected
    if found["rejects"]:
        ingest._write_rejects(found["rejects"].encode())
    log.info("%s 未改变（与导入 %s 的文件相同），已跳过 / unchanged since load %s, skipped",
             label, found["load_id"], found["load_id"])
