"""Findings, evidence, the Cypher console, the data page and the Chinese UI, run with AppTest against
the real embedded store holding the sample case (fixtures in conftest.py, helpers in app_kit.py)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from debtorgraph.ui.sample import sample_entities

from app_kit import APP, FINDINGS, _hide_module, goto, srcdoc, table
from app_kit import _no_pages_folder_mode, app, case_db, fake_detect  # noqa: F401  (fixtures)

def test_findings_rank_mark_and_export(app: AppTest, fake_detect: None) -> None:
    at = goto(app, "findings")
    rows = table(at, 0)
    assert list(rows["ID"]) == ["f-sale", "f-pay"]
    assert list(rows["撤销权除斥期间届满"]) == ["2027-05-20", ""]
    assert "own-sister-re" in srcdoc(at)                       # the acts drawn
    assert any(c.value.startswith("规则代码 ") and "· 编号 f-sale" in c.value for c in at.caption)  # labelled, not bare codes
    at.radio(key="mark_status_f-sale").set_value("dismissed")   # no reason: refused
    at.button(key="mark_save").click().run()
    assert at.error and "理由" in at.error[0].value
    at.radio(key="mark_status_f-sale").set_value("dismissed")
    at.text_input(key="mark_reason_f-sale").input("已核实为正常交易")
    at.button(key="mark_save").click().run()
    assert at.success
    assert list(table(at, 0)["标注"]) == ["已排除", "未标注"]
    from debtorgraph.ui.marks import load_marks

    assert load_marks()["f-sale"] == {**load_marks()["f-sale"], "status": "dismissed", "reason": "已核实为正常交易"}
    from debtorgraph.ui.findings import findings_csv
    from debtorgraph.ui.marks import with_marks

    exported = findings_csv(with_marks(FINDINGS))
    assert "dismissed" in exported and "已核实为正常交易" in exported
    assert "'=HYPERLINK" in exported and '\n=HYPERLINK' not in exported


def test_findings_open_the_network_with_flags(app: AppTest, fake_detect: None) -> None:
    at = goto(app, "findings")
    at.button(key="f_open").click().run()
    assert at.session_state["debtor"] == "p-wang"
    assert at.error and "2" in at.error[0].value                # two findings in this network
    nodes = table(at, 0)
    sister = nodes[nodes["ID"] == "p-sister"]
    assert set(sister["规则"].iloc[0].split(", ")) == {"undervalue_transfer_to_relative", "payments_after_notice"}
    edges = table(at, 1)
    assert (edges[(edges["终点"] == "王秀英") & (edges["关系"] == "资金往来")]["⚠"] == "⚠").all()


def test_findings_without_detection(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    _hide_module(monkeypatch, "debtorgraph.analysis.detect")
    at = goto(app, "findings")
    assert "debtorgraph.analysis.detect" in at.info[0].value


def test_evidence_page(app: AppTest) -> None:
    at = goto(app, "evidence", debtor="p-wang")
    try:
        import debtorgraph.analysis.evidence  # noqa: F401
    except ModuleNotFoundError:
        assert "debtorgraph.analysis.evidence" in at.info[0].value
        return
    at.button(key="ev_build").click().run()
    assert not at.exception
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"下载 PDF", "下载 JSON"} <= labels


# -- cypher, data -----------------------------------------------------------------------------------
def test_cypher_console_reads_and_refuses_writes(app: AppTest) -> None:
    at = goto(app, "cypher")
    at.text_area(key="console_cypher").input(
        "MATCH (p:Entity)-[r:PAYMENT]->(q:Entity) WHERE p.id = $id RETURN q.caption AS who, r.amount AS amount "
        "ORDER BY amount DESC")
    at.text_area(key="console_params").input('{"id": "p-wang"}')
    at.button[-1].click().run()
    assert not at.error, [e.value for e in at.error]
    rows = table(at, 0)
    assert list(rows["amount"]) == [120000.0, 80000.0, 50000.0, 40000.0, 30000.0]
    assert at.get("download_button")
    at.text_area(key="console_cypher").input("MATCH (n:Entity) DETACH DELETE n")
    at.button[-1].click().run()
    assert at.error and "DELETE" in at.error[0].value


def test_cypher_graph_of_nodes(app: AppTest) -> None:
    at = goto(app, "cypher")
    at.text_area(key="console_cypher").input("MATCH (a:Entity)-[r:FAMILY]->(b:Entity) RETURN a, r, b")
    at.button[-1].click().run()
    assert "李梅" in srcdoc(at) and "王秀英" in srcdoc(at)


def test_data_page_loads_the_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(tmp_path / "fresh.lbug"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/data.py").run()
    at.button(key="sample_btn").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    n = len(list(sample_entities()))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["读入实体"] == str(n) and metrics["拒绝"] == "0"
    at.switch_page("pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["被执行人"] == "2"
    at.switch_page("pages/data.py").run()
    assert not [b for b in at.button if b.key == "sample_btn"]  # never loaded into a store with data


def test_upload_load_and_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Data page's loader: uploaded files in one load, bad rows to the rejects file."""
    import orjson

    from debtorgraph.ui.load import load_uploads

    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(tmp_path / "up.lbug"))

    class Upload:  # what st.file_uploader hands over
        def __init__(self, name: str, data: bytes) -> None:
            self.name, self._data = name, data

        def getvalue(self) -> bytes:
            return self._data

    good = b"".join(orjson.dumps(e) + b"\n" for e in list(sample_entities())[:10])
    bad = b'{"id": "x", "schema": "Person", "properties": {"nope": ["1"]}}\nnot json\n'
    steps: list[float] = []
    report = load_uploads([Upload("../../a.ftm.jsonl", good + bad)], tmp_path, tmp_path / "rej.jsonl",
                          lambda done, label: steps.append(done))
    assert (tmp_path / "a.ftm.jsonl").exists()  # the name cannot leave the folder
    assert report.loaded == 10 and report.rejected == 2 and report.balanced
    assert len((tmp_path / "rej.jsonl").read_text().splitlines()) == 2
    assert steps and steps == sorted(steps)


