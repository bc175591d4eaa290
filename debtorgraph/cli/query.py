"""``debtorgraph query``: read-only Cypher from the command line, and how its rows are shown."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

import click

from ..errors import DebtorGraphError
from ..security.session import sees_unmasked
from .session import guarded, identity, mask_rows

__all__ = ["query", "format_rows"]


def _parse_param(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise click.BadParameter(f"参数应为 k=v 形式：{text!r} / expected k=v")
    key, _, raw = text.partition("=")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_rows(columns: list[str], rows: list[list[Any]], fmt: str) -> str:
    """Render query rows as an aligned table, JSON lines or CSV (formula-safe)."""
    if fmt == "json":
        return "\n".join(json.dumps(dict(zip(columns, r)), ensure_ascii=False, default=str) for r in rows)
    if fmt == "csv":
        from ..security.sanitize import neutralise_formula

        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        for r in rows:
            writer.writerow([neutralise_formula(v if not isinstance(v, (dict, list)) else json.dumps(
                v, ensure_ascii=False)) for v in r])
        return buf.getvalue().rstrip("\n")
    cells = [[str(c) for c in columns]] + [[json.dumps(v, ensure_ascii=False, default=str)
                                             if isinstance(v, (dict, list)) else str(v) for v in r]
                                            for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.command()
@click.argument("cypher")
@click.option("--param", "-p", "params", multiple=True, help="查询参数 k=v（值可为 JSON）/ a parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("--max-rows", type=int, default=None, help="行数上限 / row cap.")
@click.pass_obj
@guarded("query", targets=lambda kw: [kw["cypher"]])
def query(obj: Any, cypher: str, params: tuple[str, ...], fmt: str, max_rows: int | None) -> None:
    """只读 Cypher 查询 / run a read-only Cypher query (time limit, row cap).

    \b
    Example:
      debtorgraph query "MATCH (p:Entity) WHERE p.schema = \\$s RETURN p.id, p.caption LIMIT 5" -p s=Person
    """
    from ..queries.run import run_user_query

    store = obj.store(read_only=True)
    try:
        result = run_user_query(store, cypher, dict(_parse_param(p) for p in params), max_rows=max_rows)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    rows = result.rows if sees_unmasked(identity()) else mask_rows(result.columns, result.rows)
    if rows or fmt != "json":
        click.echo(format_rows(result.columns, rows, fmt))
    if result.truncated:
        click.echo(f"（已截断：只显示前 {len(result.rows)} 行 / truncated at {len(result.rows)} rows）", err=True)
    elif fmt == "table":  # json and csv stay machine-readable, also where stderr is merged
        click.echo(f"（{len(rows)} 行 / {len(rows)} rows）", err=True)
