"""Fixtures of the app's tests: the case store (once per session), AppTest on the real router,
the runner kept on st.navigation, and detection standing in with fixed findings."""
from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from app_kit import APP, FINDINGS, case_entities, load_case


@pytest.fixture(scope="session")
def case_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("appcase") / "graph.lbug"
    load_case(db, case_entities())
    return db


@pytest.fixture(autouse=True)
def _no_pages_folder_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest re-detects the old ``pages/`` folder mode before every run, which the real
    server leaves behind once ``st.navigation`` has run; keep the runner on st.navigation."""
    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner

    class NavigationOnly(pages_manager.PagesManager):
        uses_pages_directory = False

    monkeypatch.setattr(script_runner, "PagesManager", NavigationOnly)


@pytest.fixture
def app(case_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(case_db))
    yield AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def fake_detect(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Detection stands in with two fixed findings (the real rules are tested on their own)."""
    import streamlit as st

    mod = types.ModuleType("debtorgraph.analysis.detect")
    mod.detect = lambda source: [dict(f) for f in FINDINGS]  # type: ignore[attr-defined]
    pull = types.ModuleType("debtorgraph.analysis.neighbourhood.store")
    pull.StoreSource = lambda store: store  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "debtorgraph.analysis.detect", mod)
    monkeypatch.setitem(sys.modules, "debtorgraph.analysis.neighbourhood.store", pull)
    st.cache_data.clear()
    yield
    st.cache_data.clear()

