"""The investigator's app: ``streamlit run debtorgraph/app.py`` (or ``debtorgraph app``).

This file is the router and the shared frame: page configuration, the sidebar
(language 中文/English, masking) and ``st.navigation`` over the pages in ``pages/``.
The store is read from ``DEBTORGRAPH_DB``, read-only (see :mod:`debtorgraph.ui.store`).
"""
from __future__ import annotations

import logging

import streamlit as st

from debtorgraph.ui.frame import PAGES, sidebar
from debtorgraph.ui.i18n import t

#: (page key, URL path, Material icon) in menu order, grouped by section.
SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    "section_work": [("overview", "overview", ":material/dashboard:"), ("search", "search", ":material/search:"),
                     ("investigate", "network", ":material/hub:"), ("flow", "money_flow", ":material/account_tree:"),
                     ("timeline", "timeline", ":material/timeline:"), ("findings", "findings", ":material/report:"),
                     ("evidence", "evidence", ":material/gavel:")],
    "section_tools": [("cypher", "cypher", ":material/terminal:"), ("data", "data", ":material/upload_file:")],
}
_TITLES = {"overview": "page_overview", "search": "page_search", "investigate": "page_investigate",
           "flow": "page_flow", "timeline": "page_timeline", "findings": "page_findings",
           "evidence": "page_evidence", "cypher": "page_cypher", "data": "page_data"}


def main() -> None:
    st.set_page_config(page_title="debtorgraph", layout="wide", initial_sidebar_state="expanded")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    sidebar()
    pages = {
        t(section): [st.Page(PAGES[key], title=t(_TITLES[key]), icon=icon, url_path=url, default=(key == "overview"))
                     for key, url, icon in items]
        for section, items in SECTIONS.items()
    }
    st.navigation(pages).run()


if __name__ == "__main__":
    main()
