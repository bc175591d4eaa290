"""证据链 Evidence: build, preview and download the packet (PDF, DOCX, JSON)."""
from __future__ import annotations

import json

import streamlit as st

from debtorgraph.errors import DebtorGraphError
from debtorgraph.ui import data
from debtorgraph.ui.backends import Unavailable, build_evidence, plain, render_evidence
from debtorgraph.ui.frame import debtor_picker, md, missing_note, store_or_stop
from debtorgraph.ui.i18n import t
from debtorgraph.ui.store import db_path


def _preview(packet: dict) -> None:
    """The packet's facts, grouped by category when it has categories."""
    cats = packet.get("categories") or packet.get("sections")
    if isinstance(cats, dict):
        cats = [{"name": k, "facts": v} for k, v in cats.items()]
    if not isinstance(cats, list):
        st.json(packet, expanded=1)
        return
    for cat in cats:
        facts = cat.get("facts") or cat.get("items") or []
        with st.expander(f"{cat.get('title') or cat.get('name') or cat.get('category')} ({len(facts)})", expanded=True):
            for fact in facts:
                text = fact.get("text") or fact.get("statement") or fact.get("summary") if isinstance(fact, dict) else fact
                ids = ", ".join(map(str, fact.get("entities") or fact.get("ids") or [])) if isinstance(fact, dict) else ""
                st.markdown(f"- {md(text)}" + (f"  \n  `{ids}`" if ids else ""))


def render() -> None:
    st.title(t("page_evidence"))
    store = store_or_stop()
    debtor = debtor_picker(store, key="ev_debtor")
    if not debtor:
        return
    db = db_path()
    info = data.party(store, db, debtor) or {"cases": []}
    cases = info.get("cases") or []
    case_ids = [c["case_id"] for c in cases] or [None]
    case = st.selectbox(t("evidence_case"), case_ids,
                        format_func=lambda c: next((x["case_number"] or x["case_id"] for x in cases if x["case_id"] == c), "—"),
                        key="ev_case")
    key = f"packet:{debtor}:{case}"
    if st.button(t("build_packet"), key="ev_build", type="primary"):
        try:
            with st.spinner(t("build_packet")):
                st.session_state[key] = build_evidence(store, debtor, case)
        except Unavailable as exc:
            missing_note(exc, "page_evidence")
            return
        except DebtorGraphError as exc:
            st.error(str(exc))
            return
    packet = st.session_state.get(key)
    if packet is None:
        try:
            import debtorgraph.analysis.evidence  # noqa: F401
        except ModuleNotFoundError:
            missing_note(Unavailable("debtorgraph.analysis.evidence", "evidence"), "page_evidence")
        return
    st.subheader(t("packet_preview"))
    _preview(plain(packet) if not isinstance(packet, dict) else packet)
    cols = st.columns(3)
    for col, fmt, mime, label in ((cols[0], "pdf", "application/pdf", "download_pdf"),
                                  (cols[1], "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                   "download_docx"),
                                  (cols[2], "json", "application/json", "download_json")):
        try:
            blob = render_evidence(packet, fmt)
        except Unavailable:
            col.caption(t("module_missing", feature=fmt.upper(), module="debtorgraph.analysis.evidence"))
            continue
        except Exception as exc:  # the renderer's own message
            col.warning(t("module_failed", feature=fmt.upper(), error=exc))
            continue
        col.download_button(t(label), blob, f"evidence-{debtor}.{fmt}", mime, key=f"ev_dl_{fmt}")
    with st.expander("JSON"):
        st.code(json.dumps(plain(packet), ensure_ascii=False, indent=2)[:20000], language="json")


if __name__ == "__main__":
    render()
