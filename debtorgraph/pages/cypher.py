"""Cypher: the query library as forms, and a free read-only console (time limit, row cap)."""
from __future__ import annotations

import json

import streamlit as st

from debtorgraph.config import setting
from debtorgraph.errors import DebtorGraphError
from debtorgraph.ui.backends import Unavailable, library_queries, run_user_query
from debtorgraph.ui.frame import masker, md, show_html, store_or_stop
from debtorgraph.ui.i18n import current_lang, t
from debtorgraph.ui.results import mask_rows, result_csv, result_frame, result_network
from debtorgraph.ui.vis import network_html

EXAMPLE = "MATCH (p:Entity)-[r:PAYMENT]->(q:Entity) RETURN p.caption, q.caption, r.amount, r.date ORDER BY r.amount DESC LIMIT 20"


def _parse(text: str):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _default(param: str, example) -> str:
    """A form default: the current debtor for ``$debtor``, else the library's example."""
    if param in ("debtor", "subject", "party") and st.session_state.get("debtor"):
        return str(st.session_state["debtor"])
    return "" if example is None else str(example)


def _show(store, cypher: str, params: dict, key: str) -> None:
    timeout = int(setting("DEBTORGRAPH_QUERY_TIMEOUT_MS"))
    cap = int(setting("DEBTORGRAPH_QUERY_MAX_ROWS"))
    try:
        result = run_user_query(store, cypher, params, timeout_ms=timeout, max_rows=cap)
    except DebtorGraphError as exc:
        st.error(str(exc))
        return
    except RuntimeError as exc:  # the store's own message (syntax error, time limit)
        st.error(str(exc))
        return
    rows = mask_rows(result.rows) if st.session_state.get("masked", True) else result.rows
    st.caption(t("rows_shown", n=len(rows)) + " · " + t("limits", ms=timeout, rows=cap))
    if result.truncated:
        st.warning(t("truncated", n=len(rows)))
    st.dataframe(result_frame(result.columns, rows), hide_index=True, width="stretch")
    st.download_button(t("download_csv"), result_csv(result.columns, rows).encode("utf-8-sig"),
                       "query.csv", "text/csv", key=f"{key}_csv")
    net = result_network(rows)
    if net is not None:
        st.caption(t("as_graph"))
        show_html(network_html(net, current_lang(), masker(), height=460), 490)


def render() -> None:
    st.title(t("page_cypher"))
    store = store_or_stop()
    lib_tab, console_tab = st.tabs([t("library"), t("console")])
    with lib_tab:
        try:
            queries = library_queries()
        except Unavailable:
            queries = None
            st.info(t("no_library"))
        if queries:
            names = [q["name"] for q in queries]
            title = "title_en" if current_lang() == "en" else "title"
            name = st.selectbox(t("library"), names, key="lib_pick",
                                format_func=lambda n: next(q[title] for q in queries if q["name"] == n))
            q = next(x for x in queries if x["name"] == name)
            described = q["description"] if current_lang() == "en" else q.get("description_zh") or q["description"]
            if described:
                st.markdown(md(described))
            with st.form(f"lib_{name}"):
                values = {p: st.text_input(p, value=_default(p, d), key=f"lib_{name}_{p}")
                          for p, d in q["params"].items()}
                st.code(q["cypher"], language="cypher", wrap_lines=True)
                go = st.form_submit_button(t("run"))
            if go:
                _show(store, q["cypher"], {k: _parse(v) for k, v in values.items()}, "lib")
    with console_tab:
        with st.form("console"):
            cypher = st.text_area("Cypher", value=EXAMPLE, height=120, key="console_cypher")
            params = st.text_area(t("params") + " (JSON)", value="{}", height=68, key="console_params")
            go = st.form_submit_button(t("run"))
        if go:
            try:
                parsed = json.loads(params or "{}")
                if not isinstance(parsed, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                st.error(f"参数应为 JSON 对象 / parameters must be a JSON object: {exc}")
                return
            _show(store, cypher, parsed, "console")


if __name__ == "__main__":
    render()
