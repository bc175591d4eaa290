"""Who runs a command: a logged-in account, or the operating-system user when there are none.

Two modes, decided by one file:

- **Accounts** (``<DEBTORGRAPH_HOME>/users.json`` exists): every command acts as the
  account that logged in with :func:`login`. The login writes a session token,
  ``<DEBTORGRAPH_HOME>/sessions/<uid>.token`` (one per operating-system user, mode
  0600): the account name, the issue and expiry times (8 hours by default), the uid,
  a fingerprint of the password record and a random nonce, signed with HMAC-SHA256
  under a 32-byte secret kept in ``<DEBTORGRAPH_HOME>/session.key`` (mode 0600, made
  at the first login). :func:`current` checks the signature, the expiry, the uid and
  that the account still exists with the same password, then takes the role and the
  cases from the accounts file *now*: removing an account, changing its password or
  its role takes effect on the next command. :func:`logout` deletes the token; with
  ``everywhere=True`` it also deletes the secret, which ends every session.
- **Single-user local mode** (no accounts file): the operating-system user
  (``os:<login>``) may do everything, and every action is still written to the audit
  log under that name. It is for one investigator on their own machine; creating the
  first account (``debtorgraph users add NAME --role admin``) ends it.

What a token does not do: whoever can read the secret file can forge tokens, and
whoever can read the store's files needs no token at all. The command-line roles hold
against people who use the CLI under a shared operating-system account on a court
terminal, not against its owner; file permissions (0600 on ``DEBTORGRAPH_HOME``) and
the app are the wall. See ``docs/security.md``.

>>> import tempfile, pathlib
>>> home = pathlib.Path(tempfile.mkdtemp())
>>> current(home).local
True
"""
from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import logging
import os
import secrets
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import setting
from ..errors import InvalidInput, PermissionDenied
from .users import PERMISSIONS, User, UserStore, require

log = logging.getLogger(__name__)

__all__ = ["Identity", "NotLoggedIn", "SESSION_HOURS", "accounts_enabled", "authorize",
           "audit", "current", "login", "logout", "os_user", "sees_unmasked", "session_path"]

#: Hours a login lasts.
SESSION_HOURS = 8.0
#: Longest a login may be asked to last.
MAX_SESSION_HOURS = 24.0
#: The role of the operating-system user in single-user local mode.
LOCAL_ROLE = "local"
_CLOCK_SKEW = 300  # seconds a token's issue time may lie in the future


class NotLoggedIn(PermissionDenied):
    """Accounts are on and there is no valid session: log in first."""


@dataclass(frozen=True)
class Identity:
    """Who is acting: an account, or the operating-system user in local mode."""

    name: str
    role: str
    cases: tuple[str, ...] = ()
    local: bool = False
    expires: float | None = None   # epoch seconds; None in local mode

    @property
    def user(self) -> User:
        """The account as :mod:`.users` sees it (local mode: a user with the local role)."""
        return User(self.name, self.role, self.cases)


def _home(home: str | Path | None) -> Path:
    return Path(home) if home is not None else Path(setting("DEBTORGRAPH_HOME"))


def os_user() -> str:
    """``os:<login name>`` (or ``os:uid-<n>`` when the name cannot be found)."""
    try:
        return "os:" + getpass.getuser()
    except (KeyError, OSError):
        return f"os:uid-{os.getuid()}"


def accounts_enabled(home: str | Path | None = None) -> bool:
    """True when an accounts file exists: commands then need a login."""
    return (_home(home) / "users.json").exists()


def session_path(home: str | Path | None = None) -> Path:
    """The token file of this operating-system user."""
    return _home(home) / "sessions" / f"{os.getuid()}.token"


def _key_path(home: Path) -> Path:
    return home / "session.key"


def _check_private(path: Path) -> None:
    st = os.stat(path)
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionDenied(
            f"{path} 须只属于当前用户（chmod 600）/ {path} must belong to you and be readable by "
            "you alone (chmod 600); it was not used.")


