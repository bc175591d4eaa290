"""Household (户籍) and marriage (婚姻登记) records: Family links between people.

A household row says what the member is to the head (与户主关系): the Family link has the
head as ``person`` and the member as ``relative``. A marriage row links the two spouses;
a 结婚 registration gives ``startDate``, a 离婚 registration ``endDate``. The Family id
does not depend on the side the link is stated from, so the two registrations of one
marriage merge; a remarriage (复婚) is another link, with its own dates.
"""
from __future__ import annotations

import logging
from typing import Any, Iterator

from ..base import Item, Row
from ..context import Context
from ..ids import make_id
from .common import add_party, party_entity
from . import Kind, register

log = logging.getLogger(__name__)

_RELATIONS = {
    "spouse": {"妻", "夫", "妻子", "丈夫", "配偶", "spouse"},
    "child": {"子", "女", "儿子", "女儿", "长子", "次子", "三子", "长女", "次女", "三女",
              "独生子", "独生女", "养子", "养女", "继子", "继女", "child"},
    "parent": {"父", "母", "父亲", "母亲", "继父", "继母", "养父", "养母", "父母", "parent"},
    "sibling": {"兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹",
                "兄弟姐妹", "sibling"},
}
_INVERSE = {"child": "parent", "parent": "child"}
_HEAD = {"户主", "本人", "户主本人"}


def relationship(word: str | None) -> str:
    """``spouse``, ``child``, ``parent``, ``sibling`` or ``other`` from 与户主关系 words.

    >>> relationship("长女"), relationship("妻"), relationship("孙子")
    ('child', 'spouse', 'other')
    """
    word = (word or "").strip()
    for name, words in _RELATIONS.items():
        if word in words:
            return name
    return "other"


def family_id(person: str, relative: str, rel: str) -> str:
    """The same id whichever side the link is stated from (child one way, parent the other)."""
    if person <= relative:
        return make_id("family", person, relative, rel)
    return make_id("family", relative, person, _INVERSE.get(rel, rel))


def _heads(ctx: Context) -> dict[int, tuple[str, str | None]]:
    """For each row, the (name, ID) of its household's head: by 户号, else the block above."""
    by_household: dict[Any, tuple[str, str | None]] = {}
    for i in ctx.data_rows:
        if ctx.get("relation", i) in _HEAD and ctx.get("name", i):
            by_household.setdefault(ctx.get("household_number", i) or ctx.get("address", i),
                                    (ctx.get("name", i), ctx.get("id_number", i)))
    heads: dict[int, tuple[str, str | None]] = {}
    current: tuple[str, str | None] | None = None
    for i in ctx.data_rows:
        if ctx.get("head_name", i):
            heads[i] = (ctx.get("head_name", i), ctx.get("head_id", i))
            continue
        if ctx.get("relation", i) in _HEAD and ctx.get("name", i):
            current = (ctx.get("name", i), ctx.get("id_number", i))
        key = ctx.get("household_number", i) or ctx.get("address", i)
        found = by_household.get(key) if key else None
        if found or current:
            heads[i] = found or current  # type: ignore[assignment]
    return heads


def build_household(ctx: Context) -> Iterator[Item]:
    """户籍 rows: the head as a Person, each member as a Person and a Family link to the head."""
    heads = _heads(ctx)
    for i in ctx.data_rows:
        bad = ctx.check(i, "name", "relation")
        if bad is not None:
            yield bad
            continue
        scope = (ctx.get("household_number", i) or ctx.get("address", i) or "",)
        person = party_entity(ctx, ctx.get("name", i), ctx.get("id_number", i), scope, "Person",
                              birthDate=ctx.get("birth_date", i), address=ctx.get("address", i),
                              phone=ctx.get("phone", i), gender=_gender(ctx.get("gender", i)))
        assert person is not None
        word = ctx.get("relation", i)
        if word in _HEAD:
            yield Row(person, ctx.origin(i))
            continue
        extra = list(ctx.once(person, i))
        member = person["id"]
        head = heads.get(i)
        if head is None:
            yield ctx.reject(i, "no_party", "relation", word, "（找不到户主）")
            continue
        head_rows: list[Row] = []
        head_id = add_party(ctx, i, head[0], head[1], scope, head_rows, "Person")
        rel = relationship(word)
        yield Row(ctx.link("Family", family_id(head_id, member, rel), i, {  # type: ignore[arg-type]
            "person": head_id, "relative": member, "relationship": rel,
            "description": f"与户主关系：{word}"}), ctx.origin(i))
        yield from extra
        yield from head_rows


