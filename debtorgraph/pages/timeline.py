"""时间线 Timeline: milestones, sanctions and acts of one debtor on one time axis (Altair)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from debtorgraph.ui import data
from debtorgraph.ui.frame import debtor_picker, store_or_stop
from debtorgraph.ui.i18n import current_lang, t
from debtorgraph.ui.store import db_path
from debtorgraph.ui.timeline import LANES, describe, focus_window, in_window, timeline_chart
from debtorgraph.ui.vis import format_amount


def render() -> None:
    st.title(t("page_timeline"))
    store = store_or_stop()
    debtor = debtor_picker(store, key="tl_debtor")
    if not debtor:
        return
    items = data.timeline(store, db_path(), debtor, bool(st.session_state.get("masked", True)))
    if not items:
        st.info(t("no_timeline"))
        return
    lang = current_lang()
    lanes = {lane: t(f"lane_{lane}") for lane in LANES}
    shown = st.multiselect(t("lane"), placeholder=t("choose"), options=list(LANES), default=list(LANES), format_func=lambda k: lanes[k], key="tl_lanes")
    items = [i for i in items if i["lane"] in shown]
    if not items:
        return
    window = focus_window(items)
    if window and st.toggle(t("whole_period"), value=False, key="tl_all"):
        window = None
    st.altair_chart(timeline_chart(items, lanes, lang, window), width="stretch")
    listed = in_window(items, window)  # the table lists what the chart shows
    if len(listed) < len(items):
        st.caption(t("outside_window", n=len(items) - len(listed)))
    items = listed
    st.dataframe(pd.DataFrame([{t("date"): i["date"].replace("T", " "), t("lane"): lanes[i["lane"]],
                                t("event"): describe(i, lang), t("details"): i["detail"],
                                t("amount"): format_amount(i["amount"]), t("id"): i["id"]} for i in items]),
                 hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
