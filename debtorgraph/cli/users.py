"""``debtorgraph users ...``: manage the local accounts (the main CLI registers the group).

Whoever can run these commands can write the users file, so the file's own permissions
(0600, in DEBTORGRAPH_HOME) are what guards them; each change is written to the audit
log with the operating-system user who made it.
"""
from __future__ import annotations

import getpass
import logging
import os
import sys
from pathlib import Path

import click

from ..errors import DebtorGraphError
from ..security.users import ROLES, UserStore

log = logging.getLogger(__name__)

_FILE_KEY = "debtorgraph.users_file"


def _store(ctx: click.Context) -> UserStore:
    return UserStore(ctx.meta.get(_FILE_KEY))


def _os_user() -> str:
    try:
        return "os:" + getpass.getuser()
    except (KeyError, OSError):
        return f"os:uid-{os.getuid()}"


def _audit(what: str, name: str, **details: object) -> None:
    from ..security.audit import AuditLog

    AuditLog().append(_os_user(), "manage_users", [name], why=what, details=dict(details))


def _password(password_stdin: bool, prompt: str) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))


@click.group("users")
@click.option("--file", "users_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="用户文件 / users file (default <DEBTORGRAPH_HOME>/users.json).")
@click.pass_context
def users(ctx: click.Context, users_file: Path | None) -> None:
    """本地账户 / manage local accounts (roles: investigator, prosecutor, analyst, admin).

    \b
    Example:
      debtorgraph users add zhang --role admin          # 第一个用户须为管理员
      debtorgraph users add wang --role investigator --case "(2022)川3338执123号"
      debtorgraph users list
    """
    ctx.meta[_FILE_KEY] = users_file


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="角色 / role.")
@click.option("--case", "cases", multiple=True, help="分配的案件，可重复 / assigned case (repeat).")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行密码 / read the password "
              "from stdin.")
@click.pass_context
def add_user(ctx: click.Context, name: str, role: str, cases: tuple[str, ...],
             password_stdin: bool) -> None:
    """新增用户 / add a user; the password is asked for (no default password).

    \b
    Example:
      debtorgraph users add wang --role investigator --case "(2022)川3338执123号"
      printf '%s\\n' "$PW" | debtorgraph users add li --role analyst --password-stdin
    """
    password = _password(password_stdin, "新密码 / new password")
    try:
        user = _store(ctx).add(name, role, password, cases)
        _audit("add user", name, role=role, cases=list(cases))
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已新增 added: {user.name} ({user.role})")


@users.command("remove")
@click.argument("name")
@click.pass_context
def remove_user(ctx: click.Context, name: str) -> None:
    """删除用户 / remove a user (not the last admin).

    \b
    Example:
      debtorgraph users remove wang
    """
    try:
        _store(ctx).remove(name)
        _audit("remove user", name)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已删除 removed: {name}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行密码 / read the password "
              "from stdin.")
@click.pass_context
def passwd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """修改密码 / set a new password for a user.

    \b
    Example:
      debtorgraph users passwd wang
    """
    password = _password(password_stdin, "新密码 / new password")
    try:
        _store(ctx).set_password(name, password)
        _audit("set password", name)
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"密码已修改 password changed: {name}")


@users.command("list")
@click.pass_context
def list_users(ctx: click.Context) -> None:
    """列出用户 / list users, their roles and cases (never passwords).

    \b
    Example:
      debtorgraph users list
    """
    try:
        accounts = _store(ctx).list()
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    if not accounts:
        click.echo("还没有用户；先用 users add NAME --role admin 创建管理员 / no users yet; "
                   "create an admin with `users add NAME --role admin`.")
        return
    width = max(len(u.name) for u in accounts)
    for u in accounts:
        click.echo(f"{u.name.ljust(width)}  {u.role.ljust(12)}  {', '.join(u.cases) or '-'}")


@users.command("assign")
@click.argument("name")
@click.argument("case_ids", nargs=-1)
@click.option("--add", "add_only", is_flag=True, help="追加而不是替换 / add to the cases "
              "instead of replacing them.")
@click.pass_context
def assign(ctx: click.Context, name: str, case_ids: tuple[str, ...], add_only: bool) -> None:
    """分配案件 / set the cases of an investigator (no case ids: none).

    \b
    Example:
      debtorgraph users assign wang "(2022)川3338执123号" "(2023)川3338执45号"
      debtorgraph users assign wang --add "(2024)川3338执7号"
    """
    try:
        user = _store(ctx).assign_cases(name, case_ids, replace=not add_only)
        _audit("assign cases", name, cases=list(user.cases))
    except DebtorGraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.name}: {', '.join(user.cases) or '-'}")
