"""The milestones of an enforcement case, and where an act falls among them.

A case's timeline comes from its ``Event`` entities (``lawsuit_served``,
``judgment_effective``, ``enforcement_filed``, ``execution_notice``,
``property_report_order``, ``assistance_notice``, ``termination``), its ``Sanction``
entities (``freeze``, ``seizure``, ``dishonest_listing``, ``consumption_restriction``)
and its ``Debt`` (whose ``date`` is the date the judgment became effective), all tied
to the case by the normalised case number (docs/interchange.md, "The case and its milestones").

Dates that matter to detection:

- **duty start**: the judgment's effective date (SPC Guiding Case No. 71), else the
  Debt's date, else the enforcement filing, else the case's ``fileDate``;
- **watch start**: the notice to respond (``lawsuit_served``) when it comes first, since
  hiding assets after it counts under art. 6 of 法释〔2024〕13号, else the duty start;
- **report look-back**: the year before the execution notice (CPL art. 252), when a
  property report order was served.

:func:`place` turns a date into "执行通知送达后 3 天 / 3 days after the execution notice".
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from debtorgraph.analysis.tracing.input import parse_when
from debtorgraph.graph.identity import normalize_case_number

log = logging.getLogger(__name__)

__all__ = ["Milestone", "CaseMilestones", "Placement", "case_milestones", "place", "to_when",
           "norm_role", "norm_program", "norm_event",
           "EVENT_NAMES", "SANCTION_PROGRAMS", "LOOK_BACK_DAYS"]

#: CPL art. 252: property held in the year before the execution notice must be reported.
LOOK_BACK_DAYS = 365

#: Event names of docs/interchange.md with their Chinese and English labels.
EVENT_NAMES: dict[str, tuple[str, str]] = {
    "lawsuit_served": ("应诉通知送达", "service of the notice to respond"),
    "judgment_effective": ("判决生效", "the judgment took effect"),
    "enforcement_filed": ("立案执行", "the enforcement filing"),
    "execution_notice": ("执行通知送达", "the execution notice"),
    "property_report_order": ("报告财产令送达", "the order to report property"),
    "assistance_notice": ("协助执行通知送达", "the assistance notice"),
    "termination": ("终结本次执行", "the termination of enforcement"),
}
#: Sanction programmes of docs/interchange.md with their labels.
SANCTION_PROGRAMS: dict[str, tuple[str, str]] = {
    "freeze": ("冻结", "the freeze"),
    "seizure": ("查封", "the seizure"),
    "dishonest_listing": ("纳入失信名单", "the dishonest listing"),
    "consumption_restriction": ("限制消费令", "the consumption restriction"),
}
_EVENT_ALIASES = {"应诉通知": "lawsuit_served", "判决生效": "judgment_effective", "生效": "judgment_effective",
                  "立案执行": "enforcement_filed", "执行立案": "enforcement_filed",
                  "执行通知": "execution_notice", "报告财产令": "property_report_order",
                  "协助执行通知书": "assistance_notice", "协助执行通知": "assistance_notice",
                  "终结本次执行": "termination", "终本": "termination"}
_PROGRAM_ALIASES = {"冻结": "freeze", "查封": "seizure", "扣押": "seizure", "失信": "dishonest_listing",
                    "失信被执行人名单": "dishonest_listing", "限制消费": "consumption_restriction",
                    "限制消费令": "consumption_restriction", "限高": "consumption_restriction"}
_ROLE_ALIASES = {"被执行人": "debtor", "申请执行人": "applicant", "担保人": "guarantor",
                 "协助执行人": "assisting_unit", "协助执行单位": "assisting_unit",
                 "原告": "plaintiff", "被告": "defendant", "第三人": "third_party"}


def to_when(value: Any) -> datetime | None:
    """Parse an FtM date (``2023-05-01``, ``2023-05-01T10:00``); None when absent or bad.

    >>> to_when("2023-05-01"), to_when(None), to_when("soon")
    (datetime.datetime(2023, 5, 1, 0, 0), None, None)
    """
    if value is None or value == "":
        return None
    try:
        return parse_when(value)
    except (ValueError, TypeError):
        return None


def norm_word(value: str | None, aliases: dict[str, str]) -> str:
    """Lower-case English word, or the English word for a known Chinese one."""
    text = (value or "").strip()
    return aliases.get(text, text.lower().replace(" ", "_"))


def norm_role(value: str | None) -> str:
    """CourtCaseParty role in English (``被执行人`` -> ``debtor``)."""
    return norm_word(value, _ROLE_ALIASES)


def norm_program(value: str | None) -> str:
    """Sanction programme in English (``查封`` -> ``seizure``)."""
    return norm_word(value, _PROGRAM_ALIASES)


def norm_event(value: str | None) -> str:
    """Event name in English (``执行通知`` -> ``execution_notice``)."""
    return norm_word(value, _EVENT_ALIASES)


@dataclass(frozen=True)
class Milestone:
    """One dated step of a case: an Event, a Sanction, or a Debt's effective date."""

    name: str              # event name or sanction programme
    when: datetime
    entity: str            # id of the Event / Sanction / Debt
    involved: tuple[str, ...] = ()  # Event.involved or Sanction.entity
    end: datetime | None = None     # Sanction endDate (lifted)

    def active(self, when: datetime) -> bool:
        """True when ``when`` falls on or after the start and before the end (if lifted)."""
        return self.when <= when and (self.end is None or when < self.end)


