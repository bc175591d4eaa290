"""The CLI side of sessions: ``login``/``logout``/``whoami``, and :func:`guarded` for commands.

``@guarded("load", targets=...)`` on a click command: find who is acting
(:func:`.session.current`), check the permission, write a ``started`` audit entry, run
the command, and write a ``failed`` entry when it fails or a ``done`` entry with what
the command recorded through :func:`note`. A refusal is written too (``denied``). If
the audit log cannot be written, the command does not run.
"""
from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from ..errors import DebtorGraphError, PermissionDenied
from ..security import session
from ..security.masking import mask_data

log = logging.getLogger(__name__)

__all__ = ["guarded", "note", "guard_extension", "mask_rows", "mask_json", "masks_output", "masks_packet", "login", "logout", "whoami",
           "EXTENSION_ACTIONS"]

_IDENTITY = "debtorgraph.identity"
_NOTES = "debtorgraph.audit_notes"
#: Feature commands registered through cli.EXTENSIONS and the action each one is.
EXTENSION_ACTIONS: dict[str, str] = {
    "detect": "detect", "trace": "trace", "evidence": "export_evidence", "init": "load",
}
#: Parameter names that hold the case a command is about (investigators need one).
_CASE_PARAMS = ("case", "case_id", "case_number")
#: Parameter names whose values an audit entry names as targets (besides arguments).
_TARGET_PARAMS = _CASE_PARAMS + ("debtor", "subject", "person", "source", "out")
Targets = Callable[[dict[str, Any]], list[str]]

# The case number of a CourtCase. Params: $id. Columns: case_number.
CASE_NUMBER = "MATCH (c:Entity {id: $id}) WHERE c.schema = 'CourtCase' RETURN c.case_number"


def _why() -> str:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return str((root.params.get("why") if root else None) or "")


def identity() -> session.Identity:
    """Who the current command acts as (set by :func:`guarded`; else resolved now)."""
    ctx = click.get_current_context()
    found = ctx.find_root().meta.get(_IDENTITY)
    return found if found is not None else session.current()


def note(**details: Any) -> None:
    """Add details (a load id, counts) to the ``done`` audit entry of the running command."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().meta.setdefault(_NOTES, {}).update(details)


def _write(ident: session.Identity, action: str, targets: list[str], why: str,
           details: dict[str, Any]) -> None:
    try:
        session.audit(ident, action, targets, why, details=details)
    except (DebtorGraphError, OSError) as exc:
        raise click.ClickException(f"无法写入审计日志，操作未执行 / The audit log could not be "
                                   f"written, so nothing was done: {exc}") from exc


def guarded(action: str | None, *, targets: Targets | None = None,
            also: frozenset[str] = frozenset()) -> Callable[[Any], Any]:
    """Decorate a click callback: identity, permission, audit (see the module docstring).

    ``action`` None only requires a login (no permission, no audit entry): ``stats``.
    ``also`` names roles allowed beyond :data:`.users.PERMISSIONS` for this command. The
    case an investigator works in comes from a ``--case`` option (a case number or a
    CourtCase id: both are tried).
    """
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            ctx = click.get_current_context()
            try:
                ident = session.current()
            except PermissionDenied as exc:
                raise click.ClickException(str(exc)) from exc
            ctx.find_root().meta[_IDENTITY] = ident
            if action is None:
                return func(*args, **kwargs)
            what = [str(t) for t in (targets(kwargs) if targets else [])]
            case_id = _case_of(kwargs)
            why = _why()
            base = {"command": ctx.command_path.split(" ", 1)[-1]}
            if case_id:
                base["case"] = case_id
            try:
                names = _case_names(ctx, case_id) if case_id and ident.role == "investigator" \
                    else case_id
                session.authorize(ident, action, names, reason=why, also=also)
            except PermissionDenied as exc:
                _write(ident, action, what, why, dict(base, outcome="denied"))
                raise click.ClickException(str(exc)) from exc
            _write(ident, action, what, why, dict(base, outcome="started"))
            try:
                result = func(*args, **kwargs)
            except (Exception, click.exceptions.Exit, click.Abort) as exc:
                code = getattr(exc, "exit_code", 1)
                if code:
                    _write(ident, action, what, why, dict(base, outcome="failed",
                                                          error=type(exc).__name__,
                                                          message=str(exc)[:500]))
                raise
            notes = ctx.find_root().meta.pop(_NOTES, None)
            if notes:
                _write(ident, action, what, why, dict(base, outcome="done", **notes))
            return result
        return wrapper
    return decorate


def _case_of(kwargs: dict[str, Any]) -> str | None:
    for name in _CASE_PARAMS:
        value = kwargs.get(name)
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if value:
            return str(value)
    return None


def _case_names(ctx: click.Context, case_id: str) -> list[str]:
    """The case as given, and the case number of the CourtCase with that id, if any."""
    names = [case_id]
    opener = getattr(ctx.find_root().obj, "store", None)
    if opener is None:
        return names
    try:
        store = opener(read_only=True)
        try:
            rows = store.run_read(CASE_NUMBER, {"id": case_id}).rows
        finally:
            store.close()
    except DebtorGraphError:
        return names
    return names + [str(r[0]) for r in rows if r and r[0]]



def _generic_targets(cmd: click.Command) -> Targets:
    names = [p.name for p in cmd.params if isinstance(p, click.Argument) and p.name]
    names += [n for n in _TARGET_PARAMS if any(p.name == n for p in cmd.params)]

    def targets(kwargs: dict[str, Any]) -> list[str]:
        out: list[str] = []
        for n in names:
            value = kwargs.get(n)
            values = value if isinstance(value, (list, tuple)) else [value]
            out.extend(Path(v).name if isinstance(v, Path) else str(v) for v in values
                       if v not in (None, ""))
        return out
    return targets


def guard_extension(cmd: click.Command) -> click.Command:
    """Guard a feature command named in :data:`EXTENSION_ACTIONS`; others pass unchanged."""
    action = EXTENSION_ACTIONS.get(cmd.name or "")
    if action is None or cmd.callback is None or getattr(cmd.callback, "_guarded", False):
        return cmd
    wrapped = guarded(action, targets=_generic_targets(cmd))(cmd.callback)
    setattr(wrapped, "_guarded", True)
    cmd.callback = wrapped
    return cmd


# -- masking query output ----------------------------------------------------------------
def mask_json(value: Any) -> Any:
    """A JSON-like value (a finding, a trace) with identifiers masked, keys kept.

    >>> mask_json({"explanation": "转入账户 6222021234567890123", "amount": 5.0})
    {'explanation': '转入账户 ***************0123', 'amount': 5.0}
    """
    return mask_data(value)


def masks_output() -> bool:
    """True when the running command's output must be masked (accounts on: every role)."""
    return not session.sees_unmasked(identity())


