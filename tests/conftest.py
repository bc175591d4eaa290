"""Shared fixtures: a fresh embedded store per test, tiny FtM files."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from debtorgraph.graph.store.embedded import EmbeddedStore

@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's DEBTORGRAPH_HOME (rejects, audit, users) out of the real home."""
    from debtorgraph.config import reload_settings

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DEBTORGRAPH_HOME", str(home))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    reload_settings()
    yield
    reload_settings()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A fresh embedded store in a temp folder, closed after the test."""
    st = EmbeddedStore(tmp_path / "graph")
    yield st
    st.close()


# -- a live Neo4j 5 for the Neo4j tests (tools/neo4j-local), one per pytest process ----------
import os as _os
import subprocess as _subprocess

#: Read at import: ``_isolated_home`` clears NEO4J_URI for every test (embedded by default).
NEO4J_ENV = {k: _os.environ.get(k, d) for k, d in (("NEO4J_URI", ""), ("NEO4J_USER", "neo4j"),
                                                   ("NEO4J_PASSWORD", ""), ("NEO4J_DATABASE", "neo4j"))}
NEO4J_LOCAL = Path(__file__).resolve().parents[1] / "tools" / "neo4j-local" / "neo4j-local"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "neo4j: runs against a live Neo4j 5 server (the neo4j_server fixture)")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A live Neo4j 5: NEO4J_URI (and user, password, database) as set, else a server of our own.

    Without NEO4J_URI, ``tools/neo4j-local start`` runs Neo4j Community from ~/.m2 with its
    data in a temp folder (each xdist worker its own: Community has one user database, and
    the tests empty it); it is killed when the session ends (throwaway data), or stops when
    this process dies.
    Returns the settings: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE.
    """
    if NEO4J_ENV["NEO4J_URI"]:
        yield dict(NEO4J_ENV)
        return
    folder = tmp_path_factory.mktemp("neo4j")
    env = dict(_os.environ, NEO4J_LOCAL_PARENT=str(_os.getpid()))
    env.pop("NEO4J_PASSWORD", None)
    proc = _subprocess.run([str(NEO4J_LOCAL), "start", str(folder), "--heap", "768m", "--pagecache", "128m"],
                           capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"tools/neo4j-local could not start Neo4j (exit {proc.returncode}):\n"
                           f"{proc.stdout}\n{proc.stderr}")
    settings = dict(NEO4J_ENV)
    for line in proc.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        if name in settings:
            settings[name] = value
    try:
        yield settings
    finally:
        _subprocess.run([str(NEO4J_LOCAL), "stop", str(folder), "--kill"], capture_output=True, timeout=120)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """One line: how many tests ran against the live Neo4j server, and how they ended."""
    counts: dict[str, int] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") in ("call", "setup") and "neo4j" in getattr(report, "keywords", {}):
                if outcome == "passed" and report.when != "call":
                    continue
                counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        terminalreporter.write_line("Neo4j (live server): " + ", ".join(f"{n} {k}" for k, n in counts.items()))
