"""Money tracing: properties that hold on any ledger (hypothesis), and a busy ledger of 10k payments."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debtorgraph.analysis.tracing import max_flow_bound, trace, traced_payments
from debtorgraph.errors import NodeNotFound

from tracing_kit import amounts, move, total


# -- properties -----------------------------------------------------------------------

ACCOUNTS = ["a", "b", "c", "d"]
KNOWN_S = [{"id": "s", "schema": "BankAccount", "properties": {}}]  # s exists even if idle


@st.composite
def ledgers(draw: st.DrawFn, source_receives: bool = False, ties: bool = False) -> list[dict]:
    """Random transfers among a few accounts, one per day (so the oracle needs no ties),
    or with ``ties`` a few days with many transfers and sometimes sequence numbers."""
    n = draw(st.integers(1, 25))
    nodes = ["s"] + ACCOUNTS + ["outside"]
    pays = []
    for i in range(n):
        frm = draw(st.sampled_from(nodes))
        to = draw(st.sampled_from([x for x in nodes if x != frm]))
        if to == "s" and not source_receives:
            to = "outside"
        amount = draw(st.integers(0, 500))
        day = draw(st.integers(0, 3)) if ties else i
        seq = draw(st.one_of(st.none(), st.integers(0, 5))) if ties else None
        pays.append(move(f"p{i}", frm, to, amount,
                         (date(2023, 1, 1) + timedelta(days=day)).isoformat(), seq=seq))
    return pays


@settings(database=None, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(ledgers(), ledgers(ties=True)),
       st.sampled_from(["libr", "fifo", "pro_rata", "greedy"]),
       st.sampled_from([None, 1, 2, 3]), st.sampled_from([None, timedelta(0), timedelta(days=2)]))
def test_conservation(pays: list[dict], rule: str, max_hops: int | None,
                      max_wait: timedelta | None) -> None:
    out = trace(pays, "s", "2023-01-01", rule=rule, max_hops=max_hops, max_wait=max_wait,
                accounts=KNOWN_S)
    seeded = sum(float(p["properties"]["amount"][0]) for p in pays
                 if p["properties"]["payerAccount"] == ["s"])
    assert total(out) == pytest.approx(seeded, abs=1e-4)
    per_payment = traced_payments(out)
    size = {p["id"]: float(p["properties"]["amount"][0]) for p in pays}
    for pid, carried in per_payment.items():
        assert carried <= size[pid] + 1e-6


@settings(database=None, max_examples=100, deadline=None)
@given(ledgers(source_receives=True), st.sampled_from(["libr", "fifo", "pro_rata", "greedy"]))
def test_never_more_than_the_source_paid_out(pays: list[dict], rule: str) -> None:
    out = trace(pays, "s", "2023-01-01", rule=rule, accounts=KNOWN_S)
    paid = sum(float(p["properties"]["amount"][0]) for p in pays
               if p["properties"]["payerAccount"] == ["s"])
    assert total(out) <= paid + 1e-4  # endpoint amounts are rounded to 6 places


def _balances(pays: list[dict], account: str) -> list[tuple[str, float]]:
    """(date, B after the posting) for one account, B never below 0."""
    bal, out = 0.0, []
    for p in sorted(pays, key=lambda p: p["properties"]["date"][0]):
        amt = float(p["properties"]["amount"][0])
        if p["properties"]["payerAccount"] == [account]:
            bal = max(0.0, bal - amt)
        if p["properties"]["beneficiaryAccount"] == [account]:
            bal += amt
        out.append((p["properties"]["date"][0], bal))
    return out


@settings(database=None, max_examples=150, deadline=None)
@given(ledgers(source_receives=True))
def test_libr_never_above_the_lowest_balance_since_the_taint(pays: list[dict]) -> None:
    out = trace(pays, "s", "2023-01-01", rule="libr", accounts=KNOWN_S)
    when = {p["id"]: p["properties"]["date"][0] for p in pays}
    payee = {p["id"]: p["properties"]["beneficiaryAccount"][0] for p in pays}
    for ep in out["endpoints"]:
        if ep["id"] == "s":
            continue
        arrivals = {when[pid] for e in out["endpoints"] for path in e["paths"]
                    for pid in path["payments"] if payee[pid] == ep["id"]}
        last = max(arrivals) if arrivals else "0"
        lowest = min(b for d, b in _balances(pays, ep["id"]) if d >= last)
        assert ep["amount"] <= lowest + 1e-6


@settings(database=None, max_examples=100, deadline=None)
@given(st.integers(1, 1000), st.lists(st.tuples(st.booleans(), st.integers(0, 800)), max_size=20))
def test_libr_single_deposit_is_min_of_deposit_and_lowest_balance(
        deposit: int, moves: list[tuple[bool, int]]) -> None:
    pays = [move("t", "s", "a", deposit, "2023-01-01")]
    for i, (is_credit, amount) in enumerate(moves):
        day = (date(2023, 1, 2) + timedelta(days=i)).isoformat()
        pays.append(move(f"m{i}", "x", "a", amount, day) if is_credit
                    else move(f"m{i}", "a", "y", amount, day))
    lowest = min(b for _, b in _balances(pays, "a"))
    assert amounts(trace(pays, "s", "2023-01-01")).get("a", 0.0) == \
        pytest.approx(min(deposit, lowest), abs=1e-6)


@settings(database=None, max_examples=60, deadline=None)
@given(ledgers(), st.sampled_from(ACCOUNTS))
def test_max_flow_is_an_upper_bound_for_every_rule(pays: list[dict], target: str) -> None:
    try:
        bound = max_flow_bound(pays, "s", target, "2023-01-01", accounts=KNOWN_S)
    except NodeNotFound:
        return
    for rule in ("libr", "fifo", "pro_rata", "greedy"):
        got = amounts(trace(pays, "s", "2023-01-01", rule=rule, accounts=KNOWN_S)).get(target, 0.0)
        assert got <= bound + 1e-6


# -- a busy ledger ------------------------------------------------------------------------

def _busy_ledger(n: int, accounts: int, seed: int = 7) -> list[dict]:
    """n transfers among ``accounts`` accounts; the source pays out every 50th."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1)
    pays = []
    for i in range(n):
        frm = "src" if i % 50 == 0 else f"k{rng.randrange(accounts)}"
        to = f"k{rng.randrange(accounts)}"
        when = (start + timedelta(minutes=7 * i)).isoformat()
        pays.append(move(f"q{i}", frm, to, rng.randint(1, 5000), when, seq=i))
    return pays


def test_six_hop_libr_over_10k_payments_traces_every_debit() -> None:
    """A busy ledger: everything the source paid out is accounted for at the endpoints
    (the speed is bench/detect.py's, measured there)."""
    pays = _busy_ledger(10_000, 400)
    out = trace(pays, "src", "2023-01-01", rule="libr", max_hops=6)
    assert total(out) == pytest.approx(sum(float(p["properties"]["amount"][0])
                                           for p in pays if p["id"].startswith("q") and
                                           p["properties"]["payerAccount"] == ["src"]))
