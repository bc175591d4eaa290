"""Local accounts, roles and the permission table.

Accounts live in one JSON file the admin manages (``<DEBTORGRAPH_HOME>/users.json``),
written atomically with mode 0600. Passwords are stored as salted scrypt hashes
(``hashlib.scrypt``, a fresh 16-byte salt per password, cost parameters kept with each
hash so they can be raised later) and compared in constant time. There is no default
account and no default password: until the admin adds one, nobody can log in, and the
first account must be an admin.

Roles (:data:`ROLES`): ``investigator`` works the cases assigned to them and sees
identifiers masked unless they unmask with a stated reason; ``prosecutor`` exports
evidence; ``analyst`` runs Cypher on masked data; ``admin`` manages users and loads data.
:data:`PERMISSIONS` says which role may do what; :func:`require` enforces it.

>>> u = User("li", "analyst")
>>> can(u, "query"), can(u, "export_evidence")
(True, False)
"""
from __future__ import annotations

import base64
import builtins
import fcntl
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import setting
from ..errors import InvalidInput, PermissionDenied

log = logging.getLogger(__name__)

__all__ = ["ROLES", "PERMISSIONS", "CASE_SCOPED", "User", "UserStore", "require", "can",
           "default_users_path"]

ROLES: tuple[str, ...] = ("investigator", "prosecutor", "analyst", "admin")

#: Which roles may do each action. Data, not code: the app reads it to grey out buttons.
PERMISSIONS: dict[str, frozenset[str]] = {
    "search": frozenset({"investigator", "prosecutor", "analyst"}),
    "view_person": frozenset({"investigator", "prosecutor", "analyst"}),
    "unmask": frozenset({"investigator", "prosecutor"}),
    "query": frozenset({"analyst"}),
    "export_evidence": frozenset({"prosecutor"}),
    "load": frozenset({"admin"}),
    "manage_users": frozenset({"admin"}),
    "detect": frozenset({"investigator", "prosecutor", "analyst"}),
    "trace": frozenset({"investigator", "prosecutor", "analyst"}),
}
#: Actions an investigator may take only inside a case assigned to them.
CASE_SCOPED: frozenset[str] = frozenset({"search", "view_person", "unmask", "detect", "trace"})

#: scrypt cost: N=2**15, r=8, p=1 uses 32 MiB and about 0.1 s per hash.
SCRYPT_N = 2 ** 15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_NAME_RE = re.compile(r"[\w.\-]{1,64}")
_BAD_LOGIN = "用户名或密码错误 / Wrong user name or password."
#: Wrong passwords in a row that lock an account, and for how long (seconds).
MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 15 * 60


@dataclass(frozen=True)
class User:
    """An account as the rest of the program sees it: no password material."""

    name: str
    role: str
    cases: tuple[str, ...] = ()


def default_users_path() -> Path:
    """``<DEBTORGRAPH_HOME>/users.json``."""
    return Path(setting("DEBTORGRAPH_HOME")) / "users.json"


def normalise_case(case_id: str) -> str:
    """Case ids compare after NFKC (full-width brackets) and without spaces.

    >>> normalise_case("（2022）川3338执 123号") == normalise_case("(2022)川3338执123号")
    True
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", case_id))


def can(user: User, action: str, case_id: str | None = None) -> bool:
    """True when the role (and, for investigators, the case) allows ``action``.

    For the app, to show or hide a button; a reason to unmask is asked for afterwards.
    """
    try:
        _check_role_and_case(user, action, case_id)
    except PermissionDenied:
        return False
    return True


def require(user: User, action: str, case_id: str | None = None, *,
            reason: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may do ``action``.

    Parameters
    ----------
    user : User
    action : str
        A key of :data:`PERMISSIONS`; an unknown action is refused.
    case_id : str, optional
        The case the action is about. Investigators need it for the actions in
        :data:`CASE_SCOPED`, and it must be one of their cases.
    reason : str, optional
        Why; ``unmask`` is refused without one.

    Examples
    --------
    >>> wang = User("wang", "investigator", ("(2022)川3338执123号",))
    >>> require(wang, "view_person", "（2022）川3338执123号")
    >>> require(wang, "view_person", "(2023)川3338执9号")
    Traceback (most recent call last):
    ...
    debtorgraph.errors.PermissionDenied: 无权访问案件 (2023)川3338执9号：未分配给用户 wang / Permission denied: case (2023)川3338执9号 is not assigned to wang.
    """
    _check_role_and_case(user, action, case_id)
    if action == "unmask" and not (reason and reason.strip()):
        raise PermissionDenied("查看完整身份信息须说明理由 / A reason is required to unmask "
                               "identifiers.")


