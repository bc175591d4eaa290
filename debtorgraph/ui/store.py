"""Store access for the app: one read-only store per process, shared by every session.

The store comes from ``DEBTORGRAPH_DB`` (set by ``debtorgraph app`` / ``demo``) and is
opened read-only through :func:`get_store` (``st.cache_resource``). Streamlit runs each
session's script in its own thread, so :class:`SharedStore` serialises calls with a lock.
Only the Data page writes: :func:`writable_store` closes the shared reader, yields a
read-write store for the load, and clears every cache afterwards.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path
from typing import Any, Iterator

import streamlit as st

from ..config import setting

log = logging.getLogger(__name__)

__all__ = ["db_path", "get_store", "SharedStore", "writable_store", "store_exists", "WRITE_LOCK"]

#: Held while the Data page writes, so no reader reopens the store mid-load.
WRITE_LOCK = threading.RLock()


def db_path() -> str:
    """The store location: ``DEBTORGRAPH_DB`` as the app was started with it."""
    return os.environ.get("DEBTORGRAPH_DB") or setting("DEBTORGRAPH_DB")


def store_exists(db: str | None = None) -> bool:
    """True when there is an embedded store at ``db`` (or Neo4j is configured)."""
    if setting("NEO4J_URI") and not os.environ.get("DEBTORGRAPH_DB"):
        return True
    return Path(db or db_path()).exists()


class SharedStore:
    """A read-only store that many sessions use at once: one call at a time."""

    #: Read-only and replaced after every load: relationship types can be remembered.
    caches_rel_types = True

    def __init__(self, inner: Any, db: str) -> None:
        self.inner = inner
        self.db = db
        self._rel_types: set[str] | None = None
        self.dialect = getattr(inner, "dialect", "ladybug")
        self._lock = threading.Lock()

    def run_read(self, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout_ms: int | None = None, max_rows: int | None = None) -> Any:
        with self._lock:
            return self.inner.run_read(cypher, params or {}, timeout_ms=timeout_ms, max_rows=max_rows)

    def __getattr__(self, name: str) -> Any:  # lookup_records, count_records ...
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return locked

    def close(self) -> None:
        with self._lock:
            self.inner.close()

    def is_stale(self) -> bool:
        """True when a load (from the command line, say) has replaced the store file."""
        stale = getattr(self.inner, "is_stale", None)
        return bool(callable(stale) and stale())

    def reopen(self) -> None:
        """Let go of the old file: the next call opens the store as it is now."""
        with self._lock:
            self.inner.close()
            self._rel_types = None


@st.cache_resource(show_spinner=False)
def _open_shared(db: str) -> SharedStore:
    from ..graph.store import open_store

    log.info("opening store read-only")
    store = open_store(db, read_only=True)
    if hasattr(store, "conn"):
        store.conn  # noqa: B018 - open now, so a missing store fails here, not mid-page
    return SharedStore(store, db)


def get_store() -> SharedStore:
    """The shared read-only store of this process (raises DebtorGraphError when absent).

    When a load outside the app (``debtorgraph load``) has replaced the store since it
    was opened, it is reopened and cached query results are dropped, so every page shows
    the store as it is now.
    """
    with WRITE_LOCK:
        shared = _open_shared(db_path())
        if shared.is_stale():
            log.info("the store was replaced by a load: reopening it")
            shared.reopen()
            st.cache_data.clear()
        return shared


def release_store() -> None:
    """Close the shared reader and forget it, and every cached query result."""
    with WRITE_LOCK:
        try:
            shared = _open_shared(db_path()) if store_exists() else None
        except Exception:  # could not even open: nothing to close
            shared = None
        if shared is not None:
            shared.close()
        _open_shared.clear()
        st.cache_data.clear()


@contextlib.contextmanager
def writable_store() -> Iterator[Any]:
    """A read-write store for a load; the shared reader is closed first and reopened later."""
    from ..graph.store import open_store

    with WRITE_LOCK:
        release_store()
        store = open_store(db_path())
        try:
            yield store
        finally:
            store.close()
            _open_shared.clear()
            st.cache_data.clear()
