"""What the app's tests share: the sample case (plus one hostile name) loaded once into a real
embedded store, the page-runner helpers, the two fixed findings that stand in for detection,
and the fixtures (a test module imports them by name; a tests/app/conftest.py would clash
with tests/conftest.py, which other tests import as ``conftest``)."""
from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.base import Origin, Row
from debtorgraph.ui.sample import sample_entities

APP = str(Path(__file__).resolve().parents[2] / "debtorgraph" / "app.py")
HOSTILE_NAME = "</script><img src=x onerror=alert(1)>恶意"


def case_entities() -> list[dict[str, Any]]:
    """The sample case plus a party with an HTML name linked to the debtor."""
    ents = list(sample_entities())
    ents.append({"id": "p-evil", "schema": "Person", "properties": {"name": [HOSTILE_NAME]}})
    ents.append({"id": "assoc-evil", "schema": "Associate",
                 "properties": {"person": ["p-wang"], "associate": ["p-evil"], "relationship": ["<b>同事</b>"]}})
    return ents


def load_case(db: Path, entities: list[dict[str, Any]]) -> None:
    store = EmbeddedStore(db)
    try:
        ingest = Ingest(store, None)
        ingest.add((Row(e, Origin("case.ftm.jsonl", i + 1)) for i, e in enumerate(entities)), "case.ftm.jsonl")
        report = ingest.commit()
        assert report.rejected == 0, report.lines()
    finally:
        store.close()


def goto(at: AppTest, page: str, **state: Any) -> AppTest:
    """Run the app, seed session state, open a page."""
    at.run()
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def srcdoc(at: AppTest) -> str:
    frames = at.get("iframe")
    assert frames, "no network drawn"
    return frames[0].proto.srcdoc


def table(at: AppTest, i: int = 0) -> Any:
    return at.dataframe[i].value


def table_with(at: AppTest, column: str) -> Any:
    """The first table on the page that has ``column``."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a {column!r} column")

FINDINGS = [
    {"id": "f-sale", "rule": "undervalue_transfer_to_relative", "score": 0.9, "subject": "p-wang", "actor": "p-wang",
     "case": "case-1", "acts": ["own-wang-re", "own-sister-re"], "counterparties": ["p-sister"], "amount": 160000,
     "date": "2022-05-20", "legal_basis": ["Civil Code art. 539", "Criminal Law art. 313"],
     "explanation": "被执行人以市场价 20% 的价格将房产卖给其妹。", "sources": []},
    {"id": "f-pay", "rule": "payments_after_notice", "score": 0.7, "subject": "p-wang", "actor": "p-wang",
     "case": "case-1", "acts": ["pay-1", "pay-2", "pay-3"], "counterparties": ["p-sister"], "amount": 160000,
     "date": "2022-04-15", "legal_basis": ["Criminal Law art. 313"], "explanation": "=HYPERLINK(\"x\")", "sources": []},
]


def _hide_module(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    import streamlit as st

    monkeypatch.setitem(sys.modules, name, None)  # import raises ModuleNotFoundError
    st.cache_data.clear()


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

