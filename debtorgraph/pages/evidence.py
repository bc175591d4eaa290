"""证据链 Evidence: build, preview and download the packet (PDF, DOCX, JSON)."""
from __future__ import annotations

import json

import streamlit as st

from debtorgraph.errors import DebtorGraphError
from debtorgraph.ui import data
from debtorgraph.ui.backends import Unavailable, build_evidence, plain, render_evidence
from debtorgraph.ui.frame import debtor_picker, findings_or_note, md, missing_note, shown, store_or_stop
from debtorgraph.ui.i18n import current_lang, t
from debtorgraph.ui.marks import load_marks
from debtorgraph.ui.store import db_path


def _preview(chain: dict, lang: str) -> None:
    """The chain's summary and its five categories: facts (with entity ids) and gaps."""
    summary = chain.get("summary")
    if isinstance(summary, dict):
        st.markdown(md(summary.get("en" if lang == "en" else "zh") or ""))
    cats = chain.get("categories")
    if not isinstance(cats, dict):
        st.json(chain, expanded=1)
        return
    for key, cat in cats.items():
        facts, gaps = cat.get("facts") or [], cat.get("gaps") or []
        title = cat.get("title_en" if lang == "en" else "title_zh") or key
        with st.expander(f"{title}（{len(facts)}）", expanded=key in ("conduct", "duty")):
            for fact in facts:
                text = fact.get("text_en" if lang == "en" else "text_zh") or ""
                ids = ", ".join(map(str, fact.get("entities") or []))
                st.markdown(f"- **{md(fact.get('id', ''))}** {md(text)}" + (f"  \n  `{ids}`" if ids else ""))
            for gap in gaps:
                st.warning(gap.get("en" if lang == "en" else "zh") or gap.get("code"))


def _reviewed(store, debtor: str) -> list | None:
    """The debtor's findings for the packet, less those an investigator dismissed (Findings page)."""
    found = findings_or_note(store, quiet=True, subject=debtor)
    if found is None:
        return None
    marks = load_marks()
    kept = [f for f in found if marks.get(str(f.get("id")), {}).get("status") != "dismissed"]
    if len(kept) < len(found):
        st.caption(t("dismissed_left_out", n=len(found) - len(kept)))
    return kept


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
                st.session_state[key] = build_evidence(store, debtor, case, _reviewed(store, debtor))
        except Unavailable as exc:
            missing_note(exc, "page_evidence")
            return
        except DebtorGraphError as exc:
            st.error(str(exc))
            return
        except Exception as exc:  # the evidence module's own failure, shown rather than hidden
            st.error(t("module_failed", feature=t("page_evidence"), error=f"{type(exc).__name__}: {exc}"))
            return
    packet = st.session_state.get(key)
    if packet is not None:  # masked here, once, for the preview and every download format
        packet = shown(plain(packet))
    if packet is None:
        try:
            import debtorgraph.analysis.evidence  # noqa: F401
        except ModuleNotFoundError:
            missing_note(Unavailable("debtorgraph.analysis.evidence", "evidence"), "page_evidence")
        return
    st.subheader(t("packet_preview"))
    _preview(packet, current_lang())
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
        st.code(json.dumps(packet, ensure_ascii=False, indent=2)[:20000], language="json")


if __name__ == "__main__":
    render()
