"""The investigator's app: ``streamlit run debtorgraph/app.py`` (or ``debtorgraph app``).

This file is the router and the shared frame: page configuration, the sidebar
(language 中文/English, masking) and ``st.navigation`` over the pages in ``pages/``.
The store is read from ``DEBTORGRAPH_DB``, read-only (see :mod:`debtorgraph.ui.store`).
"""
from __future__ import annotations

import logging

import streamlit as st

from debtorgraph.ui.auth import current_user, login_page
from debtorgraph.ui.frame import PAGES, sidebar
from debtorgraph.ui.i18n import t

#: (page key, URL path) in menu order, grouped by section. No icons: Streamlit fetches Material
#: icons of page links from fonts.gstatic.com, and courts are offline. URL paths are the page
#: files' names: on a fresh server the first request is routed by the ``pages/`` folder
#: (see debtorgraph.ui.frame._navigation_only), which knows the pages by file name only.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    "section_work": [("overview", "overview"), ("search", "search"),
                     ("investigate", "investigate"), ("flow", "money_flow"),
                     ("timeline", "timeline"), ("findings", "findings"),
                     ("evidence", "evidence")],
    "section_tools": [("cypher", "cypher"), ("data", "data")],
}
#: The sign-in page's URL path (the only page until a user has signed in, when accounts exist).
LOGIN_URL = "login"
_TITLES = {"overview": "page_overview", "search": "page_search", "investigate": "page_investigate",
           "flow": "page_flow", "timeline": "page_timeline", "findings": "page_findings",
           "evidence": "page_evidence", "cypher": "page_cypher", "data": "page_data"}


def main() -> None:
    st.set_page_config(page_title="debtorgraph", layout="wide", initial_sidebar_state="expanded")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if current_user() is None:  # accounts exist and nobody has signed in: only the login form
        st.navigation([st.Page(login_page, title=t("login_title"), url_path=LOGIN_URL)]).run()
        return
    sidebar()
    pages = {
        t(section): [st.Page(PAGES[key], title=t(_TITLES[key]), url_path=url, default=(key == "overview"))
                     for key, url in items]
        for section, items in SECTIONS.items()
    }
    st.navigation(pages).run()


if __name__ == "__main__":
    main()
