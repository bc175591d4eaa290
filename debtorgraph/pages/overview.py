"""总览 Overview: the morning work queue. Each line opens the page that acts on it.

Untriaged findings by score, revocation deadlines (Civil Code art. 541) falling due in the
next 30 and 90 days, debtors by the amount found moved, the last loads and their rejects;
what the store holds, folded at the bottom.
"""
from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, Callable

import pandas as pd
import streamlit as st

from debtorgraph.ui import data
from debtorgraph.ui.findings import rule_label
from debtorgraph.ui.frame import PAGES, findings_if_ready, md, open_debtor, shown, store_or_stop, visible_debtors
from debtorgraph.ui.i18n import current_lang, schema_name, t
from debtorgraph.ui.marks import load_marks, with_marks
from debtorgraph.ui.queue import deadlines_due, moved_by_debtor, recent_loads, untriaged
from debtorgraph.ui.store import db_path
from debtorgraph.ui.vis import format_amount

#: Lines shown per list; the page that acts on them shows the rest.
TOP = 10


class _Md(str):
    """A cell written in Markdown (the bold ones); other cells are plain text."""


def _bold(text: str, after: str = "") -> _Md:
    """``text`` in bold (made inert: data never formats the page), then ``after``."""
    return _Md(f"**{md(text)}**{md(after) if after else ''}")


def _line(cells: list[str], widths: list[float], key: str, label: str, act: Callable[[], None]) -> None:
    """One line of a list: its cells and a button that opens the page acting on it.

    Plain cells are ``st.text``, which the browser draws without a Markdown parser: with
    ~25 lines of 4-5 cells, Markdown cost the first page ~0.2 s of browser time.
    """
    cols = st.columns([*widths, 1.2], vertical_alignment="center")
    for col, cell in zip(cols, cells):
        if isinstance(cell, _Md):
            col.markdown(cell)
        else:
            col.text(cell)
    if cols[-1].button(label, key=key, width="stretch"):
        act()


def _open_finding(f: dict[str, Any], names: dict[str, str]) -> None:
    st.session_state["finding"] = str(f.get("id"))
    st.session_state["f_view"] = "findings"
    subject = str(f.get("subject") or "")
    if subject:
        open_debtor(subject, names.get(subject), page="findings")
    st.switch_page(PAGES["findings"])


def _finding_lines(rows: list[dict[str, Any]], names: dict[str, str], lang: str, prefix: str,
                   deadline: bool = False) -> None:
    for f in rows[:TOP]:
        first = (_bold(f["deadline"], f"（{t('days_left', n=f['days_left'])}）") if deadline
                 else _bold(f"{float(f.get('score') or 0):.2f}"))
        cells = [first, rule_label(str(f.get("rule") or ""), lang), names.get(str(f.get("subject")), "—"),
                 format_amount(f.get("amount")), str(f.get("date") or "")[:10]]
        _line(cells, [1.6 if deadline else 0.7, 2, 1.6, 1.2, 1.1], f"{prefix}_{f.get('id')}", t("q_review"),
              partial(_open_finding, f, names))
    if len(rows) > TOP:
        st.caption(t("q_more", n=len(rows) - TOP))


def _loads(store: Any, stats: dict[str, Any]) -> list[dict[str, Any]]:
    """Loads from the audit log (files, rejects), plus loads only the store knows (app loads)."""
    from debtorgraph.security.audit import default_audit_path, read_entries

    records = {str(r["load_id"]): int(r["n"]) for r in stats["loads"]}
    try:
        entries = list(read_entries(default_audit_path()))
    except (OSError, ValueError):
        entries = []
    rows = recent_loads(entries, records, limit=TOP)
    known = {r["load_id"] for r in rows}
    rows += [{"load_id": i, "when": "", "files": str(next((r["origin"] for r in stats["loads"] if str(r["load_id"]) == i), "")),
              "loaded": None, "merged": None, "rejected": None, "records": n}
             for i, n in reversed(list(records.items())) if i not in known]
    return rows[:5]


@st.fragment(run_every=2)
def _wait_for_findings(db: str) -> None:
    """Rerun the page once the background detection has written its findings."""
    from debtorgraph.ui import precompute

    if precompute.cached(db) is not None:
        st.rerun()


