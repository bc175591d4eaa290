"""Checks every incoming entity against the followthemoney model, loudly.

FtM proxies drop unknown properties and unparseable values silently; the product
must reject them instead. :func:`check_entity` returns the problems of one entity
as :class:`Problem` tuples (reason code, property, bilingual message); an empty list
means the entity may load. Hot types (entity, date, number, string) have fast paths;
other types use ``prop.type.validate`` from FtM itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from followthemoney import model

__all__ = ["Problem", "SchemaSpec", "check_entity", "schema_spec", "REASONS"]

#: Reject reason codes and their meaning (used in reports and docs).
REASONS: dict[str, tuple[str, str]] = {
    "invalid_json": ("该行不是合法的 JSON 对象", "the line is not a JSON object"),
    "missing_id": ("缺少 id", "the entity has no id"),
    "missing_schema": ("缺少 schema", "the entity has no schema"),
    "unknown_schema": ("FtM 中没有此 schema", "FtM has no such schema"),
    "abstract_schema": ("抽象 schema 不能直接使用", "an abstract schema cannot be used"),
    "invalid_properties": ("properties 必须是对象，值必须是字符串列表",
                           "properties must be an object of lists of strings"),
    "unknown_property": ("该 schema 没有此属性", "the schema has no such property"),
    "invalid_value": ("属性值无法按其类型解析", "a value does not parse for its type"),
    "missing_required": ("缺少关系的一端", "a required property (an edge end) is missing"),
    "dangling_reference": ("引用的实体既不在本次导入中也不在库中",
                           "a reference names an id neither in this load nor in the store"),
    "schema_conflict": ("同一 id 出现了不相容的 schema", "the same id comes with incompatible schemata"),
}


class Problem(NamedTuple):
    reason: str
    prop: str | None
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class SchemaSpec:
    """What the checks need to know of one schema, computed once."""

    name: str
    abstract: bool
    edge: bool
    source: str | None
    target: str | None
    types: dict[str, str]  # property name -> FtM type name (non-stub properties only)
    required: tuple[str, ...]


@lru_cache(maxsize=None)
def schema_spec(name: str) -> SchemaSpec | None:
    """Return the spec of an FtM schema, or None when FtM has no such schema."""
    schema = model.get(name)
    if schema is None:
        return None
    types = {p.name: p.type.name for p in schema.properties.values() if not p.stub}
    edge = bool(schema.edge and schema.edge_source and schema.edge_target)
    # Only the edge ends are required: without them there is no edge. FtM's other
    # `required` entries (a Person's name...) are left to the data, as FtM itself does.
    required: tuple[str, ...] = (str(schema.edge_source), str(schema.edge_target)) if edge else ()
    return SchemaSpec(name, bool(schema.abstract), edge, schema.edge_source if edge else None,
                      schema.edge_target if edge else None, types, required)


_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d{1,6})?)?)?)?)?)?$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(,\d{3})*|\d*)(\.\d+)?([eE][+-]?\d+)?$")


_DATES_SEEN: dict[str, bool] = {}  # a load repeats dates: each is parsed once


def _valid_date(value: str) -> bool:
    known = _DATES_SEEN.get(value)
    if known is not None:
        return known
    if len(_DATES_SEEN) > 100_000:
        _DATES_SEEN.clear()
    ok = _DATES_SEEN[value] = _parse_date(value)
    return ok


def _parse_date(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    n = len(value)
    try:
        if n == 4:
            return True
        if n == 7:
            return 1 <= int(value[5:7]) <= 12
        if n == 10:
            date.fromisoformat(value)
            return True
        if n == 13:  # YYYY-MM-DDTHH
            datetime.fromisoformat(value + ":00")
            return True
        datetime.fromisoformat(value)
        return True
    except ValueError:
        return False


def _valid_number(value: str) -> bool:
    if value.isascii() and value.isdigit():  # the common case: a plain amount
        return True
    return bool(value) and value not in {"+", "-", "."} and bool(_NUMBER_RE.match(value.strip()))


def _valid_other(type_name: str, value: str) -> bool:
    from followthemoney.types import registry

    ftype = registry.get(type_name)
    if ftype is None:
        return True
    return bool(ftype.validate(value))


def _all_str(values: list[Any]) -> bool:
    if len(values) == 1:
        return type(values[0]) is str
    for value in values:
        if type(value) is not str:
            return False
    return True


_FREE = frozenset({"string", "text", "name", "address", "identifier", "html", "json", "entity"})


def check_entity(entity: Any) -> list[Problem]:
    """Check one FtM entity dict; return its problems (empty when it may load).

    References are not resolved here (the ingest step knows the load and the store).

    Examples
    --------
    >>> check_entity({"id": "p1", "schema": "Person", "properties": {"name": ["王某"]}})
    []
    >>> [p.reason for p in check_entity({"id": "p1", "schema": "Person",
    ...                                   "properties": {"colour": ["red"]}})]
    ['unknown_property']
    >>> [p.reason for p in check_entity({"id": "x", "schema": "Payment",
    ...     "properties": {"payer": ["a"], "beneficiary": ["b"], "date": ["2023-02-30"]}})]
    ['invalid_value']
    """
    if not isinstance(entity, dict):
        return [_problem("invalid_json", None, "")]
    ent_id = entity.get("id")
    if not isinstance(ent_id, str) or not ent_id.strip():
        return [_problem("missing_id", None, "")]
    schema_name = entity.get("schema")
    if not isinstance(schema_name, str) or not schema_name:
        return [_problem("missing_schema", None, "")]
    spec = schema_spec(schema_name)
    if spec is None:
        return [_problem("unknown_schema", None, schema_name)]
    if spec.abstract:
        return [_problem("abstract_schema", None, schema_name)]
    props = entity.get("properties", {})
    if not isinstance(props, dict):
        return [_problem("invalid_properties", None, "")]
    problems: list[Problem] = []
    kinds = _kinds(schema_name)
    for name, values in props.items():
        kind = kinds.get(name)
        if kind is None:
            problems.append(_problem("unknown_property", name, f"{schema_name}.{name}"))
            continue
        if type(values) is not list or not _all_str(values):
            problems.append(_problem("invalid_properties", name, name))
            continue
        if kind == _FREE_KIND:
            continue
        check = _CHECKS.get(kind)
        for value in values:
            if not (check(value) if check else _valid_other(kind, value)):
                problems.append(_problem("invalid_value", name, f"{name}={value!r} ({kind})"))
                break
    for name in spec.required:
        if not props.get(name):
            problems.append(_problem("missing_required", name, f"{schema_name}.{name}"))
    return problems


_FREE_KIND = ""
_CHECKS = {"date": _valid_date, "number": _valid_number}


@lru_cache(maxsize=None)
def _kinds(schema_name: str) -> dict[str, str]:
    """Property name -> FtM type name, or "" for the types any string satisfies."""
    spec = schema_spec(schema_name)
    assert spec is not None
    return {name: _FREE_KIND if kind in _FREE else kind for name, kind in spec.types.items()}


_HINTS = {
    "unknown_property": ("请删除该属性，或改用 FtM 中存在的属性名", "remove it or use a property FtM defines"),
    "invalid_value": ("日期用 ISO 格式（2023-05-01），金额用纯数字，电话用 E.164（+8613912345678）",
                      "dates in ISO form (2023-05-01), plain numbers, phones in E.164 (+8613912345678)"),
    "unknown_schema": ("请使用 FtM 4 的 schema 名称，如 Person、Company、Payment",
                       "use an FtM 4 schema name such as Person, Company, Payment"),
}


def _problem(reason: str, prop: str | None, detail: str) -> Problem:
    zh, en = REASONS[reason]
    hint_zh, hint_en = _HINTS.get(reason, ("", ""))
    zh_msg = f"{zh}：{detail}" if detail else zh
    en_msg = f"{en}: {detail}" if detail else en
    if hint_zh:
        zh_msg += f"。{hint_zh}"
        en_msg += f". Fix: {hint_en}"
    return Problem(reason, prop, zh_msg, en_msg)
