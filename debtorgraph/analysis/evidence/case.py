"""The debtor, the case(s) and their milestones; the identity (身份) and duty (执行义务) facts.

:func:`load_context` resolves the debtor id (merged parties included), picks the cases
in which it is the debtor (or guarantor), and reads each case's milestones, debts and
enforcement measures. The duty starts on the date the judgment became effective
(SPC Guiding Case 71); that date comes from the ``judgment_effective`` Event, else from
the Debt's ``date`` (docs/interchange.md), else it is a gap: 缺少生效日期 / no effective date.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from stdnum.cn import ric, uscc

from ...errors import InvalidInput, NodeNotFound
from ...graph.identity import normalize_case_number
from .facts import MILESTONES, PROGRAMS, FactSet, day, money
from .store import EvidenceGraph, as_float, one

log = logging.getLogger(__name__)

ROLES = {"debtor": "debtor", "被执行人": "debtor", "guarantor": "guarantor", "担保人": "guarantor",
         "applicant": "applicant", "申请执行人": "applicant", "assisting_unit": "assisting_unit",
         "协助执行人": "assisting_unit"}
ROLE_NAMES = {"debtor": ("被执行人", "debtor"), "guarantor": ("担保人", "guarantor"),
              "applicant": ("申请执行人", "applicant"), "assisting_unit": ("协助执行人", "assisting unit")}
_LEGAL_REP = ("法定代表人", "legal representative", "legal_representative")


@dataclass
class Context:
    """Everything the categories share while one chain is built."""

    graph: EvidenceGraph
    facts: FactSet
    debtor_id: str
    canonical: str
    schema: str
    name: str
    ids: set[str]
    cases: list[dict[str, Any]] = field(default_factory=list)
    sanctions: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # every input date seen: as_of is the latest
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def effective_date(self) -> str | None:
        """Earliest effective date over the chosen cases (None when no case has one)."""
        dates = [c["effective_date"] for c in self.cases if c["effective_date"]]
        return min(dates) if dates else None

    def milestone(self, name: str) -> tuple[str, str] | None:
        """(date, event id) of the earliest milestone ``name`` over the chosen cases."""
        hits = [(d, e) for c in self.cases for d, e in c["milestones"].get(name, [])]
        return min(hits) if hits else None

    def note(self, *values: str | None) -> None:
        self.dates.extend(day(v) for v in values if v and len(v) >= 10)  # type: ignore[misc]


def load_context(graph: EvidenceGraph, debtor_id: str, case_id: str | None) -> Context:
    """Resolve the debtor and its cases; raise a clear error for unknown or caseless debtors."""
    rec, canonical = graph.resolve_party(debtor_id)
    ids = set(graph.merged_ids(canonical)) | {debtor_id, canonical}
    ctx = Context(graph, FactSet(graph), debtor_id, canonical, rec["schema"],
                  graph.caption(canonical), ids)
    links = [dict(link, role=ROLES.get((link["role"] or "").strip(), link["role"]))
             for link in graph.cases_of(canonical)]
    duty_links = [link for link in links if link["role"] in ("debtor", "guarantor")]
    if case_id is not None:
        if graph.record(case_id) is None:
            raise NodeNotFound(f"未找到案件 {case_id!r}。请检查案件 id（CourtCase）。 / Unknown case "
                               f"{case_id!r}: no CourtCase with this id in the store.")
        duty_links = [link for link in duty_links if link["case_id"] == case_id]
        if not duty_links:
            raise InvalidInput(f"{debtor_id!r} 不是案件 {case_id!r} 的被执行人或担保人。请核对 --case。 / "
                               f"{debtor_id!r} is not a debtor or guarantor in case {case_id!r}: check --case.",
                               {"case": case_id})
    if not duty_links:
        raise InvalidInput(f"被执行人 {debtor_id!r} 没有执行案件：数据中没有以其为被执行人的 CourtCaseParty"
                           f"（role=debtor）。请导入案件信息。 / Debtor {debtor_id!r} has no case: no "
                           "CourtCaseParty with role debtor names it. Load the case data first.",
                           {"debtor": debtor_id})
    for link in sorted(duty_links, key=lambda x: (x["case_id"], x["rel"])):
        if all(c["id"] != link["case_id"] for c in ctx.cases):
            ctx.cases.append(_read_case(ctx, link))
    _read_sanctions(ctx)
    return ctx


def _read_case(ctx: Context, link: dict[str, Any]) -> dict[str, Any]:
    graph = ctx.graph
    cid = link["case_id"]
    props = graph.props(cid)
    number = one(props, "caseNumber")
    parties = graph.parties_of(cid)
    applicants = [p for p in parties if ROLES.get((p["role"] or "").strip()) == "applicant"]
    numbers = [number] if number else []
    milestones: dict[str, list[tuple[str, str]]] = {}
    events = graph.case_nodes("Event", numbers)
    for eid in events:
        ep = graph.props(eid)
        name = (ep.get("name") or [""])[0]
        when = day((one(ep, "date") or one(ep, "startDate")))
        if when:
            milestones.setdefault(name, []).append((when, eid))
            ctx.note(when)
    for hits in milestones.values():
        hits.sort()
    debts: list[dict[str, Any]] = []
    balances: list[dict[str, Any]] = []
    norm = normalize_case_number(number) if number else None
    applicant_ids = {p["party"] for p in applicants}
    all_debts = graph.debts_of(ctx.canonical)
    for d in all_debts:
        dp = graph.props(d["rel"])
        summary = one(dp, "summary")
        if summary:
            if not norm or normalize_case_number(summary) != norm:
                continue
        elif d["creditor"] not in applicant_ids and len(all_debts) > 1:
            continue
        row = {"id": d["rel"], "creditor": d["creditor"], "amount": as_float(one(dp, "amount")),
               "currency": (dp.get("currency") or ["CNY"])[0], "date": day(one(dp, "date"))}
        ctx.note(row["date"])
        desc = " ".join(dp.get("description", [])).lower()
        (balances if ("balance" in desc or "余额" in desc) else debts).append(row)
    debts.sort(key=lambda r: (r["date"] or "", r["id"]))
    balances.sort(key=lambda r: (r["date"] or "", r["id"]))
    effective, source = None, None
    if milestones.get("judgment_effective"):
        effective, source = milestones["judgment_effective"][0]
    elif debts and debts[0]["date"]:
        effective, source = debts[0]["date"], debts[0]["id"]
    return {"id": cid, "case_number": number, "court": one(props, "court"),
            "file_date": day(one(props, "fileDate")), "status": one(props, "status"),
            "role": link["role"], "link": link["rel"],
            "applicants": [{"id": p["party"], "name": graph.caption(p["party"]), "link": p["rel"]}
                           for p in applicants],
            "effective_date": effective, "effective_source": source, "milestones": milestones,
            "debts": debts, "balances": balances, "events": events}


def _read_sanctions(ctx: Context) -> None:
    graph = ctx.graph
    numbers = [c["case_number"] for c in ctx.cases if c["case_number"]]
    ids = set(graph.case_nodes("Sanction", numbers))
    ids |= set(graph.sanctions_on(ctx.ids))
    for sid in sorted(ids):
        p = graph.props(sid)
        start = day((one(p, "startDate") or one(p, "date") or one(p, "listingDate")))
        ctx.note(start)
        ctx.sanctions.append({"id": sid, "program": (p.get("program") or [""])[0], "start": start,
                              "end": day(one(p, "endDate")), "entities": p.get("entity", []),
                              "case_number": one(p, "summary")})


# -- identity (身份) ---------------------------------------------------------------------
def check_identifier(schema: str, prop: str, value: str) -> dict[str, Any]:
    """Check one identifier with python-stdnum: which standard, valid or not, what it encodes.

    >>> check_identifier("Person", "idNumber", "11010519491231002X")["valid"]
    True
    >>> check_identifier("Company", "registrationNumber", "91350100M000100Y44")["valid"]
    False
    """
    compact = value.replace(" ", "").upper()
    kinds = [("GB 11643-1999", ric), ("GB 32100-2015", uscc)]
    if schema != "Person" or prop == "registrationNumber":
        kinds.reverse()
    for standard, module in kinds:
        if len(compact) == 18 and module.is_valid(compact):
            out: dict[str, Any] = {"property": prop, "value": value, "standard": standard, "valid": True}
            if module is ric:
                out["birth_date"] = ric.get_birth_date(compact).isoformat()
                out["sex"] = "male" if int(compact[16]) % 2 else "female"
                try:
                    out["birth_place"] = "".join(ric.get_birth_place(compact).values())
                except Exception:  # unknown division code: leave it out
                    pass
            return out
    return {"property": prop, "value": value, "standard": kinds[0][0], "valid": False}


def identity_facts(ctx: Context) -> None:
    """身份: the party, its identifiers (checked), addresses, legal representative."""
    graph, facts = ctx.graph, ctx.facts
    kind_zh = "自然人" if ctx.schema == "Person" else "单位"
    kind_en = "natural person" if ctx.schema == "Person" else "legal person"
    merged = sorted(ctx.ids - {ctx.canonical})
    facts.add("identity", "party", f"被执行人：{ctx.name}（{kind_zh}，{ctx.schema}）",
              f"Debtor: {ctx.name} ({kind_en}, {ctx.schema})", [ctx.canonical, *merged],
              data={"id": ctx.canonical, "schema": ctx.schema, "name": ctx.name, "merged_ids": merged})
    recs = graph.records(sorted(ctx.ids))
    seen: set[tuple[str, str]] = set()
    checked = 0
    for rid in sorted(recs):
        props = recs[rid]["props"]
        for prop in ("idNumber", "registrationNumber", "taxNumber"):
            for value in props.get(prop, []):
                if (prop, value) in seen:
                    continue
                seen.add((prop, value))
                info = check_identifier(ctx.schema, prop, value)
                checked += 1
                ok_zh = "校验通过" if info["valid"] else "校验未通过（校验位错误或格式不符）"
                ok_en = "valid" if info["valid"] else "INVALID (check digit or format)"
                more = ""
                if info.get("birth_date"):
                    more = f"；出生日期 {info['birth_date']}" + (f"，籍贯编码地 {info['birth_place']}"
                                                              if info.get("birth_place") else "")
                facts.add("identity", "identifier", f"{_ID_NAMES.get(prop, prop)} {value}：{info['standard']} "
                          f"{ok_zh}{more}", f"{prop} {value}: {info['standard']} {ok_en}", [rid], data=info)
        for prop, zh, en in (("address", "住所", "address"), ("phone", "电话", "phone"),
                             ("birthDate", "出生日期", "birth date")):
            for value in props.get(prop, []):
                if (prop, value) not in seen:
                    seen.add((prop, value))
                    facts.add("identity", prop, f"{zh}：{value}", f"{en}: {value}", [rid],
                              data={"property": prop, "value": value})
    if not checked:
        facts.gap("identity", "no_identifier", "缺少身份证件号码或统一社会信用代码",
                  "no identity number or unified social credit code", [ctx.canonical])
    _representatives(ctx)


_ID_NAMES = {"idNumber": "公民身份号码", "registrationNumber": "统一社会信用代码", "taxNumber": "纳税人识别号"}


def _representatives(ctx: Context) -> None:
    graph, facts = ctx.graph, ctx.facts
    found = False
    for link in ctx.graph.links([ctx.canonical]):
        if link["type"] != "DIRECTORSHIP":
            continue
        p = graph.props(link["rel"])
        role = (p.get("role") or [""])[0]
        is_rep = any(k in role.lower() for k in _LEGAL_REP)
        director, org = link["a"], link["b"]
        since = day(one(p, "startDate"))
        until = day(one(p, "endDate"))
        span = f"（{since or '?'} 起{('至 ' + until) if until else ''}）"
        if org == ctx.canonical:
            found = found or is_rep
            facts.add("identity", "legal_representative" if is_rep else "officer",
                      f"{role or '任职人员'}：{graph.caption(director)}{span}",
                      f"{'Legal representative' if is_rep else role or 'Officer'}: {graph.caption(director)}",
                      [link["rel"], director], data={"person": director, "role": role, "since": since,
                                                      "until": until})
        else:
            facts.add("identity", "office_held", f"担任 {graph.caption(org)} 的{role or '职务'}{span}",
                      f"Holds office as {role or 'officer'} of {graph.caption(org)}", [link["rel"], org],
                      data={"organization": org, "role": role, "since": since, "until": until})
    if ctx.schema != "Person" and not found:
        facts.gap("identity", "no_legal_representative", "缺少法定代表人信息", "no legal representative in the data",
                  [ctx.canonical])


# -- duty (执行义务) ---------------------------------------------------------------------
def duty_facts(ctx: Context) -> None:
    """执行义务: the case, the effective judgment, the debt and balance, notices served, measures."""
    graph, facts = ctx.graph, ctx.facts
    for case in ctx.cases:
        cid, number = case["id"], case["case_number"] or case["id"]
        role_zh, role_en = ROLE_NAMES.get(case["role"], (case["role"], case["role"]))
        apps = "、".join(a["name"] for a in case["applicants"]) or "—"
        facts.add("duty", "case", f"执行案件 {number}（{case['court'] or '法院不详'}，立案 {case['file_date'] or '—'}）；"
                  f"{ctx.name} 为{role_zh}，申请执行人 {apps}",
                  f"Enforcement case {number} ({case['court'] or 'court unknown'}, filed {case['file_date'] or '—'}); "
                  f"{ctx.name} is the {role_en}; applicant(s): {apps}",
                  [cid, case["link"], *[a["link"] for a in case["applicants"]], *[a["id"] for a in case["applicants"]]],
                  date=case["file_date"], data={"case": cid, "case_number": case["case_number"],
                                                "court": case["court"], "status": case["status"]})
        if not case["applicants"]:
            facts.gap("duty", "no_applicant", f"{number}：缺少申请执行人", f"{number}: no applicant", [cid])
        if case["effective_date"]:
            src = case["effective_source"]
            how = ("判决生效事件" if graph.schema(src) == "Event" else "债务记录的生效日期")
            facts.add("duty", "effective", f"{number}：判决于 {case['effective_date']} 生效（{how}），执行义务自该日起算"
                      "（指导案例71号）", f"{number}: judgment effective on {case['effective_date']}; the duty "
                      "runs from that day (Guiding Case 71)", [src, cid], date=case["effective_date"],
                      data={"case": cid, "effective_date": case["effective_date"]})
        else:
            facts.gap("duty", "no_effective_date", f"{number}：缺少生效日期，无法确定执行义务起算日",
                      f"{number}: no effective date; the start of the duty is unknown", [cid])
        for debt in case["debts"]:
            facts.add("duty", "debt", f"{number}：应履行金额 {money(debt['amount'], debt['currency'])}，"
                      f"债权人 {graph.caption(debt['creditor'])}", f"{number}: amount due "
                      f"{money(debt['amount'], debt['currency'])} to {graph.caption(debt['creditor'])}",
                      [debt["id"], debt["creditor"]], date=debt["date"], amount=debt["amount"],
                      data={"case": cid, **debt})
        for bal in case["balances"]:
            facts.add("duty", "balance", f"{number}：截至 {bal['date'] or '—'} 未履行余额 "
                      f"{money(bal['amount'], bal['currency'])}", f"{number}: unpaid balance "
                      f"{money(bal['amount'], bal['currency'])} as of {bal['date'] or '—'}",
                      [bal["id"]], date=bal["date"], amount=bal["amount"], data={"case": cid, **bal})
        if not case["debts"]:
            facts.gap("duty", "no_debt", f"{number}：缺少债务金额（Debt）", f"{number}: no debt amount (Debt)", [cid])
        for name in ("lawsuit_served", "enforcement_filed", "execution_notice", "property_report_order",
                     "assistance_notice", "termination"):
            zh, en = MILESTONES[name]
            for when, eid in case["milestones"].get(name, []):
                facts.add("duty", name, f"{number}：{zh} {when}", f"{number}: {en} on {when}", [eid],
                          date=when, data={"case": cid, "milestone": name})
        for name, zh, en in (("execution_notice", "未见执行通知送达记录", "no execution notice served in the data"),
                             ("property_report_order", "未见报告财产令送达记录",
                              "no property report order served in the data")):
            if not case["milestones"].get(name):
                facts.gap("duty", f"no_{name}", f"{number}：{zh}", f"{number}: {en}", [cid])
    for s in ctx.sanctions:
        zh, en = PROGRAMS.get(s["program"], (s["program"], s["program"]))
        what = "、".join(graph.caption(e) for e in s["entities"]) or "—"
        facts.add("duty", "measure", f"执行措施：{zh}（{what}），{s['start'] or '—'} 起"
                  + (f"至 {s['end']}" if s["end"] else ""),
                  f"Enforcement measure: {en} ({what}) from {s['start'] or '—'}"
                  + (f" to {s['end']}" if s["end"] else ""), [s["id"], *s["entities"]], date=s["start"],
                  data={"program": s["program"], "start": s["start"], "end": s["end"]})
