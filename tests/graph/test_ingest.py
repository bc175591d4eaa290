"""Loading: counts balance, aliases resolve, reloads change nothing, failures roll back."""
from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from debtorgraph.graph.export import iter_ftm
from debtorgraph.graph.ingest import Ingest
from debtorgraph.loaders.ftm import read_ftm
from debtorgraph.queries.stats import graph_stats

from ftm_fixtures import shared_file, write_ftm

VALID_RIC = "11010519491231002X"
PEOPLE = [
    {"id": "p-wang", "schema": "Person", "properties": {"name": ["王某"], "idNumber": [VALID_RIC]}},
    {"id": "p-wang-bank", "schema": "Person", "properties": {"name": ["王某"], "idNumber": [VALID_RIC],
                                                              "phone": ["+8613912345678"]}},
    {"id": "p-li", "schema": "Person", "properties": {"name": ["李某"], "idNumber": ["110105194912310021"]}},
    {"id": "acct-1", "schema": "BankAccount", "properties": {"accountNumber": ["6222000011112222"]}},
    {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p-wang-bank"], "asset": ["acct-1"]}},
    {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p-wang-bank"], "beneficiary": ["p-li"],
                                                        "amount": ["48000"], "date": ["2023-06-02"],
                                                        "payerAccount": ["acct-1"]}},
]


def load(store, *paths: Path, rejects: Path | None = None):
    ingest = Ingest(store, rejects)
    for p in paths:
        ingest.add(read_ftm(p), p.name)
    return ingest.commit()


def test_alias_resolution(store, tmp_path):
    report = load(store, write_ftm(tmp_path / "a.jsonl", PEOPLE))
    assert report.balanced and report.rejected == 0
    assert report.merged_by_reason["same_identifier"] == 1
    assert report.invalid_identifier_count == 1  # p-li's ID fails its check digit: kept, flagged
    persons = store.run_read("MATCH (n:Entity) WHERE n.schema = 'Person' RETURN n.id ORDER BY n.id").rows
    assert persons == [["p-li"], ["p-wang"]]
    # the edge written with the alias id lands on the canonical node
    rows = store.run_read("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) RETURN a.id, p.id, b.id").rows
    assert rows == [["p-wang", "pay-1", "p-li"]]
    canon = store.run_read("MATCH (r:Record {id: 'p-wang-bank'}) RETURN r.canonical").rows
    assert canon == [["p-wang"]]
    # the canonical node carries both records' values; export keeps the input ids and values
    props = json.loads(store.run_read("MATCH (n:Entity {id: 'p-wang'}) RETURN n.props").rows[0][0])
    assert props["phone"] == ["+8613912345678"]
    exported = {e["id"]: e for e in iter_ftm(store)}
    assert set(exported) == {e["id"] for e in PEOPLE}
    assert exported["p-wang-bank"]["properties"] == PEOPLE[1]["properties"]


def test_alias_resolves_against_the_store_in_a_later_load(store, tmp_path):
    load(store, write_ftm(tmp_path / "a.jsonl", PEOPLE[:1]))
    later = [{"id": "p-wang-2", "schema": "Person", "properties": {"name": ["王某"], "idNumber": [VALID_RIC]}},
             {"id": "fam-1", "schema": "Family", "properties": {"person": ["p-wang-2"],
                                                                "relative": ["p-wang"],
                                                                "relationship": ["sibling"]}}]
    report = load(store, write_ftm(tmp_path / "b.jsonl", later))
    assert report.merged_by_reason["same_identifier"] == 1
    assert store.run_read("MATCH (n:Entity) RETURN count(n)").rows == [[1]]


def test_idempotent_reload(store, tmp_path):
    path = write_ftm(tmp_path / "a.jsonl", PEOPLE)
    load(store, path)
    before = graph_stats(store), sorted(map(orjson.dumps, iter_ftm(store)))
    report = load(store, path)
    assert report.loaded == 0 and report.rejected == 0
    assert report.merged == len(PEOPLE) and report.balanced
    assert (graph_stats(store)["nodes"], sorted(map(orjson.dumps, iter_ftm(store)))) == (
        before[0]["nodes"], before[1])


