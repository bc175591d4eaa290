"""Shared fixtures: a fresh embedded store per test, tiny FtM files."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

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
