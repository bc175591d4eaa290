"""Running Cypher typed by a user: read-only, with a time limit, a row cap and, on the embedded
store, in a worker process with a memory limit (:mod:`.worker`)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..config import setting
from .guard import check_read_only

log = logging.getLogger(__name__)


def embedded_path(store: Any) -> Path | None:
    """The file of an embedded store (also behind the app's shared wrapper), else None."""
    from ..graph.store.embedded import EmbeddedStore

    inner = store.__dict__.get("inner", store) if hasattr(store, "__dict__") else store
    return Path(inner.path) if isinstance(inner, EmbeddedStore) else None


def run_user_query(store: Any, cypher: str, params: dict[str, Any] | None = None, *,
                   timeout_ms: int | None = None, max_rows: int | None = None) -> Any:
    """Refuse writes before the store sees them, then run read-only.

    On the embedded store the query runs in a worker process (:func:`.worker.run_isolated`):
    an engine crash, a time or memory overrun and an engine error all raise
    :class:`.worker.QueryFailed` (a DebtorGraphError) with a clear message; this process
    lives on. Other stores (Neo4j) run the query on their server with the time limit.
    Raises ReadOnlyViolation for a write.
    """
    check_read_only(cypher)
    timeout = timeout_ms or int(setting("DEBTORGRAPH_QUERY_TIMEOUT_MS"))
    cap = max_rows or int(setting("DEBTORGRAPH_QUERY_MAX_ROWS"))
    path = embedded_path(store)
    if path is not None:
        from .worker import run_isolated

        return run_isolated(path, cypher, params or {}, timeout_ms=timeout, max_rows=cap)
    try:
        return store.run_read(cypher, params or {}, timeout_ms=timeout, max_rows=cap)
    except RuntimeError as exc:
        from .worker import explain

        raise explain(str(exc)) from exc