def test_new_values_merge_into_stored_entity(store, tmp_path):
    load(store, write_ftm(tmp_path / "a.jsonl", PEOPLE))
    more = [{"id": "pay-1", "schema": "Payment", "properties": {
        "payer": ["p-wang-bank"], "beneficiary": ["p-li"], "purpose": ["借款"]}}]
    report = load(store, write_ftm(tmp_path / "b.jsonl", more))
    assert report.merged_by_reason["updated_in_store"] == 1
    props = {e["id"]: e for e in iter_ftm(store)}["pay-1"]["properties"]
    assert props["purpose"] == ["借款"] and props["amount"] == ["48000"]
    assert store.run_read("MATCH ()-[p:PAYMENT]->() RETURN count(p), max(p.role)").rows == [[1, "借款"]]


def test_rejects_balance_and_name_file_and_row(store, tmp_path):
    lines = PEOPLE + ["{not json", {"id": "x", "schema": "Person", "properties": {"colour": ["red"]}},
                      {"id": "pay-9", "schema": "Payment", "properties": {"payer": ["p-li"],
                                                                          "beneficiary": ["ghost"]}}]
    rejects = tmp_path / "rejects.jsonl"
    report = load(store, write_ftm(tmp_path / "in.jsonl", lines), rejects=rejects)
    assert report.entities_in == len(lines) and report.balanced
    assert report.rejected == 3
    assert dict(report.rejected_by_reason) == {"invalid_json": 1, "unknown_property": 1,
                                               "dangling_reference": 1}
    rows = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert {(r["file"], r["row"], r["reason"]) for r in rows} == {
        ("in.jsonl", 7, "invalid_json"), ("in.jsonl", 8, "unknown_property"),
        ("in.jsonl", 9, "dangling_reference")}
    assert all(r["message_zh"] and r["message_en"] for r in rows)
    assert "ghost" in [r for r in rows if r["reason"] == "dangling_reference"][0]["message_zh"]


def test_node_referencing_missing_entity_is_rejected_and_cascades(store, tmp_path):
    ents = [{"id": "ev-1", "schema": "Event", "properties": {"name": ["execution_notice"],
                                                             "involved": ["nobody"]}},
            {"id": "p-1", "schema": "Person", "properties": {"name": ["张三"]}}]
    report = load(store, write_ftm(tmp_path / "a.jsonl", ents))
    assert report.rejected_by_reason["dangling_reference"] == 1 and report.loaded == 1


def test_duplicates_within_a_load_merge(store, tmp_path):
    ents = [PEOPLE[0], PEOPLE[2], PEOPLE[3], PEOPLE[5] | {"properties": {**PEOPLE[5]["properties"],
                                                                         "payer": ["p-wang"]}},
            {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p-wang"],
                                                                "beneficiary": ["p-li"], "purpose": ["还款"]}},
            {"id": "p-li", "schema": "Person", "properties": {"phone": ["+8613912345679"]}}]
    report = load(store, write_ftm(tmp_path / "a.jsonl", ents))
    assert report.merged_by_reason["duplicate_in_load"] == 2 and report.balanced
    got = {e["id"]: e["properties"] for e in iter_ftm(store)}
    assert got["pay-1"]["purpose"] == ["还款"] and got["pay-1"]["amount"] == ["48000"]
    assert got["p-li"]["phone"] == ["+8613912345679"]


