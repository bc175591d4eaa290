"""The graph back to FtM JSON lines, every entity with the id and values it was loaded with."""
from __future__ import annotations

from typing import IO, Any, Iterator

import orjson

from .schema import RECORD_LABEL
from .store.base import Store

EXPORT_RECORDS = f"MATCH (r:{RECORD_LABEL}) RETURN r.id, r.schema, r.props ORDER BY r.id"


def iter_ftm(store: Store) -> Iterator[dict[str, Any]]:
    """Yield every entity as loaded (``Record`` nodes), ordered by id."""
    for rid, schema, props in store.run_read(EXPORT_RECORDS).rows:
        yield {"id": rid, "schema": schema, "properties": orjson.loads(props)}


def export_ftm(store: Store, out: IO[bytes]) -> int:
    """Write FtM JSON lines to ``out``; return the number of entities written."""
    n = 0
    for entity in iter_ftm(store):
        out.write(orjson.dumps(entity) + b"\n")
        n += 1
    return n
