"""What the evidence chain reads from the store: a debtor's graph neighbourhood and its Records.

:class:`EvidenceGraph` wraps a :class:`~debtorgraph.graph.store.Store` with the few
read queries the chain needs, each a constant below. Properties are read from the
``Record`` nodes (the entities exactly as loaded, with their ``origin`` file:line), so
every fact can name the input entity, its ``proof`` document and its ``recordId``.
Relationship tables that the data never created are skipped, not queried.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

import orjson

from ...errors import InvalidInput, NodeNotFound
from ...graph.identity import is_party, normalize_case_number

log = logging.getLogger(__name__)

_BATCH = 5000

# $id -> id, schema, props, canonical, origin
RECORD_BY_ID = ("MATCH (r:Record) WHERE r.id = $id "
                "RETURN r.id AS id, r.schema AS schema, r.props AS props, r.canonical AS canonical, "
                "r.origin AS origin")
# $ids -> id, schema, props, canonical, origin
RECORDS_BY_IDS = ("UNWIND $ids AS i MATCH (r:Record {id: i}) "
                  "RETURN r.id AS id, r.schema AS schema, r.props AS props, r.canonical AS canonical, "
                  "r.origin AS origin")
# $id -> id (records merged into the canonical party $id)
RECORDS_MERGED_INTO = "MATCH (r:Record) WHERE r.canonical = $id RETURN r.id AS id ORDER BY id"
# $id -> rel, role, case_id (the COURT_CASE_PARTY links of a party)
CASES_OF_PARTY = ("MATCH (p:Entity {id: $id})-[r:COURT_CASE_PARTY]->(c:Entity) "
                  "RETURN r.id AS rel, r.role AS role, c.id AS case_id ORDER BY case_id, rel")
# $id -> rel, role, party (the parties of a case)
PARTIES_OF_CASE = ("MATCH (p:Entity)-[r:COURT_CASE_PARTY]->(c:Entity {id: $id}) "
                   "RETURN r.id AS rel, r.role AS role, p.id AS party ORDER BY party, rel")
# $numbers, $schema -> id (Events or Sanctions filed under these normalised case numbers)
NODES_OF_CASES = ("MATCH (n:Entity) WHERE n.schema = $schema AND n.case_number IN $numbers "
                  "RETURN n.id AS id ORDER BY id")
# $ids -> id (Sanctions whose ENTITY is one of $ids; ref table name given by the loader)
NODES_BY_SCHEMA = "MATCH (n:Entity) WHERE n.schema = $schema RETURN n.id AS id ORDER BY id"
# $id -> rel (Debts owed by party $id)
DEBTS_OF = "MATCH (p:Entity {id: $id})-[r:DEBT]->(c:Entity) RETURN r.id AS rel, c.id AS creditor ORDER BY rel"
# $ids -> rel, owner, asset (Ownerships whose owner is in $ids)
OWNED_BY = ("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE o.id IN $ids "
            "RETURN r.id AS rel, o.id AS owner, a.id AS asset ORDER BY rel")
# $ids -> rel, owner, asset (Ownerships of the assets in $ids)
OWNERS_OF = ("MATCH (o:Entity)-[r:OWNERSHIP]->(a:Entity) WHERE a.id IN $ids "
             "RETURN r.id AS rel, o.id AS owner, a.id AS asset ORDER BY rel")
# $id -> id, date, amount, currency, src, dst, seq, purpose, payer, beneficiary (money out of $id)
PAYMENTS_OUT = ("MATCH (p:Entity {id: $id})-[r:PAYMENT]->(b:Entity) "
                "RETURN r.id AS id, r.date AS date, r.amount AS amount, r.currency AS currency, "
                "r.src_account AS src, r.dst_account AS dst, r.seq AS seq, r.role AS purpose, "
                "p.id AS payer, b.id AS beneficiary")
# $id -> same columns (money into $id)
PAYMENTS_IN = ("MATCH (p:Entity)-[r:PAYMENT]->(b:Entity {id: $id}) "
               "RETURN r.id AS id, r.date AS date, r.amount AS amount, r.currency AS currency, "
               "r.src_account AS src, r.dst_account AS dst, r.seq AS seq, r.role AS purpose, "
               "p.id AS payer, b.id AS beneficiary")
# $ids -> same columns (money out of the parties in $ids; one hop onward from counterparties)
PAYMENTS_OUT_OF = ("MATCH (p:Entity)-[r:PAYMENT]->(b:Entity) WHERE p.id IN $ids "
                   "RETURN r.id AS id, r.date AS date, r.amount AS amount, r.currency AS currency, "
                   "r.src_account AS src, r.dst_account AS dst, r.seq AS seq, r.role AS purpose, "
                   "p.id AS payer, b.id AS beneficiary")

#: Link types that say how two parties are related, with the query of each (both directions).
RELATION_TYPES = ("FAMILY", "ASSOCIATE", "DIRECTORSHIP", "EMPLOYMENT", "OWNERSHIP", "CONTROL",
                  "REPRESENTATION")
# $ids -> rel, a, b (links of a relation type touching the parties in $ids). One constant per
# type: relationship types cannot be parameters.
LINKS_OF = {t: (f"MATCH (a:Entity)-[r:{t}]->(b:Entity) WHERE a.id IN $ids OR b.id IN $ids "
                "RETURN r.id AS rel, a.id AS a, b.id AS b ORDER BY rel") for t in RELATION_TYPES}
#: The same texts as a tuple, so the Cypher checks (tests/cypher_corpus.py) see them.
LINK_QUERIES = tuple(LINKS_OF.values())


class EvidenceGraph:
    """Read access to one store for building evidence chains (Records cached by id)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._records: dict[str, dict[str, Any] | None] = {}
        self._rel_types: set[str] | None = None

    # -- plumbing -----------------------------------------------------------------------
    def has_rel(self, name: str) -> bool:
        """True when the store has relationships of type ``name`` (ladybug: a table exists)."""
        if self._rel_types is None:
            tables = getattr(self.store, "rel_tables", None)
            self._rel_types = set(tables()) if callable(tables) else set(RELATION_TYPES) | {
                "COURT_CASE_PARTY", "DEBT", "PAYMENT"}
        return name in self._rel_types

    def read(self, cypher: str, params: dict[str, Any], rel: str | None = None) -> list[dict[str, Any]]:
        """Rows of a read query as dicts; nothing when ``rel`` names an absent type."""
        if rel is not None and not self.has_rel(rel):
            return []
        rows: list[dict[str, Any]] = self.store.run_read(cypher, params).records()
        return rows

    # -- records ------------------------------------------------------------------------
    def records(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The Records among ``ids``: ``{id: {id, schema, props (dict), canonical, origin}}``."""
        want = sorted({i for i in ids if i and i not in self._records})
        for start in range(0, len(want), _BATCH):
            chunk = want[start:start + _BATCH]
            found = {row["id"]: row for row in self.read(RECORDS_BY_IDS, {"ids": chunk})}
            for rid in chunk:
                row = found.get(rid)
                if row is not None:
                    row = dict(row)
                    row["props"] = orjson.loads(row["props"]) if row["props"] else {}
                self._records[rid] = row
        return {i: r for i in ids if i and (r := self._records.get(i)) is not None}

    def record(self, rid: str) -> dict[str, Any] | None:
        """One Record, or None."""
        return self.records([rid]).get(rid)

    def props(self, rid: str) -> dict[str, list[str]]:
        """The FtM properties of an entity as loaded (empty when unknown)."""
        rec = self.record(rid)
        return rec["props"] if rec else {}

    def first(self, rid: str, prop: str) -> str | None:
        """First value of one property."""
        values = self.props(rid).get(prop)
        return values[0] if values else None

    def caption(self, rid: str | None) -> str:
        """A readable name: the entity's name (or number), else its id."""
        if not rid:
            return ""
        props = self.props(rid)
        for key in ("name", "caseNumber", "accountNumber", "titleNumber", "registrationNumber",
                    "fileName", "model"):
            if props.get(key):
                return props[key][0]
        return rid

    def schema(self, rid: str) -> str | None:
        rec = self.record(rid)
        return rec["schema"] if rec else None

    # -- the debtor and the case --------------------------------------------------------
    def resolve_party(self, debtor_id: str) -> tuple[dict[str, Any], str]:
        """The Record of ``debtor_id`` and the canonical node it was merged into.

        Raises NodeNotFound for an unknown id and InvalidInput for an id that is no party.
        """
        rows = self.read(RECORD_BY_ID, {"id": debtor_id})
        if not rows:
            raise NodeNotFound(f"未找到被执行人 {debtor_id!r}：库中没有此 id。请检查 id 或先导入数据 "
                               f"(`debtorgraph load`)。 / Unknown debtor {debtor_id!r}: no entity with this "
                               "id in the store. Check the id or load the data first.")
        rec = self.records([debtor_id])[debtor_id]
        if not is_party(rec["schema"]):
            raise InvalidInput(f"{debtor_id!r} 是 {rec['schema']}，不是当事人（自然人或单位）。请给出被执行人的 id。"
                               f" / {debtor_id!r} is a {rec['schema']}, not a party (person or company): "
                               "give the debtor's id.", {"debtor": debtor_id})
        return rec, rec["canonical"] or debtor_id

    def merged_ids(self, canonical: str) -> list[str]:
        """Every input id merged into ``canonical`` (itself included)."""
        ids = [r["id"] for r in self.read(RECORDS_MERGED_INTO, {"id": canonical})]
        return ids or [canonical]

    def cases_of(self, party: str) -> list[dict[str, Any]]:
        """COURT_CASE_PARTY links of a party: ``{rel, role, case}``."""
        return self.read(CASES_OF_PARTY, {"id": party}, "COURT_CASE_PARTY")

    def parties_of(self, case_id: str) -> list[dict[str, Any]]:
        """Parties of a case: ``{rel, role, party}``."""
        return self.read(PARTIES_OF_CASE, {"id": case_id}, "COURT_CASE_PARTY")

    def case_nodes(self, schema: str, case_numbers: list[str]) -> list[str]:
        """Ids of the Events or Sanctions filed under these case numbers."""
        numbers = sorted({normalize_case_number(n) for n in case_numbers if n})
        if not numbers:
            return []
        return [r["id"] for r in self.read(NODES_OF_CASES, {"schema": schema, "numbers": numbers})]

    def sanctions_on(self, ids: set[str]) -> list[str]:
        """Ids of Sanctions whose ``entity`` is one of ``ids`` (read from the Records)."""
        all_ids = [r["id"] for r in self.read(NODES_BY_SCHEMA, {"schema": "Sanction"})]
        recs = self.records(all_ids)
        return [s for s in all_ids if s in recs and set(recs[s]["props"].get("entity", [])) & ids]

    def debts_of(self, party: str) -> list[dict[str, Any]]:
        """Debts owed by a party: ``{rel, creditor}``."""
        return self.read(DEBTS_OF, {"id": party}, "DEBT")

    def owned_by(self, owners: Iterable[str]) -> list[dict[str, Any]]:
        """Ownerships of the given owners: ``{rel, owner, asset}``."""
        return self.read(OWNED_BY, {"ids": sorted(set(owners))}, "OWNERSHIP")

    def owners_of(self, assets: Iterable[str]) -> list[dict[str, Any]]:
        """Ownerships of the given assets: ``{rel, owner, asset}``."""
        ids = sorted(set(assets))
        return self.read(OWNERS_OF, {"ids": ids}, "OWNERSHIP") if ids else []

    def payments_of(self, party: str) -> list[dict[str, Any]]:
        """Payments out of and into a party, each once, sorted by date, sequence, id."""
        rows = {r["id"]: r for r in self.read(PAYMENTS_OUT, {"id": party}, "PAYMENT")}
        for r in self.read(PAYMENTS_IN, {"id": party}, "PAYMENT"):
            rows.setdefault(r["id"], r)
        return sorted(rows.values(), key=lambda r: (r["date"] or "", r["seq"] or 0, r["id"]))

    def payments_out_of(self, parties: Iterable[str]) -> list[dict[str, Any]]:
        """Payments out of the given parties."""
        ids = sorted(set(parties))
        return self.read(PAYMENTS_OUT_OF, {"ids": ids}, "PAYMENT") if ids else []

    def links(self, parties: Iterable[str]) -> list[dict[str, Any]]:
        """Relation links (family, associate, control...) touching the parties: ``{type, rel, a, b}``."""
        ids = sorted(set(parties))
        out = []
        for kind, query in LINKS_OF.items():
            for row in self.read(query, {"ids": ids}, kind):
                out.append({"type": kind, **row})
        return out


def one(props: dict[str, list[str]], name: str) -> str | None:
    """First value of an FtM property, or None."""
    values = props.get(name)
    return values[0] if values else None


def as_float(value: Any) -> float | None:
    """A number from an FtM string (``1,000.50``) or a number; None when absent or bad."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None
