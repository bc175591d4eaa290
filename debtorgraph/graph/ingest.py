"""Ingest: validated FtM entities from any loader into a store, atomically and idempotently.

One :class:`Ingest` per load. :meth:`Ingest.add` checks each item against the FtM model
(rejects go straight to the rejects file), keeps node entities in memory and spills edge
entities to Parquet in chunks, so ten million Payments load in bounded memory.
:meth:`Ingest.commit` then plans the load (:mod:`.plan`: references resolved against this
load and the store, parties with the same valid identifier merged, what the store already
holds compared) and hands one :class:`~debtorgraph.graph.plan.LoadBatch` to the store,
which applies all of it or nothing.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson

from ..loaders.base import Item, Origin, Reject
from .identity import identifier_issues
from .model import check_entity, schema_spec
from .plan import LoadBatch, LoadPlan, _compatible, arrow_schema
from .report import LoadReport
from .schema import REL_COLUMNS, edge_values, merge_props, rel_type
from .edges import EdgeSpill
from .memory import paused_gc, release_unused
from .store.base import Store
from .unchanged import FileLedger

log = logging.getLogger(__name__)

SPILL_PREFIX = "debtorgraph-load-"


def remove_stale_spills(folder: str | Path | None = None) -> int:
    """Delete spill folders of loads whose process is gone (a load killed with SIGKILL).

    Folders are named ``debtorgraph-load-<pid>-<random>``; one whose pid no longer runs is
    left over. Returns how many were removed.
    """
    base = Path(folder or tempfile.gettempdir())
    removed = 0
    for path in base.glob(SPILL_PREFIX + "*"):
        pid = path.name[len(SPILL_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # another user's live process
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    if removed:
        log.info("removed %d spill folders of killed loads", removed)
    return removed


class Ingest(LoadPlan):
    """One load into ``store``. Use :meth:`add` for every loader's items, then :meth:`commit`."""

    def __init__(self, store: Store, rejects_path: str | Path | None = None, *,
                 spill_dir: str | Path | None = None, chunk_rows: int = 100_000,
                 progress: Callable[[int], None] | None = None,
                 part_of: tuple[Path, str] | None = None) -> None:
        self.store = store
        self._tmp: Any = None
        if part_of is None:
            self.load_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
            remove_stale_spills(spill_dir)
            self._tmp = tempfile.TemporaryDirectory(prefix=f"{SPILL_PREFIX}{os.getpid()}-", dir=spill_dir)
            folder = Path(self._tmp.name)
        else:  # reading one part of a file for another process's load (graph/parallel.py)
            folder, self.load_id = part_of
        self.report = LoadReport(self.load_id)
        self._t0 = time.perf_counter()
        self.chunk_rows = chunk_rows
        self.spill = EdgeSpill(folder, chunk_rows, self.load_id)
        self.nodes: dict[str, tuple[dict[str, Any], str]] = {}
        self.rejects_path = Path(rejects_path) if rejects_path else None
        self._rejects_fh: Any = None
        self._progress = progress
        self._edge_refs: set[str] = set()
        self.ledger = FileLedger()  # whole files read, noted with the load (graph/unchanged.py)

    # -- reading ------------------------------------------------------------------------
    def add(self, items: Iterable[Item], file_label: str | None = None) -> None:
        """Check and buffer every item of one loader.

        The cyclic garbage collector is paused meanwhile: a load makes millions of small
        containers and no cycles, and its scans cost a tenth of the load's time."""
        if file_label:
            self.report.files.append(file_label)
        with paused_gc():
            self._add(items)

    def _add(self, items: Iterable[Item]) -> None:
        report = self.report
        nodes = self.nodes
        spill = self.spill
        for item in items:
            if isinstance(item, Reject):
                report.entities_in += 1
                report.rows_in += 1
                self._reject(item)
                continue
            report.entities_in += 1
            if not item.derived:
                report.rows_in += 1
            if self._progress and report.entities_in % 50_000 == 0:
                self._progress(report.entities_in)
            entity = item.entity
            problems = check_entity(entity)
            if problems:
                first = problems[0]
                self._reject(Reject(item.origin, first.reason,
                                    "；".join(p.message_zh for p in problems),
                                    "; ".join(p.message_en for p in problems),
                                    raw=_raw(entity), column=first.prop,
                                    entity_id=_id_of(entity)))
                continue
            origin = item.origin.label()
            spec = schema_spec(entity["schema"])
            assert spec is not None
            if spec.edge:
                spill.add(entity, origin)
                continue
            ent_id = entity["id"]
            if ent_id in nodes:
                self._merge_node_duplicate(entity, item.origin)
                continue
            issues = identifier_issues(entity)
            if issues:
                report.invalid_identifier_count += len(issues)
                if len(report.invalid_identifiers) < 100:
                    report.invalid_identifiers.extend(f"{origin} {i}" for i in issues)
            nodes[ent_id] = (entity, origin)

    def _merge_node_duplicate(self, entity: dict[str, Any], origin: Origin) -> None:
        ent_id = entity["id"]
        prev = self.nodes.get(ent_id)
        if prev is None or not _compatible(prev[0]["schema"], entity["schema"]):
            self._reject(Reject(origin, "schema_conflict",
                                f"{origin.label()}：id {ent_id} 已以其他 schema 出现，请统一 schema",
                                f"{origin.label()}: id {ent_id} came earlier with another schema",
                                entity_id=ent_id))
            return
        merged = dict(prev[0])
        merged["properties"] = merge_props(prev[0].get("properties", {}), entity.get("properties", {}))
        self.nodes[ent_id] = (merged, prev[1])
        self._count_merge("duplicate_in_load")

    def _reject(self, reject: Reject) -> None:
        self.report.rejected += 1
        self.report.rejected_by_reason[reject.reason] += 1
        data = orjson.dumps(reject.as_dict()) + b"\n"
        self.ledger.note(reject.origin.file, reject.reason, data)
        self._write_rejects(data)

    def _write_rejects(self, data: bytes) -> None:
        if self.rejects_path is not None and data:
            if self._rejects_fh is None:
                self.rejects_path.parent.mkdir(parents=True, exist_ok=True)
                self._rejects_fh = open(self.rejects_path, "ab")
                self.report.rejects_path = str(self.rejects_path)
            self._rejects_fh.write(data)

    # -- committing ---------------------------------------------------------------------
    def commit(self) -> LoadReport:
        """Resolve, compare with the store and write everything atomically."""
        try:
            self.spill.flush()
            release_unused()  # what parsing left, before the plan reads the spills
            with paused_gc():  # the plan makes many small objects and no cycles, as reading does
                batch = self._plan()
            batch.files = self.ledger.rows(self.load_id)
            self.spill.release()
            self.nodes = {}  # in the batch now; the parties of a large load are tens of MB
            release_unused()  # what the plan left, before the store copies
            if not batch.is_empty() or batch.files:
                self.store.write(batch)
            return self.report
        finally:
            self.report.seconds = time.perf_counter() - self._t0
            if self._rejects_fh is not None:
                self._rejects_fh.close()
            if self._tmp is not None:
                self._tmp.cleanup()


def _raw(entity: Any) -> str:
    """A refused entity as text for the rejects file, whatever it holds."""
    try:
        return orjson.dumps(entity).decode()
    except TypeError:  # nested deeper than orjson writes (255), or an int over 64 bits
        try:
            return repr(entity)[:2000]
        except RecursionError:
            return "(nested too deeply to show)"


def _id_of(entity: Any) -> str | None:
    ent_id = entity.get("id") if isinstance(entity, dict) else None
    return ent_id if isinstance(ent_id, str) else None


__all__ = ["Ingest", "LoadBatch", "merge_props", "arrow_schema", "rel_type", "edge_values", "REL_COLUMNS"]
