"""``debtorgraph export``: the graph back to FtM JSON lines, or CSVs for ``neo4j-admin import``."""
from __future__ import annotations

import sys

import click

from ..errors import DebtorGraphError
from .context import Context, fail
from .session import guarded, note

@click.command()
@click.option("--format", "fmt", type=click.Choice(["ftm", "neo4j-import"]), default="ftm", show_default=True)
@click.option("--out", "-o", type=click.Path(), default="-",
              help="输出文件，- 为标准输出；neo4j-import 为输出目录 / file, or a folder for neo4j-import.")
@click.pass_obj
@guarded("export_evidence", targets=lambda kw: [kw["fmt"], kw["out"]], also=frozenset({"admin"}))
def export(obj: Context, fmt: str, out: str) -> None:
    """导出 / export the whole graph as FtM JSON lines, ids as loaded (admin or prosecutor).

    \b
    Example:
      debtorgraph export --format ftm -o graph.ftm.jsonl
      debtorgraph export --format neo4j-import -o import/   # CSV for neo4j-admin
    """
    from ..graph.export import export_ftm

    if fmt == "neo4j-import" and out == "-":
        raise click.UsageError("neo4j-import 需要输出目录 / give a folder: --out DIR")
    store = obj.store(read_only=True)
    try:
        if fmt == "neo4j-import":
            from ..graph.neo4j_import import export_neo4j_import, import_command

            counts = export_neo4j_import(store, out)
            click.echo(f"导出 exported {counts}\n{import_command(out)}", err=True)
            return
        if out == "-":
            n = export_ftm(store, sys.stdout.buffer)
        else:
            with open(out, "wb") as fh:
                n = export_ftm(store, fh)
    except DebtorGraphError as exc:
        raise fail(exc) from exc
    finally:
        store.close()
    note(exported=n)
    click.echo(f"导出 {n} 个实体 / exported {n} entities", err=True)
