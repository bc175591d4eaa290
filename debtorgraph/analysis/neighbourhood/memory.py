"""The :class:`~debtorgraph.analysis.neighbourhood.read.Source` of an in-memory graph.

Tests and small files run detection on the analysis graph itself
(:func:`debtorgraph.graph.subgraph.graph_from_entities`); this source answers the
neighbourhood's questions from it, with the same meaning as the store's Cypher.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

import networkx as nx

from debtorgraph.analysis.milestones import norm_role
from debtorgraph.analysis.neighbourhood.read import Entity, amount_of
from debtorgraph.graph.identity import normalize_case_number

log = logging.getLogger(__name__)

__all__ = ["GraphSource"]


class GraphSource:
    """A :class:`Source` over an in-memory analysis graph (tests, small files)."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.g = g
        self._by_case: dict[str, list[Entity]] | None = None
        self._sanctions: dict[str, list[Entity]] | None = None
        self._prov: Any = None

    def _node(self, n: str) -> Entity:
        d = self.g.nodes[n]
        return {"id": n, "schema": d.get("schema"), "properties": d.get("properties") or {}}

    @staticmethod
    def _edge(key: str, d: dict[str, Any]) -> Entity:
        return {"id": key, "schema": d.get("schema"), "properties": d.get("properties") or {}}

    def debtors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for a, b, _, d in self.g.edges(keys=True, data=True):
            if d.get("schema") == "CourtCaseParty" and any(
                    norm_role(r) == "debtor" for r in (d.get("properties") or {}).get("role", [])):
                out.setdefault(a, [])
                if b not in out[a]:
                    out[a].append(b)
        return out

    def _index(self) -> dict[str, list[Entity]]:
        if self._by_case is None:
            self._by_case = {}
            for n, d in self.g.nodes(data=True):
                if d.get("schema") in ("Event", "Sanction"):
                    for s in (d.get("properties") or {}).get("summary", []):
                        self._by_case.setdefault(normalize_case_number(s), []).append(self._node(n))
            for _, _, k, d in self.g.edges(keys=True, data=True):
                if d.get("schema") == "Debt":
                    for s in (d.get("properties") or {}).get("summary", []):
                        self._by_case.setdefault(normalize_case_number(s), []).append(self._edge(k, d))
        return self._by_case

    def cases_of(self, ids: list[str]) -> list[str]:
        out: list[str] = []
        for _, case, _, d in self._incident(ids, ("CourtCaseParty",), True, False):
            if case not in out:
                out.append(case)
        return out

    def case_entities(self, case_ids: list[str]) -> list[Entity]:
        out = []
        for c in case_ids:
            if c not in self.g:
                continue
            node = self._node(c)
            out.append(node)
            for _, _, k, d in self.g.in_edges(c, keys=True, data=True):
                if d.get("schema") == "CourtCaseParty":
                    out.append(self._edge(k, d))
            for number in node["properties"].get("caseNumber", []):
                out.extend(self._index().get(normalize_case_number(number), []))
        return out

    def _incident(self, ids: list[str], schemata: tuple[str, ...], out: bool = True,
                  into: bool = True) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
        for n in ids:
            if n not in self.g:
                continue
            if out:
                for a, b, k, d in self.g.out_edges(n, keys=True, data=True):
                    if d.get("schema") in schemata:
                        yield a, b, k, d
            if into:
                for a, b, k, d in self.g.in_edges(n, keys=True, data=True):
                    if d.get("schema") in schemata:
                        yield a, b, k, d

    def links(self, ids: list[str], schemata: Iterable[str]) -> list[Entity]:
        seen: dict[str, Entity] = {}
        for _, _, k, d in self._incident(ids, tuple(schemata)):
            seen.setdefault(k, self._edge(k, d))
        return list(seen.values())

    def payments(self, ids: list[str], since: str, *, out: bool = True, into: bool = True,
                 until: str | None = None, min_amount: float | None = None,
                 to: list[str] | None = None, accounts: list[str] | None = None,
                 only: list[str] | None = None) -> list[Entity]:
        targets = set(to) if to is not None else None
        accts = set(accounts) if accounts is not None else None
        wanted = set(only) if only is not None else None
        seen: dict[str, Entity] = {}
        for flows_out in ((True,) if out else ()) + ((False,) if into else ()):
            for a, b, k, d in self._incident(ids, ("Payment",), flows_out, not flows_out):
                props = d.get("properties") or {}
                day = (props.get("date") or [""])[0]
                if day < since or (until is not None and day >= until):
                    continue
                if min_amount is not None and amount_of({"properties": props}) < min_amount:
                    continue
                if flows_out and targets is not None and b not in targets:
                    continue
                side = "payerAccount" if flows_out else "beneficiaryAccount"
                if accts is not None and not accts & set(props.get(side, [])):
                    continue
                if wanted is not None and k not in wanted:
                    continue
                seen.setdefault(k, self._edge(k, d))
        return list(seen.values())

    def spending(self, ids: list[str], since: str) -> list[tuple[str, str, str]]:
        out = []
        for _, b, k, d in self._incident(ids, ("Payment",), True, False):
            props = d.get("properties") or {}
            if (props.get("date") or [""])[0] >= since:
                name = ((self.g.nodes[b].get("properties") or {}).get("name") or [""])[0]
                out.append((k, name, " ".join(props.get("purpose", []))))
        return out

    def nodes(self, ids: list[str]) -> list[Entity]:
        return [self._node(n) for n in ids if n in self.g and self.g.nodes[n].get("schema")]

    def sanctions_on(self, ids: list[str]) -> list[Entity]:
        if self._sanctions is None:
            self._sanctions = {}
            for n, d in self.g.nodes(data=True):
                if d.get("schema") == "Sanction":
                    for t in (d.get("properties") or {}).get("entity", []):
                        self._sanctions.setdefault(t, []).append(self._node(n))
        return [s for i in ids for s in self._sanctions.get(i, [])]

    def courts(self, names: list[str]) -> list[Entity]:
        wanted = set(names)
        return [self._node(n) for n, d in self.g.nodes(data=True)
                if d.get("schema") == "PublicBody" and wanted & set((d.get("properties") or {}).get("name", []))]

    def provenance(self, ids: list[str]) -> Any:
        from debtorgraph.analysis.provenance import Provenance

        if self._prov is None:
            self._prov = Provenance.from_graph(self.g)
        return self._prov
