"""Evidence chains: the five categories, sources, determinism, bad input, renderers, CLI."""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import orjson
import pytest

from debtorgraph.analysis.evidence import build_chain, chain_bytes, render
from debtorgraph.analysis.evidence.sample import CASE_NUMBER, sample_entities, sample_findings
from debtorgraph.errors import DebtorGraphError, InvalidInput, NodeNotFound
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.ftm import read_ftm

HEADINGS = ("身份", "执行义务", "履行能力", "拒不执行行为", "情节与后果")


def load(folder: Path, entities: list[dict[str, Any]], name: str = "sample.ftm.jsonl") -> EmbeddedStore:
    """Write ``entities`` as FtM JSON lines in ``folder`` and load them into a new store there."""
    path = folder / name
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    store = EmbeddedStore(folder / "graph")
    ingest = Ingest(store)
    ingest.add(read_ftm(path), name)
    ingest.commit()
    return store


@pytest.fixture(scope="module")
def sister_flat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, Path]]:
    """The sample case of evidence.sample (debtor p-wang, case-1; clean debtor p-qian, case-2)."""
    folder = tmp_path_factory.mktemp("sister_flat")
    store = load(folder, sample_entities())
    yield store, folder
    store.close()


@pytest.fixture(scope="module")
def chain(sister_flat: tuple[EmbeddedStore, Path]) -> dict[str, Any]:
    store, folder = sister_flat
    return build_chain(store, "p-wang", "case-1", findings=sample_findings(), source_dirs=[folder])


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout
    pypdf = pytest.importorskip("pypdf", reason="needs pdftotext (poppler-utils) or pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def _entities(chain: dict[str, Any], category: str) -> set[str]:
    return {e for f in chain["categories"][category]["facts"] for e in f["entities"]}


# -- the five categories ----------------------------------------------------------------
def test_five_categories_with_the_right_ids(chain: dict[str, Any]) -> None:
    assert list(chain["categories"]) == ["identity", "duty", "ability", "conduct", "circumstances"]
    assert [c["title_zh"] for c in chain["categories"].values()] == list(HEADINGS)
    assert {"p-wang", "p-wang-2", "dir-1"} <= _entities(chain, "identity")        # merged party named too
    assert {"case-1", "ccp-1", "ev-2", "debt-1", "debt-2", "ev-4", "ev-5", "sx-1"} <= _entities(chain, "duty")
    assert {"acct-wang", "own-acct", "pay-sal-05", "re-flat", "own-flat-1", "v-car"} <= _entities(chain, "ability")
    assert {"own-flat-1", "own-flat-2", "pay-1", "p-sister", "fam-1"} <= _entities(chain, "conduct")
    assert {"debt-2", "pay-3", "sx-2"} <= _entities(chain, "circumstances")
    assert chain["cases"][0]["effective_date"] == "2022-01-10"
    assert chain["findings"] == ["fd-flat", "fd-pay"] and chain["no_findings"] is False
    concealed = next(f for f in chain["categories"]["circumstances"]["facts"] if f["kind"] == "concealed")
    assert concealed["amount"] == 500000.0 and concealed["data"]["unpaid"] == 480000.0   # flat price + transfer


def test_identifiers_are_checked(chain: dict[str, Any]) -> None:
    ids = [f["data"] for f in chain["categories"]["identity"]["facts"] if f["kind"] == "identifier"]
    assert ids == [{"property": "idNumber", "value": "513338198001011233", "standard": "GB 11643-1999",
                    "valid": True, "birth_date": "1980-01-01", "sex": "male", "birth_place": "四川省得荣县"}]
    addresses = {f["data"]["value"] for f in chain["categories"]["identity"]["facts"] if f["kind"] == "address"}
    assert addresses == {"四川省甘孜州得荣县松麦镇1号", "成都市武侯区人民南路4段9号"}


def test_every_fact_names_its_sources(chain: dict[str, Any]) -> None:
    for cat in chain["categories"].values():
        for fact in cat["facts"]:
            assert fact["entities"], fact["id"]
            assert {s["entity"] for s in fact["sources"]} == set(fact["entities"]), fact["id"]
    pay = next(s for f in chain["categories"]["conduct"]["facts"] for s in f["sources"] if s["entity"] == "pay-1")
    assert pay["document"] == "doc-bank" and pay["file_name"] == "工商银行流水_王某某.csv"
    assert pay["content_hash"] == "3b0f4e1c0e9a1d2f5a6b7c8d9e0f1a2b3c4d5e6f" and pay["record_id"] == "明细!901"
    line = next(i for i, e in enumerate(sample_entities(), 1) if e["id"] == "pay-1")
    assert pay["origin"] == f"sample.ftm.jsonl:{line}"


def test_conduct_shows_relation_price_and_timing(chain: dict[str, Any]) -> None:
    flat, pay = [f for f in chain["categories"]["conduct"]["facts"] if f["kind"] == "act"]
    sister = flat["data"]["counterparties"][0]
    assert sister["id"] == "p-sister" and sister["kind"] == "sibling" and "fam-1" in sister["links"]
    assert flat["data"]["price"]["ratio"] == pytest.approx(0.25) and flat["data"]["price"]["obviously_low"]
    timing = {t["milestone"]: t["days_after"] for t in pay["data"]["timing"]}
    assert timing["execution_notice"] == 36 and timing["judgment_effective"] == 90
    assert "执行通知送达（2022-03-05）后第 36 日" in pay["text_zh"]


def test_ability_is_rebuilt_from_postings(chain: dict[str, Any]) -> None:
    acct = next(f for f in chain["categories"]["ability"]["facts"] if f["kind"] == "account")
    # 5,000 on 2021-09-30 plus four salaries of 18,000; the peak is after the 150,000 bonus
    assert acct["data"]["balance_at_effective_date"] == 77000.0
    assert acct["data"]["peak_balance"] == 281000.0 and acct["data"]["peak_date"] == "2022-04-05"
    assert acct["data"]["opening_basis"] == "anchor"
    summary = next(f for f in chain["categories"]["ability"]["facts"] if f["kind"] == "summary")
    assert summary["data"]["unpaid"] == 480000.0 and "足以全部履行" in summary["text_zh"]


def test_a_stated_balance_that_contradicts_the_postings_is_not_trusted(tmp_path: Path) -> None:
    ents = sample_entities()
    acct = next(e for e in ents if e["id"] == "acct-wang")
    acct["properties"]["balanceDate"] = ["2021-12-31"]   # 5,000 after 54,000 of salary and no spending
    store = load(tmp_path, ents)
    try:
        chain = build_chain(store, "p-wang", "case-1", findings=sample_findings())
    finally:
        store.close()
    fact = next(f for f in chain["categories"]["ability"]["facts"] if f["kind"] == "account")
    assert fact["data"]["opening_basis"] == "anchor_inconsistent" and "对账余额与流水不符" in fact["text_zh"]
    assert min(m[1] for m in fact["data"]["monthly"]) >= 0


def test_deadlines_clues_provisions_figures(chain: dict[str, Any]) -> None:
    deadlines = {d["finding"]: d for d in chain["revocation_deadlines"]}
    assert deadlines["fd-flat"]["article"] == "CC-539" and deadlines["fd-flat"]["five_year_deadline"] == "2027-02-20"
    assert deadlines["fd-pay"]["article"] == "CC-538" and not deadlines["fd-pay"]["expired"]
    clues = {(c["kind"], c["entity"]) for c in chain["property_clues"]}
    assert {("account", "acct-wang"), ("asset", "v-car"), ("transferred_asset", "re-flat"),
            ("traced_funds", "acct-friend"), ("income", "c-employer")} <= clues
    keys = {p["key"] for p in chain["provisions"]}
    assert {"CrimL-313", "GC-71", "CC-539", "CC-541", "CG-42", "NPC-1", "I24-8", "CPL-252"} <= keys
    flow = next(f for f in chain["figures"] if f["kind"] == "money_flow")
    assert flow["rule"] == "libr" and {e["id"]: e["amount"] for e in flow["endpoints"]} == {
        "acct-friend": 150000.0, "acct-sister": 50000.0}


def test_manifest_hashes_the_files_at_hand(chain: dict[str, Any], sister_flat: tuple[EmbeddedStore, Path]) -> None:
    _, folder = sister_flat
    files = {f["file_name"]: f for f in chain["manifest"]["source_files"]}
    here = files["sample.ftm.jsonl"]
    assert here["found"] and here["sha256"] == hashlib.sha256((folder / "sample.ftm.jsonl").read_bytes()).hexdigest()
    bank = files["工商银行流水_王某某.csv"]        # not at hand: the hash its document records
    assert not bank["found"] and bank["sha256"] is None and bank["recorded_sha1"].startswith("3b0f4e")
    m = dict(chain["manifest"], content_sha256=None)
    assert hashlib.sha256(chain_bytes(dict(chain, manifest=m))).hexdigest() == chain["manifest"]["content_sha256"]


# -- no findings, determinism -------------------------------------------------------------
def test_a_debtor_with_no_findings_says_so(sister_flat: tuple[EmbeddedStore, Path]) -> None:
    store, _ = sister_flat
    chain = build_chain(store, "p-qian", findings=sample_findings())
    assert chain["no_findings"] and chain["findings"] == []
    gaps = {g["code"]: g for g in chain["categories"]["conduct"]["gaps"]}
    assert "未发现拒不执行行为" in gaps["no_findings"]["zh"] and "no findings" in gaps["no_findings"]["en"]
    assert chain["categories"]["duty"]["facts"] and chain["categories"]["ability"]["facts"]
    assert "未发现拒不执行行为" in chain["summary"]["zh"] or "未发现" in chain["summary"]["zh"]


def test_json_is_byte_identical(sister_flat: tuple[EmbeddedStore, Path], chain: dict[str, Any]) -> None:
    store, folder = sister_flat
    again = build_chain(store, "p-wang", "case-1", findings=sample_findings(), source_dirs=[folder])
    assert chain_bytes(again) == chain_bytes(chain)


def test_json_is_byte_identical_across_processes_and_stores(tmp_path: Path) -> None:
    """Two loads of the same file, two processes (different hash seeds): the same bytes."""
    data = tmp_path / "in.ftm.jsonl"
    data.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in sample_entities()))
    findings = tmp_path / "findings.jsonl"
    findings.write_bytes(b"".join(orjson.dumps(f) + b"\n" for f in sample_findings()))
    outs = []
    for n in (1, 2):
        db = tmp_path / f"db{n}"
        subprocess.run([sys.executable, "-m", "debtorgraph.cli", "--db", str(db), "load", str(data)], check=True,
                       capture_output=True)
        out = tmp_path / f"out{n}.json"
        subprocess.run([sys.executable, "-m", "debtorgraph.cli", "--db", str(db), "evidence", "--debtor", "p-wang",
                        "--format", "json", "--out", str(out), "--findings", str(findings)], check=True, capture_output=True,
                       env={**__import__("os").environ, "PYTHONHASHSEED": str(n)})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    digest = (tmp_path / "out1.json.sha256").read_text().split()[0]
    assert digest == hashlib.sha256(outs[0]).hexdigest()


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("debtor, case, error, match", [
    ("nobody", None, NodeNotFound, "未找到被执行人.*Unknown debtor 'nobody'"),         # unknown id
    ("p-zhao", None, InvalidInput, "没有执行案件.*has no case"),                       # applicant only
    ("acct-wang", None, InvalidInput, "不是当事人.*not a party"),                      # not a party
    ("p-wang", "case-9", NodeNotFound, "未找到案件.*Unknown case"),                    # unknown case
    ("p-wang", "case-2", InvalidInput, "不是案件.*not a debtor or guarantor"),         # someone else's case
    (None, None, InvalidInput, "缺少被执行人.*No debtor id"),                          # nothing given
])
def test_bad_input_is_a_clear_error(sister_flat: tuple[EmbeddedStore, Path], debtor: str | None,
                                    case: str | None, error: type[DebtorGraphError], match: str) -> None:
    store, _ = sister_flat
    with pytest.raises(error, match=match):
        build_chain(store, debtor, case, findings=[])


