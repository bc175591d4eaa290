"""The app's read queries: search, debtors, neighbourhoods, transfers, timelines.

Plain functions of a store (no Streamlit), so they can be tested and timed alone;
:mod:`debtorgraph.ui.data` wraps them in ``st.cache_data``. Cypher is written for
ladybug; :func:`for_dialect` swaps ``label(r)`` for Neo4j's ``type(r)``. Dates are ISO
strings, so the window filters compare strings (``"2022-05-01" <= "2022-05-01T10:00"``).
"""
from __future__ import annotations

import logging
from typing import Any

from ..graph.identity import normalize_case_number

log = logging.getLogger(__name__)

#: Roles that make a party a debtor in a case (interchange.md: CourtCaseParty.role).
DEBTOR_ROLES = ["debtor", "被执行人"]
#: Dates that bound an open window.
NO_START, NO_END = "0000", "9999"

# Search. Params: $q (lower-cased text), $qn (normalised case number), $limit.
# Columns: id, schema, caption, account_number, reg_number, title_number, case_number, props.
SEARCH = (
    "MATCH (n:Entity) WHERE lower(n.caption) CONTAINS $q OR n.id = $raw "
    "OR lower(n.account_number) CONTAINS $q OR lower(n.reg_number) CONTAINS $q "
    "OR lower(n.title_number) CONTAINS $q OR n.case_number CONTAINS $qn OR lower(n.props) CONTAINS $q "
    "RETURN n.id AS id, n.schema AS schema, n.caption AS caption, n.account_number AS account_number, "
    "n.reg_number AS reg_number, n.title_number AS title_number, n.case_number AS case_number, "
    "n.props AS props LIMIT $limit")
# Debtors: parties with a debtor role in a case. Params: $roles. Columns: id, schema,
# caption, case_id, case_number.
DEBTORS = (
    "MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity) WHERE r.role IN $roles "
    "RETURN p.id AS id, p.schema AS schema, p.caption AS caption, c.id AS case_id, "
    "c.case_number AS case_number ORDER BY caption")
# Cases of parties. Params: $ids. Columns: party, case_id, case_number, caption, role.
PARTY_CASES = (
    "MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity) WHERE p.id IN $ids "
    "RETURN p.id AS party, c.id AS case_id, c.case_number AS case_number, c.caption AS caption, "
    "r.role AS role")
# Parties of cases. Params: $ids. Columns: case_id, party, caption, role.
CASE_PARTIES = (
    "MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity) WHERE c.id IN $ids "
    "RETURN c.id AS case_id, p.id AS party, p.caption AS caption, r.role AS role")
# Holders of assets (accounts, real estate, vehicles, companies). Params: $ids.
# Columns: asset, owner, caption, end_date.
ASSET_OWNERS = (
    "MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE a.id IN $ids "
    "RETURN a.id AS asset, o.id AS owner, o.caption AS caption, r.end_date AS end_date")
# Nodes by id. Params: $ids. Columns: id, schema, caption, props, date, end_date, amount, kind,
# case_number.
NODES = (
    "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.schema AS schema, n.caption AS caption, "
    "n.props AS props, n.date AS date, n.end_date AS end_date, n.amount AS amount, n.kind AS kind, "
    "n.case_number AS case_number")
_EDGE_COLS = ("label(r) AS type, r.id AS rid, r.schema AS rschema, r.date AS date, "
              "r.end_date AS end_date, r.amount AS amount, r.role AS role, r.percentage AS percentage")
# Non-payment relationships from the given nodes. Params: $ids, $limit.
# Columns: src, dst, type, rid, rschema, date, end_date, amount, role, percentage.
OUT_LINKS = (f"MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND label(r) <> 'PAYMENT' "
             f"RETURN a.id AS src, b.id AS dst, {_EDGE_COLS} LIMIT $limit")
# The same, into the given nodes.
IN_LINKS = (f"MATCH (b:Entity)-[r]->(a:Entity) WHERE a.id IN $ids AND label(r) <> 'PAYMENT' "
            f"RETURN b.id AS src, a.id AS dst, {_EDGE_COLS} LIMIT $limit")
_PAY_FILTER = ("r.date >= $since AND r.date < $until AND coalesce(r.amount, 0.0) >= $min_amount")
_PAY_AGG = ("count(*) AS n, sum(r.amount) AS total, min(r.date) AS first, max(r.date) AS last, "
            "collect(r.id) AS ids")
# Payments out of the given parties, one row per counterparty. Params: $ids, $since, $until
# (exclusive), $min_amount, $limit. Columns: src, dst, n, total, first, last, ids.
OUT_PAYMENTS = (f"MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) WHERE a.id IN $ids AND {_PAY_FILTER} "
                f"RETURN a.id AS src, b.id AS dst, {_PAY_AGG} ORDER BY total DESC LIMIT $limit")
# Payments into the given parties, one row per counterparty (same params and columns).
IN_PAYMENTS = (f"MATCH (b:Entity)-[r:PAYMENT]->(a:Entity) WHERE a.id IN $ids AND {_PAY_FILTER} "
               f"RETURN b.id AS src, a.id AS dst, {_PAY_AGG} ORDER BY total DESC LIMIT $limit")
# Single payments between two parties. Params: $src, $dst, $since, $until, $min_amount, $limit.
# Columns: rid, date, amount, currency, purpose, src_account, dst_account.
PAIR_PAYMENTS = (f"MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) WHERE a.id = $src AND b.id = $dst AND "
                 f"{_PAY_FILTER} RETURN r.id AS rid, r.date AS date, r.amount AS amount, "
                 "r.currency AS currency, r.role AS purpose, r.src_account AS src_account, "
                 "r.dst_account AS dst_account ORDER BY date LIMIT $limit")
