"""The app's sign-in and unmasking use the CLI's accounts, permissions and audit log."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debtorgraph.security.users import UserStore

APP = str(Path(__file__).resolve().parents[1] / "debtorgraph" / "app.py")
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UserStore:
    from debtorgraph.config import reload_settings

    monkeypatch.setenv("DEBTORGRAPH_DB", str(tmp_path / "none.lbug"))
    reload_settings()
    users = UserStore(scrypt_n=2**10)
    users.add("admin", "admin", PASSWORD)
    users.add("ana", "analyst", PASSWORD)
    users.add("pros", "prosecutor", PASSWORD)
    return users


def sign_in(name: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.text_input(key="login_name") is not None and not at.sidebar.toggle
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    return at


def audit_actions() -> list[dict]:
    path = Path(os.environ["DEBTORGRAPH_HOME"]) / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_wrong_password_shows_the_form_again_and_is_audited(accounts):
    at = sign_in("ana", "wrong password!")
    assert at.error and not at.exception
    assert at.text_input(key="login_name") is not None
    assert [e["action"] for e in audit_actions()] == ["login_failed"]


def test_analyst_signs_in_and_may_not_unmask(accounts):
    at = sign_in("ana", PASSWORD)
    assert not at.exception and "user" in at.session_state
    assert not [t for t in at.sidebar.toggle if t.key == "unmask_toggle"]
    assert any("ana" in c.value for c in at.sidebar.caption)
    assert [e["action"] for e in audit_actions()] == ["login"]


def test_prosecutor_unmasks_with_a_reason_that_is_audited(accounts):
    at = sign_in("pros", PASSWORD)
    at.toggle(key="unmask_toggle").set_value(True).run()
    assert at.session_state["masked"] is True  # no reason yet
    at.text_input(key="unmask_reason").input("移送公安前核对").run()
    assert at.session_state["masked"] is False
    entries = audit_actions()
    assert entries[-1]["action"] == "unmask" and "移送公安前核对" in json.dumps(entries[-1], ensure_ascii=False)
