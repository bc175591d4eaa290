"""What every detection rule works on: the debtor's :class:`Context` and the
:class:`Candidate` findings a rule returns.

A :class:`Context` reads the analysis graph once (``graph_from_entities`` shape, parties
under their canonical ids) into time-ordered :class:`Pay` and :class:`Own` records, the
debtor's related parties (:mod:`debtorgraph.analysis.parties.related`), who holds which account
when, and the timelines of the debtor's enforcement cases
(:mod:`debtorgraph.analysis.milestones`). Rules are pure functions of a Context.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Iterable

import networkx as nx

from debtorgraph.analysis.milestones import CaseMilestones, Milestone, norm_program, to_when
from debtorgraph.graph.identity import normalize_case_number
from debtorgraph.analysis.rules.parties import Relations, relations_of
from debtorgraph.analysis.rules.text import is_cash_deposit, is_cash_withdrawal

log = logging.getLogger(__name__)

__all__ = ["Pay", "Own", "Factor", "Candidate", "Context"]


def _first(props: dict[str, Any], name: str) -> str | None:
    vals = props.get(name) or []
    return str(vals[0]) if vals and vals[0] not in (None, "") else None


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(str(text).replace(",", "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Pay:
    """One Payment: who paid whom, from and to which account, when, how much, why."""

    id: str
    when: datetime
    amount: float
    payer: str
    payee: str
    src: str | None
    dst: str | None
    purpose: str
    seq: float

    @property
    def day(self) -> date:
        return self.when.date()

    @property
    def withdrawal(self) -> bool:
        """A cash withdrawal (docs/interchange.md: payee = payer, no beneficiary account)."""
        return is_cash_withdrawal(self.payer, self.payee, self.dst, self.purpose)

    @property
    def deposit(self) -> bool:
        return is_cash_deposit(self.payer, self.payee, self.src, self.purpose)


@dataclass(frozen=True)
class Own:
    """One Ownership (or lease): owner, asset, term, kind of conveyance, price, share."""

    id: str
    owner: str
    asset: str
    start: datetime | None
    end: datetime | None
    basis: str          # legalBasis, lower case ("sale", "gift", "divorce", "lease"...)
    price: float | None  # sharesValue: total price paid, or yearly rent for a lease
    pct: float | None    # percentage of shares (60 for 60%)
    lease: bool

    def held_on(self, when: datetime) -> bool:
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


@dataclass(frozen=True)
class Factor:
    """One reason the score went up (weight > 0) or down (weight < 0)."""

    code: str
    weight: float
    zh: str
    en: str

    def as_dict(self) -> dict[str, Any]:
        return {"factor": self.code, "weight": round(self.weight, 3), "zh": self.zh, "en": self.en}


@dataclass
class Candidate:
    """What a rule found, before scoring and wording (see :mod:`debtorgraph.analysis.detect`)."""

    rule: str
    case: CaseMilestones
    acts: list[str]
    counterparties: list[str]
    actor: str
    amount: float
    when: datetime
    base: float
    factors: list[Factor] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    provisions: list[str] = field(default_factory=list)
    revocable: bool = False
    #: a lead, not a finding: (zh, en) of what would confirm it; scored below the threshold
    lead: tuple[str, str] | None = None

    def add(self, code: str, weight: float, zh: str, en: str) -> None:
        self.factors.append(Factor(code, weight, zh, en))


def _links_only(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph without its Payments: the relation analysis never needs them."""
    out = nx.MultiDiGraph()
    out.add_nodes_from(g.nodes(data=True))
    out.add_edges_from((a, b, k, d) for a, b, k, d in g.edges(keys=True, data=True)
                       if d.get("schema") != "Payment")
    return out


