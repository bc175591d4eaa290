"""Running Cypher typed by a user: read-only, with a time limit and a row cap."""
from __future__ import annotations

import logging
from typing import Any

from ..config import setting
from .guard import check_read_only

log = logging.getLogger(__name__)


def run_user_query(store: Any, cypher: str, params: dict[str, Any] | None = None, *,
                   timeout_ms: int | None = None, max_rows: int | None = None) -> Any:
    """Refuse writes before the store sees them, then run on a read-only store.

    Raises ReadOnlyViolation for a write; the store raises on a timeout.
    """
    check_read_only(cypher)
    timeout = timeout_ms or int(setting("DEBTORGRAPH_QUERY_TIMEOUT_MS"))
    cap = max_rows or int(setting("DEBTORGRAPH_QUERY_MAX_ROWS"))
    return store.run_read(cypher, params or {}, timeout_ms=timeout, max_rows=cap)