def _gender(text: str | None) -> str | None:
    return {"男": "male", "女": "female"}.get((text or "").strip())


def _is_marriage(kind: str) -> bool:
    """结婚登记 or 复婚登记 starts a marriage; 补发结婚证 (a new certificate) does not."""
    return ("结婚" in kind or "复婚" in kind) and "补" not in kind


def _couple(ctx: Context, i: int) -> frozenset[tuple[str, str]]:
    """The two spouses of a row as (name, ID) pairs, whichever side each is written on."""
    return frozenset({(ctx.get("person_name", i) or "", ctx.get("person_id", i) or ""),
                      (ctx.get("spouse_name", i) or "", ctx.get("spouse_id", i) or "")})


def _marriages(ctx: Context) -> dict[frozenset[tuple[str, str]], list[str]]:
    """Each couple's marriage dates in the file (结婚 and 复婚 registrations), in order."""
    out: dict[frozenset[tuple[str, str]], list[str]] = {}
    for i in ctx.data_rows:
        kind, day = ctx.get("type", i) or "", ctx.get("date", i)
        start = ctx.get("marriage_date", i) or (day if _is_marriage(kind) else None)
        if start:
            out.setdefault(_couple(ctx, i), []).append(start)
    return {couple: sorted(set(days)) for couple, days in out.items()}


def build_marriage(ctx: Context) -> Iterator[Item]:
    """婚姻登记 rows: a spouse Family link per marriage, with its marriage and divorce dates.

    A couple that divorces and marries again (复婚) has two links, one per marriage: the id
    carries the marriage date, and a divorce row goes to the latest marriage before it
    (in the row, or registered earlier in the file). A divorce whose marriage is not known
    keeps the plain couple id, as household records do.
    """
    marriages = _marriages(ctx)
    for i in ctx.data_rows:
        bad = ctx.check(i, "person_name", "spouse_name")
        if bad is not None:
            yield bad
            continue
        kind = ctx.get("type", i) or ""
        status = ctx.get("status", i) or ""
        day = ctx.get("date", i)
        start = ctx.get("marriage_date", i) or (day if _is_marriage(kind) else None)
        end = ctx.get("divorce_date", i) or (day if "离婚" in kind else None)
        if not (start or end or kind or status):
            yield ctx.reject(i, "missing_value", "date")
            continue
        extra: list[Row] = []
        names = sorted([ctx.get("person_name", i), ctx.get("spouse_name", i)])
        one = add_party(ctx, i, ctx.get("person_name", i), ctx.get("person_id", i), names,
                        extra, "Person")
        two = add_party(ctx, i, ctx.get("spouse_name", i), ctx.get("spouse_id", i), names,
                        extra, "Person")
        assert one and two
        married = start or max((d for d in marriages.get(_couple(ctx, i), ()) if not end or d <= end),
                               default=None)
        link_id = family_id(one, two, "spouse") if not married else make_id(
            "family", *sorted((one, two)), "spouse", married)
        yield Row(ctx.link("Family", link_id, i, {
            "person": one, "relative": two, "relationship": "spouse", "startDate": start or married,
            "endDate": end, "description": " ".join(x for x in (kind, status) if x) or None,
            "summary": ctx.get("registry", i)}), ctx.origin(i))
        yield from extra


register(Kind("household", {
    "household_number": "identifier", "name": "text", "id_number": "identifier",
    "relation": "text", "head_name": "text", "head_id": "identifier", "address": "text",
    "birth_date": "day", "gender": "text", "phone": "phone"}, {}, build_household))
register(Kind("marriage", {
    "person_name": "text", "person_id": "identifier", "spouse_name": "text",
    "spouse_id": "identifier", "type": "text", "date": "day", "marriage_date": "day",
    "divorce_date": "day", "registry": "text", "status": "text"}, {}, build_marriage))

