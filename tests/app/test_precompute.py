"""Issue 17 (bench/app.py): detection runs in the background once per loaded store, so the
first page does not wait for it; pages read its result from the cache file."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from debtorgraph.config import reload_settings
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.base import Origin, Row
from debtorgraph.ui import precompute
from debtorgraph.ui.sample import sample_entities


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DEBTORGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DEBTORGRAPH_PRECOMPUTE", raising=False)
    reload_settings()
    path = tmp_path / "graph.lbug"
    store = EmbeddedStore(path)
    try:
        ingest = Ingest(store, None)
        ingest.add((Row(e, Origin("s.jsonl", i + 1)) for i, e in enumerate(sample_entities())), "s.jsonl")
        ingest.commit()
    finally:
        store.close()
    yield path
    reload_settings()


def test_background_detection_writes_the_findings_once(db: Path) -> None:
    assert precompute.cached(db) is None
    assert precompute.start(db) is False            # started, not ready
    assert precompute.start(db) is False            # already running: not started twice
    deadline = time.monotonic() + 120
    while precompute.cached(db) is None and time.monotonic() < deadline:
        time.sleep(0.3)
    found = precompute.cached(db)
    assert found and {f["subject"] for f in found} >= {"p-wang"}
    assert precompute.start(db) is True
    assert oct(precompute.cache_file(db).stat().st_mode)[-3:] == "600"


def test_a_load_makes_a_new_version(db: Path) -> None:
    store = EmbeddedStore(db, read_only=True)
    precompute.compute(store, db)
    store.close()
    first = precompute.cache_file(db)
    assert first.is_file()
    store = EmbeddedStore(db)
    try:
        ingest = Ingest(store, None)
        ingest.add([Row({"id": "p-new", "schema": "Person", "properties": {"name": ["新人"]}}, Origin("n", 1))], "n")
        ingest.commit()
    finally:
        store.close()
    assert precompute.cache_file(db) != first and precompute.cached(db) is None
