"""Loads started from the app: uploaded files (or the sample case) into the store, with progress."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Iterable

from ..graph.ingest import Ingest
from ..graph.report import LoadReport
from ..loaders.base import Origin, Row
from .store import writable_store

log = logging.getLogger(__name__)

__all__ = ["load_uploads", "load_items"]


def _safe_name(name: str) -> str:
    base = Path(name).name.replace("\x00", "")
    return base or "upload"


def load_uploads(files: Iterable[Any], folder: Path, rejects: Path,
                 progress: Callable[[float, str], None] | None = None, *,
                 holder: str | None = None, account: str | None = None) -> LoadReport:
    """Save uploaded files in ``folder`` and load them all in one atomic load.

    ``holder`` and ``account`` name a statement's holder when a file does not (as
    ``debtorgraph load --holder --account``). The report's ``notes`` hold, per court file, the
    rows skipped (footers, subtotals, notices) and the ``placeholders``: holders recorded as
    "to confirm" because neither the file nor the form named them.
    """
    from ..loaders import read_any

    paths = []
    for f in files:
        path = folder / _safe_name(f.name)
        path.write_bytes(f.getvalue())
        paths.append(path)
    with writable_store() as store:
        ingest = Ingest(store, rejects)
        for i, path in enumerate(paths):
            if progress:
                progress(i / (len(paths) + 1), path.name)
            items, used = read_any(path, holder=holder or None, account=account or None)
            if used:
                ingest.report.mappings[path.name] = used
            ingest.add(items, path.name)
            if used:  # filled as the items are read
                ingest.report.notes[path.name] = used.notes
        if progress:
            progress(len(paths) / (len(paths) + 1), "…")
        report = ingest.commit()
    log.info("app load: %d in, %d loaded, %d rejected", report.entities_in, report.loaded, report.rejected)
    return report


def load_items(entities: Iterable[dict[str, Any]], label: str, rejects: Path | None) -> LoadReport:
    """Load FtM entity dicts (the sample case) as one load."""
    with writable_store() as store:
        ingest = Ingest(store, rejects)
        ingest.add((Row(e, Origin(label, i + 1)) for i, e in enumerate(entities)), label)
        return ingest.commit()
