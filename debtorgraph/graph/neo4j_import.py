"""The graph as CSV files for ``neo4j-admin database import full`` (either store as source).

Files written to ``out_dir``:

- ``entities.csv``: ``id:ID(Entity)``, ``:LABEL`` (Entity, the FtM schema and its
  ancestors, ``;``-separated), the Entity columns, ``amount:double``;
- ``records.csv``: ``id:ID(Record)``, ``:LABEL`` (Record), the Record columns;
- ``relationships.csv``: ``:START_ID(Entity)``, ``:END_ID(Entity)``, ``:TYPE`` and the
  relationship columns (``amount:double``, ``percentage:double``, ``seq:long``); reference
  relationships (INVOLVED, PROOF...) fill only ``load_id``;
- ``import.sh``: the exact ``neo4j-admin`` command for these files.

Entity and Record ids live in separate ID spaces (a Record has its entity's id). Empty
cells are absent properties, as in the stores. Reads go page by page (ordered by id), so
memory stays bounded on a large graph.
"""
from __future__ import annotations

import csv
import logging
import shlex
from pathlib import Path
from typing import Any, Iterator

from .schema import ENTITY_COLUMNS, NODE_LABEL, RECORD_COLUMNS, RECORD_LABEL, REL_COLUMNS, labels
from .store.base import Store

log = logging.getLogger(__name__)

PAGE = 5000
_TYPES = {"DOUBLE": "double", "INT64": "long"}

# A page of Entity nodes after $after (by id). $after, $page. Columns: the Entity columns.
EXPORT_ENTITY_PAGE = ("MATCH (n:Entity) WHERE n.id > $after RETURN "
                      + ", ".join(f"n.{c} AS {c}" for c, _ in ENTITY_COLUMNS) + " ORDER BY id LIMIT $page")
# A page of Records after $after (by id). $after, $page. Columns: the Record columns.
EXPORT_RECORD_PAGE = ("MATCH (r:Record) WHERE r.id > $after RETURN "
                      + ", ".join(f"r.{c} AS {c}" for c, _ in RECORD_COLUMNS) + " ORDER BY id LIMIT $page")
# Outgoing relationships of the nodes in $ids. Columns: src, dst, rel (the relationship).
EXPORT_RELS_OF = ("MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids "
                  "RETURN a.id AS src, b.id AS dst, r AS rel ORDER BY src, dst")


def _header(columns: list[tuple[str, str]], skip: str = "") -> list[str]:
    return [f"{c}:{_TYPES[t]}" if t in _TYPES else c for c, t in columns if c != skip]


def _pages(store: Store, cypher: str) -> Iterator[list[dict[str, Any]]]:
    after = ""
    while True:
        rows = store.run_read(cypher, {"after": after, "page": PAGE}).records()
        if not rows:
            return
        yield rows
        after = rows[-1]["id"]
        if len(rows) < PAGE:
            return


def _cell(value: Any) -> Any:
    return "" if value is None else value


def export_neo4j_import(store: Store, out_dir: str | Path) -> dict[str, int]:
    """Write node and relationship CSV files for ``neo4j-admin database import full``.

    Parameters
    ----------
    store : Store
        Any store (embedded or Neo4j).
    out_dir : str or Path
        Folder to write into (created if missing; files there are overwritten).

    Returns
    -------
    dict
        Rows written per file: ``{"entities": n, "records": n, "relationships": n}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"entities": 0, "records": 0, "relationships": 0}
    entity_cols = [c for c, _ in ENTITY_COLUMNS if c != "id"]
    rel_cols = [c for c, _ in REL_COLUMNS]
    with open(out / "entities.csv", "w", newline="", encoding="utf-8") as nodes_fh, \
            open(out / "relationships.csv", "w", newline="", encoding="utf-8") as rels_fh:
        nodes, rels = csv.writer(nodes_fh), csv.writer(rels_fh)
        nodes.writerow([f"id:ID({NODE_LABEL})", ":LABEL", *_header(ENTITY_COLUMNS, skip="id")])
        rels.writerow([f":START_ID({NODE_LABEL})", f":END_ID({NODE_LABEL})", ":TYPE", *_header(REL_COLUMNS)])
        for page in _pages(store, EXPORT_ENTITY_PAGE):
            for row in page:
                nodes.writerow([row["id"], ";".join(labels(row["schema"])),
                                *(_cell(row[c]) for c in entity_cols)])
            counts["entities"] += len(page)
            for src, dst, rel in store.run_read(EXPORT_RELS_OF, {"ids": [r["id"] for r in page]}).rows:
                rels.writerow([src, dst, rel["_LABEL"], *(_cell(rel.get(c)) for c in rel_cols)])
                counts["relationships"] += 1
    with open(out / "records.csv", "w", newline="", encoding="utf-8") as rec_fh:
        records = csv.writer(rec_fh)
        records.writerow([f"id:ID({RECORD_LABEL})", ":LABEL", *_header(RECORD_COLUMNS, skip="id")])
        for page in _pages(store, EXPORT_RECORD_PAGE):
            for row in page:
                records.writerow([row["id"], RECORD_LABEL, *(_cell(row[c]) for c, _ in RECORD_COLUMNS if c != "id")])
            counts["records"] += len(page)
    (out / "import.sh").write_text(import_command(out) + "\n", encoding="utf-8")
    log.info("neo4j-import files in %s: %s", out, counts)
    return counts


def import_command(folder: str | Path, database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command that imports the files of :func:`export_neo4j_import`."""
    f = Path(folder)
    return " ".join([
        "neo4j-admin database import full", shlex.quote(database),
        f"--nodes={shlex.quote(str(f / 'entities.csv'))}",
        f"--nodes={shlex.quote(str(f / 'records.csv'))}",
        f"--relationships={shlex.quote(str(f / 'relationships.csv'))}",
        "--multiline-fields=true", "--overwrite-destination=true",
    ])


__all__ = ["export_neo4j_import", "import_command"]