def test_every_string_key_exists() -> None:
    from debtorgraph.ui.i18n import STRINGS

    root = Path(APP).parent
    used: set[str] = set()
    for path in [*root.joinpath("pages").glob("*.py"), *root.joinpath("ui").glob("*.py"), root / "app.py"]:
        text = path.read_text(encoding="utf-8").split(">>>")[0] if path.name == "i18n.py" else path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']""", text))
    assert used - set(STRINGS) == set()
    assert all(zh and en for zh, en in STRINGS.values())


def test_findings_from_the_real_detection(app: AppTest) -> None:
    """With the detection modules installed, the sample debtor's acts are found and ranked."""
    try:
        import debtorgraph.analysis.detect  # noqa: F401
        import debtorgraph.analysis.neighbourhood.store  # noqa: F401
    except ModuleNotFoundError as exc:
        pytest.skip(f"detection not installed: {exc.name}")
    import streamlit as st

    st.cache_data.clear()
    at = goto(app, "findings")
    rows = table(at, 0)
    assert len(rows) >= 1 and set(rows["被执行人"]) >= {"王建国"}
    scores = list(rows["评分"])
    assert scores == sorted(scores, reverse=True)


def test_deep_link_opens_a_debtor(app: AppTest) -> None:
    """``/investigate?debtor=p-chen`` opens that debtor's network (links from other tools, the bench)."""
    at = app.run()
    at.query_params["debtor"] = "p-chen"
    at.switch_page("pages/investigate.py").run()
    assert not at.exception
    assert at.session_state["debtor"] == "p-chen"
    assert {"陈立新", "中兴建材有限公司"} <= set(table(at, 0)["名称"])


def test_timeline_chart_keeps_every_lane() -> None:
    """Dates with and without a time of day are one axis (a mixed column once dropped payments)."""
    from debtorgraph.ui.timeline import timeline_chart

    items = [{"date": "2022-03-01", "day": "2022-03-01", "lane": "milestone", "what": "Event:judgment_effective",
              "id": "e", "amount": None, "detail": ""},
             {"date": "2022-04-15T10:20:00", "day": "2022-04-15", "lane": "out", "what": "payment:借款", "id": "p",
              "amount": 50000.0, "detail": "王秀英"}]
    spec = timeline_chart(items, {"milestone": "M", "out": "O"}, "zh").to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == ["M", "O"]
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 2


def test_evidence_leaves_out_dismissed_findings(app: AppTest, fake_detect: None) -> None:
    try:
        import debtorgraph.analysis.evidence  # noqa: F401
    except ModuleNotFoundError:
        pytest.skip("evidence not installed")
    from debtorgraph.ui.marks import save_mark

    save_mark("f-pay", "dismissed", "正常往来")
    at = goto(app, "evidence", debtor="p-wang")
    at.button(key="ev_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已排除的 1 条" in c.value for c in at.caption)
    packet = at.session_state["packet:p-wang:case-1"]
    assert packet["findings"] == ["f-sale"]


