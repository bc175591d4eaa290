"""The package type-checks: ``mypy debtorgraph`` (settings in pyproject.toml [tool.mypy]) finds nothing.

mypy is in the test extras; a cold run takes about 20 s on two cores (the cache in
``.mypy_cache`` makes later runs quicker).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_error_in_the_package() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "debtorgraph"], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"mypy debtorgraph:\n{proc.stdout}{proc.stderr}"
