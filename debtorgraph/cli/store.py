"""``debtorgraph init``: create the store's schema (either store), idempotently."""
from __future__ import annotations

import logging
from typing import Any

import click

from ..config import setting
from ..errors import DebtorGraphError

log = logging.getLogger(__name__)


@click.command()
@click.option("--print-cypher", is_flag=True,
              help="只打印 Neo4j 的建约束/索引语句，不连接 / print the Neo4j statements, connect to nothing.")
@click.pass_obj
def init(obj: Any, print_cypher: bool) -> None:
    """初始化库结构 / create tables, or Neo4j constraints and indexes (safe to repeat).

    Uses Neo4j when NEO4J_URI is set (and --db is not given), else the embedded store.

    \b
    Example:
      debtorgraph init
      NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... debtorgraph init
      debtorgraph init --print-cypher > schema.cypher
    """
    if print_cypher:
        from ..graph.store.neo4j_cypher import SCHEMA_STATEMENTS

        for statement in SCHEMA_STATEMENTS:
            click.echo(statement + ";")
        return
    try:
        store = obj.store()
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        store.init_schema()
        where = (f"Neo4j {setting('NEO4J_URI')} / {store.database}" if store.dialect == "neo4j"
                 else f"ladybug {store.path}")
        click.echo(f"库结构就绪 schema ready: {where}")
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


__all__ = ["init"]
