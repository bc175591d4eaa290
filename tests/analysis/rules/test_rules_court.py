"""Rules around court papers: assistance notices, sham suits, frozen accounts."""
from __future__ import annotations

import pytest

from test_detect_kit import World


# -- assisting_unit_payment ------------------------------------------------------------

def _employer(w: World) -> str:
    w.company("co-e", "某雇主")
    w.account("co-e", "acct-co-e")
    w.e("ccp-e", "CourtCaseParty", party="co-e", case="c-1", role="assisting_unit")
    return w.event("assistance_notice", "2023-05-10", involved=["co-e", "p-wang"])


@pytest.mark.parametrize("days, score_at_least, score_below", [
    (["2023-05-15", "2023-06-15", "2023-07-15"], 0.85, 1.01),  # salary after the notice day
    (["2023-05-10"], 0.0, 0.5),                                # on the notice day: ambiguous
])
def test_assisting_unit_payment(days: list[str], score_at_least: float, score_below: float) -> None:
    w = World()
    notice = _employer(w)
    ids = [w.pay("co-e", "p-wang", 8_000, f"{d}T09:00:00", "工资", src="acct-co-e", dst="acct-wang") for d in days]
    found = w.findings(rules=["assisting_unit_payment"])
    assert len(found) == 1
    f = found[0]
    assert f.acts == [notice] + ids and f.actor == "co-e" and f.subject == "p-wang"
    assert score_at_least <= f.score < score_below
    assert "Civil Procedure Law art. 117" in f.legal_basis


def test_withholding_for_the_court_is_not_defiance() -> None:
    w = World()
    _employer(w)
    w.pay("co-e", "p-wang", 8_000, "2023-04-15T09:00:00", "工资", src="acct-co-e", dst="acct-wang")
    w.pay("co-e", "pb-court", 4_000, "2023-05-15T09:00:00", "协助执行扣划", src="acct-co-e", dst="acct-court")
    assert not w.findings(rules=["assisting_unit_payment"])


# -- sham_litigation -------------------------------------------------------------------

def _suit(w: World, plaintiff: str, filed: str, effective: str, note: str = "调解结案") -> list[str]:
    case = w.e("c-2", "CourtCase", caseNumber="(2023)川3338民初9号", court="得荣县人民法院",
               fileDate=filed, description=note)
    party = w.e("ccp-2a", "CourtCaseParty", party=plaintiff, case="c-2", role="applicant")
    w.e("ccp-2d", "CourtCaseParty", party="p-wang", case="c-2", role="debtor")
    debt = w.e("debt-2", "Debt", debtor="p-wang", creditor=plaintiff, amount="500000", date=effective,
               summary="(2023)川3338民初9号")
    return [case, debt, party]


@pytest.mark.parametrize("plaintiff, filed, effective, flagged", [
    ("sister", "2023-01-25", "2023-02-10", True),   # 15 days after the creditor's suit, a mediation
    ("bank", "2023-01-25", "2023-02-10", False),    # an unrelated creditor
    ("sister", "2020-03-01", "2020-06-01", False),  # years before the creditor's suit
])
def test_sham_litigation(plaintiff: str, filed: str, effective: str, flagged: bool) -> None:
    w = World()
    if plaintiff == "sister":
        who = w.person("p-sis", "王妹")
        w.family("p-wang", who, "sibling")
    else:
        who = w.company("co-bank", "某银行支行")
    acts = _suit(w, who, filed, effective)
    found = w.flagged("sham_litigation")
    assert bool(found) == flagged
    if flagged:
        f = found[0]
        assert f.acts == acts and f.actor == who and f.case == "c-1"
        assert "Criminal Law art. 307-1" in f.legal_basis and f.score >= 0.75
    # the sham case never anchors a duty of its own: no double findings under c-2
    assert all(f.case != "c-2" for f in w.findings())


@pytest.mark.parametrize("filed, effective, note, lent", [
    ("2023-06-20", "2023-11-30", "判决", None),          # months later, after a normal trial
    ("2023-01-25", "2023-02-10", "调解结案", "2019-05-10"),  # the loan flowed years before
])
def test_relatives_genuine_suit_stays_under_the_threshold(filed: str, effective: str, note: str,
                                                          lent: str | None) -> None:
    """Look-alike (domain.md section 7): a relative's suit whose lent money flowed to the
    debtor years before, or that ended in a judgment after a normal trial."""
    w = World()
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-wang", "p-sis", "sibling")
    _suit(w, "p-sis", filed, effective, note)
    if lent:
        w.pay("p-sis", "p-wang", 500_000, lent, "借款", src="acct-sis", dst="acct-wang")
    assert not w.flagged("sham_litigation")
    assert w.findings(rules=["sham_litigation"])  # still shown below the threshold


