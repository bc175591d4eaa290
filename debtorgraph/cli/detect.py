"""The ``detect`` and ``trace`` commands (registered on the main group by cli.py)."""
from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from typing import Any

import click

from debtorgraph.errors import DebtorGraphError

log = logging.getLogger(__name__)

__all__ = ["detect", "trace"]

_RULE_CHOICES = ("libr", "fifo", "pro_rata", "greedy")


def _store(obj: Any) -> Any:
    if obj is None or not hasattr(obj, "store"):
        from debtorgraph.graph.store import open_store

        return open_store(None, read_only=True)
    return obj.store(read_only=True)


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise click.BadParameter(f"{value!r} 不是 ISO 日期（如 2023-06-01）/ not an ISO date such as 2023-06-01")
    return value


def _masking() -> Any:
    """Identifier masking for this command's output: with accounts on, the CLI shows masked
    ID, phone and account numbers to every role (docs/security.md section 4); unmasking is
    an act with a reason, in the app. Local mode (no accounts) prints them as stored."""
    from debtorgraph.cli.session import mask_json, masks_output

    return mask_json if masks_output() else (lambda value: value)


# The caption of entities. Params: $ids. Columns: id, caption.
CAPTIONS = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.caption AS caption"


def _captions(store: Any, ids: list[str]) -> dict[str, str]:
    """Display names of ``ids`` (holders and accounts of a trace), for people reading a table."""
    if not ids:
        return {}
    rows = store.run_read(CAPTIONS, {"ids": sorted(set(ids))}).rows
    return {str(i): str(c) for i, c in rows if c}


def _cols(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]], header: list[str]) -> str:
    cells = [header] + rows
    widths = [max(_cols(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - _cols(c)) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.command("detect")
@click.option("--debtor", default=None, help="只检测此被执行人（输入 id）/ only this debtor (id as loaded).")
@click.option("--case", "case_id", default=None, help="只看此案件（CourtCase id）/ only this case.")
@click.option("--rule", "rules", multiple=True, help="只运行此规则，可重复 / run only this rule (repeatable).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="最低分数，默认 0.5 / lowest score shown (default 0.5).")
@click.option("--leads", is_flag=True,
              help="列出待核查线索（低于阈值，附核实方法）/ list the leads to check instead of the findings.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.pass_obj
def detect(obj: Any, debtor: str | None, case_id: str | None, rules: tuple[str, ...],
           min_score: float | None, leads: bool, fmt: str) -> None:
    """检测转移、隐匿财产行为 / find acts of hiding or moving assets, scored and explained.

    Prints one finding per line (docs/interchange.md section 2): rule, score 0-1, the
    debtor, the acts (input ids), counterparties, amount, date, provisions, a Chinese and
    an English explanation, and the source document of every act.

    Leads are what only says "check this" (an asset held in the property report's
    look-back year, with no report in the data): they score under the threshold and
    are listed apart with --leads, each with what would confirm it.

    \b
    Example:
      debtorgraph detect --min-score 0.5 > findings.jsonl
      debtorgraph detect --debtor p-wang --rule related_party_payment --format table
      debtorgraph detect --leads --format table
    """
    from debtorgraph.analysis.detect import DEFAULT_THRESHOLD
    from debtorgraph.analysis.detect import detect as run
    from debtorgraph.analysis.neighbourhood.store import StoreSource, resolve
    from debtorgraph.analysis.rules import RULE_NAMES

    bad = [r for r in rules if r not in RULE_NAMES]
    if bad:
        raise click.BadParameter(f"未知规则 {bad[0]!r}；可选：{', '.join(RULE_NAMES)} / unknown rule",
                                 param_hint="--rule")
    threshold = DEFAULT_THRESHOLD if min_score is None else min_score
    store = _store(obj)
    try:
        subjects = [resolve(store, debtor)] if debtor else None
        found = run(StoreSource(store), subjects=subjects, case=case_id, rules=list(rules) or None,
                    min_score=0.0)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    lead_list = [f for f in found if f.lead]
    findings = [f for f in found if not f.lead and f.score >= threshold]
    shown = lead_list if leads else findings
    masked = _masking()
    if fmt == "jsonl":
        for f in shown:
            click.echo(json.dumps(masked(f.as_dict()), ensure_ascii=False))
    else:
        def cut(text: str) -> str:
            return text[:60] + ("…" if len(text) > 60 else "")

        rows = [[f"{f.score:.2f}", f.rule, f.subject, f.date, f"{f.amount:,.0f}",
                 cut(f.lead["confirm"] if leads and f.lead else f.explanation)] for f in shown]
        click.echo(_table(masked(rows), ["score", "rule", "subject", "date", "amount",
                                         "confirm" if leads else "explanation"]))
    if leads:
        click.echo(f"{len(lead_list)} 条待核查线索 / {len(lead_list)} leads to check", err=True)
    else:
        click.echo(f"{len(findings)} 条发现（分数 ≥ {threshold}）；另有 {len(lead_list)} 条待核查线索，"
                   f"用 --leads 查看 / {len(findings)} findings (score >= {threshold}); "
                   f"{len(lead_list)} leads (--leads)", err=True)


@click.command("trace")
@click.option("--from", "source", required=True, help="账户或当事人 id / account or party id.")
@click.option("--since", required=True, callback=_check_date, help="起始日期 / start date (ISO).")
@click.option("--until", default=None, callback=_check_date, help="截止日期（含）/ end date, inclusive.")
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

    store = _store(obj)
    try:
        wait = timedelta(hours=max_wait) if max_wait is not None else None
        result = trace_store(store, source, since, until, rule=rule, max_hops=max_hops, max_wait=wait)
        names = _captions(store, [str(x) for e in result["endpoints"] for x in (e["id"], e.get("holder")) if x]) \
            if fmt == "table" else {}
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    hubs, read = result.pop("hubs", []), result.pop("payments_read", 0)
    masked = _masking()
    result, hubs, names = masked(result), masked(hubs), masked(names)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        named = lambda i: f"{names[i]}（{i}）" if names.get(i) and names[i] != i else str(i or "")  # noqa: E731
        rows = [[named(e["id"]), named(e.get("holder")), f"{e['amount']:,.2f}", str(len(e["paths"])),
                 " > ".join(e["paths"][0]["payments"]) if e["paths"] else ""] for e in result["endpoints"]]
        click.echo(_table(rows, ["去向 endpoint", "持有人 holder", "金额 amount", "路径 paths", "第一条路径 first path"]))
    note = f"读取 {read} 笔交易 / {read} payments read"
    if hubs:
        note += f"；未展开的大额往来方 / not expanded (hubs): {', '.join(hubs[:5])}"
    click.echo(note, err=True)


