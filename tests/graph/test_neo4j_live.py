"""The Neo4j store on a live Neo4j 5 (the ``neo4j_server`` fixture): schema, crashes, bulk import.

- ``init`` creates the uniqueness constraints and indexes, and a second ``init`` changes nothing;
- a load killed (SIGKILL) inside its writes (the moment watched on the server) leaves the
  store consistent: the one-transaction path is rolled back by the server; a batched
  load's committed batches are removed by the recovery (``debtorgraph init`` or the next
  load); the same load then completes and gives the counts of a clean load;
- ``export --format neo4j-import`` from the embedded store, imported into a new Neo4j with
  ``neo4j-admin database import full`` (tools/neo4j-local admin), gives the same counts and
  the same properties as the source.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import NEO4J_LOCAL
from e2e.neo4j_live import EMPTY, live_store, state, wipe

pytestmark = pytest.mark.neo4j

#: A load in a warm process (imports done), started by a line on stdin, so a kill's moment
#: counts from the load itself. argv: file, atomic_rows, batch_size. Settings from NEO4J_*.
LOADER = """
import os, sys, neo4j
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.neo4j import Neo4jStore
from debtorgraph.loaders import read_any
path, atomic, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
driver = neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"],
                                    auth=(os.environ["NEO4J_USER"], os.environ["NEO4J_PASSWORD"]))
store = Neo4jStore(driver, os.environ["NEO4J_DATABASE"], atomic_rows=atomic, batch_size=size)
print("ready", flush=True)
sys.stdin.readline()
ingest = Ingest(store)
items, _ = read_any(path, None)
ingest.add(items, os.path.basename(path))
print(ingest.commit().loaded, flush=True)
"""


def _env(server: dict[str, str], home: Path) -> dict[str, str]:
    env = dict(os.environ, **server, DEBTORGRAPH_HOME=str(home), PYTHONIOENCODING="utf-8")
    env.pop("DEBTORGRAPH_DB", None)
    return env


def _plain(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if hasattr(v, "items") else v for k, v in summary.items()}


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from debtorgraph.synthetic import generate

    out = tmp_path_factory.mktemp("live")
    generate(out, seed=5, debtors=8, payments=1200)
    return out / "entities.ftm.jsonl"


def test_init_creates_constraints_and_indexes(neo4j_server: dict[str, str], tmp_path: Path) -> None:
    from debtorgraph.graph.store.neo4j_cypher import SCHEMA_STATEMENTS

    env = _env(neo4j_server, tmp_path)
    for _ in range(2):  # the second run changes nothing
        proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", "init"], env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
    with live_store(neo4j_server) as neo:
        constraints = {r[0]: r[1] for r in neo.run_read(
            "SHOW CONSTRAINTS YIELD name, type RETURN name, type").rows}
        indexes = {r[0]: r[1] for r in neo.run_read(
            "SHOW INDEXES YIELD name, state RETURN name, state").rows}
    assert constraints == {"entity_id": "UNIQUENESS", "record_id": "UNIQUENESS"}
    named = [s.split()[2] for s in SCHEMA_STATEMENTS if s.startswith("CREATE INDEX")]
    assert len(named) >= 20 and all(indexes.get(n) == "ONLINE" for n in named), indexes
    assert {"entity_id", "record_id"} <= set(indexes)  # the constraints' own indexes


def _clean_load(server: dict[str, str], data: Path, atomic: int, size: int, home: Path) -> dict:
    """Load ``data`` into an empty store; return the (checked) state it gives."""
    with live_store(server) as neo:
        wipe(neo)
    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(data), str(atomic), str(size)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(server, home))
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    _, err = proc.communicate("go\n", timeout=300)
    assert proc.returncode == 0, err
    with live_store(server) as neo:
        after = state(neo)
    assert after["records"] > 2000 and after["pending"] == 0
    return _plain(after)


#: When to kill, seen on the server: (the load's write transaction is open | the batched load
#: is marked and has committed batches | it has committed at least half of its Records).
OPEN_WRITE = ("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery STARTS WITH 'UNWIND $rows' "
              "RETURN count(*) AS n")
MARKED = "RETURN COUNT { (:PendingLoad) } * COUNT { (:Entity) } AS n"
RECORDS = "RETURN COUNT { (:PendingLoad) } * COUNT { (:Record) } AS n"


def _kill_when(proc: subprocess.Popen, server: dict[str, str], probe: str, at_least: int) -> bool:
    """Kill ``proc`` (SIGKILL) as soon as ``probe`` counts ``at_least``; False if it ended first."""
    deadline = time.monotonic() + 240
    with live_store(server) as neo:
        while proc.poll() is None and time.monotonic() < deadline:
            if neo.run_read(probe).rows[0][0] >= at_least:
                proc.kill()
                proc.wait(timeout=30)
                return True
            time.sleep(0.02)
    proc.kill()
    proc.wait(timeout=30)
    return False


@pytest.fixture(scope="module")
def clean(neo4j_server: dict[str, str], caseload: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What a clean load of the caseload gives (one transaction)."""
    return _clean_load(neo4j_server, caseload, 1_000_000, 1000, tmp_path_factory.mktemp("clean"))


