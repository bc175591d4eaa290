"""What every page shares: the sidebar (language, masking), the store, the current debtor.

Pages call :func:`store_or_stop` first; it shows a clear message and stops the page when
there is no store yet. The current debtor lives in ``st.session_state["debtor"]`` and
survives page changes made through :func:`open_debtor` (built-in navigation keeps
session state; a URL change would not).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

import streamlit as st

from ..errors import DebtorGraphError
from . import data
from ..security.session import accounts_enabled
from .auth import current_user, unmask_control
from .backends import Unavailable, mask_entity
from .i18n import LANGS, current_lang, t
from .store import db_path, get_store, store_exists

log = logging.getLogger(__name__)

def _navigation_only() -> None:
    """Tell Streamlit this app routes with st.navigation, not by its ``pages/`` folder.

    Streamlit decides per server whether a ``pages/`` folder next to the entry script means
    the old folder-based mode, and only ``st.navigation`` clears that. When the very first
    request of a fresh server is a page URL (``/investigate``), it would run that page script
    alone, without the frame, and stay in folder mode; :func:`require_frame` then reruns.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
    except Exception:  # a Streamlit without this switch routes with st.navigation anyway
        log.debug("no PagesManager.uses_pages_directory in this Streamlit")


_navigation_only()

#: Page files, relative to app.py (st.switch_page and AppTest.switch_page use these).
PAGES: dict[str, str] = {
    "overview": "pages/overview.py", "search": "pages/search.py", "investigate": "pages/investigate.py",
    "flow": "pages/money_flow.py", "timeline": "pages/timeline.py", "findings": "pages/findings.py",
    "evidence": "pages/evidence.py", "cypher": "pages/cypher.py", "data": "pages/data.py",
}


def init_state() -> None:
    """Create the session keys every page relies on."""
    defaults: dict[str, Any] = {"lang": "zh", "masked": True, "debtor": None, "expand": [], "pinned": [],
                                "hidden": [], "split": [], "finding": None}
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def sidebar() -> None:
    """Language toggle and masking switch (rendered by app.py on every page)."""
    init_state()
    mark_framed()
    from .fonts import app_font_css

    st.html(app_font_css())  # Chinese without system CJK fonts
    with st.sidebar:
        choice = st.radio(t("language"), list(LANGS.values()), horizontal=True, key="lang_choice",
                          index=list(LANGS).index(st.session_state["lang"]))
        st.session_state["lang"] = next(k for k, v in LANGS.items() if v == choice)
        user = current_user()
        if user is not None:
            st.session_state["masked"] = not unmask_control(user)
            st.caption(t("login_as", name=user.name, role=user.role))
            if accounts_enabled() and st.button(t("logout"), key="logout"):
                for key in ("user", "_unmask_logged", "unmask_toggle", "unmask_reason"):
                    st.session_state.pop(key, None)
                st.rerun()
        debtor = st.session_state.get("debtor")
        if debtor:
            st.caption(t("current_debtor", name=st.session_state.get("debtor_caption") or debtor))
        st.caption(f"{t('store')}: `{db_path()}`")


def mark_framed() -> None:
    """Called by app.py on every run, before the page runs."""
    st.session_state["_framed"] = True


def require_frame() -> None:
    """Rerun through app.py when a page script was started on its own (see _navigation_only)."""
    if not st.session_state.pop("_framed", False):
        _navigation_only()
        st.rerun()


def store_or_stop() -> Any:
    """The shared read-only store, or a message and ``st.stop()``."""
    require_frame()
    init_state()
    if not store_exists():
        st.info(t("no_store"))
        st.stop()
    try:
        return get_store()
    except DebtorGraphError as exc:
        st.error(t("store_error", error=exc))
        st.stop()


def visible_debtors(store: Any) -> list[dict[str, Any]]:
    """The debtors this user may open: all of them, or an investigator's assigned cases'."""
    from .auth import case_scope, current_user
    from ..security.users import normalise_case

    rows = data.debtors(store, db_path())
    scope = case_scope(current_user())
    if scope is None:
        return rows
    return [r for r in rows if any(normalise_case(c) in scope for c in r["cases"])]


def allowed_ids(store: Any) -> set[str] | None:
    """Ids of the debtors this user may open, or None when not limited."""
    from .auth import case_scope, current_user

    if case_scope(current_user()) is None:
        return None
    return {r["id"] for r in visible_debtors(store)}


def _refuse_unassigned(party_id: str, store: Any = None) -> None:
    allowed = allowed_ids(store if store is not None else get_store())
    if allowed is not None and party_id not in allowed:
        st.error(t("not_assigned"))
        st.stop()


