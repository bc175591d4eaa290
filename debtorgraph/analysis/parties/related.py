"""Related parties of a debtor on the analysis graph, each with the path that proves it.

Works on the MultiDiGraph of :mod:`debtorgraph.graph.subgraph` and the conventions of
docs/interchange.md:

- relatives by Family (``relationship`` is what the relative is to the person; a link may
  be stated from either side); a spouse is a spouse from ``startDate`` (marriage) until
  ``endDate`` (divorce), then an ``ex_spouse``; in-laws are the spouse's parents and
  siblings, and the spouses of the debtor's children and siblings;
- associates (Associate), employers and employees (Employment);
- companies where the debtor or a relative is a director, legal representative,
  manager... (Directorship, kind ``director_of``) or a shareholder (Ownership; shares
  penetrate chains of companies: the product of percentages along a path, summed over
  paths; 25% or more is ``controlled_company``, less is ``shareholder_of``), or that
  they control by a Control link;
- for a company debtor, its officers (``officer``), shareholders (``owner``) and
  indirect owners of 25% or more (``beneficial_owner``);
- the accounts (BankAccount) held by the debtor or any of these (kind ``account``).

A lease (``legalBasis`` or ``ownershipType`` ``lease``) is not ownership. With ``at``,
only links in force on that date count (startDate <= at < endDate); without it, a link
with an ``endDate`` has ended. A party related in several ways gets its closest kind
(in the order of :data:`KINDS`), then its shortest path.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import networkx as nx

from debtorgraph.analysis.parties.links import (_active, _check, _first, _fraction, _how,
                                                _incident, _is_company, _name, _owned, _pct,
                                                _penetrate, _role, _schema_is)
from debtorgraph.analysis.parties.family import FAMILY_EN, FAMILY_ZH, IN_LAW, family_links

log = logging.getLogger(__name__)

__all__ = ["CONTROL_THRESHOLD", "KINDS", "Relation", "controlled_companies", "holdings",
           "related_parties"]

CONTROL_THRESHOLD = 0.25

#: Relation kinds, closest first: a party related in two ways keeps the earlier kind.
KINDS = ("spouse", "parent", "child", "sibling", "ex_spouse", "in_law", "relative",
         "controlled_company", "director_of", "shareholder_of", "officer", "owner",
         "beneficial_owner", "employer", "employee", "associate", "account", "real_estate",
         "vehicle", "security", "asset")
_RANK = {kind: i for i, kind in enumerate(KINDS)}

_ASSETS = (("BankAccount", "account", "账户", "account"),
           ("RealEstate", "real_estate", "不动产", "real estate"),
           ("Vehicle", "vehicle", "车辆", "vehicle"), ("Security", "security", "证券", "security"))


@dataclass
class Relation:
    """How a party (or account) is related to the debtor.

    ``path`` lists entity ids from the debtor to the party, alternating nodes and the
    link entities between them. ``share`` (0 to 1) is the effective shareholding for
    companies and owners, None where no percentage is known; ``paths`` lists every
    ownership path summed into it; ``role`` is the Directorship role, Associate or
    Employment relationship, or Control type.
    """

    kind: str
    path: list[str]
    description_zh: str
    description_en: str
    share: float | None = None
    role: str | None = None
    paths: list[list[str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def related_parties(g: nx.MultiDiGraph, debtor_id: str, at: str | date | datetime | None = None,
                    max_depth: int = 3, threshold: float = CONTROL_THRESHOLD
                    ) -> dict[str, Relation]:
    """Find the debtor's relatives, associates, companies and accounts, with proof paths.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The analysis graph (:func:`debtorgraph.graph.subgraph.graph_from_entities`).
    debtor_id : str
        The debtor's entity id (a person or a company).
    at : str, date or datetime, optional
        Only links in force on this date count; a spouse divorced by then is an
        ``ex_spouse``. Without it, a link with an ``endDate`` has ended.
    max_depth : int
        Longest path, counted in links (Family, Ownership, ...), from the debtor.
    threshold : float
        Effective share (0 to 1) from which a company counts as controlled.

    Returns
    -------
    dict of str to Relation
        Related party or account id -> its closest relation, closest kinds first.

    Raises
    ------
    NodeNotFound
        When ``debtor_id`` is not in ``g``.
    InvalidInput
        For a bad ``at``, ``max_depth`` or ``threshold``, or an unreadable date or
        percentage on a link (the error names the link).

    Examples
    --------
    >>> from debtorgraph.graph.subgraph import graph_from_entities
    >>> def ent(i, schema, **props):
    ...     return {"id": i, "schema": schema, "properties": {k: [v] for k, v in props.items()}}
    >>> g = graph_from_entities([
    ...     ent("wang", "Person"), ent("li", "Person"), ent("co", "Company"),
    ...     ent("acct", "BankAccount"),
    ...     ent("f1", "Family", person="li", relative="wang", relationship="配偶"),
    ...     ent("d1", "Directorship", director="li", organization="co", role="法定代表人"),
    ...     ent("o1", "Ownership", owner="co", asset="acct"),
    ... ])
    >>> rel = related_parties(g, "wang")
    >>> [(k, r.kind, r.path) for k, r in rel.items()]
    [('li', 'spouse', ['wang', 'f1', 'li']), ('co', 'director_of', ['wang', 'f1', 'li', 'd1', 'co']), ('acct', 'account', ['wang', 'f1', 'li', 'd1', 'co', 'o1', 'acct'])]
    >>> rel["acct"].description_zh
    '债务人之配偶担任法定代表人的公司名下账户'
    """
    when = _check(g, debtor_id, at, max_depth, threshold)
    found = _Found(debtor_id, max_depth)
    debtor = _Party(debtor_id, [debtor_id], "债务人", "the debtor")
    people = [debtor] + _relatives(g, debtor, when, found)
    for other, link, props, _ in _incident(g, debtor_id, "Associate"):
        if _active(link, props, when):
            rel = _first(props, "relationship")
            found.add(other, "associate", debtor.path + [link, other],
                      "债务人之关系人" + (f"（{rel}）" if rel else ""),
                      "an associate of the debtor" + (f" ({rel})" if rel else ""), role=rel)
    for other, link, props, outgoing in _incident(g, debtor_id, "Employment"):
        if _active(link, props, when):
            role = _first(props, "role")
            if outgoing:  # debtor is the employee
                found.add(other, "employer", debtor.path + [link, other], "债务人之工作单位",
                          "the debtor's employer", role=role)
            else:
                found.add(other, "employee", debtor.path + [link, other], "债务人之雇员",
                          "an employee of the debtor", role=role)
    _company_debtor(g, debtor, when, threshold, found)
    for person in people:
        _companies(g, person, when, threshold, found)
    holders = [debtor] + [_Party(k, r.path, r.description_zh, r.description_en)
                          for k, r in list(found.best.items()) if r.kind != "account"]
    for holder in holders:
        for asset, link, props in _owned(g, holder.id, when):
            if _schema_is(g, asset, "BankAccount"):
                found.add(asset, "account", holder.path + [link, asset],
                          f"{holder.zh}名下账户", f"an account held by {holder.en}")
    return found.result()


def holdings(g: nx.MultiDiGraph, party_id: str, at: str | date | datetime | None = None
             ) -> dict[str, Relation]:
    """Assets a party holds directly: accounts, company stakes, real estate, vehicles...

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The analysis graph.
    party_id : str
        The holder.
    at : str, date or datetime, optional
        As for :func:`related_parties`.

    Returns
    -------
    dict of str to Relation
        Asset id -> relation of kind ``account``, ``shareholder_of`` (with ``share``),
        ``real_estate``, ``vehicle``, ``security`` or ``asset``. Leases are skipped.

    Examples
    --------
    >>> from debtorgraph.graph.subgraph import graph_from_entities
    >>> g = graph_from_entities([
    ...     {"id": "wang", "schema": "Person", "properties": {"name": ["王某"]}},
    ...     {"id": "flat", "schema": "RealEstate", "properties": {}},
    ...     {"id": "co", "schema": "Company", "properties": {}},
    ...     {"id": "o1", "schema": "Ownership", "properties": {"owner": ["wang"], "asset": ["flat"]}},
    ...     {"id": "o2", "schema": "Ownership",
    ...      "properties": {"owner": ["wang"], "asset": ["co"], "percentage": ["30"]}},
    ... ])
    >>> {k: (r.kind, r.share, r.description_zh) for k, r in holdings(g, "wang").items()}
    {'co': ('shareholder_of', 0.3, '王某直接持股30%的公司'), 'flat': ('real_estate', None, '王某名下不动产')}
    """
    when = _check(g, party_id, at, 1, CONTROL_THRESHOLD)
    name = _name(g, party_id)
    found = _Found(party_id, 1)
    for asset, link, props in _owned(g, party_id, when):
        path = [party_id, link, asset]
        if _is_company(g, asset, props):
            share = _fraction(link, props)
            found.add(asset, "shareholder_of", path, f"{name}直接持股{_pct(share)}的公司",
                      f"a company in which {name} holds {_pct(share, 'an unknown share')}",
                      share=share, paths=[path])
            continue
        kind, zh, en = "asset", "财产", "asset"
        for schema, k, z, e in _ASSETS:
            if _schema_is(g, asset, schema):
                kind, zh, en = k, z, e
        found.add(asset, kind, path, f"{name}名下{zh}", f"{en} held by {name}")
    return found.result()


def controlled_companies(g: nx.MultiDiGraph, party_id: str, threshold: float = CONTROL_THRESHOLD,
                         at: str | date | datetime | None = None) -> dict[str, Relation]:
    """Companies a party holds at least ``threshold`` of, directly or through companies.

    The effective share is the product of the percentages along each ownership path,
    summed over all simple paths (Qichacha's penetration, docs/tracing.md "Chinese rules").
    A link without a percentage contributes nothing to the sum.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The analysis graph.
    party_id : str
        The holder at the top of the chains.
    threshold : float
        Smallest effective share (0 to 1) that counts as control; 0.25 after PBOC/SAMR
        Order 2024 No. 3.
    at : str, date or datetime, optional
        As for :func:`related_parties`.

    Returns
    -------
    dict of str to Relation
        Company id -> relation of kind ``controlled_company``; ``share`` is the effective
        share, ``path`` the strongest path, ``paths`` every path summed.

    Examples
    --------
    >>> from debtorgraph.graph.subgraph import graph_from_entities
    >>> def own(i, a, b, pct):
    ...     return {"id": i, "schema": "Ownership",
    ...             "properties": {"owner": [a], "asset": [b], "percentage": [pct]}}
    >>> g = graph_from_entities([{"id": c, "schema": "Company", "properties": {}}
    ...                          for c in ("a", "b", "c")] + [
    ...     {"id": "wang", "schema": "Person", "properties": {}},
    ...     own("o1", "wang", "a", "60"), own("o2", "a", "b", "50"), own("o3", "b", "c", "40")])
    >>> {k: round(r.share, 2) for k, r in controlled_companies(g, "wang").items()}
    {'a': 0.6, 'b': 0.3}
    """
    when = _check(g, party_id, at, 1, threshold)
    name = _name(g, party_id)
    found = _Found(party_id, None)
    for company, (share, paths) in _penetrate(g, party_id, when, down=True).items():
        if share is not None and share >= threshold - 1e-12:
            best = max(paths, key=lambda p: (p[0] or 0.0, -len(p[1])))[1]
            found.add(company, "controlled_company", best,
                      f"{name}{_how(paths)}持股{_pct(share)}、实际控制的公司",
                      f"a company {name} controls, holding {_pct(share)}", share=share,
                      paths=[p for _, p in paths])
    return found.result()


# -- traversal --------------------------------------------------------------------------

@dataclass
class _Party:
    """A person or company already related, with the phrase that names it."""

    id: str
    path: list[str]
    zh: str
    en: str


class _Found:
    """The best relation per id: closest kind, then shortest path, then path text."""

    def __init__(self, origin: str, max_depth: int | None) -> None:
        self.origin = origin
        self.max_depth = max_depth
        self.best: dict[str, Relation] = {}

    def add(self, node: str, kind: str, path: list[str], zh: str, en: str,
            **extra: Any) -> Relation | None:
        if node == self.origin or node in path[:-1]:
            return None
        if self.max_depth is not None and (len(path) - 1) // 2 > self.max_depth:
            return None
        rel = Relation(kind, path, zh, en, **extra)
        old = self.best.get(node)
        if old is None or _order(rel) < _order(old):
            self.best[node] = rel
        return rel

    def result(self) -> dict[str, Relation]:
        items = sorted(self.best.items(), key=lambda kv: (_order(kv[1]), kv[0]))
        return dict(items)


def _order(rel: Relation) -> tuple[int, int, list[str]]:
    return (_RANK.get(rel.kind, len(KINDS)), len(rel.path), rel.path)


def _relatives(g: nx.MultiDiGraph, debtor: _Party, when: datetime | None,
               found: _Found) -> list[_Party]:
    """Relatives and in-laws (added to ``found``); returns them for the next steps."""
    for other, link, kind in family_links(g, debtor.id, when):
        found.add(other, kind, debtor.path + [link, other], f"债务人之{FAMILY_ZH[kind]}",
             f"the debtor's {FAMILY_EN[kind]}")
    for first, rel in [(k, r) for k, r in found.best.items() if len(r.path) == 3]:
        for other, link, kind in family_links(g, first, when):
            if other == debtor.id or kind not in IN_LAW.get(rel.kind, ()):
                continue
            found.add(other, "in_law", rel.path + [link, other],
                 f"债务人{FAMILY_ZH[rel.kind]}之{FAMILY_ZH[kind]}",
                 f"the debtor's {FAMILY_EN[rel.kind]}'s {FAMILY_EN[kind]}")
    return [_Party(k, r.path, r.description_zh, r.description_en)
            for k, r in found.best.items() if r.kind in FAMILY_ZH or r.kind == "in_law"]


def _company_debtor(g: nx.MultiDiGraph, debtor: _Party, when: datetime | None,
                    threshold: float, found: _Found) -> None:
    """Officers, shareholders and beneficial owners of a debtor that is a company."""
    for other, link, props, outgoing in _incident(g, debtor.id, "Directorship"):
        if not outgoing and _active(link, props, when):
            zh, en = _role(_first(props, "role"))
            found.add(other, "officer", debtor.path + [link, other], f"债务人之{zh}",
                      f"the debtor's {en}", role=_first(props, "role"))
    for owner, (share, paths) in _penetrate(g, debtor.id, when, down=False).items():
        direct = [p for _, p in paths if len(p) == 3]
        every = [p for _, p in paths]
        if direct:
            found.add(owner, "owner", direct[0], f"债务人之股东（持股{_pct(share)}）",
                      f"a shareholder of the debtor ({_pct(share, 'share unknown')})",
                      share=share, paths=every)
        elif share is not None and share >= threshold - 1e-12:
            found.add(owner, "beneficial_owner", every[0], f"债务人之间接股东（持股{_pct(share)}）",
                      f"an indirect owner of {_pct(share)} of the debtor", share=share,
                      paths=every)


def _companies(g: nx.MultiDiGraph, person: _Party, when: datetime | None, threshold: float,
               found: _Found) -> None:
    """Companies a person directs, holds shares in (penetrated) or controls."""
    for org, link, props, outgoing in _incident(g, person.id, "Directorship"):
        if outgoing and _active(link, props, when):
            role = _first(props, "role")
            zh, en = _role(role)
            found.add(org, "director_of", person.path + [link, org], f"{person.zh}担任{zh}的公司",
                      f"the company where {person.en} is {en}", role=role)
    for org, link, props, outgoing in _incident(g, person.id, "Control"):
        if outgoing and _active(link, props, when):
            kind = _first(props, "controlType")
            found.add(org, "controlled_company", person.path + [link, org],
                      f"{person.zh}实际控制的公司", f"a company {person.en} controls",
                      role=kind)
    for org, (share, paths) in _penetrate(g, person.id, when, down=True).items():
        path = person.path + min(paths, key=lambda p: (len(p[1]), -(p[0] or 0.0)))[1][1:]
        kind = ("controlled_company" if share is not None and share >= threshold - 1e-12
                else "shareholder_of")
        how = _how(paths)
        if kind == "controlled_company":
            zh = f"{person.zh}{how}持股{_pct(share)}、实际控制的公司"
            en = f"a company {person.en} controls, holding {_pct(share)}"
        else:
            zh = f"{person.zh}{how}持股{_pct(share)}的公司"
            en = f"a company in which {person.en} holds {_pct(share, 'an unknown share')}"
        found.add(org, kind, path, zh, en, share=share,
                  paths=[person.path + p[1:] for _, p in paths])

