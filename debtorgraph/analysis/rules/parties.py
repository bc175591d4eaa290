"""Who counts as a related party of the debtor for the rules, and how close they are.

The relations themselves come from :func:`debtorgraph.analysis.parties.related.related_parties`
(relatives incl. in-laws and the former spouse, associates, controlled companies by
ownership penetration of 25% or more, directorships, accounts held). This module adds:

- for a company debtor, the people behind it (officers and owners of 25% or more) and
  *their* relatives and companies, since a firm's money usually goes to its controller's
  family (the consumption ban of 法释〔2015〕17号 also binds the actual controller);
- a closeness weight per kind, used in scores: 1.0 for spouse, parent and child; 0.9
  for a sibling, former spouse or controlled company; 0.7 for in-laws, other relatives,
  companies the debtor directs and a company debtor's officers; 0.6 for associates;
  0.5 for a minority stake. Employers and employees are *not* related parties for
  transfers (salary is the ordinary reason money moves between them); rules that need
  them read :attr:`Relations.employment`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import networkx as nx

from debtorgraph.errors import DebtorGraphError

log = logging.getLogger(__name__)

__all__ = ["CLOSENESS", "Link", "Relations", "relations_of", "KIN"]

#: Closeness of each relation kind (:data:`debtorgraph.analysis.parties.related.KINDS`); kinds absent here are not related.
CLOSENESS: dict[str, float] = {
    "spouse": 1.0, "parent": 1.0, "child": 1.0, "sibling": 0.9, "ex_spouse": 0.9,
    "in_law": 0.7, "relative": 0.7, "controlled_company": 0.9, "director_of": 0.7,
    "shareholder_of": 0.5, "officer": 0.7, "owner": 0.9, "beneficial_owner": 0.9,
    "associate": 0.6,
}
#: Kinds that are family (CG art. 42: "亲属关系"): 70% is no safe harbour for them.
KIN = frozenset({"spouse", "parent", "child", "sibling", "ex_spouse", "in_law", "relative"})
_LABEL_ZH = {"spouse": "配偶", "parent": "父母", "child": "子女", "sibling": "兄弟姐妹",
             "ex_spouse": "前配偶", "in_law": "姻亲", "relative": "亲属",
             "controlled_company": "控制的公司", "director_of": "任职的公司",
             "shareholder_of": "参股公司", "officer": "高级管理人员", "owner": "股东",
             "beneficial_owner": "实际控制人", "associate": "关系人"}
_LABEL_EN = {"spouse": "spouse", "parent": "parent", "child": "child", "sibling": "sibling",
             "ex_spouse": "former spouse", "in_law": "in-law", "relative": "relative",
             "controlled_company": "controlled company", "director_of": "company he directs",
             "shareholder_of": "company he holds shares in", "officer": "officer",
             "owner": "shareholder", "beneficial_owner": "beneficial owner",
             "associate": "associate"}
_CONTROL_ROLES = ("法定代表人", "经理", "总经理", "执行董事", "董事长", "legal representative",
                  "manager", "general manager")


@dataclass(frozen=True)
class Link:
    """A related party: its kind, closeness, the proving path and a short label."""

    kind: str
    closeness: float
    path: tuple[str, ...]
    zh: str
    en: str
    via: str | None = None  # the controller through whom a company debtor's link runs

    @property
    def kin(self) -> bool:
        return self.kind in KIN


@dataclass
class Relations:
    """Related parties by id, plus employment links and the controllers of a firm."""

    links: dict[str, Link] = field(default_factory=dict)
    employment: dict[str, str] = field(default_factory=dict)  # party -> "employer"/"employee"
    controllers: list[str] = field(default_factory=list)       # people behind a company debtor
    accounts: dict[str, str] = field(default_factory=dict)      # account -> holder (related)

    def __contains__(self, party: object) -> bool:
        return party in self.links

    def get(self, party: str | None) -> Link | None:
        return self.links.get(party) if party else None


def _label(kind: str, via: str | None, g: nx.MultiDiGraph) -> tuple[str, str]:
    zh, en = _LABEL_ZH.get(kind, kind), _LABEL_EN.get(kind, kind)
    if via:
        name = ((g.nodes[via].get("properties") or {}).get("name") or [via])[0]
        return f"实际控制人{name}的{zh}", f"{en} of the controller {name}"
    return zh, en


def _related(g: nx.MultiDiGraph, party: str, at: datetime | None) -> dict[str, Any]:
    from debtorgraph.analysis.parties.related import related_parties

    try:
        found = dict(related_parties(g, party))
        if at is not None:
            for key, rel in related_parties(g, party, at=at).items():
                found.setdefault(key, rel)
        return found
    except DebtorGraphError as exc:
        log.warning("related parties of %s could not be read: %s", party, exc)
        return {}


def relations_of(g: nx.MultiDiGraph, subject: str, at: datetime | None = None) -> Relations:
    """The subject's related parties as the rules use them.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Analysis graph.
    subject : str
        The debtor.
    at : datetime, optional
        Also count links in force on this date (the start of the watch window), so a
        company the debtor controlled when the duty arose stays related after he sold it.

    Returns
    -------
    Relations

    Examples
    --------
    >>> from debtorgraph.graph.subgraph import graph_from_entities
    >>> g = graph_from_entities([
    ...     {"id": "co", "schema": "Company", "properties": {"name": ["甲公司"]}},
    ...     {"id": "boss", "schema": "Person", "properties": {"name": ["王某"]}},
    ...     {"id": "sis", "schema": "Person", "properties": {"name": ["王妹"]}},
    ...     {"id": "o1", "schema": "Ownership", "properties": {"owner": ["boss"], "asset": ["co"],
    ...      "percentage": ["80"]}},
    ...     {"id": "f1", "schema": "Family", "properties": {"person": ["boss"], "relative": ["sis"],
    ...      "relationship": ["sibling"]}}])
    >>> rel = relations_of(g, "co")
    >>> rel.get("boss").kind, rel.get("sis").kind, rel.get("sis").via, rel.controllers
    ('owner', 'sibling', 'boss', ['boss'])
    """
    if subject not in g:
        return Relations()
    out = Relations()
    found = _related(g, subject, at)
    for party, rel in found.items():
        kind = rel.kind
        if kind in ("employer", "employee"):
            out.employment[party] = kind
            continue
        if kind == "account":
            holder = rel.path[-3] if len(rel.path) >= 3 else subject
            if holder != subject:
                out.accounts[party] = holder
            continue
        if kind not in CLOSENESS:
            continue
        if kind == "owner" and rel.share is not None and rel.share < 0.25:
            closeness = 0.5
        else:
            closeness = CLOSENESS[kind]
        zh, en = _label(kind, None, g)
        out.links[party] = Link(kind, closeness, tuple(rel.path), zh, en)
        if kind in ("owner", "beneficial_owner") and (rel.share is None or rel.share >= 0.25):
            out.controllers.append(party)
        elif kind == "officer" and any(r in (rel.role or "") for r in _CONTROL_ROLES):
            out.controllers.append(party)
    if g.nodes[subject].get("schema") in ("Company", "Organization", "LegalEntity"):
        for boss in list(dict.fromkeys(out.controllers)):
            base = out.links[boss]
            for party, rel in _related(g, boss, at).items():
                if party == subject or party in out.links or rel.kind not in CLOSENESS:
                    if rel.kind == "account" and party not in out.accounts and len(rel.path) >= 3:
                        out.accounts[party] = rel.path[-3]
                    continue
                zh, en = _label(rel.kind, boss, g)
                closeness = round(min(CLOSENESS[rel.kind], base.closeness) * 0.95, 3)
                out.links[party] = Link(rel.kind, closeness, base.path + tuple(rel.path[1:]),
                                        zh, en, via=boss)
    out.controllers = list(dict.fromkeys(out.controllers))
    return out
