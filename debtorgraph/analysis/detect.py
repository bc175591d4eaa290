"""Detection: run every rule for every debtor, score, word and source the findings.

The output is the ``Findings (detect)`` format of docs/interchange.md, one JSON object per
line: ``id``, ``rule``, ``score``, ``subject``, ``actor``, ``case``, ``acts``,
``counterparties``, ``amount``, ``date``, ``legal_basis``, ``explanation`` (Chinese),
``explanation_en``, ``sources``; plus ``factors`` (what raised or lowered the score),
``timing`` (the act against the case's milestones), ``revocation`` (Civil Code art. 541
deadlines for revocable acts), ``legal_basis_zh``, ``case_number`` and ``currency``.

Scoring: each rule gives a base score and factors (see the rule's docstring); then for
every rule whose actor is the debtor, an act between the notice to respond and the
judgment's effective date is marked (-0.05; it counts under art. 6 of 法释〔2024〕13号
only if the debtor still refuses), and money the debtor paid the applicant or the court
lowers the score by 0.3 x the share of the debt paid: paying the creditor never raises
a score. Scores are clamped to 0..1. :data:`DEFAULT_THRESHOLD` = 0.5 is the line above
which a finding is reported by default (planted schemes score 0.6 to 1.0, their honest
look-alikes are either not found or score below 0.5; bench/detect_quality.py).

Leads: a rule may mark a candidate as a lead (what only says "check this", such as an
asset held in the report order's look-back year with no property report in the data).
A lead scores at most :data:`LEAD_CAP` (under the threshold), carries ``lead`` (what
would confirm it) and is listed apart (``detect --leads``, the app's leads view); it is
never evidence. Every rule follows the consideration of the acts it reads
(:mod:`~debtorgraph.analysis.rules.consideration`): value that went on to the court or the
applicant, or came back within days, clears an act; a price paid back aggravates it.

Ids: ``f-`` + the first 16 hex digits of SHA-1 over the rule and the sorted act ids, so
the same input gives the same ids. Ids in findings are the input ids: a party merged
with another by its identifier is named as the act's own record names it.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

import networkx as nx

from debtorgraph.analysis.milestones import CaseMilestones, place
from debtorgraph.analysis.provenance import Provenance, first_value
from debtorgraph.analysis.rules import RULE_NAMES, RULES
from debtorgraph.analysis.rules.base import Candidate, Context, Factor
from debtorgraph.analysis.rules.law import cite
from debtorgraph.errors import InvalidInput
from debtorgraph.graph.memory import paused_gc

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_THRESHOLD", "LEAD_CAP", "Finding", "Provenance", "detect", "detect_graph", "revocation", "finding_id"]

DEFAULT_THRESHOLD = 0.5
CLAIM_FROM = 0.5
#: A lead (what only says "check this") never scores above this: it stays under the threshold.
LEAD_CAP = 0.45
@dataclass
class Finding:
    """One finding in the docs/interchange.md format (see :meth:`as_dict`)."""

    id: str
    rule: str
    score: float
    subject: str
    actor: str
    case: str | None
    acts: list[str]
    counterparties: list[str]
    amount: float
    date: str
    legal_basis: list[str]
    explanation: str
    explanation_en: str
    sources: list[dict[str, Any]]
    factors: list[dict[str, Any]] = field(default_factory=list)
    timing: dict[str, Any] = field(default_factory=dict)
    revocation: dict[str, Any] | None = None
    legal_basis_zh: list[str] = field(default_factory=list)
    case_number: str | None = None
    currency: str = "CNY"
    lead: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of one finding (docs/interchange.md fields first)."""
        return {"id": self.id, "rule": self.rule, "score": self.score, "subject": self.subject,
                "actor": self.actor, "case": self.case, "acts": self.acts,
                "counterparties": self.counterparties, "amount": self.amount, "date": self.date,
                "legal_basis": self.legal_basis, "explanation": self.explanation,
                "explanation_en": self.explanation_en, "sources": self.sources,
                "factors": self.factors, "timing": self.timing, "revocation": self.revocation,
                "legal_basis_zh": self.legal_basis_zh, "case_number": self.case_number,
                "currency": self.currency, "lead": self.lead}


