"""Detection rules: one module per pattern of hiding or moving assets.

Each module names its pattern, provisions, thresholds and their source in its docstring
and offers ``RULE`` (the snake_case name used in findings and truth files),
``find(ctx) -> list[Candidate]`` and ``explain(candidate, ctx, when_zh, when_en)``.

:data:`RULES` lists them in the order they run. An act (a Payment, Ownership...) that a
rule has explained with a base score of 0.5 or more is *claimed*: later rules leave it
alone, so one act is not reported twice under two names. Specific patterns (a court
measure defied, a conveyance of a known kind) therefore run before generic ones
(layering, fan-out, payments to related parties).

Beside the rules: ``base`` (the debtor's :class:`~.base.Context`, candidates, factors),
``consideration`` (where a price or a payment went next), ``conveyance`` (deals read from
Ownership), ``parties`` (the related parties as the rules see them), ``text`` (purposes and
payee names), ``fmt`` and ``law``. Rules are functions of a Context: they use
``milestones`` and ``parties``, never the store, the neighbourhood read, detection,
evidence, the app or the CLI.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

__all__ = ["RULES", "RULE_NAMES", "rule_module"]

RULE_NAMES: tuple[str, ...] = (
    "frozen_asset_disposal",
    "assisting_unit_payment",
    "diverted_income",
    "consumption_breach",
    "sham_divorce",
    "nominal_equity_transfer",
    "gratuitous_transfer",
    "undervalue_sale",
    "cheap_lease",
    "sham_litigation",
    "cash_out",
    "layered_transfer",
    "fan_out",
    "related_party_payment",
    "unreported_property",
)


def rule_module(name: str) -> ModuleType:
    """The module of one rule."""
    if name not in RULE_NAMES:
        raise KeyError(name)
    return import_module(f"{__name__}.{name}")


RULES: tuple[ModuleType, ...] = tuple(rule_module(n) for n in RULE_NAMES)