def test_failed_load_leaves_store_unchanged(store, tmp_path, monkeypatch):
    load(store, write_ftm(tmp_path / "a.jsonl", PEOPLE[:3]))
    before = sorted(map(orjson.dumps, iter_ftm(store)))
    from debtorgraph.graph.store import embedded

    calls = {"n": 0}
    real_copy = embedded.EmbeddedStore._copy

    def failing_copy(self, table, source):  # fail half-way: after the first COPY succeeded
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full (simulated)")
        return real_copy(self, table, source)

    monkeypatch.setattr(embedded.EmbeddedStore, "_copy", failing_copy)
    with pytest.raises(RuntimeError, match="simulated"):
        load(store, write_ftm(tmp_path / "b.jsonl", PEOPLE[3:]))
    assert calls["n"] == 3
    assert sorted(map(orjson.dumps, iter_ftm(store))) == before
    monkeypatch.setattr(embedded.EmbeddedStore, "_copy", real_copy)
    report = load(store, write_ftm(tmp_path / "b.jsonl", PEOPLE[3:]))
    assert report.loaded == 3


def test_nomenklatura_donations_round_trip(store):
    path = shared_file("nomenklatura", "donations.ijson")
    report = load(store, path)
    source = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    assert report.loaded == len(source) == 474 and report.rejected == 0
    exported = {e["id"]: e for e in iter_ftm(store)}
    assert set(exported) == {e["id"] for e in source}
    for ent in source:
        assert exported[ent["id"]]["schema"] == ent["schema"]
        assert exported[ent["id"]]["properties"] == ent["properties"]


def test_repeated_edges_across_spill_chunks_fold_into_one(store, tmp_path):
    pays = [{"id": f"pay-{i % 5}", "schema": "Payment",
             "properties": {"payer": ["p-li"], "beneficiary": ["p-wang"], "amount": [str(100 + i)]}}
            for i in range(12)]
    clash = [{"id": "pay-0", "schema": "Debt", "properties": {"debtor": ["p-li"], "creditor": ["p-wang"]}},
             {"id": "pay-1", "schema": "Person", "properties": {"name": ["冲突"]}}]
    ingest = Ingest(store, chunk_rows=4)  # forces several spill files
    ingest.add(read_ftm(write_ftm(tmp_path / "a.jsonl", PEOPLE[:1] + PEOPLE[2:3] + pays + clash)))
    report = ingest.commit()
    assert report.balanced
    assert report.merged_by_reason["duplicate_in_load"] == 7
    assert report.rejected_by_reason["schema_conflict"] == 2
    assert store.run_read("MATCH ()-[p:PAYMENT]->() RETURN count(p)").rows == [[5]]
    got = {e["id"]: e for e in iter_ftm(store)}
    assert got["pay-0"]["properties"]["amount"] == ["100", "105", "110"]


def test_spill_folders_of_killed_loads_are_removed(store, tmp_path):
    import subprocess
    import sys

    from debtorgraph.graph.ingest import SPILL_PREFIX, remove_stale_spills

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f"{SPILL_PREFIX}{dead}-abc"
    live = tmp_path / f"{SPILL_PREFIX}{__import__('os').getpid()}-def"
    for folder in (stale, live):
        folder.mkdir()
        (folder / "spill-PAYMENT-0.parquet").write_bytes(b"x")
    Ingest(store, spill_dir=tmp_path)  # a new load clears what killed loads left behind
    assert not stale.exists() and live.exists()
    assert remove_stale_spills(tmp_path) == 0


