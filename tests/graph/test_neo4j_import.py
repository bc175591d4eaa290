"""`export --format neo4j-import` CSV files and `debtorgraph init`, on the embedded store."""
from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from debtorgraph.graph.neo4j_import import PAGE, export_neo4j_import, import_command
from debtorgraph.graph.store.neo4j_cypher import SCHEMA_STATEMENTS

FTM = [
    '{"id": "p-wang", "schema": "Person", "properties": {"name": ["王某, \\"老王\\""], '
    '"idNumber": ["11010519491231002X"]}}',
    '{"id": "p-wang2", "schema": "Person", "properties": {"name": ["王某"], "idNumber": ["11010519491231002X"]}}',
    '{"id": "p-li", "schema": "Person", "properties": {"name": ["李某\\n第二行"]}}',
    '{"id": "acct-1", "schema": "BankAccount", "properties": {"accountNumber": ["6222"]}}',
    '{"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p-wang"], "asset": ["acct-1"], '
    '"percentage": ["100"]}}',
    '{"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p-wang"], "beneficiary": ["p-li"], '
    '"amount": ["48000.5"], "date": ["2023-06-02"], "sequenceNumber": ["7"]}}',
    '{"id": "ev-1", "schema": "Event", "properties": {"name": ["execution_notice"], "date": ["2023-05-01"], '
    '"involved": ["p-wang"], "summary": ["(2022)川3338执123号"]}}',
]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The FtM lines above, loaded once by the CLI (a subprocess) into an embedded store."""
    tmp_path = tmp_path_factory.mktemp("loaded")
    data = tmp_path / "in.ftm.jsonl"
    data.write_text("\n".join(FTM) + "\n", encoding="utf-8")
    db = tmp_path / "graph"
    proc = _cli("--db", str(db), "load", str(data))
    assert proc.returncode == 0, proc.stderr
    return db


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_files_for_neo4j_admin(loaded: Path, tmp_path: Path) -> None:
    from debtorgraph.graph.store.embedded import EmbeddedStore

    out = tmp_path / "import"
    store = EmbeddedStore(loaded, read_only=True)
    try:
        counts = export_neo4j_import(store, out)
        rel_total = store.run_read("MATCH ()-[r]->() RETURN count(r) AS n").rows[0][0]
    finally:
        store.close()
    entities, records, rels = (_read(out / f) for f in ("entities.csv", "records.csv", "relationships.csv"))
    assert counts == {"entities": 4, "records": 7, "relationships": rel_total}
    assert list(entities[0])[:2] == ["id:ID(Entity)", ":LABEL"] and "amount:double" in entities[0]
    assert list(records[0])[:2] == ["id:ID(Record)", ":LABEL"]
    assert list(rels[0])[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert {"amount:double", "percentage:double", "seq:long"} <= set(rels[0])
    wang = next(e for e in entities if e["id:ID(Entity)"] == "p-wang")
    assert wang[":LABEL"] == "Entity;LegalEntity;Person;Thing"
    assert "老王" in wang["props"]          # quotes and commas survive CSV quoting
    li = next(e for e in entities if e["id:ID(Entity)"] == "p-li")
    assert "第二行" in li["caption"]        # a multi-line value stays one field
    assert {r["id:ID(Record)"] for r in records} == {"p-wang", "p-wang2", "p-li", "acct-1", "own-1", "pay-1", "ev-1"}
    assert next(r for r in records if r["id:ID(Record)"] == "p-wang2")["canonical"] == "p-wang"
    pay = next(r for r in rels if r[":TYPE"] == "PAYMENT")
    assert (pay[":START_ID(Entity)"], pay[":END_ID(Entity)"], pay["amount:double"], pay["seq:long"]) == \
        ("p-wang", "p-li", "48000.5", "7")
    types = Counter(r[":TYPE"] for r in rels)
    assert types["OWNERSHIP"] == 1 and types["INVOLVED"] == 1
    assert (out / "import.sh").read_text().strip() == import_command(out)


def test_export_pages_through_large_stores(loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import debtorgraph.graph.neo4j_import as mod
    from debtorgraph.graph.store.embedded import EmbeddedStore

    monkeypatch.setattr(mod, "PAGE", 1)  # one node per page: every page boundary is crossed
    store = EmbeddedStore(loaded, read_only=True)
    try:
        counts = export_neo4j_import(store, tmp_path / "paged")
    finally:
        store.close()
    assert counts["entities"] == 4 and counts["records"] == 7 and PAGE == 5000


def test_export_command_and_init_command(loaded: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from debtorgraph.cli import main

    out = tmp_path / "cli-import"
    proc = _cli("--db", str(loaded), "export", "--format", "neo4j-import", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "neo4j-admin database import full" in proc.stderr
    assert (out / "relationships.csv").exists()
    runner = CliRunner()
    assert runner.invoke(main, ["export", "--format", "neo4j-import"]).exit_code != 0  # a folder is required
    for _ in range(2):  # idempotent
        result = runner.invoke(main, ["--db", str(loaded), "init"])
        assert result.exit_code == 0 and "schema ready" in result.output, result.output
    printed = runner.invoke(main, ["init", "--print-cypher"]).output.splitlines()
    assert printed == [s + ";" for s in SCHEMA_STATEMENTS]
