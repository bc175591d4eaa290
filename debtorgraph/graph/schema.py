"""The FtM -> graph mapping, written once and used by both stores.

- Every non-edge entity (Person, Company, BankAccount, RealEstate, CourtCase, Event,
  Sanction, Document...) is a node with label ``Entity`` (Neo4j adds the schema and
  its ancestors as labels, like ``ftm export-cypher``); ``schema`` holds the FtM schema.
- Every edge entity (FtM schemata with an ``edge:`` block: Payment, Ownership, Family,
  Associate, Directorship, Employment, CourtCaseParty, Debt, Representation,
  Succession, UnknownLink, Membership, Control...) is a relationship whose type is the
  schema name in UPPER_SNAKE (``COURT_CASE_PARTY``), drawn source -> target as FtM draws it.
- Entity-typed properties of nodes (Event ``involved``, Sanction ``entity``,
  ``authority``, ``proof``, ``addressEntity``...) are relationships named after the
  property in UPPER_SNAKE (``INVOLVED``, ``ENTITY``, ``PROOF``, ``ADDRESS_ENTITY``).
- Every entity as it was loaded (id, schema, properties, origin) is also a ``Record``
  node; ``Record.canonical`` names the node it was merged into (itself, or the party
  with the same valid identifier). Export reads Records, so ids go out as they came in.
- Events, Sanctions, Debts and CourtCases carry ``case_number`` (normalised), which is
  how milestones attach to their case in queries (``e.case_number = c.case_number``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import orjson
from followthemoney import model

from .identity import normalize_case_number, party_key
from .model import schema_spec

NODE_LABEL = "Entity"
RECORD_LABEL = "Record"

#: Columns of the Entity node table: (name, type). Types are ladybug's; Neo4j ignores them.
ENTITY_COLUMNS: list[tuple[str, str]] = [
    ("id", "STRING"), ("schema", "STRING"), ("caption", "STRING"), ("props", "STRING"),
    ("party_key", "STRING"), ("account_number", "STRING"), ("case_number", "STRING"),
    ("title_number", "STRING"), ("reg_number", "STRING"), ("date", "STRING"),
    ("end_date", "STRING"), ("amount", "DOUBLE"), ("kind", "STRING"), ("load_id", "STRING"),
]
#: Columns of every edge relationship table (after the FROM/TO ids).
REL_COLUMNS: list[tuple[str, str]] = [
    ("id", "STRING"), ("schema", "STRING"), ("date", "STRING"), ("start_date", "STRING"),
    ("end_date", "STRING"), ("amount", "DOUBLE"), ("currency", "STRING"), ("role", "STRING"),
    ("percentage", "DOUBLE"), ("src_account", "STRING"), ("dst_account", "STRING"),
    ("seq", "INT64"), ("case_number", "STRING"), ("load_id", "STRING"),
]
#: Columns of the Record node table.
RECORD_COLUMNS: list[tuple[str, str]] = [
    ("id", "STRING"), ("schema", "STRING"), ("props", "STRING"), ("canonical", "STRING"),
    ("origin", "STRING"), ("load_id", "STRING"),
]
#: Columns of the property-reference relationship tables (INVOLVED, PROOF...).
REF_COLUMNS: list[tuple[str, str]] = [("load_id", "STRING")]


@lru_cache(maxsize=None)
def upper_snake(name: str) -> str:
    """``CourtCaseParty`` -> ``COURT_CASE_PARTY``; ``addressEntity`` -> ``ADDRESS_ENTITY``.

    >>> upper_snake("CourtCaseParty"), upper_snake("addressEntity"), upper_snake("proof")
    ('COURT_CASE_PARTY', 'ADDRESS_ENTITY', 'PROOF')
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def rel_type(schema_name: str) -> str:
    """Relationship type of an edge schema."""
    return upper_snake(schema_name)


def ref_type(prop_name: str) -> str:
    """Relationship type of an entity-typed property of a node.

    Table names are case-insensitive in ladybug, so a name that would clash with a node
    table (Sanction ``entity`` -> ``ENTITY`` vs ``Entity``) or an edge type gets ``_REF``.

    >>> ref_type("involved"), ref_type("entity")
    ('INVOLVED', 'ENTITY_REF')
    """
    name = upper_snake(prop_name)
    if name in _RESERVED:
        return name + "_REF"
    return name


_RESERVED = frozenset({NODE_LABEL.upper(), RECORD_LABEL.upper()}
                     | {upper_snake(s.name) for s in model.schemata.values() if s.edge})


@lru_cache(maxsize=None)
def labels(schema_name: str) -> tuple[str, ...]:
    """Neo4j labels of a node: ``Entity``, the schema and its ancestors (FtM naming)."""
    schema = model.get(schema_name)
    names = sorted(s.name for s in schema.schemata) if schema is not None else []
    return (NODE_LABEL, *[n for n in names if n != NODE_LABEL])