def test_spill_files_copy_in_bounded_groups(store, tmp_path, monkeypatch):
    """Spilled chunks are copied several files per COPY, never more rows than a group holds."""
    import pyarrow as pa

    from debtorgraph.graph.store.base import source_rows

    from debtorgraph.graph import edge_checks
    from debtorgraph.graph.store.embedded import EmbeddedStore

    monkeypatch.setattr(edge_checks, "COPY_GROUP_ROWS", 5)
    copies: list[tuple[str, int]] = []
    real_copy = EmbeddedStore._copy

    def spy(self, table, source):
        if not isinstance(source, pa.Table):  # spilled files, rewritten or read as spilled
            copies.append((table, source_rows(source)))
        real_copy(self, table, source)

    monkeypatch.setattr(EmbeddedStore, "_copy", spy)
    pays = [{"id": f"pay-{i}", "schema": "Payment",
             "properties": {"payer": ["p-li"], "beneficiary": ["p-wang"], "amount": [str(100 + i)]}}
            for i in range(12)]
    ingest = Ingest(store, chunk_rows=2)  # six spill files of two rows
    ingest.add(read_ftm(write_ftm(tmp_path / "a.jsonl", PEOPLE[:1] + PEOPLE[2:3] + pays)))
    report = ingest.commit()
    assert report.balanced and report.loaded == 14
    assert [n for t, n in copies if t == "PAYMENT"] == [4, 4, 4]  # 3 groups of 2 files, not 6 COPYs
    assert all(n <= 5 for _, n in copies)
    assert store.run_read("MATCH ()-[p:PAYMENT]->() RETURN count(p)").rows == [[12]]
    assert {e["id"] for e in iter_ftm(store)} >= {f"pay-{i}" for i in range(12)}


def test_reload_sorts_stored_edges_into_unchanged_updated_and_refused(store, tmp_path):
    pays = [{"id": f"pay-{i}", "schema": "Payment", "properties": {
        "payer": ["p-li"], "beneficiary": ["p-wang"], "amount": [str(100 + i)]}} for i in range(6)]
    load(store, write_ftm(tmp_path / "a.jsonl", PEOPLE[:1] + PEOPLE[2:3] + pays))
    again = [dict(p) for p in pays]
    again[1] = {**pays[1], "properties": {**pays[1]["properties"], "purpose": ["还款"]}}  # new value
    again.append({**pays[2], "properties": {**pays[2]["properties"], "currency": ["CNY"]}})  # repeated
    again[3] = {"id": "pay-3", "schema": "Debt", "properties": {"debtor": ["p-li"], "creditor": ["p-wang"]}}
    report = load(store, write_ftm(tmp_path / "b.jsonl", again))
    assert report.balanced and report.loaded == 0
    assert report.merged_by_reason == {"already_in_store": 3, "updated_in_store": 2,
                                       "duplicate_in_load": 1}
    assert report.rejected_by_reason == {"schema_conflict": 1}
    got = {e["id"]: e["properties"] for e in iter_ftm(store)}
    assert got["pay-1"]["purpose"] == ["还款"] and got["pay-2"]["currency"] == ["CNY"]
    assert got["pay-0"] == pays[0]["properties"]


def _load_file(store, path: Path, rejects: Path | None = None):
    from debtorgraph.graph.parallel import add_ftm_file

    ingest = Ingest(store, rejects)
    add_ftm_file(ingest, path, path.name)
    return ingest.commit()


def test_unchanged_file_is_skipped_by_its_hash(store, tmp_path, monkeypatch):
    path = write_ftm(tmp_path / "a.jsonl", PEOPLE + ['{"broken'])
    first = _load_file(store, path, tmp_path / "r1.jsonl")
    assert first.loaded == 5 and first.rejected == 1
    before = sorted(map(orjson.dumps, iter_ftm(store)))
    import debtorgraph.graph.parallel as parallel

    def no_read(*args, **kwargs):
        raise AssertionError("an unchanged file was read again")

    monkeypatch.setattr(parallel, "_read_file", no_read)
    again = _load_file(store, path, tmp_path / "r2.jsonl")
    assert again.balanced and again.entities_in == first.entities_in and again.loaded == 0
    assert again.merged_by_reason["already_in_store"] == len(PEOPLE) and again.rejected == 1
    assert (tmp_path / "r2.jsonl").read_bytes() == (tmp_path / "r1.jsonl").read_bytes()
    assert sorted(map(orjson.dumps, iter_ftm(store))) == before
    monkeypatch.undo()
    path.write_bytes(path.read_bytes() + orjson.dumps(
        {"id": "p-zhao", "schema": "Person", "properties": {"name": ["赵某"]}}) + b"\n")
    changed = _load_file(store, path)
    assert changed.loaded == 1 and changed.merged == len(PEOPLE)


