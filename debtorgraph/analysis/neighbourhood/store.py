"""Reading a debtor's neighbourhood (and a trace's payments) from a store.

:class:`StoreSource` answers the questions of
:class:`debtorgraph.analysis.neighbourhood.read.Source` with one Cypher query each.
Every MATCH is labelled (``Entity``) and starts from ids (the primary key), so the work
grows with the debtor's own data, not with the store. Edge entities are read from their
``Record`` nodes (the properties as loaded) with their ends rewritten to the canonical
parties; Payments are read from the relationship columns (many, and every column the
rules need is there), and their Records are fetched only for the acts of findings
(:class:`StoreProvenance`).

:func:`pull_neighbourhood` gives one debtor's entities and the networkx graph built from
them (:func:`debtorgraph.graph.subgraph.graph_from_entities`). Tracing on a store is
:mod:`debtorgraph.analysis.tracing.store`.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

import networkx as nx
import orjson

from debtorgraph.analysis.provenance import Provenance
from debtorgraph.analysis.milestones import norm_role
from debtorgraph.errors import NodeNotFound
from debtorgraph.graph.identity import normalize_case_number
from debtorgraph.graph.memory import paused_gc
from debtorgraph.graph.schema import entity_props, ref_type

log = logging.getLogger(__name__)

__all__ = ["StoreSource", "StoreProvenance", "pull_neighbourhood", "resolve"]

# Debtors and their cases. Params: none. Columns: party, case_id, role.
DEBTOR_CASES = ("MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity) "
                "RETURN p.id AS party, c.id AS case_id, r.role AS role")
# Cases naming parties in any role. Params: $ids. Columns: case_id.
CASES_OF = ("MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity) WHERE p.id IN $ids "
            "RETURN DISTINCT c.id AS case_id")
# Nodes by id. Params: $ids. Columns: id, schema, props.
NODES = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.schema AS schema, n.props AS props"
# The CourtCaseParty links of cases. Params: $ids (case ids). Columns: id, src, dst.
CASE_PARTIES = ("MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity) WHERE c.id IN $ids "
                "RETURN r.id AS id, p.id AS src, c.id AS dst")
# Events and Sanctions of cases. Params: $numbers (normalised case numbers). Columns: id, schema, props.
CASE_MILESTONES = ("MATCH (e:Entity) WHERE e.case_number IN $numbers AND e.schema IN ['Event', 'Sanction'] "
                   "RETURN e.id AS id, e.schema AS schema, e.props AS props")
# Debts of cases. Params: $numbers. Columns: id, src, dst.
CASE_DEBTS = ("MATCH (a:Entity)-[d:DEBT]->(b:Entity) WHERE d.case_number IN $numbers "
              "RETURN d.id AS id, a.id AS src, b.id AS dst")
# Link entities leaving some nodes. Params: $ids, $schemata. Columns: id, src, dst.
LINKS_OUT = ("MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND r.schema IN $schemata "
             "RETURN r.id AS id, a.id AS src, b.id AS dst")
# Link entities reaching some nodes. Params: $ids, $schemata. Columns: id, src, dst.
LINKS_IN = ("MATCH (a:Entity)-[r]->(b:Entity) WHERE b.id IN $ids AND r.schema IN $schemata "
            "RETURN r.id AS id, a.id AS src, b.id AS dst")
_PAY_COLS = ("RETURN p.id AS id, a.id AS src, b.id AS dst, p.date AS date, p.amount AS amount, "
             "p.currency AS currency, p.src_account AS src_account, p.dst_account AS dst_account, "
             "p.role AS purpose, p.seq AS seq")
# Payments out of parties in a window. Params: $ids, $since, $until, $min. Columns: see _PAY_COLS.
PAYMENTS_OUT = ("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE a.id IN $ids AND p.date >= $since "
                "AND p.date < $until AND p.amount >= $min " + _PAY_COLS)
# Payments out of parties to some parties. Params: $ids, $to, $since, $until, $min.
PAYMENTS_OUT_TO = ("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE a.id IN $ids AND b.id IN $to "
                   "AND p.date >= $since AND p.date < $until AND p.amount >= $min " + _PAY_COLS)
# Payments out of some accounts of parties. Params: $ids, $accounts, $since, $until, $min.
PAYMENTS_OUT_ACCOUNTS = ("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE a.id IN $ids "
                         "AND p.src_account IN $accounts AND p.date >= $since AND p.date < $until "
                         "AND p.amount >= $min " + _PAY_COLS)
# Payments out of parties, by payment id. Params: $ids, $pids, $since, $until, $min.
PAYMENTS_OUT_IDS = ("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE a.id IN $ids AND p.id IN $pids "
                    "AND p.date >= $since AND p.date < $until AND p.amount >= $min " + _PAY_COLS)
# What parties spent on: payee's name and purpose. Params: $ids, $since. Columns: id, name, purpose.
SPENDING = ("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE a.id IN $ids AND p.date >= $since "
            "RETURN p.id AS id, b.caption AS name, p.role AS purpose")
# Payments into parties in a window. Params: $ids, $since, $until, $min.
PAYMENTS_IN = ("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE b.id IN $ids AND p.date >= $since "
               "AND p.date < $until AND p.amount >= $min " + _PAY_COLS)
# Sanctions binding some entities. Params: $ids. Columns: id, schema, props.
SANCTIONS_ON = (f"MATCH (s:Entity)-[:{ref_type('entity')}]->(x:Entity) WHERE x.id IN $ids "
                "AND s.schema = 'Sanction' RETURN DISTINCT s.id AS id, s.schema AS schema, s.props AS props")
# Courts by name. Params: $names. Columns: id, schema, props.
COURTS = ("MATCH (n:Entity) WHERE n.schema = 'PublicBody' AND n.caption IN $names "
          "RETURN n.id AS id, n.schema AS schema, n.props AS props")
# Records by id. Params: $ids. Columns: id, schema, props, canonical, origin, load_id.
RECORDS = ("UNWIND $ids AS i MATCH (r:Record {id: i}) RETURN r.id AS id, r.schema AS schema, "
           "r.props AS props, r.canonical AS canonical, r.origin AS origin, r.load_id AS load_id")
# What an id is: its Record's schema and canonical node. Params: $id. Columns: schema, canonical.
RESOLVE = "MATCH (r:Record {id: $id}) RETURN r.schema AS schema, r.canonical AS canonical"

_FAR = "9999-12-31"


def _loads(text: str | None) -> dict[str, list[str]]:
    return dict(orjson.loads(text)) if text else {}


def _first(props: dict[str, list[str]], name: str) -> str | None:
    vals = props.get(name) or []
    return vals[0] if vals else None


class StoreProvenance(Provenance):
    """Provenance whose Records are read from the store when first asked for."""

    def __init__(self, store: Any) -> None:
        super().__init__()
        self._store = store

    def prepare(self, ids: Iterable[str]) -> None:
        """Read the Records of ``ids``, the canonical ids they refer to, and their documents."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self.records]
        rows = _records(self._store, wanted)
        refs: set[str] = set()
        for row in rows:
            props = _loads(row["props"])
            self.records[row["id"]] = props
            self.schemata[row["id"]] = row["schema"]
            self.origins[row["id"]] = row["origin"]
            self.loads[row["id"]] = row["load_id"]
            self.canonical[row["id"]] = row["canonical"]
            for name in entity_props(row["schema"]):
                refs.update(props.get(name, []))
        proofs = {p for i in wanted for p in self.records.get(i, {}).get("proof", [])}
        refs = (refs - set(self.canonical)) | (proofs - set(self.documents))
        for row in _records(self._store, sorted(refs)):
            self.canonical[row["id"]] = row["canonical"]
            if row["id"] in proofs:
                props = _loads(row["props"])
                self.documents[row["id"]] = {
                    "id": row["id"], "schema": row["schema"],
                    "fileName": _first(props, "fileName"), "contentHash": _first(props, "contentHash")}


