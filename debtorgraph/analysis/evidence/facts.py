"""Facts of an evidence chain: how one is written down, numbered and tied to its sources.

A fact is a plain dict::

    {"id": "conduct.2", "kind": "act", "text_zh": "...", "text_en": "...",
     "date": "2022-04-10", "amount": 200000.0, "entities": ["pay-1"],
     "sources": [{"entity": "pay-1", "schema": "Payment", "document": "doc-bank",
                  "file_name": "...", "content_hash": "...", "record_id": "明细!901",
                  "origin": "entities.ftm.jsonl:51"}],
     "data": {...}}

``entities`` are input entity ids; ``sources`` give, for each of them, the document its
``proof`` names (with the hash that document records), its ``recordId`` and the
``file:line`` it was loaded from. An entity with no ``proof`` still gets a source entry,
with ``document`` None, so that a missing source is visible instead of silent.
A gap is what the chain needs and the data lacks: ``{"code", "zh", "en", "entities"}``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from .store import EvidenceGraph, one

log = logging.getLogger(__name__)

#: The five categories of 法发〔2025〕8号 para. 4, in order: key -> (Chinese, English).
CATEGORIES: dict[str, tuple[str, str]] = {
    "identity": ("身份", "Identity"),
    "duty": ("执行义务", "Duty to execute"),
    "ability": ("履行能力", "Ability to execute"),
    "conduct": ("拒不执行行为", "Conduct of refusal"),
    "circumstances": ("情节与后果", "Circumstances and consequences"),
}

#: Event names of docs/interchange.md -> (Chinese, English).
MILESTONES: dict[str, tuple[str, str]] = {
    "lawsuit_served": ("应诉通知送达", "notice to respond served"),
    "judgment_effective": ("判决生效", "judgment effective"),
    "enforcement_filed": ("立案执行", "enforcement filed"),
    "execution_notice": ("执行通知送达", "execution notice served"),
    "property_report_order": ("报告财产令送达", "property report order served"),
    "assistance_notice": ("协助执行通知送达", "assistance notice served"),
    "termination": ("终结本次执行", "enforcement terminated without full payment"),
}

#: Sanction programs -> (Chinese, English).
PROGRAMS: dict[str, tuple[str, str]] = {
    "freeze": ("冻结", "freeze"),
    "seizure": ("查封/扣押", "seizure"),
    "dishonest_listing": ("纳入失信被执行人名单", "dishonest-debtor list"),
    "consumption_restriction": ("限制消费令", "consumption restriction order"),
}


def day(value: str | None) -> str | None:
    """The date part (``YYYY-MM-DD``) of an FtM date or date-time."""
    return value[:10] if value else None


def days_between(start: str | None, end: str | None) -> int | None:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if not start or not end or len(start) < 10 or len(end) < 10:
        return None
    try:
        return (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days
    except ValueError:
        return None


def add_years(value: str, years: int) -> str:
    """``YYYY-MM-DD`` plus whole years (29 February becomes 28 February)."""
    d = date.fromisoformat(value[:10])
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:
        return d.replace(year=d.year + years, day=28).isoformat()


def money(amount: float | None, currency: str | None = "CNY") -> str:
    """``1,200,000.00 元`` (or the currency code for foreign money); ``—`` when unknown."""
    if amount is None:
        return "—"
    unit = "元" if (currency or "CNY") in ("CNY", "RMB") else (currency or "")
    return f"{amount:,.2f} {unit}".strip()


@dataclass
class Gap:
    """Something the chain needs that the data does not hold."""

    code: str
    zh: str
    en: str
    entities: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "entities": sorted(set(self.entities))}


class FactSet:
    """The facts and gaps of the five categories, numbered in the order they are added."""

    def __init__(self, graph: EvidenceGraph) -> None:
        self.graph = graph
        self.facts: dict[str, list[dict[str, Any]]] = {k: [] for k in CATEGORIES}
        self.gaps: dict[str, list[Gap]] = {k: [] for k in CATEGORIES}

    def add(self, category: str, kind: str, zh: str, en: str, entities: Iterable[str], *,
            date: str | None = None, amount: float | None = None,
            data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Add one fact to a category and return it (its id is ``category.n``)."""
        ids = list(dict.fromkeys(e for e in entities if e))
        fact = {"id": f"{category}.{len(self.facts[category]) + 1}", "kind": kind,
                "text_zh": zh, "text_en": en, "date": day(date) if date else None,
                "amount": round(amount, 2) if amount is not None else None,
                "entities": ids, "sources": [], "data": data or {}}
        self.facts[category].append(fact)
        return fact

    def gap(self, category: str, code: str, zh: str, en: str, entities: Iterable[str] = ()) -> None:
        """Record a gap (once per category and code)."""
        for g in self.gaps[category]:
            if g.code == code:
                g.entities.extend(e for e in entities if e)
                return
        self.gaps[category].append(Gap(code, zh, en, [e for e in entities if e]))

    def attach_sources(self) -> list[dict[str, Any]]:
        """Fill every fact's ``sources``; return the source documents used, sorted by id."""
        graph = self.graph
        all_ids = {e for facts in self.facts.values() for f in facts for e in f["entities"]}
        recs = graph.records(all_ids)
        doc_ids = {p for r in recs.values() for p in r["props"].get("proof", [])}
        docs = graph.records(doc_ids)
        used: dict[str, dict[str, Any]] = {}
        for facts in self.facts.values():
            for fact in facts:
                fact["sources"] = [s for e in fact["entities"] for s in _sources_of(e, recs, docs, used)]
        return [used[k] for k in sorted(used)]

    def as_dict(self) -> dict[str, Any]:
        """The ``categories`` part of the chain."""
        out = {}
        for key, (zh, en) in CATEGORIES.items():
            out[key] = {"title_zh": zh, "title_en": en, "facts": self.facts[key],
                        "gaps": [g.as_dict() for g in self.gaps[key]]}
        return out


def _sources_of(ent: str, recs: dict[str, Any], docs: dict[str, Any],
                used: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rec = recs.get(ent)
    if rec is None:
        return [{"entity": ent, "schema": None, "document": None, "file_name": None,
                 "content_hash": None, "record_id": None, "origin": None}]
    props = rec["props"]
    record_id = one(props, "recordId")
    proofs = props.get("proof") or [None]
    out = []
    for proof in proofs:
        doc = docs.get(proof) if proof else None
        dprops = doc["props"] if doc else {}
        file_name = (one(dprops, "fileName") or one(dprops, "name"))
        content_hash = one(dprops, "contentHash")
        if proof and proof not in used:
            used[proof] = {"document": proof, "schema": doc["schema"] if doc else None,
                           "file_name": file_name, "content_hash": content_hash,
                           "publisher": one(dprops, "publisher"),
                           "origin": doc["origin"] if doc else None}
        out.append({"entity": ent, "schema": rec["schema"], "document": proof, "file_name": file_name,
                    "content_hash": content_hash, "record_id": record_id, "origin": rec["origin"]})
    return out
