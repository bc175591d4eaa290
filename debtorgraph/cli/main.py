"""The ``debtorgraph`` group, ``stats`` and ``generate``; the other commands live in their own
modules and are registered here (:data:`EXTENSIONS`). Every command's --help ends with an example."""
from __future__ import annotations

import json
import logging
import sys

import click

from .. import __version__
from ..errors import DebtorGraphError
from .context import Context, fail
from .session import guard_extension, guarded

log = logging.getLogger(__name__)


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
        raise fail(exc) from exc
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
    ("debtorgraph.cli.detect", ["detect"]),
    ("debtorgraph.cli.trace", ["trace"]),
    ("debtorgraph.cli.candidates", ["candidates"]),
    ("debtorgraph.cli.inspect", ["inspect"]),
    ("debtorgraph.cli.load", ["load"]),
    ("debtorgraph.cli.export", ["export"]),
    ("debtorgraph.cli.app", ["app", "demo"]),
]

_register_extensions()

if __name__ == "__main__":  # pragma: no cover
    main()