def masks_packet() -> bool:
    """True when an evidence packet this command writes must be masked.

    Unmasked only in local mode, or for a role that may unmask (investigator, prosecutor)
    that gave its reason with ``--why`` (written to the audit log with the command).
    """
    ident = identity()
    if session.sees_unmasked(ident):
        return False
    from ..security.users import PERMISSIONS

    return not (ident.role in PERMISSIONS.get("unmask", frozenset()) and _why().strip())


def mask_rows(columns: list[str], rows: list[list[Any]]) -> list[list[Any]]:
    """Query rows with ID numbers, phones, accounts and e-mail addresses masked.

    Best effort: a query that cuts an identifier into pieces gets the pieces; the
    audit log keeps every query text, so that shows.

    >>> mask_rows(["n.props"], [['{"idNumber":["513338198001011234"],"name":["王某"]}']])
    [['{"idNumber":["513338********1234"],"name":["王某"]}']]
    """
    keys = [c.rsplit(".", 1)[-1] for c in columns]
    return [[mask_data(v, k) for v, k in zip(row, keys)] for row in rows]


# -- commands ----------------------------------------------------------------------------
def _stamp(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M") if epoch else "-"


@click.command("login")
@click.argument("name", required=False)
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行密码 / read the password "
              "from stdin.")
@click.option("--hours", type=float, default=session.SESSION_HOURS, show_default=True,
              help="登录有效时长（小时，至多 24）/ how long the login lasts (hours, at most 24).")
def login(name: str | None, password_stdin: bool, hours: float) -> None:
    """登录 / log in; later commands act as this account until logout or expiry.

    Only when accounts exist (<DEBTORGRAPH_HOME>/users.json); without them the CLI runs
    in single-user local mode as the operating-system user.

    \b
    Example:
      debtorgraph login wang
      printf '%s\\n' "$PW" | debtorgraph login li --password-stdin
    """
    if not session.accounts_enabled():
        raise click.ClickException(
            "尚无账户：单用户本机模式，无需登录 / No accounts: single-user local mode needs no "
            "login. Create an admin with `debtorgraph users add NAME --role admin`.")
    if name is None:
        name = str(click.prompt("用户名 / user name"))
    if password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
    else:
        password = str(click.prompt("密码 / password", hide_input=True))
    try:
        ident = session.login(name, password, hours=hours)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已登录 logged in: {ident.name} ({ident.role})，有效至 until {_stamp(ident.expires)}")


@click.command("logout")
@click.option("--everywhere", is_flag=True, help="换掉会话密钥，所有登录失效 / replace the session "
              "key: every login of every user ends.")
def logout(everywhere: bool) -> None:
    """退出登录 / log out (delete this user's session token).

    \b
    Example:
      debtorgraph logout
      debtorgraph logout --everywhere     # 管理员：结束所有会话
    """
    had = session.logout(everywhere=everywhere)
    click.echo("已退出 logged out" if had else "未登录 / not logged in")
    if everywhere:
        click.echo("会话密钥已删除，所有登录失效 / session key removed: every login has ended")


@click.command("whoami")
def whoami() -> None:
    """当前身份 / show who commands act as: the logged-in account, or local mode.

    \b
    Example:
      debtorgraph whoami
    """
    try:
        ident = session.current()
    except PermissionDenied as exc:
        raise click.ClickException(str(exc)) from exc
    if ident.local:
        click.echo(f"{ident.name}（单用户本机模式 / single-user local mode）")
        return
    cases = ", ".join(ident.cases) or "-"
    click.echo(f"{ident.name} ({ident.role})  案件 cases: {cases}  有效至 until {_stamp(ident.expires)}")
