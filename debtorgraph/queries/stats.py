"""Counts of what the graph holds."""
from __future__ import annotations

from typing import Any

# Nodes per schema. Params: none. Columns: schema, n.
COUNT_NODES = "MATCH (n:Entity) RETURN n.schema AS schema, count(n) AS n ORDER BY schema"
# Records (entities as loaded). Params: none. Columns: n.
COUNT_RECORDS = "MATCH (r:Record) RETURN count(r) AS n"
# Edge entities per schema (every edge relationship carries ``schema``). Columns: schema, n.
COUNT_EDGES = ("MATCH (:Entity)-[r]->(:Entity) WHERE r.schema IS NOT NULL "
               "RETURN r.schema AS schema, count(r) AS n ORDER BY schema")
# Loads: one row per load id with its record count. Columns: load_id, n.
COUNT_LOADS = "MATCH (r:Record) RETURN r.load_id AS load_id, count(r) AS n ORDER BY load_id"


def graph_stats(store: Any) -> dict[str, Any]:
    """Entities per schema, relationships per schema, records and loads."""
    nodes = {s: int(n) for s, n in store.run_read(COUNT_NODES).rows}
    edges = {s: int(n) for s, n in store.run_read(COUNT_EDGES).rows}
    records = int(store.run_read(COUNT_RECORDS).rows[0][0])
    loads = {lid: int(n) for lid, n in store.run_read(COUNT_LOADS).rows}
    return {"entities": sum(nodes.values()), "records": records, "nodes": nodes,
            "relationships": edges, "loads": loads}