def finding_id(rule: str, acts: Iterable[str]) -> str:
    """Stable id: the same rule and acts always give the same id.

    >>> finding_id("cash_out", ["p2", "p1"]) == finding_id("cash_out", ["p1", "p2"])
    True
    """
    text = rule + "\x1f" + "\x1f".join(sorted(set(acts)))
    return "f-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _load_date(load_id: str | None) -> date | None:
    """The day of a load from its id (``20240101T120000-abcd1234``)."""
    if not load_id or len(load_id) < 8 or not load_id[:8].isdigit():
        return None
    try:
        return datetime.strptime(load_id[:8], "%Y%m%d").date()
    except ValueError:
        return None


def _plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def revocation(act: date, case: CaseMilestones, loaded: date | None, today: date) -> dict[str, Any]:
    """Civil Code art. 541 deadlines of a revocable act.

    The right ends 1 year after the creditor knew or should have known of the act, and in
    any case 5 years after the act. Knowledge is taken as the enforcement filing when the
    act came before it (the network inquiry at filing shows registered transfers), else
    the day the data showing the act was loaded into debtorgraph, else today.

    >>> from debtorgraph.analysis.milestones import Milestone
    >>> ms = CaseMilestones("c", events=[Milestone("enforcement_filed", datetime(2023, 3, 1), "e")])
    >>> r = revocation(date(2023, 1, 5), ms, None, date(2024, 6, 1))
    >>> r["knowledge_basis"], r["deadline"], r["expired"]
    ('enforcement_filed', '2024-03-01', True)
    """
    filed = case.first("enforcement_filed")
    if filed is not None and act < filed.when.date():
        known, basis, zh = filed.when.date(), "enforcement_filed", "立案执行之日（网络查控可发现该行为）"
    elif loaded is not None:
        known, basis, zh = max(loaded, act), "data_loaded", "数据导入之日"
    else:
        known, basis, zh = max(today, act), "detection_run", "本次检测之日"
    one_year, five_years = _plus_years(known, 1), _plus_years(act, 5)
    deadline = min(one_year, five_years)
    return {"provision": "Civil Code art. 541", "act_date": act.isoformat(),
            "knowledge_date": known.isoformat(), "knowledge_basis": basis, "knowledge_basis_zh": zh,
            "one_year_deadline": one_year.isoformat(), "five_year_deadline": five_years.isoformat(),
            "deadline": deadline.isoformat(), "expired": deadline < today}


def _score(c: Candidate, ctx: Context) -> tuple[float, list[Factor]]:
    factors = list(c.factors)
    case = c.case
    if c.actor == ctx.subject:
        duty = case.duty_start
        if duty is not None and c.when < duty:
            factors.append(Factor("before_effective", -0.05, "行为发生在判决生效前、应诉通知后（法释〔2024〕13号第六条）",
                                  "after the notice to respond but before the judgment took effect (art. 6)"))
        paid = ctx.paid_to_creditors(case.watch_start)
        if paid > 0:
            share = min(1.0, paid / case.debt_amount) if case.debt_amount else 0.15
            factors.append(Factor("paid_creditor", round(-0.3 * share, 3),
                                  f"债务人已向申请人或法院支付 {paid:,.0f} 元",
                                  f"the debtor paid the applicant or the court {paid:,.0f} yuan"))
    score = c.base + sum(f.weight for f in factors)
    if c.lead is not None:
        score = min(score, LEAD_CAP)
    return round(min(1.0, max(0.0, score)), 3), factors


def _sources(acts: list[str], prov: Provenance) -> list[dict[str, Any]]:
    out = []
    for act in acts:
        props = prov.records.get(act, {})
        proof = first_value(props, "proof")
        doc = prov.documents.get(proof) if proof else None
        out.append({"act": act, "schema": prov.schemata.get(act),
                    "document": doc or ({"id": proof} if proof else None),
                    "recordId": first_value(props, "recordId"), "origin": prov.origins.get(act)})
    return out


