"""Cached reads for the pages (``st.cache_data`` with a time to live).

Each function takes the store as ``_store`` (left out of the cache key) and the store
location ``db`` (in the key), so two stores never share results. Results are plain data
(copied on every call, as ``cache_data`` does). Analysis results come back as
``{"ok": bool, "value": ..., "missing": module, "error": text}`` so a missing module is
remembered as such instead of retried on every rerun.
"""
from __future__ import annotations

import logging
from typing import Any

import orjson
import streamlit as st

from . import queries as Q
from .backends import Unavailable, run_detection, run_trace
from .network import Network, build_network

log = logging.getLogger(__name__)

TTL = 300
#: Detection is the slowest read; the store changes only through loads, which clear every cache.
FINDINGS_TTL = 3600


def _outcome(fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return {"ok": True, "value": fn(*args, **kwargs), "missing": None, "error": None}
    except Unavailable as exc:
        return {"ok": False, "value": None, "missing": exc.module, "error": None}
    except Exception as exc:  # shown on the page, with the module's own message
        log.exception("analysis failed")
        return {"ok": False, "value": None, "missing": None, "error": f"{type(exc).__name__}: {exc}"}


@st.cache_data(ttl=TTL, show_spinner=False)
def overview(_store: Any, db: str) -> dict[str, Any]:
    """Counts: entities and relationships by schema, records, loads, cases, debtors."""
    from ..queries.stats import COUNT_EDGES, COUNT_NODES, COUNT_RECORDS

    nodes = {r["schema"]: int(r["n"]) for r in Q.read(_store, COUNT_NODES)}
    edges = {r["schema"]: int(r["n"]) for r in Q.read(_store, COUNT_EDGES)} if Q.rel_types(_store) else {}
    records = int(Q.read(_store, COUNT_RECORDS)[0]["n"])
    loads = Q.read(_store, Q.LOADS)
    debtor_rows = Q.debtors(_store)
    return {"nodes": nodes, "edges": edges, "records": records, "loads": loads,
            "cases": nodes.get("CourtCase", 0), "debtors": len({r["id"] for r in debtor_rows}),
            "entities": sum(nodes.values())}


@st.cache_data(ttl=TTL, show_spinner=False)
def search(_store: Any, db: str, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Search hits, each with the party whose workspace it opens (``open_id``)."""
    hits = Q.search(_store, text, limit)
    if not hits:
        return hits
    ids = [h["id"] for h in hits]
    owners: dict[str, list[dict[str, Any]]] = {}
    for r in Q.read(_store, Q.ASSET_OWNERS, {"ids": ids}, needs=("OWNERSHIP",)):
        owners.setdefault(r["asset"], []).append(r)
    case_parties: dict[str, list[dict[str, Any]]] = {}
    for r in Q.read(_store, Q.CASE_PARTIES, {"ids": ids}, needs=("COURT_CASE_PARTY",)):
        case_parties.setdefault(r["case_id"], []).append(r)
    debtor_ids = {r["id"] for r in Q.debtors(_store)}
    for h in hits:
        h["is_debtor"] = h["id"] in debtor_ids
        h["open_id"] = h["id"] if h["schema"] in ("Person", "Company", "Organization", "LegalEntity",
                                                   "PublicBody") else None
        h["open_caption"] = h["caption"]
        if h["open_id"] is None:
            cands = [r for r in case_parties.get(h["id"], []) if r["role"] in Q.DEBTOR_ROLES]
            cands = cands or sorted(owners.get(h["id"], []),  # a debtor who held it first, then the holder now
                                    key=lambda r: (r["owner"] not in debtor_ids, r["end_date"] is not None))
            cands = cands or case_parties.get(h["id"], [])
            if cands:
                first = cands[0]
                h["open_id"] = first.get("party") or first.get("owner")
                h["open_caption"] = first["caption"]
    hits.sort(key=lambda h: (not h["is_debtor"], h["open_id"] is None, len(h["caption"] or "")))
    return hits


@st.cache_data(ttl=TTL, show_spinner=False)
def debtors(_store: Any, db: str) -> list[dict[str, Any]]:
    """Debtors (one row per party, their case numbers joined)."""
    out: dict[str, dict[str, Any]] = {}
    for r in Q.debtors(_store):
        row = out.setdefault(r["id"], {"id": r["id"], "caption": r["caption"], "schema": r["schema"], "cases": []})
        if r["case_number"] and r["case_number"] not in row["cases"]:
            row["cases"].append(r["case_number"])
    return list(out.values())


@st.cache_data(ttl=TTL, show_spinner=False)
def party(_store: Any, db: str, party_id: str) -> dict[str, Any] | None:
    """One party: its node row, props, cases and accounts."""
    node = Q.nodes(_store, [party_id]).get(party_id)
    if node is None:
        return None
    node["props"] = orjson.loads(node["props"]) if node.get("props") else {}
    cases = Q.read(_store, Q.PARTY_CASES, {"ids": [party_id]}, needs=("COURT_CASE_PARTY",))
    accounts = [r for r in Q.read(_store, Q.OUT_LINKS, {"ids": [party_id], "limit": 2000})
                if r["type"] == "OWNERSHIP"]
    acct_nodes = Q.nodes(_store, [r["dst"] for r in accounts])
    node["cases"] = cases
    node["accounts"] = [{"id": i, "caption": n["caption"], "schema": n["schema"]}
                        for i, n in acct_nodes.items() if n["schema"] == "BankAccount"]
    return node


@st.cache_data(ttl=FINDINGS_TTL, show_spinner=False)
def findings(_store: Any, db: str) -> dict[str, Any]:
    """Detection results (outcome dict; ``value`` is the list of findings).

    Read from the background detection's file when it is there (:mod:`.precompute`), else
    run here and kept there for the next server.
    """
    from . import precompute

    ready = precompute.cached(db)
    if ready is not None:
        return {"ok": True, "value": ready, "missing": None, "error": None}
    return _outcome(precompute.compute, _store, db)


@st.cache_data(ttl=FINDINGS_TTL, show_spinner=False)
def subject_findings(_store: Any, db: str, subject: str) -> dict[str, Any]:
    """Detection for one debtor only (the Network page: its own neighbourhood, not the store)."""
    return _outcome(run_detection, _store, [subject])


@st.cache_data(ttl=TTL, show_spinner=False)
def network(_store: Any, db: str, centers: tuple[str, ...], kinds: tuple[str, ...], since: str | None,
            until: str | None, min_amount: float, depth: int, split: tuple[tuple[str, str], ...],
            max_nodes: int, pinned: tuple[str, ...], hidden: tuple[str, ...], findings_key: str,
            _findings: list[dict[str, Any]], masked: bool = True) -> Network:
    """The drawn neighbourhood (see :func:`debtorgraph.ui.network.build_network`)."""
    return build_network(_store, list(centers), kinds=kinds, since=since, until=until, min_amount=min_amount,
                         depth=depth, split_pairs=split, max_nodes=max_nodes, pinned=pinned, hidden=hidden,
                         findings=_findings, masked=masked)


@st.cache_data(ttl=TTL, show_spinner=False)
def payment_span(_store: Any, db: str, ids: tuple[str, ...]) -> dict[str, Any]:
    """First and last transfer date and the largest amount around some parties."""
    if "PAYMENT" not in Q.rel_types(_store):
        return {"first": None, "last": None, "top": None}
    rows = Q.read(_store, Q.PAYMENT_SPAN, {"ids": list(ids)})
    return rows[0] if rows else {"first": None, "last": None, "top": None}


@st.cache_data(ttl=TTL, show_spinner=False)
def trace(_store: Any, db: str, source: str, rule: str, since: str | None, until: str | None) -> dict[str, Any]:
    """A trace outcome (``value`` in the interchange.md trace form)."""
    return _outcome(run_trace, _store, source, rule, since, until)


@st.cache_data(ttl=TTL, show_spinner=False)
def outflows(_store: Any, db: str, source: str, since: str | None, until: str | None,
             limit: int = 500) -> list[dict[str, Any]]:
    """Transfers out of an account (by account id) or a party, in the window."""
    params = {**Q.pay_params(since, until, 0.0), "limit": limit}
    node = Q.nodes(_store, [source]).get(source)
    if node and node["schema"] == "BankAccount":
        return Q.read(_store, Q.ACCOUNT_PAYMENTS, {**params, "account": source}, needs=("PAYMENT",))
    rows = Q.read(_store, Q.PARTY_PAYMENTS, {**params, "ids": [source]}, needs=("PAYMENT",))
    return [r for r in rows if r["src"] == source]


@st.cache_data(ttl=TTL, show_spinner=False)
def captions(_store: Any, db: str, ids: tuple[str, ...], masked: bool = True) -> dict[str, str]:
    """Display names for ids (the id itself when unknown), identifiers masked."""
    from .backends import mask_caption

    found = Q.nodes(_store, list(ids))
    out = {}
    for i in ids:
        row = found.get(i)
        if row is None:
            out[i] = i
            continue
        props = orjson.loads(row["props"]) if row.get("props") else {}
        out[i] = mask_caption(row["schema"], row["caption"], props) if masked else row["caption"]
    return out


@st.cache_data(ttl=TTL, show_spinner=False)
def timeline(_store: Any, db: str, party_id: str, masked: bool = True) -> list[dict[str, Any]]:
    """Dated items of a debtor: milestones, sanctions, transfers, ownership and family changes."""
    from .timeline import timeline_rows

    return timeline_rows(_store, party_id, masked=masked)


@st.cache_data(ttl=TTL, show_spinner=False)
def links_by_id(_store: Any, db: str, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """Relationships whose entity id is among ``ids``."""
    if not ids or not Q.rel_types(_store):
        return []
    return Q.read(_store, Q.LINKS_BY_ID, {"ids": list(ids)})