def test_a_case_with_no_effective_date_is_an_explicit_gap(tmp_path: Path) -> None:
    drop = {"ev-2", "debt-1", "debt-2"}
    ents = [e for e in sample_entities() if e["id"] not in drop]
    ents.append({"id": "debt-x", "schema": "Debt", "properties": {
        "debtor": ["p-wang"], "creditor": ["p-zhao"], "amount": ["500000"], "summary": [CASE_NUMBER]}})
    store = load(tmp_path, ents)
    try:
        chain = build_chain(store, "p-wang", "case-1", findings=sample_findings())
    finally:
        store.close()
    assert chain["cases"][0]["effective_date"] is None
    gaps = {g["code"]: g for g in chain["categories"]["duty"]["gaps"]}
    assert "缺少生效日期" in gaps["no_effective_date"]["zh"] and "no effective date" in gaps["no_effective_date"]["en"]
    assert any(g["code"] == "no_effective_date" for g in chain["categories"]["ability"]["gaps"])
    assert chain["categories"]["conduct"]["facts"]            # the acts are still there
    text = _pdf_text(Path(render(chain, tmp_path / "gap.pdf", "pdf")))
    assert "缺少生效日期" in text and "no effective date" in text


# -- renderers and the command -------------------------------------------------------------
def test_pdf_text_layer_and_identical_content(chain: dict[str, Any], tmp_path: Path) -> None:
    a, b = render(chain, tmp_path / "a.pdf", "pdf"), render(chain, tmp_path / "b.pdf", "pdf")
    assert a.read_bytes() == b.read_bytes()
    text = _pdf_text(a)
    assert CASE_NUMBER in text
    for heading in HEADINGS:
        assert heading in text, heading
    assert "王小妹" in text and "撤销权" in text and "财产线索" in text
    info = subprocess.run(["pdfinfo", str(a)], capture_output=True, text=True).stdout
    day = datetime.strptime(chain["as_of"], "%Y-%m-%d")
    assert "2000" not in info.split("CreationDate:")[1].splitlines()[0]  # not reportlab's fixed date
    assert str(day.year) in info.split("CreationDate:")[1].splitlines()[0]  # the chain's as-of day


