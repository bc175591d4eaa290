"""``debtorgraph detect``: findings, scored and explained (registered on the main group by cli.main)."""
from __future__ import annotations

import json
import logging
from typing import Any

import click

from debtorgraph.errors import DebtorGraphError

from .output import masking, read_store, table

log = logging.getLogger(__name__)

__all__ = ["detect"]


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
    from debtorgraph.analysis.neighbourhood.store import StoreSource, resolve, resolve_with_schema
    from debtorgraph.analysis.rules import RULE_NAMES

    bad = [r for r in rules if r not in RULE_NAMES]
    if bad:
        raise click.BadParameter(f"未知规则 {bad[0]!r}；可选：{', '.join(RULE_NAMES)} / unknown rule",
                                 param_hint="--rule")
    threshold = DEFAULT_THRESHOLD if min_score is None else min_score
    store = read_store(obj)
    try:
        subjects = [resolve(store, debtor)] if debtor else None
        if case_id and resolve_with_schema(store, case_id)[1] != "CourtCase":
            raise click.BadParameter(f"{case_id!r} 不是案件（CourtCase）/ not a CourtCase", param_hint="--case")
        found = run(StoreSource(store), subjects=subjects, case=case_id, rules=list(rules) or None,
                    min_score=0.0)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    lead_list = [f for f in found if f.lead]
    findings = [f for f in found if not f.lead and f.score >= threshold]
    shown = lead_list if leads else findings
    masked = masking()
    if fmt == "jsonl":
        for f in shown:
            click.echo(json.dumps(masked(f.as_dict()), ensure_ascii=False))
    else:
        def cut(text: str) -> str:
            return text[:60] + ("…" if len(text) > 60 else "")

        rows = [[f"{f.score:.2f}", f.rule, f.subject, f.date, f"{f.amount:,.0f}",
                 cut(f.lead["confirm"] if leads and f.lead else f.explanation)] for f in shown]
        click.echo(table(masked(rows), ["score", "rule", "subject", "date", "amount",
                                         "confirm" if leads else "explanation"]))
    if leads:
        click.echo(f"{len(lead_list)} 条待核查线索 / {len(lead_list)} leads to check", err=True)
    else:
        click.echo(f"{len(findings)} 条发现（分数 ≥ {threshold}）；另有 {len(lead_list)} 条待核查线索，"
                   f"用 --leads 查看 / {len(findings)} findings (score >= {threshold}); "
                   f"{len(lead_list)} leads (--leads)", err=True)