def render() -> None:
    st.title(t("page_overview"))
    store = store_or_stop()
    db = db_path()
    lang = current_lang()
    stats = data.overview(store, db)
    found = findings_if_ready(store)
    if found is None:  # detection runs in the background: the rest of the queue now, findings when ready
        st.info(t("q_detecting"))
        _wait_for_findings(db)
        found = []
    marked = with_marks(found, load_marks())
    today = date.today()
    todo, soon, later = untriaged(marked), deadlines_due(marked, today, 30), deadlines_due(marked, today, 90)
    moved = moved_by_debtor(marked)
    listed = {r["subject"] for r in moved}
    debtors = visible_debtors(store)  # every debtor this user may open; those with nothing found last
    moved += [{"subject": d["id"], "amount": 0.0, "findings": 0, "best": 0.0} for d in debtors if d["id"] not in listed]
    names = {d["id"]: shown(d["caption"]) for d in debtors}
    names.update(data.captions(store, db, tuple(sorted({str(f.get("subject")) for f in marked if f.get("subject")})),
                               bool(st.session_state.get("masked", True))))
    cols = st.columns(5)
    cols[0].metric(t("q_untriaged"), len(todo))
    cols[1].metric(t("q_due", n=30), len(soon))
    cols[2].metric(t("q_due", n=90), len(later))
    cols[3].metric(t("q_moved_total"), format_amount(sum(r["amount"] for r in moved)) or "¥0")
    cols[4].metric(t("debtors"), stats["debtors"])

    st.subheader(t("q_untriaged_title"))
    if todo:
        _finding_lines(todo, names, lang, "q_f")
    else:
        st.caption(t("q_none"))

    st.subheader(t("q_deadlines_title"))
    # A tab's lines are drawn once it is chosen (on_change="rerun"): the hidden tab's ~10 lines
    # of columns and buttons cost the first page browser time for nothing.
    tab30, tab90 = st.tabs([t("q_due", n=30) + f"（{len(soon)}）", t("q_due", n=90) + f"（{len(later)}）"],
                           key="q_tabs", on_change="rerun")
    for tab, rows, prefix in ((tab30, soon, "q_d30"), (tab90, later, "q_d90")):
        with tab:  # statements, not `a if b else c` expressions: Streamlit's magic would st.write those
            if tab.open is False:
                continue
            if rows:
                _finding_lines(rows, names, lang, prefix, deadline=True)
            else:
                st.caption(t("q_none"))

    st.subheader(t("q_moved_title"))
    for r in moved[:TOP]:
        caption = names.get(r["subject"], r["subject"])
        _line([_bold(caption), format_amount(r["amount"]), t("q_findings_n", n=r["findings"]), f"{r['best']:.2f}"],
              [2, 1.4, 1.2, 0.8], f"q_p_{r['subject']}", t("q_open"),
              partial(open_debtor, r["subject"], caption, page="investigate"))
    if not moved:
        st.caption(t("q_none"))

    st.subheader(t("q_loads_title"))
    for r in _loads(store, stats):
        counts = (t("q_load_counts", loaded=r["loaded"], merged=r["merged"], rejected=r["rejected"])
                  if r["loaded"] is not None else t("q_load_records", n=r["records"]))
        flag = "⚠ " if r.get("rejected") else ""
        _line([r["when"] or "—", r["files"] or r["load_id"], flag + counts], [1.2, 2.6, 2.4],
              f"q_l_{r['load_id']}", t("q_view"), lambda: st.switch_page(PAGES["data"]))

    # The table is drawn only once the box is opened: a table is Streamlit's heaviest element
    # in the browser (~1.7 MB of scripts), and the first page waited for it while folded.
    box = st.expander(t("q_store_contents"), expanded=False, key="q_store", on_change="rerun")
    with box:
        c = st.columns(4)
        c[0].metric(t("cases"), stats["cases"])
        c[1].metric(t("entities"), stats["entities"])
        c[2].metric(t("relationships"), sum(stats["edges"].values()))
        c[3].metric(t("records"), stats["records"])
        if box.open:
            st.dataframe(pd.DataFrame([{t("schema"): schema_name(k), t("count"): v}
                                       for k, v in sorted({**stats["nodes"], **stats["edges"]}.items(),
                                                          key=lambda kv: -kv[1])]),
                         hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