class Context:
    """The debtor's world as the rules see it.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Analysis graph; parties under canonical ids.
    subject : str
        The debtor's (canonical) id.
    cases : list of CaseMilestones
        Every case naming the subject. Enforcement cases in which the subject is the
        debtor and the applicant is not a related party anchor the duty (:attr:`cases`);
        the rest (trial-only cases, suits brought by related parties) are kept in
        :attr:`others`.
    settings : dict
        ``lease_yield`` (gross yearly yield) and other tunables.
    """

    def __init__(self, g: nx.MultiDiGraph, subject: str, cases: list[CaseMilestones],
                 settings: dict[str, Any] | None = None) -> None:
        self.g = g
        self.subject = subject
        self.settings = settings or {}
        self.claimed: set[str] = set()
        self.payments: list[Pay] = []
        self.owns: list[Own] = []
        self._read_edges()
        watch = [c.watch_start for c in cases if c.watch_start]
        self.rel: Relations = relations_of(_links_only(g), subject, min(watch) if watch else None)
        anchors = [c for c in cases if c.is_enforcement and subject in c.role("debtor")
                   and not any(a in self.rel for a in c.role("applicant"))]
        self.cases = sorted(anchors, key=lambda c: c.watch_start or datetime.max)
        self.others = [c for c in cases if c not in anchors]
        self.accounts = self._accounts()
        self.subject_accounts = {a for a, hs in self.accounts.items()
                                 if any(h == subject for h, _, _ in hs)}
        self.creditors, self.courts, self.court_accounts = self._creditor_side()
        self.sanctions = self._sanctions()

    # -- reading the graph ------------------------------------------------------------
    def _read_edges(self) -> None:
        for src, dst, key, data in self.g.edges(keys=True, data=True):
            schema = data.get("schema")
            props = data.get("properties") or {}
            if schema == "Payment":
                when = to_when(_first(props, "date"))
                amount = _num(_first(props, "amount"))
                if when is None or amount is None:
                    continue
                self.payments.append(Pay(key, when, amount, src, dst, _first(props, "payerAccount"),
                                         _first(props, "beneficiaryAccount"),
                                         " ".join(props.get("purpose", [])),
                                         _num(_first(props, "sequenceNumber")) or 0.0))
            elif schema == "Ownership":
                words = [w.strip().lower() for w in props.get("legalBasis", []) + props.get("ownershipType", [])]
                basis = (_first(props, "legalBasis") or "").strip().lower()
                self.owns.append(Own(key, src, dst, to_when(_first(props, "startDate")),
                                     to_when(_first(props, "endDate")), basis,
                                     _num(_first(props, "sharesValue")), _num(_first(props, "percentage")),
                                     "lease" in words))
        self.payments.sort(key=lambda p: (p.when, p.seq, p.id))
        self.owns.sort(key=lambda o: (o.start or datetime.min, o.id))

    def _accounts(self) -> dict[str, list[tuple[str, datetime | None, datetime | None]]]:
        """Account id -> [(holder, start, end)] from Ownerships of BankAccounts."""
        out: dict[str, list[tuple[str, datetime | None, datetime | None]]] = {}
        for o in self.owns:
            if not o.lease and self.schema(o.asset) == "BankAccount":
                out.setdefault(o.asset, []).append((o.owner, o.start, o.end))
        return out

    def _creditor_side(self) -> tuple[set[str], set[str], set[str]]:
        """Applicants (not related to the debtor), courts, and the courts' accounts."""
        creditors: set[str] = set()
        court_names = {c.court for c in self.cases + self.others if c.court}
        for case in self.cases:
            creditors |= {a for a in case.role("applicant") if a not in self.rel}
        courts = {n for n, d in self.g.nodes(data=True)
                  if d.get("schema") == "PublicBody"
                  and set((d.get("properties") or {}).get("name", [])) & court_names}
        accounts = {a for a, hs in self.accounts.items() if any(h in courts for h, _, _ in hs)}
        for acct in list(self.accounts):
            if "执行款" in self.caption(acct) or "执行款" in " ".join(self.props(acct).get("name", [])):
                accounts.add(acct)
        return creditors, courts, accounts

    def _sanctions(self) -> list[tuple[Milestone, str | None]]:
        """Every Sanction in the graph: (milestone with targets in ``involved``, case number)."""
        out = []
        for node, data in self.g.nodes(data=True):
            if data.get("schema") != "Sanction":
                continue
            props = data.get("properties") or {}
            start = to_when(_first(props, "startDate") or _first(props, "date")
                            or _first(props, "listingDate"))
            if start is None:
                continue
            number = _first(props, "summary")
            out.append((Milestone(norm_program(_first(props, "program")), start, node,
                                  tuple(props.get("entity", [])), to_when(_first(props, "endDate"))),
                        normalize_case_number(number) if number else None))
        out.sort(key=lambda s: (s[0].when, s[0].entity))
        return out

    def case_of_sanction(self, number: str | None, when: datetime) -> CaseMilestones | None:
        """The enforcement case a Sanction belongs to (its case number), else by date."""
        for case in self.cases:
            if number and case.case_number and normalize_case_number(case.case_number) == number:
                return case
        return self.case_at(when)

    # -- lookups ----------------------------------------------------------------------
    def schema(self, node: str) -> str | None:
        return self.g.nodes[node].get("schema") if node in self.g else None

    def props(self, node: str) -> dict[str, list[str]]:
        return (self.g.nodes[node].get("properties") or {}) if node in self.g else {}

    def caption(self, node: str) -> str:
        props = self.props(node)
        return (_first(props, "name") or _first(props, "titleNumber") or _first(props, "registrationNumber")
                or _first(props, "accountNumber") or _first(props, "caseNumber") or _first(props, "address")
                or node)

    def holder(self, account: str | None, when: datetime) -> str | None:
        """Who held ``account`` on ``when`` (first holder), None when unknown."""
        for owner, start, end in self.accounts.get(account or "", ()):
            if (start is None or start <= when) and (end is None or when < end):
                return owner
        spans = self.accounts.get(account or "")
        return spans[0][0] if spans else None

    def receiver(self, pay: Pay) -> str:
        """The party that got the money: the holder of the beneficiary account, else the payee."""
        held = self.holder(pay.dst, pay.when) if pay.dst else None
        return held or pay.payee

    def sender(self, pay: Pay) -> str:
        held = self.holder(pay.src, pay.when) if pay.src else None
        return held or pay.payer

    def is_subject(self, party: str | None) -> bool:
        return party == self.subject

    def from_subject(self, pay: Pay) -> bool:
        return pay.payer == self.subject or (pay.src is not None and pay.src in self.subject_accounts)

    def to_subject(self, pay: Pay) -> bool:
        return pay.payee == self.subject or (pay.dst is not None and pay.dst in self.subject_accounts)

    @cached_property
    def paid_in_by(self) -> dict[str, list[Pay]]:
        """The payments to the subject, in time order, under their sender (the holder of the
        paying account) and, where it differs, their named payer: read once, asked per party."""
        out: dict[str, list[Pay]] = {}
        for p in self.payments:
            if self.to_subject(p):
                for who in dict.fromkeys((self.sender(p), p.payer)):
                    out.setdefault(who, []).append(p)
        return out

    def to_creditor_side(self, pay: Pay) -> bool:
        """A payment to the applicant or the court (the debtor paying the debt)."""
        return (pay.payee in self.creditors or pay.payee in self.courts
                or (pay.dst is not None and pay.dst in self.court_accounts)
                or self.receiver(pay) in self.creditors)

    def case_at(self, when: datetime) -> CaseMilestones | None:
        """The enforcement case whose watch window first covers ``when``."""
        for case in self.cases:
            if case.watch_start is not None and case.watch_start <= when:
                return case
        return None

    def value(self, asset: str, pct: float | None = None) -> float | None:
        """Market value of an asset (its ``amount``), or of a stake (percentage x capital)."""
        props = self.props(asset)
        if self.schema(asset) in ("Company", "Organization", "LegalEntity"):
            capital = _num(_first(props, "capital"))
            if capital is None:
                return None
            return capital * (pct if pct is not None else 100.0) / 100.0
        return _num(_first(props, "amount"))

    def owns_of(self, asset: str) -> list[Own]:
        return [o for o in self.owns if o.asset == asset]

    def conveyances(self) -> Iterable[tuple[Own, Own]]:
        """(seller's Ownership, buyer's Ownership) pairs where the subject gave up an asset.

        The buyer's Ownership starts within 3 days of the day the subject's ends
        (docs/interchange.md: same day); leases are not conveyances.
        """
        by_asset: dict[str, list[Own]] = {}
        for o in self.owns:
            by_asset.setdefault(o.asset, []).append(o)
        for asset, owns in by_asset.items():
            for sold in owns:
                if sold.owner != self.subject or sold.end is None or sold.lease:
                    continue
                for bought in owns:
                    if bought is sold or bought.lease or bought.owner == self.subject \
                            or bought.start is None:
                        continue
                    if abs((bought.start - sold.end).days) <= 3:
                        yield sold, bought

    def paid_to_creditors(self, since: datetime | None) -> float:
        """What the subject paid the applicant or the court since ``since``."""
        return sum(p.amount for p in self.payments
                   if self.from_subject(p) and self.to_creditor_side(p)
                   and (since is None or p.when >= since))
