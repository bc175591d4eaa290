"""The app's sign-in and unmasking use the CLI's accounts, permissions and audit log."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debtorgraph.security.users import UserStore

APP = str(Path(__file__).resolve().parents[2] / "debtorgraph" / "app.py")
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UserStore:
    from debtorgraph.config import reload_settings

    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
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


# -- an investigator works only in the assigned cases, and searches and views are audited ----
@pytest.fixture
def investigator_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner

    from debtorgraph.config import reload_settings
    from debtorgraph.ui.sample import SAMPLE_CASE_NUMBER
    from app_kit import case_entities, load_case

    class NavigationOnly(pages_manager.PagesManager):
        uses_pages_directory = False

    monkeypatch.setattr(script_runner, "PagesManager", NavigationOnly)
    db = tmp_path / "graph.lbug"
    load_case(db, case_entities())
    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(db))
    reload_settings()
    users = UserStore(scrypt_n=2**10)
    users.add("admin", "admin", PASSWORD)
    users.add("wang", "investigator", PASSWORD, cases=["（2022）川3338执 123号"])
    users.add("ana", "analyst", PASSWORD)
    assert SAMPLE_CASE_NUMBER == "(2022)川3338执123号"  # the case of p-wang; p-chen's is another
    return users


def test_investigator_sees_and_opens_only_assigned_cases(investigator_app):
    at = sign_in("wang", PASSWORD)
    assert not at.exception
    listed = {b.key[4:] for b in at.button if b.key and b.key.startswith("q_p_")}   # overview: the debtors
    assert "p-wang" in listed and "p-chen" not in listed
    at.session_state["debtor"] = "p-chen"                      # a deep link to another case
    at.switch_page("pages/investigate.py").run()
    assert any("不在分配给您的案件中" in e.value for e in at.error)
    at.session_state["debtor"] = None
    at.switch_page("pages/search.py").run()
    at.text_input(key="search_q").input("陈立新").run()
    assert not at.exception
    assert not any("陈立新" in m.value for m in at.markdown)   # p-chen's case is not theirs
    at.text_input(key="search_q").input("王").run()
    assert not at.exception and any("王" in m.value for m in at.markdown)
    actions = [(e["action"], e["targets"]) for e in audit_actions()]
    assert ("search", ["陈立新"]) in actions and ("search", ["王"]) in actions
    assert actions[0][0] == "login"


def test_analyst_sees_every_case_and_views_are_audited(investigator_app):
    at = sign_in("ana", PASSWORD)
    listed = {b.key[4:] for b in at.button if b.key and b.key.startswith("q_p_")}
    assert {"p-wang", "p-chen"} <= listed
    at.button(key="q_p_p-chen").click().run()
    assert not at.exception
    assert ("view_person", ["p-chen"]) in [(e["action"], e["targets"]) for e in audit_actions()]
