"""The part of the graph the rules need for one debtor, read from any :class:`Source`.

Detection never reads the whole graph per debtor. For each debtor it collects:

1. the debtor's cases (and every other case naming the debtor, such as a suit brought
   by a relative) with their parties, milestones, measures and debts;
2. the relations around the debtor, three links deep (Family, Associate, Employment,
   Directorship, Ownership, Representation, Control, Succession), not expanding from
   employers or employees (only their accounts) nor from hubs with more than
   ``HUB_LINKS`` links;
3. the debtor's payments from a year before the watch window opens (the baseline of
   regular income): out from ``OUT_MIN`` (the smallest amount a payment rule reads), in
   from ``IN_MIN``, and of any amount: cash (to itself), to the applicant or the court,
   out of an account while it is frozen, and barred spending after a consumption
   restriction (classified on the payee's name and the purpose first); payments into the
   related parties naming a sealed vehicle or flat (a private sale); and what the
   related parties, buyers and former spouses paid the applicant or the court (the
   consideration followed on, :mod:`~debtorgraph.analysis.rules.consideration`);
4. payments out of the units served assistance notices, out of a company debtor's
   controllers and officers (consumption), and out of the debtor's regular payers to
   the parties found (diverted income);
5. waves of onward payments from the receivers of the debtor's large transfers, each
   within the layering rule's longest wait, up to the sum of what arrived (layered
   transfers, split and joined again);
6. the holders of every account those payments name, the court (the PublicBody named
   in ``CourtCase.court``) and its accounts, Sanctions on every entity found, the nodes
   at the ends of every link, and provenance.

A :class:`Source` answers these questions;
:class:`~debtorgraph.analysis.neighbourhood.memory.GraphSource` answers them from an in-memory
analysis graph, :class:`debtorgraph.analysis.neighbourhood.store.StoreSource` from a store with one
labelled, id-indexed Cypher query per question.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Protocol

from debtorgraph.analysis.milestones import CaseMilestones, case_milestones, norm_program
from debtorgraph.analysis.rules import layered_transfer as layered
from debtorgraph.analysis.rules.text import asset_marks, classify_consumption, names_asset

log = logging.getLogger(__name__)

__all__ = ["Source", "neighbourhood", "cases_of", "REL_SCHEMATA", "HUB_LINKS", "BASELINE_DAYS"]

REL_SCHEMATA = ("Family", "Associate", "Employment", "Directorship", "Ownership", "Representation",
                "Control", "Succession")
HUB_LINKS = 300
BASELINE_DAYS = 400
#: Smallest outgoing payment any payment rule reads (fan-out's per-payment minimum).
OUT_MIN = 2_000.0
#: Smallest incoming payment read (regular income for the diverted-income baseline).
IN_MIN = 1_000.0
Entity = dict[str, Any]


class Source(Protocol):
    """Where the entities come from. Edge entities name their ends by canonical id."""

    def debtors(self) -> dict[str, list[str]]:
        """Debtor id -> ids of the CourtCases naming it as debtor."""

    def cases_of(self, ids: list[str]) -> list[str]:
        """Ids of the CourtCases naming any of ``ids`` as a party, in any role."""

    def case_entities(self, case_ids: list[str]) -> list[Entity]:
        """The CourtCases, their CourtCaseParty links, and the Events, Sanctions and
        Debts carrying their case numbers."""

    def links(self, ids: list[str], schemata: Iterable[str]) -> list[Entity]:
        """Edge entities of these schemata with an end among ``ids``."""

    def payments(self, ids: list[str], since: str, *, out: bool = True, into: bool = True,
                 until: str | None = None, min_amount: float | None = None,
                 to: list[str] | None = None, accounts: list[str] | None = None,
                 only: list[str] | None = None) -> list[Entity]:
        """Payments from (``out``) or to (``into``) ``ids`` dated ``since`` to ``until``
        (exclusive), of at least ``min_amount``; outgoing ones only to ``to``, only from
        the payer ``accounts``, only with the ids ``only`` when given."""

    def spending(self, ids: list[str], since: str) -> list[tuple[str, str, str]]:
        """(payment id, payee's name, purpose) of every payment out of ``ids`` since a date."""

    def nodes(self, ids: list[str]) -> list[Entity]:
        """Node entities by id."""

    def sanctions_on(self, ids: list[str]) -> list[Entity]:
        """Sanctions whose ``entity`` is among ``ids``."""

    def courts(self, names: list[str]) -> list[Entity]:
        """PublicBody entities with one of these names."""

    def provenance(self, ids: list[str]) -> Any:
        """A :class:`debtorgraph.analysis.detect.Provenance` for these entity ids."""


def _ends(ent: Entity) -> tuple[list[str], list[str]]:
    from debtorgraph.graph.subgraph import edge_ends

    ends = edge_ends(ent)
    return ends if ends else ([], [])


def _day(when: datetime) -> str:
    return when.date().isoformat()


def _named_sales(src: Source, sealed: list[str], since: str, kin: list[str],
                 keep: Callable[[Iterable[Entity]], list[Entity]]) -> None:
    """Payments into the debtor's relatives, since a seizure, whose purpose names the sealed
    vehicle or flat (its plate or title number): the price of a private sale paid to his side
    (rules/frozen_asset_disposal.py; payments into the debtor himself are read already)."""
    marks = [m for n in src.nodes(sealed) if n.get("schema") in ("Vehicle", "RealEstate")
             for m in asset_marks(n.get("properties", {}))]
    if not marks or not kin:
        return
    keep(p for p in src.payments(kin, since, out=False, min_amount=IN_MIN)
         if names_asset(" ".join(p["properties"].get("purpose", [])), marks))


def neighbourhood(src: Source, subject: str, case_ids: list[str]) -> tuple[list[Entity], Any]:
    """Collect what the rules need about one debtor.

    Parameters
    ----------
    src : Source
        Store or graph.
    subject : str
        The debtor's canonical id.
    case_ids : list of str
        The CourtCases naming the debtor as debtor.

    Returns
    -------
    (entities, provenance)
        FtM entity dicts (parties under canonical ids) and their provenance.
    """
    got: dict[str, Entity] = {}

    def keep(ents: Iterable[Entity]) -> list[Entity]:
        """Remember entities; return them all (also those already known)."""
        out = []
        for e in ents:
            out.append(got.setdefault(e["id"], e))
        return out

    # 1. cases
    every_case = list(dict.fromkeys(case_ids + src.cases_of([subject])))
    case_ents = keep(src.case_entities(every_case))
    cases = [case_milestones(e, case_ents) for e in case_ents if e["schema"] == "CourtCase"]
    starts = [d for c in cases for d in (c.watch_start, c.lookback[0] if c.lookback else None) if d]
    if not starts:
        starts = [datetime(1900, 1, 1) + timedelta(days=BASELINE_DAYS)]
    since = _day(min(starts) - timedelta(days=BASELINE_DAYS))
    # 2. relations, debts to others than the applicant (sham debts), measures, the court
    parties = _relations(src, subject, keep)
    keep(src.links([subject], ("Debt",)))
    sanctions = keep(src.sanctions_on(sorted(parties | {subject})))
    names = sorted({c.court for c in cases if c.court})
    courts = keep(src.courts(names)) if names else []
    if courts:
        keep(src.links([c["id"] for c in courts], ("Ownership",)))
    # 3. the debtor's payments
    own = keep(src.payments([subject], since, into=False, min_amount=OUT_MIN))
    own += keep(src.payments([subject], since, out=False, min_amount=IN_MIN))
    creditors = {a for c in cases for a in c.role("applicant")} | {c["id"] for c in courts}
    keep(src.payments([subject], since, into=False, to=sorted(creditors | {subject})))  # + cash
    claimants = sorted({x for c in cases for r in ("applicant", "plaintiff") for x in c.role(r)}
                       | {x for c in cases for d in c.debts for x in d["creditor"]} - {subject})
    if claimants:  # loans that flowed long ago (a relative's genuine suit, rules/sham_litigation.py)
        keep(src.payments(claimants, "1900-01-01", into=False, to=[subject]))
    others = sorted(parties - {subject} - creditors)
    if others and creditors:  # a buyer or a former spouse paying the court (rules/consideration.py)
        keep(src.payments(others, since, into=False, to=sorted(creditors)))
    held = {_ends(e)[1][0] for e in got.values() if e["schema"] == "Ownership"
            and subject in _ends(e)[0] and _ends(e)[1]}
    for sanc in sanctions:
        props = sanc["properties"]
        start = (props.get("startDate") or props.get("date") or [since])[0][:10]
        program = norm_program((props.get("program") or [""])[0])
        frozen = sorted(set(props.get("entity", [])) & held)
        if program == "freeze" and frozen:
            keep(src.payments([subject], start, into=False, accounts=frozen))
        if program == "seizure" and frozen:  # a sealed car or flat sold privately, paid to his side
            _named_sales(src, frozen, start, sorted(parties - {subject}), keep)
    # 4. units, controllers, regular payers
    units = sorted({p for c in cases for p in c.role("assisting_unit")}
                   | {p for c in cases for m in c.all("assistance_notice") for p in m.involved}
                   - {subject} - set(creditors))
    targets = sorted(parties | {subject})
    if units:
        keep(src.payments(units, since, into=False, to=targets))
    bosses = sorted(_controllers(subject, list(got.values())))
    bound = sorted({subject, *bosses})
    limits = [(s["properties"].get("startDate") or s["properties"].get("date") or [since])[0][:10]
              for s in sanctions if norm_program((s["properties"].get("program") or [""])[0])
              == "consumption_restriction"]
    if limits:
        barred = [pid for pid, name, purpose in src.spending(bound, min(limits))
                  if (kind := classify_consumption(purpose or "", name or "")) is not None and kind.barred]
        if barred:
            keep(src.payments(bound, min(limits), into=False, only=barred))
        # someone else pays: a relative or a company buys the debtor's ticket (the purpose names him)
        kin = sorted(parties - set(bound))  # a relative who also sues him can still buy his tickets
        names = [n for n in (src.nodes([subject]) or [{}])[0].get("properties", {}).get("name", []) if len(n) >= 2]
        if kin and names:
            for_him = [pid for pid, name, purpose in src.spending(kin, min(limits))
                       if any(n in f"{purpose} {name}" for n in names)
                       and (kind := classify_consumption(purpose or "", name or "")) is not None and kind.barred]
            if for_him:
                keep(src.payments(kin, min(limits), into=False, only=for_him))
    # diverted income: the debtor's payers paying his side (after a freeze or the execution notice)
    payers = sorted({_ends(p)[0][0] for p in own if _ends(p)[0] and _ends(p)[0][0] != subject
                     and subject in _ends(p)[1]}
                    | {_ends(e)[1][0] for e in got.values() if e["schema"] == "Employment"
                       and subject in _ends(e)[0] and _ends(e)[1]})
    if payers:
        keep(src.payments(payers, since, into=False, to=targets))
    # 5. layering waves
    _waves(src, subject, own, parties, keep)
    # 6. who holds the accounts money went to or came from (others' accounts, 支付宝-某某)
    held_known = {b for e in got.values() if e["schema"] == "Ownership" for b in _ends(e)[1]}
    seen_accounts = {a for e in got.values() if e["schema"] == "Payment"
                     for k in ("payerAccount", "beneficiaryAccount") for a in e["properties"].get(k, [])}
    if seen_accounts - held_known:
        keep(src.links(sorted(seen_accounts - held_known), ("Ownership",)))
    # 7. the nodes at the ends of everything, the documents named in proof, provenance
    node_ids = set()
    for e in list(got.values()):
        if e["schema"] in ("CourtCase",) or not _ends(e)[0]:
            node_ids.add(e["id"])
        for values in (e["properties"].get(k, []) for k in ("payerAccount", "beneficiaryAccount", "entity",
                                                            "involved", "party", "owner", "asset")):
            node_ids.update(values)
        a, b = _ends(e)
        node_ids.update(a)
        node_ids.update(b)
    keep(src.nodes(sorted(i for i in node_ids if i not in got)))
    proofs = {p for e in got.values() for p in e["properties"].get("proof", [])}
    keep(src.nodes(sorted(p for p in proofs if p not in got)))
    return list(got.values()), src.provenance(list(got))


def _relations(src: Source, subject: str, keep: Any) -> set[str]:
    """Three links of relations around the debtor; returns the parties and assets found."""
    found: set[str] = {subject}
    frontier = [subject]
    edge: set[str] = set()  # reached but not expanded: employers, employees, hubs, the last ring
    for _ in range(3):
        links = src.links(frontier, REL_SCHEMATA)
        keep(links)
        counts: dict[str, int] = {}
        for e in links:
            for end in _ends(e)[0] + _ends(e)[1]:
                counts[end] = counts.get(end, 0) + 1
        nxt: set[str] = set()
        for e in links:
            a, b = _ends(e)
            for end in a + b:
                if end in found:
                    continue
                found.add(end)
                (edge if e["schema"] == "Employment" else nxt).add(end)
        hubs = {n for n in nxt if counts.get(n, 0) > HUB_LINKS}
        edge |= hubs
        frontier = sorted(nxt - hubs)
        if not frontier:
            break
    edge |= set(frontier)
    if edge:  # their accounts, so that payments to them are known as theirs
        keep(src.links(sorted(edge), ("Ownership",)))
    return found


def _controllers(subject: str, ents: list[Entity]) -> set[str]:
    """Owners and officers of a company debtor (whose spending the restriction binds)."""
    out: set[str] = set()
    for e in ents:
        if e["schema"] in ("Ownership", "Directorship"):
            a, b = _ends(e)
            if subject in b:
                out.update(x for x in a if x != subject)
    return out


def _waves(src: Source, subject: str, own: list[Entity], parties: set[str], keep: Any) -> None:
    """Onward payments from the receivers of the debtor's large transfers, hop by hop."""
    arrivals: dict[str, list[tuple[str, float]]] = {}
    for p in own:
        a, b = _ends(p)
        amount = amount_of(p)
        if subject in a and b and b[0] != subject and b[0] not in parties and amount >= layered.MIN_AMOUNT:
            arrivals.setdefault(b[0], []).append((p["properties"].get("date", [""])[0], amount))
    seen = {subject}
    for _ in range(layered.MAX_HOPS - 1):
        frontier = {n: v for n, v in arrivals.items() if n not in seen}
        if not frontier:
            return
        seen.update(frontier)
        lo = min(d for v in frontier.values() for d, _ in v)
        hi_dt = max(_when(d) for v in frontier.values() for d, _ in v) + layered.LONG_WAIT
        # a whole hop carries KEEP_LOW of what arrived; a piece of a split (domain.md section 7,
        # "split into several payments and joined again") from MIN_AMOUNT/2, read but not followed
        piece = layered.MIN_AMOUNT / 2
        least = min(piece, min(a for v in frontier.values() for _, a in v) * layered.KEEP_LOW)
        found = src.payments(sorted(frontier), lo[:10], into=False, until=_day(hi_dt + timedelta(days=1)),
                             min_amount=least)
        arrivals = {}
        for p in found:
            a, b = _ends(p)
            if not a or not b:
                continue
            when, amount = p["properties"].get("date", [""])[0], amount_of(p)
            came = [(d, x) for d, x in frontier.get(a[0], ()) if _when(d) <= _when(when) <= _when(d) + layered.LONG_WAIT]
            if not came or amount > layered.KEEP_HIGH * sum(x for _, x in came):  # parts may be joined again
                continue
            whole = amount >= layered.KEEP_LOW * min(x for _, x in came)
            if not whole and amount < piece:
                continue
            keep([p])
            if whole and b[0] not in parties and b[0] != subject:
                arrivals.setdefault(b[0], []).append((when, amount))


def amount_of(p: Entity) -> float:
    try:
        return float(str(p["properties"].get("amount", ["0"])[0]).replace(",", ""))
    except ValueError:
        return 0.0


def _when(text: str) -> datetime:
    from debtorgraph.analysis.milestones import to_when

    return to_when(text) or datetime.min


def cases_of(entities: list[Entity]) -> list[CaseMilestones]:
    """The timelines of every CourtCase among the collected entities."""
    ents = [e for e in entities if e["schema"] in ("Event", "Sanction", "Debt", "CourtCaseParty")]
    return [case_milestones(e, ents) for e in entities if e["schema"] == "CourtCase"]
