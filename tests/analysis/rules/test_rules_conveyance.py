"""Conveyance rules, each with a planted case and its nearest honest look-alike.

Timeline of the test world (test_detect_kit.World): notice to respond 2023-01-10,
judgment effective 2023-03-01, execution notice 2023-04-05.
"""
from __future__ import annotations

import pytest

from test_detect_kit import World


def _with_sister(w: World) -> str:
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    return "p-sis"


# -- undervalue_sale -------------------------------------------------------------------

@pytest.mark.parametrize("buyer, price, day, flagged", [
    ("sister", 300_000, "2023-05-10", True),     # kin, 37.5% of value, after the judgment
    ("sister", 680_000, "2023-05-10", True),     # kin, 85%: no safe harbour, lower score
    ("sister", 780_000, "2023-05-10", False),    # kin, 97.5%: a fair price
    ("stranger", 760_000, "2023-05-10", False),  # stranger, 95%: an ordinary sale
    ("sister", 300_000, "2022-06-01", False),    # before the lawsuit: no duty yet
])
def test_undervalue_sale(buyer: str, price: float, day: str, flagged: bool) -> None:
    w = World()
    who = _with_sister(w) if buyer == "sister" else w.person("p-x", "路人甲")
    _, old = w.flat(value=800_000)
    new = w.convey(old, who, day, "sale", price)
    found = w.flagged("undervalue_sale")
    assert bool(found) == flagged
    if flagged:
        f = found[0]
        assert f.acts == [old, new] and f.counterparties == [who] and f.subject == "p-wang"
        assert "SPC 2023 Contract Interpretation art. 42" in f.legal_basis
        assert "Civil Code art. 539" in f.legal_basis and f.revocation is not None
        assert f.amount == 800_000


def test_kin_above_seventy_percent_scores_below_a_deep_discount() -> None:
    scores = []
    for price in (300_000, 680_000):
        w = World()
        _, old = w.flat(value=800_000)
        w.convey(old, _with_sister(w), "2023-05-10", "sale", price)
        scores.append(w.flagged("undervalue_sale")[0].score)
    assert scores[0] > scores[1] >= 0.5
    w = World()
    _, old = w.flat(value=800_000)
    w.convey(old, _with_sister(w), "2023-05-10", "sale", 680_000)
    assert any(f["factor"] == "kin_no_safe_harbour" for f in w.flagged("undervalue_sale")[0].factors)


def test_a_sale_between_notice_and_judgment_counts_under_art_6_with_a_lower_score() -> None:
    w = World()
    _, old = w.flat(value=800_000)
    w.convey(old, _with_sister(w), "2023-02-01", "sale", 200_000)
    f = w.flagged("undervalue_sale")[0]
    assert any(x["factor"] == "before_effective" for x in f.factors)
    assert "SPC-SPP 2024 Interpretation (Fa Shi [2024] No. 13) art. 6" in f.legal_basis


# -- gratuitous_transfer ---------------------------------------------------------------

@pytest.mark.parametrize("day, flagged", [
    ("2023-06-01", True),   # a gift to the sister after the judgment
    ("2020-06-01", False),  # the same gift years before the lawsuit
])
def test_gratuitous_transfer(day: str, flagged: bool) -> None:
    w = World()
    _, old = w.flat()
    new = w.convey(old, _with_sister(w), day, "gift")
    found = w.flagged("gratuitous_transfer")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [old, new] and "Civil Code art. 538" in found[0].legal_basis
        assert found[0].score >= 0.8


# -- nominal_equity_transfer -----------------------------------------------------------

@pytest.mark.parametrize("price, related, flagged", [
    (1, True, True),            # 1 yuan for a 60% stake to a cousin-like relative
    (0, False, True),           # 0 yuan to a stranger (a possible nominee)
    (600_000, True, False),     # the fair price: 60% x 1,000,000
])
def test_nominal_equity_transfer(price: float, related: bool, flagged: bool) -> None:
    w = World()
    w.company("co-1", "王氏商贸有限公司", capital=1_000_000)
    old = w.own("p-wang", "co-1", percentage="60")
    buyer = _with_sister(w) if related else w.person("p-x", "路人甲")
    new = w.convey(old, buyer, "2023-06-01", "sale", price)
    found = w.flagged("nominal_equity_transfer")
    assert bool(found) == flagged
    assert not w.flagged("undervalue_sale")
    if flagged:
        assert found[0].acts == [old, new] and found[0].amount == 600_000


# -- sham_divorce ----------------------------------------------------------------------

