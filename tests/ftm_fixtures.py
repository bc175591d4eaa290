"""Helpers for tests: write tiny FtM files, find third-party fixtures (``tests/fixtures``)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

#: Third-party data files carried by the repository, each folder with its licence.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_ftm(path: Path, entities: list[Any]) -> Path:
    """Write entities (dicts, or raw strings for broken lines) as FtM JSON lines."""
    with open(path, "wb") as fh:
        for ent in entities:
            fh.write((ent.encode() if isinstance(ent, str) else orjson.dumps(ent)) + b"\n")
    return path


def shared_file(*parts: str) -> Path:
    """A third-party data file under ``tests/fixtures`` (in the repository: a fresh clone has it)."""
    path = FIXTURES.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"{path}: third-party fixtures live in tests/fixtures/, with their licence")
    return path