def _secret(home: Path, create: bool) -> bytes | None:
    path = _key_path(home)
    if create and not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another login made it just now
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
                fh.flush()
                os.fsync(fh.fileno())
    try:
        _check_private(path)
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < 32:
        raise PermissionDenied(f"会话密钥损坏：{path} / The session key {path} is damaged; "
                               "run `debtorgraph logout --everywhere` and log in again.")
    return data


def _sign(key: bytes, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def _fingerprint(users: UserStore, name: str) -> str | None:
    """A short hash of the account's password record (changes with every new password)."""
    # _read is the store's own locked-free reader of the file; same package, same format.
    rec = users._read()["users"].get(name)  # noqa: SLF001
    pw = (rec or {}).get("password") or {}
    if not pw.get("salt"):
        return None
    raw = f"{pw.get('salt')}:{pw.get('hash')}".encode("ascii", "replace")
    return hashlib.sha256(raw).hexdigest()[:32]


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".token.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def login(name: str, password: str, *, home: str | Path | None = None,
          hours: float = SESSION_HOURS, now: float | None = None) -> Identity:
    """Check the password, write this operating-system user's session token, log it.

    Parameters
    ----------
    name, password : str
    home : path, optional
        ``DEBTORGRAPH_HOME`` (the accounts file, the secret, the tokens, the audit log).
    hours : float
        How long the login lasts, at most :data:`MAX_SESSION_HOURS`.

    Returns
    -------
    Identity

    Raises
    ------
    PermissionDenied
        Wrong name or password (one message for both; written to the audit log as
        ``login_failed``).
    InvalidInput
        No accounts file (local mode has no logins), or ``hours`` out of range.
    """
    base = _home(home)
    if not accounts_enabled(base):
        raise InvalidInput("尚无账户，当前为单用户本机模式，无需登录；用 debtorgraph users add NAME --role "
                           "admin 创建管理员 / No accounts yet: single-user local mode needs no login. "
                           "Create an admin with `debtorgraph users add NAME --role admin`.")
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise InvalidInput(f"登录时长须在 0 到 {MAX_SESSION_HOURS:g} 小时之间：{hours} / A login lasts "
                           f"more than 0 and at most {MAX_SESSION_HOURS:g} hours, not {hours}.")
    users = UserStore(base / "users.json")
    try:
        user = users.authenticate(name, password)
    except PermissionDenied:
        audit(Identity(str(name)[:64], "unknown"), "login_failed", home=base,
              details={"via": "cli"})
        raise
    key = _secret(base, create=True)
    assert key is not None
    issued = time.time() if now is None else now
    expires = int(issued + hours * 3600)
    payload: dict[str, Any] = {"v": 1, "user": user.name, "uid": os.getuid(), "iat": int(issued),
                               "exp": expires, "pw": _fingerprint(users, user.name),
                               "nonce": secrets.token_hex(16)}
    token = dict(payload, sig=_sign(key, payload))
    _write_private(session_path(base), json.dumps(token, sort_keys=True).encode("utf-8"))
    ident = Identity(user.name, user.role, user.cases, expires=float(expires))
    audit(ident, "login", home=base, details={"via": "cli", "hours": hours})
    log.info("logged in (role %s)", user.role)
    return ident


def logout(home: str | Path | None = None, *, everywhere: bool = False) -> bool:
    """Delete this user's token (and with ``everywhere`` the secret); True if one existed."""
    base = _home(home)
    path = session_path(base)
    existed = path.exists()
    path.unlink(missing_ok=True)
    if everywhere:
        _key_path(base).unlink(missing_ok=True)
    return existed


def _refuse(why_zh: str, why_en: str) -> NotLoggedIn:
    return NotLoggedIn(f"{why_zh}，请先登录：debtorgraph login / {why_en}; log in first: "
                       "`debtorgraph login`.")


