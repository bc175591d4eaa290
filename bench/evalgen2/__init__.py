"""A third evaluation caseload generator, written from interchange.md and domain.md alone.

``generate(out, seed, debtors)`` writes ``caseload.ftm.jsonl`` (FtM entities, one per line,
sorted by hashed id) and ``truth.jsonl`` (rows of ``type`` ``scheme`` or ``lookalike``).
See README.md for what is planted and why.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from collections import Counter

from .cases import later, make_debtor, open_case
from .honest import LOOKALIKES, background
from .schemes import PLANTERS
from .world import World

__all__ = ["generate"]


def _plant(w: World, d: Any, options: list[tuple[str, Any]], salary: dict[str, float],
           forms: tuple[str, ...], planted: Counter[tuple[str, str]]) -> dict[str, Any] | None:
    """Try the (kind, form) pairs planted least so far first, so kinds and forms stay balanced."""
    pairs = [(name, fn, form) for name, fn in options for form in forms]
    w.rng.shuffle(pairs)
    pairs.sort(key=lambda p: planted[(p[0], p[2])])
    for name, fn, form in pairs:
        args = (w, d, form) if form else (w, d)
        if "salary" in fn.__code__.co_varnames[:fn.__code__.co_argcount]:
            args = (*args, salary)
        row = fn(*args)
        if row:
            planted[(name, form)] += 1
            return row
    return None


def generate(out: Path | str, seed: int = 1, debtors: int = 120) -> list[dict[str, Any]]:
    """Write one caseload and its truth into ``out``; return the truth rows."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    w = World(seed)
    r = w.rng
    people = []
    for _ in range(debtors):
        d = make_debtor(w, company=r.random() < 0.15)
        open_case(w, d, date(2021, 1, 1) + timedelta(days=r.randint(0, 820)))
        if r.random() < 0.25:  # several cases per debtor
            open_case(w, d, later(w, d.case.served, 60, 420))
        people.append(d)
    salary = {d.id: r.randrange(5_000, 16_000) + r.choice((0.0, 0.5, 0.83))
              for d in people if d.employer and not d.company}
    truth: list[dict[str, Any]] = []
    planted: Counter[tuple[str, str]] = Counter()
    for d in people:
        plan = r.random()
        if plan < 0.72:  # a scheme; a few debtors get two
            for _ in range(2 if r.random() < 0.15 else 1):
                row = _plant(w, d, PLANTERS, salary, ("one_step", "two_step"), planted)
                if row:
                    truth.append({**row, "subject": d.id, "case": d.case.id})
        if plan > 0.3:  # an honest look-alike (some debtors have both)
            for _ in range(2 if r.random() < 0.2 else 1):
                row = _plant(w, d, LOOKALIKES, salary, ("",), planted)
                if row:
                    truth.append({**row, "subject": d.id, "case": d.case.id})
    for d in people:
        background(w, d, salary)
    lines = sorted(json.dumps(e, ensure_ascii=False, sort_keys=True) for e in w.entities.values())
    (out / "caseload.ftm.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "truth.jsonl").write_text(
        "".join(json.dumps(t, ensure_ascii=False, sort_keys=True) + "\n" for t in truth), encoding="utf-8")
    return truth