@pytest.mark.parametrize("divorce, flagged", [
    ("2023-02-20", True),   # 41 days after the notice to respond, the flat to the wife
    ("2019-05-01", False),  # a divorce years before the lawsuit
])
def test_sham_divorce(divorce: str, flagged: bool) -> None:
    w = World()
    w.person("p-wife", "张某")
    fam = w.family("p-wang", "p-wife", "spouse", startDate="2010-01-01", endDate=divorce)
    _, old = w.flat()
    new = w.convey(old, "p-wife", divorce, "divorce")
    found = w.flagged("sham_divorce")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [fam, old, new] and found[0].counterparties == ["p-wife"]
        assert "SPC 2025 Marriage and Family Interpretation (II) art. 3" in found[0].legal_basis


def test_a_balanced_divorce_after_the_suit_is_not_flagged() -> None:
    w = World()
    w.person("p-wife", "张某")
    w.family("p-wang", "p-wife", "spouse", startDate="2010-01-01", endDate="2023-06-01")
    _, mine = w.flat("re-1", 800_000)
    _, hers = w.flat("re-2", 750_000, owner="p-wife")
    w.convey(mine, "p-wife", "2023-06-01", "divorce")
    w.convey(hers, "p-wang", "2023-06-01", "divorce")
    assert not w.flagged("sham_divorce")
    assert [f.rule for f in w.findings()] == ["sham_divorce"]  # still listed, below 0.5


# -- cheap_lease -----------------------------------------------------------------------

@pytest.mark.parametrize("lessee, rent, years, flagged", [
    ("sister", 1_000, 10, True),     # 1,000 a year for 10 years (the 洪湖 case)
    ("stranger", 16_000, 2, False),  # market rent: 800,000 x 2% = 16,000
    ("stranger", 15_000, 5, False),  # 94% of market rent
    ("stranger", 12_000, 3, False),  # look-alike: a stranger somewhat under market (75%)
    ("sister", 16_000, 3, False),    # look-alike: a relative at market rent
])
def test_cheap_lease(lessee: str, rent: float, years: int, flagged: bool) -> None:
    w = World()
    asset, _ = w.flat(value=800_000)
    who = _with_sister(w) if lessee == "sister" else w.person("p-x", "租客")
    lease = w.own(who, asset, "2023-06-01", endDate=f"{2023 + years}-06-01", legalBasis="lease",
                  ownershipType="lease", sharesValue=str(rent))
    found = w.flagged("cheap_lease")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [lease] and "SPC 2023 Contract Interpretation art. 43" in found[0].legal_basis


def test_cheap_lease_reads_the_yield_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from debtorgraph.config import reload_settings

    w = World()
    asset, _ = w.flat(value=800_000)
    w.own(w.person("p-x", "租客"), asset, "2023-06-01", endDate="2025-06-01", legalBasis="lease",
          ownershipType="lease", sharesValue="16000")
    assert not w.findings(rules=["cheap_lease"])
    monkeypatch.setenv("DEBTORGRAPH_LEASE_YIELD", "0.05")  # market rent 40,000: 16,000 is 40%
    reload_settings()
    found = w.findings(rules=["cheap_lease"])
    assert len(found) == 1 and "40,000" in found[0].explanation and "5.0%" in found[0].explanation
    assert found[0].score < 0.5  # a stranger on a 2-year lease: listed, below the threshold


# -- unreported_property ---------------------------------------------------------------

@pytest.mark.parametrize("sold, price, basis, sealed_before, lead", [
    (None, None, None, False, True),                # held the flat through the look-back year
    ("2022-10-01", 300_000, "sale", False, True),   # sold cheaply within the look-back year
    ("2022-10-01", 800_000, "sale", False, False),  # look-alike: market sale to a stranger
    ("2022-10-01", 500_000, "auction", False, False),  # look-alike: the court's auction
    ("2021-10-01", 300_000, "sale", False, False),  # sold before the look-back year began
    (None, None, None, True, False),                # the court had sealed it before the order
])
def test_unreported_property_is_a_lead(sold: str | None, price: float | None, basis: str | None,
                                       sealed_before: bool, lead: bool) -> None:
    """domain.md section 7: without the debtor's property report in the data, an asset held
    or given up in the look-back year is a lead to check, never a finding; a disposal at
    market value to a stranger or by the court is not even a lead."""
    w = World()
    order = w.event("property_report_order", "2023-04-05")
    asset, old = w.flat()
    if sold:
        w.convey(old, w.person("p-x", "路人甲"), sold, basis, price)
    if sealed_before:
        w.sanction("seizure", asset, "2023-04-02")
    assert not w.flagged("unreported_property")
    found = w.leads("unreported_property")
    assert bool(found) == lead
    if lead:
        assert found[0].acts == [order, old]
        assert found[0].score < 0.5 and found[0].lead["confirm"]
        assert "Civil Procedure Law art. 252" in found[0].legal_basis


