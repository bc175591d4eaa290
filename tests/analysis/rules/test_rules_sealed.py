"""frozen_asset_disposal: a sealed or frozen asset disposed of while the measure holds, inside the
register (a conveyance) or outside it (a private sale seen only in the money trail), with the honest
look-alikes (a sale after the seal was lifted, a court-consented sale whose buyer paid the court)."""
from __future__ import annotations

import pytest

from test_detect_kit import World


@pytest.mark.parametrize("lifted, basis, flagged", [
    (None, "sale", True),              # sold while sealed
    ("2023-05-01", "sale", False),     # sold after the seal was lifted
    (None, "auction", False),          # the court's own auction
])
def test_sealed_asset_disposal(lifted: str | None, basis: str, flagged: bool) -> None:
    w = World()
    asset, old = w.flat(value=800_000)
    sanc = w.sanction("seizure", asset, "2023-04-10", lifted)
    new = w.convey(old, w.person("p-x", "路人甲"), "2023-06-01", basis, 780_000)
    found = w.flagged("frozen_asset_disposal")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [sanc, old, new]
        assert "Criminal Law art. 314" in found[0].legal_basis


def test_a_seized_flat_sold_with_the_buyer_paying_the_court_is_not_a_disposal() -> None:
    """Look-alike: a sale of a sealed asset with the court's consent."""
    w = World()
    asset, old = w.flat(value=800_000)
    w.sanction("seizure", asset, "2023-04-10")
    buyer = w.person("p-x", "路人甲")
    w.account("p-x", "acct-x")
    w.convey(old, buyer, "2023-07-01", "sale", 780_000)
    w.pay("p-x", "pb-court", 780_000, "2023-07-01T10:00:00", "购房款（法院准许变卖）", src="acct-x", dst="acct-court")
    assert not w.flagged("frozen_asset_disposal")


@pytest.mark.parametrize("purpose, flagged", [("川A12345 车款", True), ("货款", False)])
def test_a_sealed_car_sold_privately_is_seen_in_the_money_trail(purpose: str, flagged: bool) -> None:
    """Two-step (outside the register): the seal holds, the register never changes, and a
    buyer pays the debtor money naming the plate."""
    w = World()
    w.e("v-1", "Vehicle", registrationNumber="川A12345", amount="150000")
    w.own("p-wang", "v-1", "2019-01-01")
    sanc = w.sanction("seizure", "v-1", "2023-04-10")
    w.person("p-x", "路人甲")
    w.account("p-x", "acct-x")
    pid = w.pay("p-x", "p-wang", 90_000, "2023-06-01T10:00:00", purpose, src="acct-x", dst="acct-wang")
    found = w.flagged("frozen_asset_disposal")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [sanc, pid] and "私下出卖" in found[0].explanation


@pytest.mark.parametrize("buyer, flagged", [("p-x", True), ("p-sis", False)])
def test_a_sealed_car_sold_privately_with_the_price_paid_to_the_wife(buyer: str, flagged: bool) -> None:
    """The same private sale, the buyer paying the debtor's wife (a stranger's 购车款 naming the
    plate is the sale; the sister paying the wife is money within the family)."""
    w = World()
    w.e("v-1", "Vehicle", registrationNumber="川A12345", amount="150000")
    w.own("p-wang", "v-1", "2019-01-01")
    sanc = w.sanction("seizure", "v-1", "2023-04-10")
    w.person("p-wife", "张某")
    w.account("p-wife", "acct-wife")
    w.family("p-wang", "p-wife", "spouse", startDate="2010-01-01")
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-sis", "p-wang", "sibling")
    w.person("p-x", "路人甲")
    w.account("p-x", "acct-x")
    pid = w.pay(buyer, "p-wife", 90_000, "2023-06-01T10:00:00", "购车款 川A12345",
                src="acct-x" if buyer == "p-x" else "acct-sis", dst="acct-wife")
    found = w.flagged("frozen_asset_disposal")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [sanc, pid]
        assert "路人甲向其配偶张某支付" in found[0].explanation, found[0].explanation
