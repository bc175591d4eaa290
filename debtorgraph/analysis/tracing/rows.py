"""Transfers from store rows, and the history before a trace's window as balances.

A trace on a store (:mod:`debtorgraph.analysis.tracing.store`) reads up to 100k payments.
They come as rows of the PAYMENT columns, not as FtM dicts, and most of them are history
before the window: postings that carry no traced money and only set the balance B that
traced money later arrives into. So:

- :func:`transfers_from_rows` builds the tracer's transfers straight from rows, and
  replays rows before a cut into balances (:class:`Transfers` ``openings``), exactly as
  the sweep would keep them (B never below 0, debits before credits at one moment,
  stated balances in order);
- :func:`past_balances` does the same replay in Arrow and NumPy for the common case
  (plain ISO dates, valid amounts): per node, B after a run of postings from a start
  value v is max(v + S_n, S_n - min_j S_j), S the running sum (the Lindley recursion),
  computed in whole micro-yuan so that it is exact.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from debtorgraph.analysis.tracing.input import _NO_SEQ, Transfer, parse_when, posting_order
from debtorgraph.errors import InvalidInput

__all__ = ["PLAIN_DATE", "ROW_SCHEMA", "Transfers", "normalised_dates", "past_balances",
           "transfers_from_rows"]

_fromisoformat = datetime.fromisoformat


class Transfers(list):  # type: ignore[type-arg]
    """Transfers already read and in posting order (``trace`` takes them as they are).

    Postings before a cut (no traced money can exist yet) may be left out of the list:
    then ``openings`` holds the balance B each node had at the cut, replayed from them
    exactly as the sweep would have, and ``parties``/``accounts`` name the nodes they
    mentioned (so that a source seen only before the cut is still known).
    """

    openings: list[tuple[datetime, str, float]]
    parties: set[str]
    accounts: set[str]

    def __init__(self, items: Iterable[Transfer] = ()) -> None:
        super().__init__(items)
        self.openings = []
        self.parties = set()
        self.accounts = set()


def transfers_from_rows(rows: Iterable[tuple[Any, ...]], *, cut: datetime | None = None,
                        openings: list[tuple[datetime, str, float]] | None = None) -> Transfers:
    """Transfers from store rows, without building FtM dicts first (a trace reads 100k).

    Each row is ``(id, payer, payee, date, amount, payer account, payee account, seq)``,
    with ``amount`` a number and ``seq`` a whole number or None: the PAYMENT columns.
    Checked as :func:`read_transfers` checks Payment dicts; raises InvalidInput the same way.

    With ``cut`` (the start of the trace window), postings before it are not returned but
    replayed into balances (see :class:`Transfers`), together with the stated ``openings``
    (``read_openings`` of the accounts) dated before it: on a store most of what a trace
    reads is history before the window, which only sets the balances money arrives into.
    """
    out: list[Transfer] = []
    before: list[_Past] = []
    errors: dict[str, str] = {}
    moments: dict[str, datetime] = {}
    for index, (pid, payer, payee, day, amount, payer_acct, payee_acct, seq) in enumerate(rows):
        if amount is None:
            errors[pid] = f"Payment {pid!r} has no amount"
            continue
        if not math.isfinite(amount) or amount < 0:
            errors[pid] = f"Payment {pid!r} has amount {amount!r}; expected a number of at least 0"
            continue
        when = moments.get(day) if day else None
        if when is None:
            if not day:
                errors[pid] = f"Payment {pid!r} has no date, so it cannot be put in time order"
                continue
            try:
                when = _fromisoformat(day) if len(day) == 19 else None  # the store's usual form
                if when is None or when.tzinfo is not None:
                    when = parse_when(day)
                moments[day] = when
            except ValueError:
                errors[pid] = f"Payment {pid!r} has date {day!r}, not an ISO date"
                continue
        payer_node, payee_node = payer_acct or payer, payee_acct or payee
        if not payer_node or not payee_node:
            side = "payer" if not payer_node else "beneficiary"
            errors[pid] = f"Payment {pid!r} names no {side} and no {side} account"
            continue
        order = _NO_SEQ if seq is None else (0, float(seq), "")
        if cut is not None and when < cut:  # history: only a balance change, kept light
            before.append((when, order, index, float(amount), payer, payee, payer_node,
                           payee_node, bool(payer_acct), bool(payee_acct)))
            continue
        out.append(Transfer(pid, when, order, index, float(amount), payer or None, payee or None,
                            payer_node, payee_node, bool(payer_acct), bool(payee_acct)))
    if errors:
        first = next(iter(errors.items()))
        raise InvalidInput(f"{len(errors)} payment(s) cannot be traced, e.g. {first[0]}: {first[1]}",
                           errors)
    out.sort(key=posting_order)
    result = Transfers(out)
    if cut is not None:
        before.sort()
        _replay(before, openings or [], cut, result)
    return result


# A posting before the cut: (when, seq key, index, amount, payer, payee, payer node,
# payee node, payer is an account, payee is an account); sorted, it is in posting order.
_Past = tuple[datetime, tuple[int, float, str], int, float, Any, Any, str, str, bool, bool]


def _replay(before: list[_Past], stated: list[tuple[datetime, str, float]], cut: datetime,
            result: Transfers) -> None:
    """Balances at ``cut`` from the postings before it, as the sweep keeps them.

    Same order as the sweep: stated balances due before a posting group first, then the
    group's debits (B never below 0), then its credits. Most groups hold one posting.
    """
    balance: dict[str, float] = {}
    get = balance.get
    pending = [o for o in stated if o[0] < cut]
    k, n, i = 0, len(before), 0
    while i < n:
        past = before[i]
        when, seq = past[0], past[1]
        while k < len(pending) and pending[k][0] <= when:
            balance[pending[k][1]] = pending[k][2]
            k += 1
        j = i + 1
        while j < n and before[j][0] == when and before[j][1] == seq:
            j += 1
        if j == i + 1:  # alone at its moment: debit, then credit
            payer, payee, amount = past[6], past[7], past[3]
            left = get(payer, 0.0) - amount
            balance[payer] = left if left > 0.0 else 0.0
            balance[payee] = get(payee, 0.0) + amount
        else:
            group = before[i:j]
            for other in group:
                left = get(other[6], 0.0) - other[3]
                balance[other[6]] = left if left > 0.0 else 0.0
            for other in group:
                balance[other[7]] = get(other[7], 0.0) + other[3]
        i = j
    for _, node, value in pending[k:]:
        balance[node] = value
    moment = cut - timedelta(microseconds=1)
    result.openings = sorted((moment, node, value) for node, value in balance.items())
    result.parties = ({p[4] for p in before} | {p[5] for p in before}) - {None, ""}
    result.accounts = {p[6] for p in before if p[8]} | {p[7] for p in before if p[9]}



#: The PAYMENT columns a trace reads, as Arrow types.
ROW_SCHEMA = pa.schema([("id", pa.string()), ("src", pa.string()), ("dst", pa.string()),
                       ("date", pa.string()), ("amount", pa.float64()), ("src_account", pa.string()),
                       ("dst_account", pa.string()), ("seq", pa.int64())])
#: Dates the Arrow replay takes: plain ISO day or day and time, no offset.
PLAIN_DATE = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$"
_MICRO = 1_000_000


def normalised_dates(dates: Any) -> Any:
    """``YYYY-MM-DD`` as ``YYYY-MM-DDT00:00:00``: plain dates then sort as the moments they are."""
    dates = pc.fill_null(dates, "")
    short = pc.equal(pc.utf8_length(dates), 10)
    return pc.if_else(short, pc.binary_join_element_wise(dates, "T00:00:00", ""), dates)


def past_balances(past: pa.Table, cut: datetime, stated: list[tuple[datetime, str, float]]
                  ) -> tuple[list[tuple[datetime, str, float]], set[str], set[str]] | None:
    """The replay of :func:`transfers_from_rows` for rows all before ``cut``, in Arrow.

    ``past`` has the PAYMENT columns (id, src, dst, date, amount, src_account,
    dst_account, seq), possibly with repeated rows. Returns (openings at the cut, parties,
    accounts) as :class:`Transfers` holds them, or None when a row needs the exact Python
    path (a date that is not plain, a missing or negative amount, no payer or payee).
    """
    past = past.select(ROW_SCHEMA.names).cast(ROW_SCHEMA)
    if past.num_rows:
        ids = past["id"].to_pylist()
        first: dict[str, int] = {}
        for i, pid in enumerate(ids):
            if pid not in first:
                first[pid] = i
        if len(first) < past.num_rows:
            past = past.take(pa.array(list(first.values()), pa.int64()))
    dates = pc.fill_null(past["date"], "")
    amount = past["amount"]
    if (past.num_rows and not pc.all(pc.match_substring_regex(dates, PLAIN_DATE)).as_py()) \
            or amount.null_count or (past.num_rows and not pc.all(pc.and_(
                pc.is_finite(amount), pc.greater_equal(amount, 0.0))).as_py()):
        return None
    payer = _coalesce(past["src_account"], past["src"])
    payee = _coalesce(past["dst_account"], past["dst"])
    if payer.null_count or payee.null_count:
        return None
    day = normalised_dates(dates)
    seq = pc.fill_null(pc.cast(past["seq"], pa.float64()), math.inf)
    micro = pc.cast(pc.round(pc.multiply(amount, float(_MICRO))), pa.int64())
    n = past.num_rows
    events = pa.table({
        "node": pa.concat_arrays([_flat(payer), _flat(payee)]),
        "day": pa.concat_arrays([_flat(day), _flat(day)]),
        "seq": pa.concat_arrays([_flat(seq), _flat(seq)]),
        "side": pa.array(np.repeat(np.array([0, 1], np.int8), n)),  # debits first at a moment
        "x": pa.concat_arrays([_flat(pc.negate(micro)), _flat(micro)]),
    })
    start: dict[str, tuple[str, int]] = {}  # node -> (moment of the last stated balance, value)
    for when, node, value in stated:
        if when < cut:
            start[node] = (when.isoformat(), round(value * _MICRO))
    if start:
        keys = pa.array(list(start), pa.string())
        index = pc.index_in(events["node"], value_set=keys)
        since = pc.take(pa.array([m for m, _ in start.values()], pa.string()), index)
        keep = pc.or_(pc.is_null(index), pc.greater_equal(events["day"], since))
        events = events.filter(pc.fill_null(keep, True))
    events = events.sort_by([("node", "ascending"), ("day", "ascending"), ("seq", "ascending"),
                             ("side", "ascending")])
    balances = _lindley(events, start)
    moment = cut - timedelta(microseconds=1)
    openings = sorted((moment, node, value / _MICRO) for node, value in balances.items())
    parties = set(pc.unique(pa.concat_arrays([_flat(past["src"]), _flat(past["dst"])])).to_pylist())
    accounts = set(pc.unique(pa.concat_arrays([_flat(past["src_account"]),
                                               _flat(past["dst_account"])])).to_pylist())
    return openings, parties - {None, ""}, accounts - {None, ""}


def _lindley(events: pa.Table, start: dict[str, tuple[str, int]]) -> dict[str, int]:
    """B per node (micro-yuan) after its sorted events, from its stated start value or 0."""
    out = {node: value for node, (_, value) in start.items()}
    if not events.num_rows:
        return out
    nodes = events["node"].to_numpy(zero_copy_only=False)
    x = events["x"].to_numpy()
    begins = np.flatnonzero(np.r_[True, nodes[1:] != nodes[:-1]])
    ends = np.r_[begins[1:], len(x)]
    total = np.cumsum(x)
    base = np.where(begins > 0, total[begins - 1], 0)
    last = total[ends - 1] - base                       # S_n per node
    lowest = np.minimum.reduceat(total, begins) - base  # min_j S_j per node
    for node, s_n, low in zip(nodes[begins].tolist(), last.tolist(), lowest.tolist()):
        v = start[node][1] if node in start else 0
        out[node] = max(v + s_n, s_n - low)
    return out


def _coalesce(first: Any, second: Any) -> Any:
    """``first or second`` per row (an empty string counts as missing)."""
    first = pc.if_else(pc.equal(pc.fill_null(first, ""), ""), pa.scalar(None, pa.string()), first)
    second = pc.if_else(pc.equal(pc.fill_null(second, ""), ""), pa.scalar(None, pa.string()), second)
    return pc.coalesce(first, second)


def _flat(values: Any) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
