"""Reading a large FtM file on every core: the file is cut at line starts, each part is
parsed, checked and spilled in its own process, and the parts are merged in file order.

The result is the load a single reader gives: the same entities, the same merges (an id
repeated across parts merges as it would within one), the same rejects with the same
line numbers, the same counts. Only reading is parallel; the plan and the COPY that
follow (:meth:`Ingest.commit`) run once, on the merged load.

On bench/load.py's 1M Payments the read step went from 10.5 s to 6.4 s on 2 cores.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..loaders.base import Origin
from ..loaders.ftm import read_ftm, split_point
from .columnar.reader import add_ftm_columnar
from .ingest import Ingest
from .unchanged import known_file, skip_file

log = logging.getLogger(__name__)

#: Files smaller than this are read in one process (starting another costs about 1 s).
PARALLEL_MIN_BYTES = 64 << 20


def add_ftm_file(ingest: Ingest, path: str | Path, label: str | None = None, *,
                 workers: int | None = None, min_bytes: int = PARALLEL_MIN_BYTES,
                 columnar: bool = True) -> None:
    """Add an FtM JSON lines file to ``ingest``, reading parts of it in other processes.

    ``columnar`` reads in Arrow (``graph/columnar``); False reads every line row-wise,
    as ``ingest.add(read_ftm(path))`` does (the tests compare the two)."""
    path = Path(path)
    label = label or path.name
    found, digest = known_file(ingest.store, path, label)
    if found is not None:
        skip_file(ingest, label, found)
        return
    ingest.ledger.begin(label, path, ingest.report, digest)
    _read_file(ingest, path, label, workers, min_bytes, columnar)
    ingest.ledger.end(label, ingest.report)


def _read_file(ingest: Ingest, path: Path, label: str, workers: int | None, min_bytes: int,
               columnar: bool) -> None:
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers < 2 or path.stat().st_size < max(min_bytes, 1):
        ingest.report.files.append(label)
        _read_range(ingest, path, label, 0, None, 1, columnar)
        return
    ranges = split_point(path, workers)
    jobs = []
    for k, (start, stop, line) in enumerate(ranges[1:], 1):
        folder = ingest.spill.folder / f"part-{k}"
        folder.mkdir()
        jobs.append((str(path), label, start, stop, line, str(folder), ingest.load_id, ingest.chunk_rows,
                     columnar))
    try:
        pool = ProcessPoolExecutor(max_workers=len(jobs),
                                   mp_context=multiprocessing.get_context("spawn"))  # the parent may hold a database open
        futures = [pool.submit(_read_part, *job) for job in jobs]
    except (OSError, RuntimeError) as exc:  # no processes here (no /dev/shm, limits): read alone
        log.warning("cannot start reader processes (%s); reading %s in one process", exc, label)
        pool, futures = None, []
    try:
        start, stop, line = ranges[0]
        ingest.report.files.append(label)
        _read_range(ingest, path, label, start, stop, line, columnar)
        parts = [_result(futures[k] if futures else None, job) for k, job in enumerate(jobs)]
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for part in parts:
        _merge(ingest, part, label)
    if ingest._progress:
        ingest._progress(ingest.report.entities_in)


def _result(future: Any, job: tuple[Any, ...]) -> dict[str, Any]:
    """A part read by a worker; read here instead when the worker could not (it died, or
    the pool broke). A fault in the data itself fails here the same way, with its message."""
    if future is not None:
        try:
            result: dict[str, Any] = future.result()
            return result
        except Exception as exc:  # noqa: BLE001 - any failure of the worker: retry here
            log.warning("a reader process failed (%s: %s); reading its part here",
                        type(exc).__name__, exc)
    folder = Path(job[5])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return _read_part(*job)


def _read_range(ingest: Ingest, path: str | Path, label: str, start: int, stop: int | None,
                line: int, columnar: bool) -> None:
    """Read the lines beginning in ``[start, stop)`` into ``ingest``."""
    if columnar:
        add_ftm_columnar(ingest, path, label, start=start, stop=stop, first_line=line)
    else:
        ingest.add(read_ftm(path, name=label, start=start, stop=stop, first_line=line))


def _read_part(path: str, label: str, start: int, stop: int | None, line: int, folder: str,
               load_id: str, chunk_rows: int, columnar: bool = True) -> dict[str, Any]:
    """In a worker: read, check and spill one part; return what the parent needs."""
    rejects = Path(folder) / "rejects.jsonl"
    part = Ingest(None, rejects, chunk_rows=chunk_rows, part_of=(Path(folder), load_id))  # type: ignore[arg-type]
    _read_range(part, path, label, start, stop, line, columnar)
    part.spill.flush()
    if part._rejects_fh is not None:
        part._rejects_fh.close()
    return {"nodes": part.nodes, "report": part.report, "files": part.spill._files,
            "refs": part.spill._refs, "rejects": str(rejects)}


def _merge(ingest: Ingest, part: dict[str, Any], label: str) -> None:
    """Append one part to the load, as if its lines had been read after the load's."""
    spill = ingest.spill
    spill.flush()  # rows read so far come before the part's
    for name, files in part["files"].items():
        spill._files.setdefault(name, []).extend(files)
    spill._refs.update(part["refs"])
    spill._ids = None
    mine, theirs = ingest.report, part["report"]
    mine.entities_in += theirs.entities_in
    mine.rows_in += theirs.rows_in
    mine.rejected += theirs.rejected
    mine.rejected_by_reason.update(theirs.rejected_by_reason)
    mine.merged += theirs.merged
    mine.merged_by_reason.update(theirs.merged_by_reason)
    mine.invalid_identifier_count += theirs.invalid_identifier_count
    room = 100 - len(mine.invalid_identifiers)
    mine.invalid_identifiers.extend(theirs.invalid_identifiers[:max(room, 0)])
    rejects = Path(part["rejects"])
    if rejects.exists():
        with open(rejects, "rb") as fh:
            while block := fh.read(16 << 20):
                ingest._write_rejects(block)
                ingest.ledger.note_many(label, Counter(), block)
    ingest.ledger.note_many(label, theirs.rejected_by_reason, b"")
    for ent_id, (entity, origin) in part["nodes"].items():
        if ent_id in ingest.nodes:
            file, _, row = origin.rpartition(":")
            ingest._merge_node_duplicate(entity, Origin(file, int(row) if row.isdigit() else None))
        else:
            ingest.nodes[ent_id] = (entity, origin)
