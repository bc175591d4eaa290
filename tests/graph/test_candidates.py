"""Possible duplicate people: listed, never merged by name; decisions survive reloads."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from debtorgraph.graph.candidates import DecisionStore, find_candidates, list_candidates
from debtorgraph.graph.ingest import Ingest
from debtorgraph.loaders.ftm import read_ftm

from ftm_fixtures import write_ftm

PEOPLE = [
    {"id": "p-a", "schema": "Person", "properties": {"name": ["王伟"], "birthDate": ["1980-01-01"]}},
    {"id": "p-b", "schema": "Person", "properties": {"name": ["王伟"], "birthDate": ["1980-01-01"],
                                                     "phone": ["+8613900000001"]}},
    {"id": "p-c", "schema": "Person", "properties": {"name": ["王伟"], "birthDate": ["1975-03-03"]}},
    {"id": "p-d", "schema": "Person", "properties": {"name": ["李娜"], "phone": ["+8613900000001"]}},
    {"id": "p-e", "schema": "Person", "properties": {"name": ["王伟"], "address": ["成都市 武侯区 1号"]}},
    {"id": "p-f", "schema": "Person", "properties": {"name": ["王 伟"], "address": ["成都市武侯区1号"]}},
]


def test_pairs_by_name_and_birth_date_phone_or_address_never_by_name_alone():
    found = {(c.a, c.b): c.reasons for c in find_candidates((p["id"], p["properties"]) for p in PEOPLE)}
    assert found == {("p-a", "p-b"): ["same_name_birth_date"], ("p-b", "p-d"): ["same_phone"],
                     ("p-e", "p-f"): ["same_name_address"]}


def test_decisions_survive_a_reload_and_nothing_is_merged(store, tmp_path):
    path = write_ftm(tmp_path / "people.jsonl", PEOPLE)
    for _ in range(2):
        ingest = Ingest(store)
        ingest.add(read_ftm(path))
        ingest.commit()
    assert store.run_read("MATCH (n:Entity) RETURN count(n)").rows == [[6]]  # nobody merged by name
    decisions = DecisionStore(tmp_path / "d.json")
    assert len(list_candidates(store, decisions)) == 3
    decisions.decide("p-b", "p-a", "same", by="judge", reason="开户照片一致")
    decisions.decide("p-d", "p-b", "different", by="judge")
    ingest = Ingest(store)
    ingest.add(read_ftm(path))
    ingest.commit()  # reload: the decisions stay
    pending = list_candidates(store, decisions)
    assert [(c.a, c.b) for c in pending] == [("p-e", "p-f")]
    decided = {c.key: c.decision for c in list_candidates(store, decisions, include_decided=True)}
    assert decided == {"p-a|p-b": "same", "p-b|p-d": "different", "p-e|p-f": None}


def test_cli_lists_and_records_decisions(tmp_path):
    env = dict(os.environ, DEBTORGRAPH_DB=str(tmp_path / "db"), DEBTORGRAPH_HOME=str(tmp_path / "home"))
    env.pop("NEO4J_URI", None)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], capture_output=True,
                              text=True, env=env, timeout=120, check=True).stdout

    run("load", str(write_ftm(tmp_path / "p.jsonl", PEOPLE)))
    assert len(run("candidates", "--format", "json").splitlines()) == 3
    run("candidates", "confirm", "p-a", "p-b", "--reason", "同一人")
    rows = [json.loads(l) for l in run("candidates", "--all", "--format", "json").splitlines()]
    assert {r["key"]: r["decision"] for r in rows}["p-a|p-b"] == "same"
    assert len(run("candidates", "--format", "json").splitlines()) == 2
