"""Small readers of the analysis graph shared by :mod:`~debtorgraph.analysis.parties.related`: links, dates, shares, names."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Iterator

import networkx as nx
from followthemoney import model

from debtorgraph.analysis.tracing.input import parse_when
from debtorgraph.errors import InvalidInput, NodeNotFound

_MAX_CHAIN = 10  # longest ownership chain followed (links), against pathological graphs

_ROLES = (("法定代表人", "legal representative"), ("董事长", "chairman"),
          ("执行董事", "executive director"), ("董事", "director"), ("监事", "supervisor"),
          ("总经理", "general manager"), ("经理", "manager"), ("财务负责人", "financial officer"))


def _incident(g: nx.MultiDiGraph, node: str, schema: str
              ) -> Iterator[tuple[str, str, dict[str, Any], bool]]:
    """(other end, link id, properties, True when ``node`` is the edge source)."""
    for _, other, key, data in g.out_edges(node, keys=True, data=True):
        if other != node and _link_is(data.get("schema"), schema):
            yield other, key, data.get("properties") or {}, True
    for other, _, key, data in g.in_edges(node, keys=True, data=True):
        if other != node and _link_is(data.get("schema"), schema):
            yield other, key, data.get("properties") or {}, False


def _owned(g: nx.MultiDiGraph, node: str, when: datetime | None
           ) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Assets ``node`` owns on the date (leases skipped)."""
    for other, link, props, outgoing in _incident(g, node, "Ownership"):
        if outgoing and _active(link, props, when) and not _is_lease(props):
            yield other, link, props


@lru_cache(maxsize=256)
def _link_is(schema: str | None, name: str) -> bool:
    found = model.get(schema) if schema else None
    return found is not None and found.is_a(name)


def _schema_is(g: nx.MultiDiGraph, node: str, name: str) -> bool:
    return _link_is(g.nodes[node].get("schema") if node in g else None, name)


def _is_company(g: nx.MultiDiGraph, node: str, props: dict[str, Any]) -> bool:
    """A Company or Organization; an unknown party counts when a percentage is given."""
    if _schema_is(g, node, "Organization"):
        return True
    schema = g.nodes[node].get("schema") if node in g else None
    return schema in (None, "LegalEntity") and _first(props, "percentage") is not None


def _is_lease(props: dict[str, Any]) -> bool:
    words = (props.get("legalBasis") or []) + (props.get("ownershipType") or [])
    return any(str(w).strip().lower() == "lease" for w in words)


def _first(props: dict[str, Any], name: str) -> str | None:
    values = props.get(name) or []
    return str(values[0]) if values and values[0] not in (None, "") else None


def _dates(link: str, props: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    try:
        start, end = _first(props, "startDate"), _first(props, "endDate")
        return (parse_when(start) if start else None, parse_when(end) if end else None)
    except ValueError:
        raise InvalidInput(f"Link {link!r} has a startDate or endDate that is not an ISO date",
                           {link: "bad startDate/endDate"}) from None


def _active(link: str, props: dict[str, Any], when: datetime | None) -> bool:
    """In force on ``when`` (start <= when < end); without a date: not ended."""
    start, end = _dates(link, props)
    if when is None:
        return end is None
    return (start is None or start <= when) and (end is None or when < end)


def _fraction(link: str, props: dict[str, Any]) -> float | None:
    """``percentage`` as a fraction (``60`` -> 0.6), None when not given."""
    raw = _first(props, "percentage")
    if raw is None:
        return None
    try:
        value = float(raw.strip().rstrip("%"))
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 100.0:
        raise InvalidInput(f"Ownership {link!r} has percentage {raw!r}; expected a number "
                           "of percent from 0 to 100 (60 for 60%)", {link: raw})
    return value / 100.0


def _pct(share: float | None, unknown: str = "比例不详") -> str:
    return unknown if share is None else f"{share * 100:.4g}%"


def _how(paths: list[tuple[float | None, list[str]]]) -> str:
    """直接 / 间接 / 直接及间接, by the lengths of the ownership paths."""
    direct = any(len(p) == 3 for _, p in paths)
    indirect = any(len(p) > 3 for _, p in paths)
    return "直接及间接" if direct and indirect else ("直接" if direct else "间接")


def _role(role: str | None) -> tuple[str, str]:
    """(Chinese, English) name of a Directorship role."""
    if not role:
        return "董事或高级管理人员", "a director or officer"
    text = role.strip()
    for zh, en in _ROLES:
        if text == zh or text.lower() == en:
            return zh, en
    return text, text


def _name(g: nx.MultiDiGraph, node: str) -> str:
    return _first(g.nodes[node].get("properties") or {}, "name") or node


def _check(g: Any, node: str, at: Any, max_depth: Any, threshold: Any) -> datetime | None:
    """Validate the common arguments; return ``at`` as a datetime (or None)."""
    if not isinstance(g, nx.MultiDiGraph):
        raise InvalidInput(f"g must be a networkx.MultiDiGraph from graph_from_entities, "
                           f"not {type(g).__name__}", {"g": type(g).__name__})
    if isinstance(max_depth, bool) or not isinstance(max_depth, int) or max_depth < 1:
        raise InvalidInput(f"max_depth {max_depth!r} must be a whole number of at least 1",
                           {"max_depth": max_depth})
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
            or not 0 < threshold <= 1:
        raise InvalidInput(f"threshold {threshold!r} must be a share above 0 and at most 1 "
                           "(0.25 for 25%)", {"threshold": threshold})
    if node not in g:
        raise NodeNotFound(f"Party {node!r} is not in the graph")
    if at is None:
        return None
    try:
        return parse_when(at)
    except (ValueError, TypeError):
        raise InvalidInput(f"at {at!r} is not an ISO date or date-time", {"at": at}) from None


def _penetrate(g: nx.MultiDiGraph, start: str, when: datetime | None, down: bool
               ) -> dict[str, tuple[float | None, list[tuple[float | None, list[str]]]]]:
    """Effective shares along ownership chains (down: held companies; up: owners).

    Returns company (or owner) -> (summed share or None, [(product or None, path)]).
    Paths are simple and run from ``start``; a link without a percentage makes the
    product of its paths unknown (None).
    """
    paths: dict[str, list[tuple[float | None, list[str]]]] = {}
    limit = 2 * _MAX_CHAIN + 1
    stack: list[tuple[str, float | None, list[str]]] = [(start, 1.0, [start])]
    while stack:
        node, product, path = stack.pop()
        steps = (_owned(g, node, when) if down else
                 ((o, k, p) for o, k, p, out in _incident(g, node, "Ownership")
                  if not out and _active(k, p, when) and not _is_lease(p)))
        for other, link, props in steps:
            if other in path or len(path) >= limit \
                    or not _is_company(g, other if down else node, props):
                continue
            frac = _fraction(link, props)
            share = None if product is None or frac is None else product * frac
            new_path = path + [link, other]
            paths.setdefault(other, []).append((share, new_path))
            stack.append((other, share, new_path))
    out: dict[str, tuple[float | None, list[tuple[float | None, list[str]]]]] = {}
    for node, found in paths.items():
        known = [s for s, _ in found if s is not None]
        found.sort(key=lambda p: (len(p[1]), p[1]))
        out[node] = (sum(known) if known else None, found)
    return out


# -- links and values -------------------------------------------------------------------
