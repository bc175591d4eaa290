"""Edge rows in Arrow: the spill table of a group of edge entities of one schema.

The same columns :meth:`EdgeSpill.add <debtorgraph.graph.edges.EdgeSpill.add>` builds one
tuple at a time (``schema.edge_tuple``, ``dumps_props``, the referenced ids, the origin),
computed here for a whole block at once. Only rows the reader's checks passed arrive here:
one source and one target each, values without quotes, backslashes or control characters.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..edges import SPILL_SCHEMA
from ..identity import normalize_case_number
from ..model import schema_spec
from ..schema import entity_props, to_float
from .checks import PLAIN_NUMBER


def first(props: pa.StructArray, *names: str) -> pa.Array:
    """The first value of the first of ``names`` that has values (``schema._first``)."""
    out = None
    for name in names:
        if props.type.get_field_index(name) < 0:
            continue
        field = props.field(name)
        lengths = pc.fill_null(pc.list_value_length(field), 0)
        has = pc.greater(lengths, 0)
        starts = np.asarray(field.offsets)[:-1].astype(np.int64)
        values = field.values
        mask = np.asarray(pc.invert(has).to_numpy(zero_copy_only=False), dtype=bool)
        taken = pc.take(values.cast(pa.string()) if values.type != pa.string() else values,
                        pa.array(np.where(mask, 0, starts), mask=mask)) if len(values) else \
            pa.nulls(len(field), pa.string())
        out = taken if out is None else pc.coalesce(out, taken)
    return out if out is not None else pa.nulls(len(props), pa.string())


def to_floats(values: pa.Array) -> pa.Array:
    """``schema.to_float`` for a column: plain numbers cast, any other value in Python."""
    plain = pc.fill_null(pc.match_substring_regex(values, PLAIN_NUMBER), False)
    cast = pc.cast(pc.if_else(plain, values, "0"), pa.float64())
    out = pc.if_else(plain, cast, pa.scalar(None, pa.float64()))
    other = pc.and_(pc.invert(plain), pc.is_valid(values))
    if pc.any(other).as_py():
        slow = pa.array([to_float(v) for v in values.to_pylist()], pa.float64())
        out = pc.if_else(other, slow, out)
    return out


def _seqs(values: pa.Array) -> pa.Array:
    """``int(float(v))`` of sequence numbers, None where that fails."""
    out = []
    for value in values.to_pylist():
        try:
            out.append(None if value is None else int(float(value)))
        except (ValueError, OverflowError):
            out.append(None)
    return pa.array(out, pa.int64())


def _nonempty(values: pa.Array) -> pa.Array:
    """Values, with "" as null (``x or y`` in Python)."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _present(props: pa.StructArray, name: str) -> pa.Array:
    """True where property ``name`` has at least one value."""
    if props.type.get_field_index(name) < 0:
        return pa.array(np.zeros(len(props), dtype=bool))
    return pc.fill_null(pc.greater(pc.list_value_length(props.field(name)), 0), False)


def props_json(props: pa.StructArray, names: list[str]) -> pa.Array:
    """``dumps_props`` of every row: keys sorted, absent properties left out."""
    pieces = []
    for name in sorted(names):
        field = props.field(name)
        if field.type.value_type != pa.string():
            field = field.cast(pa.list_(pa.string()))
        piece = pc.binary_join_element_wise(f'"{name}":["', pc.binary_join(field, '","'), '"]', "")
        empty = pc.equal(pc.list_value_length(field), 0)  # null where the property is absent
        if pc.any(empty).as_py():
            piece = pc.if_else(empty, f'"{name}":[]', piece)
        pieces.append(piece)
    if not pieces:
        return pa.array(["{}"] * len(props), pa.string())
    inner = pc.binary_join_element_wise(*pieces, ",", null_handling="skip")
    return pc.binary_join_element_wise("{", inner, "}", "")


def ref_lists(props: pa.StructArray, names: tuple[str, ...]) -> pa.Array:
    """Per row, every referenced id: the values of ``names`` in order (``EdgeSpill.add``)."""
    n = len(props)
    cols = [props.field(name) for name in names if props.type.get_field_index(name) >= 0]
    lengths = [np.asarray(pc.fill_null(pc.list_value_length(c), 0), dtype=np.int64) for c in cols]
    total = np.sum(lengths, axis=0) if lengths else np.zeros(n, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(total, out=offsets[1:])
    flats, index = [], np.empty(int(offsets[-1]), dtype=np.int64)
    before = np.zeros(n, dtype=np.int64)  # values of earlier columns in each row
    base = 0
    for col, lens in zip(cols, lengths):
        flat = pc.list_flatten(col).cast(pa.string())
        rows = np.repeat(np.arange(n), lens)
        start = np.cumsum(lens) - lens
        within = np.arange(len(flat)) - start[rows]
        index[offsets[rows] + before[rows] + within] = base + np.arange(len(flat))
        before += lens
        base += len(flat)
        flats.append(flat)
    values = pa.concat_arrays(flats) if flats else pa.array([], pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values.take(pa.array(index)))


def spill_table(props: pa.StructArray, ids: pa.Array, schema: str, names: list[str],
                origins: pa.Array, load_id: str) -> pa.Table:
    """The spill rows (``edges.SPILL_SCHEMA``) of edge entities of ``schema``: one row each."""
    spec = schema_spec(schema)
    assert spec is not None and spec.source and spec.target
    n = len(ids)
    const = lambda value, kind=pa.string(): pa.array([value] * n, kind)  # noqa: E731
    if schema == "Ownership":
        amount = to_floats(first(props, "sharesValue"))
        role = first(props, "legalBasis", "ownershipType")
        currency = first(props, "sharesCurrency")
    else:
        has_amount = _present(props, "amount")
        amount = to_floats(pc.if_else(has_amount, first(props, "amount"), first(props, "amountEur")))
        role = first(props, "relationship", "role", "purpose", "legalBasis", "status")
        eur = pc.and_(_present(props, "amountEur"), pc.invert(has_amount))
        currency = pc.coalesce(_nonempty(first(props, "currency")),
                               pc.if_else(eur, "EUR", pa.scalar(None, pa.string())))
    case = pa.nulls(n, pa.string())
    if schema == "Debt":
        case = pa.array([normalize_case_number(v) if v else None
                         for v in first(props, "summary").to_pylist()], pa.string())
    start = first(props, "startDate")
    seq = first(props, "sequenceNumber")
    columns = {
        "from": first(props, spec.source), "to": first(props, spec.target),
        "id": ids, "schema": const(schema),
        "date": pc.coalesce(first(props, "date"), start),
        "start_date": start, "end_date": first(props, "endDate"), "amount": amount,
        "currency": currency, "role": role, "percentage": to_floats(first(props, "percentage")),
        "src_account": first(props, "payerAccount"), "dst_account": first(props, "beneficiaryAccount"),
        "seq": _seqs(seq) if pc.any(pc.is_valid(seq)).as_py() else pa.nulls(n, pa.int64()),
        "case_number": case, "load_id": const(load_id),
        "_refs": ref_lists(props, entity_props(schema)), "_props": props_json(props, names),
        "_origin": origins, "_primary": const(True, pa.bool_()),
    }
    return pa.Table.from_arrays([pc.cast(columns[f.name], f.type) for f in SPILL_SCHEMA], schema=SPILL_SCHEMA)