def _finding(c: Candidate, ctx: Context, module: Any, prov: Provenance, subject_input: str,
             today: date) -> Finding:
    score, factors = _score(c, ctx)
    timing = place(c.when, c.case)
    zh, en = module.explain(c, ctx, timing.zh, timing.en)
    codes = list(c.provisions)
    if any(f.code == "before_effective" for f in factors) and "I24-6" not in codes:
        codes.append("I24-6")
    if c.revocable:
        codes.append("CC541")
    basis_en, basis_zh = cite(codes)
    acts = list(dict.fromkeys(c.acts))
    subject = subject_input
    actor = subject if c.actor == ctx.subject else prov.input_ids(c.actor, acts)
    parties = [subject if p == ctx.subject else prov.input_ids(p, acts) for p in c.counterparties]
    revoke = None
    if c.revocable:
        loads = [_load_date(prov.loads.get(a)) for a in acts]
        loaded = max((d for d in loads if d), default=None)
        revoke = revocation(c.when.date(), c.case, loaded, today)
    return Finding(finding_id(c.rule, acts), c.rule, score, subject, actor, c.case.case, acts,
                   list(dict.fromkeys(parties)), round(float(c.amount), 2), c.when.date().isoformat(),
                   basis_en, zh, en, _sources(acts, prov), [f.as_dict() for f in factors],
                   timing.as_dict(), revoke, basis_zh, c.case.case_number,
                   lead={"confirm": c.lead[0], "confirm_en": c.lead[1]} if c.lead else None)


def detect_graph(g: nx.MultiDiGraph, *, subjects: Iterable[str] | None = None,
                 case: str | None = None, rules: Iterable[str] | None = None,
                 min_score: float = 0.0, settings: dict[str, Any] | None = None,
                 today: date | None = None) -> list[Finding]:
    """Run the detection rules on an analysis graph.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The analysis graph (:func:`debtorgraph.graph.subgraph.graph_from_entities`);
        it must hold the debtors' CourtCaseParty links and their cases' milestones.
    subjects : iterable of str, optional
        Debtor ids (canonical) to examine; default every debtor in the graph.
    case : str, optional
        Only findings of this CourtCase id.
    rules : iterable of str, optional
        Rule names to run (default all, :data:`~debtorgraph.analysis.rules.RULE_NAMES`).
    min_score : float
        Findings below this score are dropped (0 keeps all; the CLI uses
        :data:`DEFAULT_THRESHOLD`).
    settings : dict, optional
        ``lease_yield`` and other tunables.
    today : date, optional
        "Now" for art. 541 deadlines (default today).

    Returns
    -------
    list of Finding
        Highest score first.

    Raises
    ------
    InvalidInput
        For an unknown rule name or a score outside 0..1.

    Examples
    --------
    >>> from debtorgraph.graph.subgraph import graph_from_entities
    >>> def e(i, schema, **p):
    ...     return {"id": i, "schema": schema, "properties": {k: [v] for k, v in p.items()}}
    >>> g = graph_from_entities([
    ...     e("wang", "Person", name="王某"), e("sis", "Person", name="王妹"),
    ...     e("c1", "CourtCase", caseNumber="(2023)川3338执1号"),
    ...     e("ccp", "CourtCaseParty", party="wang", case="c1", role="debtor"),
    ...     e("ev", "Event", name="judgment_effective", date="2023-01-10", summary="(2023)川3338执1号"),
    ...     e("f1", "Family", person="wang", relative="sis", relationship="sibling"),
    ...     e("pay1", "Payment", payer="wang", beneficiary="sis", amount="80000", date="2023-02-01")])
    >>> [(f.rule, f.score, f.acts, f.counterparties) for f in detect_graph(g)]
    [('related_party_payment', 0.78, ['pay1'], ['sis'])]
    """
    wanted = _check_args(rules, min_score)
    from debtorgraph.analysis.neighbourhood.memory import GraphSource

    return detect(GraphSource(g), subjects=subjects, case=case, rules=wanted, min_score=min_score,
                  settings=settings, today=today)


