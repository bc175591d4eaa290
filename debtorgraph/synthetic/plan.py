"""Which debtor gets which planted scheme or honest look-alike.

Every rule is planted and imitated at least once (given enough debtors), on different
debtors where possible, never twice on one debtor, and never in combinations that would
spoil each other's truth (a debtor who must hold no asset cannot also sell one).
"""
from __future__ import annotations

import logging
import random

from debtorgraph.synthetic import schemes_assets as sa
from debtorgraph.synthetic import schemes_court as sc
from debtorgraph.synthetic import schemes_money as sm

log = logging.getLogger(__name__)

# rule name -> planting function(net, honest) -> Truth; the detector uses the same names
SCHEMES = {
    "undervalue_sale": sa.undervalue_sale,
    "gratuitous_transfer": sa.gratuitous_transfer,
    "related_party_payment": sm.related_party_payment,
    "nominal_equity_transfer": sa.nominal_equity_transfer,
    "sham_divorce": sa.sham_divorce,
    "layered_transfer": sm.layered_transfer,
    "fan_out": sm.fan_out,
    "cash_out": sm.cash_out,
    "assisting_unit_payment": sc.assisting_unit_payment,
    "frozen_asset_disposal": sa.frozen_asset_disposal,
    "diverted_income": sm.diverted_income,
    "cheap_lease": sa.cheap_lease,
    "sham_litigation": sc.sham_litigation,
    "consumption_breach": sm.consumption_breach,
    "unreported_property": sa.unreported_property,
}
RULES = tuple(SCHEMES)

# rules a company debtor can carry (both ways), and the look-alike only a company can carry
COMPANY_RULES = frozenset({"fan_out", "layered_transfer", "cash_out", "frozen_asset_disposal",
                           "unreported_property", "related_party_payment", "undervalue_sale"})
COMPANY_ONLY_HONEST = frozenset({"fan_out"})
# rules that give the debtor a titled asset or a stake during the report look-back year
HOLDING_RULES = frozenset({"undervalue_sale", "gratuitous_transfer", "nominal_equity_transfer",
                           "sham_divorce", "cheap_lease", "frozen_asset_disposal",
                           "unreported_property", "layered_transfer"})
# rules that cannot share a debtor: one marriage to end or keep, one salary stream to plant
EXCLUSIVE = (frozenset({"sham_divorce", "diverted_income"}),
             frozenset({"assisting_unit_payment", "diverted_income"}))
# freezes first (later schemes then pay from accounts that are not frozen)
ORDER = ("diverted_income", "frozen_asset_disposal") + tuple(
    r for r in RULES if r not in ("diverted_income", "frozen_asset_disposal"))

Item = tuple[str, bool]
ATTEMPTS = 30


def _fits(item: Item, kind: str, load: list[Item]) -> bool:
    rule, honest = item
    if any(r == rule for r, _ in load):
        return False
    if kind == "company" and rule not in COMPANY_RULES:
        return False
    if kind == "person" and honest and rule in COMPANY_ONLY_HONEST:
        return False
    if any(rule in group and any(r in group for r, _ in load) for group in EXCLUSIVE):
        return False
    no_assets = any(r == "unreported_property" and h for r, h in load)
    if no_assets and rule in HOLDING_RULES:
        return False
    if item == ("unreported_property", True) and any(r in HOLDING_RULES for r, _ in load):
        return False
    return True


def _rank(item: Item) -> int:
    rule, honest = item
    if honest and rule in COMPANY_ONLY_HONEST:
        return 0
    if item == ("unreported_property", True):
        return 1
    if any(rule in group for group in EXCLUSIVE):
        return 2
    return 3 if rule in COMPANY_RULES else 4


def plan_debtors(rng: random.Random, debtors: int) -> tuple[list[str], list[list[Item]]]:
    """Return each debtor's kind (``person`` or ``company``) and its schemes.

    Parameters
    ----------
    rng : random.Random
        The generator's random source.
    debtors : int
        Number of debtors in the caseload.

    Returns
    -------
    (kinds, plans)
        ``plans[i]`` lists ``(rule, honest)`` pairs in the order they are planted.
    """
    per_rule = max(1, round(debtors / 60))
    companies = 0 if debtors < 2 else max(per_rule, round(debtors * 0.15))
    kinds = ["company"] * companies + ["person"] * (debtors - companies)
    rng.shuffle(kinds)
    items = [(rule, honest) for rule in RULES for honest in (False, True) for _ in range(per_rule)]
    best: tuple[list[list[Item]], list[str]] | None = None
    for _attempt in range(ATTEMPTS):  # few debtors: another shuffle may fit everything
        plans, left = _place(rng, kinds, items)
        if best is None or len(left) < len(best[1]):
            best = (plans, left)
        if not left:
            break
    assert best is not None
    plans, left = best
    if left:
        log.warning("%d debtors cannot carry %s; use more debtors", debtors, ", ".join(left))
    for plan in plans:
        plan.sort(key=lambda it: ORDER.index(it[0]))
    return kinds, plans


def _place(rng: random.Random, kinds: list[str], items: list[Item]) -> tuple[list[list[Item]], list[str]]:
    """One greedy placement: the most constrained items first, each on the least loaded
    debtor that fits; returns the plans and what did not fit."""
    items = list(items)
    rng.shuffle(items)
    items.sort(key=_rank)
    order = list(range(len(kinds)))
    rng.shuffle(order)
    plans: list[list[Item]] = [[] for _ in kinds]
    left: list[str] = []
    for item in items:
        fits = [i for i in order if _fits(item, kinds[i], plans[i])]
        if not fits:
            left.append(f"{item[0]}{' (look-alike)' if item[1] else ''}")
            continue
        plans[min(fits, key=lambda i: len(plans[i]))].append(item)
    return plans, left
