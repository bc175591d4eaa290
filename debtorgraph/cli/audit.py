"""``debtorgraph audit ...``: check the audit log (the main CLI registers the group)."""
from __future__ import annotations

import logging
from pathlib import Path

import click

from ..errors import DebtorGraphError
from ..security.audit import default_audit_path, verify

log = logging.getLogger(__name__)


def _anchor(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    count, sep, digest = text.partition(":")
    if not sep or not count.isdigit() or len(digest) != 64:
        raise click.BadParameter("锚点格式为 条数:哈希 / an anchor is COUNT:HASH (64 hex digits), "
                                 "as printed by `debtorgraph audit head`.")
    return int(count), digest.lower()


@click.group("audit")
def audit() -> None:
    """审计日志 / the audit log of searches, views, unmasking, queries, exports and loads.

    \b
    Example:
      debtorgraph audit verify
      debtorgraph audit head        # 记下输出，日后用 --anchor 核对
    """


@audit.command("verify")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--anchor", default=None, help="先前记下的 条数:哈希 / a COUNT:HASH recorded "
              "earlier with `audit head`.")
@click.pass_context
def verify_cmd(ctx: click.Context, path: Path | None, anchor: str | None) -> None:
    """核验哈希链 / verify the hash chain; exit status 1 when a line was changed, removed,
    inserted or the file truncated.

    \b
    Example:
      debtorgraph audit verify
      debtorgraph audit verify /mnt/backup/audit.jsonl --anchor 1200:3f5a...e9
    """
    target = path or default_audit_path()
    try:
        result = verify(target, anchor=_anchor(anchor))
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{target}: {result.summary()}")
    for p in result.problems:
        where = f"第 {p.line} 行 line {p.line}: " if p.line else ""
        click.echo(f"  [{p.kind}] {where}{p.message}")
    if not result.ok:
        ctx.exit(1)


@audit.command("head")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def head_cmd(ctx: click.Context, path: Path | None) -> None:
    """打印锚点 / print COUNT:HASH of the log's last entry, to record outside the machine.

    \b
    Example:
      debtorgraph audit head >> /mnt/usb/audit-anchors.txt
    """
    target = path or default_audit_path()
    result = verify(target)
    click.echo(f"{result.count}:{result.last_hash}")
    if not result.ok:
        click.echo(result.summary(), err=True)
        ctx.exit(1)
