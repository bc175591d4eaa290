"""Market-regulation (工商) extracts: the company, its shareholders and its change history.

The basic-information table gives the Company and its legal representative (Directorship,
role 法定代表人). The shareholder table gives one Ownership per shareholder (percentage;
认缴/实缴 capital in the description). The change history (变更记录) dates equity
transfers: a shareholder that leaves gets an Ownership ``endDate``, one that arrives an
Ownership with ``startDate``, ``legalBasis`` (``sale`` unless the text says 赠与, 继承...)
and the price in ``sharesValue`` when the record gives one. Ownership ids are owner +
company, so the change record and the current shareholder table speak of the same link.
"""
from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any, Iterator

from ..base import Item, Row
from ..context import Context
from ..ids import make_id, party_id
from ..values import parse_amount, valid_uscc
from .common import add_party, legal_basis, ownership
from . import Kind, register

log = logging.getLogger(__name__)

_PRICE = re.compile(r"(?:转让价[格款]?|对价|价款|作价|转让金额)\s*[:：为是]?\s*(\d[\d,.]*\s*万?元?)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?元")
_NAME = re.compile(r"(?:股东|投资人|姓名|名称)?\s*[:：]?\s*([^\s\d:：%()（）,，;；、]+)")
_EQUITY = ("股东", "投资人", "股权", "出资")
_LEGAL_REP = ("法定代表人", "负责人", "执行事务合伙人")


def _company(ctx: Context, i: int, out: list[Row] | None = None) -> tuple[str, str] | None:
    """The (id, name) of the company a row is about: its own columns, else the extract's."""
    name, code = ctx.get("company_name", i), ctx.get("company_uscc", i)
    if name or code:
        cid = add_party(ctx, i, name, code, (), out, "Company")
        return (cid, name or code) if cid else None
    return ctx.shared.get("company")


def prepare_info(ctx: Context) -> None:
    """Remember the extract's company and legal representative for the other tables."""
    for i in ctx.data_rows:
        if ctx.get("company_name", i):
            ctx.shared.setdefault("company", _company(ctx, i))
            return


def build_info(ctx: Context) -> Iterator[Item]:
    """登记基本信息: the Company and its legal representative."""
    for i in ctx.data_rows:
        bad = ctx.check(i, "company_name")
        if bad is not None:
            yield bad
            continue
        code = ctx.get("company_uscc", i)
        cid = party_id(ctx.get("company_name", i), code)
        capital = ctx.get("capital", i)
        yield Row(ctx.thing("Company", cid, {
            "name": ctx.get("company_name", i), "registrationNumber": code,
            "address": ctx.get("address", i), "incorporationDate": ctx.get("inc_date", i),
            "status": ctx.get("status", i), "legalForm": ctx.get("legal_form", i),
            "phone": ctx.get("phone", i), "capital": capital,
            "currency": "CNY" if capital else None,
            "notes": None if not code or valid_uscc(code) else "统一社会信用代码校验不通过"}),
            ctx.origin(i))
        rep = ctx.get("legal_rep", i)
        if rep:
            extra: list[Row] = []
            pid = add_party(ctx, i, rep, ctx.get("legal_rep_id", i), (cid,), extra)
            ctx.shared.setdefault("people", {})[rep] = pid
            yield from extra
            yield Row(ctx.link("Directorship", make_id("dir", pid, cid, "法定代表人"), i, {
                "director": pid, "organization": cid, "role": "法定代表人"}), ctx.origin(i), True)


def prepare_holders(ctx: Context) -> None:
    """Remember each shareholder's id by name, for the change history."""
    people = ctx.shared.setdefault("people", {})
    for i in ctx.data_rows:
        company = _company(ctx, i)
        name = ctx.get("holder_name", i)
        if company and name:
            people[name] = add_party(ctx, i, name, ctx.get("holder_id", i), (company[0],))


def build_holders(ctx: Context) -> Iterator[Item]:
    """股东及出资信息: one Ownership per shareholder."""
    for i in ctx.data_rows:
        bad = ctx.check(i, "holder_name")
        if bad is not None:
            yield bad
            continue
        extra: list[Row] = []
        company = _company(ctx, i, extra)
        if company is None:
            yield ctx.reject(i, "no_party", "company_name", "", "（找不到企业名称）")
            continue
        holder = add_party(ctx, i, ctx.get("holder_name", i), ctx.get("holder_id", i),
                           (company[0],), extra)
        assert holder is not None  # checked: holder_name is required
        sub, paid = ctx.get("subscribed", i), ctx.get("paid", i)
        note = "；".join(x for x in (sub and f"认缴出资额 {sub} 元", paid and f"实缴出资额 {paid} 元",
                                    ctx.get("subscribed_date", i) and
                                    f"认缴出资日期 {ctx.get('subscribed_date', i)}") if x)
        yield Row(ownership(ctx, i, holder, company[0], percentage=ctx.get("percentage", i),
                            role=ctx.get("holder_type", i), description=note or None),
                  ctx.origin(i))
        yield from extra


