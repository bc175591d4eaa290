"""Money rules (related_party_payment, layered_transfer, fan_out), each with a planted case and its nearest
honest look-alike (income and spending rules: test_rules_income)."""
from __future__ import annotations

import pytest

from test_detect_kit import World


def _sister(w: World) -> str:
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-sis", "p-wang", "sibling")  # stated from the sister's side
    return "p-sis"


# -- related_party_payment -------------------------------------------------------------

@pytest.mark.parametrize("amounts, day, flagged", [
    ([120_000, 80_000], "2023-05-01T10:00:00", True),   # large transfers to the sister after the judgment
    ([2_000, 1_500, 3_000], "2023-05-01T10:00:00", False),  # household amounts (生活费)
    ([120_000], "2022-05-01T10:00:00", False),           # before the lawsuit
])
def test_related_party_payment(amounts: list[float], day: str, flagged: bool) -> None:
    w = World()
    sis = _sister(w)
    ids = [w.pay("p-wang", sis, a, day, "生活费" if a < 5000 else "转账", dst="acct-sis") for a in amounts]
    found = w.flagged("related_party_payment")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == ids and found[0].counterparties == [sis]
        assert found[0].amount == sum(amounts)


def test_paying_the_applicant_and_the_court_is_never_flagged_and_lowers_scores() -> None:
    w = World()
    w.pay("p-wang", "p-li", 150_000, "2023-05-01T10:00:00", "还款", dst="acct-li")
    w.pay("p-wang", "pb-court", 150_000, "2023-05-02T10:00:00", "执行款", dst="acct-court")
    assert w.findings() == []
    sis = _sister(w)
    w.pay("p-wang", sis, 100_000, "2023-05-03T10:00:00", dst="acct-sis")
    paid = w.flagged("related_party_payment")[0]
    w2 = World()
    w2.pay("p-wang", _sister(w2), 100_000, "2023-05-03T10:00:00", dst="acct-sis")
    unpaid = w2.flagged("related_party_payment")[0]
    assert paid.score < unpaid.score
    assert any(f["factor"] == "paid_creditor" and f["weight"] < 0 for f in paid.factors)


def test_money_to_the_sisters_account_named_to_someone_else_counts_as_hers() -> None:
    w = World()
    _sister(w)
    w.person("p-x", "支付宝-某")
    pid = w.pay("p-wang", "p-x", 60_000, "2023-05-01T10:00:00", dst="acct-sis")
    found = w.flagged("related_party_payment")
    assert found and found[0].acts == [pid] and found[0].counterparties == ["p-sis"]


def test_a_company_debtor_paying_its_controllers_wife() -> None:
    w = World(debtor_schema="Company")
    w.person("p-boss", "王老板")
    w.own("p-boss", "p-wang", percentage="80")
    w.person("p-wife", "张某")
    w.account("p-wife", "acct-wife")
    w.family("p-boss", "p-wife", "spouse", startDate="2000-01-01")
    w.pay("p-wang", "p-wife", 200_000, "2023-05-01T10:00:00", src="acct-wang", dst="acct-wife")
    found = w.flagged("related_party_payment")
    assert found and "实际控制人" in found[0].explanation


@pytest.mark.parametrize("before, after, flagged", [
    ((12_000,), 12_000, False),         # the legal representative's pay goes on as before the lawsuit
    ((9_000, 11_000, 19_000), 19_000, False),  # a pay that varied: its highest months again
    ((12_000,), 60_000, True),          # five times the usual pay once the case began
])
def test_a_company_debtor_paying_its_legal_representative_the_usual_salary(before: tuple[float, ...], after: float,
                                                                            flagged: bool) -> None:
    w = World(debtor_schema="Company")
    w.person("p-rep", "王经理")
    w.account("p-rep", "acct-rep")
    w.e("dir-rep", "Directorship", director="p-rep", organization="p-wang", role="法定代表人")
    for month in range(1, 13):  # 2022: the usual pay, before the lawsuit (2023-01-10)
        w.pay("p-wang", "p-rep", before[month % len(before)], f"2022-{month:02d}-15T09:00:00", "工资",
              src="acct-wang", dst="acct-rep")
    later = [w.pay("p-wang", "p-rep", after, f"2023-{month:02d}-15T09:00:00", "工资", src="acct-wang", dst="acct-rep")
             for month in range(1, 13)]
    found = w.flagged("related_party_payment")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == later


# -- layered_transfer ------------------------------------------------------------------

