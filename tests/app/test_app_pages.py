"""Every page of the app, run with AppTest against a real embedded store holding the sample case.

The store is built once per session from :func:`debtorgraph.ui.sample.sample_entities` plus
one hostile entity (a party whose name is HTML), loaded through Ingest like any file.
Tests drive the real router (``app.py`` + ``st.navigation``) and assert what the page
shows: the right debtor, the right counts, the masked identifiers, the escaped names.
"""
from __future__ import annotations

import re
import sys
import types
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.base import Origin, Row
from debtorgraph.ui.sample import sample_entities

APP = str(Path(__file__).resolve().parents[2] / "debtorgraph" / "app.py")
HOSTILE_NAME = "</script><img src=x onerror=alert(1)>恶意"


def case_entities() -> list[dict[str, Any]]:
    """The sample case plus a party with an HTML name linked to the debtor."""
    ents = list(sample_entities())
    ents.append({"id": "p-evil", "schema": "Person", "properties": {"name": [HOSTILE_NAME]}})
    ents.append({"id": "assoc-evil", "schema": "Associate",
                 "properties": {"person": ["p-wang"], "associate": ["p-evil"], "relationship": ["<b>同事</b>"]}})
    return ents


def load_case(db: Path, entities: list[dict[str, Any]]) -> None:
    store = EmbeddedStore(db)
    try:
        ingest = Ingest(store, None)
        ingest.add((Row(e, Origin("case.ftm.jsonl", i + 1)) for i, e in enumerate(entities)), "case.ftm.jsonl")
        report = ingest.commit()
        assert report.rejected == 0, report.lines()
    finally:
        store.close()


@pytest.fixture(scope="session")
def case_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("appcase") / "graph.lbug"
    load_case(db, case_entities())
    return db


@pytest.fixture(autouse=True)
def _no_pages_folder_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest re-detects the old ``pages/`` folder mode before every run, which the real
    server leaves behind once ``st.navigation`` has run; keep the runner on st.navigation."""
    from streamlit.runtime import pages_manager
    from streamlit.runtime.scriptrunner import script_runner

    class NavigationOnly(pages_manager.PagesManager):
        uses_pages_directory = False

    monkeypatch.setattr(script_runner, "PagesManager", NavigationOnly)


@pytest.fixture
def app(case_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(case_db))
    yield AppTest.from_file(APP, default_timeout=60)


def goto(at: AppTest, page: str, **state: Any) -> AppTest:
    """Run the app, seed session state, open a page."""
    at.run()
    for k, v in state.items():
        at.session_state[k] = v
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def srcdoc(at: AppTest) -> str:
    frames = at.get("iframe")
    assert frames, "no network drawn"
    return frames[0].proto.srcdoc


def table(at: AppTest, i: int = 0) -> Any:
    return at.dataframe[i].value


def table_with(at: AppTest, column: str) -> Any:
    """The first table on the page that has ``column``."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a {column!r} column")


# -- frame and overview ------------------------------------------------------------------
def test_overview_counts_match_the_store(app: AppTest) -> None:
    at = app.run()
    assert not at.exception
    ents = case_entities()
    schemata = Counter(e["schema"] for e in ents)
    edges = {"Payment", "Ownership", "Family", "Associate", "Directorship", "CourtCaseParty", "Debt"}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["被执行人"] == "2" and metrics["案件"] == "2" and metrics["原始记录"] == str(len(ents))
    assert metrics["实体"] == str(sum(n for s, n in schemata.items() if s not in edges))
    assert metrics["关系"] == str(sum(n for s, n in schemata.items() if s in edges))
    assert not at.get("help") and not at.dataframe   # no magic st.write; the store's table waits for its box
    at.session_state["q_store"] = True
    contents = table(at.run(), 0)
    assert contents["数量"].sum() == sum(schemata.values()) - schemata["Payment"] + \
        sum(1 for e in ents if e["schema"] == "Payment") and "FtM" not in contents.columns


