"""Masking of personal identifiers: ID numbers, phones, bank accounts, e-mail addresses.

Masking is deterministic (same input, same output), keeps the length of the value and
its separators, and replaces hidden characters with ``*``. The formats:

======================  ==========================  =====================================
what                    example in                  masked
======================  ==========================  =====================================
resident ID, 18 chars   ``513338198001011234``      ``513338********1234``
resident ID, 15 digits  ``513338800101123``         ``513338******123``
mobile (E.164)          ``+8613912345678``          ``+86139****5678``
mobile (national)       ``139 1234 5678``           ``139 **** 5678``
landline                ``028-12345678``            ``028-****5678``
bank account, card      ``6222021234567890123``     ``***************0123``
IBAN                    ``GB29NWBK60161331926819``  ``GB****************6819``
other identifiers       ``E12345678`` (passport)    ``*****5678``
e-mail                  ``wang.li@example.cn``      ``w***@example.cn``
======================  ==========================  =====================================

Why these: an ID number keeps its first six digits (the county of registration) and its
last four (sequence and check digit), and hides the eight digits of the birth date, which
is what makes a name plus region identifying. That is stricter than the public list of
dishonest debtors (which shows the birth year) and still lets a clerk match a masked
number against the paper file. Accounts and cards keep only the last four, as bank
statements do.

Which entity properties are masked, by :func:`mask_entity`:

- everywhere: ``idNumber``, ``phone``, ``email``, ``accountNumber``, ``iban``,
  ``passportNumber``, ``socialSecurityNumber``: bank accounts are confidential even when a
  company holds them, and a small company's phone is often the owner's own mobile;
- on parties that are or may be natural persons (Person, LegalEntity): also
  ``registrationNumber`` and ``taxNumber`` (a Chinese person's tax number is the ID
  number). On Company, Organization and PublicBody they stay: the Unified Social Credit
  Code is public (national enterprise credit information system). A Vehicle's
  ``registrationNumber`` is its plate, shown on the road, and stays too;
- text, string, name and address properties go through :func:`mask_text`, which finds ID
  numbers, phones, long digit runs (accounts, cards) and e-mail addresses in free text;
- entity references, dates, amounts and case or transaction references are left alone,
  and so is the entity ``id``: ids are keys that must round-trip (docs/interchange.md).

Example
-------
>>> mask_value("idNumber", "513338198001011234")
'513338********1234'
>>> mask_value("phone", "+8613912345678")
'+86139****5678'
>>> mask_text("王某某（身份证 513338198001011234，电话 13912345678）")
'王某某（身份证 513338********1234，电话 139****5678）'
"""
from __future__ import annotations

import copy
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["MASKED_PROPS", "PERSON_ONLY_PROPS", "mask_value", "mask_text", "mask_entity", "mask_data",
           "redact"]

#: Properties masked on every schema.
MASKED_PROPS: frozenset[str] = frozenset({
    "idNumber", "phone", "email", "accountNumber", "iban", "passportNumber",
    "socialSecurityNumber",
})
#: Properties masked only on parties that are or may be natural persons.
PERSON_ONLY_PROPS: frozenset[str] = frozenset({"registrationNumber", "taxNumber"})
#: Schemata whose ``registrationNumber``/``taxNumber`` may be a person's identifier.
_PERSON_LIKE: frozenset[str] = frozenset({"Person", "LegalEntity"})
#: References to records, not to people: never masked (a judge must be able to cite them).
_REFERENCE_PROPS: frozenset[str] = frozenset({
    "transactionNumber", "sequenceNumber", "recordId", "caseNumber", "titleNumber",
})
#: FtM property types that may carry free text with identifiers in it.
_TEXT_TYPES: frozenset[str] = frozenset({"string", "text", "name", "address"})

_STAR = "*"

# One pass over free text; the first alternative that matches at a position wins.
_TEXT_RE = re.compile(
    r"(?P<id18>(?<!\d)\d{17}[\dXxＸｘ](?!\d))"
    r"|(?P<intl>(?<![\d+])(?:\+|00)\d{1,3}[ -]?\d(?:[ -]?\d){6,13}(?!\d))"
    r"|(?P<mobile>(?<![\d+])1[3-9]\d(?:[ -]?\d{4}){2}(?!\d))"
    r"|(?P<landline>(?<![\d+])0\d{2,3}-\d{7,8}(?!\d))"
    r"|(?P<grouped>(?<!\d)\d{4}(?: \d{4}){2,}(?: \d{1,4})?(?!\d))"
    r"|(?P<digits>(?<!\d)\d{10,}(?!\d))"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    r"|(?P<wxid>(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_-]{4,})"
)
_ID18_RE = re.compile(r"\d{17}[\dXxＸｘ]")
_ID15_RE = re.compile(r"\d{15}")


