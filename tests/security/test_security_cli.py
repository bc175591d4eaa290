"""``users`` and ``audit`` click commands (debtorgraph.cli.users, cli_audit)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from debtorgraph.config import reload_settings
from debtorgraph.security.audit import read_entries
from debtorgraph.cli.audit import audit
from debtorgraph.cli.users import users
from debtorgraph.security.users import UserStore


@pytest.fixture
def home(tmp_path, monkeypatch):
    """DEBTORGRAPH_HOME in a temporary folder (users file and audit log go there)."""
    monkeypatch.setenv("DEBTORGRAPH_HOME", str(tmp_path))
    reload_settings()
    yield tmp_path
    reload_settings()


@pytest.mark.parametrize("group, args", [
    (users, []), (users, ["add"]), (users, ["remove"]), (users, ["passwd"]),
    (users, ["list"]), (users, ["assign"]), (audit, []), (audit, ["verify"]), (audit, ["head"]),
])
def test_help_has_an_example(group, args):
    result = CliRunner().invoke(group, [*args, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_users_flow(home):
    run = CliRunner().invoke
    assert "no users yet" in run(users, ["list"]).output
    # the first account must be an admin, and has an explicit password
    refused = run(users, ["add", "wang", "--role", "investigator", "--password-stdin"],
                  input="wang-password-1\n")
    assert refused.exit_code == 1 and "first user must be an admin" in refused.output
    ok = run(users, ["add", "zhang", "--role", "admin", "--password-stdin"],
             input="correct horse battery\n")
    assert ok.exit_code == 0, ok.output
    # the interactive prompt hides the input and asks twice
    ok = run(users, ["add", "wang", "--role", "investigator", "--case", "(2022)川3338执123号"],
             input="wang-password-1\nwang-password-1\n")
    assert ok.exit_code == 0, ok.output
    assert "wang-password-1" not in ok.output
    assert run(users, ["assign", "wang", "--add", "(2023)川3338执45号"]).exit_code == 0
    listing = run(users, ["list"]).output
    assert "wang" in listing and "(2022)川3338执123号, (2023)川3338执45号" in listing
    assert run(users, ["passwd", "wang", "--password-stdin"], input="a-new-password\n").exit_code == 0
    store = UserStore(home / "users.json")
    assert store.authenticate("wang", "a-new-password").role == "investigator"
    assert run(users, ["remove", "wang"]).exit_code == 0
    assert [u.name for u in store.list()] == ["zhang"]
    assert "last admin" in run(users, ["remove", "zhang"]).output
    # every change is in the audit log, with the operating-system user
    entries = list(read_entries(home / "audit.jsonl"))
    assert [e["why"] for e in entries] == ["add user", "add user", "assign cases",
                                           "set password", "remove user"]
    assert all(e["action"] == "manage_users" and e["who"].startswith("os:") for e in entries)


def test_users_file_option(tmp_path, home):
    path = tmp_path / "elsewhere" / "accounts.json"
    result = CliRunner().invoke(users, ["--file", str(path), "add", "zhang", "--role", "admin",
                                        "--password-stdin"], input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert [u.name for u in UserStore(path).list()] == ["zhang"]


def test_audit_verify_and_head(home):
    run = CliRunner().invoke
    CliRunner().invoke(users, ["add", "zhang", "--role", "admin", "--password-stdin"],
                       input="correct horse battery\n")
    ok = run(audit, ["verify"])
    assert ok.exit_code == 0 and "intact: 1 entries" in ok.output
    anchor = run(audit, ["head"]).output.strip()
    assert run(audit, ["verify", "--anchor", anchor]).exit_code == 0
    log = home / "audit.jsonl"
    log.write_bytes(log.read_bytes().replace(b"add user", b"add useR"))
    bad = run(audit, ["verify", str(log)])
    assert bad.exit_code == 1
    assert "[changed]" in bad.output
    assert run(audit, ["verify", "--anchor", "nonsense"]).exit_code == 2
