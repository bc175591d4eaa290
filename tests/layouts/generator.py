"""Generate the layout corpus: one statement file per variant plus its expected truth.

Each variant lives in its own folder (so the file name can carry the holder, or nothing):

    <out>/<variant id>/<file name>       the statement as a court receives it
    <out>/<variant id>/expected.json     holder, holder account and every transaction

Usage::

    python -m layouts.generator OUT_DIR [--seed 20240610]     (run from tests/)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from .axes import AXES, available_axes
from .covering import select_variants
from .data import make_statement
from .render import render
from .writers import write_file

DEFAULT_SEED = 20240610
TRUTH_NAME = "expected.json"


@dataclass(frozen=True)
class Variant:
    """One combination of axis values, with a readable id."""
    index: int
    axes: dict[str, str]

    @property
    def id(self) -> str:
        """E.g. `gbk-csv-one_cell-signed-ymd_slash-yen-columns-total` (no encoding for spreadsheets)."""
        values = [self.axes[name] for name in AXES]
        return "-".join(v for v in values if v != "bin")


@dataclass(frozen=True)
class Written:
    """A generated variant: where its statement and truth are."""
    variant: Variant
    path: Path
    truth_path: Path


def plan_variants(seed: int = DEFAULT_SEED) -> list[Variant]:
    """The corpus's variants: a pairwise covering selection of the axes, at least 60.

    Real BIFF `.xls` files are part of it only where `xlwt` is installed.

    >>> variants = plan_variants()
    >>> len(variants) >= 60 and len({v.id for v in variants}) == len(variants)
    True
    """
    return [Variant(i, axes) for i, axes in enumerate(select_variants(available_axes(), seed))]


def _rng(seed: int, variant: Variant) -> random.Random:
    """A generator of its own per variant, so adding a variant leaves the others unchanged."""
    digest = hashlib.sha256(f"{seed}:{variant.id}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def write_variant(variant: Variant, out_dir: Path, seed: int = DEFAULT_SEED) -> Written:
    """Write one variant's statement and expected truth under `out_dir/<variant id>/`."""
    rng = _rng(seed, variant)
    statement = make_statement(rng, allow_neutral=variant.axes["direction"] == "shouzhi")
    rendered = render(variant.axes, variant.index, statement, rng)
    folder = out_dir / variant.id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / rendered.file_name
    write_file(rendered.sheets, variant.axes["format"], variant.axes["encoding"], path, rng)
    truth = {"variant": variant.id, "file": rendered.file_name, "axes": variant.axes, **rendered.truth,
             # what the generator drew, even where the file hides it (for the corpus's own checks)
             "drawn": {"holder": statement.holder, "account": statement.account}}
    truth_path = folder / TRUTH_NAME
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return Written(variant, path, truth_path)


def write_corpus(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Written]:
    """Write every variant of the corpus under `out_dir`; returns them in plan order."""
    return [write_variant(v, out_dir, seed) for v in plan_variants(seed)]


def main(argv: list[str] | None = None) -> None:
    """Command line: write the corpus to a folder and print one line per variant."""
    parser = argparse.ArgumentParser(description="生成流水版式语料 / write the statement layout corpus")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for written in write_corpus(args.out_dir, args.seed):
        print(f"{written.variant.id}\t{written.path.name}")


if __name__ == "__main__":
    main()