def test_overview_is_the_morning_work_queue(app: AppTest, fake_detect: None) -> None:
    """Untriaged findings by score, deadlines due in 30/90 days, debtors by amount; each line opens its page."""
    from datetime import date, timedelta

    soon = (date.today() + timedelta(days=12)).isoformat()
    later = (date.today() + timedelta(days=60)).isoformat()
    found = [{**FINDINGS[0], "revocation_deadline": soon}, {**FINDINGS[1], "revocation_deadline": later},
             {**FINDINGS[1], "id": "f-lead", "score": 0.99, "lead": {"confirm": "查询"}},
             {**FINDINGS[1], "id": "f-chen", "subject": "p-chen", "score": 0.5, "amount": 900000,
              "acts": [], "counterparties": []}]
    sys.modules["debtorgraph.analysis.detect"].detect = lambda source: [dict(f) for f in found]
    at = app.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["待核查"] == "3"                           # the lead is not counted
    assert metrics["30 天内到期"] == "1" and metrics["90 天内到期"] == "2"
    keys = [b.key for b in at.button]
    assert [k for k in keys if k.startswith("q_f_")] == ["q_f_f-sale", "q_f_f-pay", "q_f_f-chen"]
    assert [k for k in keys if k.startswith("q_p_")] == ["q_p_p-chen", "q_p_p-wang"]   # 900,000 before 320,000
    assert "q_d30_f-sale" in keys and "q_d90_f-pay" not in keys   # the hidden tab waits until chosen
    at.session_state["q_tabs"] = "90 天内到期（2）"
    at.run()
    assert "q_d90_f-pay" in [b.key for b in at.button] and "q_d30_f-sale" not in [b.key for b in at.button]
    at.session_state["q_tabs"] = "30 天内到期（1）"
    at.run()
    assert "`None`" not in [m.value for m in at.markdown] and not at.get("help")   # no magic st.write
    at.button(key="q_d30_f-sale").click().run()
    assert not at.exception
    assert at.session_state["finding"] == "f-sale" and at.session_state["debtor"] == "p-wang"
    assert at.title[0].value == "可疑行为"
    at.switch_page("pages/overview.py").run()
    at.button(key="q_p_p-chen").click().run()
    assert at.session_state["debtor"] == "p-chen" and at.title[0].value == "关系网络"


def test_language_toggle_switches_labels(app: AppTest) -> None:
    at = app.run()
    at.radio(key="lang_choice").set_value("English").run()
    assert at.title[0].value == "Overview"
    assert {m.label for m in at.metric} == {"To triage", "Due in 30 days", "Due in 90 days", "Amount moved",
                                            "Debtors", "Cases", "Entities", "Relationships", "Records"}
    at.switch_page("pages/timeline.py").run()
    assert at.title[0].value == "Timeline"


