"""A seeded greedy pairwise (covering array) selection over the layout axes.

Every pair of values of two axes that the constraints allow appears in at least one
variant; variants are added until that holds and at least `minimum` variants exist.
"""
from __future__ import annotations

import itertools
import random
from typing import Mapping

from .axes import allowed, valid

Pair = tuple[str, str, str, str]  # (axis_a, value_a, axis_b, value_b), axis_a before axis_b


def _possible_pairs(axes: Mapping[str, tuple[str, ...]]) -> set[Pair]:
    """Every pair of values from two axes that the pairwise constraints allow."""
    names = list(axes)
    pairs: set[Pair] = set()
    for a, b in itertools.combinations(names, 2):
        for va in axes[a]:
            for vb in axes[b]:
                if allowed(a, va, b, vb):
                    pairs.add((a, va, b, vb))
    return pairs


def _pairs_of(variant: Mapping[str, str], names: list[str]) -> set[Pair]:
    """The value pairs one full variant covers."""
    return {(a, variant[a], b, variant[b]) for a, b in itertools.combinations(names, 2)}


def _fill(axes: Mapping[str, tuple[str, ...]], fixed: dict[str, str], rng: random.Random,
          uncovered: set[Pair], tries: int) -> dict[str, str] | None:
    """Complete `fixed` into a valid variant, axis by axis, preferring values that cover new pairs."""
    names = list(axes)
    best: dict[str, str] | None = None
    best_gain = -1
    for _ in range(tries):
        variant = dict(fixed)
        order = [n for n in names if n not in variant]
        rng.shuffle(order)
        for axis in order:
            options = [v for v in axes[axis]
                       if all(allowed(axis, v, other, variant[other]) for other in variant)]
            if not options:
                break
            rng.shuffle(options)
            options.sort(key=lambda v: -sum(
                1 for other in variant
                if _key(axis, v, other, variant[other], names) in uncovered))
            variant[axis] = options[0]
        if len(variant) != len(names) or not valid(variant):
            continue
        gain = len(_pairs_of({n: variant[n] for n in names}, names) & uncovered)
        if gain > best_gain:
            best, best_gain = {n: variant[n] for n in names}, gain
    return best


def _key(axis: str, value: str, other: str, other_value: str, names: list[str]) -> Pair:
    """The canonical pair key for two axis values (axes in declaration order)."""
    if names.index(axis) < names.index(other):
        return (axis, value, other, other_value)
    return (other, other_value, axis, value)


def select_variants(axes: Mapping[str, tuple[str, ...]], seed: int, minimum: int = 60,
                    tries: int = 12) -> list[dict[str, str]]:
    """A list of valid variants covering every allowed value pair, at least `minimum` long.

    >>> from .axes import AXES
    >>> chosen = select_variants(AXES, seed=1)
    >>> len(chosen) >= 60 and len({tuple(v.values()) for v in chosen}) == len(chosen)
    True
    """
    rng = random.Random(seed)
    names = list(axes)
    uncovered = _possible_pairs(axes)
    chosen: list[dict[str, str]] = []
    seen: set[tuple[str, ...]] = set()
    while uncovered or len(chosen) < minimum:
        if uncovered:
            a, va, b, vb = min(uncovered)  # deterministic start: the first uncovered pair
            fixed = {a: va, b: vb}
        else:
            fixed = {}
        variant = _fill(axes, fixed, rng, uncovered, tries)
        if variant is None:
            if fixed:
                uncovered.discard((a, va, b, vb))  # impossible under the full constraints
            continue
        key = tuple(variant[n] for n in names)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(variant)
        uncovered -= _pairs_of(variant, names)
    return chosen