@dataclass(frozen=True)
class Placement:
    """Where a date falls: the milestone before it and the days in between."""

    milestone: str | None
    days: int
    zh: str
    en: str

    def as_dict(self) -> dict[str, Any]:
        return {"milestone": self.milestone, "days": self.days, "zh": self.zh, "en": self.en}


@dataclass
class CaseMilestones:
    """The timeline of one CourtCase."""

    case: str
    case_number: str | None = None
    court: str | None = None
    file_date: datetime | None = None
    description: str = ""
    events: list[Milestone] = field(default_factory=list)
    sanctions: list[Milestone] = field(default_factory=list)
    debts: list[dict[str, Any]] = field(default_factory=list)   # id, debtor, creditor, amount, when, balance
    parties: dict[str, set[str]] = field(default_factory=dict)  # role -> party ids
    party_links: dict[str, str] = field(default_factory=dict)   # party id -> CourtCaseParty id

    def first(self, name: str) -> Milestone | None:
        """The earliest event of this name."""
        found = [m for m in self.events if m.name == name]
        return min(found, key=lambda m: m.when) if found else None

    def all(self, name: str) -> list[Milestone]:
        """Every event or sanction with this name, earliest first."""
        return sorted((m for m in self.events + self.sanctions if m.name == name), key=lambda m: m.when)

    def role(self, role: str) -> set[str]:
        return self.parties.get(role, set())

    @property
    def duty_start(self) -> datetime | None:
        """When the duty to pay arose: judgment effective, else Debt date, else filing."""
        ms = self.first("judgment_effective")
        if ms:
            return ms.when
        dated: list[datetime] = [d["when"] for d in self.debts if d["when"] and not d.get("balance")]
        if dated:
            return min(dated)
        ms = self.first("enforcement_filed")
        return ms.when if ms else self.file_date

    @property
    def duty_basis(self) -> str:
        """Which fact the duty start was taken from."""
        if self.first("judgment_effective"):
            return "judgment_effective"
        if any(d["when"] and not d.get("balance") for d in self.debts):
            return "debt_date"
        return "enforcement_filed" if self.first("enforcement_filed") else "file_date"

    @property
    def watch_start(self) -> datetime | None:
        """Start of the window in which hiding counts (art. 6 of 法释〔2024〕13号)."""
        duty = self.duty_start
        served = self.first("lawsuit_served")
        if served and (duty is None or served.when < duty):
            return served.when
        return duty

    @property
    def lookback(self) -> tuple[datetime, datetime] | None:
        """(start, end) of the property-report look-back year, when an order was served."""
        order = self.first("property_report_order")
        if order is None:
            return None
        notice = self.first("execution_notice")
        anchor = notice.when if notice else order.when
        return anchor - timedelta(days=LOOK_BACK_DAYS), max(anchor, order.when)

    @property
    def debt_amount(self) -> float:
        """The adjudged amount (the first Debt that is not a balance)."""
        amounts = [d["amount"] for d in self.debts if d["amount"] and not d.get("balance")]
        return max(amounts) if amounts else 0.0

    @property
    def is_enforcement(self) -> bool:
        """An enforcement case: a 执 case number, or an enforcement milestone."""
        if self.case_number and "执" in self.case_number:
            return True
        return bool(self.first("enforcement_filed") or self.first("execution_notice"))

    def timeline(self) -> list[Milestone]:
        """Every event and sanction, earliest first."""
        return sorted(self.events + self.sanctions, key=lambda m: (m.when, m.name))


def _props(ent: dict[str, Any]) -> dict[str, list[str]]:
    return ent.get("properties") or {}


def _one(props: dict[str, list[str]], name: str) -> str | None:
    vals = props.get(name) or []
    return vals[0] if vals else None


def _number(text: str | None) -> float:
    try:
        return float(str(text).replace(",", "")) if text else 0.0
    except ValueError:
        return 0.0


