"""The app's login and unmasking, on the same accounts, permissions and audit log as the CLI.

- With no ``<DEBTORGRAPH_HOME>/users.json`` the app runs in single-user local mode, as the
  operating-system user, like the CLI (docs/security.md).
- With accounts, nothing but the login form renders until the user has signed in; every
  sign-in (and failed attempt) is written to the audit log.
- Identifiers are masked. Only roles allowed to ``unmask`` see the switch, and it takes
  effect only once a reason is given; the reason goes to the audit log.
"""
from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from ..errors import DebtorGraphError
from ..security.audit import AuditLog
from ..security.session import LOCAL_ROLE, accounts_enabled, os_user
from ..security.users import User, UserStore, can, normalise_case
from .i18n import t

log = logging.getLogger(__name__)

def current_user() -> User | None:
    """The signed-in user (local mode: the operating-system user)."""
    user = st.session_state.get("user")
    if user is None and not accounts_enabled():
        user = st.session_state["user"] = User(os_user(), LOCAL_ROLE)
    return user


def _audit(who: str, action: str, **kw: Any) -> None:
    try:
        AuditLog().append(who, action, **kw)
    except DebtorGraphError as exc:  # a broken log must be seen, not skipped silently
        st.error(str(exc))
        st.stop()


def login_page() -> None:
    """The sign-in form (the only page until a user has signed in)."""
    st.title(t("login_title"))
    with st.form("login"):
        name = st.text_input(t("login_name"), key="login_name")
        password = st.text_input(t("login_password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login_button"))
    if not submitted:
        return
    try:
        user = UserStore().authenticate(name, password)
    except DebtorGraphError as exc:
        _audit(f"user:{name or '?'}", "login_failed", details={"via": "app"})
        st.error(str(exc))
        return
    _audit(user.name, "login", details={"via": "app"})
    st.session_state["user"] = user
    st.rerun()


def unmask_control(user: User) -> bool:
    """Sidebar control: True when identifiers are shown in full (allowed role + a reason)."""
    if user.role != LOCAL_ROLE and not can(user, "unmask"):  # local mode may do everything
        st.caption(t("mask_always"))
        return False
    show = st.toggle(t("unmask"), value=False, key="unmask_toggle", help=t("mask_help"))
    if not show:
        return False
    reason = st.text_input(t("unmask_reason"), key="unmask_reason").strip()
    if not reason:
        st.caption(t("unmask_need_reason"))
        return False
    if st.session_state.get("_unmask_logged") != reason:
        _audit(user.name, "unmask", why=reason, details={"via": "app",
                                                         "debtor": st.session_state.get("debtor") or ""})
        st.session_state["_unmask_logged"] = reason
    return True


def case_scope(user: User | None) -> set[str] | None:
    """The (normalised) case numbers an investigator works in; None for roles not limited
    to assigned cases (docs/security.md section 1)."""
    if user is None or user.role != "investigator":
        return None
    return {normalise_case(c) for c in user.cases}


def audit_once(action: str, target: str, **details: Any) -> None:
    """Write a search or a view of a person to the audit log, once per session and target
    (Streamlit reruns a page on every click)."""
    user = current_user()
    if user is None:
        return
    seen = st.session_state.setdefault("_audited", set())
    key = (action, target)
    if key in seen:
        return
    _audit(user.name, action, targets=[target], details={"via": "app", **details})
    seen.add(key)
