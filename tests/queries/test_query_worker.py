"""Issue 17 item 6: a user's Cypher runs in a worker process with time and memory limits.

An engine crash (a segmentation fault found with the openCypher TCK), a query that fills the
buffer pool and a syntax error each become a clear error; the caller lives on and the next
query runs.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.base import Origin, Row
from debtorgraph.queries.run import run_user_query
from debtorgraph.queries.worker import QueryFailed
from debtorgraph.ui.sample import sample_entities

CRASH = "MATCH (a)-[r]-(s)-[p]-(b), p = (s)-[]-(t), (t), (t)-[]-(b) RETURN p"
EXHAUSTING = ["MATCH p = (a)-[*1..8]-(b) RETURN p", "MATCH p = (a)-[*1..10]-(b)-[*1..10]-(c) RETURN p",
              "MATCH p = (a)-[*1..12]-(b) RETURN nodes(p), relationships(p)"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("worker") / "graph.lbug"
    store = EmbeddedStore(path)
    try:
        ingest = Ingest(store, None)
        ingest.add((Row(e, Origin("case.ftm.jsonl", i + 1)) for i, e in enumerate(sample_entities())),
                   "case.ftm.jsonl")
        ingest.commit()
    finally:
        store.close()
    return path


def test_engine_crash_is_an_error_and_the_caller_lives_on(db: Path) -> None:
    store = EmbeddedStore(db, read_only=True)
    with pytest.raises(QueryFailed) as err:
        run_user_query(store, CRASH)
    assert err.value.kind == "crash" and "崩溃" in str(err.value) and "crashed" in str(err.value)
    assert run_user_query(store, "MATCH (n:Entity) RETURN count(n) AS n").rows[0][0] > 10
    store.close()


@pytest.mark.parametrize("cypher", EXHAUSTING)
def test_exhausting_path_queries_stop_with_a_clear_error(db: Path, cypher: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBTORGRAPH_QUERY_MEMORY_MB", "64")
    store = EmbeddedStore(db, read_only=True)
    with pytest.raises(QueryFailed) as err:
        run_user_query(store, cypher, timeout_ms=4000)
    assert err.value.kind in ("memory", "timeout"), str(err.value)
    assert "上限" in str(err.value) or "超时" in str(err.value)
    store.close()


def test_syntax_error_is_explained_first_in_chinese(db: Path) -> None:
    with pytest.raises(QueryFailed) as err:
        run_user_query(EmbeddedStore(db, read_only=True), "MATCH (n RETURN n")
    assert err.value.kind == "syntax" and str(err.value).startswith("Cypher 语法错误")


def test_cli_crash_and_syntax_error_have_no_traceback(db: Path, tmp_path: Path) -> None:
    env = {"DEBTORGRAPH_DB": str(db), "DEBTORGRAPH_HOME": str(tmp_path)}
    import os

    for cypher, words in ((CRASH, "崩溃"), ("MATCH (n RETURN n", "语法错误")):
        proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", "query", cypher], capture_output=True,
                              text=True, env={**os.environ, **env}, timeout=120)
        assert proc.returncode == 1 and words in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
