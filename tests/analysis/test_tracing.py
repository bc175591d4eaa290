"""Money tracing: the rules of tracing.md section (c), worked cases, limits, validation (properties: test_tracing_properties)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from debtorgraph.analysis.tracing import (build_holder_lookup, max_flow_bound, trace,
                                          trace_range, traced_payments)
from debtorgraph.errors import InvalidInput, NodeNotFound

from tracing_kit import amounts, move, ownership, payment, total


def test_roscoe_v_winder_only_the_lowest_balance_is_traceable() -> None:
    # Wigham had 100 of his own, paid in the 455, drew the balance down to 25, then
    # paid in 333 of new money: only 25 stays traceable (later deposits do not refill).
    pays = [move("own", "w-income", "w", 100, "1915-01-01"),
            move("t", "company", "w", 455, "1915-01-02"),
            move("spend", "w", "shop", 530, "1915-01-03"),
            move("refill", "w-income", "w", 333, "1915-01-04")]
    out = trace(pays, "company", "1915-01-01")
    assert amounts(out) == {"w": pytest.approx(25), "shop": pytest.approx(430)}
    w = next(ep for ep in out["endpoints"] if ep["id"] == "w")
    assert w["holder"] == "p-w"
    assert w["paths"] == [{"payments": ["t"], "amounts": [455.0]}]


def test_capstone_example_leaves_45500_traceable() -> None:
    # Joe's account holds 100k of his own (statement balance) when 200k of trust money
    # comes in on 5 January; the car (75k) is all his money, the boat (130k) takes
    # 105k of the trust's, the jet charter (49.5k) the rest of what he spends: 154.5k of
    # trust money is spent and 45.5k remains traceable in the account.
    joe = {"id": "joe", "schema": "BankAccount",
           "properties": {"balance": ["100000"], "balanceDate": ["2022-01-01"]}}
    pays = [move("trust-in", "abc-trust", "joe", 200_000, "2022-01-05"),
            move("car", "joe", "car-dealer", 75_000, "2022-01-10"),
            move("boat", "joe", "boat-dealer", 130_000, "2022-01-19"),
            move("jet", "joe", "jet-charter", 49_500, "2022-02-03")]
    out = trace(pays, "abc-trust", "2022-01-01", accounts=[joe])
    assert amounts(out) == {"joe": pytest.approx(45_500), "boat-dealer": pytest.approx(105_000),
                            "jet-charter": pytest.approx(49_500)}
    assert total(out) == pytest.approx(200_000)
    # Without the opening balance Joe had nothing of his own: the car is trust money.
    assert amounts(trace(pays, "abc-trust", "2022-01-01"))["car-dealer"] == pytest.approx(75_000)


MULTI_HOP = [move("own", "x", "a", 100, "2023-01-01"),
             move("t1", "s", "a", 300, "2023-02-01"),
             move("side", "a", "c", 250, "2023-02-02"),
             move("fwd", "a", "d", 140, "2023-02-03"),
             move("on", "d", "e", 140, "2023-02-04")]


@pytest.mark.parametrize("rule, expected", [
    ("libr", {"c": 150, "e": 140, "a": 10}),    # own 100 spent first: forward carries 140
    ("greedy", {"c": 250, "e": 50}),            # side payment takes 250 first: forward 50
])
def test_multi_hop_libr_and_greedy_differ(rule: str, expected: dict[str, float]) -> None:
    out = trace(MULTI_HOP, "s", "2023-02-01", rule=rule)
    assert amounts(out) == pytest.approx(expected)
    e = next(ep for ep in out["endpoints"] if ep["id"] == "e")
    fwd = expected["e"]
    assert e["paths"] == [{"payments": ["t1", "fwd", "on"], "amounts": [300.0, fwd, fwd]}]


@pytest.mark.parametrize("rule, expected", [
    ("libr", {"t1": 300, "side": 150, "fwd": 140, "on": 140}),
    ("greedy", {"t1": 300, "side": 250, "fwd": 50, "on": 50}),
])
def test_traced_amount_per_payment(rule: str, expected: dict[str, float]) -> None:
    assert traced_payments(trace(MULTI_HOP, "s", "2023-02-01", rule=rule)) == expected


def test_trace_range_puts_libr_beside_greedy() -> None:
    rows = {r["id"]: r for r in trace_range(MULTI_HOP, "s", "2023-02-01")["endpoints"]}
    assert (rows["e"]["libr"], rows["e"]["greedy"]) == (140.0, 50.0)
    assert (rows["c"]["low"], rows["c"]["high"]) == (150.0, 250.0)
    assert rows["a"]["greedy"] == 0.0


def test_output_is_the_interchange_trace_json() -> None:
    out = trace(MULTI_HOP, "s", "2023-02-01", until=date(2023, 2, 3))
    assert list(out) == ["source", "rule", "since", "until", "endpoints"]
    assert (out["source"], out["rule"], out["since"], out["until"]) == \
        ("s", "libr", "2023-02-01", "2023-02-03")
    for ep in out["endpoints"]:
        assert list(ep) == ["id", "holder", "amount", "paths"]
        for path in ep["paths"]:
            assert list(path) == ["payments", "amounts"]
            assert len(path["payments"]) == len(path["amounts"])
    assert "e" not in amounts(out)  # "on" is after until


# -- FIFO and pro rata, by hand --------------------------------------------------------

MIXED = [move("a-own", "a-income", "a", 100, "2023-01-01"),
         move("t", "s", "a", 300, "2023-01-02"),
         move("a-b", "a", "b", 400, "2023-01-03"),          # all 300 traced, mixed with 100
         move("b-own", "b-income", "b", 200, "2023-01-01"),
         move("b-c", "b", "c", 300, "2023-01-04"),
         move("b-d", "b", "d", 100, "2023-01-05")]


@pytest.mark.parametrize("rule, expected", [
    # b holds 200 own, then 400 of which 300 traced. FIFO: b-c uses the 200 own plus
    # 100 of the mixed deposit (3/4 traced) = 75; b-d 100 more of it = 75; 150 left.
    ("fifo", {"b": 150, "c": 75, "d": 75}),
    # Pro rata: b-c takes half the balance (300 of 600) = 150 traced; b-d a third of
    # 300 = 50 of the 150 left; 100 left.
    ("pro_rata", {"b": 100, "c": 150, "d": 50}),
    # LIBR: balance 600 -> 300 keeps all 300; -> 200 gives up 100 to d.
    ("libr", {"b": 200, "d": 100}),
    # Greedy: b-c carries all 300 it can.
    ("greedy", {"c": 300}),
])
def test_rules_on_a_mixed_deposit(rule: str, expected: dict[str, float]) -> None:
    out = trace(MIXED, "s", "2023-01-01", rule=rule)
    assert amounts(out) == pytest.approx(expected)
    assert total(out) == pytest.approx(300)


def test_fifo_clayton_oldest_deposit_is_spent_first() -> None:
    # 300 traced first, 100 own after: FIFO spends the traced 300 first (Clayton's case);
    # LIBR presumes the own 100 goes first.
    pays = [move("t", "s", "a", 300, "2023-01-01"),
            move("own", "a-income", "a", 100, "2023-01-02"),
            move("d1", "a", "c", 250, "2023-01-03"),
            move("d2", "a", "d", 120, "2023-01-04")]
    assert amounts(trace(pays, "s", "2023-01-01", rule="fifo")) == pytest.approx({"c": 250, "d": 50})
    assert amounts(trace(pays, "s", "2023-01-01", rule="libr")) == \
        pytest.approx({"c": 150, "d": 120, "a": 30})


# -- order of postings ------------------------------------------------------------------

@pytest.mark.parametrize("seqs, expected", [
    ((None, None), {"a": 100}),   # same day, no numbers: debit first, it carries nothing
    ((1, 2), {"b": 100}),         # the credit is numbered first: the debit forwards it
    ((2, 1), {"a": 100}),         # the debit is numbered first
])
def test_ties_by_sequence_number_then_debits_first(seqs: tuple, expected: dict) -> None:
    pays = [move("out", "a", "b", 100, "2023-03-01", seq=seqs[1]),
            move("in", "s", "a", 100, "2023-03-01", seq=seqs[0])]
    assert amounts(trace(pays, "s", "2023-03-01")) == expected


def test_same_time_cycle_is_resolved_debits_first() -> None:
    # a -> b and b -> a at the same moment: both debits see the balances before.
    pays = [move("t", "s", "a", 100, "2023-03-01"),
            move("ab", "a", "b", 100, "2023-03-02T10:00:00"),
            move("ba", "b", "a", 100, "2023-03-02T10:00:00")]
    assert amounts(trace(pays, "s", "2023-03-01")) == {"b": 100}


def test_time_respecting_a_payment_before_the_taint_carries_none() -> None:
    pays = [move("early", "a", "b", 500, "2023-01-01"),
            move("seed", "a-income", "a", 500, "2022-12-01"),
            move("t", "s", "a", 100, "2023-01-02")]
    assert amounts(trace(pays, "s", "2023-01-01")) == {"a": 100}


def test_debits_before_since_are_not_seeded() -> None:
    pays = [move("old", "s", "a", 50, "2022-12-31"), move("new", "s", "b", 70, "2023-01-01")]
    assert amounts(trace(pays, "s", "2023-01-01")) == {"b": 70}


# -- limits ---------------------------------------------------------------------------

CHAIN = [move("h1", "s", "a", 100, "2023-01-01"),
         move("h2", "a", "b", 100, "2023-01-10"),
         move("h3", "b", "c", 100, "2023-01-12")]


@pytest.mark.parametrize("max_hops, where", [
    (None, "c"),  # unlimited: the money ends at c
    (1, "a"),     # one hop: it stays where the source's debit put it
    (2, "b"),
    (3, "c"),
])
def test_max_hops_stops_the_chain(max_hops: int | None, where: str) -> None:
    out = trace(CHAIN, "s", "2023-01-01", max_hops=max_hops)
    assert amounts(out) == {where: 100}
    assert len(out["endpoints"][0]["paths"][0]["payments"]) == (max_hops or 3)


@pytest.mark.parametrize("wait, where", [
    (timedelta(days=9), "c"),     # a waits exactly 9 days, b 2 days: both allowed
    (timedelta(days=8), "a"),     # 9 days at a is too long: it stays at a
    (timedelta(days=1), "a"),
])
def test_max_wait_freezes_stale_money(wait: timedelta, where: str) -> None:
    assert amounts(trace(CHAIN, "s", "2023-01-01", max_wait=wait)) == {where: 100}


def test_max_wait_with_b_waiting_too_long() -> None:
    out = trace(CHAIN, "s", "2023-01-01", max_wait=timedelta(days=9, hours=1),
                until="2023-01-31")
    assert amounts(out) == {"c": 100}
    out = trace(CHAIN[:2] + [move("h3", "b", "c", 100, "2023-01-25")], "s", "2023-01-01",
                max_wait=timedelta(days=10))
    assert amounts(out) == {"b": 100}


def test_a_lower_statement_balance_settles_the_missing_outflow_at_the_account() -> None:
    # The statement says 40 on 1 Feb, but the postings leave 100: 60 went out through
    # postings missing from the data. LIBR keeps 40 live; the 60 is reported at a
    # (last seen there) so the endpoints still add up.
    acct = {"id": "a", "schema": "BankAccount",
            "properties": {"balance": ["40"], "balanceDate": ["2023-02-01"]}}
    pays = [move("t", "s", "a", 100, "2023-01-01"), move("out", "a", "b", 30, "2023-02-02")]
    assert amounts(trace(pays, "s", "2023-01-01", accounts=[acct])) == \
        pytest.approx({"a": 70, "b": 30})


# -- parties, holders, cash -------------------------------------------------------------

def test_party_source_means_all_its_accounts() -> None:
    owns = [ownership("o1", "p-x", "x1"), ownership("o2", "p-x", "x2"),
            ownership("o3", "p-x", "x3", start="2023-06-01"),
            ownership("o4", "p-mother", "x3", end="2023-06-01")]
    pays = [payment("a", 100, "2023-02-01", "p-x", "p-a", "x1", "a1"),
            payment("b", 50, "2023-02-02", "p-x", "p-b", "x2", "b1"),
            payment("inside", 200, "2023-02-03", "p-x", "p-x", "x1", "x2"),  # not leaving X
            payment("cash", 30, "2023-02-04", "p-x", "p-c", None, "c1", purpose="现金"),
            payment("before", 80, "2023-02-05", "p-x", "p-d", "x3", "d1")]  # x3 not yet X's
    # (the Ownership of x3 outranks the payer the bank statement names)
    out = trace(pays, "p-x", "2023-01-01", ownerships=owns)
    assert amounts(out) == {"a1": 100, "b1": 50, "c1": 30}
    assert out["source"] == "p-x"


def test_party_source_without_ownerships_uses_the_payer_named() -> None:
    pays = [payment("a", 100, "2023-02-01", "p-x", "p-a", "x1", "a1"),
            payment("b", 60, "2023-02-02", "p-y", "p-b", "y1", "b1")]
    assert amounts(trace(pays, "p-x", "2023-01-01")) == {"a1": 100}


def test_company_source_is_a_party_though_it_is_owned() -> None:
    # A Company is an asset of its shareholders, but as a source it pays as a party.
    owns = [ownership("o1", "p-boss", "co"), ownership("o2", "co", "co-acct")]
    pays = [payment("out", 70, "2023-02-01", "co", "p-a", "co-acct", "a1")]
    assert amounts(trace(pays, "co", "2023-01-01", ownerships=owns)) == {"a1": 70}


def test_cash_withdrawal_endpoint_is_the_party() -> None:
    pays = [payment("t", 500, "2023-01-01", "p-s", "p-sister", "s1", "sis-1"),
            payment("atm", 300, "2023-01-02", "p-sister", "p-sister", "sis-1", None,
                    purpose="ATM取现")]
    out = trace(pays, "s1", "2023-01-01")
    got = {(ep["id"], ep["holder"]): ep["amount"] for ep in out["endpoints"]}
    assert got == {("p-sister", "p-sister"): 300, ("sis-1", "p-sister"): 200}


def test_cash_drawn_from_a_party_source_is_an_endpoint_at_the_party() -> None:
    """Traced from the party (all its accounts), cash it draws from one of them still leaves the
    accounts: the endpoint is the party itself (docs/interchange.md: parties where a payment
    names no account), not a move inside the source."""
    owns = [ownership("o1", "p-s", "s1")]
    pays = [payment("atm", 200, "2023-06-06", "p-s", "p-s", "s1", None, purpose="ATM取现"),
            payment("t", 100, "2023-06-05", "p-s", "p-x", "s1", "x1")]
    for source in ("s1", "p-s"):
        out = trace(pays, source, "2023-06-01", ownerships=owns)
        got = {(ep["id"], ep["holder"]): ep["amount"] for ep in out["endpoints"]}
        assert got == {("p-s", "p-s"): 200, ("x1", "p-x"): 100}, source


def test_holder_is_whoever_held_the_account_when_money_arrived() -> None:
    owns = [ownership("o1", "p-old", "acct", end="2023-03-01"),
            ownership("o2", "p-new", "acct", start="2023-03-01"),
            ownership("lease", "p-tenant", "acct", start="2023-01-01", legalBasis="lease")]
    pays = [move("t1", "s", "acct", 10, "2023-02-01"), move("t2", "s", "acct", 20, "2023-03-01")]
    out = trace(pays, "s", "2023-01-01", ownerships=build_holder_lookup(owns))
    assert {(ep["holder"], ep["amount"]) for ep in out["endpoints"]} == {("p-old", 10),
                                                                         ("p-new", 20)}


def test_money_coming_back_to_the_source_is_not_counted_twice() -> None:
    pays = [move("out", "s", "a", 100, "2023-01-01"),
            move("back", "a", "s", 100, "2023-01-02"),
            move("again", "s", "b", 100, "2023-01-03")]
    out = trace(pays, "s", "2023-01-01")
    assert amounts(out) == {"b": 100}
    assert out["endpoints"][0]["paths"] == [{"payments": ["out", "back", "again"],
                                             "amounts": [100.0, 100.0, 100.0]}]


def test_paths_split_oldest_route_first() -> None:
    # Two routes reach m; the forward takes the older route's money first.
    pays = [move("r1", "s", "m", 60, "2023-01-01"), move("r2", "s", "m", 40, "2023-01-02"),
            move("fwd", "m", "z", 80, "2023-01-03")]
    out = trace(pays, "s", "2023-01-01")
    z = next(ep for ep in out["endpoints"] if ep["id"] == "z")
    assert z["paths"] == [{"payments": ["r1", "fwd"], "amounts": [60.0, 60.0]},
                          {"payments": ["r2", "fwd"], "amounts": [40.0, 20.0]}]
    m = next(ep for ep in out["endpoints"] if ep["id"] == "m")
    assert m["amount"] == 20 and m["paths"] == [{"payments": ["r2"], "amounts": [40.0]}]


# -- validation -----------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    ({"rule": "lifo"}, "rule 'lifo'"),                        # not a supported rule
    ({"since": "yesterday"}, "since 'yesterday'"),            # not a date
    ({"until": "2022-01-01"}, "before since"),                # window reversed
    ({"max_hops": 0}, "max_hops 0"),                          # a chain needs a hop
    ({"max_wait": 5}, "max_wait 5"),                          # not a timedelta
])
def test_bad_arguments_are_named(kwargs: dict, match: str) -> None:
    args = {"payments": MULTI_HOP, "source": "s", "since": "2023-01-01"} | kwargs
    with pytest.raises(InvalidInput, match=match):
        trace(**args)


def test_unknown_source_is_node_not_found() -> None:
    with pytest.raises(NodeNotFound, match="'nobody'"):
        trace(MULTI_HOP, "nobody", "2023-01-01")
    with pytest.raises(NodeNotFound, match="'nowhere'"):
        max_flow_bound(MULTI_HOP, "s", "nowhere", "2023-01-01")


def test_bad_payments_are_listed_by_id() -> None:
    bad = [move("ok", "s", "a", 1, "2023-01-01"), move("neg", "s", "a", -5, "2023-01-01"),
           payment("nodate", 5, "", "p-s", "p-a", "s", "a")]
    with pytest.raises(InvalidInput) as info:
        trace(bad, "s", "2023-01-01")
    assert set(info.value.errors) == {"neg", "nodate"}


# -- max flow ---------------------------------------------------------------------------

def test_max_flow_bounds_both_rules() -> None:
    for target, bound in (("e", 140.0), ("c", 250.0), ("a", 300.0)):
        assert max_flow_bound(MULTI_HOP, "s", target, "2023-02-01") == bound
        for rule in ("libr", "greedy", "fifo", "pro_rata"):
            assert amounts(trace(MULTI_HOP, "s", "2023-02-01", rule=rule)).get(target, 0) <= bound


