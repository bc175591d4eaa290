"""Where each entity came from, as detection and evidence cite it.

A lower module than :mod:`~debtorgraph.analysis.detect`, :mod:`~debtorgraph.analysis.neighbourhood.store`
(``StoreProvenance``) and :mod:`~debtorgraph.analysis.neighbourhood.memory` (``GraphSource``), which
all use :class:`Provenance`: none of them has to import another for it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx

__all__ = ["Provenance", "DOCUMENT_SCHEMATA", "first_value"]

DOCUMENT_SCHEMATA = ("Document", "Table", "Workbook", "Pages", "PlainText", "HyperText", "Image", "Folder",
              "Package", "Email", "Audio", "Video", "Video", "Article")


@dataclass
class Provenance:
    """Where each entity came from: its properties as loaded, origin and load.

    From the store (:mod:`debtorgraph.analysis.neighbourhood.store`) these are the ``Record`` nodes;
    for an in-memory graph :meth:`from_graph` reads them off the graph itself.
    """

    records: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    schemata: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    loads: dict[str, str] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)   # input id -> canonical id
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, g: nx.MultiDiGraph) -> "Provenance":
        out = cls()
        for node, data in g.nodes(data=True):
            out.records[node] = data.get("properties") or {}
            out.schemata[node] = data.get("schema") or ""
            if data.get("schema") in DOCUMENT_SCHEMATA:
                out.documents[node] = _doc(node, data.get("schema"), data.get("properties") or {})
        for _, _, key, data in g.edges(keys=True, data=True):
            out.records.setdefault(key, data.get("properties") or {})
            out.schemata.setdefault(key, data.get("schema") or "")
        return out

    def prepare(self, ids: Iterable[str]) -> None:
        """Make sure the records of ``ids`` are at hand (the store's provenance reads them)."""

    def input_ids(self, canonical: str, act_ids: Iterable[str]) -> str:
        """The id under which the acts' own records name ``canonical``."""
        for act in act_ids:
            for values in self.records.get(act, {}).values():
                for value in values:
                    if value != canonical and self.canonical.get(value) == canonical:
                        return value
        return canonical


def first_value(props: dict[str, list[str]], name: str) -> str | None:
    """First value of a property, or None."""
    vals = props.get(name) or []
    return vals[0] if vals else None


def _doc(node: str, schema: str | None, props: dict[str, list[str]]) -> dict[str, Any]:
    return {"id": node, "schema": schema, "fileName": first_value(props, "fileName"),
            "contentHash": first_value(props, "contentHash")}