@lru_cache(maxsize=None)
def entity_props(schema_name: str) -> tuple[str, ...]:
    """Entity-typed (reference) properties of a schema."""
    spec = schema_spec(schema_name)
    return tuple(sorted(n for n, t in spec.types.items() if t == "entity")) if spec else ()


@lru_cache(maxsize=None)
def is_edge(schema_name: str) -> bool:
    spec = schema_spec(schema_name)
    return bool(spec and spec.edge)


def dumps_props(props: dict[str, list[str]]) -> str:
    """Canonical JSON of a property dict (sorted keys), as stored in ``props``."""
    return orjson.dumps(props, option=orjson.OPT_SORT_KEYS).decode()


def to_float(value: str | None) -> float | None:
    """Parse an FtM number string (``1,000.50``); None when absent or unparseable."""
    if not value:
        return None
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return None


def _first(props: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        values = props.get(name)
        if values:
            return values[0]
    return None


@lru_cache(maxsize=None)
def _caption_props(schema_name: str) -> tuple[str, ...]:
    schema = model.get(schema_name)
    return tuple(schema.caption) if schema is not None else ("name",)


def node_row(entity: dict[str, Any], load_id: str) -> dict[str, Any]:
    """The Entity-table row of a node entity."""
    props = entity.get("properties", {})
    schema = entity["schema"]
    if schema == "CourtCase":
        case = _first(props, "caseNumber")
    elif schema in ("Event", "Sanction"):
        case = _first(props, "summary")
    else:
        case = None
    if schema == "Event":
        kind = _first(props, "name")
    elif schema == "Sanction":
        kind = _first(props, "program")
    elif schema == "BankAccount":
        kind = _first(props, "accountType")
    else:
        kind = _first(props, "status", "type")
    return {
        "id": entity["id"], "schema": schema,
        "caption": _first(props, *_caption_props(schema), "name") or entity["id"],
        "props": dumps_props(props),
        "party_key": party_key(entity),
        "account_number": _first(props, "accountNumber", "iban"),
        "case_number": normalize_case_number(case) if case else None,
        "title_number": _first(props, "titleNumber"),
        "reg_number": _first(props, "registrationNumber"),
        "date": _first(props, "date", "startDate", "fileDate", "incorporationDate", "birthDate"),
        "end_date": _first(props, "endDate", "closeDate", "dissolutionDate"),
        "amount": to_float(_first(props, "amount", "capital", "balance")),
        "kind": kind, "load_id": load_id,
    }


def _seq(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


_REL_NAMES = tuple(name for name, _ in REL_COLUMNS)


def edge_tuple(ent_id: str, schema: str, props: dict[str, list[str]], load_id: str) -> tuple[Any, ...]:
    """The relationship columns (REL_COLUMNS, in order) of an edge entity, as a tuple.

    The load's hot path (one call per Payment): plain ``props.get`` instead of helpers.
    """
    get = props.get
    if schema == "Ownership":
        amount = to_float(_first(props, "sharesValue"))
        role = _first(props, "legalBasis", "ownershipType")
        currency = _first(props, "sharesCurrency")
    else:
        values = get("amount")
        amount = to_float(values[0] if values else _first(props, "amountEur"))
        role = _first(props, "relationship", "role", "purpose", "legalBasis", "status")
        values = get("currency")
        currency = (values[0] if values else None) or (
            "EUR" if get("amountEur") and not get("amount") else None)
    case = _first(props, "summary") if schema == "Debt" else None
    start = get("startDate")
    start_date = start[0] if start else None
    values = get("date")
    day = values[0] if values else start_date
    values = get("endDate")
    end_date = values[0] if values else None
    values = get("percentage")
    percentage = to_float(values[0]) if values else None
    values = get("payerAccount")
    src_account = values[0] if values else None
    values = get("beneficiaryAccount")
    dst_account = values[0] if values else None
    values = get("sequenceNumber")
    seq = _seq(values[0]) if values else None
    return (ent_id, schema, day, start_date, end_date, amount, currency, role, percentage,
            src_account, dst_account, seq, normalize_case_number(case) if case else None, load_id)


def edge_values(entity: dict[str, Any], load_id: str) -> dict[str, Any]:
    """The relationship columns (REL_COLUMNS) of an edge entity."""
    return dict(zip(_REL_NAMES, edge_tuple(entity["id"], entity["schema"],
                                            entity.get("properties", {}), load_id)))


def references(entity: dict[str, Any]) -> list[tuple[str, str]]:
    """All (property, referenced id) pairs of an entity, edge ends included."""
    props = entity.get("properties", {})
    out = []
    for name in entity_props(entity["schema"]):
        for value in props.get(name, ()):
            out.append((name, value))
    return out


def merge_props(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    """Union of two property dicts, order kept, no repeated values."""
    out = {k: list(v) for k, v in a.items()}
    for key, values in b.items():
        have = out.setdefault(key, [])
        for value in values:
            if value not in have:
                have.append(value)
    return out