def test_file_with_dangling_reference_is_read_again(store, tmp_path):
    pay = {"id": "pay-9", "schema": "Payment", "properties": {"payer": ["p-li"], "beneficiary": ["p-later"]}}
    path = write_ftm(tmp_path / "a.jsonl", PEOPLE + [pay])
    assert _load_file(store, path).rejected_by_reason["dangling_reference"] == 1
    _load_file(store, write_ftm(tmp_path / "b.jsonl", [
        {"id": "p-later", "schema": "Person", "properties": {"name": ["后来"]}}]))
    again = _load_file(store, path)
    assert again.loaded == 1 and again.rejected == 0  # the payment finds its beneficiary now


def test_clean_spill_files_are_copied_as_spilled_and_give_the_same_store(tmp_path, monkeypatch):
    """Spill files no check changes are copied as they were spilled (SpillFiles), and the
    store is the one a rewrite of every file gives: relationships, Records, export, counts."""
    from debtorgraph.graph.edges import EdgeSpill
    from debtorgraph.graph.store.base import SpillFiles
    from debtorgraph.graph.store.embedded import EmbeddedStore

    pays = [{"id": f"pay-{i}", "schema": "Payment", "properties": {
        "payer": ["p-li"], "beneficiary": ["p-wang"] + (["p-zhao"] if i % 3 == 0 else []),  # two rows
        "amount": [str(100 + i)], "date": [f"2023-05-{i + 1:02d}"], "purpose": ["转账"]}} for i in range(9)]
    people = PEOPLE[:1] + PEOPLE[2:3] + [
        {"id": "p-zhao", "schema": "Person", "properties": {"name": ["赵某"]}}]
    data = write_ftm(tmp_path / "a.jsonl", people + pays)
    sources: list[type] = []
    real_copy = EmbeddedStore._copy

    def spy(self, table, source):
        sources.append(type(source))
        real_copy(self, table, source)

    monkeypatch.setattr(EmbeddedStore, "_copy", spy)

    def read_back(store):
        rels = store.run_read("MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) RETURN a.id, b.id, r.id, r.schema, "
                              "r.date, r.amount, r.role, r.load_id IS NOT NULL ORDER BY r.id, b.id").rows
        recs = store.run_read("MATCH (r:Record) RETURN r.id, r.schema, r.props, r.canonical, r.origin "
                              "ORDER BY r.id").rows
        return rels, recs, list(iter_ftm(store))

    with EmbeddedStore(tmp_path / "as-spilled") as store:
        fast = load(store, data)
        fast_store = read_back(store)
    assert SpillFiles in sources
    sources.clear()
    real_finish = EdgeSpill.finish

    def rewrite_all(self, *args, **kwargs):
        self._refs = {}  # nothing known about the files: each is checked and rewritten
        return real_finish(self, *args, **kwargs)

    monkeypatch.setattr(EdgeSpill, "finish", rewrite_all)
    with EmbeddedStore(tmp_path / "rewritten") as store:
        slow = load(store, data)
        slow_store = read_back(store)
    assert SpillFiles not in sources
    assert fast_store == slow_store and len(fast_store[0]) == 12 and len(fast_store[1]) == 12
    assert (fast.loaded, fast.merged, fast.rejected) == (slow.loaded, slow.merged, slow.rejected) == (12, 0, 0)


def test_report_names_every_reject_reason_in_words():
    from collections import Counter

    from debtorgraph.graph.report import LoadReport

    report = LoadReport("l-1", rejected=4, entities_in=4,
                        rejected_by_reason=Counter({"not_completed": 2, "bad_value": 1, "invalid_json": 1}))
    lines = "\n".join(report.lines())
    # a court file's row reasons (loaders) and an FtM line's reasons (graph) both read as words, not codes
    assert "交易未成交 / the transaction did not complete" in lines and "无法识别的值 / value cannot be read" in lines
    assert "not_completed" not in lines and "bad_value" not in lines and "invalid_json" not in lines
