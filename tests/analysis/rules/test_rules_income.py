"""Income and spending rules, each with a planted case and its nearest honest look-alike:
cash_out, diverted_income, consumption_breach (money rules to related parties: test_rules_money)."""
from __future__ import annotations

import pytest

from test_detect_kit import World


# -- cash_out --------------------------------------------------------------------------

@pytest.mark.parametrize("withdrawals, day, flagged", [
    ([150_000, 150_000, 180_000], "2023-05-01", True),   # 500,000 in, 480,000 out in cash
    ([2_000, 1_500], "2023-05-01", False),               # small ATM withdrawals
    ([150_000, 150_000, 180_000], "2022-05-01", False),  # before the lawsuit
    ([27_000, 39_000, 23_000, 22_000, 37_000], "2023-05-01", True),  # 148,000 in cash over days: under half, over 100,000
    ([27_000, 39_000, 23_000], "2023-05-01", False),     # 89,000: under half and under 100,000
])
def test_cash_out(withdrawals: list[float], day: str, flagged: bool) -> None:
    w = World()
    w.company("co-c", "某客户公司")
    w.account("co-c", "acct-co-c")
    inflow = w.pay("co-c", "p-wang", 500_000, f"{day}T09:00:00", "货款", src="acct-co-c", dst="acct-wang")
    outs = [w.cash(a, f"{day[:8]}{int(day[8:]) + i:02d}T15:00:00") for i, a in enumerate(withdrawals)]
    found = w.flagged("cash_out")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [inflow] + outs and found[0].counterparties == ["p-wang"]


def test_cash_drawn_after_a_later_large_inflow_is_that_inflows() -> None:
    """Rent of 42,600 comes in, six days later 192,000; then 176,000 is drawn in cash. The
    cash is the large inflow's: the rent (an honest lease) is no act of the finding."""
    w = World()
    w.person("p-tenant", "郭某")
    w.account("p-tenant", "acct-tenant")
    w.company("co-c", "某客户公司")
    w.account("co-c", "acct-co-c")
    rent = w.pay("p-tenant", "p-wang", 42_600, "2023-05-10T09:00:00", "房租", src="acct-tenant", dst="acct-wang")
    big = w.pay("co-c", "p-wang", 192_000, "2023-05-16T09:00:00", "货款", src="acct-co-c", dst="acct-wang")
    outs = [w.cash(a, f"2023-05-{d}T15:00:00") for a, d in ((40_000, 16), (30_400, 16), (50_000, 17), (55_600, 18))]
    found = w.flagged("cash_out")
    assert [f.acts for f in found] == [[big] + outs] and rent not in found[0].acts


# -- diverted_income -------------------------------------------------------------------

def _salary_world(to_wife_after: bool, wife_employed: bool, freeze: bool = True) -> tuple[World, list[str], str]:
    w = World()
    w.company("co-e", "某雇主")
    w.account("co-e", "acct-co-e")
    w.e("emp-wang", "Employment", employee="p-wang", employer="co-e", startDate="2020-01-01")
    w.person("p-wife", "张某")
    w.account("p-wife", "acct-wife")
    w.family("p-wang", "p-wife", "spouse", startDate="2010-01-01")
    if wife_employed:
        w.e("emp-wife", "Employment", employee="p-wife", employer="co-e", startDate="2020-01-01")
    sanc = w.sanction("freeze", "acct-wang", "2023-04-10") if freeze else "ev-4"
    for month in range(1, 4):
        w.pay("co-e", "p-wang", 8_000, f"2023-0{month}-15T09:00:00", "工资", src="acct-co-e", dst="acct-wang")
    moved = []
    for month in range(5, 9):
        if to_wife_after:
            moved.append(w.pay("co-e", "p-wife", 8_000, f"2023-0{month}-15T09:00:00", "工资",
                               src="acct-co-e", dst="acct-wife"))
    return w, moved, sanc


def test_diverted_income_to_the_wife_after_the_freeze() -> None:
    w, moved, sanc = _salary_world(to_wife_after=True, wife_employed=False)
    found = w.flagged("diverted_income")
    assert found and found[0].acts == [sanc] + moved and found[0].counterparties == ["p-wife"]


@pytest.mark.parametrize("freeze", [True, False])
def test_the_wifes_own_salary_is_not_diverted_income(freeze: bool) -> None:
    """Look-alike: a relative's own long-standing job at the debtor's employer."""
    w, _, _ = _salary_world(to_wife_after=True, wife_employed=True, freeze=freeze)
    assert not w.flagged("diverted_income")


