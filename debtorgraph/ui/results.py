"""Query results for the Cypher page: a table, a graph when they hold nodes or relationships, CSV."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from .backends import neutralise_formula
from .network import NetEdge, NetNode, Network, relation_kind

__all__ = ["result_frame", "result_csv", "result_network", "mask_rows"]


def _mask_cell(value: Any) -> Any:
    from .backends import mask_caption, mask_entity, mask_text

    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_mask_cell(v) for v in value]
    if isinstance(value, dict):
        out = dict(value)
        schema = value.get("schema")
        if isinstance(value.get("props"), str):
            props: Any = {}
            try:
                props = json.loads(value["props"])
                out["props"] = json.dumps(mask_entity({"id": "x", "schema": schema or "Thing",
                                                       "properties": props})["properties"], ensure_ascii=False)
            except (ValueError, TypeError, AttributeError):
                out["props"] = mask_text(value["props"])
            if isinstance(value.get("caption"), str):
                out["caption"] = mask_caption(schema, value["caption"], props if isinstance(props, dict) else {})
        for key in ("account_number", "party_key", "src_account", "dst_account"):
            if isinstance(value.get(key), str):
                out[key] = mask_text(value[key])
        return out
    return value


def mask_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows with identifiers in strings, node properties and captions masked.

    >>> mask_rows([["6222021234567890123", 5]])
    [['***************0123', 5]]
    """
    return [[_mask_cell(v) for v in r] for r in rows]


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def result_frame(columns: list[str], rows: list[list[Any]]) -> Any:
    """A pandas frame of the rows (nested values as JSON text)."""
    import pandas as pd

    return pd.DataFrame([[_cell(v) for v in r] for r in rows], columns=_unique(columns))


def _unique(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        n = seen.get(c, 0)
        seen[c] = n + 1
        out.append(c if n == 0 else f"{c}_{n}")
    return out


def result_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """CSV text; cells a spreadsheet would run as formulas are neutralised.

    >>> result_csv(["a"], [["=1+1"]]).splitlines()[1]
    "'=1+1"
    """
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([neutralise_formula(_cell(v)) for v in r])
    return buf.getvalue()


def _walk(value: Any, nodes: dict[str, dict[str, Any]], rels: list[dict[str, Any]]) -> None:
    if isinstance(value, list):
        for v in value:
            _walk(v, nodes, rels)
    elif isinstance(value, dict):
        if "_NODES" in value or "_RELS" in value:  # a path
            _walk(value.get("_NODES", []), nodes, rels)
            _walk(value.get("_RELS", []), nodes, rels)
        elif "_SRC" in value and "_DST" in value:
            rels.append(value)
        elif "_ID" in value and "_LABEL" in value:
            nodes[str(value["_ID"])] = value


def result_network(rows: list[list[Any]], limit: int = 300) -> Network | None:
    """Nodes and relationships found in the rows (ladybug values), or None when there are none."""
    raw_nodes: dict[str, dict[str, Any]] = {}
    raw_rels: list[dict[str, Any]] = []
    for row in rows:
        _walk(row, raw_nodes, raw_rels)
    if not raw_nodes and not raw_rels:
        return None
    nodes: dict[str, NetNode] = {}
    for internal, n in list(raw_nodes.items())[:limit]:
        nid = str(n.get("id") or internal)
        nodes[internal] = NetNode(nid, n.get("schema") or n.get("_LABEL"), str(n.get("caption") or nid),
                                  date=n.get("date"), amount=n.get("amount") if isinstance(n.get("amount"), (int, float)) else None)
    for r in raw_rels:
        for end in (r["_SRC"], r["_DST"]):
            if str(end) not in nodes and len(nodes) < limit:
                nodes[str(end)] = NetNode(str(end), None, str(end))
    edges = [NetEdge(str(r["_SRC"]), str(r["_DST"]), str(r.get("_LABEL")), relation_kind(str(r.get("_LABEL"))),
                     [str(r["id"])] if r.get("id") else [], total=r.get("amount"), first=r.get("date"),
                     last=r.get("date"), role=r.get("role"), percentage=r.get("percentage"), end_date=r.get("end_date"),
                     single=True)
             for r in raw_rels if str(r["_SRC"]) in nodes and str(r["_DST"]) in nodes]
    # key nodes by their internal id for edges, keep the FtM id as the label's tooltip id
    keyed = {k: NetNode(k, v.schema, v.caption, v.props, v.date, v.end_date, v.amount) for k, v in nodes.items()}
    for k, v in nodes.items():
        keyed[k].props = {"id": [v.id]} if v.id != k else {}
    return Network(keyed, edges)
