"""The layers as a contract (issue 18): import-linter's contracts in pyproject.toml hold for the
package, and the same check fails when a lower layer imports a higher one."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"]


def _lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(LINT + ["--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_layers_hold() -> None:
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "4 kept, 0 broken" in proc.stdout


def _copy_with(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess:
    """lint-imports on a copy of the package with one module added (the real tree is not touched)."""
    shutil.copytree(ROOT / "debtorgraph", tmp_path / "debtorgraph",
                    ignore=shutil.ignore_patterns("*.ttf", "*.js", "__pycache__", "*.png"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "debtorgraph" / Path(*module.split("."))).with_suffix(".py").write_text(
        f'"""A deliberately wrong import."""\n{line}  # noqa: F401\n', encoding="utf-8")
    return _lint(tmp_path, pythonpath=tmp_path)


def test_a_loader_importing_the_graph_breaks_the_contract(tmp_path: Path) -> None:
    """The loaders import the graph layer: lint-imports fails and names the import."""
    proc = _copy_with(tmp_path, "loaders.wrong", "from debtorgraph.graph import ingest")
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert "BROKEN" in proc.stdout and "debtorgraph.loaders.wrong -> debtorgraph.graph.ingest" in proc.stdout


def test_a_rule_reading_the_store_breaks_the_contract(tmp_path: Path) -> None:
    """A rule that reads the store itself, instead of its Context, breaks the rules contract."""
    proc = _copy_with(tmp_path, "analysis.rules.wrong", "from debtorgraph.analysis.neighbourhood import store")
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert "Rules are functions of a debtor's Context" in proc.stdout and "BROKEN" in proc.stdout
    assert "debtorgraph.analysis.rules.wrong -> debtorgraph.analysis.neighbourhood.store" in proc.stdout
