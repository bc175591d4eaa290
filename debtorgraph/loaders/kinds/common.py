"""Pieces the record builders share: parties, sanctions, events, conveyance words."""
from __future__ import annotations

import logging
from typing import Any, Iterable

from ..base import Row
from ..context import Context
from ..ids import make_id, party
from ..values import clean_identifier, normalize_case_number

log = logging.getLogger(__name__)

_LEGAL_BASIS = (
    ("以物抵债", "set-off"), ("抵债", "set-off"), ("离婚", "divorce"), ("析产", "divorce"),
    ("赠与", "gift"), ("赠予", "gift"), ("继承", "inheritance"), ("遗赠", "inheritance"),
    ("拍卖", "auction"), ("司法拍卖", "auction"), ("租赁", "lease"), ("买卖", "sale"),
    ("购买", "sale"), ("转让", "sale"), ("出售", "sale"), ("交易", "sale"),
)
_PROGRAMS = (
    ("失信", "dishonest_listing"), ("限制消费", "consumption_restriction"),
    ("限消", "consumption_restriction"), ("限高", "consumption_restriction"),
    ("冻结", "freeze"), ("扣划", "freeze"), ("查封", "seizure"), ("扣押", "seizure"),
)
_EVENTS = (
    ("应诉", "lawsuit_served"), ("生效", "judgment_effective"), ("立案", "enforcement_filed"),
    ("执行通知", "execution_notice"), ("报告财产", "property_report_order"),
    ("协助执行", "assistance_notice"), ("终结本次", "termination"), ("终本", "termination"),
)


def legal_basis(text: str | None) -> str | None:
    """``sale``, ``gift``, ``divorce``... from a 登记原因 / 取得方式 text, or None."""
    if not text:
        return None
    for word, basis in _LEGAL_BASIS:
        if word in text:
            return basis
    return None


def program(text: str | None) -> str | None:
    """The Sanction program named by a measure text (冻结, 查封, 失信, 限制消费), or None."""
    if not text:
        return None
    for word, name in _PROGRAMS:
        if word in text:
            return name
    return None


def event_name(text: str | None) -> str | None:
    """The interchange Event name named by a measure text (执行通知, 报告财产令...), or None."""
    if not text:
        return None
    for word, name in _EVENTS:
        if word in text:
            return name
    return None


def lifted(text: str | None) -> bool:
    """True when a status says the measure was lifted (解除, 解封, 已注销)."""
    if not text:
        return False
    return any(w in text for w in ("解除", "解封", "解冻", "撤销", "已注销"))


def add_party(ctx: Context, i: int, name: str | None, id_number: str | None,
              scope: Iterable[Any] = (), out: list[Row] | None = None,
              schema: str | None = None, **props: Any) -> str | None:
    """The id of a named party; its entity is appended to ``out`` (once per file)."""
    item = party_entity(ctx, name, id_number, scope, schema, **props)
    if item is None:
        return None
    if out is not None:
        out.extend(ctx.once(item, i))
    return str(item["id"])


def party_entity(ctx: Context, name: str | None, id_number: str | None,
                 scope: Iterable[Any] = (), schema: str | None = None,
                 **props: Any) -> dict[str, Any] | None:
    """The entity of a named party (Person, Company or LegalEntity), or None without a name."""
    if not name and not id_number:
        return None
    id_number = clean_identifier(id_number) if id_number else None
    name = name or id_number or ""
    return party(name, id_number, tuple(scope), schema, proof=ctx.doc_id,
                 publisher=ctx.publisher, **props)


def sanction(ctx: Context, i: int, prog: str, target: str, *, start: str | None = None,
             end: str | None = None, case: str | None = None, authority: str | None = None,
             **props: Any) -> dict[str, Any]:
    """A Sanction on ``target``; its id is the program, target, case and start date."""
    case = normalize_case_number(case) if case else None
    sid = make_id("sanction", prog, target, case or "", start or "")
    return ctx.link("Sanction", sid, i, {"entity": target, "program": prog, "startDate": start,
                                         "endDate": end, "summary": case,
                                         "authority": authority, **props})


def event(ctx: Context, i: int, name: str, day: str | None, case: str | None,
          involved: list[str], **props: Any) -> dict[str, Any]:
    """A case milestone Event; its id is the name, normalised case number and date."""
    case = normalize_case_number(case) if case else None
    eid = make_id("event", name, case or "", day or "", *([] if case else involved))
    return ctx.link("Event", eid, i, {"name": name, "date": day, "summary": case,
                                      "involved": involved, **props})


def ownership(ctx: Context, i: int, owner: str, asset: str, **props: Any) -> dict[str, Any]:
    """The Ownership of ``asset`` by ``owner``: one id per owner and asset."""
    return ctx.link("Ownership", make_id("own", owner, asset), i,
                    {"owner": owner, "asset": asset, **props})