def open_debtor(party_id: str, caption: str | None = None, page: str | None = "investigate") -> None:
    """Make ``party_id`` the current debtor and (optionally) go to a page.

    An investigator may open only the parties of their assigned cases; every opening is
    written to the audit log (``view_person``, once per session)."""
    from .auth import audit_once

    _refuse_unassigned(party_id)
    audit_once("view_person", party_id)
    if st.session_state.get("debtor") != party_id:
        for key in ("expand", "pinned", "hidden", "split"):
            st.session_state[key] = []
        for key in ("net_expand", "net_pin", "net_hide", "net_split"):
            st.session_state.pop(key, None)
    st.session_state["debtor"] = party_id
    st.session_state["debtor_caption"] = caption or party_id
    if page:
        st.switch_page(PAGES[page])


def debtor_picker(store: Any, key: str = "debtor_pick") -> str | None:
    """A select box of debtors, starting at the current one; returns the chosen id."""
    wanted = st.query_params.get("debtor")
    if wanted and wanted != st.session_state.get("debtor"):  # a deep link: /investigate?debtor=p-wang
        caption = data.captions(store, db_path(), (wanted,), bool(st.session_state.get("masked", True)))[wanted]
        open_debtor(wanted, caption, page=None)
    rows = visible_debtors(store)
    current = st.session_state.get("debtor")
    if current:
        _refuse_unassigned(current, store)
    options = [r["id"] for r in rows]
    labels = {r["id"]: f"{r['caption']}（{'、'.join(r['cases'])}）" if r["cases"] else r["caption"] for r in rows}
    if current and current not in options:
        options.insert(0, current)
        labels[current] = st.session_state.get("debtor_caption") or current
    if not options:
        st.info(t("no_debtor"))
        return None
    chosen = st.selectbox(t("subject"), options, index=options.index(current) if current in options else 0,
                          format_func=lambda i: labels.get(i, i), key=key)
    if chosen != current:
        open_debtor(chosen, labels.get(chosen, chosen).split("（")[0], page=None)
    if wanted and wanted != chosen:
        st.query_params["debtor"] = chosen
    return chosen


def shown(value: Any) -> Any:
    """``value`` (a finding, a packet, rows, text) as this session may see it.

    The one gate of the app's text: :func:`debtorgraph.security.masking.redact`, unmasked
    only when the sidebar's unmask switch is on (permission checked, reason logged).
    """
    from ..security.masking import redact

    return redact(value, unmasked=not st.session_state.get("masked", True))


def masker() -> Callable[[str | None, dict[str, list[str]]], dict[str, list[str]]]:
    """``mask(schema, props) -> props`` honouring the sidebar switch."""
    if not st.session_state.get("masked", True):
        return lambda schema, props: props

    def mask(schema: str | None, props: dict[str, list[str]]) -> dict[str, list[str]]:
        return mask_entity({"id": "x", "schema": schema or "Thing", "properties": props})["properties"]

    return mask


def findings_or_note(store: Any, *, quiet: bool = False, subject: str | None = None
                     ) -> list[dict[str, Any]] | None:
    """Detection results (all, or one debtor's), or None with a note saying why there are none."""
    with st.spinner(t("detecting")):
        out = data.subject_findings(store, db_path(), subject) if subject else data.findings(store, db_path())
    if out["ok"]:
        allowed = allowed_ids(store)
        found = out["value"] if allowed is None else [f for f in out["value"] if str(f.get("subject")) in allowed]
        return shown(found)
    if not quiet:
        if out["missing"]:
            st.info(t("module_missing", feature=t("page_findings"), module=out["missing"]))
        else:
            st.warning(t("module_failed", feature=t("page_findings"), error=out["error"]))
    return None


def findings_if_ready(store: Any) -> list[dict[str, Any]] | None:
    """The store's findings if detection has already run, else None (and it runs in the
    background: :mod:`.precompute`). For pages that must not wait, the Overview."""
    from . import precompute

    db = db_path()
    if precompute.cache_file(db) is None or precompute.start(db):  # Neo4j: no file to wait for
        return findings_or_note(store)
    return None


def missing_note(exc: Unavailable, feature_key: str) -> None:
    """The clear 'not installed yet' message for an optional module."""
    st.info(t("module_missing", feature=t(feature_key), module=exc.module))


def lang() -> str:
    return current_lang()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: Any) -> str:
    """Data text made inert for ``st.markdown`` (no links, images or formatting from the data).

    >>> md("![x](http://e.com)")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\:\\\\/\\\\/e\\\\.com\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("/", "\\/")


def show_html(page: str, height: int) -> None:
    """Embed a self-contained HTML page (the network) in an iframe."""
    if hasattr(st, "iframe"):
        st.iframe(page, height=height)
    else:  # Streamlit before st.iframe
        import streamlit.components.v1 as components

        components.html(page, height=height, scrolling=False)