def test_no_order_no_unreported_property() -> None:
    w = World()
    w.flat()
    assert not w.findings(rules=["unreported_property"])


def test_a_divorce_settlement_without_the_marriage_end_date() -> None:
    """The register shows the flat going to the wife 'by divorce'; the marriage record has no end."""
    w = World()
    w.person("p-wife", "张某")
    fam = w.family("p-wang", "p-wife", "配偶", startDate="2010-01-01")
    _, old = w.flat()
    new = w.convey(old, "p-wife", "2023-02-20", "divorce")
    found = w.flagged("sham_divorce")
    assert found and found[0].acts == [fam, old, new] and found[0].date == "2023-02-20"


# -- the consideration followed on (rules/consideration.py, domain.md section 7) ---------

def test_a_strangers_purchase_at_65_percent_is_flagged() -> None:
    """One-step: a sale to a stranger well under 70% of value (CG art. 42), price paid."""
    w = World()
    _, old = w.flat(value=800_000)
    buyer = w.person("p-x", "路人甲")
    w.account("p-x", "acct-x")
    new = w.convey(old, buyer, "2023-06-01", "sale", 520_000)
    w.pay("p-x", "p-wang", 520_000, "2023-06-01T10:00:00", "购房款", src="acct-x", dst="acct-wang")
    found = w.flagged("undervalue_sale")
    assert found and found[0].acts[:2] == [old, new]


def test_a_fair_looking_sale_whose_price_went_back_to_the_buyer_is_flagged() -> None:
    """Two-step (time): 95% on paper, 300,000 paid back to the buyer a week later."""
    w = World()
    _, old = w.flat(value=800_000)
    buyer = w.person("p-x", "路人甲")
    w.account("p-x", "acct-x")
    w.convey(old, buyer, "2023-06-01", "sale", 760_000)
    w.pay("p-x", "p-wang", 760_000, "2023-06-01T10:00:00", "购房款", src="acct-x", dst="acct-wang")
    back = w.pay("p-wang", "p-x", 300_000, "2023-06-08T10:00:00", "往来款", src="acct-wang", dst="acct-x")
    found = w.flagged("undervalue_sale")
    assert found and back in found[0].acts
    assert "付回买受人" in found[0].explanation


def test_a_loan_from_the_buyer_repaid_within_days_is_not_the_price_paid_back() -> None:
    """Look-alike beside a scheme: the flat went to the sister at 69% (a finding); two months
    later she lent the debtor 109,000 and got it back three days after. The repayment is a
    round trip, not part of the price paid back: the finding names the deal alone."""
    w = World()
    _, old = w.flat(value=800_000)
    sis = _with_sister(w)
    w.account("p-sis", "acct-sis")
    deal = w.convey(old, sis, "2023-06-01", "sale", 552_000)
    w.pay("p-sis", "p-wang", 552_000, "2023-06-01T10:00:00", "购房款", src="acct-sis", dst="acct-wang")
    w.pay("p-sis", "p-wang", 109_000, "2023-08-12T19:00:00", "借款", src="acct-sis", dst="acct-wang")
    w.pay("p-wang", "p-sis", 109_000, "2023-08-15T11:00:00", "还款", src="acct-wang", dst="acct-sis")
    found = w.flagged("undervalue_sale")
    assert [f.acts for f in found] == [[old, deal]]
    assert not any(x["factor"] == "price_paid_back" for x in found[0].factors)


def test_a_kin_sale_never_paid_is_flagged_where_the_statements_cover_it() -> None:
    """Two-step (relative's spouse): a sale on paper at 95%, no payment while the debtor's
    statements show other money moving."""
    w = World()
    _, old = w.flat(value=800_000)
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    w.person("p-bil", "赵某")
    w.family("p-sis", "p-bil", "spouse", startDate="2010-01-01")
    w.convey(old, "p-bil", "2023-06-01", "sale", 760_000)
    w.person("p-x", "路人甲")
    w.pay("p-wang", "p-x", 3_000, "2023-06-10T10:00:00", "生活费")
    found = w.flagged("undervalue_sale")
    assert found and any(f["factor"] == "price_never_paid" for f in found[0].factors)


