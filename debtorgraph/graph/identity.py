"""Identifiers: which are valid, how they are normalised, and case-number keys.

Two parties (Person, Company, Organization, PublicBody, LegalEntity) with the same
*valid* resident ID (``idNumber``, GB 11643) or Unified Social Credit Code
(``registrationNumber``, GB 32100) are one party. Invalid ones are kept as written
and never used for matching. Assets are never matched this way (a Vehicle's plate is
also called ``registrationNumber``).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from followthemoney import model
from stdnum.cn import ric, uscc

__all__ = ["PARTY_SCHEMATA", "is_party", "party_key", "identifier_issues", "normalize_case_number"]

_LEGAL_ENTITY = model.get("LegalEntity")
#: Schemata whose entities are parties (merge by valid identifier).
PARTY_SCHEMATA = frozenset(s.name for s in model.schemata.values()
                           if _LEGAL_ENTITY is not None and s.is_a(_LEGAL_ENTITY) and not s.abstract)


def is_party(schema: str) -> bool:
    """True for Person, Company, Organization, PublicBody, LegalEntity and their kin."""
    return schema in PARTY_SCHEMATA


def _ric(value: str) -> str | None:
    try:
        return str(ric.validate(value))
    except Exception:
        return None


def _uscc(value: str) -> str | None:
    try:
        return str(uscc.validate(value))
    except Exception:
        return None


def party_key(entity: dict[str, Any]) -> str | None:
    """The matching key of a party: ``ric:<id>`` or ``uscc:<code>``, from valid values only.

    >>> party_key({"schema": "Person", "properties": {"idNumber": ["11010519491231002x"]}})
    'ric:11010519491231002X'
    >>> party_key({"schema": "Company", "properties": {"registrationNumber": ["91350100M000100Y43"]}})
    'uscc:91350100M000100Y43'
    >>> party_key({"schema": "Person", "properties": {"idNumber": ["110105194912310021"]}}) is None
    True
    """
    if not is_party(entity.get("schema", "")):
        return None
    props = entity.get("properties", {})
    for value in props.get("idNumber", []):
        key = _ric(value)
        if key:
            return f"ric:{key}"
        key = _uscc(value)
        if key:
            return f"uscc:{key}"
    for value in props.get("registrationNumber", []):
        key = _uscc(value)
        if key:
            return f"uscc:{key}"
        key = _ric(value)
        if key:
            return f"ric:{key}"
    return None


def identifier_issues(entity: dict[str, Any]) -> list[str]:
    """Identifier values on a party that look like a RIC/USCC but fail their check digit."""
    if not is_party(entity.get("schema", "")):
        return []
    out = []
    props = entity.get("properties", {})
    for prop in ("idNumber", "registrationNumber"):
        for value in props.get(prop, []):
            compact = re.sub(r"[\s-]", "", value)
            if len(compact) == 18 and not (_ric(compact) or _uscc(compact)):
                out.append(f"{prop}={value}")
    return out


_SPACES = re.compile(r"\s+")


def normalize_case_number(value: str) -> str:
    """Normalise a case number: full-width to half-width brackets and digits, no spaces.

    >>> normalize_case_number("（2022）川3338执123号") == normalize_case_number("(2022)川3338执 123号")
    True
    """
    text = unicodedata.normalize("NFKC", value)
    text = text.replace("〔", "(").replace("〕", ")").replace("[", "(").replace("]", ")")
    return _SPACES.sub("", text)
