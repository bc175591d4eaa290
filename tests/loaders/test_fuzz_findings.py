"""What the fuzzing of the loaders found (test_fuzz_loaders), kept as plain tests: each a
store left as it was and a clear reject where a load once failed or crashed."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.base import Origin, Row
from store_checks import MemoryStore, state


def _load(store: Any, ents: list[Any]) -> Any:
    ingest = Ingest(store)
    ingest.add(Row(e, Origin("f.jsonl", i + 1)) for i, e in enumerate(ents))
    return ingest.commit()


def test_a_reference_to_an_edge_is_refused_not_a_failed_load(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    try:
        people = [{"id": p, "schema": "Person", "properties": {}} for p in ("p1", "p2")]
        pay = {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p1"], "beneficiary": ["p2"]}}
        on_edge = [{"id": "ev", "schema": "Event", "properties": {"involved": ["pay-1"]}},
                   {"id": "pay-2", "schema": "Payment",
                    "properties": {"payer": ["p1"], "beneficiary": ["pay-1"]}}]
        first = _load(store, people + [pay] + on_edge)       # the edge in the same load
        assert first.loaded == 3 and first.rejected_by_reason == {"dangling_reference": 2}
        again = _load(store, [dict(e, id=e["id"] + "b") for e in on_edge])   # the edge stored
        assert again.loaded == 0 and again.rejected_by_reason == {"dangling_reference": 2}
    finally:
        store.close()
    state(tmp_path / "graph")


def test_an_id_the_store_holds_as_another_kind_is_refused(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    try:
        _load(store, [{"id": "p1", "schema": "Person", "properties": {"name": ["王某"]}},
                      {"id": "p2", "schema": "Company", "properties": {"name": ["某公司"]}},
                      {"id": "pay-1", "schema": "Payment",
                       "properties": {"payer": ["p1"], "beneficiary": ["p2"]}}])
        report = _load(store, [
            {"id": "pay-1", "schema": "Person", "properties": {"name": ["李某"]}},       # edge id
            {"id": "p2", "schema": "Person", "properties": {"name": ["张某"]}},          # Company
            {"id": "p1", "schema": "Ownership", "properties": {"owner": ["p2"], "asset": ["p2"]}}])
        assert report.rejected_by_reason == {"schema_conflict": 3} and report.balanced
        props = store.run_read("MATCH (r:Record) RETURN r.id, r.props ORDER BY r.id").rows
        assert [json.loads(p)["name"] for i, p in props if i != "pay-1"] == [["王某"], ["某公司"]]
    finally:
        store.close()
    state(tmp_path / "graph")


def test_deeply_nested_and_huge_integer_values_are_rejects(tmp_path: Path) -> None:
    deep: Any = 1
    for _ in range(600):
        deep = {"a": deep}
    report = _load(MemoryStore(), [
        {"id": "p1", "schema": "Person", "properties": deep},
        {"id": "p2", "schema": "Person", "properties": {"name": [2 ** 70]}},
        {"id": deep, "schema": "Person"}])
    assert report.rejected == 3 and report.balanced
