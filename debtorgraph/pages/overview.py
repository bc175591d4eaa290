"""总览 Overview: what the store holds, findings by rule, loads, debtors."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from debtorgraph.ui import data
from debtorgraph.ui.frame import findings_or_note, open_debtor, store_or_stop, visible_debtors
from debtorgraph.ui.i18n import schema_name, t
from debtorgraph.ui.store import db_path


def _bars(df: pd.DataFrame, label: str, value: str) -> alt.Chart:
    """Horizontal bars, largest first, no rotated axis titles (they read badly in Chinese)."""
    return (alt.Chart(df).mark_bar(color="#4e79a7")
            .encode(y=alt.Y(f"{label}:N", sort="-x", title=None), x=alt.X(f"{value}:Q", title=None),
                    tooltip=[label, value])
            .properties(height=min(320, 26 * len(df) + 20)))


def render() -> None:
    st.title(t("page_overview"))
    store = store_or_stop()
    stats = data.overview(store, db_path())
    cols = st.columns(5)
    cols[0].metric(t("cases"), stats["cases"])
    cols[1].metric(t("debtors"), stats["debtors"])
    cols[2].metric(t("entities"), stats["entities"])
    cols[3].metric(t("relationships"), sum(stats["edges"].values()))
    cols[4].metric(t("records"), stats["records"])

    left, right = st.columns(2)
    with left:
        st.subheader(t("by_schema"))
        df = pd.DataFrame([{t("schema"): schema_name(k), "FtM": k, t("count"): v}
                           for k, v in sorted(stats["nodes"].items(), key=lambda kv: -kv[1])])
        if not df.empty:
            st.altair_chart(_bars(df, t("schema"), t("count")), width="stretch")
            st.dataframe(df, hide_index=True, width="stretch")
    with right:
        st.subheader(t("by_rel"))
        df = pd.DataFrame([{t("schema"): schema_name(k), "FtM": k, t("count"): v}
                           for k, v in sorted(stats["edges"].items(), key=lambda kv: -kv[1])])
        st.dataframe(df, hide_index=True, width="stretch")

    st.subheader(t("findings_by_rule"))
    findings = findings_or_note(store)
    if findings is not None:
        if not findings:
            st.info(t("no_findings"))
        else:
            fdf = pd.DataFrame(findings)
            fdf["score"] = pd.to_numeric(fdf["score"], errors="coerce")
            table = (fdf.groupby("rule")["score"].agg(["count", "mean", "max"]).reset_index()
                     .sort_values("count", ascending=False))
            table.columns = [t("rule"), t("count"), t("mean_score"), t("max_score")]
            st.dataframe(table.round(2), hide_index=True, width="stretch")
            st.altair_chart(_bars(table, t("rule"), t("count")), width="stretch")

    st.subheader(t("loads"))
    st.dataframe(pd.DataFrame([{t("load_id"): r["load_id"], t("records"): r["n"], "origin": r["origin"]}
                               for r in stats["loads"]]), hide_index=True, width="stretch")

    st.subheader(t("debtor_list"))
    debtors = visible_debtors(store)
    if debtors:
        table = pd.DataFrame([{t("name"): d["caption"], t("case_number"): "、".join(d["cases"]), t("id"): d["id"]}
                              for d in debtors])
        st.dataframe(table, hide_index=True, width="stretch")
        pick = st.selectbox(t("open_workspace"), [d["id"] for d in debtors],
                            format_func=lambda i: next(d["caption"] for d in debtors if d["id"] == i),
                            key="overview_pick")
        if st.button(t("open_workspace"), key="overview_open"):
            open_debtor(pick, next(d["caption"] for d in debtors if d["id"] == pick))


if __name__ == "__main__":
    render()