def _star_chars(value: str, keep_head: int, keep_tail: int, *, digits_only: bool) -> str:
    """Replace the counted characters of ``value`` with ``*``, except the first and last few.

    Counted characters are digits (``digits_only``) or letters and digits; separators stay.
    """
    def counted(ch: str) -> bool:
        return ch.isdigit() if digits_only else ch.isalnum()

    total = sum(1 for ch in value if counted(ch))
    # Always hide at least four characters, or a third of a long value.
    while total - keep_head - keep_tail < max(4, (total + 1) // 3) and (keep_head or keep_tail):
        if keep_head >= keep_tail and keep_head:
            keep_head -= 1
        else:
            keep_tail -= 1
    out, seen = [], 0
    for ch in value:
        if counted(ch):
            hidden = keep_head <= seen < total - keep_tail
            out.append(_STAR if hidden else ch)
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def _mask_id_number(value: str) -> str:
    compact = value.strip()
    if _ID18_RE.fullmatch(compact):
        return compact[:6] + _STAR * 8 + compact[-4:]
    if _ID15_RE.fullmatch(compact):
        return compact[:6] + _STAR * 6 + compact[-3:]
    return _mask_identifier(value)


def _mask_phone(value: str) -> str:
    stripped = value.lstrip()
    if stripped.startswith("+86") or stripped.startswith("0086"):
        head = (2 if stripped.startswith("+") else 4) + 3   # country code + first 3
    elif stripped.startswith(("+", "00")):
        head = 3 if stripped.startswith("+") else 5
    elif stripped.startswith("0"):
        head = 4 if re.match(r"0\d{3}-", stripped) else 3   # the area code
    else:
        head = 3
    return _star_chars(value, head, 4, digits_only=True)


def _mask_account(value: str) -> str:
    return _star_chars(value, 0, 4, digits_only=False)


def _mask_iban(value: str) -> str:
    return _star_chars(value, 2, 4, digits_only=False)


def _mask_identifier(value: str) -> str:
    compact = value.strip()
    if _ID18_RE.fullmatch(compact) or _ID15_RE.fullmatch(compact):
        return _mask_id_number(compact)
    return _star_chars(value, 0, 4, digits_only=False)


def _mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    if not at:
        return _mask_identifier(value)
    return (local[:1] + "***" if local else "") + "@" + domain


_BY_NAME = {
    "idNumber": _mask_id_number,
    "phone": _mask_phone,
    "email": _mask_email,
    "accountNumber": _mask_account,
    "iban": _mask_iban,
    "registrationNumber": _mask_identifier,
    "taxNumber": _mask_identifier,
    "passportNumber": _mask_identifier,
    "socialSecurityNumber": _mask_identifier,
    # FtM type names, for callers that know the type rather than the property
    "identifier": _mask_identifier,
}


def _mask_match(m: re.Match[str]) -> str:
    kind, text = m.lastgroup, m.group(0)
    if kind == "id18":
        return text[:6] + _STAR * 8 + text[-4:]
    if kind in ("intl", "mobile", "landline"):
        return _mask_phone(text)
    if kind == "email":
        return _mask_email(text)
    if kind == "wxid":  # a WeChat account id: the prefix and the last four stay
        return "wxid_" + _star_chars(text[5:], 0, 4, digits_only=False)
    return _mask_account(text)


def mask_text(text: str) -> str:
    """Mask every ID number, phone, long digit run and e-mail address found in ``text``.

    Runs of 10 or more digits (and card numbers written in groups of four) count as
    account numbers and keep their last four digits. Dates, amounts with fewer than ten
    digits and case numbers are left alone. Masking twice gives the same result.

    >>> mask_text("转入 6222 0212 3456 7890 123，联系 +86 139 1234 5678")
    '转入 **** **** **** ***0 123，联系 +86 139 **** 5678'
    """
    if not text:
        return text
    return _TEXT_RE.sub(_mask_match, text)


def mask_value(prop: str, value: Any) -> Any:
    """Mask one value of the FtM property (or FtM type) ``prop``.

    Known identifier properties get their own format (module docstring); any other
    property goes through :func:`mask_text`. ``None`` stays ``None``; numbers are masked
    as their decimal text (an ID number stored as an int must not escape).

    >>> mask_value("accountNumber", "6222021234567890")
    '************7890'
    >>> mask_value("purpose", "还款 2023-05-01")
    '还款 2023-05-01'
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return value
    masker = _BY_NAME.get(prop)
    return masker(value) if masker else mask_text(value)


def _prop_type(schema: str, prop: str) -> str | None:
    """The FtM type name of ``schema.prop``, or None when FtM does not know it."""
    from followthemoney import model

    sch = model.get(schema) if schema else None
    if sch is None:
        return None
    p = sch.get(prop)
    return p.type.name if p is not None else None


def _masks(schema: str, prop: str) -> bool:
    if prop in MASKED_PROPS:
        return True
    return prop in PERSON_ONLY_PROPS and (schema in _PERSON_LIKE or not _known(schema))


def _known(schema: str) -> bool:
    from followthemoney import model

    return bool(schema) and model.get(schema) is not None


def mask_entity(entity: dict[str, Any], *, unmasked: bool = False) -> dict[str, Any]:
    """A copy of the FtM entity dict with its personal identifiers masked.

    Parameters
    ----------
    entity : dict
        FtM JSON form: ``{"id", "schema", "properties": {prop: [values]}}``.
    unmasked : bool
        True returns an unchanged deep copy: the caller has checked the ``unmask``
        permission (:func:`debtorgraph.security.users.require`) and logged the reason.

    Returns
    -------
    dict
        A new dict; the input is not changed. An unknown schema is masked the safe way:
        every identifier property and every string value.

    Examples
    --------
    >>> e = {"id": "p-1", "schema": "Person",
    ...      "properties": {"name": ["王某某"], "idNumber": ["513338198001011234"]}}
    >>> mask_entity(e)["properties"]["idNumber"]
    ['513338********1234']
    >>> mask_entity({"id": "c-1", "schema": "Company",
    ...              "properties": {"registrationNumber": ["91510100MA61R5XU2K"]}}
    ...             )["properties"]["registrationNumber"]
    ['91510100MA61R5XU2K']
    """
    out = copy.deepcopy(entity)
    if unmasked:
        return out
    schema = str(entity.get("schema") or "")
    known = _known(schema)
    props = out.get("properties") or {}
    for prop, values in props.items():
        if not isinstance(values, list):
            values = [values]
        if _masks(schema, prop):
            props[prop] = [mask_value(prop, v) for v in values]
            continue
        if prop in _REFERENCE_PROPS or prop in PERSON_ONLY_PROPS:
            continue
        ptype = _prop_type(schema, prop) if known else None
        if ptype is None or ptype in _TEXT_TYPES:
            props[prop] = [mask_text(v) if isinstance(v, str) else v for v in values]
    return out


#: Keys whose values are hashes or codes, never personal data: left as they are, so a content
#: hash can still be checked. (Entity ids are masked like text: a loader may make an account's
#: id from its number, ``acct-6222…``.)
KEPT_KEYS: frozenset[str] = frozenset({
    "content_hash", "contentHash", "sha256", "hash", "schema", "kind", "code", "rule", "rules",
})
#: Column or key names (after the last '.') masked with an identifier property's format.
KEY_PROPS: dict[str, str] = {"account_number": "accountNumber", "id_number": "idNumber",
                             "src_account": "accountNumber", "dst_account": "accountNumber"}


def _mask_props_json(text: str) -> str | None:
    """A ``props`` JSON cell (``{"prop": ["value"]}``) masked property by property."""
    import json

    try:
        obj = json.loads(text)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    out = {k: [mask_data(v, k) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in obj.items()}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def mask_data(value: Any, key: str | None = None) -> Any:
    """Any JSON-like value (a finding, a trace, an evidence chain, query rows) masked.

    The one masking pass for everything shown to a person: dict keys stay; values under
    identifier keys (``accountNumber``, ``idNumber``...) get their format; values under
    :data:`KEPT_KEYS` (hashes, codes) stay unless the whole value is an identifier; every other string goes through
    :func:`mask_text`; numbers that spell an identifier are masked as text.

    >>> mask_data({"id": "acct-1", "text_zh": "冻结（6228480402564890018）", "amount": 5.0})
    {'id': 'acct-1', 'text_zh': '冻结（***************0018）', 'amount': 5.0}
    """
    if isinstance(value, dict):
        return {k: mask_data(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v, key) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        masked = mask_data(str(value), key)
        return value if masked == str(value) else masked
    if not isinstance(value, str):
        return value
    prop = KEY_PROPS.get(key or "", key)
    if prop in MASKED_PROPS or prop in PERSON_ONLY_PROPS:
        return mask_value(prop, value)
    if prop in KEPT_KEYS:  # a hash or a code stays; an identifier put under such a key does not
        return mask_text(value) if _TEXT_RE.fullmatch(value.strip()) else value
    if value.startswith("{"):
        masked = _mask_props_json(value)
        if masked is not None:
            return masked
    return mask_text(value)


def redact(value: Any, *, unmasked: bool = False) -> Any:
    """``value`` as the person may see it: :func:`mask_data` unless they may see it unmasked.

    Every page of the app, every evidence format and every CLI output goes through this
    (``unmasked`` is True only after the ``unmask`` permission was checked and the reason
    logged, or in single-user local mode).
    """
    return value if unmasked else mask_data(value)