def detect(source: Any, *, subjects: Iterable[str] | None = None, case: str | None = None,
           rules: Iterable[str] | None = None, min_score: float = 0.0,
           settings: dict[str, Any] | None = None, today: date | None = None) -> list[Finding]:
    """Run the rules for the debtors of a :class:`~debtorgraph.analysis.neighbourhood.read.Source`.

    As :func:`detect_graph`, on a store (a Store, or its
    :class:`debtorgraph.analysis.neighbourhood.store.StoreSource`) or a graph: each debtor's
    neighbourhood is collected first, so the work per debtor depends on the debtor's own
    data, not on the size of the store.
    """
    from debtorgraph.analysis.neighbourhood.memory import GraphSource

    if isinstance(source, nx.MultiDiGraph):
        source = GraphSource(source)
    elif not hasattr(source, "debtors"):  # a Store
        from debtorgraph.analysis.neighbourhood.store import StoreSource

        source = StoreSource(source)
    wanted = _check_args(rules, min_score)
    today = today or date.today()
    by_debtor = source.debtors()
    if case is not None:
        by_debtor = {d: cs for d, cs in by_debtor.items() if case in cs}
    chosen = [s for s in (list(subjects) if subjects is not None else sorted(by_debtor)) if s in by_debtor]
    found: dict[str, Finding] = {}
    with paused_gc():
        for subject in chosen:
            _detect_one(source, subject, by_debtor[subject], wanted, case, min_score, settings,
                        today, found)
    return sorted(found.values(), key=lambda f: (-f.score, f.date, f.id))


def _detect_one(source: Any, subject: str, case_ids: list[str], wanted: list[str], case: str | None,
                min_score: float, settings: dict[str, Any] | None, today: date,
                found: dict[str, Finding]) -> None:
    """Run the rules for one debtor and add its findings to ``found``."""
    from debtorgraph.analysis.neighbourhood.read import cases_of, neighbourhood
    from debtorgraph.graph.subgraph import graph_from_entities

    entities, prov = neighbourhood(source, subject, case_ids)
    g = graph_from_entities(entities)
    ctx = Context(g, subject, cases_of(entities), settings)
    picked: list[tuple[Any, Candidate]] = []
    for module in RULES:
        candidates = module.find(ctx)
        for c in candidates:
            if c.base >= CLAIM_FROM:
                ctx.claimed.update(a for a in c.acts if a not in g)
        if module.RULE in wanted:
            picked += [(module, c) for c in candidates if case is None or c.case.case == case]
    prov.prepare([a for _, c in picked for a in c.acts]
                 + [link for c in ctx.cases + ctx.others for link in c.party_links.values()])
    subject_input = _subject_input(ctx, prov)
    for module, c in picked:
        f = _finding(c, ctx, module, prov, subject_input, today)
        if f.score >= min_score and (f.id not in found or found[f.id].score < f.score):
            found[f.id] = f
    log.debug("debtor %s: %d entities, %d findings so far", subject, len(entities), len(found))


def _check_args(rules: Iterable[str] | None, min_score: float) -> list[str]:
    """The rule names asked for, after checking them and the score."""
    wanted = list(rules) if rules is not None else list(RULE_NAMES)
    unknown = [r for r in wanted if r not in RULE_NAMES]
    if unknown:
        raise InvalidInput(f"未知规则 {unknown[0]!r}，可选：{', '.join(RULE_NAMES)} / unknown rule "
                           f"{unknown[0]!r}; choose from {', '.join(RULE_NAMES)}", {"rule": unknown[0]})
    if not 0.0 <= min_score <= 1.0:
        raise InvalidInput(f"最低分数 {min_score} 应在 0 到 1 之间 / min_score {min_score} must be "
                           "between 0 and 1", {"min_score": min_score})
    return wanted


def _subject_input(ctx: Context, prov: Provenance) -> str:
    """The debtor's id as its CourtCaseParty record gives it."""
    for case in ctx.cases + ctx.others:
        link = case.party_links.get(ctx.subject)
        if link:
            return prov.input_ids(ctx.subject, [link])
    return ctx.subject
