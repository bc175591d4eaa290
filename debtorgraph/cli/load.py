"""``debtorgraph load``: files into the store, with a progress bar, rejects and the report."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..config import setting
from ..errors import DebtorGraphError
from .context import Context, fail
from .session import guarded, note

def default_rejects_path() -> Path:
    import time

    home = Path(setting("DEBTORGRAPH_HOME"))
    return home / "rejects" / f"rejects-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"


def load_files(store: Any, files: list[str], rejects: Path | None, mapping: str | None = None,
               show_progress: bool = True, holder: str | None = None,
               account: str | None = None) -> Any:
    """Load files into a store with a progress bar; return the LoadReport.

    The report also carries ``notes``: rows ``skipped`` (footers, subtotals, notices), the
    statement ``holders`` found and the ``placeholders`` to confirm, per file.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ..graph.ingest import Ingest
    from ..graph.parallel import add_ftm_file
    from ..loaders import read_any

    notes: dict[str, dict[str, Any]] = {}
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[n]} 实体"),
                  TimeElapsedColumn(), disable=not show_progress, transient=True) as bar:
        task = bar.add_task("导入 loading", total=None, n=0)
        ingest = Ingest(store, rejects, progress=lambda n: bar.update(task, n=n))
        for path in files:
            items, used = read_any(path, mapping, holder=holder, account=account)
            if used:
                ingest.report.mappings[Path(path).name] = used
                ingest.add(items, Path(path).name)
                notes[Path(path).name] = used.notes
            else:  # FtM JSON lines: large files are read on every core
                add_ftm_file(ingest, path, Path(path).name)
        bar.update(task, description="写入 writing")
        report = ingest.commit()
    report.notes = notes
    return report


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--rejects", type=click.Path(dir_okay=False), default=None,
              help="被拒绝行的输出文件 / rejects file (JSON lines).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), default=None,
              help="自定义映射 YAML / a source mapping for court files.")
@click.option("--holder", default=None,
              help="流水的户名（文件未写明时）/ the statement holder's name, when the file does not say.")
@click.option("--account", default=None,
              help="流水的账号（文件未写明时）/ the statement holder's account number.")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出报告 / print the report as JSON.")
@click.pass_obj
@guarded("load", targets=lambda kw: [Path(f).name for f in kw["files"]])
def load(obj: Context, files: tuple[str, ...], rejects: str | None, mapping: str | None,
         holder: str | None, account: str | None, as_json: bool) -> None:
    """导入文件 / load FtM JSON lines and court files (any bank statement or payment bill).

    每一行或被导入、或并入已有实体、或连同原因写入拒绝文件；表尾、小计、说明行计为跳过。
    银行流水与微信、支付宝、京东、美团账单按表头含义识别，无需映射文件。多个文件一次导入时，
    无法识别的文件在写入前列出原因，其余照常导入。导入失败时库保持原样。

    Every row is loaded, merged into an entity already known, or written to the
    rejects file with the reason; footers and subtotals are counted as skipped.
    Statements and payment-app bills are read by the meaning of their headers, no
    mapping needed. With several files, an unrecognised one is reported before
    anything is written and the others are loaded. A failed load leaves the store
    as it was; loading the same file twice changes nothing.

    \b
    退出码 exit status:
      0  全部导入 every file loaded (rows may still be rejected: see the report)
      1  未导入任何文件 nothing loaded (no file recognised, or the load failed)
      3  部分导入 partial: some files not recognised, the others loaded

    \b
    Example:
      debtorgraph load entities.ftm.jsonl --rejects rejects.jsonl
      debtorgraph load 工行流水.xlsx 微信账单.csv --holder 王建国 --account 6222020200001234567
    """
    from ..errors import InvalidInput
    from .inspect import EXIT_PARTIAL, check_files, note_lines

    unknown = check_files(list(files), mapping)
    for path, reason in unknown:
        click.echo(f"无法识别，不导入 / not recognised, not loaded: {path}: {reason}", err=True)
    known = [f for f in files if f not in {p for p, _ in unknown}]
    if not known:
        raise fail(InvalidInput(
            f"无法识别文件格式：{', '.join(files)}。请用 debtorgraph inspect 查看原因，或用 --mapping "
            f"指定映射文件。 / Unknown file layout: nothing loaded.", {"files": list(files)}))
    store = obj.store()
    try:
        report = load_files(store, known, Path(rejects) if rejects else default_rejects_path(),
                            mapping, show_progress=not as_json and sys.stderr.isatty(),
                            holder=holder, account=account)
    except DebtorGraphError as exc:
        raise fail(exc) from exc
    except Exception as exc:  # the store rolled back: say so, name the files
        raise click.ClickException(f"导入失败，库未改变 / load failed, store unchanged "
                                   f"({', '.join(files)}): {exc}") from exc
    finally:
        store.close()
    note(load_id=report.load_id, loaded=report.loaded, merged=report.merged, rejected=report.rejected)
    if as_json:
        data = report.as_dict()
        notes = report.notes
        data.update(skipped=report.skipped,
                    holders={k: n.get("holders", []) for k, n in notes.items()},
                    placeholders={k: n["placeholders"] for k, n in notes.items()
                                  if n.get("placeholders")},
                    not_loaded=[{"file": p, "reason": r} for p, r in unknown],
                    partial=bool(unknown))
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for line in report.lines() + note_lines(report, unknown):
            click.echo(line)
    if unknown:
        sys.exit(EXIT_PARTIAL)


STATS_NODES = "MATCH (n:Entity) RETURN n.schema AS schema, count(*) AS n ORDER BY schema"
STATS_EDGES = "MATCH ()-[r]->() RETURN label(r) AS type, count(*) AS n ORDER BY type"
