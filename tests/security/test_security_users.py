"""Accounts, password hashing and the permission table (debtorgraph.security.users)."""
from __future__ import annotations

import base64
import json
import stat

import pytest

from debtorgraph.errors import InvalidInput, PermissionDenied
from debtorgraph.security.users import PERMISSIONS, ROLES, User, UserStore, can, require

CASE = "(2022)川3338执123号"
OTHER_CASE = "(2023)川3338执45号"
PASSWORD = "correct horse battery"


@pytest.fixture
def store(tmp_path):
    """An empty accounts file with a cheap scrypt cost (the cost is stored per hash)."""
    return UserStore(tmp_path / "users.json", scrypt_n=2 ** 10)


@pytest.fixture
def staffed(store):
    """One account per role; the investigator has one case."""
    store.add("zhang", "admin", PASSWORD)
    store.add("wang", "investigator", "wang-password-1", cases=[CASE])
    store.add("zhao", "prosecutor", "zhao-password-1")
    store.add("li", "analyst", "li-password-12")
    return store


# The table is written out here, not derived from PERMISSIONS, so a change to the
# permissions has to be made twice, on purpose.
EXPECTED = {
    "investigator": {"search", "view_person", "unmask", "detect", "trace"},
    "prosecutor": {"search", "view_person", "unmask", "export_evidence", "detect", "trace"},
    "analyst": {"search", "view_person", "query", "detect", "trace"},
    "admin": {"load", "manage_users"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_each_role_allowed_and_refused(role, action):
    # investigators act inside their case; unmasking always carries a reason
    user = User("u", role, (CASE,))
    if action in EXPECTED[role]:
        require(user, action, CASE, reason="核对身份")
        assert can(user, action, CASE)
    else:
        with pytest.raises(PermissionDenied, match=r"权限不足.*Permission denied"):
            require(user, action, CASE, reason="核对身份")


def test_investigator_only_in_assigned_cases():
    wang = User("wang", "investigator", (CASE,))
    require(wang, "view_person", CASE)
    # full-width brackets and spaces name the same case (interchange.md)
    require(wang, "view_person", "（2022）川3338执 123号")
    with pytest.raises(PermissionDenied, match="not assigned to wang"):
        require(wang, "view_person", OTHER_CASE)
    with pytest.raises(PermissionDenied, match="Choose a case first"):
        require(wang, "search")
    # other roles are not scoped to cases
    require(User("li", "analyst"), "search")


def test_unmask_needs_a_reason():
    zhao = User("zhao", "prosecutor")
    with pytest.raises(PermissionDenied, match="reason is required"):
        require(zhao, "unmask")
    with pytest.raises(PermissionDenied, match="reason is required"):
        require(zhao, "unmask", reason="   ")
    require(zhao, "unmask", reason="移送公安 / referral to the police")


def test_unknown_action_is_refused():
    with pytest.raises(PermissionDenied, match="Unknown action"):
        require(User("zhang", "admin"), "drop_everything")


def test_no_default_user(store):
    assert store.list() == []
    assert not store.path.exists()
    for name, pw in [("admin", "admin"), ("admin", ""), ("root", "password")]:
        with pytest.raises(PermissionDenied):
            store.authenticate(name, pw)


def test_first_user_must_be_admin(store):
    with pytest.raises(InvalidInput, match="first user must be an admin"):
        store.add("wang", "investigator", "wang-password-1")
    store.add("zhang", "admin", PASSWORD)
    store.add("wang", "investigator", "wang-password-1")


def test_authenticate(staffed):
    user = staffed.authenticate("wang", "wang-password-1")
    assert user == User("wang", "investigator", (CASE,))


@pytest.mark.parametrize("name, password", [
    ("wang", "wang-password-2"),   # wrong password
    ("wang", ""),                  # empty password
    ("nobody", "wang-password-1"),  # unknown user: same message, so names cannot be probed
    ("wang", "x" * 5000),          # absurdly long input
])
def test_wrong_login_refused(staffed, name, password):
    with pytest.raises(PermissionDenied, match="用户名或密码错误 / Wrong user name or password"):
        staffed.authenticate(name, password)


def test_hash_is_salted_and_not_the_password(store):
    store.add("zhang", "admin", PASSWORD)
    store.add("zhao", "prosecutor", PASSWORD)
    raw = store.path.read_text(encoding="utf-8")
    assert PASSWORD not in raw
    assert base64.b64encode(PASSWORD.encode()).decode() not in raw
    users = json.loads(raw)["users"]
    a, b = users["zhang"]["password"], users["zhao"]["password"]
    assert a["alg"] == "scrypt"
    assert a["salt"] != b["salt"]           # same password, different salts
    assert a["hash"] != b["hash"]           # so different hashes
    assert len(base64.b64decode(a["salt"])) == 16


def test_default_cost_round_trip(tmp_path):
    # the real cost (N=2**15) once, to be sure the memory limit passed to scrypt suffices
    store = UserStore(tmp_path / "users.json")
    store.add("zhang", "admin", PASSWORD)
    assert json.loads(store.path.read_text())["users"]["zhang"]["password"]["n"] == 2 ** 15
    assert store.authenticate("zhang", PASSWORD).role == "admin"


def test_users_file_round_trip(staffed):
    again = UserStore(staffed.path)
    assert [u.name for u in again.list()] == ["li", "wang", "zhang", "zhao"]
    assert again.get("wang") == User("wang", "investigator", (CASE,))
    assert again.get("nobody") is None
    assert stat.S_IMODE(staffed.path.stat().st_mode) == 0o600


def test_set_password(staffed):
    staffed.set_password("wang", "a-new-password")
    with pytest.raises(PermissionDenied):
        staffed.authenticate("wang", "wang-password-1")
    assert staffed.authenticate("wang", "a-new-password").name == "wang"


def test_assign_cases(staffed):
    assert staffed.assign_cases("wang", [OTHER_CASE]).cases == (OTHER_CASE,)
    # adding a case already there (written with full-width brackets) does not duplicate it
    user = staffed.assign_cases("wang", [CASE, "（2023）川3338执45号"], replace=False)
    assert user.cases == (OTHER_CASE, CASE)
    assert staffed.authenticate("wang", "wang-password-1").cases == (OTHER_CASE, CASE)


def test_remove(staffed):
    staffed.remove("wang")
    assert staffed.get("wang") is None
    with pytest.raises(InvalidInput, match="No user named"):
        staffed.remove("wang")
    with pytest.raises(InvalidInput, match="last admin"):
        staffed.remove("zhang")


@pytest.mark.parametrize("name, role, password, message", [
    ("wang", "investigator", "short", "10 to 1024 characters"),      # too short
    ("wang", "boss", "wang-password-1", "Unknown role"),              # no such role
    ("wang wang", "analyst", "wang-password-1", "user name has"),     # space in the name
    ("../etc", "analyst", "wang-password-1", "user name has"),        # path characters
    ("zhang", "analyst", "wang-password-1", "exists already"),        # duplicate
    ("wangwangwang", "analyst", "WangWangWang", "differ from the user name"),
])
def test_add_refuses(staffed, name, role, password, message):
    with pytest.raises(InvalidInput, match=message):
        staffed.add(name, role, password)


def test_damaged_file_is_reported(tmp_path):
    path = tmp_path / "users.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        UserStore(path).list()


def test_five_wrong_passwords_lock_the_account_for_a_while(staffed):
    from debtorgraph.security.users import LOCKOUT_SECONDS, MAX_FAILED_LOGINS

    name, good = "li", "li-password-12"
    t0 = 1_000_000.0
    for i in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(PermissionDenied, match="Wrong user name or password"):
            staffed.authenticate(name, "wrong-password", now=t0 + i)
    assert staffed.authenticate(name, good, now=t0 + 10).name == name  # a success resets the count
    for i in range(MAX_FAILED_LOGINS):
        with pytest.raises(PermissionDenied, match="Wrong user name or password"):
            staffed.authenticate(name, "wrong-password", now=t0 + 20 + i)
    with pytest.raises(PermissionDenied, match="locked"):  # even the right password, for now
        staffed.authenticate(name, good, now=t0 + 30)
    assert staffed.authenticate(name, good, now=t0 + 30 + LOCKOUT_SECONDS).name == name
    for i in range(MAX_FAILED_LOGINS):
        with pytest.raises(PermissionDenied):
            staffed.authenticate(name, "wrong-password", now=t0 + 5000 + i)
    staffed.set_password(name, "a brand new password")  # an admin's reset unlocks at once
    assert staffed.authenticate(name, "a brand new password", now=t0 + 5010).name == name
    with pytest.raises(PermissionDenied, match="Wrong user name"):  # unknown names never lock
        for _ in range(MAX_FAILED_LOGINS + 1):
            staffed.authenticate("nobody", "x", now=t0)