# Payment date range around parties. Params: $ids. Columns: first, last, top.
PAYMENT_SPAN = ("MATCH (a:Entity)-[r:PAYMENT]-(b:Entity) WHERE a.id IN $ids "
                "RETURN min(r.date) AS first, max(r.date) AS last, max(r.amount) AS top")
# Relationships by their entity id (acts of a finding). Params: $ids. Columns: src, dst, type,
# rid, rschema, date, end_date, amount, role, percentage.
LINKS_BY_ID = f"MATCH (a:Entity)-[r]->(b:Entity) WHERE r.id IN $ids RETURN a.id AS src, b.id AS dst, {_EDGE_COLS}"
# Payments of parties for the timeline / outflows. Params: $ids, $since, $until, $min_amount,
# $limit. Columns: rid, src, dst, date, amount, purpose, src_account, dst_account.
PARTY_PAYMENTS = (f"MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) WHERE (a.id IN $ids OR b.id IN $ids) AND "
                  f"{_PAY_FILTER} RETURN r.id AS rid, a.id AS src, b.id AS dst, r.date AS date, "
                  "r.amount AS amount, r.role AS purpose, r.src_account AS src_account, "
                  "r.dst_account AS dst_account ORDER BY date LIMIT $limit")
# Payments out of one account. Params: $account, $since, $until, $min_amount, $limit. Same columns.
ACCOUNT_PAYMENTS = (f"MATCH (a:Entity)-[r:PAYMENT]->(b:Entity) WHERE r.src_account = $account AND "
                    f"{_PAY_FILTER} RETURN r.id AS rid, a.id AS src, b.id AS dst, r.date AS date, "
                    "r.amount AS amount, r.role AS purpose, r.src_account AS src_account, "
                    "r.dst_account AS dst_account ORDER BY date LIMIT $limit")
# Milestones of cases (Events and Sanctions carry the case number). Params: $cases.
# Columns: id, schema, caption, kind, date, end_date, case_number.
CASE_MILESTONES = (
    "MATCH (e:Entity) WHERE e.schema IN ['Event', 'Sanction'] AND e.case_number IN $cases "
    "RETURN e.id AS id, e.schema AS schema, e.caption AS caption, e.kind AS kind, e.date AS date, "
    "e.end_date AS end_date, e.case_number AS case_number")
# Record counts per load. Columns: load_id, n.
LOADS = "MATCH (r:Record) RETURN r.load_id AS load_id, count(r) AS n, min(r.origin) AS origin ORDER BY load_id"


def for_dialect(cypher: str, dialect: str) -> str:
    """Adapt ladybug Cypher to the store's dialect (:func:`debtorgraph.graph.dialect.translate`).

    >>> for_dialect("MATCH ()-[r]->() RETURN label(r) AS type", "neo4j")
    'MATCH ()-[r]->() RETURN type(r) AS type'
    """
    if dialect == "ladybug":
        return cypher
    from ..graph.dialect import translate

    return translate(cypher, dialect)


def rel_types(store: Any) -> set[str]:
    """Relationship types present in the store (a query on a missing one fails in ladybug).

    A store that says ``caches_rel_types`` (the app's shared read-only store, recreated after
    every load) keeps the answer.
    """
    cached = getattr(store, "_rel_types", None)
    if cached is not None:
        return cached
    found = _rel_types(store)
    if getattr(store, "caches_rel_types", False) and found:
        store._rel_types = found
    return found


def _rel_types(store: Any) -> set[str]:
    try:
        if getattr(store, "dialect", "ladybug") == "neo4j":
            rows = store.run_read("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType").rows
            return {r[0] for r in rows}
        rows = store.run_read("CALL show_tables() RETURN name, type").rows
        return {name for name, kind in rows if kind == "REL"}
    except Exception as exc:  # an empty or unreachable store
        log.debug("cannot list relationship types: %s", exc)
        return set()


def read(store: Any, cypher: str, params: dict[str, Any] | None = None, *,
         needs: tuple[str, ...] = (), max_rows: int | None = None) -> list[dict[str, Any]]:
    """Run a read and return records; empty when a relationship type it needs is absent."""
    if needs:
        have = rel_types(store)
        if any(n not in have for n in needs):
            return []
    if "label(r)" in cypher and not rel_types(store):
        return []
    res = store.run_read(for_dialect(cypher, getattr(store, "dialect", "ladybug")), params or {},
                         max_rows=max_rows)
    return res.records()


def pay_params(since: str | None, until: str | None, min_amount: float | None) -> dict[str, Any]:
    """Window parameters: ``until`` is inclusive of its whole day (compared as < next prefix)."""
    end = (until + "\uffff") if until else NO_END
    return {"since": since or NO_START, "until": end, "min_amount": float(min_amount or 0.0)}


def search(store: Any, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Entities whose caption, identifiers, case number or properties contain ``text``."""
    text = text.strip()
    if not text:
        return []
    q = text.lower()
    return read(store, SEARCH, {"q": q, "raw": text, "qn": normalize_case_number(text),
                                "limit": limit})


def debtors(store: Any) -> list[dict[str, Any]]:
    """Every party with a debtor role, one row per (party, case)."""
    return read(store, DEBTORS, {"roles": DEBTOR_ROLES}, needs=("COURT_CASE_PARTY",))


def nodes(store: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Node rows by id."""
    if not ids:
        return {}
    return {r["id"]: r for r in read(store, NODES, {"ids": list(ids)})}