def _chain(w: World, end: str, end_acct: str, hops_days: tuple[int, ...] = (0, 1, 2)) -> list[str]:
    for mid in ("p-m1", "p-m2"):
        w.person(mid, f"中间人{mid[-1]}")
        w.account(mid, f"acct-{mid}")
    route = [("p-wang", "acct-wang"), ("p-m1", "acct-p-m1"), ("p-m2", "acct-p-m2"), (end, end_acct)]
    ids = []
    for (a, sa), (b, sb), day, amount in zip(route, route[1:], hops_days, (300_000, 298_000, 296_000)):
        ids.append(w.pay(a, b, amount, f"2023-06-{1 + day:02d}T10:00:00", "往来款", src=sa, dst=sb))
    return ids


def test_layered_transfer_to_the_sister() -> None:
    w = World()
    ids = _chain(w, _sister(w), "acct-sis")
    found = w.flagged("layered_transfer")
    assert found and found[0].acts == ids and found[0].counterparties == ["p-sis"]
    assert not w.flagged("related_party_payment")  # the last hop is not the debtor's own payment


def test_round_trip_back_to_the_debtor() -> None:
    w = World()
    w.account("p-wang", "acct-wang-2")
    ids = _chain(w, "p-wang", "acct-wang-2")
    found = w.flagged("layered_transfer")
    assert found and found[0].acts == ids and any(f["factor"] == "round_trip" for f in found[0].factors)


@pytest.mark.parametrize("why", [
    "ends_with_a_stranger",   # commercial chain ending with an unrelated firm
    "too_slow",               # the money waits two months before moving on
])
def test_layered_transfer_look_alikes(why: str) -> None:
    w = World()
    if why == "ends_with_a_stranger":
        w.company("co-x", "某建材公司")
        w.account("co-x", "acct-co-x")
        _chain(w, "co-x", "acct-co-x")
    else:
        w.person("p-m1", "中间人1")
        w.account("p-m1", "acct-p-m1")
        w.pay("p-wang", "p-m1", 300_000, "2023-06-01T10:00:00", "往来款", src="acct-wang", dst="acct-p-m1")
        w.pay("p-m1", _sister(w), 296_000, "2023-08-05T10:00:00", "往来款", src="acct-p-m1", dst="acct-sis")
    assert not w.flagged("layered_transfer")


def test_layering_one_sum_to_a_stranger_passed_on_in_weekly_pieces() -> None:
    """Two-step (time): one sum to a stranger, who passes it on to the debtor's sister in four
    pieces a week apart, each under half the sum (the read follows pieces from 5,000)."""
    w = World()
    sis = _sister(w)
    w.person("p-m", "路人乙")
    w.account("p-m", "acct-m")
    ids = [w.pay("p-wang", "p-m", 320_000, "2023-06-01T10:00:00", "往来款", src="acct-wang", dst="acct-m")]
    ids += [w.pay("p-m", sis, 72_000, f"2023-06-{day:02d}T10:00:00", "转账", src="acct-m", dst="acct-sis")
            for day in (8, 15, 22, 29)]
    found = w.flagged("layered_transfer")
    assert found and set(found[0].acts) == set(ids) and found[0].counterparties == [sis]


def test_layering_split_over_weeks_and_joined_again() -> None:
    """Two-step (time): three parts through three strangers, gathered by a fourth over weeks,
    then passed in one sum to the debtor's in-law (the spouse's sister)."""
    w = World()
    w.person("p-wife", "张某")
    w.family("p-wang", "p-wife", "spouse", startDate="2000-01-01")
    w.person("p-sil", "张妹")
    w.account("p-sil", "acct-sil")
    w.family("p-wife", "p-sil", "sibling")
    w.person("p-pool", "周某")
    w.account("p-pool", "acct-pool")
    ids = []
    for i, (day, amount) in enumerate(((1, 62_400), (6, 54_600), (14, 39_000))):
        mid = w.person(f"p-m{i}", f"中间人{i}")
        w.account(mid, f"acct-{mid}")
        ids.append(w.pay("p-wang", mid, amount, f"2023-06-{day:02d}T10:00:00", "往来款", src="acct-wang",
                         dst=f"acct-{mid}"))
        ids.append(w.pay(mid, "p-pool", amount, f"2023-06-{day + 4:02d}T10:00:00", "借款", src=f"acct-{mid}",
                         dst="acct-pool"))
    ids.append(w.pay("p-pool", "p-sil", 156_000, "2023-06-30T10:00:00", "投资款", src="acct-pool", dst="acct-sil"))
    found = w.flagged("layered_transfer")
    assert found and set(found[0].acts) == set(ids) and found[0].counterparties == ["p-sil"]
    assert any(f["factor"] == "split_rejoined" for f in found[0].factors)


