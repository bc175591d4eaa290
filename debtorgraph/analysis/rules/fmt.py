"""Small wording helpers shared by the rules' explanations."""
from __future__ import annotations

from typing import Any

__all__ = ["money", "pct", "names", "names_en", "kind_of", "plural"]


def money(value: float | None) -> str:
    """``150000`` -> ``150,000``; two decimals only when there are cents.

    >>> money(150000), money(1234.5), money(None)
    ('150,000', '1,234.50', '?')
    """
    if value is None:
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def plural(n: int, word: str) -> str:
    """``1 payment``, ``3 payments``.

    >>> plural(1, "payment"), plural(3, "payment")
    ('1 payment', '3 payments')
    """
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def pct(ratio: float) -> str:
    """``0.3`` -> ``30%``."""
    return f"{ratio * 100:.0f}%"


def names(ctx: Any, ids: list[str], limit: int = 3) -> str:
    """Captions of up to ``limit`` parties, then "等 N 个"."""
    shown = "、".join(ctx.caption(i) for i in ids[:limit])
    return shown + (f"等 {len(ids)} 个" if len(ids) > limit else "")


def names_en(ctx: Any, ids: list[str], limit: int = 3) -> str:
    shown = ", ".join(ctx.caption(i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def kind_of(ctx: Any, asset: str) -> tuple[str, str]:
    """(Chinese, English) word for an asset: 房产 / flat, 车辆 / vehicle, 股权 / stake."""
    schema = ctx.schema(asset)
    if schema == "RealEstate":
        return "房产", "real estate"
    if schema == "Vehicle":
        return "车辆", "vehicle"
    if schema in ("Company", "Organization", "LegalEntity"):
        return "股权", "shares"
    if schema == "BankAccount":
        return "账户", "account"
    return "财产", "asset"


def asset_and_relative(ctx: Any, facts: dict[str, Any]) -> tuple[str, str, str, str]:
    """Kind of the asset moved (zh, en) and who received it (zh, en), for explanations."""
    zh_kind, en_kind = kind_of(ctx, facts["asset"])
    link = facts.get("link")
    who_zh = f"其{link.zh}" if link else ""
    who_en = f"the debtor's {link.en} " if link else ""
    return zh_kind, en_kind, who_zh, who_en