def test_overview_without_detection_says_so(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    _hide_module(monkeypatch, "debtorgraph.analysis.detect")
    at = app.run()
    notes = " ".join(i.value for i in at.info)
    assert "debtorgraph.analysis.detect" in notes


def test_no_store_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBTORGRAPH_PRECOMPUTE", "0")  # detection in-process (fakes apply)
    monkeypatch.setenv("DEBTORGRAPH_DB", str(tmp_path / "none.lbug"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "数据导入" in at.info[0].value


# -- search ---------------------------------------------------------------------------------
@pytest.mark.parametrize("query, debtor, shown", [
    ("王建", "p-wang", "王建国"),                      # partial name
    ("6222021234", "p-wang", "***0123 → 王建国"),       # account number -> holder, masked
    ("（2022）川3338执123号", "p-wang", "王建国"),      # case number, full-width brackets
    ("川A12345", "p-wang", "王建国"),                   # vehicle plate -> owner
    ("0001234号", "p-wang", "王建国"),                  # part of a title number -> owner
    ("5133381975", "p-chen", "陈立新"),                 # part of an ID number
])
def test_search_opens_the_debtor(app: AppTest, query: str, debtor: str, shown: str) -> None:
    at = goto(app, "search")
    at.text_input(key="search_q").input(query).run()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert shown in text
    assert "6222021234567890123" not in text and "513338197511113331" not in text  # masked
    first = next(b for b in at.button if b.key and b.key.startswith("open-"))
    first.click().run()
    assert not at.exception
    assert at.session_state["debtor"] == debtor
    assert at.title[0].value == "关系网络"


def test_search_unmasked_only_with_a_reason(app: AppTest) -> None:
    at = goto(app, "search")
    at.toggle(key="unmask_toggle").set_value(True).run()
    at.text_input(key="search_q").input("6222021234").run()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "6222021234567890123" not in text  # switched on, but no reason yet: still masked
    at.text_input(key="unmask_reason").input("核对银行回执").run()
    assert "6222021234567890123" in " ".join(m.value for m in at.markdown).replace("\\", "")


def test_search_without_match(app: AppTest) -> None:
    at = goto(app, "search")
    at.text_input(key="search_q").input("不存在的名字").run()
    assert "不存在的名字" in at.warning[0].value


# -- network ----------------------------------------------------------------------------------
def test_network_shows_the_debtors_circle(app: AppTest) -> None:
    at = goto(app, "investigate", debtor="p-wang", debtor_caption="王建国")
    nodes = table(at, 0)
    assert {"王建国", "王秀英", "李梅", "赵强", "王小军", "得荣县建国商贸有限公司", "川A12345"} <= set(nodes["名称"])
    assert "陈立新" not in set(nodes["名称"])
    edges = table(at, 1)
    to_sister = edges[(edges["终点"] == "王秀英") & (edges["关系"] == "资金往来")]
    assert list(to_sister["笔数"]) == [3] and list(to_sister["金额"]) == ["¥160,000"]
    html = srcdoc(at)
    assert "王秀英" in html and "vis.Network" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "the page must not load anything"
    assert "default-src 'none'" in html


def test_network_escapes_hostile_names(app: AppTest) -> None:
    at = goto(app, "investigate", debtor="p-wang")
    html = srcdoc(at)
    data = html.split("var DATA = ", 1)[1]
    assert "<img src=x" not in data and "</script><img" not in data
    assert "\\u003c/script\\u003e\\u003cimg src=x" in data           # the label, inert
    assert "\\u0026lt;/script\\u0026gt;\\u0026lt;img" in data          # the tooltip, HTML-escaped


def test_network_filters(app: AppTest) -> None:
    at = goto(app, "investigate", debtor="p-wang")
    at.multiselect(key="net_kinds").set_value(["family"]).run()
    assert set(table(at, 0)["名称"]) == {"王建国", "李梅", "王秀英", "王小军"}
    at.multiselect(key="net_kinds").set_value(["payment"]).run()
    at.number_input(key="net_min").set_value(100000.0).run()
    edges = table(at, 1)
    assert list(edges["终点"]) == ["赵强"] and list(edges["金额"]) == ["¥120,000"]
    at.number_input(key="net_min").set_value(0.0).run()
    lo, hi = at.slider(key="net_window").value
    at.slider(key="net_window").set_value((lo.replace(year=2022, month=5, day=1), hi)).run()
    edges = table(at, 1)
    assert set(edges["金额"]) == {"¥30,000", "¥120,000", "¥40,000", "¥5,000"}


def test_network_split_hide_expand(app: AppTest) -> None:
    at = goto(app, "investigate", debtor="p-wang")
    at.multiselect(key="net_split").set_value([("p-wang", "p-sister")]).run()
    edges = table(at, 1)
    singles = edges[(edges["终点"] == "王秀英") & (edges["关系"] == "资金往来")]
    assert sorted(singles["金额"]) == ["¥30,000", "¥50,000", "¥80,000"]
    at.multiselect(key="net_hide").set_value(["p-li"]).run()
    assert "李梅" not in set(table(at, 0)["名称"])
    at.multiselect(key="net_expand").set_value(["p-zhao"]).run()   # zhao's own transfers appear
    edges = table(at, 1)
    assert ((edges["起点"] == "赵强") & (edges["终点"] == "王秀英")).any()


def test_network_summarises_a_large_neighbourhood(app: AppTest) -> None:
    at = goto(app, "investigate", debtor="p-wang")
    at.slider(key="net_max").set_value(10).run()
    assert at.warning and "汇总" in at.warning[0].value, "no summary note"
    assert len(table(at, 0)) <= 10 + len({"case", "family", "ownership", "control", "associate", "milestone",
                                          "payment", "other"})
    assert any(n.startswith("其余") for n in table(at, 0)["名称"])


# -- money flow, timeline --------------------------------------------------------------------
def test_money_flow(app: AppTest) -> None:
    at = goto(app, "money_flow", debtor="p-wang")
    try:
        import debtorgraph.analysis.tracing  # noqa: F401
    except ModuleNotFoundError:
        assert "debtorgraph.analysis.tracing" in at.info[0].value
        assert "¥120,000" in set(table(at, 0)["金额"])
        return
    ends = table(at, 0)
    assert list(ends["ID"])[0] == "acct-sister" and list(ends["持有人"])[0] == "王秀英"
    assert list(ends["追踪金额"])[0] == "¥270,000"
    hops = table(at, 1)
    assert {"pay-4", "pay-5"} <= set(hops["交易"])
    at.selectbox(key="flow_rule").set_value("greedy").run()
    assert not at.exception and len(table(at, 0)) >= 1


def test_timeline_in_both_languages(app: AppTest) -> None:
    at = goto(app, "timeline", debtor="p-wang")
    rows = table(at, 0)
    what = dict(zip(rows["ID"], rows["事项"]))
    assert what["ev-effective"] == "判决生效" and what["fam-spouse"] in ("结婚", "离婚")
    assert what["sanc-freeze"] == "冻结" and what["own-cousin-co"].startswith("他人取得")
    assert list(rows["日期"]) == sorted(rows["日期"])
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    at.radio(key="lang_choice").set_value("English").run()
    rows = table(at, 0)
    assert "judgment effective" in set(rows["What"])


# -- findings, evidence -------------------------------------------------------------------------
FINDINGS = [
    {"id": "f-sale", "rule": "undervalue_transfer_to_relative", "score": 0.9, "subject": "p-wang", "actor": "p-wang",
     "case": "case-1", "acts": ["own-wang-re", "own-sister-re"], "counterparties": ["p-sister"], "amount": 160000,
     "date": "2022-05-20", "legal_basis": ["Civil Code art. 539", "Criminal Law art. 313"],
     "explanation": "被执行人以市场价 20% 的价格将房产卖给其妹。", "sources": []},
    {"id": "f-pay", "rule": "payments_after_notice", "score": 0.7, "subject": "p-wang", "actor": "p-wang",
     "case": "case-1", "acts": ["pay-1", "pay-2", "pay-3"], "counterparties": ["p-sister"], "amount": 160000,
     "date": "2022-04-15", "legal_basis": ["Criminal Law art. 313"], "explanation": "=HYPERLINK(\"x\")", "sources": []},
]


def _hide_module(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    import streamlit as st

    monkeypatch.setitem(sys.modules, name, None)  # import raises ModuleNotFoundError
    st.cache_data.clear()


@pytest.fixture
def fake_detect(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Detection stands in with two fixed findings (the real rules are tested on their own)."""
    import streamlit as st

    mod = types.ModuleType("debtorgraph.analysis.detect")
    mod.detect = lambda source: [dict(f) for f in FINDINGS]  # type: ignore[attr-defined]
    pull = types.ModuleType("debtorgraph.analysis.neighbourhood.store")
    pull.StoreSource = lambda store: store  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "debtorgraph.analysis.detect", mod)
    monkeypatch.setitem(sys.modules, "debtorgraph.analysis.neighbourhood.store", pull)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_findings_rank_mark_and_export(app: AppTest, fake_detect: None) -> None:
    at = goto(app, "findings")
    rows = table(at, 0)
    assert list(rows["ID"]) == ["f-sale", "f-pay"]
    assert list(rows["撤销权除斥期间届满"]) == ["2027-05-20", ""]
    assert "own-sister-re" in srcdoc(at)                       # the acts drawn
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