def test_a_kin_sale_whose_price_went_to_the_court_is_not_flagged() -> None:
    """Look-alike: sold to the sister at 80%, the whole price paid on to the court in days."""
    w = World()
    _, old = w.flat(value=800_000)
    w.convey(old, _with_sister(w), "2023-06-01", "sale", 640_000)
    w.account("p-sis", "acct-sis")
    w.pay("p-sis", "p-wang", 640_000, "2023-06-01T10:00:00", "购房款", src="acct-sis", dst="acct-wang")
    w.pay("p-wang", "pb-court", 640_000, "2023-06-05T10:00:00", "执行款", src="acct-wang", dst="acct-court")
    assert not w.flagged("undervalue_sale")
    f = w.findings(rules=["undervalue_sale"])[0]
    assert any(x["factor"] == "paid_to_court" for x in f.factors)


def test_the_flats_price_passed_to_the_court_does_not_clear_a_car_sold_to_her_too() -> None:
    """Look-alike beside a scheme: the flat's whole price went to the court (cleared), and a
    week later the car went to the same sister at 246,000, never paid. The flat's price
    is that deal's, not the car's: the car is flagged."""
    w = World()
    _, old_flat = w.flat(value=800_000)
    sis = _with_sister(w)
    w.account("p-sis", "acct-sis")
    w.e("v-car", "Vehicle", registrationNumber="川A12345", amount="280000", currency="CNY")
    old_car = w.own("p-wang", "v-car", percentage="100")
    flat = w.convey(old_flat, sis, "2023-06-01", "sale", 640_000)
    car = w.convey(old_car, sis, "2023-06-08", "sale", 246_000)
    w.pay("p-sis", "p-wang", 640_000, "2023-06-01T10:00:00", "购房款", src="acct-sis", dst="acct-wang")
    w.pay("p-wang", "pb-court", 640_000, "2023-06-02T10:00:00", "执行款", src="acct-wang", dst="acct-court")
    found = w.flagged("undervalue_sale")
    assert [f.acts[-1] for f in found] == [car] and flat not in found[0].acts


def test_divorce_where_the_former_wife_paid_the_debtors_share_to_the_court() -> None:
    """Look-alike: she keeps the flat and pays his half of its value into the court's account."""
    w = World()
    w.person("p-wife", "张某")
    w.account("p-wife", "acct-wife")
    w.family("p-wang", "p-wife", "spouse", startDate="2010-01-01", endDate="2023-02-20")
    _, old = w.flat(value=800_000)
    w.convey(old, "p-wife", "2023-02-20", "divorce")
    w.pay("p-wife", "pb-court", 400_000, "2023-03-20T10:00:00", "代付执行款", src="acct-wife", dst="acct-court")
    assert not w.flagged("sham_divorce")
    f = w.findings(rules=["sham_divorce"])[0]
    assert any(x["factor"] == "paid_to_court" for x in f.factors)


def test_divorce_whose_flat_the_former_wife_passed_on_to_her_brother() -> None:
    """Two-step (in-law): the flat goes to the wife at the divorce, then to her brother."""
    w = World()
    w.person("p-wife", "张某")
    w.family("p-wang", "p-wife", "spouse", startDate="2010-01-01", endDate="2023-02-20")
    w.person("p-bro", "张兄")
    w.family("p-wife", "p-bro", "sibling")
    _, old = w.flat(value=800_000)
    new = w.convey(old, "p-wife", "2023-02-20", "divorce")
    third = w.convey(new, "p-bro", "2023-05-01", "gift")
    found = w.flagged("sham_divorce")
    assert found and third in found[0].acts
    assert any(x["factor"] == "passed_on" for x in found[0].factors)


def test_gift_to_a_company_two_levels_down_the_ownership_chain() -> None:
    """Two-step related party: the debtor owns 80% of A, A owns 60% of B (48% through the
    chain); the flat is given to B."""
    w = World()
    w.company("co-a", "甲控股有限公司", capital=1_000_000)
    w.company("co-b", "乙实业有限公司", capital=1_000_000)
    w.own("p-wang", "co-a", percentage="80")
    w.own("co-a", "co-b", percentage="60")
    _, old = w.flat()
    new = w.convey(old, "co-b", "2023-06-01", "gift")
    found = w.flagged("gratuitous_transfer")
    assert found and found[0].acts == [old, new]
    assert any(f["factor"] == "related_recipient" for f in found[0].factors)

