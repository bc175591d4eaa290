"""``debtorgraph app`` and ``debtorgraph demo``: serve the Streamlit app (the demo first makes and loads its data)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import setting
from ..errors import DebtorGraphError
from .context import Context, fail
from .load import load_files
from .session import guarded

def serve_app(db: str, port: int | None, headless: bool = True) -> int:
    """Run the Streamlit app on 127.0.0.1 (blocking) and stop it with this process; its exit code.

    debtorgraph.ui.launch imports the heavy modules before the server starts, so the first
    visitor does not wait for them; a taken port is a clear error naming ``--port``.
    """
    from ..ui.launch import serve

    try:
        return serve(Path(__file__).resolve().parents[1] / "app.py", db, port, headless)
    except DebtorGraphError as exc:
        raise fail(exc) from exc


@click.command()
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


@click.command()
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
