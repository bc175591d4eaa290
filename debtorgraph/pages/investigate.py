"""关系网络 Network: the debtor's network (vis-network, inlined; grouped radial layout in ui/layout.py)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from debtorgraph.ui import data
from debtorgraph.ui.frame import debtor_picker, findings_or_note, masker, show_html, store_or_stop
from debtorgraph.ui.i18n import current_lang, schema_name, t
from debtorgraph.ui.network import RELATION_KINDS
from debtorgraph.ui.store import db_path
from debtorgraph.ui.vis import format_amount, legend_html, network_html, node_label

#: Fits a 1440x900 window under the title, the debtor and the folded filters.
HEIGHT = 520
#: (widget key, kept key): widget values are copied to plain keys, which survive page changes.
_SYNC = (("net_expand", "expand"), ("net_pin", "pinned"), ("net_hide", "hidden"), ("net_split", "split"))


def _window(span: dict) -> tuple[str | None, str | None]:
    first, last = span.get("first"), span.get("last")
    if not first or not last:
        return None, None
    lo, hi = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
    if lo == hi:
        st.caption(f"{t('date_window')}: {lo.isoformat()}")
        return lo.isoformat(), hi.isoformat()
    chosen = st.slider(t("date_window"), min_value=lo, max_value=hi, value=(lo, hi), format="YYYY-MM-DD",
                       key="net_window")
    return chosen[0].isoformat(), chosen[1].isoformat()


def _options(choices: list[str], chosen: list[str], exclude: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Options of a multiselect: what is drawn plus what is already chosen."""
    return [c for c in dict.fromkeys([*choices, *chosen]) if c not in exclude]


def render() -> None:
    st.title(t("page_investigate"))
    store = store_or_stop()
    debtor = debtor_picker(store, key="net_debtor")
    if not debtor:
        return
    db = db_path()
    findings = findings_or_note(store, quiet=True, subject=debtor) or []
    state = st.session_state
    for widget, keep in _SYNC:
        if widget in state:
            state[keep] = list(state[widget])
    with st.expander(t("relation_kinds") + " · " + t("date_window") + " · " + t("min_amount"), expanded=False):
        kinds = st.multiselect(t("relation_kinds"), placeholder=t("choose"), options=list(RELATION_KINDS),
                               default=list(RELATION_KINDS),
                               format_func=lambda k: t(f"rk_{k}"), key="net_kinds")
        c2, c3 = st.columns([3, 1])
        with c2:
            since, until = _window(data.payment_span(store, db, tuple([debtor, *state["expand"]])))
        with c3:
            min_amount = st.number_input(t("min_amount"), min_value=0.0, value=0.0, step=1000.0, key="net_min")
        c4, c5 = st.columns(2)
        depth = c4.radio(t("depth"), [1, 2], horizontal=True, key="net_depth")
        max_nodes = c5.slider(t("max_nodes"), 10, 400, 150, step=10, key="net_max")
    centers = tuple([debtor, *[e for e in state["expand"] if e != debtor]])
    split = tuple(tuple(p) for p in state.get("split", []))
    key = f"{len(findings)}:{findings[0].get('id') if findings else ''}"
    net = data.network(store, db, centers, tuple(kinds), since, until, float(min_amount), int(depth), split,
                       int(max_nodes), tuple(state["pinned"]), tuple(state["hidden"]), key, findings,
                       bool(state.get("masked", True)))
    if net.summarised:
        st.warning(t("summarised", shown=len(net.nodes), rest=net.summarised))
    if net.flagged_findings:
        st.error(t("findings_here", n=net.flagged_findings))
    lang = current_lang()
    show_html(network_html(net, lang, masker(), height=HEIGHT), HEIGHT + 30)
    st.html(legend_html({n.schema for n in net.nodes.values()}, lang))

    names = {i: n.caption for i, n in net.nodes.items()}
    choices = sorted((i for i, n in net.nodes.items() if not n.summary_of), key=lambda i: names[i])
    fmt = lambda i: str(names.get(i, i))  # noqa: E731
    for widget, keep in _SYNC:
        if widget not in state:
            state[widget] = list(state.get(keep, []))
    c1, c2, c3 = st.columns(3)
    choose = t("choose")
    c1.multiselect(t("expand"), options=_options(choices, state["net_expand"], {debtor}), key="net_expand",
                   placeholder=choose, format_func=fmt)
    c2.multiselect(t("pin"), options=_options(choices, state["net_pin"]), key="net_pin",
                   placeholder=choose, format_func=fmt)
    c3.multiselect(t("hide"), options=_options(choices, state["net_hide"], {debtor}), key="net_hide",
                   placeholder=choose, format_func=fmt)
    pair_keys = list(dict.fromkeys([(a, b) for a, b, _ in net.pairs()] + [tuple(p) for p in state["net_split"]]))
    state["net_split"] = [tuple(p) for p in state["net_split"]]
    st.multiselect(t("split_pairs"), placeholder=t("choose"), options=pair_keys, key="net_split",
                   format_func=lambda p: f"{names.get(p[0], p[0])} → {names.get(p[1], p[1])}")

    left, right = st.columns(2)
    with left:
        st.caption(t("nodes_table"))
        st.dataframe(pd.DataFrame([{t("name"): node_label(n, lang) if n.summary_of else n.caption,
                                    t("schema"): schema_name(n.schema), t("id"): n.id,
                                    t("rule"): ", ".join(n.rules)} for n in net.nodes.values()]),
                     hide_index=True, width="stretch", height=300)
    with right:
        st.caption(t("edges_table"))
        st.dataframe(pd.DataFrame([{t("end_from"): names.get(e.src, e.src), t("end_to"): names.get(e.dst, e.dst),
                                    t("kind"): t(f"rk_{e.kind}"), t("n_transfers"): e.n,
                                    t("amount"): format_amount(e.total), t("first_date"): (e.first or "")[:10],
                                    t("last_date"): (e.last or "")[:10], "⚠": "⚠" if e.flagged else ""}
                                   for e in net.edges]), hide_index=True, width="stretch", height=300)


if __name__ == "__main__":
    render()
