"""The ``debtorgraph`` command line. Every command's --help ends with an example."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..config import setting
from ..errors import DebtorGraphError
from .session import guard_extension, guarded, note

log = logging.getLogger(__name__)


class Context:
    """What every command shares: the store location, chosen once."""

    def __init__(self, db: str | None) -> None:
        self.db = db

    def store(self, read_only: bool = False) -> Any:
        from ..graph.store import open_store

        return open_store(self.db, read_only=read_only)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="debtorgraph")
@click.option("--db", envvar="DEBTORGRAPH_DB", default=None,
              help="嵌入式库文件 / embedded store file (default ~/.debtorgraph/graph).")
@click.option("-v", "--verbose", is_flag=True, help="详细日志 / verbose logging.")
@click.option("--why", envvar="DEBTORGRAPH_WHY", default="",
              help="理由，记入审计日志 / the reason, written to the audit log.")
@click.pass_context
def main(ctx: click.Context, db: str | None, verbose: bool, why: str) -> None:
    """debtorgraph：执行案件财产线索图谱 / graph investigator for court enforcement.

    有账户文件（<DEBTORGRAPH_HOME>/users.json）时须先 `debtorgraph login`，命令按账户角色授权；
    没有时为单用户本机模式，以操作系统用户身份运行。导入、查询、导出等都记入审计日志。

    With an accounts file (<DEBTORGRAPH_HOME>/users.json), `debtorgraph login` first and
    commands act with that account's role; without one, the CLI runs in single-user local
    mode as the operating-system user. Loads, queries, exports, detection and evidence
    are written to the audit log (`debtorgraph audit verify`).

    \b
    Example:
      debtorgraph demo                      # 生成演示数据、导入并启动应用
      debtorgraph load data/*.jsonl         # 导入 FtM 或法院查控文件
      debtorgraph query "MATCH (n:Entity) RETURN n.schema, count(*)"
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(db)


def _fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


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


@main.command()
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
        raise _fail(InvalidInput(
            f"无法识别文件格式：{', '.join(files)}。请用 debtorgraph inspect 查看原因，或用 --mapping "
            f"指定映射文件。 / Unknown file layout: nothing loaded.", {"files": list(files)}))
    store = obj.store()
    try:
        report = load_files(store, known, Path(rejects) if rejects else default_rejects_path(),
                            mapping, show_progress=not as_json and sys.stderr.isatty(),
                            holder=holder, account=account)
    except DebtorGraphError as exc:
        raise _fail(exc) from exc
    except Exception as exc:  # the store rolled back: say so, name the files
        raise click.ClickException(f"导入失败，库未改变 / load failed, store unchanged "
                                   f"({', '.join(files)}): {exc}") from exc
    finally:
        store.close()
    note(load_id=report.load_id, loaded=report.loaded, merged=report.merged, rejected=report.rejected)
    if as_json:
        data = report.as_dict()
        notes = getattr(report, "notes", {}) or {}
        data.update(skipped=sum(n.get("skipped", 0) for n in notes.values()),
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


@main.command()
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / print JSON.")
@click.pass_obj
@guarded(None)
def stats(obj: Context, as_json: bool) -> None:
    """统计 / count entities per schema and relationships per type.

    \b
    Example:
      debtorgraph stats --json
    """
    from ..queries.stats import graph_stats

    store = obj.store(read_only=True)
    try:
        data = graph_stats(store)
    except DebtorGraphError as exc:
        raise _fail(exc) from exc
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"实体 entities: {data['entities']}   记录 records: {data['records']}")
    for k, v in data["nodes"].items():
        click.echo(f"  {k}: {v}")
    click.echo(f"关系 relationships: {sum(data['relationships'].values())}")
    for k, v in data["relationships"].items():
        click.echo(f"  {k}: {v}")


@main.command()
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
        raise _fail(exc) from exc
    finally:
        store.close()
    note(exported=n)
    click.echo(f"导出 {n} 个实体 / exported {n} entities", err=True)


@main.command()
@click.option("--out", "-o", type=click.Path(file_okay=False), required=True, help="输出目录 / output folder.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--debtors", type=int, default=60, show_default=True, help="被执行人数 / number of debtors.")
@click.option("--payments", type=int, default=None, help="普通交易笔数 / background payments.")
def generate(out: str, seed: int, debtors: int, payments: int | None) -> None:
    """生成合成数据 / generate a synthetic county caseload (FtM) plus a ground-truth file.

    \b
    Example:
      debtorgraph generate --out demo --seed 7 --debtors 100 --payments 100000
    """
    from rich.progress import Progress

    from ..synthetic import generate as make

    with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("生成 generating", total=None)
        summary = make(out, seed=seed, debtors=debtors, payments=payments,
                       progress=lambda n: bar.update(task, completed=n))
    click.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))


def serve_app(db: str, port: int | None, headless: bool = True) -> int:
    """Run the Streamlit app on 127.0.0.1 (blocking) and stop it with this process; its exit code.

    debtorgraph.ui.launch imports the heavy modules before the server starts, so the first
    visitor does not wait for them; a taken port is a clear error naming ``--port``.
    """
    from ..ui.launch import serve

    try:
        return serve(Path(__file__).resolve().parents[1] / "app.py", db, port, headless)
    except DebtorGraphError as exc:
        raise _fail(exc) from exc


@main.command()
@click.option("--port", type=int, default=None, help="端口，默认 STREAMLIT_SERVER_PORT 或 8501 / port (default "
              "STREAMLIT_SERVER_PORT, else 8501).")
@click.pass_obj
def app(obj: Context, port: int | None) -> None:
    """启动应用 / serve the investigator's app on 127.0.0.1.

    \b
    Example:
      debtorgraph --db ~/.debtorgraph/graph app --port 8501
    """
    sys.exit(serve_app(obj.db or setting("DEBTORGRAPH_DB"), port))


@main.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=None,
              help="演示目录 / demo folder (default ~/.debtorgraph/demo).")
@click.option("--seed", type=int, default=2024, show_default=True)
@click.option("--debtors", type=int, default=60, show_default=True)
@click.option("--port", type=int, default=None, help="端口，默认 STREAMLIT_SERVER_PORT 或 8501 / port.")
@click.option("--no-serve", is_flag=True, help="只生成和导入，不启动应用 / do not start the app.")
@guarded("load", targets=lambda kw: ["demo"])
def demo(folder: str | None, seed: int, debtors: int, port: int | None, no_serve: bool) -> None:
    """演示 / generate demo data, load it into a demo store and serve the app.

    \b
    Example:
      debtorgraph demo --port 8501
    """
    from ..graph.store.embedded import EmbeddedStore
    from ..synthetic import generate as make

    base = Path(folder or Path(setting("DEBTORGRAPH_HOME")) / "demo")
    data, db = base / "data", base / "graph"
    if not (data / "entities.ftm.jsonl").exists():
        click.echo(f"生成演示数据 generating demo data in {data} …")
        make(data, seed=seed, debtors=debtors)
    store = EmbeddedStore(db)
    try:
        report = load_files(store, [str(data / "entities.ftm.jsonl")], base / "rejects.jsonl",
                            show_progress=sys.stderr.isatty())
    finally:
        store.close()
    for line in report.lines():
        click.echo(line)
    if no_serve:
        return
    from ..ui.launch import choose_port

    click.echo(f"应用地址 app: http://127.0.0.1:{choose_port(port)}  (Ctrl+C 退出 to stop)")
    sys.exit(serve_app(str(db), port))


def _register_extensions() -> None:
    """Commands that live beside their feature (detect, trace, evidence, users, audit...)."""
    import importlib

    for module, names in EXTENSIONS:
        mod = importlib.import_module(module)  # a missing feature module is a broken build
        for name in names:
            main.add_command(guard_extension(getattr(mod, name)))


#: (module, command objects) registered on the main group.
EXTENSIONS: list[tuple[str, list[str]]] = [
    ("debtorgraph.cli.query", ["query"]),
    ("debtorgraph.cli.users", ["users"]),
    ("debtorgraph.cli.audit", ["audit"]),
    ("debtorgraph.cli.session", ["login", "logout", "whoami"]),
    ("debtorgraph.cli.store", ["init"]),
    ("debtorgraph.cli.evidence", ["evidence"]),
    ("debtorgraph.cli.detect", ["detect", "trace"]),
    ("debtorgraph.cli.candidates", ["candidates"]),
    ("debtorgraph.cli.inspect", ["inspect"]),
]

_register_extensions()

if __name__ == "__main__":  # pragma: no cover
    main()
