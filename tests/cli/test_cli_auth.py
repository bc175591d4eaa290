"""Accounts on the command line: login sessions, permissions per command, the audit trail.

Most cases run the click group in-process (CliRunner, real store, real files); one runs
the CLI as a subprocess from login to `audit verify`.
"""
from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from debtorgraph.cli import main
from debtorgraph.config import reload_settings
from debtorgraph.security import session
from debtorgraph.security.audit import read_entries, verify
from debtorgraph.security.users import UserStore

from ftm_fixtures import write_ftm

ID_WANG = "11010519491231002X"       # a valid resident ID (GB 11643)
PHONE_WANG = "+8613912345678"
CASE_NO = "(2022)川3338执123号"
PEOPLE = [
    {"id": "p-wang", "schema": "Person",
     "properties": {"name": ["王某某"], "idNumber": [ID_WANG], "phone": [PHONE_WANG]}},
    {"id": "p-li", "schema": "Person", "properties": {"name": ["李某"]}},
    {"id": "case-1", "schema": "CourtCase", "properties": {"name": ["王某某执行案"],
                                                           "caseNumber": [CASE_NO]}},
    {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p-wang"], "beneficiary": ["p-li"],
                                                        "amount": ["48000"], "date": ["2023-05-01"]}},
]
PASSWORDS = {"boss": "boss-password-1", "li": "analyst-password", "zhao": "prosecutor-pass",
             "wang": "investigator-pw"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("DEBTORGRAPH_HOME", str(folder))
    monkeypatch.setenv("DEBTORGRAPH_DB", str(tmp_path / "db"))
    monkeypatch.delenv("DEBTORGRAPH_WHY", raising=False)
    reload_settings()
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_ftm(tmp_path / "people.ftm.jsonl", PEOPLE)


@pytest.fixture
def accounts(home: Path) -> UserStore:
    """An admin, an analyst, a prosecutor and an investigator with one case (cheap hashes)."""
    store = UserStore(home / "users.json", scrypt_n=2 ** 10)
    store.add("boss", "admin", PASSWORDS["boss"])
    store.add("li", "analyst", PASSWORDS["li"])
    store.add("zhao", "prosecutor", PASSWORDS["zhao"])
    store.add("wang", "investigator", PASSWORDS["wang"], cases=["（2022）川3338执 123号"])
    return store


def cli(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def login(name: str) -> None:
    result = cli("login", name, "--password-stdin", stdin=PASSWORDS[name] + "\n")
    assert result.exit_code == 0, result.output


def entries(home: Path) -> list[dict]:
    return list(read_entries(home / "audit.jsonl"))


@pytest.mark.parametrize("command", ["login", "logout", "whoami"])
def test_session_commands_have_help_with_an_example(command: str) -> None:
    out = cli(command, "--help").output
    assert "Example:" in out and f"debtorgraph {command}" in out


def test_local_mode_runs_as_the_os_user_and_still_audits(home: Path, data: Path) -> None:
    assert cli("--help").output.count("single-user local") == 1
    assert cli("load", str(data)).exit_code == 0
    out = cli("query", "MATCH (n:Entity) WHERE n.id = 'p-wang' RETURN n.props").output
    assert ID_WANG in out                        # the owner of a local store sees it all
    log = entries(home)
    assert [(e["action"], e["details"]["outcome"]) for e in log] == [
        ("load", "started"), ("load", "done"), ("query", "started")]
    assert all(e["who"] == session.os_user() and e["details"]["mode"] == "local" for e in log)
    assert log[1]["details"]["loaded"] == 4 and log[1]["details"]["load_id"]
    assert log[0]["targets"] == ["people.ftm.jsonl"]
    assert verify(home / "audit.jsonl").ok
    assert "single-user local mode" in cli("whoami").output
    assert cli("login", "boss", "--password-stdin", stdin="x\n").exit_code == 1


def test_with_accounts_every_store_command_needs_a_login(accounts: UserStore, home: Path,
                                                         data: Path) -> None:
    for args in (["load", str(data)], ["stats"], ["query", "MATCH (n) RETURN 1"], ["export"]):
        result = cli(*args)
        assert result.exit_code == 1 and "log in first" in result.output, args
    assert not (home / "audit.jsonl").exists() or entries(home) == []


def test_login_token_is_private_signed_and_audited(accounts: UserStore, home: Path) -> None:
    bad = cli("login", "li", "--password-stdin", stdin="wrong-password\n")
    assert bad.exit_code == 1 and "Wrong user name or password" in bad.output
    login("li")
    token = session.session_path(home)
    for path in (token, home / "session.key"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert PASSWORDS["li"] not in token.read_text()
    assert "li (analyst)" in cli("whoami").output
    assert [e["action"] for e in entries(home)] == ["login_failed", "login"]
    # a token edited by hand to another account is refused
    forged = json.loads(token.read_text())
    forged["user"] = "boss"
    token.write_text(json.dumps(forged))
    result = cli("load", "x")
    assert result.exit_code != 0
    assert "signature" in cli("whoami").output


def test_sessions_end_on_expiry_logout_password_change_and_removal(accounts: UserStore,
                                                                   home: Path) -> None:
    login("li")
    assert session.current().name == "li"
    with pytest.raises(session.NotLoggedIn, match="expired"):
        session.current(now=time.time() + 8 * 3600 + 1)
    accounts.set_password("li", "a-new-password-2")
    with pytest.raises(session.NotLoggedIn, match="password changed"):
        session.current()
    result = cli("login", "li", "--password-stdin", stdin="a-new-password-2\n")
    assert result.exit_code == 0
    accounts.assign_cases("li", [])       # role and cases are read at each command
    assert session.current().role == "analyst"
    accounts.remove("li")
    with pytest.raises(session.NotLoggedIn, match="removed"):
        session.current()
    login("zhao")
    assert "logged out" in cli("logout").output
    with pytest.raises(session.NotLoggedIn):
        session.current()
    login("zhao")
    cli("logout", "--everywhere")
    assert not (home / "session.key").exists()
    with pytest.raises(session.NotLoggedIn):
        session.current()
    with pytest.raises(Exception, match="at most 24"):
        session.login("zhao", PASSWORDS["zhao"], hours=100)


def test_roles_per_command(accounts: UserStore, home: Path, data: Path, tmp_path: Path) -> None:
    login("li")                                            # analyst: no loads
    denied = cli("load", str(data))
    assert denied.exit_code == 1 and "may not load" in denied.output
    login("boss")                                          # admin: loads, exports, no Cypher
    assert cli("load", str(data)).exit_code == 0
    assert "may not query" in cli("query", "MATCH (n:Entity) RETURN count(n)").output
    assert cli("export", "-o", str(tmp_path / "admin.jsonl")).exit_code == 0
    login("zhao")                                          # prosecutor: exports
    assert cli("export", "-o", str(tmp_path / "pros.jsonl")).exit_code == 0
    assert ID_WANG in (tmp_path / "pros.jsonl").read_text()  # evidence keeps identifiers
    assert cli("stats").exit_code == 0
    login("wang")                                          # investigator: no exports
    assert "may not export_evidence" in cli("export", "-o", str(tmp_path / "w.jsonl")).output
    assert not (tmp_path / "w.jsonl").exists()
    outcomes = [(e["who"], e["action"], e["details"]["outcome"]) for e in entries(home)
                if e["action"] not in ("login", "login_failed")]
    assert outcomes == [
        ("li", "load", "denied"), ("boss", "load", "started"), ("boss", "load", "done"),
        ("boss", "query", "denied"), ("boss", "export_evidence", "started"),
        ("boss", "export_evidence", "done"), ("zhao", "export_evidence", "started"),
        ("zhao", "export_evidence", "done"), ("wang", "export_evidence", "denied")]


def test_analyst_queries_see_masked_identifiers_and_the_log_holds_none(
        accounts: UserStore, home: Path, data: Path) -> None:
    login("boss")
    cli("load", str(data))
    login("li")
    query = (f"MATCH (n:Entity) WHERE n.party_key = 'ric:{ID_WANG}' "
             "RETURN n.party_key AS key, n.props AS props, n.caption AS name")
    result = cli("--why", f"核对 {ID_WANG} 的账户", "query", query, "--format", "json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["key"] == "ric:110105********002X" and row["name"] == "王某某"
    props = json.loads(row["props"])
    assert props["idNumber"] == ["110105********002X"] and props["phone"] == ["+86139****5678"]
    assert ID_WANG not in result.output and PHONE_WANG not in result.output
    raw = (home / "audit.jsonl").read_text(encoding="utf-8")
    assert ID_WANG not in raw and "110105********002X" in raw
    last = entries(home)[-1]
    assert last["action"] == "query" and last["why"] == "核对 110105********002X 的账户"


def test_investigator_detect_only_in_an_assigned_case(accounts: UserStore, home: Path,
                                                      data: Path) -> None:
    pytest.importorskip("debtorgraph.cli.detect")
    login("boss")
    cli("load", str(data))
    login("wang")
    refused = cli("detect")
    assert refused.exit_code == 1 and "Choose a case first" in refused.output
    other = cli("detect", "--case", "(2023)川3338执9号")
    assert other.exit_code == 1 and "not assigned to wang" in other.output
    cli("detect", "--case", "case-1")       # the CourtCase id of an assigned case number
    detects = [(e["who"], e["details"]["outcome"], e["details"].get("case")) for e in entries(home)
               if e["action"] == "detect"]
    assert detects[:3] == [("wang", "denied", None), ("wang", "denied", "(2023)川3338执9号"),
                           ("wang", "started", "case-1")]


def test_a_command_does_not_run_when_the_log_cannot_be_written(home: Path, data: Path,
                                                               tmp_path: Path) -> None:
    assert cli("load", str(data)).exit_code == 0
    log = home / "audit.jsonl"
    log.write_bytes(log.read_bytes()[:-10])          # truncated behind the head's back
    other = write_ftm(tmp_path / "more.jsonl", [{"id": "p-zhou", "schema": "Person",
                                                 "properties": {"name": ["周某"]}}])
    result = cli("load", str(other))
    assert result.exit_code == 1 and "audit log could not be written" in result.output
    log.unlink()
    (home / "audit.jsonl.head").unlink()
    out = cli("query", "MATCH (n:Entity) WHERE n.id = 'p-zhou' RETURN count(n) AS n",
              "--format", "json").output
    assert json.loads(out.splitlines()[-1]) == {"n": 0}


def test_subprocess_login_load_query_verify(accounts: UserStore, home: Path, data: Path,
                                            tmp_path: Path) -> None:
    env = dict(os.environ, DEBTORGRAPH_HOME=str(home), DEBTORGRAPH_DB=str(tmp_path / "db"),
               PYTHONIOENCODING="utf-8")
    env.pop("NEO4J_URI", None)

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "debtorgraph.cli", *args], input=stdin,
                              capture_output=True, text=True, env=env, timeout=120)

    assert run("load", str(data)).returncode == 1
    assert run("login", "boss", "--password-stdin", stdin=PASSWORDS["boss"] + "\n").returncode == 0
    assert run("load", str(data)).returncode == 0
    assert run("login", "li", "--password-stdin", stdin=PASSWORDS["li"] + "\n").returncode == 0
    out = run("query", "MATCH (n:Entity) WHERE n.id = 'p-wang' RETURN n.props").stdout
    assert "110105********002X" in out and ID_WANG not in out
    check = run("audit", "verify")
    assert check.returncode == 0 and re.search(r"intact: 5 entries", check.stdout), check.stdout


ACCT = "6222021234567890123"


def test_trace_and_detect_output_is_masked_when_accounts_are_on(accounts: UserStore, home: Path,
                                                                tmp_path: Path) -> None:
    """Ids that carry an account or ID number are masked for every role once accounts are on
    (the CLI has no unmasking); in local mode the owner sees them as loaded."""
    extra = [{"id": f"acct-{ACCT}", "schema": "BankAccount", "properties": {"accountNumber": [ACCT]}},
             {"id": "own-a", "schema": "Ownership", "properties": {"owner": ["p-li"], "asset": [f"acct-{ACCT}"]}},
             {"id": "pay-2", "schema": "Payment", "properties": {
                 "payer": ["p-wang"], "beneficiary": ["p-li"], "beneficiaryAccount": [f"acct-{ACCT}"],
                 "amount": ["30000"], "date": ["2023-06-01"]}}]
    data = write_ftm(tmp_path / "more.ftm.jsonl", PEOPLE + extra)
    login("boss")
    assert cli("load", str(data)).exit_code == 0
    login("li")
    out = cli("trace", "--from", "p-wang", "--since", "2023-01-01").output
    assert ACCT not in out and f"acct-{'*' * 15}0123" in out
    assert json.loads(out[:out.rindex("}") + 1])["endpoints"][0]["amount"] == 48000
    table = cli("trace", "--from", "p-wang", "--since", "2023-01-01", "--format", "table").output
    assert ACCT not in table and "0123" in table
    assert ID_WANG not in cli("detect", "--min-score", "0").output


def test_trace_output_is_as_loaded_in_local_mode(home: Path, tmp_path: Path) -> None:
    extra = [{"id": f"acct-{ACCT}", "schema": "BankAccount", "properties": {"accountNumber": [ACCT]}},
             {"id": "pay-2", "schema": "Payment", "properties": {
                 "payer": ["p-wang"], "beneficiary": ["p-li"], "beneficiaryAccount": [f"acct-{ACCT}"],
                 "amount": ["30000"], "date": ["2023-06-01"]}}]
    assert cli("load", str(write_ftm(tmp_path / "more.ftm.jsonl", PEOPLE + extra))).exit_code == 0
    assert f"acct-{ACCT}" in cli("trace", "--from", "p-wang", "--since", "2023-01-01").output