def case_milestones(case: dict[str, Any], entities: Iterable[dict[str, Any]]) -> CaseMilestones:
    """Collect the timeline of ``case`` from FtM entities.

    Parameters
    ----------
    case : dict
        The CourtCase entity.
    entities : iterable of dict
        Candidate Events, Sanctions, Debts and CourtCaseParty links; those whose case
        number (``summary``) or ``case`` reference matches are kept.

    Returns
    -------
    CaseMilestones

    Examples
    --------
    >>> case = {"id": "c1", "schema": "CourtCase", "properties": {"caseNumber": ["（2022）川3338执1号"]}}
    >>> ev = {"id": "e1", "schema": "Event", "properties": {"name": ["judgment_effective"],
    ...       "date": ["2022-05-01"], "summary": ["(2022)川3338执1号"]}}
    >>> ms = case_milestones(case, [ev])
    >>> ms.duty_start, ms.duty_basis
    (datetime.datetime(2022, 5, 1, 0, 0), 'judgment_effective')
    """
    props = _props(case)
    number = _one(props, "caseNumber")
    key = normalize_case_number(number) if number else None
    ms = CaseMilestones(case["id"], number, _one(props, "court"), to_when(_one(props, "fileDate")),
                        " ".join(props.get("description", []) + props.get("summary", [])
                                 + props.get("status", [])))
    for ent in entities:
        p, schema = _props(ent), ent.get("schema")
        if schema == "CourtCaseParty":
            if case["id"] in p.get("case", []):
                role = norm_role(_one(p, "role"))
                for party in p.get("party", []):
                    ms.parties.setdefault(role, set()).add(party)
                    ms.party_links.setdefault(party, ent["id"])
            continue
        summary = _one(p, "summary")
        if key is None or summary is None or normalize_case_number(summary) != key:
            continue
        if schema == "Event":
            name = norm_word(_one(p, "name"), _EVENT_ALIASES)
            when = to_when(_one(p, "date") or _one(p, "startDate"))
            if when is not None:
                ms.events.append(Milestone(name, when, ent["id"], tuple(p.get("involved", []))))
            if p.get("description"):  # how a step ended (调解, 判决) is case text too
                ms.description = " ".join([ms.description] + p["description"]).strip()
        elif schema == "Sanction":
            name = norm_word(_one(p, "program"), _PROGRAM_ALIASES)
            when = to_when(_one(p, "startDate") or _one(p, "date") or _one(p, "listingDate"))
            if when is not None:
                ms.sanctions.append(Milestone(name, when, ent["id"], tuple(p.get("entity", [])),
                                              to_when(_one(p, "endDate"))))
        elif schema == "Debt":
            desc = " ".join(p.get("description", [])).lower()
            if desc and desc != "balance":
                ms.description = " ".join([ms.description, desc]).strip()
            ms.debts.append({"id": ent["id"], "debtor": p.get("debtor", []),
                             "creditor": p.get("creditor", []), "amount": _number(_one(p, "amount")),
                             "when": to_when(_one(p, "date")), "balance": "balance" in desc})
    ms.events.sort(key=lambda m: m.when)
    ms.sanctions.sort(key=lambda m: m.when)
    return ms


def _days(later: datetime, earlier: datetime) -> int:
    return (later.date() - earlier.date()).days


def place(when: datetime | date, ms: CaseMilestones) -> Placement:
    """Say where ``when`` falls among the case's milestones.

    The latest milestone on or before the date is named, with the days since it; a
    date before every milestone is placed before the first one.

    Parameters
    ----------
    when : datetime or date
        The date of the act.
    ms : CaseMilestones
        The case's timeline.

    Returns
    -------
    Placement
        ``milestone`` (name or None), ``days`` and the Chinese and English phrases.

    Examples
    --------
    >>> ms = CaseMilestones("c1", events=[
    ...     Milestone("judgment_effective", datetime(2023, 1, 10), "e1"),
    ...     Milestone("execution_notice", datetime(2023, 3, 1), "e2")])
    >>> place(datetime(2023, 3, 4, 15), ms).zh, place(datetime(2023, 3, 4), ms).en
    ('执行通知送达后 3 天', '3 days after the execution notice')
    >>> place(datetime(2023, 1, 10), ms).zh, place(datetime(2022, 12, 31), ms).en
    ('判决生效当天', '10 days before the judgment took effect')
    """
    moment = when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)
    line = ms.timeline()
    labels = {**EVENT_NAMES, **SANCTION_PROGRAMS}
    if not line:
        return Placement(None, 0, "案件无里程碑可对照", "no milestone of the case to compare with")
    before = [m for m in line if m.when.date() <= moment.date()]
    if before:
        ref = before[-1]
        days = _days(moment, ref.when)
        zh_label, en_label = labels.get(ref.name, (ref.name, ref.name))
        if days == 0:
            return Placement(ref.name, 0, f"{zh_label}当天", f"on the day of {en_label}")
        unit = "day" if days == 1 else "days"
        return Placement(ref.name, days, f"{zh_label}后 {days} 天", f"{days} {unit} after {en_label}")
    ref = line[0]
    days = _days(ref.when, moment)
    zh_label, en_label = labels.get(ref.name, (ref.name, ref.name))
    unit = "day" if days == 1 else "days"
    return Placement(ref.name, -days, f"{zh_label}前 {days} 天", f"{days} {unit} before {en_label}")
