"""The synthetic generator's contract: the same seed gives the same bytes, the truth does not
depend on the number of background payments, payments stream in bounded memory, bad
arguments are refused (the caseload's content: test_synthetic)."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from debtorgraph.errors import InvalidInput
from debtorgraph.synthetic import generate

_ROOT = Path(__file__).resolve().parents[2]  # so the child process imports this checkout


def _digest(out: Path) -> tuple[str, str]:
    return tuple(hashlib.sha256((out / f).read_bytes()).hexdigest()  # type: ignore[return-value]
                 for f in ("entities.ftm.jsonl", "truth.jsonl"))


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    def run(name: str, seed: int) -> tuple[str, str]:
        generate(tmp_path / name, seed=seed, debtors=16, payments=1500)
        return _digest(tmp_path / name)
    a, b, c = run("a", 3), run("b", 3), run("c", 4)
    assert a == b
    assert a[0] != c[0] and a[1] != c[1]


def test_truth_does_not_depend_on_the_number_of_payments(tmp_path: Path) -> None:
    small = generate(tmp_path / "s", seed=5, debtors=20, payments=100)
    large = generate(tmp_path / "l", seed=5, debtors=20, payments=3000)
    rules = lambda s: [(r["rule"], r["subject"], r["honest"])  # noqa: E731
                       for r in map(json.loads, Path(s["truth_path"]).read_text().splitlines())]
    assert rules(small) == rules(large)
    assert large["background_payments"] == 3000
    assert large["payments"] - small["payments"] == 2900


_RSS = """
import resource, sys
from debtorgraph.synthetic import generate
generate(sys.argv[1], seed=2, debtors=2, payments=int(sys.argv[2]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_payments_stream_in_bounded_memory(tmp_path: Path) -> None:
    """Peak RSS with 200,000 payments is within a few MB of the peak with 2,000."""
    def peak(n: int) -> int:
        run = subprocess.run([sys.executable, "-c", _RSS, str(tmp_path / str(n)), str(n)],
                             capture_output=True, text=True, check=True, cwd=_ROOT)
        return int(run.stdout.split()[-1])  # KiB
    growth = peak(200_000) - peak(2_000)
    assert growth < 20_000, f"RSS grew by {growth} KiB"  # 200k payments are ~80 MB on disk
    lines = sum(1 for _ in open(tmp_path / "200000" / "entities.ftm.jsonl", "rb"))
    assert lines > 200_000


@pytest.mark.parametrize("kwargs, match", [
    ({"debtors": 0}, "debtors"),  # nobody to enforce against
    ({"debtors": 3, "payments": -1}, "payments"),  # a negative count
])
def test_bad_arguments_are_rejected(tmp_path: Path, kwargs: dict, match: str) -> None:
    with pytest.raises(InvalidInput, match=match):
        generate(tmp_path, **kwargs)