def test_a_payment_to_the_sham_plaintiff_is_not_discounted_as_paying_the_creditor() -> None:
    w = World()
    w.person("p-sis", "王妹")
    w.account("p-sis", "acct-sis")
    w.family("p-wang", "p-sis", "sibling")
    _suit(w, "p-sis", "2023-01-25", "2023-02-10")
    w.pay("p-wang", "p-sis", 200_000, "2023-03-10T10:00:00", "还款", dst="acct-sis")
    found = w.flagged("related_party_payment")
    assert found and not any(f["factor"] == "paid_creditor" for f in found[0].factors)


# -- frozen_asset_disposal (frozen account) --------------------------------------------

@pytest.mark.parametrize("lifted, to_court, flagged", [
    (None, False, True),            # money leaves a frozen account
    ("2023-05-01", False, False),   # after the freeze was lifted
    (None, True, False),            # the bank remits to the court
])
def test_frozen_account_pays_out(lifted: str | None, to_court: bool, flagged: bool) -> None:
    w = World()
    sanc = w.sanction("freeze", "acct-wang", "2023-04-10", lifted)
    w.person("p-x", "路人甲")
    w.account("p-x", "acct-x")
    if to_court:
        ids = [w.pay("p-wang", "pb-court", 30_000, "2023-06-01T10:00:00", "扣划", dst="acct-court")]
    else:
        ids = [w.pay("p-wang", "p-x", 30_000, f"2023-06-0{i + 1}T10:00:00", dst="acct-x") for i in range(3)]
    found = w.flagged("frozen_asset_disposal")
    assert bool(found) == flagged
    if flagged:
        assert found[0].acts == [sanc] + ids and "Civil Procedure Law art. 114(3)" in found[0].legal_basis


def test_a_sham_suit_is_dated_by_its_first_act_not_by_its_service() -> None:
    """The suit was served on the debtor before the court's file date: the finding's date is
    that of its first act (docs/interchange.md), the filing, not the service (no act of it)."""
    w = World()
    who = w.person("p-sis", "王妹")
    w.family("p-wang", who, "sibling")
    _suit(w, who, "2023-01-25", "2023-02-10")
    w.e("ev-2", "Event", name="lawsuit_served", date="2023-01-20", involved=["p-wang"],
        summary="(2023)川3338民初9号")
    found = w.flagged("sham_litigation")
    assert found and found[0].date == "2023-01-25"


def test_a_sham_suit_with_trial_roles_is_found_too() -> None:
    """The relative's suit names the parties as plaintiff (原告) and defendant (被告)."""
    w = World()
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    w.e("c-2", "CourtCase", caseNumber="(2023)川3338民初9号", fileDate="2023-01-20", description="调解结案")
    party = w.e("ccp-2a", "CourtCaseParty", party="p-sis", case="c-2", role="原告")
    w.e("ccp-2d", "CourtCaseParty", party="p-wang", case="c-2", role="被告")
    found = w.flagged("sham_litigation")
    assert found and found[0].acts == ["c-2", party] and found[0].actor == "p-sis"


def test_a_sham_debt_without_its_case() -> None:
    """A debt to the sister, established weeks after the creditor's suit, with no case of its own."""
    w = World()
    w.person("p-sis", "王妹")
    w.family("p-wang", "p-sis", "sibling")
    debt = w.e("debt-s", "Debt", debtor="p-wang", creditor="p-sis", amount="600000", date="2023-02-15",
               summary="(2023)川3338民初77号")
    found = w.flagged("sham_litigation")
    assert found and found[0].acts == [debt] and found[0].actor == "p-sis"
    w2 = World()  # the same debt years before the suit
    w2.person("p-sis", "王妹")
    w2.family("p-wang", "p-sis", "sibling")
    w2.e("debt-s", "Debt", debtor="p-wang", creditor="p-sis", amount="600000", date="2020-02-15")
    assert not w2.flagged("sham_litigation")
