"""可疑行为 Findings: ranked list, details, the acts in the graph, review marks, export."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from debtorgraph.errors import DebtorGraphError
from debtorgraph.ui import data
from debtorgraph.ui.findings import (acts_network, describe_acts, explanation, findings_csv, findings_jsonl, legal_basis,
                                     revocation_deadline, rule_label)
from debtorgraph.ui.frame import findings_or_note, masker, md, open_debtor, show_html, store_or_stop
from debtorgraph.ui.i18n import current_lang, t
from debtorgraph.ui.marks import STATUSES, load_marks, save_mark, with_marks
from debtorgraph.ui.store import db_path
from debtorgraph.ui.vis import format_amount, network_html

_STATUS_KEYS = {"": "status_new", "to_check": "status_to_check", "confirmed": "status_confirmed",
                "dismissed": "status_dismissed"}



def _user_name() -> str:
    """Who marks: the signed-in user (local mode: the operating-system user)."""
    from debtorgraph.ui.auth import current_user

    user = current_user()
    return user.name if user is not None else ""

def _confirm(f: dict, lang: str) -> str:
    """What would confirm a lead, in the UI language."""
    lead = f.get("lead") or {}
    return str(lead.get("confirm_en") if lang == "en" else lead.get("confirm") or "")


def render() -> None:
    st.title(t("page_findings"))
    store = store_or_stop()
    findings = findings_or_note(store)
    if findings is None:
        return
    if not findings:
        st.info(t("no_findings"))
        return
    db = db_path()
    lang = current_lang()
    marked = with_marks(findings, load_marks())
    names = data.captions(store, db, tuple(sorted({str(f.get("subject")) for f in marked if f.get("subject")})),
                          bool(st.session_state.get("masked", True)))
    counts = {v: sum(1 for f in marked if bool(f.get("lead")) == (v == "leads")) for v in ("findings", "leads")}
    view = st.radio(t("findings_view"), ["findings", "leads"], horizontal=True, key="f_view",
                    format_func=lambda v: t("view_leads" if v == "leads" else "view_findings", n=counts[v]))
    leads = view == "leads"
    marked = [f for f in marked if bool(f.get("lead")) == leads]
    if leads:
        st.caption(t("leads_note"))
    c1, c2, c3 = st.columns([4, 2, 2])
    statuses = c1.multiselect(t("filter_status"), placeholder=t("choose"), options=list(_STATUS_KEYS),
                              default=list(_STATUS_KEYS),
                              format_func=lambda s: t(_STATUS_KEYS[s]), key="f_status")
    min_score = c2.slider(t("min_score"), 0.0, 1.0, 0.0, 0.05, key="f_min")
    only_debtor = c3.toggle(t("current_debtor", name=st.session_state.get("debtor_caption") or "—"),
                            value=False, key="f_only_debtor", disabled=not st.session_state.get("debtor"))
    shown = [f for f in marked if f["mark"] in statuses and float(f.get("score") or 0) >= min_score
             and (not only_debtor or f.get("subject") == st.session_state.get("debtor"))]
    st.caption(t("findings_count", n=len(shown)))
    label = lambda f: rule_label(str(f.get("rule") or ""), lang)  # noqa: E731
    table = pd.DataFrame([{t("score"): round(float(f.get("score") or 0), 2), t("rule"): label(f),
                           t("subject"): names.get(str(f.get("subject")), f.get("subject")),
                           t("amount"): format_amount(f.get("amount")), t("date"): str(f.get("date") or "")[:10],
                           t("explanation"): explanation(f, lang),
                           **({t("confirm"): _confirm(f, lang)} if leads else {}),
                           t("legal_basis"): legal_basis(f, lang),
                           t("deadline"): revocation_deadline(f) or "", t("mark"): t(_STATUS_KEYS[f["mark"]]),
                           t("id"): f.get("id")} for f in shown])
    st.dataframe(table, hide_index=True, width="stretch", height=min(420, 40 + 35 * len(shown)))
    d1, d2 = st.columns(2)
    d1.download_button(t("download_findings") + " (CSV)", findings_csv(marked).encode("utf-8-sig"),
                       "findings.csv", "text/csv", key="f_csv")
    d2.download_button(t("download_findings") + " (JSONL)", findings_jsonl(marked).encode("utf-8"),
                       "findings.jsonl", "application/x-ndjson", key="f_jsonl")
    if not shown:
        return
    ids = [str(f.get("id")) for f in shown]
    current = st.session_state.get("finding")
    pick = str(st.selectbox(t("open_finding"), ids, index=ids.index(current) if current in ids else 0,
                        format_func=lambda i: next(f"{label(f)} · {names.get(str(f.get('subject')), '')} · "
                                                   f"{float(f.get('score') or 0):.2f}" for f in shown
                                                   if str(f.get("id")) == i), key="f_pick"))
    st.session_state["finding"] = pick
    f = next(x for x in shown if str(x.get("id")) == pick)
    subject = str(f.get("subject") or "")
    if subject and subject != st.session_state.get("debtor"):  # the finding's debtor is the current one
        open_debtor(subject, names.get(subject), page=None)
        st.rerun()  # so the sidebar and every page read it
    st.subheader(f"{label(f)} · {float(f.get('score') or 0):.2f}")
    st.caption(t("finding_ref", rule=f.get("rule"), id=f.get("id")))  # what JSON exports and other tools name
    st.markdown(md(explanation(f, lang)))
    if f.get("lead"):
        st.info(f"{t('confirm')}: {_confirm(f, lang)}")
    st.markdown(f"**{t('legal_basis')}**: {md(legal_basis(f, lang))}")
    if revocation_deadline(f):
        st.markdown(f"**{t('deadline')}**: {revocation_deadline(f)}")
    st.markdown(f"**{t('acts')}**")
    acts = describe_acts(store, f, lang, bool(st.session_state.get("masked", True)))
    st.markdown("\n".join(f"- {md(line)}" for line in acts))
    st.caption(t("acts_graph"))
    net = acts_network(store, f, bool(st.session_state.get("masked", True)))
    show_html(network_html(net, lang, masker(), height=380), 410)
    if f.get("subject") and st.button(t("open_workspace") + " → " + t("page_investigate"), key="f_open"):
        open_debtor(str(f["subject"]), names.get(str(f["subject"])))
    st.subheader(t("mark"))
    with st.form("mark_form"):
        status = st.radio(t("mark"), list(STATUSES), horizontal=True,  # nothing chosen until someone marks it
                          index=list(STATUSES).index(f["mark"]) if f["mark"] in STATUSES else None,
                          format_func=lambda s: t(_STATUS_KEYS[s]), key=f"mark_status_{pick}")
        reason = st.text_input(t("mark_reason"), value=f["mark_reason"], key=f"mark_reason_{pick}")
        if st.form_submit_button(t("mark_save"), key="mark_save"):
            if status is None:
                st.error(t("mark_choose"))
            else:
                try:
                    save_mark(pick, status, reason, user=_user_name())
                except DebtorGraphError as exc:
                    st.error(t("mark_need_reason") if status == "dismissed" else str(exc))
                else:
                    st.session_state["flash"] = t("mark_saved", status=t(_STATUS_KEYS[status]))
                    st.rerun()
    if st.session_state.get("flash"):
        st.success(st.session_state.pop("flash"))


if __name__ == "__main__":
    render()
