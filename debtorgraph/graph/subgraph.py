"""Subgraphs for analysis: FtM entities as a networkx MultiDiGraph.

Analysis code (rules, tracing, evidence) works on this shape, whether the entities come
from the store or from a tiny test fixture:

- node ``id`` -> ``{"schema": "Person", "properties": {...}}`` for every non-edge entity;
- edge ``(source, target, key=entity id)`` -> ``{"schema": "Payment", "properties": {...}}``
  for every entity whose FtM schema is an edge (Payment, Ownership, Family, ...), drawn
  in the direction of the schema's ``edge:`` block (payer -> beneficiary, owner -> asset).

Non-edge entities that point at others (Event ``involved``, Sanction ``entity``) stay
nodes; their references are read from ``properties``.
"""
from __future__ import annotations

from typing import Any, Iterable

import networkx as nx
from followthemoney import model


def edge_ends(entity: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """Return the (sources, targets) ids of an edge entity, or None for a node schema.

    >>> edge_ends({"id": "f1", "schema": "Family", "properties": {"person": ["a"], "relative": ["b"]}})
    (['a'], ['b'])
    >>> edge_ends({"id": "p", "schema": "Person", "properties": {}}) is None
    True
    """
    schema = model.get(entity["schema"])
    if schema is None or not schema.edge or not schema.edge_source or not schema.edge_target:
        return None
    props = entity.get("properties", {})
    return list(props.get(schema.edge_source, [])), list(props.get(schema.edge_target, []))


def graph_from_entities(entities: Iterable[dict[str, Any]]) -> nx.MultiDiGraph:
    """Build the analysis graph from FtM entity dicts.

    Parameters
    ----------
    entities : iterable of dict
        FtM entities in JSON form (``id``, ``schema``, ``properties``).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges as described in the module docstring. An edge whose endpoint
        is not among the entities still gets a bare node for it (schema ``None``).

    Examples
    --------
    >>> g = graph_from_entities([
    ...     {"id": "a", "schema": "Person", "properties": {"name": ["甲"]}},
    ...     {"id": "b", "schema": "Person", "properties": {"name": ["乙"]}},
    ...     {"id": "f", "schema": "Family",
    ...      "properties": {"person": ["a"], "relative": ["b"], "relationship": ["sibling"]}},
    ... ])
    >>> sorted(g.nodes), list(g.edges(keys=True))
    (['a', 'b'], [('a', 'b', 'f')])
    """
    g = nx.MultiDiGraph()
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for ent in entities:
        ends = edge_ends(ent)
        data = {"schema": ent["schema"], "properties": ent.get("properties", {})}
        if ends is None:
            if ent["id"] in g:
                g.nodes[ent["id"]].update(data)
            else:
                g.add_node(ent["id"], **data)
            continue
        for src in ends[0]:
            for dst in ends[1]:
                edges.append((src, dst, ent["id"], data))
    for src, dst, key, data in edges:
        for end in (src, dst):
            if end not in g:
                g.add_node(end, schema=None, properties={})
        g.add_edge(src, dst, key=key, **data)
    return g
