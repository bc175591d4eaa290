"""Settings as data: one table of ``Setting(name, default, help)`` (after datasette).

Environment variables are read once, when :func:`get_settings` is first called.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DEBTORGRAPH_DB", str(Path.home() / ".debtorgraph" / "graph"),
            "Folder of the embedded ladybug store (used when NEO4J_URI is not set)."),
    Setting("DEBTORGRAPH_HOME", str(Path.home() / ".debtorgraph"),
            "Folder for rejects, reports, the audit log, users and review marks."),
    Setting("NEO4J_URI", "", "Bolt URI of a Neo4j server; when set, Neo4j is the store."),
    Setting("NEO4J_USER", "neo4j", "Neo4j user name."),
    Setting("NEO4J_PASSWORD", "", "Neo4j password."),
    Setting("NEO4J_DATABASE", "neo4j", "Neo4j database name (passed as database_ on every call)."),
    Setting("DEBTORGRAPH_QUERY_TIMEOUT_MS", "10000", "Time limit for user Cypher queries, in ms."),
    Setting("DEBTORGRAPH_QUERY_MAX_ROWS", "5000", "Row cap for user Cypher queries."),
    Setting("DEBTORGRAPH_LEASE_YIELD", "0.02",
            "Gross yearly rental yield used to estimate a market rent from market value."),
    Setting("DEBTORGRAPH_BUFFER_POOL_MB", "2048",
            "Memory the embedded store may use for its buffer pool, in MiB (bounds RSS on big loads)."),
    Setting("DEBTORGRAPH_LANG", "zh", "Language of messages and the app: zh or en."),
)


@lru_cache(maxsize=1)
def get_settings() -> dict[str, str]:
    """Return every setting, from the environment where set, else its default."""
    return {s.name: os.environ.get(s.name, s.default) for s in SETTINGS}


def setting(name: str) -> str:
    """Return one setting's value; KeyError for an unknown name."""
    return get_settings()[name]


def reload_settings() -> None:
    """Forget the cached environment (tests and the CLI's --db option use this)."""
    get_settings.cache_clear()