@pytest.mark.parametrize("finding, subject, name", [("f-chen", "p-chen", "陈立新"), ("f-sale", "p-wang", "王建国")])
def test_picked_finding_makes_its_debtor_current(app: AppTest, fake_detect: None, finding: str, subject: str,
                                                 name: str) -> None:
    """Issue 17 item 3: a finding picked on 可疑行为 is the debtor 证据链 and the sidebar show."""
    chen = {**FINDINGS[1], "id": "f-chen", "subject": "p-chen", "actor": "p-chen", "score": 0.95,
            "acts": [], "counterparties": []}
    sys.modules["debtorgraph.analysis.detect"].detect = lambda source: [dict(f) for f in [chen, *FINDINGS]]
    at = goto(app, "findings")
    at.selectbox(key="f_pick").set_value(finding).run()
    assert at.session_state["debtor"] == subject
    assert any(name in c.value for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]
    at.switch_page("pages/evidence.py").run()
    assert not at.exception
    assert at.selectbox(key="ev_debtor").value == subject
    assert any(name in c.value for c in at.sidebar.caption)


def test_cypher_errors_are_explained_and_a_crash_leaves_the_app_up(app: AppTest) -> None:
    """Issue 17 item 6: the console says what is wrong in Chinese first; an engine crash is an error."""
    at = goto(app, "cypher")
    at.text_area(key="console_cypher").input("MATCH (n RETURN n")
    at.button[-1].click().run()
    assert at.error and at.error[0].value.startswith("Cypher 语法错误")
    at.text_area(key="console_cypher").input("MATCH (a)-[r]-(s)-[p]-(b), p = (s)-[]-(t), (t), (t)-[]-(b) RETURN p")
    at.button[-1].click().run()
    assert at.error and "崩溃" in at.error[0].value
    at.text_area(key="console_cypher").input("MATCH (n:Entity) RETURN count(n) AS n")
    at.button[-1].click().run()
    assert not at.error and int(table(at, 0)["n"][0]) > 10


def test_timeline_chart_and_table_cover_the_same_period(app: AppTest) -> None:
    """Issue 17 item 10: a marriage before the case is on the chart, and the table lists what the chart shows."""
    import json as _json

    from debtorgraph.ui.timeline import focus_window

    items = [{"date": "2020-05-20", "lane": "family"}, {"date": "2021-11-01", "lane": "milestone"},
             {"date": "2022-09-01", "lane": "sanction"}, {"date": "2008-10-01", "lane": "family"}]
    assert focus_window(items) == ("2020-05-01", "2022-10-01")
    at = goto(app, "timeline", debtor="p-wang")
    spec = _json.loads(at.get("vega_lite_chart")[0].proto.spec)
    domains = [enc["scale"]["domain"] for layer in spec.get("layer", [spec])
               for enc in [layer.get("encoding", {}).get("x", {})] if "domain" in enc.get("scale", {})]
    listed = [str(d)[:10] for d in table(at, 0)["日期"]]
    assert domains, "the chart opens on a window of the sample case"
    lo, hi = domains[0]
    assert all(lo <= d <= hi for d in listed), (lo, hi, listed)


def test_chinese_ui_has_no_english_words_or_raw_codes(app: AppTest, fake_detect: None) -> None:
    """Issue 17 item 8: placeholders, table headers, library descriptions, acts and marks in Chinese."""
    at = goto(app, "findings")
    assert at.radio(key="mark_status_f-sale").value is None          # unmarked: nothing chosen
    assert all(m.proto.placeholder == "请选择" for m in at.multiselect)
    acts = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "own-wang-re" in acts and "持有" in acts and "王秀英" in acts   # the act described, its id kept
    at.button(key="mark_save").click().run()
    assert at.error and at.error[0].value == "请选择一项标注"
    at.switch_page("pages/money_flow.py").run()
    heads = [c for df in at.dataframe for c in df.value.columns]
    assert not {"path", "hop", "payment", "from", "to", "traced", "endpoint"} & set(heads), heads
    at.switch_page("pages/cypher.py").run()
    shown = " ".join(m.value for m in at.markdown)
    assert "被执行人" in shown and "Every party" not in shown
    at.switch_page("pages/investigate.py").run()
    edges = table(at, 1)
    assert "起点" in edges.columns and "付款方" not in edges.columns
