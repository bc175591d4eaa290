"""Streaming output of the generator: FtM JSON lines, readable ids, provenance rows.

Entities are plain dicts in the FtM JSON form. :class:`EntityWriter` hands out ids
(``p-000012``, ``pay-000000042``), numbers the rows of each source document (the
``recordId`` and a Payment's ``sequenceNumber``) and writes each entity with orjson as
soon as it is final, so memory does not grow with the number of payments.
"""
from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime
from typing import IO, Any, Callable

import orjson

log = logging.getLogger(__name__)

Entity = dict[str, Any]

# Schemata that carry ``recordId`` in FtM 4 (the Interval family we use).
RECORD_SCHEMATA = frozenset({
    "Payment", "Ownership", "Family", "Associate", "Directorship", "Employment", "Event",
    "Sanction", "CourtCaseParty", "Debt",
})
_WIDTH = {"pay": 9}
PROGRESS_EVERY = 20_000


def fmt(value: Any) -> str:
    """Return the FtM string form of one value (dates ISO; money in whole yuan, or with
    two decimals where it has fen)."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return str(value)


def make_entity(id_: str, schema: str, props: dict[str, Any]) -> Entity:
    """Build an FtM entity dict; ``None`` values are left out, scalars become lists."""
    out: dict[str, list[str]] = {}
    for key, value in props.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            vals = [fmt(v) for v in value if v is not None]
            if vals:
                out[key] = vals
        else:
            out[key] = [fmt(value)]
    return {"id": id_, "schema": schema, "properties": out}


class EntityWriter:
    """Write FtM entities to a binary stream, one JSON object per line.

    Parameters
    ----------
    fh : binary file object
        Where the lines go.
    progress : callable, optional
        Called with the number of entities written so far, every
        ``PROGRESS_EVERY`` entities and once at the end.
    """

    def __init__(self, fh: IO[bytes], progress: Callable[[int], None] | None = None) -> None:
        self._fh = fh
        self._progress = progress
        self._ids: Counter[str] = Counter()
        self._rows: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.written = 0
        self._buf: list[bytes] = []
        self._payments = 0  # Payments written by the fast path, added to counts at close

    def new_id(self, prefix: str) -> str:
        """Return the next readable id with this prefix (``p-000001``)."""
        self._ids[prefix] += 1
        return f"{prefix}-{self._ids[prefix]:0{_WIDTH.get(prefix, 6)}d}"

    def next_row(self, doc_id: str) -> int:
        """Return the next 1-based row number of the source document ``doc_id``."""
        self._rows[doc_id] += 1
        return self._rows[doc_id]

    def write(self, entity: Entity) -> None:
        """Write one finished entity."""
        self._buf.append(orjson.dumps(entity, option=orjson.OPT_APPEND_NEWLINE))
        self.counts[entity["schema"]] += 1
        self.written += 1
        if len(self._buf) >= 4096:
            self._flush()
        if self._progress is not None and self.written % PROGRESS_EVERY == 0:
            self._progress(self.written)

    def write_payment_props(self, props: dict[str, list[str]]) -> str:
        """Write a Payment from ready-made properties; give it an id and return the id.

        The hot path of the generator: the same as :meth:`new_id` plus :meth:`write`.
        """
        n = self._ids["pay"] + 1
        self._ids["pay"] = n
        pid = f"pay-{n:09d}"
        self._buf.append(orjson.dumps({"id": pid, "schema": "Payment", "properties": props},
                                      option=orjson.OPT_APPEND_NEWLINE))
        self._payments += 1
        self.written += 1
        if len(self._buf) >= 4096:
            self._flush()
        if self._progress is not None and self.written % PROGRESS_EVERY == 0:
            self._progress(self.written)
        return pid

    def _flush(self) -> None:
        self._fh.write(b"".join(self._buf))
        self._buf.clear()

    def close(self) -> None:
        """Flush what is buffered and report the final count to ``progress``."""
        self._flush()
        self.counts["Payment"] += self._payments
        self._payments = 0
        if self._progress is not None:
            self._progress(self.written)
        log.info("wrote %d entities", self.written)
