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
    assert "2 kept, 0 broken" in proc.stdout


def test_a_loader_importing_the_graph_breaks_the_contract(tmp_path: Path) -> None:
    """A copy of the package where the loaders import the graph layer: lint-imports must fail
    and name the layers contract (the real tree is not touched)."""
    shutil.copytree(ROOT / "debtorgraph", tmp_path / "debtorgraph",
                    ignore=shutil.ignore_patterns("*.ttf", "*.js", "__pycache__", "*.png"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "debtorgraph" / "loaders" / "wrong.py").write_text(
        '"""A deliberately wrong import."""\nfrom debtorgraph.graph import ingest  # noqa: F401\n', encoding="utf-8")
    proc = _lint(tmp_path, pythonpath=tmp_path)
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert "BROKEN" in proc.stdout and "debtorgraph.loaders.wrong -> debtorgraph.graph.ingest" in proc.stdout