def current(home: str | Path | None = None, *, now: float | None = None) -> Identity:
    """The identity commands act as: the session's account, or the local OS user.

    Raises
    ------
    NotLoggedIn
        Accounts are on and the token is missing, expired, forged, another user's, or
        its account was removed or its password changed since the login.
    """
    base = _home(home)
    if not accounts_enabled(base):
        return Identity(os_user(), LOCAL_ROLE, local=True)
    path = session_path(base)
    try:
        _check_private(path)
        token = json.loads(path.read_text(encoding="utf-8"))
        key = _secret(base, create=False)
    except FileNotFoundError:
        raise _refuse("未登录", "Not logged in") from None
    except (ValueError, UnicodeDecodeError):
        raise _refuse("会话文件损坏", "The session file is damaged") from None
    if not isinstance(token, dict) or key is None:
        raise _refuse("会话无效", "The session is not valid")
    sig = str(token.pop("sig", ""))
    if not hmac.compare_digest(sig, _sign(key, token)):
        raise _refuse("会话签名不符", "The session signature does not match")
    moment = time.time() if now is None else now
    try:
        exp, iat, uid, name = float(token["exp"]), float(token["iat"]), token["uid"], str(token["user"])
    except (KeyError, TypeError, ValueError):
        raise _refuse("会话无效", "The session is not valid") from None
    if moment >= exp:
        raise _refuse("登录已过期", "The login has expired")
    if iat > moment + _CLOCK_SKEW or uid != os.getuid():
        raise _refuse("会话无效", "The session is not valid")
    users = UserStore(base / "users.json")
    user = users.get(name)
    if user is None or _fingerprint(users, name) != token.get("pw"):
        raise _refuse("账户已删除或密码已修改", "The account was removed or its password changed")
    return Identity(user.name, user.role, user.cases, expires=exp)


def authorize(ident: Identity, action: str, case_ids: str | list[str] | None = None, *,
              reason: str | None = None, also: frozenset[str] = frozenset()) -> None:
    """Raise PermissionDenied unless ``ident`` may do ``action`` (local mode may do all).

    Parameters
    ----------
    ident : Identity
    action : str
        A key of :data:`.users.PERMISSIONS`.
    case_ids : str or list of str, optional
        The case, or several names of the same case (its number and its CourtCase id):
        an investigator passes when one of them is assigned to them.
    reason : str, optional
        Why (``unmask`` needs one).
    also : frozenset of str
        Roles allowed on top of the table, for one command (the whole-graph export is
        the admin's as well as the prosecutor's).
    """
    if action not in PERMISSIONS:
        raise PermissionDenied(f"未知操作 {action!r} / Unknown action {action!r}: refused.")
    if ident.local or ident.role in also:
        return
    names: list[str | None] = [case_ids] if isinstance(case_ids, str) else list(case_ids or ())
    names = names or [None]
    for case_id in names[:-1]:
        try:
            require(ident.user, action, case_id, reason=reason)
            return
        except PermissionDenied:
            continue
    require(ident.user, action, names[-1], reason=reason)


def sees_unmasked(ident: Identity) -> bool:
    """True only in local mode: with accounts, query output is masked for every role.

    (Only analysts may query. Unmasking is an investigator's or prosecutor's act with a
    stated reason, in the app; the CLI offers none.)
    """
    return ident.local


def audit(ident: Identity, action: str, targets: Any = (), why: str = "", *,
          details: dict[str, Any] | None = None, home: str | Path | None = None) -> dict[str, Any]:
    """Append one entry to ``<home>/audit.jsonl`` as ``ident`` (masked by the log itself)."""
    from .audit import AuditLog

    info = {"role": ident.role, "mode": "local" if ident.local else "account"}
    info.update(details or {})
    return AuditLog(_home(home) / "audit.jsonl").append(ident.name, action, targets, why, info)