def test_salary_paid_to_the_wife_after_the_execution_notice_without_a_freeze() -> None:
    """With no freeze, the execution notice anchors the change of payee."""
    w, moved, notice = _salary_world(to_wife_after=True, wife_employed=False, freeze=False)
    found = w.flagged("diverted_income")
    assert found and found[0].acts[1:] == moved and "执行通知" in found[0].explanation
    assert next(e for e in w.ents if e["id"] == found[0].acts[0])["properties"]["name"] == ["execution_notice"]


# -- consumption_breach ----------------------------------------------------------------

def _shops(w: World) -> None:
    for cid, name in (("co-air", "四川航空股份有限公司"), ("co-lux", "成都香格里拉大酒店有限公司"),
                      ("co-bud", "如家酒店连锁管理有限公司"), ("co-rail", "中国铁路成都局集团有限公司")):
        w.company(cid, name)
        w.account(cid, f"acct-{cid}")


@pytest.mark.parametrize("payee, purpose, day, flagged", [
    ("co-air", "机票 成都-北京", "2023-06-01T10:00:00", True),        # a flight after the order
    ("co-lux", "住宿费", "2023-06-01T10:00:00", True),                 # a five-star hotel
    ("co-rail", "高铁 G1234 二等座", "2023-06-01T10:00:00", True),     # any seat on a G-train
    ("co-rail", "动车 D5678 一等座", "2023-06-01T10:00:00", True),     # first class on a D-train
    ("co-rail", "动车 D5678 二等座", "2023-06-01T10:00:00", False),    # second class on a D-train
    ("co-bud", "快捷酒店 住宿费", "2023-06-01T10:00:00", False),       # a budget hotel
    ("co-air", "机票 成都-北京", "2023-04-01T10:00:00", False),        # a flight before the order
])
def test_consumption_breach(payee: str, purpose: str, day: str, flagged: bool) -> None:
    w = World()
    _shops(w)
    sanc = w.sanction("consumption_restriction", "p-wang", "2023-05-01")
    pid = w.pay("p-wang", payee, 1_200, day, purpose, dst=f"acct-{payee}")
    found = w.flagged("consumption_breach")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [sanc, pid] and found[0].counterparties == [payee]


def test_a_company_debtors_legal_representative_is_bound_too() -> None:
    w = World(debtor_schema="Company")
    _shops(w)
    w.person("p-boss", "王老板")
    w.account("p-boss", "acct-boss")
    w.e("dir-1", "Directorship", director="p-boss", organization="p-wang", role="法定代表人")
    w.sanction("consumption_restriction", "p-wang", "2023-05-01")
    w.pay("p-boss", "co-air", 2_000, "2023-06-01T10:00:00", "机票", src="acct-boss", dst="acct-co-air")
    found = w.flagged("consumption_breach")
    assert found and found[0].actor == "p-boss"


@pytest.mark.parametrize("purpose, flagged", [
    ("机票 乘机人王某", True),     # two-step: the sister pays the debtor's flight
    ("机票 乘机人王妹", False),    # look-alike: the sister's own flight
])
def test_someone_else_pays_the_restricted_debtors_ticket(purpose: str, flagged: bool) -> None:
    """domain.md section 7: a relative pays the restricted debtor's flight (the booking
    names him) is a breach; the relative's own travel is not."""
    w = World()
    _shops(w)
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-wang", "p-sis", "sibling")
    sanc = w.sanction("consumption_restriction", "p-wang", "2023-05-01")
    pid = w.pay("p-sis", "co-air", 1_800, "2023-06-01T10:00:00", purpose, src="acct-sis", dst="acct-co-air")
    found = w.flagged("consumption_breach")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [sanc, pid] and found[0].actor == "p-wang"
        assert any(f["factor"] == "paid_by_other" for f in found[0].factors)


def test_the_debtors_money_into_a_strangers_alipay_after_the_freeze() -> None:
    """Paid to the debtor by name, but into an account someone else holds."""
    w = World()
    w.company("co-c", "某客户")
    w.account("co-c", "acct-co-c")
    w.person("p-x", "支付宝-某")
    w.account("p-x", "acct-alipay-x", accountType="alipay")
    sanc = w.sanction("freeze", "acct-wang", "2023-04-10")
    pid = w.pay("co-c", "p-wang", 40_000, "2023-05-01T09:00:00", "货款", src="acct-co-c", dst="acct-alipay-x")
    found = w.flagged("diverted_income")
    assert found and found[0].acts == [sanc, pid] and found[0].counterparties == ["p-x"]


