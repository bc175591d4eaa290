"""Graph stores: the embedded ladybug store (default) and Neo4j (when NEO4J_URI is set)."""
from __future__ import annotations

from pathlib import Path

from ...config import setting
from .base import QueryResult, Store, WriteBatch

__all__ = ["open_store", "Store", "QueryResult", "WriteBatch"]


def open_store(db: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the configured store: Neo4j when ``NEO4J_URI`` is set, else ladybug at ``db``.

    ``db`` overrides ``DEBTORGRAPH_DB``. Nothing is opened on disk until first use.
    """
    if setting("NEO4J_URI") and db is None:
        from .neo4j import Neo4jStore

        return Neo4jStore.from_settings(read_only=read_only)
    from .embedded import EmbeddedStore

    return EmbeddedStore(db or setting("DEBTORGRAPH_DB"), read_only=read_only)
