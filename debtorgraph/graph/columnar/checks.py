"""Vectorised checks of FtM values: which values are *surely* valid.

The columnar reader (:mod:`.reader`) takes a row only when every check here passes. A
check may be stricter than :func:`~debtorgraph.graph.model.check_entity` (a date with
fractional seconds, an amount written ``1,000.50``): such rows go to the row-wise path,
which accepts or rejects them exactly. A check must never be looser, or the two paths
would differ; ``tests/graph/test_columnar_load.py`` compares them.
"""
from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..model import _FREE_KIND, _kinds, _valid_other

#: Dates ``check_entity`` accepts, in the forms the fast path takes: YYYY, YYYY-MM,
#: YYYY-MM-DD and a time to the second (no fraction); the day is checked against the month.
_DATE = (r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
         r"([T ]([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d)?)?)?)?)?$")
#: Numbers the fast path takes; ``1,000.50`` or ``1e5`` go to the row-wise check.
PLAIN_NUMBER = r"^[+-]?\d+(\.\d+)?$"

_OTHER_SEEN: dict[tuple[str, str], bool] = {}


def valid_dates(values: pa.Array) -> pa.Array:
    """True where a date string is surely valid (``check_entity`` accepts it)."""
    ok = pc.fill_null(pc.match_substring_regex(values, _DATE), False)
    full = pc.and_(ok, pc.greater_equal(pc.utf8_length(values), 10))
    if not pc.any(full).as_py():
        return ok
    year = pc.cast(pc.if_else(full, pc.utf8_slice_codeunits(values, 0, 4), "2000"), pa.int32())
    month = pc.cast(pc.if_else(full, pc.utf8_slice_codeunits(values, 5, 7), "01"), pa.int32())
    day = pc.cast(pc.if_else(full, pc.utf8_slice_codeunits(values, 8, 10), "01"), pa.int32())
    leap = pc.and_(pc.equal(pc.bit_wise_and(year, 3), 0),
                   pc.or_(pc.not_equal(pc.remainder(year, 100), 0), pc.equal(pc.remainder(year, 400), 0)))
    month_days = pa.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], pa.int32())
    limit = pc.if_else(pc.and_(leap, pc.equal(month, 2)), 29, pc.take(month_days, month))
    # date.fromisoformat refuses year 0; a full date must also exist in its month
    good_day = pc.and_(pc.less_equal(day, limit), pc.greater(year, 0))
    return pc.and_(ok, pc.or_(pc.invert(full), good_day))


def valid_numbers(values: pa.Array) -> pa.Array:
    """True where a number string is plain (digits, a sign, a decimal point)."""
    return pc.match_substring_regex(values, PLAIN_NUMBER)


def valid_other(kind: str, values: pa.Array) -> pa.Array:
    """True where FtM's own validator accepts the value (each distinct value asked once)."""
    uniques = pc.unique(values)
    answers = []
    for value in uniques.to_pylist():
        key = (kind, value)
        known = _OTHER_SEEN.get(key)
        if known is None:
            if len(_OTHER_SEEN) > 200_000:
                _OTHER_SEEN.clear()
            known = _OTHER_SEEN[key] = value is not None and _valid_other(kind, value)
        answers.append(known)
    return pc.take(pa.array(answers, pa.bool_()), pc.index_in(values, value_set=uniques))


def valid_values(kind: str, values: pa.Array) -> pa.Array:
    """True where a value of FtM type ``kind`` is surely valid."""
    if kind == "date":
        return valid_dates(values)
    if kind == "number":
        return valid_numbers(values)
    return valid_other(kind, values)


def field_ok(field: pa.ListArray, schemas: pa.Array, names: list[str], prop: str) -> pa.Array:
    """Per row: True when property ``prop`` (list column ``field``) is absent, or allowed in
    the row's schema with every value surely valid for its type there."""
    allowed = [s for s in names if prop in _kinds(s)]
    present = pc.is_valid(field)
    ok = pc.or_(pc.invert(present), pc.is_in(schemas, value_set=pa.array(allowed, pa.string())))
    kinds = {_kinds(s)[prop] for s in allowed} - {_FREE_KIND}
    if not kinds:
        return ok
    flat = pc.list_flatten(field)
    if not len(flat):
        return ok
    parents = pc.list_parent_indices(field)
    for kind in sorted(kinds):
        bad = pc.invert(valid_values(kind, flat))
        bad_rows = pc.unique(pc.filter(parents, bad))
        if len(bad_rows):
            rows = pa.array(range(len(field)), pa.int64())
            ok = pc.and_(ok, pc.invert(pc.is_in(rows, value_set=bad_rows.cast(pa.int64()))))
    return ok


def all_true(masks: list[Any], n: int) -> pa.Array:
    """The AND of boolean masks (nulls count as False)."""
    out = pa.array([True] * n, pa.bool_()) if not masks else masks[0]
    for mask in masks[1:]:
        out = pc.and_(out, mask)
    return pc.fill_null(out, False)