# -- fan_out ---------------------------------------------------------------------------

def test_fan_out_just_under_fifty_thousand() -> None:
    w = World()
    ids = []
    for i in range(7):
        w.person(f"p-r{i}", f"收款人{i}")
        w.account(f"p-r{i}", f"acct-r{i}")
        ids.append(w.pay("p-wang", f"p-r{i}", 49_000, f"2023-05-{10 + i // 3:02d}T1{i}:00:00",
                         dst=f"acct-r{i}"))
    found = w.flagged("fan_out")
    assert found and found[0].acts == ids and len(found[0].counterparties) == 7
    assert any(f["factor"] == "just_under_threshold" for f in found[0].factors)


def test_payroll_is_not_fan_out() -> None:
    w = World(debtor_schema="Company")
    for i in range(8):
        w.person(f"p-e{i}", f"员工{i}")
        w.account(f"p-e{i}", f"acct-e{i}")
        w.e(f"emp-{i}", "Employment", employee=f"p-e{i}", employer="p-wang", role="员工")
        w.pay("p-wang", f"p-e{i}", 15_000, "2023-05-10T09:00:00", "代发工资", src="acct-wang", dst=f"acct-e{i}")
    assert not w.flagged("fan_out")


def test_paying_standing_suppliers_is_not_fan_out() -> None:
    """A firm pays its usual suppliers for goods after the notice: listed low, not flagged."""
    w = World(debtor_schema="Company")
    for i in range(6):
        w.company(f"co-s{i}", f"供应商{i}")
        w.account(f"co-s{i}", f"acct-s{i}")
        w.pay("p-wang", f"co-s{i}", 30_000, "2022-06-10T09:00:00", "货款", src="acct-wang", dst=f"acct-s{i}")
        w.pay("p-wang", f"co-s{i}", 30_000, "2023-05-10T09:00:00", "货款", src="acct-wang", dst=f"acct-s{i}")
    found = w.findings(rules=["fan_out"])
    assert found and found[0].score < 0.5


def test_repaying_a_relatives_loan_within_days_is_not_a_related_party_payment() -> None:
    """Look-alike: the sister lent 42,000 and got it back five days later (nets to zero)."""
    w = World()
    sis = _sister(w)
    w.pay(sis, "p-wang", 42_000, "2023-05-01T10:00:00", "借款", src="acct-sis", dst="acct-wang")
    w.pay("p-wang", sis, 42_000, "2023-05-06T10:00:00", "还款", src="acct-wang", dst="acct-sis")
    assert not w.findings(rules=["related_party_payment"], min_score=0.0)


def test_a_round_trip_beside_a_real_transfer_leaves_only_the_transfer() -> None:
    """Look-alike beside a scheme: the sister lent 91,000 and got it back five days later;
    three weeks before, the debtor paid her 60,000 that never came back. The finding names
    the 60,000 alone, at full score (the round trip neither joins nor dilutes it)."""
    w = World()
    sis = _sister(w)
    kept = w.pay("p-wang", sis, 60_000, "2023-04-07T10:00:00", "转账", src="acct-wang", dst="acct-sis")
    w.pay(sis, "p-wang", 91_000, "2023-04-27T10:00:00", "借款", src="acct-sis", dst="acct-wang")
    w.pay("p-wang", sis, 91_000, "2023-05-02T10:00:00", "还款", src="acct-wang", dst="acct-sis")
    found = w.flagged("related_party_payment")
    assert [f.acts for f in found] == [[kept]] and found[0].amount == 60_000
    assert not any(x["factor"] == "round_trip" for x in found[0].factors)


def test_money_sent_back_by_the_sister_nets_out_but_a_smaller_return_does_not() -> None:
    """The other direction: the debtor sends 39,000 and the sister sends it back three days
    later (a round trip); 39,000 answered by 20,000 is no round trip."""
    for back, flagged in ((39_000, False), (20_000, True)):
        w = World()
        sis = _sister(w)
        w.pay("p-wang", sis, 39_000, "2023-05-06T08:00:00", "转账", src="acct-wang", dst="acct-sis")
        w.pay(sis, "p-wang", back, "2023-05-09T08:00:00", "退回", src="acct-sis", dst="acct-wang")
        assert bool(w.flagged("related_party_payment")) == flagged, back


