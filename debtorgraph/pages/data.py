"""数据导入 Data: upload files, load them with progress, the load report, the rejects."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import streamlit as st

from debtorgraph.config import setting
from debtorgraph.errors import DebtorGraphError
from debtorgraph.ui.frame import require_frame
from debtorgraph.ui.i18n import current_lang, t, uploader_css
from debtorgraph.ui.load import load_items, load_uploads
from debtorgraph.ui.sample import sample_entities
from debtorgraph.ui.store import db_path, get_store, store_exists


def _report(report) -> None:
    st.success(t("loaded"))
    cols = st.columns(4)
    cols[0].metric(t("entities_in"), report.entities_in)
    cols[1].metric(t("loaded_n"), report.loaded)
    cols[2].metric(t("merged_n"), report.merged)
    cols[3].metric(t("rejected_n"), report.rejected)
    if report.skipped:
        st.caption(t("rows_skipped", n=report.skipped))
    if report.mangled_accounts:
        st.warning(t("accounts_mangled", n=report.mangled_accounts))
    for name, placeholder in report.placeholders:
        st.warning(t("holder_to_confirm", file=name, placeholder=placeholder))
    with st.expander(t("report"), expanded=True):
        st.code("\n".join(report.lines()), language=None)
    if report.rejects_path and Path(report.rejects_path).exists():
        st.download_button(t("download_rejects"), Path(report.rejects_path).read_bytes(), Path(report.rejects_path).name,
                           "application/x-ndjson", key="rejects_dl")


def _store_is_empty() -> bool:
    """True when there is no store yet, or it holds no records (the only time the sample may load)."""
    if not store_exists():
        return True
    try:
        return int(get_store().count_records()) == 0
    except DebtorGraphError:
        return False


def render() -> None:
    require_frame()
    st.title(t("page_data"))
    st.caption(t("readonly_note"))
    st.caption(f"{t('store')}: `{db_path()}`")
    css = uploader_css(current_lang(), int(st.get_option("server.maxUploadSize")))
    if css:
        st.html(css)
    files = st.file_uploader(t("upload"), accept_multiple_files=True, key="uploads")
    c1, c2 = st.columns(2)
    holder = c1.text_input(t("upload_holder"), key="upload_holder", help=t("upload_holder_help")).strip()
    account = c2.text_input(t("upload_account"), key="upload_account", help=t("upload_holder_help")).strip()
    rejects = Path(setting("DEBTORGRAPH_HOME")) / "rejects" / f"rejects-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
    bar = st.empty()
    if st.button(t("load"), type="primary", disabled=not files, key="load_btn"):
        progress = bar.progress(0.0)

        def step(done: float, label: str) -> None:
            progress.progress(done, text=t("loading", file=label))

        try:
            with tempfile.TemporaryDirectory(prefix="debtorgraph-upload-") as tmp:
                report = load_uploads(files, Path(tmp), rejects, step, holder=holder, account=account)
        except DebtorGraphError as exc:
            st.error(t("load_failed", error=exc))
            return
        except Exception as exc:  # the store rolled back
            st.error(t("load_failed", error=f"{type(exc).__name__}: {exc}"))
            return
        progress.progress(1.0)
        st.session_state["last_report"] = report
    if _store_is_empty() and st.button(t("sample"), key="sample_btn"):  # never into a real store
        try:
            report = load_items(sample_entities(), "sample.ftm.jsonl", rejects)
        except Exception as exc:
            st.error(t("load_failed", error=f"{type(exc).__name__}: {exc}"))
            return
        st.session_state["last_report"] = report
    if st.session_state.get("last_report") is not None:
        _report(st.session_state["last_report"])


if __name__ == "__main__":
    render()
