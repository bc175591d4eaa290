"""Every Cypher text the product can send to Neo4j parses under Neo4j's Cypher 5 grammar.

The check is Neo4j's own language support (``@neo4j-cypher/language-support``, pinned in
tools/cypher-lint/package-lock.json; install with ``npm ci --prefix tools/cypher-lint``):
syntax, semantic analysis (types, variables in scope) and the built-in function and
procedure names of Neo4j 5, so a ladybug-only function that translate() missed fails.
Texts are the library's constants and the store's generated statements, each as the
Neo4j store sends it (after ``translate(..., "neo4j")``). Deprecated forms fail too, so
nothing breaks on the next Cypher version.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cypher_corpus import Text, all_texts, product_modules
from debtorgraph.graph.dialect import NEO4J, translate

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tools" / "cypher-lint"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed: the Cypher 5 check runs "
                                                       "on Node.js (apt-get install nodejs)")


def run_lint(texts: list[Text]) -> tuple[list[dict], str]:
    payload = [{"name": t.name, "cypher": translate(t.cypher, NEO4J)} for t in texts]
    proc = subprocess.run([NODE or "node", str(LINT / "lint.mjs")], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=600, cwd=LINT)
    found = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not found):
        raise AssertionError(f"lint.mjs failed to run (exit {proc.returncode}): {proc.stderr[-2000:]}\n"
                             "Install it with: npm ci --prefix tools/cypher-lint")
    return found, proc.stderr


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[Text]:
    return all_texts(tmp_path_factory.mktemp("batch"))


def test_lint_tool_is_installed() -> None:
    assert (LINT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), \
        "run: npm ci --prefix tools/cypher-lint"


def test_every_product_module_imports() -> None:
    # A module that fails to import would hide its queries from the check below.
    _, failed = product_modules()
    assert failed == {}


def test_corpus_covers_the_store_and_the_library(texts: list[Text]) -> None:
    names = [t.name for t in texts]
    assert any(n.startswith("store:write_one_transaction") for n in names)
    assert any("SCHEMA_STATEMENTS" in n or n.startswith("store:init_schema") for n in names)
    assert any(n.startswith("debtorgraph.queries.") for n in names)
    assert len(texts) > 60


def test_every_text_parses_under_cypher5(texts: list[Text]) -> None:
    found, summary = run_lint(texts)
    by_name = {t.name: translate(t.cypher, NEO4J) for t in texts}
    bad = [f"{d['name']}: {d['severity']}: {d['message']}\n    {by_name.get(d['name'], '')}" for d in found
           if d["severity"] == "error" or "deprecated" in d["message"].lower()]
    assert not bad, f"{len(bad)} Cypher problems ({summary.strip()}):\n" + "\n".join(bad)


PROBES = [
    # a ladybug-only function left untranslated is caught (proves the check can fail)
    ("MATCH (:Entity)-[r]->(:Entity) RETURN labelz(r) AS t", "labelz"),
    # plain syntax errors are caught
    ("MATCH (n:Entity) RETRN n", "RETRN"),
    # deprecated forms are reported
    ("MATCH (n:Entity) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS", "deprecated"),
]


@pytest.fixture(scope="module")
def probe_results() -> list[dict]:
    found, _ = run_lint([Text(f"probe{i}", cypher) for i, (cypher, _) in enumerate(PROBES)])
    return found


@pytest.mark.parametrize("index", range(len(PROBES)), ids=[m for _, m in PROBES])
def test_the_check_catches_problems(probe_results: list[dict], index: int) -> None:
    message = PROBES[index][1]
    assert any(d["name"] == f"probe{index}" and message in d["message"] for d in probe_results), probe_results
