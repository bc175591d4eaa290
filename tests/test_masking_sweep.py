"""Masking sweep: as a role that may not see personal data, no full ID, phone or account number
of the data set appears on any page of the app, in any evidence format or in any CLI output.

The data set is a generated caseload (real-looking accounts, WeChat ids, Alipay phones, ID
numbers); the values looked for are the data's own (every identifier property of every
entity), not patterns. The headless-browser half of the sweep is in tests/browser.
"""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from typing import Any, Iterator

import orjson
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from debtorgraph.config import reload_settings
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.ftm import read_ftm
from debtorgraph.security.masking import MASKED_PROPS, PERSON_ONLY_PROPS
from debtorgraph.synthetic.generate import generate

APP = str(Path(__file__).resolve().parents[1] / "debtorgraph" / "app.py")
PAGES = ["overview", "search", "investigate", "money_flow", "timeline", "findings", "evidence", "cypher", "data"]


class Caseload:
    """A generated caseload loaded into an embedded store, and its personal identifiers."""

    def __init__(self, folder: Path) -> None:
        generate(folder / "gen", seed=3, debtors=5, payments=400)
        self.entities = [orjson.loads(line) for line in (folder / "gen" / "entities.ftm.jsonl").read_bytes().splitlines()]
        self.db = folder / "graph.lbug"
        store = EmbeddedStore(self.db)
        try:
            ingest = Ingest(store, None)
            ingest.add(read_ftm(folder / "gen" / "entities.ftm.jsonl"), "entities.ftm.jsonl")
            ingest.commit()
        finally:
            store.close()
        self.secrets = sorted({str(v) for e in self.entities for p, vs in e["properties"].items()
                               if p in MASKED_PROPS or (p in PERSON_ONLY_PROPS and e["schema"] == "Person")
                               for v in vs if len(str(v)) >= 7})

    def leaks(self, text: str) -> list[str]:
        return [s for s in self.secrets if s in text]


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Caseload:
    data = Caseload(tmp_path_factory.mktemp("sweep"))
    kinds = {k for e in data.entities for k in e["properties"].get("accountType", [])}
    assert {"bank", "wechat", "alipay"} <= kinds and len(data.secrets) > 50
    return data


def _debtor(caseload: Caseload) -> str:
    """The first debtor of the caseload (a CourtCaseParty with role debtor)."""
    return next(e["properties"]["party"][0] for e in caseload.entities
                if e["schema"] == "CourtCaseParty" and e["properties"].get("role") == ["debtor"])


def page_text(node: Any) -> str:
    """Everything an AppTest run put on the page: every element's protobuf as text."""
    out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        out.append(page_text(child))
    return "\n".join(out)


@pytest.fixture(autouse=True)
def _navigation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner

    class NavigationOnly(pages_manager.PagesManager):
        uses_pages_directory = False

    monkeypatch.setattr(script_runner, "PagesManager", NavigationOnly)


@pytest.fixture
def app(caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(caseload.db))
    monkeypatch.setenv("DEBTORGRAPH_HOME", str(tmp_path / "home"))
    reload_settings()
    yield AppTest.from_file(APP, default_timeout=90)
    reload_settings()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_masked(app: AppTest, caseload: Caseload, lang: str) -> None:
    at = app.run()
    debtor = _debtor(caseload)
    at.session_state["lang"] = lang
    at.session_state["debtor"] = debtor
    texts = []
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        if page == "findings":
            for view in ("findings", "leads"):
                at.session_state["f_view"] = view
                at.run()
                texts.append(page_text(at._tree))
                picks = at.selectbox(key="f_pick").options if view == "findings" else []
                for option in picks[:6]:
                    at.selectbox(key="f_pick").set_value(option).run()
                    texts.append(page_text(at._tree))
            at.session_state["f_view"] = "findings"
        if page == "evidence":
            at.button(key="ev_build").click().run()
            assert not at.exception
            assert at.get("download_button"), "no packet built"
        if page == "cypher":
            at.text_area(key="console_cypher").input("MATCH (n) RETURN n LIMIT 400")
            at.button[-1].click().run()
        texts.append(page_text(at._tree))
    assert caseload.leaks("\n".join(texts)) == []


# -- the CLI, as an analyst and a prosecutor with accounts on ------------------------------
PASSWORDS = {"boss": "boss-password-1", "li": "analyst-password", "zhao": "prosecutor-pass"}


@pytest.fixture
def accounts(caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from debtorgraph.security.users import UserStore

    home = tmp_path / "home"
    monkeypatch.setenv("DEBTORGRAPH_HOME", str(home))
    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(caseload.db))
    monkeypatch.delenv("DEBTORGRAPH_WHY", raising=False)
    reload_settings()
    users = UserStore(home / "users.json", scrypt_n=2 ** 10)
    for name, role in (("boss", "admin"), ("li", "analyst"), ("zhao", "prosecutor")):
        users.add(name, role, PASSWORDS[name])
    yield home
    reload_settings()


def cli(*args: str, stdin: str | None = None) -> str:
    from debtorgraph.cli import main

    result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def as_user(name: str) -> None:
    cli("login", name, "--password-stdin", stdin=PASSWORDS[name] + "\n")


def test_every_cli_output_masked(accounts: Path, caseload: Caseload) -> None:
    debtor = _debtor(caseload)
    as_user("li")
    outputs = [cli("query", "MATCH (n) RETURN n"), cli("query", "MATCH (n) RETURN n", "--format", "json"),
               cli("query", "MATCH (a)-[r]->(b) RETURN a.caption, r, b.caption", "--format", "csv"),
               cli("detect"), cli("detect", "--format", "jsonl"), cli("detect", "--leads"),
               cli("trace", "--from", debtor, "--since", "2000-01-01"),
               cli("trace", "--from", debtor, "--since", "2000-01-01", "--format", "table"),
               cli("stats"), cli("candidates"), cli("whoami")]
    got = caseload.leaks("\n".join(outputs))
    assert got == [], got[:5]


def test_every_evidence_format_masked(accounts: Path, caseload: Caseload, tmp_path: Path) -> None:
    debtor = _debtor(caseload)
    as_user("zhao")
    texts = []
    for fmt in ("json", "html", "docx", "pdf"):
        out = tmp_path / f"packet.{fmt}"
        cli("evidence", "--debtor", debtor, "--format", fmt, "--out", str(out))
        if fmt == "docx":
            with zipfile.ZipFile(out) as z:
                texts.append(z.read("word/document.xml").decode("utf-8"))
        elif fmt == "pdf":
            texts.append(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                        check=True).stdout)
        else:
            texts.append(out.read_text(encoding="utf-8"))
    assert "账户" in texts[0] and caseload.leaks("\n".join(texts)) == []
    # a prosecutor who states the reason gets the full numbers (written to the audit log)
    full = tmp_path / "full.json"
    cli("--why", "移送公安机关立案", "evidence", "--debtor", debtor, "--format", "json", "--out", str(full))
    assert caseload.leaks(full.read_text(encoding="utf-8"))