def test_structuring_split_among_relatives_in_one_day() -> None:
    """One-step structuring: the day before a freeze, nine small payments to five relatives
    (each under related_party_payment's per-party minimum)."""
    w = World()
    kin = []
    for i in range(5):
        who = w.person(f"p-k{i}", f"亲属{i}")
        w.account(who, f"acct-k{i}")
        w.family("p-wang", who, "sibling" if i % 2 else "child")
        kin.append(who)
    ids = [w.pay("p-wang", kin[i % 5], 4_000 + 600 * i, f"2023-06-10T{8 + i:02d}:00:00", "转账",
                 src="acct-wang", dst=f"acct-k{i % 5}") for i in range(9)]
    found = w.flagged("fan_out")
    assert found and set(found[0].acts) == set(ids)
    assert any(f["factor"] == "to_related" for f in found[0].factors)


@pytest.mark.parametrize("kin, flagged", [(True, True), (False, False)])
def test_a_smaller_burst_counts_when_split_among_relatives(kin: bool, flagged: bool) -> None:
    """Eight payments of 3,900-9,200 (44,600 in all, under the 50,000 of a burst to strangers)
    the day before a freeze, as 红包, 生活费 and 还款 to relatives: structuring to kin."""
    w = World()
    people = []
    for i in range(5):
        who = w.person(f"p-k{i}", f"收款人{i}")
        w.account(who, f"acct-k{i}")
        if kin:
            w.family("p-wang", who, "sibling" if i % 2 else "child")
        people.append(who)
    amounts = (5_600, 9_200, 4_100, 4_200, 5_900, 7_800, 3_900, 3_900)
    purposes = ("转账", "红包", "还款", "红包", "还款", "红包", "生活费", "红包")
    ids = [w.pay("p-wang", people[i % 5], a, f"2023-06-10T{9 + i:02d}:00:00", why, src="acct-wang",
                 dst=f"acct-k{i % 5}") for i, (a, why) in enumerate(zip(amounts, purposes))]
    found = w.flagged("fan_out")
    assert bool(found) == flagged
    if flagged:
        assert set(found[0].acts) == set(ids)


def test_a_round_trip_on_the_day_of_a_fan_out_is_left_out_of_it() -> None:
    """Look-alike beside a scheme: on the day of a split among relatives the debtor also sends
    a brother 115,000 that he sends back three days later; the fan-out names the split only."""
    w = World()
    kin = []
    for i in range(5):
        who = w.person(f"p-k{i}", f"亲属{i}")
        w.account(who, f"acct-k{i}")
        w.family("p-wang", who, "sibling")
        kin.append(who)
    split = [w.pay("p-wang", kin[i], 9_000 + 500 * i, f"2023-06-10T{8 + i:02d}:00:00", "转账",
                   src="acct-wang", dst=f"acct-k{i}") for i in range(5)]
    w.pay("p-wang", kin[0], 115_000, "2023-06-10T15:00:00", "转账", src="acct-wang", dst="acct-k0")
    w.pay(kin[0], "p-wang", 115_000, "2023-06-13T15:00:00", "退回", src="acct-k0", dst="acct-wang")
    found = w.flagged("fan_out")
    assert [sorted(f.acts) for f in found] == [sorted(split)]


def test_payment_to_a_company_where_the_sister_is_only_legal_representative() -> None:
    """Two-step related party: the sister holds no shares, she is the 法定代表人."""
    w = World()
    sis = _sister(w)
    w.company("co-s", "王妹商贸有限公司")
    w.account("co-s", "acct-co-s")
    w.e("dir-s", "Directorship", director=sis, organization="co-s", role="法定代表人", startDate="2018-01-01")
    pid = w.pay("p-wang", "co-s", 150_000, "2023-05-01T10:00:00", "往来款", src="acct-wang", dst="acct-co-s")
    found = w.flagged("related_party_payment")
    assert found and found[0].acts == [pid] and found[0].counterparties == ["co-s"]


def test_a_trade_cycle_among_firms_is_not_layering() -> None:
    """Look-alike: a firm debtor pays a supplier, whose customers' payments come round to
    the debtor for goods, every hop a firm paying a firm for goods or services."""
    w = World(debtor_schema="Company")
    firms = []
    for i in range(3):
        co = w.company(f"co-t{i}", f"贸易伙伴{i}有限公司")
        w.account(co, f"acct-t{i}")
        firms.append(co)
    route = [("p-wang", "acct-wang")] + [(f, f"acct-t{i}") for i, f in enumerate(firms)] + [("p-wang", "acct-wang")]
    for k, ((a, sa), (b, sb)) in enumerate(zip(route, route[1:])):
        w.pay(a, b, 100_000 - 2_000 * k, f"2023-06-{1 + 2 * k:02d}T10:00:00", ("设备租赁费", "货款", "运费", "材料款")[k],
              src=sa, dst=sb)
    assert not w.flagged("layered_transfer")
