"""The README's test command passes in a fresh clone: no test reads a file outside the repository."""
from __future__ import annotations

import re
from pathlib import Path

from ftm_fixtures import FIXTURES, shared_file

REPO = Path(__file__).resolve().parents[1]


def test_third_party_fixture_is_inside_the_repository() -> None:
    path = shared_file("nomenklatura", "donations.ijson")
    assert REPO in path.resolve().parents
    assert (path.parent / "LICENSE").is_file()
    assert sum(1 for line in path.read_bytes().splitlines() if line.strip()) == 474


def test_no_test_reaches_beside_the_checkout() -> None:
    beside = re.compile(r"parents\[\d\]\.parent|\.\./shared|/work/shared|DEBTORGRAPH_SHARED")
    offenders = [p.name for p in REPO.joinpath("tests").rglob("*.py")
                 if p.name != Path(__file__).name and beside.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_fixture_folder_of_third_party_data_names_its_source() -> None:
    for folder in (p for p in FIXTURES.iterdir() if p.is_dir()):
        names = {p.name for p in folder.iterdir()}
        assert names & {"LICENSE", "SOURCES.md", "README.md"}, folder
