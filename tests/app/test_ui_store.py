"""The app's shared store follows loads made outside the app (``debtorgraph load``)."""
from __future__ import annotations

from pathlib import Path

from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.ftm import read_ftm

from ftm_fixtures import write_ftm


def _load(db: Path, path: Path) -> None:
    writer = EmbeddedStore(db)
    ingest = Ingest(writer)
    ingest.add(read_ftm(path), path.name)
    assert ingest.commit().balanced
    writer.close()


def _people(store) -> int:
    return store.run_read("MATCH (n:Entity) WHERE n.schema = 'Person' RETURN count(n)").rows[0][0]


def test_a_load_from_the_command_line_shows_on_the_next_run(tmp_path, monkeypatch) -> None:
    from debtorgraph.ui import store as ui_store

    db = tmp_path / "graph"
    monkeypatch.setenv("DEBTORGRAPH_DB", str(db))
    _load(db, write_ftm(tmp_path / "a.jsonl", [{"id": "p-1", "schema": "Person",
                                                   "properties": {"name": ["王某"]}}]))
    ui_store._open_shared.clear()
    shared = ui_store.get_store()
    assert _people(shared) == 1 and not shared.is_stale()
    _load(db, write_ftm(tmp_path / "b.jsonl", [{"id": "p-2", "schema": "Person",
                                                   "properties": {"name": ["李某"]}}]))
    assert shared.is_stale()
    assert _people(shared) == 1  # a reader keeps its snapshot until it reopens
    again = ui_store.get_store()
    assert again is shared and not again.is_stale()
    assert _people(again) == 2
    shared.close()
    ui_store._open_shared.clear()
