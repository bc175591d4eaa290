"""Deterministic entity ids and checked FtM entity dicts.

An id is a prefix plus a hash of the stable content that names the thing: the account
number of a BankAccount, the valid ID number of a Person, the normalised case number of a
CourtCase. Reading the same fact twice, from the same file or from two files, gives the
same id, and the ingest step merges the two by unioning their property values.

>>> make_id("acct", "6222020200000000001")
'acct-e9fbf6f52f6eb2a015690aaa'
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Iterable

from followthemoney import model

from ..errors import InvalidSchema
from .values import looks_like_ric, valid_ric, valid_uscc

log = logging.getLogger(__name__)

_ORG_WORDS = ("公司", "银行", "集团", "厂", "店", "中心", "合作社", "事务所", "商行", "工作室",
              "经营部", "研究院", "协会", "医院", "学校", "局", "委员会", "法院", "Ltd", "LLC")
_VALID_PROPS: dict[str, frozenset[str]] = {}


def make_id(prefix: str, *parts: Any) -> str:
    """``prefix-`` and 24 hex digits of the SHA-1 of the parts joined by ``|``."""
    key = "|".join("" if p is None else str(p) for p in parts)
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:24]}"


def schema_props(schema: str) -> frozenset[str]:
    """The non-stub property names of an FtM schema (cached); InvalidSchema if unknown."""
    props = _VALID_PROPS.get(schema)
    if props is None:
        found = model.get(schema)
        if found is None:
            raise InvalidSchema(f"unknown FtM schema {schema!r}")
        props = frozenset(p.name for p in found.properties.values() if not p.stub)
        _VALID_PROPS[schema] = props
    return props


def entity(schema: str, entity_id: str, props: dict[str, Any]) -> dict[str, Any]:
    """An FtM entity dict; empty values dropped, scalars wrapped in lists.

    Raises InvalidSchema when a property does not exist on the schema: FtM would drop it
    silently, so the loader fails loudly instead (docs/interchange.md).
    """
    allowed = schema_props(schema)
    properties: dict[str, list[str]] = {}
    for name, value in props.items():
        if value is None or value == "" or value == []:
            continue
        if name not in allowed:
            raise InvalidSchema(f"{schema} has no property {name!r}")
        values = value if isinstance(value, list) else [value]
        values = [str(v) for v in values if v is not None and v != ""]
        if values:
            properties[name] = values
    return {"id": entity_id, "schema": schema, "properties": properties}


def party_schema(name: str, id_number: str | None) -> str:
    """Person for an ID-card shape, Company for a valid USCC or a company-like name, else LegalEntity."""
    if id_number and valid_uscc(id_number) and not valid_ric(id_number):
        return "Company"
    if id_number and looks_like_ric(id_number):
        return "Person"
    if any(word in name for word in _ORG_WORDS):
        return "Company"
    return "LegalEntity"


def party_id(name: str, id_number: str | None = None, scope: Iterable[Any] = ()) -> str:
    """The id of a party: from a valid ID number or USCC alone, else from the name plus scope.

    An invalid identifier is kept on the entity but never names it alone: it joins the name.
    ``scope`` (an account number, a company code) keeps two namesakes apart.
    """
    if id_number and valid_ric(id_number):
        return make_id("party", "ric", id_number)
    if id_number and valid_uscc(id_number):
        return make_id("party", "uscc", id_number)
    if id_number:
        return make_id("party", "name", name, "id", id_number)
    return make_id("party", "name", name, *scope)


def party(name: str, id_number: str | None, scope: Iterable[Any] = (),
          schema: str | None = None, **props: Any) -> dict[str, Any]:
    """A Person, Company or LegalEntity entity with its identifier in the right property."""
    schema = schema or party_schema(name, id_number)
    ident: dict[str, Any] = {}
    if id_number:
        ident["registrationNumber" if schema == "Company" else "idNumber"] = id_number
    return entity(schema, party_id(name, id_number, scope), {"name": name, **ident, **props})


def account_id(number: str, account_type: str = "bank") -> str:
    """The id of a bank, WeChat, Alipay or housing-fund account from its number."""
    return make_id("acct", account_type if account_type != "bank" else "", number)
