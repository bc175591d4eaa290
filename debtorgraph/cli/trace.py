"""``debtorgraph trace``: money followed out of an account or party (LIBR, FIFO, pro rata, greedy)."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import click

from debtorgraph.errors import DebtorGraphError

from .output import captions, check_date, masking, read_store, table

__all__ = ["trace"]

_RULE_CHOICES = ("libr", "fifo", "pro_rata", "greedy")


@click.command("trace")
@click.option("--from", "source", required=True, help="账户或当事人 id / account or party id.")
@click.option("--since", required=True, callback=check_date, help="起始日期 / start date (ISO).")
@click.option("--until", default=None, callback=check_date, help="截止日期（含）/ end date, inclusive.")
@click.option("--rule", type=click.Choice(_RULE_CHOICES), default="libr", show_default=True,
              help="追踪规则 / tracing rule (docs/tracing.md).")
@click.option("--max-hops", type=click.IntRange(1, 50), default=None, help="最多跳数 / most hops.")
@click.option("--max-wait", type=click.FloatRange(0), default=None,
              help="每跳最长停留（小时）/ longest wait at an account between hops, in hours.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.pass_obj
def trace(obj: Any, source: str, since: str, until: str | None, rule: str, max_hops: int | None,
          max_wait: float | None, fmt: str) -> None:
    """追踪资金去向 / trace money out of an account or party (LIBR, FIFO, pro rata, greedy).

    Every debit from the source on or after --since is traced at its full amount and
    followed hop by hop under the rule (docs/tracing.md). JSON output is the
    trace of docs/interchange.md: endpoints with their holder, amount and payment paths.

    \b
    Example:
      debtorgraph trace --from acct-1 --since 2023-06-01 --rule libr --max-hops 6
      debtorgraph trace --from p-wang --since 2023-06-01 --until 2023-12-31 --format table
    """
    from debtorgraph.analysis.tracing.store import trace_store

    store = read_store(obj)
    try:
        wait = timedelta(hours=max_wait) if max_wait is not None else None
        result = trace_store(store, source, since, until, rule=rule, max_hops=max_hops, max_wait=wait)
        names = captions(store, [str(x) for e in result["endpoints"] for x in (e["id"], e.get("holder")) if x]) \
            if fmt == "table" else {}
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    hubs, read = result.pop("hubs", []), result.pop("payments_read", 0)
    masked = masking()
    result, hubs, names = masked(result), masked(hubs), masked(names)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        named = lambda i: f"{names[i]}（{i}）" if names.get(i) and names[i] != i else str(i or "")  # noqa: E731
        rows = [[named(e["id"]), named(e.get("holder")), f"{e['amount']:,.2f}", str(len(e["paths"])),
                 " > ".join(e["paths"][0]["payments"]) if e["paths"] else ""] for e in result["endpoints"]]
        click.echo(table(rows, ["去向 endpoint", "持有人 holder", "金额 amount", "路径 paths", "第一条路径 first path"]))
    note = f"读取 {read} 笔交易 / {read} payments read"
    if hubs:
        note += f"；未展开的大额往来方 / not expanded (hubs): {', '.join(hubs[:5])}"
    click.echo(note, err=True)
