"""The court's own lists: enforcement cases (案件列表) and measures taken (措施列表).

A case row gives the CourtCase (its main entity), the court (a PublicBody), the parties
with their CourtCaseParty roles, the Debt (执行标的, dated by the effective date, with a
second ``balance`` Debt for 未履行金额) and the milestones ``enforcement_filed``,
``judgment_effective`` and ``termination`` as Events. A measure row gives Sanctions
(冻结 freeze, 查封 seizure, 失信 dishonest_listing, 限消 consumption_restriction) on the
account, asset or person, or an Event for notices (执行通知, 报告财产令, 协助执行通知).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterator

from ..base import Item, Row
from ..context import Context
from ..ids import account_id, make_id
from ..values import clean_identifier, normalize_case_number, split_names
from .common import add_party, event, event_name, program, sanction
from . import Kind, register

log = logging.getLogger(__name__)

_PLATE = re.compile(r"[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}")
_WIDE = {"freeze_date": "freeze", "seizure_date": "seizure",
         "dishonest_date": "dishonest_listing", "restriction_date": "consumption_restriction"}


def _parties(ctx: Context, i: int, names_field: str, ids_field: str, case: str,
             out: list[Row]) -> list[str]:
    """Ids of the parties named in one cell (``张三、李四``), with their ID numbers if given."""
    names = split_names(ctx.get(names_field, i))
    ids = [clean_identifier(x) for x in split_names(ctx.get(ids_field, i))]
    if len(ids) != len(names):
        ids = ids[:1] if len(names) == 1 else []
    found = []
    for k, name in enumerate(names):
        pid = add_party(ctx, i, name, ids[k] if k < len(ids) else None, (case,), out)
        if pid:
            found.append(pid)
    return found


def build_case_list(ctx: Context) -> Iterator[Item]:
    """执行案件列表: CourtCase, court, parties, Debt and milestone Events per row."""
    for i in ctx.data_rows:
        bad = ctx.check(i, "case_number")
        if bad is not None:
            yield bad
            continue
        case = ctx.get("case_number", i)
        court = ctx.get("court", i)
        case_id = make_id("case", case)
        yield Row(ctx.thing("CourtCase", case_id, {
            "name": case, "caseNumber": case, "court": court, "fileDate": ctx.get("file_date", i),
            "closeDate": ctx.get("close_date", i), "status": ctx.get("status", i),
            "description": ctx.get("trial_case", i), "category": ctx.get("cause", i)}),
            ctx.origin(i))
        extra: list[Row] = []
        if court:
            extra.extend(ctx.once(ctx.thing("PublicBody", make_id("party", "court", court),
                                            {"name": court}), i))
        debtors = _parties(ctx, i, "debtor_name", "debtor_id", case, extra)
        applicants = _parties(ctx, i, "applicant_name", "applicant_id", case, extra)
        for role, ids in (("debtor", debtors), ("applicant", applicants)):
            for pid in ids:
                extra.append(Row(ctx.link("CourtCaseParty", make_id("ccp", case_id, pid, role), i,
                                          {"case": case_id, "party": pid, "role": role}),
                                 ctx.origin(i), True))
        amount, effective = ctx.get("amount", i), ctx.get("effective_date", i)
        for pid in debtors:
            if amount:
                extra.append(Row(ctx.link("Debt", make_id("debt", case, pid), i, {
                    "debtor": pid, "creditor": applicants, "amount": amount, "currency": "CNY",
                    "date": effective, "summary": case}), ctx.origin(i), True))
            left = ctx.get("outstanding", i)
            if left:
                when = ctx.get("balance_date", i) or ctx.get("close_date", i)
                extra.append(Row(ctx.link("Debt", make_id("debt", case, pid, "balance", when), i, {
                    "debtor": pid, "creditor": applicants, "amount": left, "currency": "CNY",
                    "date": when, "summary": case, "description": "balance"}),
                    ctx.origin(i), True))
        involved = debtors + applicants
        milestones = [("enforcement_filed", ctx.get("file_date", i)),
                      ("judgment_effective", effective)]
        closing = f"{ctx.get('close_method', i) or ''}{ctx.get('status', i) or ''}"
        if event_name(closing) == "termination":
            milestones.append(("termination", ctx.get("close_date", i)))
        for name, day in milestones:
            if day:
                extra.append(Row(event(ctx, i, name, day, case, involved,
                                       description=ctx.get("trial_case", i)),
                                 ctx.origin(i), True))
        yield from extra


def _target(ctx: Context, i: int, prog: str, person: str | None,
            out: list[Row]) -> str | None:
    """The account, real estate or vehicle a freeze or seizure binds (else the person)."""
    target = ctx.get("target", i)
    kind = ctx.get("target_type", i) or ""
    if not target or prog in ("dishonest_listing", "consumption_restriction"):
        return person
    plain = clean_identifier(target)
    if "车" in kind or _PLATE.fullmatch(plain):
        asset = make_id("vehicle", plain)
        out.extend(ctx.once(ctx.thing("Vehicle", asset, {"registrationNumber": plain,
                                                         "name": plain}), i))
    elif any(w in kind for w in ("房", "不动产", "土地")) or "不动产权" in target:
        title = normalize_case_number(target)
        asset = make_id("re", "title", title)
        out.extend(ctx.once(ctx.thing("RealEstate", asset, {"titleNumber": title,
                                                            "name": title}), i))
    elif any(w in kind for w in ("存款", "账户", "银行", "资金")) or re.fullmatch(r"\d{8,}", plain):
        asset = account_id(plain)
        out.extend(ctx.once(ctx.thing("BankAccount", asset, {
            "accountNumber": plain, "bankName": ctx.get("target_bank", i),
            "accountType": "bank"}), i))
    else:
        return person
    if person:
        out.extend(ctx.once(ctx.link("Ownership", make_id("own", person, asset), i,
                                     {"owner": person, "asset": asset}), i))
    return asset


def build_measures(ctx: Context) -> Iterator[Item]:
    """执行措施列表: Sanctions (long form: 措施类型 + 日期; wide form: 冻结日期, 查封日期...)."""
    for i in ctx.data_rows:
        bad = ctx.check(i, "case_number")
        if bad is not None:
            yield bad
            continue
        case, court = ctx.get("case_number", i), ctx.get("court", i)
        extra: list[Row] = []
        people = _parties(ctx, i, "name", "id_number", case, extra)
        person = people[0] if people else None
        items: list[dict[str, Any]] = []
        measure = ctx.get("measure", i)
        wanted = [(program(measure), ctx.get("start_date", i))] if measure else []
        wanted += [(prog, ctx.get(f, i)) for f, prog in _WIDE.items() if ctx.get(f, i)]
        for prog, start in wanted:
            if prog is None:
                continue
            entity_id = _target(ctx, i, prog, person, extra)
            if entity_id:
                items.append(sanction(ctx, i, prog, entity_id, start=start,
                                      end=ctx.get("end_date", i), case=case, authority=court,
                                      description=" ".join(x for x in (
                                          measure, ctx.get("target", i),
                                          ctx.get("amount", i) and f"金额 {ctx.get('amount', i)} 元")
                                          if x) or None))
        name = event_name(measure) if measure and not program(measure) else None
        if name and ctx.get("start_date", i):
            items.append(event(ctx, i, name, ctx.get("start_date", i), case,
                               people + _unit(ctx, i, case, extra)))
        if not items:
            yield ctx.reject(i, "unknown_value", "measure", measure or "")
            continue
        yield Row(items[0], ctx.origin(i))
        for item in items[1:]:
            yield Row(item, ctx.origin(i), True)
        yield from extra


def _unit(ctx: Context, i: int, case: str, out: list[Row]) -> list[str]:
    """The assisting unit of an assistance notice, also a CourtCaseParty ``assisting_unit``."""
    unit = ctx.get("target_bank", i)
    if not unit or event_name(ctx.get("measure", i)) != "assistance_notice":
        return []
    uid = add_party(ctx, i, unit, None, (), out)
    assert uid
    out.append(Row(ctx.link("CourtCaseParty", make_id("ccp", make_id("case", case), uid,
                                                      "assisting_unit"), i,
                            {"case": make_id("case", case), "party": uid,
                             "role": "assisting_unit"}), ctx.origin(i), True))
    return [uid]


_CASE = {"case_number": "case", "court": "text"}
register(Kind("case_list", {
    **_CASE, "file_date": "day", "effective_date": "day", "debtor_name": "text",
    "debtor_id": "text", "applicant_name": "text", "applicant_id": "text",
    "amount": "amount", "outstanding": "amount", "balance_date": "day", "status": "text",
    "close_date": "day", "close_method": "text", "trial_case": "case", "cause": "text"},
    {}, build_case_list))
register(Kind("measures", {
    **_CASE, "name": "text", "id_number": "text", "measure": "text", "target": "text",
    "target_type": "text", "target_bank": "text", "start_date": "day", "end_date": "day",
    "amount": "amount", "freeze_date": "day", "seizure_date": "day",
    "dishonest_date": "day", "restriction_date": "day"}, {}, build_measures))