def test_html_and_docx(chain: dict[str, Any], tmp_path: Path) -> None:
    html = render(chain, tmp_path / "c.html", "html").read_text(encoding="utf-8")
    assert all(h in html for h in HEADINGS) and CASE_NUMBER in html
    assert "<script" not in html and "http" not in html.split("<body>")[0]     # offline, no CDN
    assert html.count("data:image/png;base64,") == len(chain["figures"])
    import docx

    document = docx.Document(str(render(chain, tmp_path / "c.docx", "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert all(h in text for h in HEADINGS) and CASE_NUMBER in text
    assert 'w:eastAsia="WenQuanYi Micro Hei"' in document.styles["Normal"].element.xml
    assert len(document.inline_shapes) == len(chain["figures"])
    import zipfile

    with zipfile.ZipFile(tmp_path / "c.docx") as z:            # the font subset travels with the file
        table = z.read("word/fontTable.xml").decode("utf-8")
        font = z.read("word/fonts/font1.odttf")
    assert 'w:embedRegular' in table and '<w:altName w:val="宋体"/>' in table
    key = bytes.fromhex(table.split('w:fontKey="{')[1].split("}")[0].replace("-", ""))[::-1]
    clear = bytes(b ^ key[i % 16] for i, b in enumerate(font[:32])) + font[32:]
    from fontTools.ttLib import TTFont

    cmap = TTFont(__import__("io").BytesIO(clear)).getBestCmap()
    assert all(ord(ch) in cmap for ch in "".join(HEADINGS) + "王小妹")


def test_figures_are_png_and_stable(chain: dict[str, Any]) -> None:
    from debtorgraph.analysis.evidence.figures import render_figure

    for fig in chain["figures"]:
        png = render_figure(fig)
        assert png.startswith(b"\x89PNG") and png == render_figure(fig)


def test_cli_writes_the_packet(sister_flat: tuple[EmbeddedStore, Path], tmp_path: Path) -> None:
    store, folder = sister_flat
    store.close()  # the command opens the store itself
    findings = tmp_path / "findings.jsonl"
    findings.write_bytes(b"".join(orjson.dumps(f) + b"\n" for f in sample_findings()))
    out = tmp_path / "packet" / "证据.json"
    run = subprocess.run([sys.executable, "-m", "debtorgraph.cli", "--db", str(folder / "graph"), "evidence",
                          "--debtor", "p-wang", "--case", "case-1", "--format", "json", "--out", str(out),
                          "--findings", str(findings)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    chain = json.loads(out.read_text(encoding="utf-8"))
    assert chain["findings"] == ["fd-flat", "fd-pay"]
    assert chain["manifest"]["command"] == ("debtorgraph evidence --debtor p-wang --case case-1 --format json "
                                            "--findings findings.jsonl")
    bad = subprocess.run([sys.executable, "-m", "debtorgraph.cli", "--db", str(folder / "graph"), "evidence",
                          "--debtor", "nobody", "--format", "json", "--out", str(tmp_path / "x.json")],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "Unknown debtor 'nobody'" in bad.stderr and "Traceback" not in bad.stderr


def test_docx_bytes_do_not_depend_on_the_clock(chain: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Zip entries carry the chain's as-of date, not the time of writing: same chain, same bytes."""
    import time as clock
    import zipfile

    real = clock.time
    first = render(chain, None, "docx")
    monkeypatch.setattr(clock, "time", lambda: real() + 86_400 * 40)  # forty days later
    second = render(chain, None, "docx")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        stamps = {i.date_time[:3] for i in z.infolist()}
    assert stamps == {tuple(int(x) for x in chain["as_of"].split("-"))}
