"""Findings for the Findings page: deadlines, exports with review marks, the acts as a graph."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from typing import Any

from . import queries as Q
from .backends import mask_caption, neutralise_formula
from .network import NetEdge, NetNode, Network, relation_kind

__all__ = ["describe_acts", "rule_label", "explanation", "legal_basis", "revocation_deadline", "findings_csv", "findings_jsonl", "acts_network", "EXPORT_COLUMNS"]

_REVOCABLE = re.compile(r"(Civil Code|民法典)[^0-9]{0,12}(538|539)")
EXPORT_COLUMNS = ("id", "rule", "score", "subject", "actor", "case", "amount", "date", "legal_basis",
                  "explanation", "acts", "counterparties", "revocation_deadline", "mark", "mark_reason", "mark_at")


def _basis_text(finding: dict[str, Any]) -> str:
    basis = finding.get("legal_basis") or ""
    return "; ".join(map(str, basis)) if isinstance(basis, (list, tuple)) else str(basis)


def revocation_deadline(finding: dict[str, Any]) -> str | None:
    """When the creditor's revocation right ends at the latest (Civil Code art. 541).

    The finding's own ``revocation_deadline`` wins; else, for acts under Civil Code
    arts. 538/539, five years after the act (the outer limit; the one-year limit runs
    from when the creditor knew, which the data does not tell).

    >>> revocation_deadline({"legal_basis": ["Civil Code art. 539"], "date": "2022-05-20"})
    '2027-05-20'
    >>> revocation_deadline({"legal_basis": "Criminal Law art. 313", "date": "2022-05-20"}) is None
    True
    """
    own = finding.get("revocation_deadline") or finding.get("deadline")
    if not own and isinstance(finding.get("revocation"), dict):
        own = finding["revocation"].get("deadline")
    if own:
        return str(own)[:10]
    when = str(finding.get("date") or "")[:10]
    if not when or not _REVOCABLE.search(_basis_text(finding)):
        return None
    try:
        d = date.fromisoformat(when)
    except ValueError:
        return None
    try:
        return d.replace(year=d.year + 5).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year + 5, day=28).isoformat()


def rule_label(rule: str, lang: str) -> str:
    """A rule's name for people (the evidence module's table; an unknown rule keeps its code).

    >>> rule_label("no_such_rule", "zh")
    'no_such_rule'
    """
    from ..analysis.evidence.conduct import rule_name

    zh, en = rule_name(rule)
    return en if lang == "en" else zh


def explanation(finding: dict[str, Any], lang: str) -> str:
    """The finding's explanation in the language shown (English when the finding has it)."""
    if lang == "en" and finding.get("explanation_en"):
        return str(finding["explanation_en"])
    return str(finding.get("explanation") or "")


def legal_basis(finding: dict[str, Any], lang: str) -> str:
    """The provisions, in Chinese where the finding gives them so."""
    basis = finding.get("legal_basis_zh") if lang != "en" and finding.get("legal_basis_zh") else finding.get("legal_basis")
    return "; ".join(map(str, basis)) if isinstance(basis, (list, tuple)) else str(basis or "")


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise_formula(value)


def findings_csv(findings: list[dict[str, Any]]) -> str:
    """CSV of findings with their marks; every cell formula-safe for spreadsheets."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_COLUMNS)
    for f in findings:
        row = {**f, "revocation_deadline": revocation_deadline(f)}
        writer.writerow([_cell(row.get(c)) for c in EXPORT_COLUMNS])
    return buf.getvalue()


def findings_jsonl(findings: list[dict[str, Any]]) -> str:
    """JSON lines: the findings as detect wrote them, plus ``mark`` fields and the deadline."""
    return "".join(json.dumps({**f, "revocation_deadline": revocation_deadline(f)}, ensure_ascii=False,
                              default=str) + "\n" for f in findings)


def acts_network(store: Any, finding: dict[str, Any], masked: bool = True) -> Network:
    """The finding's acts (and the nodes they join) as a small network, all flagged."""
    acts = [str(a) for a in finding.get("acts") or []]
    links = Q.read(store, Q.LINKS_BY_ID, {"ids": acts}) if acts and Q.rel_types(store) else []
    node_ids = {finding.get("subject"), finding.get("actor"), *(finding.get("counterparties") or [])}
    node_ids |= {r["src"] for r in links} | {r["dst"] for r in links}
    node_ids |= set(acts) - {r["rid"] for r in links}  # acts that are nodes (Events, Sanctions, cases)
    node_ids.discard(None)
    info = Q.nodes(store, sorted(node_ids))
    rule = str(finding.get("rule") or "")
    nodes = {}
    for i in sorted(node_ids):
        if i not in info:
            continue
        row = info[i]
        caption = row["caption"] or i
        if masked:
            caption = mask_caption(row["schema"], caption, json.loads(row["props"]) if row.get("props") else {})
        nodes[i] = NetNode(i, row["schema"], caption, center=(i == finding.get("subject")),
                           rules=[rule] if i in acts or i != finding.get("subject") else [], date=row.get("date"))
    edges = [NetEdge(r["src"], r["dst"], r["type"], relation_kind(r["type"]), [r["rid"]], total=r["amount"],
                     first=r["date"], last=r["date"], role=r["role"], percentage=r["percentage"],
                     end_date=r["end_date"], flagged=True, single=r["type"] == "PAYMENT")
             for r in links if r["src"] in nodes and r["dst"] in nodes]
    subject = str(finding.get("subject") or "")
    for i in nodes:  # node acts hang on the subject
        if i in acts and subject in nodes and i != subject and not any(i in (e.src, e.dst) for e in edges):
            edges.append(NetEdge(i, subject, "INVOLVED", "milestone", [i], flagged=True))
    return Network(nodes, edges)


def describe_acts(store: Any, finding: dict[str, Any], lang: str, masked: bool = True) -> list[str]:
    """The finding's acts as lines a person reads: date, what, amount, who to whom (id last).

    Links (payments, ownerships, kinship) come from the store; acts that are nodes (events,
    measures, cases) are named by their caption. Identifiers in names are masked when asked.
    """
    from .i18n import schema_name
    from .vis import _TYPE_WORDS, format_amount

    acts = [str(a) for a in finding.get("acts") or []]
    if not acts:
        return []
    links = {r["rid"]: r for r in (Q.read(store, Q.LINKS_BY_ID, {"ids": acts}) if Q.rel_types(store) else [])}
    info = Q.nodes(store, sorted({*acts, *(x for r in links.values() for x in (r["src"], r["dst"]))}))

    def name(i: str) -> str:
        row = info.get(i) or {}
        caption = str(row.get("caption") or i)
        if masked:
            caption = mask_caption(row.get("schema"), caption, json.loads(row["props"]) if row.get("props") else {})
        return caption

    lines = []
    for a in acts:
        if a in links:
            r = links[a]
            pair = _TYPE_WORDS.get(r["type"], (r["type"], r["type"]))
            what = pair[1] if lang == "en" else pair[0]
            amount = f" {format_amount(r['amount'])}" if r.get("amount") is not None else ""
            lines.append(f"{str(r.get('date') or '')[:10]} {what}{amount}：{name(r['src'])} → {name(r['dst'])}（{a}）")
        elif a in info:
            row = info[a]
            lines.append(f"{str(row.get('date') or '')[:10]} {schema_name(row.get('schema'), lang)}：{name(a)}（{a}）")
        else:
            lines.append(a)
    return [line.strip() for line in lines]