def _records(store: Any, ids: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for start in range(0, len(ids), 5000):
        out += store.run_read(RECORDS, {"ids": ids[start:start + 5000]}).records()
    return out


class StoreSource:
    """The detector's view of a store (see the module docstring)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        tables = getattr(store, "rel_tables", None)
        self._tables: set[str] | None = set(tables()) if callable(tables) else None
        self._canon: dict[str, str] = {}

    def _has(self, rel: str) -> bool:
        return self._tables is None or rel in self._tables or rel.lower() in {t.lower() for t in self._tables}

    def _read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        for value in params.values():
            if isinstance(value, list) and not value:
                return []
        rows: list[dict[str, Any]] = self.store.run_read(cypher, params).records()
        return rows

    # -- canonical ids ----------------------------------------------------------------
    def _canonical(self, ids: Iterable[str]) -> dict[str, str]:
        missing = sorted({i for i in ids if i not in self._canon})
        for row in _records(self.store, missing):
            self._canon[row["id"]] = row["canonical"] or row["id"]
        for i in missing:
            self._canon.setdefault(i, i)
        return self._canon

    def _nodes(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Node rows as FtM dicts, their references rewritten to canonical ids."""
        ents = [{"id": r["id"], "schema": r["schema"], "properties": _loads(r["props"])} for r in rows]
        refs = {v for e in ents for p in entity_props(e["schema"]) for v in e["properties"].get(p, [])}
        canon = self._canonical(refs)
        for e in ents:
            for p in entity_props(e["schema"]):
                if p in e["properties"]:
                    e["properties"][p] = list(dict.fromkeys(canon.get(v, v) for v in e["properties"][p]))
        return ents

    def _edges(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Edge rows (id, src, dst) as FtM dicts from their Records, ends made canonical."""
        from debtorgraph.graph.model import schema_spec

        ends: dict[str, tuple[set[str], set[str]]] = {}
        for r in rows:
            a, b = ends.setdefault(r["id"], (set(), set()))
            a.add(r["src"])
            b.add(r["dst"])
        out = []
        for rec in _records(self.store, list(ends)):
            spec = schema_spec(rec["schema"])
            props = _loads(rec["props"])
            if spec is not None and spec.source and spec.target:
                a, b = ends[rec["id"]]
                props[spec.source] = sorted(a)
                props[spec.target] = sorted(b)
            out.append({"id": rec["id"], "schema": rec["schema"], "properties": props})
        return out

    # -- Source -----------------------------------------------------------------------
    def debtors(self) -> dict[str, list[str]]:
        if not self._has("COURT_CASE_PARTY"):
            return {}
        out: dict[str, list[str]] = {}
        for r in self._read(DEBTOR_CASES, {}):
            if norm_role(r["role"]) == "debtor":
                cases = out.setdefault(r["party"], [])
                if r["case_id"] not in cases:
                    cases.append(r["case_id"])
        return out

    def cases_of(self, ids: list[str]) -> list[str]:
        if not self._has("COURT_CASE_PARTY"):
            return []
        return [r["case_id"] for r in self._read(CASES_OF, {"ids": ids})]

    def case_entities(self, case_ids: list[str]) -> list[dict[str, Any]]:
        cases = self._nodes(self._read(NODES, {"ids": case_ids}))
        numbers = sorted({normalize_case_number(n) for c in cases for n in c["properties"].get("caseNumber", [])})
        out = list(cases)
        if self._has("COURT_CASE_PARTY"):
            out += self._edges(self._read(CASE_PARTIES, {"ids": case_ids}))
        out += self._nodes(self._read(CASE_MILESTONES, {"numbers": numbers}))
        if self._has("DEBT"):
            out += self._edges(self._read(CASE_DEBTS, {"numbers": numbers}))
        return out

    def links(self, ids: list[str], schemata: Iterable[str]) -> list[dict[str, Any]]:
        params = {"ids": ids, "schemata": list(schemata)}
        return self._edges(self._read(LINKS_OUT, params) + self._read(LINKS_IN, params))

    def payments(self, ids: list[str], since: str, *, out: bool = True, into: bool = True,
                 until: str | None = None, min_amount: float | None = None,
                 to: list[str] | None = None, accounts: list[str] | None = None,
                 only: list[str] | None = None) -> list[dict[str, Any]]:
        if not self._has("PAYMENT"):
            return []
        params: dict[str, Any] = {"ids": ids, "since": since, "until": until or _FAR,
                                  "min": float(min_amount or 0.0)}
        rows: list[dict[str, Any]] = []
        if out:
            if only is not None:
                rows += self._read(PAYMENTS_OUT_IDS, {**params, "pids": only})
            elif accounts is not None:
                rows += self._read(PAYMENTS_OUT_ACCOUNTS, {**params, "accounts": accounts})
            elif to is not None:
                rows += self._read(PAYMENTS_OUT_TO, {**params, "to": to})
            else:
                rows += self._read(PAYMENTS_OUT, params)
        if into:
            rows += self._read(PAYMENTS_IN, params)
        seen: dict[str, dict[str, Any]] = {}
        for r in rows:
            seen.setdefault(r["id"], payment_entity(r))
        return list(seen.values())

    def spending(self, ids: list[str], since: str) -> list[tuple[str, str, str]]:
        if not self._has("PAYMENT"):
            return []
        return [(r["id"], r["name"] or "", r["purpose"] or "")
                for r in self._read(SPENDING, {"ids": ids, "since": since})]

    def nodes(self, ids: list[str]) -> list[dict[str, Any]]:
        return self._nodes(self._read(NODES, {"ids": ids}))

    def sanctions_on(self, ids: list[str]) -> list[dict[str, Any]]:
        if not self._has(ref_type("entity")):
            return []
        return self._nodes(self._read(SANCTIONS_ON, {"ids": ids}))

    def courts(self, names: list[str]) -> list[dict[str, Any]]:
        return self._nodes(self._read(COURTS, {"names": names}))

    def provenance(self, ids: list[str]) -> StoreProvenance:
        prov = StoreProvenance(self.store)
        prov.canonical.update(self._canon)
        return prov


def payment_entity(row: dict[str, Any]) -> dict[str, Any]:
    """A Payment FtM dict from the PAYMENT relationship columns."""
    props: dict[str, list[str]] = {"payer": [row["src"]], "beneficiary": [row["dst"]]}
    for key, col in (("payerAccount", "src_account"), ("beneficiaryAccount", "dst_account"),
                     ("date", "date"), ("currency", "currency"), ("purpose", "purpose")):
        if row.get(col):
            props[key] = [str(row[col])]
    if row.get("amount") is not None:
        props["amount"] = [repr(float(row["amount"]))]
    if row.get("seq") is not None:
        props["sequenceNumber"] = [str(row["seq"])]
    return {"id": row["id"], "schema": "Payment", "properties": props}


def pull_neighbourhood(store: Any, debtor: str) -> tuple[list[dict[str, Any]], nx.MultiDiGraph]:
    """One debtor's neighbourhood from a store, as FtM dicts and as the analysis graph.

    Parameters
    ----------
    store : Store
        An open store (read-only is enough).
    debtor : str
        The debtor's id (an input id of a merged party works too).

    Returns
    -------
    (entities, graph)

    Raises
    ------
    NodeNotFound
        When the id names no debtor of any case in the store.
    """
    from debtorgraph.analysis.neighbourhood.read import neighbourhood
    from debtorgraph.graph.subgraph import graph_from_entities

    source = StoreSource(store)
    canonical = resolve(store, debtor)
    cases = source.debtors().get(canonical)
    if not cases:
        raise NodeNotFound(f"{debtor} 不是任何案件的被执行人 / {debtor} is not the debtor of any case; "
                           "check the id with `debtorgraph query`")
    with paused_gc():
        entities, _ = neighbourhood(source, canonical, cases)
        return entities, graph_from_entities(entities)


def resolve(store: Any, entity_id: str) -> str:
    """The canonical id of an input id (itself when it was not merged); NodeNotFound if unknown."""
    return resolve_with_schema(store, entity_id)[0]


def resolve_with_schema(store: Any, entity_id: str) -> tuple[str, str]:
    """The canonical id of an input id and the schema it was loaded with; NodeNotFound if unknown."""
    rows = store.run_read(RESOLVE, {"id": entity_id}).records()
    if not rows:
        raise NodeNotFound(f"库中没有 id 为 {entity_id!r} 的实体 / no entity with id {entity_id!r} in the store")
    return rows[0]["canonical"] or entity_id, rows[0]["schema"]