@pytest.mark.parametrize("atomic, size", [(1_000_000, 1000), (0, 500)], ids=["one-transaction", "batched"])
def test_killed_load_leaves_the_store_consistent(neo4j_server: dict[str, str], caseload: Path, tmp_path: Path,
                                                 clean: dict, atomic: int, size: int) -> None:
    """SIGKILL inside the load's writes (watched on the server), then ``debtorgraph init``."""
    after = clean
    env = _env(neo4j_server, tmp_path)
    moments = [(OPEN_WRITE, 1)] if atomic else [(MARKED, 1), (RECORDS, after["records"] // 2)]
    for probe, at_least in moments:
        with live_store(neo4j_server) as neo:
            wipe(neo)
        proc = subprocess.Popen([sys.executable, "-c", LOADER, str(caseload), str(atomic), str(size)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "ready"
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert _kill_when(proc, neo4j_server, probe, at_least), "the load ended before the kill"
        with live_store(neo4j_server) as neo:
            left = neo.run_read("RETURN COUNT { (:Entity) } + COUNT { (:Record) } AS n").rows[0][0]
            marked = neo.run_read("MATCH (m:PendingLoad) RETURN count(m) AS n").rows[0][0]
        if atomic:
            assert (left, marked) == (0, 0)  # the server rolled the transaction back
        else:
            whole = after["records"] + sum(after["entities"].values())
            assert marked == 1 and 0 < left < whole  # a partial load, until recovery
        init = subprocess.run([sys.executable, "-m", "debtorgraph.cli", "init"], env=env, capture_output=True,
                              text=True, timeout=300)
        assert init.returncode == 0, init.stderr
        with live_store(neo4j_server) as neo:
            assert _plain(state(neo)) == EMPTY
    # the same load again completes and gives what a clean load gives
    again = subprocess.run([sys.executable, "-c", LOADER, str(caseload), str(atomic), str(size)],
                           input="go\n", env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    with live_store(neo4j_server) as neo:
        assert _plain(state(neo)) == after


def test_export_for_neo4j_admin_imports_into_a_real_neo4j(caseload: Path, tmp_path: Path) -> None:
    """embedded store -> export --format neo4j-import -> neo4j-admin database import full -> Neo4j."""
    import io

    from debtorgraph.graph.export import export_ftm
    from debtorgraph.graph.neo4j_import import export_neo4j_import
    from debtorgraph.graph.store.embedded import EmbeddedStore
    from debtorgraph.queries.stats import graph_stats

    from e2e.test_neo4j_e2e import _load

    embedded = EmbeddedStore(tmp_path / "graph")
    try:
        _load(embedded, caseload)
        counts = export_neo4j_import(embedded, tmp_path / "csv")
        source_stats = graph_stats(embedded)
        source_ftm = io.BytesIO()
        export_ftm(embedded, source_ftm)
        sample = embedded.run_read("MATCH (a:Entity)-[r]->(b:Entity) RETURN a AS a, r AS r, b AS b "
                                   "ORDER BY r.id, a.id, b.id LIMIT 200").records()
    finally:
        embedded.close()
    home, csv = tmp_path / "imported", tmp_path / "csv"
    admin = subprocess.run([str(NEO4J_LOCAL), "admin", str(home), "database", "import", "full", "neo4j",
                            f"--nodes={csv / 'entities.csv'}", f"--nodes={csv / 'records.csv'}",
                            f"--relationships={csv / 'relationships.csv'}", "--multiline-fields=true",
                            "--overwrite-destination=true", f"--report-file={tmp_path / 'import.report'}"],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert admin.returncode == 0 and "IMPORT DONE" in admin.stdout, admin.stdout[-2000:] + admin.stderr[-2000:]
    assert f"{counts['entities'] + counts['records']} nodes" in admin.stdout
    assert f"{counts['relationships']} relationships" in admin.stdout
    env = dict(os.environ, NEO4J_LOCAL_PARENT=str(os.getpid()))
    env.pop("NEO4J_PASSWORD", None)
    started = subprocess.run([str(NEO4J_LOCAL), "start", str(home), "--heap", "512m", "--pagecache", "64m"],
                             capture_output=True, text=True, env=env, timeout=600)
    assert started.returncode == 0, started.stderr
    server = {"NEO4J_DATABASE": "neo4j"}
    for line in started.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        server[name] = value
    try:
        with live_store(server) as neo:
            neo.init_schema()  # constraints and indexes after an import
            assert graph_stats(neo) == source_stats
            imported_ftm = io.BytesIO()
            export_ftm(neo, imported_ftm)
            assert imported_ftm.getvalue() == source_ftm.getvalue()  # every entity as loaded
            got = neo.run_read("MATCH (a:Entity)-[r]->(b:Entity) RETURN a AS a, r AS r, b AS b "
                               "ORDER BY r.id, a.id, b.id LIMIT 200").records()
            strip = {"_ID", "_SRC", "_DST", "_LABELS"}
            assert [{k: {p: v for p, v in x.items() if p not in strip} for k, x in row.items()} for row in got] == \
                [{k: {p: v for p, v in x.items() if p not in strip} for k, x in row.items()} for row in sample]
            state(neo)  # consistent
    finally:
        subprocess.run([str(NEO4J_LOCAL), "stop", str(home), "--kill"], capture_output=True, timeout=120)
