"""``debtorgraph candidates``: possible duplicate people, and the decisions on them."""
from __future__ import annotations

import getpass
import json

import click

from ..errors import DebtorGraphError
from ..graph.candidates import DecisionStore, list_candidates

REASON_TEXT = {
    "same_name_birth_date": "同名且出生日期相同 / same name and birth date",
    "same_phone": "电话相同 / same phone",
    "same_name_address": "同名且地址相同 / same name and address",
}


@click.group("candidates", invoke_without_command=True)
@click.option("--all", "show_all", is_flag=True, help="也列出已决定的 / include decided pairs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def candidates(ctx: click.Context, show_all: bool, fmt: str) -> None:
    """疑似同一人 / people who may be one: list them, then confirm or reject.

    Names alone never merge two people. Pairs sharing a name and birth date, a phone,
    or a name and address are listed; decisions are kept and survive reloads.

    \b
    Example:
      debtorgraph candidates
      debtorgraph candidates confirm p-000012 le-3fa1 --reason "银行开户资料照片一致"
      debtorgraph candidates reject p-000012 p-000340 --reason "出生地不同"
    """
    if ctx.invoked_subcommand is not None:
        return
    store = ctx.obj.store(read_only=True)
    try:
        found = list_candidates(store, include_decided=show_all)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    if fmt == "json":
        for cand in found:
            click.echo(json.dumps(cand.as_dict(), ensure_ascii=False))
        return
    if not found:
        click.echo("没有待确认的疑似同一人 / no candidate pairs to decide")
        return
    for cand in found:
        why = "; ".join(REASON_TEXT.get(r, r) for r in cand.reasons)
        state = f"  [{cand.decision}]" if cand.decision else ""
        click.echo(f"{cand.a}  {cand.b}  {'/'.join(dict.fromkeys(cand.names))}  {why}{state}")


def _decide(a: str, b: str, decision: str, reason: str) -> None:
    try:
        entry = DecisionStore().decide(a, b, decision, by=getpass.getuser(), reason=reason)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(entry, ensure_ascii=False))


@candidates.command("confirm")
@click.argument("a")
@click.argument("b")
@click.option("--reason", default="", help="依据 / why they are one person.")
def confirm(a: str, b: str, reason: str) -> None:
    """确认为同一人 / record that A and B are the same person.

    \b
    Example:
      debtorgraph candidates confirm p-000012 le-3fa1 --reason "开户资料一致"
    """
    _decide(a, b, "same", reason)


@candidates.command("reject")
@click.argument("a")
@click.argument("b")
@click.option("--reason", default="", help="依据 / why they are different people.")
def reject(a: str, b: str, reason: str) -> None:
    """确认不是同一人 / record that A and B are different people.

    \b
    Example:
      debtorgraph candidates reject p-000012 p-000340 --reason "出生地不同"
    """
    _decide(a, b, "different", reason)
