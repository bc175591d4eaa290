"""Helpers for tests: write tiny FtM files, find ../shared/data."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def write_ftm(path: Path, entities: list[Any]) -> Path:
    """Write entities (dicts, or raw strings for broken lines) as FtM JSON lines."""
    with open(path, "wb") as fh:
        for ent in entities:
            fh.write((ent.encode() if isinstance(ent, str) else orjson.dumps(ent)) + b"\n")
    return path


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data, located from the repo or CI's copy beside it."""
    for base in (SHARED_DATA, Path(os.environ.get("DEBTORGRAPH_SHARED", "/nonexistent")) / "data"):
        if (base.joinpath(*parts)).exists():
            return base.joinpath(*parts)
    raise FileNotFoundError("/".join(parts))
