"""The Data page's uploads of court files: the holder a statement does not name, rows skipped."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_kit import goto
from app_kit import _no_pages_folder_mode, app, case_db  # noqa: F401  (fixtures)

#: A real Agricultural Bank of China debit statement export that names no holder (tests/fixtures/statements/SOURCES.md).
ABC = Path(__file__).resolve().parents[1] / "fixtures" / "statements" / "abc_debit_ddg.csv"


class Upload:  # what st.file_uploader hands over
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: str, **holder: str):
    from debtorgraph.ui.load import load_uploads

    monkeypatch.setenv("DEBTORGRAPH_DB", str(tmp_path / db))
    folder = tmp_path / db.replace(".", "_")
    folder.mkdir()
    return load_uploads([Upload("abc.csv", ABC.read_bytes())], folder, tmp_path / f"{db}.rej", **holder)


def test_a_statement_without_holder_is_named_on_the_form_or_flagged(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from debtorgraph.graph.store.embedded import EmbeddedStore

    flagged = _load(tmp_path, monkeypatch, "a.lbug")
    assert flagged.notes["abc.csv"]["placeholders"] == ["待确认户名（abc）"] and flagged.balanced

    named = _load(tmp_path, monkeypatch, "b.lbug", holder="王某某", account="6228480000000000017")
    assert not named.notes["abc.csv"].get("placeholders") and named.balanced
    assert named.notes["abc.csv"]["holders"][0]["name"] == "王某某"
    store = EmbeddedStore(tmp_path / "b.lbug", read_only=True)
    try:
        rows = store.run_read("MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) WHERE a.caption = '王某某' "
                              "RETURN count(p)").rows
        holders = store.run_read("MATCH (n:Entity) WHERE n.caption STARTS WITH '待确认户名' RETURN count(n)").rows
    finally:
        store.close()
    assert rows[0][0] > 0 and holders == [[0]]


def test_data_page_shows_the_holder_to_confirm(app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _load(tmp_path, monkeypatch, "c.lbug")
    at = goto(app, "data", last_report=report)
    assert [w.value for w in at.warning] == [
        "abc.csv：文件未写明户名，暂记为「待确认户名（abc）」。请在上方填写户名和账号后重新导入。"]
    assert at.text_input(key="upload_holder") and at.text_input(key="upload_account")