def _customer_and_wifes_brother() -> World:
    """The debtor's customer co-c, the wife, and the wife's brother p-bro (an in-law)."""
    w = World()
    w.company("co-c", "某客户")
    w.account("co-c", "acct-co-c")
    w.person("p-wife", "张某")
    w.family("p-wang", "p-wife", "spouse", startDate="2010-01-01")
    w.person("p-bro", "张兄")
    w.account("p-bro", "acct-bro")
    w.family("p-wife", "p-bro", "sibling")
    return w


def test_customers_pay_an_in_laws_account_after_the_execution_notice() -> None:
    """Two-step (someone else's account, an in-law): the debtor's regular customer pays the
    wife's brother instead of the debtor once the execution notice is served."""
    w = _customer_and_wifes_brother()
    for month in (1, 2, 3):
        w.pay("co-c", "p-wang", 20_000, f"2023-0{month}-20T09:00:00", "货款", src="acct-co-c", dst="acct-wang")
    moved = [w.pay("co-c", "p-bro", 20_000, f"2023-0{m}-20T09:00:00", "货款", src="acct-co-c", dst="acct-bro")
             for m in (5, 6, 7)]
    found = w.flagged("diverted_income")
    assert found and found[0].acts[1:] == moved and found[0].counterparties == ["p-bro"]


@pytest.mark.parametrize("before, after, flagged", [
    ("货款", "货款", True),        # a customer who bought once, then pays the in-law for goods
    ("货款", "工资", False),       # the in-law's own pay, not the debtor's income
    ("借款", "货款", False),       # the firm lent the debtor money once: not a customer
])
def test_a_customer_who_paid_once_then_pays_the_in_law(before: str, after: str, flagged: bool) -> None:
    """Two-step, one payment of history: the customer bought from the debtor once before the
    execution notice; after it, the same customer pays the wife's brother for goods."""
    w = _customer_and_wifes_brother()
    w.pay("co-c", "p-wang", 56_300, "2023-02-14T09:00:00", before, src="acct-co-c", dst="acct-wang")
    moved = [w.pay("co-c", "p-bro", 30_000 + m * 1000, f"2023-0{m}-20T09:00:00", after, src="acct-co-c",
                   dst="acct-bro") for m in (5, 6, 7)]
    found = w.flagged("diverted_income")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts[1:] == moved and found[0].counterparties == ["p-bro"]


def test_a_loan_from_a_stranger_repaid_out_of_a_frozen_account_is_a_pass_through() -> None:
    """Look-alike: an unrelated lender's money comes in and goes back within days."""
    w = World()
    w.sanction("freeze", "acct-wang", "2023-04-10")
    w.person("p-x", "路人甲")
    w.account("p-x", "acct-x")
    w.pay("p-x", "p-wang", 50_000, "2023-06-01T10:00:00", "借款", src="acct-x", dst="acct-wang")
    w.pay("p-wang", "p-x", 50_000, "2023-06-04T10:00:00", "还款", src="acct-wang", dst="acct-x")
    assert not w.flagged("frozen_asset_disposal")


def test_a_loan_repaid_within_days_is_not_the_inflow_behind_cash_withdrawals() -> None:
    """Look-alike: a stranger lends 350,000 and is repaid 350,800 four days later; cash the
    debtor withdraws in the same weeks did not come from that loan. An inflow that is not
    paid back still stands behind the cash."""
    for repaid, flagged in ((350_800, False), (None, True)):
        w = World()
        w.person("p-x", "路人甲")
        w.account("p-x", "acct-x")
        w.pay("p-x", "p-wang", 350_000, "2023-05-10T12:00:00", "借款", src="acct-x", dst="acct-wang")
        if repaid:
            w.pay("p-wang", "p-x", repaid, "2023-05-14T16:00:00", "还借款本息", src="acct-wang", dst="acct-x")
        for i, a in enumerate((90_000, 60_000, 50_000)):
            w.cash(a, f"2023-05-{15 + i}T15:00:00")
        assert bool(w.flagged("cash_out")) == flagged, repaid