def parse_holders(text: str | None) -> dict[str, str | None]:
    """``张三(60%)；李四(40%)`` or ``张三 出资额:60万元;李四 40万元`` -> {name: percent}.

    >>> parse_holders("张三(60%)；李四(40%)")
    {'张三': '60', '李四': '40'}
    >>> parse_holders("王五 出资额:30万元、赵六 出资额:10万元")
    {'王五': '75', '赵六': '25'}
    """
    found: dict[str, str | None] = {}
    money: dict[str, Decimal] = {}
    for part in re.split(r"[;；、\n]+", text or ""):
        part = _PRICE.sub("", part).strip()
        match = _NAME.match(part)
        if not part or not match or not match.group(1):
            continue
        name = match.group(1)
        pct = _PERCENT.search(part)
        found[name] = pct.group(1) if pct else None
        amount = _MONEY.search(part)
        if amount:
            money[name] = Decimal(amount.group(1)) * (10000 if amount.group(2) else 1)
    total = sum(money.values())
    if total and all(v is None for v in found.values()) and set(money) == set(found):
        for name, value in money.items():
            found[name] = parse_amount(str(round(value * 100 / total, 4)))
    return found


def build_changes(ctx: Context) -> Iterator[Item]:
    """变更记录: equity transfers dated on Ownerships, legal-representative changes."""
    people = ctx.shared.setdefault("people", {})
    for i in ctx.data_rows:
        bad = ctx.check(i, "change_date", "item")
        if bad is not None:
            yield bad
            continue
        extra: list[Row] = []
        company = _company(ctx, i, extra)
        if company is None:
            yield ctx.reject(i, "no_party", "company_name", "", "（找不到企业名称）")
            continue
        cid = company[0]
        item, day = ctx.get("item", i), ctx.get("change_date", i)
        before, after = ctx.get("before", i) or "", ctx.get("after", i) or ""
        links: list[dict[str, Any]] = []

        def pid(name: str) -> str:
            found = people.get(name)
            return found or add_party(ctx, i, name, None, (cid,), extra)  # type: ignore[return-value]

        if any(w in item for w in _EQUITY):
            old, new = parse_holders(before), parse_holders(after)
            price = ctx.get("price", i)
            if price is None:
                quoted = _PRICE.search(after) or _PRICE.search(before)
                price = parse_amount(quoted.group(1)) if quoted else None
            basis = legal_basis(f"{item}{after}") or "sale"
            for name in old:
                if name not in new:
                    links.append(ownership(ctx, i, pid(name), cid, endDate=day,
                                           percentage=old[name]))
            buyers = [n for n in new if n not in old]
            for name in buyers:
                value = price if len(buyers) == 1 else None
                links.append(ownership(ctx, i, pid(name), cid, startDate=day,
                                       percentage=new[name], legalBasis=basis,
                                       sharesValue=value,
                                       sharesCurrency="CNY" if value else None))
        elif any(w in item for w in _LEGAL_REP):
            for name, key in ((before, "endDate"), (after, "startDate")):
                name = name.strip()
                if name:
                    director = pid(name)
                    links.append(ctx.link("Directorship", make_id("dir", director, cid, "法定代表人"),
                                          i, {"director": director, "organization": cid,
                                              "role": "法定代表人", key: day}))
        if not links:
            change: dict[str, Any] = {"name": company[1], "modifiedAt": day}
            if "名称" in item and before:
                change["previousName"] = before
            elif "住所" in item or "地址" in item:
                change["address"] = after or None
            elif "注册资本" in item:
                capital = _MONEY.search(after)
                change["capital"] = parse_amount("".join(x for x in capital.groups() if x) + "元") \
                    if capital else None
            links.append(ctx.thing("Company", cid, change))
        yield Row(links[0], ctx.origin(i))
        for link in links[1:]:
            yield Row(link, ctx.origin(i), True)
        yield from extra


_COMPANY = {"company_name": "text", "company_uscc": "identifier"}
register(Kind("company_info", {
    **_COMPANY, "legal_rep": "text", "legal_rep_id": "identifier", "capital": "amount",
    "inc_date": "day", "status": "text", "address": "text", "legal_form": "text",
    "phone": "phone"}, {}, build_info, prepare_info))
register(Kind("shareholders", {
    **_COMPANY, "holder_name": "text", "holder_type": "text", "holder_id": "identifier",
    "subscribed": "amount", "paid": "amount", "percentage": "percent",
    "subscribed_date": "day"}, {}, build_holders, prepare_holders))
register(Kind("company_changes", {
    **_COMPANY, "change_date": "day", "item": "text", "before": "text", "after": "text",
    "price": "amount"}, {}, build_changes))
