"""The CLI as a user runs it: a subprocess, real store, real files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ftm_fixtures import shared_file, write_ftm

from debtorgraph.cli import main as _main

COMMANDS = sorted(_main.commands)  # every command, the feature modules' included


def run(args: list[str], db: Path, home: Path, check: bool = True, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBTORGRAPH_DB=str(db), DEBTORGRAPH_HOME=str(home), PYTHONIOENCODING="utf-8")
    env.pop("NEO4J_URI", None)
    proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout}\nstderr:{proc.stderr}")
    return proc


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, tmp_path):
    out = run([command, "--help"], tmp_path / "db", tmp_path).stdout
    assert "Example" in out and f"debtorgraph" in out


def test_load_stats_query_export_round_trip(tmp_path):
    db, home = tmp_path / "db", tmp_path / "home"
    donations = shared_file("nomenklatura", "donations.ijson")
    out = run(["load", str(donations), "--json"], db, home).stdout
    report = json.loads(out)
    assert report["loaded"] == 474 and report["rejected"] == 0 and report["balanced"]
    again = json.loads(run(["load", str(donations), "--json"], db, home).stdout)
    assert again["loaded"] == 0 and again["merged"] == 474
    stats = json.loads(run(["stats", "--json"], db, home).stdout)
    assert stats["nodes"]["Person"] == 22 and stats["relationships"]["Payment"] == 290
    rows = run(["query", "MATCH (n:Entity) WHERE n.schema = $s RETURN count(n) AS n", "-p", "s=Company",
                "--format", "json"], db, home).stdout
    assert json.loads(rows) == {"n": 56}
    exported = tmp_path / "out.jsonl"
    run(["export", "--format", "ftm", "-o", str(exported)], db, home)
    src = {json.loads(l)["id"]: json.loads(l) for l in donations.read_text().splitlines() if l.strip()}
    got = {json.loads(l)["id"]: json.loads(l) for l in exported.read_text().splitlines()}
    assert got == src


def test_query_refuses_writes_and_store_is_unchanged(tmp_path):
    db, home = tmp_path / "db", tmp_path / "home"
    run(["load", str(write_ftm(tmp_path / "a.jsonl", [
        {"id": "p1", "schema": "Person", "properties": {"name": ["张三"]}}]))], db, home)
    proc = run(["query", "MATCH (n:Entity) DETACH DELETE n"], db, home, check=False)
    assert proc.returncode != 0 and "DELETE" in proc.stderr
    assert "1" in run(["query", "MATCH (n:Entity) RETURN count(n)"], db, home).stdout


def test_detect_for_an_unknown_or_wrong_case_is_an_error(tmp_path):
    db, home = tmp_path / "db", tmp_path / "home"
    run(["load", str(write_ftm(tmp_path / "a.jsonl", [
        {"id": "p1", "schema": "Person", "properties": {"name": ["张三"]}}]))], db, home)
    missing = run(["detect", "--case", "no-such-case"], db, home, check=False)
    assert missing.returncode != 0 and "no-such-case" in missing.stderr and "Traceback" not in missing.stderr
    person = run(["detect", "--case", "p1"], db, home, check=False)
    assert person.returncode != 0 and "不是案件" in person.stderr


def test_bad_file_is_reported_with_file_and_row(tmp_path):
    db, home = tmp_path / "db", tmp_path / "home"
    bad = write_ftm(tmp_path / "bad.jsonl", [{"id": "p1", "schema": "Person", "properties": {"name": ["甲"]}},
                                             "{oops", {"id": "p2", "schema": "Nope"}])
    rejects = tmp_path / "rej.jsonl"
    out = run(["load", str(bad), "--rejects", str(rejects)], db, home).stdout
    assert "新增 1 + 合并 0 + 拒绝 2" in out and str(rejects) in out
    rows = [json.loads(l) for l in rejects.read_text().splitlines()]
    assert [(r["file"], r["row"], r["reason"]) for r in rows] == [("bad.jsonl", 2, "invalid_json"),
                                                                  ("bad.jsonl", 3, "unknown_schema")]


def test_unknown_file_layout_is_a_clear_error(tmp_path):
    odd = tmp_path / "notes.txt"
    odd.write_text("hello\nworld\n", encoding="utf-8")
    proc = run(["load", str(odd)], tmp_path / "db", tmp_path, check=False)
    assert proc.returncode != 0 and "notes.txt" in proc.stderr and "无法识别" in proc.stderr


def test_query_output_is_for_people(tmp_path):
    """Issue 17 item 9: headers as typed, a row count even when empty, holders by name."""
    db, home = tmp_path / "db", tmp_path / "home"
    run(["load", str(write_ftm(tmp_path / "a.jsonl", [
        {"id": "p-wang", "schema": "Person", "properties": {"name": ["王建国"]}},
        {"id": "p-li", "schema": "Person", "properties": {"name": ["李梅"]}},
        {"id": "acct-li", "schema": "BankAccount", "properties": {"name": ["李梅的账户"], "accountNumber": ["62220"]}},
        {"id": "own-li", "schema": "Ownership", "properties": {"owner": ["p-li"], "asset": ["acct-li"]}},
        {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p-wang"], "beneficiary": ["p-li"],
                                                            "beneficiaryAccount": ["acct-li"],
                                                            "amount": ["50000"], "date": ["2023-05-01"]}}]))],
        db, home)
    out = run(["query", "MATCH (a)-[r]->(b) RETURN type(r), count(*) AS n ORDER BY n"], db, home)
    header = out.stdout.splitlines()[0]
    assert header.split() == ["type(r)", "n"] and "_ID" not in out.stdout
    empty = run(["query", "MATCH (a:Entity) WHERE a.id = 'none' RETURN a.id"], db, home)
    assert "0 行" in empty.stderr and "0 rows" in empty.stderr
    table = run(["trace", "--from", "p-wang", "--since", "2023-01-01", "--format", "table"], db, home).stdout
    assert "李梅" in table, table


def test_a_missing_store_points_to_the_demo_store(tmp_path: Path) -> None:
    """Issue 17 item 7: after `debtorgraph demo`, `stats` on the default store must say where
    the demo store is, not only that the database does not exist."""
    proc = run(["stats"], tmp_path / "none", tmp_path, check=False)
    assert proc.returncode != 0
    assert "demo/graph" in proc.stderr and "--db" in proc.stderr
