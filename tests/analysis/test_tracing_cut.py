"""Traces from store rows with the history before the window replayed into balances
(``transfers_from_rows(..., cut=...)``) equal traces of the same payments as FtM dicts."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debtorgraph.analysis.tracing import trace
from debtorgraph.analysis.tracing.input import parse_when, read_openings
from debtorgraph.analysis.tracing.rows import transfers_from_rows
from debtorgraph.errors import NodeNotFound

from test_tracing import ownership, payment

PARTIES = ["p-a", "p-b", "p-c", "p-d"]
ACCOUNTS = {"p-a": ["a1", "a2"], "p-b": ["b1"], "p-c": ["c1"], "p-d": []}  # p-d pays in cash


def _row(ent: dict[str, Any]) -> tuple[Any, ...]:
    props = ent["properties"]

    def first(name: str) -> Any:
        return props.get(name, [None])[0]

    seq = first("sequenceNumber")
    return (ent["id"], first("payer"), first("beneficiary"), first("date"), float(first("amount")),
            first("payerAccount"), first("beneficiaryAccount"), int(seq) if seq else None)


@st.composite
def ledgers(draw: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    n = draw(st.integers(1, 40))
    pays = []
    for i in range(n):
        a, b = draw(st.sampled_from(PARTIES)), draw(st.sampled_from(PARTIES))
        acct_a = draw(st.sampled_from(ACCOUNTS[a] + [None]))
        acct_b = draw(st.sampled_from(ACCOUNTS[b] + [None]))
        day = draw(st.integers(1, 9))
        hour = draw(st.sampled_from(["", "T10:00:00", "T10:00:00", "T18:30:00"]))  # ties on purpose
        seq = draw(st.one_of(st.none(), st.integers(1, 3)))
        amount = draw(st.sampled_from([5, 40, 100, 250, 1000, 3000]))  # overdrafts clamp B at 0
        pays.append(payment(f"t{i}", amount, f"2023-03-0{day}{hour}", a, b, acct_a, acct_b, seq))
    accounts = []
    for acct, day in (("a1", draw(st.integers(1, 9))), ("b1", draw(st.integers(1, 9)))):
        props = {"balance": [str(draw(st.sampled_from([0, 500, 2000])))],
                 "balanceDate": [f"2023-03-0{day}T12:00:00"]}
        if draw(st.booleans()):
            accounts.append({"id": acct, "schema": "BankAccount", "properties": props})
    since = f"2023-03-0{draw(st.integers(1, 9))}"
    return pays, accounts, since


OWNERSHIPS = [ownership(f"o-{acct}", party, acct) for party, accts in ACCOUNTS.items() for acct in accts]


@pytest.mark.parametrize("rule", ["libr", "fifo", "pro_rata", "greedy"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=ledgers(), source=st.sampled_from(["p-a", "a1", "p-d"]),
       max_wait=st.sampled_from([None, timedelta(days=2)]))
def test_replayed_history_gives_the_same_trace(rule: str, case: Any, source: str,
                                               max_wait: timedelta | None) -> None:
    pays, accounts, since = case
    rows = [_row(p) for p in pays]
    cut = transfers_from_rows(rows, cut=parse_when(since), openings=read_openings(accounts))
    try:
        expected = trace(pays, source, since, rule=rule, max_hops=4, max_wait=max_wait,
                         accounts=accounts, ownerships=OWNERSHIPS)
    except NodeNotFound:
        with pytest.raises(NodeNotFound):
            trace(cut, source, since, rule=rule, max_hops=4, max_wait=max_wait,
                  accounts=accounts, ownerships=OWNERSHIPS)
        return
    got = trace(cut, source, since, rule=rule, max_hops=4, max_wait=max_wait,
                accounts=accounts, ownerships=OWNERSHIPS)
    assert got == expected


def test_history_before_the_window_sets_the_balance_money_arrives_into() -> None:
    """Roscoe v Winder across the cut: own money before the window is still counted."""
    pays = [payment("own", 1000, "2023-01-05", "p-x", "p-b", "x", "b1"),
            payment("over", 5000, "2023-01-06", "p-b", "p-y", "b1", "y"),  # B clamps at 0
            payment("own2", 200, "2023-01-07", "p-x", "p-b", "x", "b1"),
            payment("taint", 300, "2023-02-01", "p-s", "p-b", "s", "b1"),
            payment("spend", 400, "2023-02-02", "p-b", "p-z", "b1", "z")]
    rows = [_row(p) for p in pays]
    cut = transfers_from_rows(rows, cut=parse_when("2023-02-01"))
    assert [t.id for t in cut] == ["taint", "spend"]
    assert [(node, value) for _, node, value in cut.openings] == [("b1", 200.0), ("x", 0.0),
                                                                  ("y", 5000.0)]
    out = trace(cut, "s", "2023-02-01")
    assert {e["id"]: e["amount"] for e in out["endpoints"]} == {"b1": 100.0, "z": 200.0}
    assert out == trace(pays, "s", "2023-02-01")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=ledgers(), cut_day=st.integers(2, 9))
def test_arrow_replay_equals_the_python_replay(case: Any, cut_day: int) -> None:
    """past_balances (Arrow, Lindley in micro-yuan) gives the balances, parties and accounts
    that transfers_from_rows replays posting by posting; repeated rows count once."""
    import pyarrow as pa

    from debtorgraph.analysis.tracing.rows import ROW_SCHEMA, past_balances

    pays, accounts, _ = case
    cut = parse_when(f"2023-03-0{cut_day}")
    stated = read_openings(accounts)
    rows = [_row(p) for p in pays]
    before = [r for r in rows if parse_when(r[3]) < cut]
    table = pa.Table.from_pylist([dict(zip(ROW_SCHEMA.names, r)) for r in before + before[:3]],
                                 schema=ROW_SCHEMA)
    got = past_balances(table, cut, stated)
    want = transfers_from_rows(before, cut=cut, openings=stated)
    assert got is not None
    openings, parties, accounts_seen = got
    assert [(n, round(v, 6)) for _, n, v in openings] == [(n, round(v, 6)) for _, n, v in want.openings]
    assert {m for m, _, _ in openings} <= {cut - timedelta(microseconds=1)}
    assert parties == want.parties and accounts_seen == want.accounts


def test_arrow_replay_leaves_unusual_dates_to_the_exact_path() -> None:
    import pyarrow as pa

    from debtorgraph.analysis.tracing.rows import ROW_SCHEMA, past_balances

    table = pa.Table.from_pylist([{"id": "t1", "src": "p-a", "dst": "p-b", "date": "2023-03-01T10:00:00+08:00",
                                   "amount": 5.0, "src_account": None, "dst_account": None, "seq": None}],
                                 schema=ROW_SCHEMA)
    assert past_balances(table, parse_when("2023-03-05"), []) is None