def _check_role_and_case(user: User, action: str, case_id: str | None) -> None:
    roles = PERMISSIONS.get(action)
    if roles is None:
        raise PermissionDenied(f"未知操作 {action!r} / Unknown action {action!r}: refused.")
    if user.role not in roles:
        raise PermissionDenied(
            f"权限不足：角色 {user.role} 不能执行 {action} / Permission denied: "
            f"the role {user.role} may not {action} (allowed: {', '.join(sorted(roles))}).")
    if user.role == "investigator" and action in CASE_SCOPED:
        if not case_id:
            raise PermissionDenied(
                f"请先选择案件：{action} 仅限分配给您的案件 / Choose a case first: "
                f"investigators may {action} only within their assigned cases.")
        if normalise_case(case_id) not in {normalise_case(c) for c in user.cases}:
            raise PermissionDenied(
                f"无权访问案件 {case_id}：未分配给用户 {user.name} / Permission denied: "
                f"case {case_id} is not assigned to {user.name}.")


def _hash_password(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * r * n + (1 << 20), dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class UserStore:
    """The accounts file. Every change is a locked read-modify-write and an atomic replace.

    Parameters
    ----------
    path : path, optional
        The JSON file; default :func:`default_users_path`.
    scrypt_n : int
        scrypt cost for new hashes (tests lower it; stored hashes keep their own).
    """

    def __init__(self, path: str | Path | None = None, *, scrypt_n: int = SCRYPT_N) -> None:
        self.path = Path(path) if path is not None else default_users_path()
        self.scrypt_n = scrypt_n

    # -- file ------------------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": 1, "users": {}}
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise InvalidInput(f"用户文件损坏：{self.path} / The users file {self.path} is not "
                               f"valid JSON ({exc}).") from exc
        if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
            raise InvalidInput(f"用户文件格式不对：{self.path} / The users file {self.path} has "
                               "no 'users' mapping.")
        return data

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".users.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """Hold the lock file while the caller changes the accounts, then write them."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        with open(lock, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            data = self._read()
            yield data
            self._write(data)

    # -- accounts --------------------------------------------------------------------
    def _record(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        rec: dict[str, Any] | None = data["users"].get(name)
        if rec is None:
            raise InvalidInput(f"没有用户 {name} / No user named {name!r}.")
        return rec

    def _password_record(self, name: str, password: str) -> dict[str, Any]:
        if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise InvalidInput(f"密码长度须为 {MIN_PASSWORD} 到 {MAX_PASSWORD} 个字符 / The "
                               f"password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters.")
        if password.strip().casefold() == name.casefold():
            raise InvalidInput("密码不能与用户名相同 / The password must differ from the user name.")
        salt = secrets.token_bytes(16)
        digest = _hash_password(password, salt, self.scrypt_n, SCRYPT_R, SCRYPT_P)
        return {"alg": "scrypt", "n": self.scrypt_n, "r": SCRYPT_R, "p": SCRYPT_P,
                "salt": _b64(salt), "hash": _b64(digest)}

    def add(self, name: str, role: str, password: str,
            cases: Iterable[str] | None = None) -> User:
        """Create an account; the first account of a store must be an ``admin``."""
        if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
            raise InvalidInput(f"用户名只能含字母、数字、_ . -，最长 64 个字符：{name!r} / A user "
                               f"name has 1-64 letters, digits, '_', '.' or '-': {name!r}.")
        if role not in ROLES:
            raise InvalidInput(f"未知角色 {role!r}，可选：{', '.join(ROLES)} / Unknown role "
                               f"{role!r}; choose one of {', '.join(ROLES)}.")
        pw = self._password_record(name, password)
        case_list = [c.strip() for c in cases or () if c and c.strip()]
        with self._locked() as data:
            if name in data["users"]:
                raise InvalidInput(f"用户 {name} 已存在 / The user {name!r} exists already.")
            if not data["users"] and role != "admin":
                raise InvalidInput("第一个用户必须是管理员（admin） / The first user must be an "
                                   "admin.")
            data["users"][name] = {"role": role, "cases": case_list, "password": pw}
        log.info("user added (role %s)", role)
        return User(name, role, tuple(case_list))

    def remove(self, name: str) -> None:
        """Delete an account; the last admin cannot be removed."""
        with self._locked() as data:
            rec = self._record(data, name)
            admins = [n for n, r in data["users"].items() if r.get("role") == "admin"]
            if rec.get("role") == "admin" and admins == [name]:
                raise InvalidInput("不能删除最后一个管理员 / The last admin cannot be removed.")
            del data["users"][name]
        log.info("user removed")

    def set_password(self, name: str, password: str) -> None:
        """Replace the password (new salt, current cost)."""
        pw = self._password_record(name, password)
        with self._locked() as data:
            rec = self._record(data, name)
            rec["password"] = pw
            rec.pop("failed", None)
            rec.pop("locked_until", None)
        log.info("password changed")

    def assign_cases(self, name: str, case_ids: Iterable[str], *, replace: bool = True) -> User:
        """Set the cases of ``name`` to ``case_ids`` (or add them, with ``replace=False``)."""
        new = [c.strip() for c in case_ids if c and c.strip()]
        with self._locked() as data:
            rec = self._record(data, name)
            cases = [] if replace else list(rec.get("cases", []))
            seen = {normalise_case(c) for c in cases}
            for c in new:
                if normalise_case(c) not in seen:
                    cases.append(c)
                    seen.add(normalise_case(c))
            rec["cases"] = cases
        log.info("cases assigned: %d", len(cases))
        return User(name, rec["role"], tuple(cases))

    def get(self, name: str) -> User | None:
        """The account, or None."""
        rec = self._read()["users"].get(name)
        return None if rec is None else User(name, rec["role"], tuple(rec.get("cases", ())))

    def list(self) -> builtins.list[User]:
        """Every account, by name."""
        users = self._read()["users"]
        return [User(n, r["role"], tuple(r.get("cases", ()))) for n, r in sorted(users.items())]

    def authenticate(self, name: str, password: str, *, now: float | None = None) -> User:
        """The account when the password is right; else PermissionDenied (same message for
        an unknown user, after the same work, so names cannot be probed).

        After :data:`MAX_FAILED_LOGINS` wrong passwords in a row an account is locked for
        :data:`LOCKOUT_SECONDS` (a new password, set by an admin, unlocks it at once).
        """
        now = time.time() if now is None else now
        rec = self._read()["users"].get(name) if isinstance(name, str) else None
        locked_until = float((rec or {}).get("locked_until") or 0)
        if rec is not None and locked_until > now:
            minutes = max(1, round((locked_until - now) / 60))
            log.info("login refused: account locked")
            raise PermissionDenied(f"密码错误次数过多，账户已锁定，请 {minutes} 分钟后再试或请管理员重设密码 / "
                                   f"Too many wrong passwords: the account is locked for {minutes} "
                                   "more minute(s), or until an admin sets a new password.")
        pw = (rec or {}).get("password") or {}
        try:
            salt = base64.b64decode(pw["salt"])
            expected = base64.b64decode(pw["hash"])
            n, r, p = int(pw["n"]), int(pw["r"]), int(pw["p"])
            if pw.get("alg") != "scrypt" or not (2 <= n <= 2 ** 20 and 1 <= r <= 32 and 1 <= p <= 16):
                raise ValueError("scrypt parameters out of range")
        except (KeyError, ValueError, TypeError):
            salt, expected, n, r, p = b"\0" * 16, b"\1" * 32, self.scrypt_n, SCRYPT_R, SCRYPT_P
            rec = None
        given = password if isinstance(password, str) and len(password) <= MAX_PASSWORD else ""
        digest = _hash_password(given, salt, n, r, p)
        if rec is None or not hmac.compare_digest(digest, expected):
            log.info("login refused")
            if rec is not None:
                self._count_failure(name, now)
            raise PermissionDenied(_BAD_LOGIN)
        if rec.get("failed") or rec.get("locked_until"):
            with self._locked() as data:
                found = data["users"].get(name)
                if found is not None:
                    found.pop("failed", None)
                    found.pop("locked_until", None)
        return User(name, rec["role"], tuple(rec.get("cases", ())))

    def _count_failure(self, name: str, now: float) -> None:
        with self._locked() as data:
            rec = data["users"].get(name)
            if rec is None:
                return
            rec["failed"] = int(rec.get("failed") or 0) + 1
            if rec["failed"] >= MAX_FAILED_LOGINS:
                rec["locked_until"] = now + LOCKOUT_SECONDS
                rec["failed"] = 0
                log.warning("account locked after %d wrong passwords", MAX_FAILED_LOGINS)
