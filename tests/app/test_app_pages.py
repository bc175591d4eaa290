"""The overview, search, network, money flow and timeline pages, run with AppTest against a real embedded store holding the sample case.

The store is built once per session from :func:`debtorgraph.ui.sample.sample_entities` plus
one hostile entity (a party whose name is HTML), loaded through Ingest like any file.
Tests drive the real router (``app.py`` + ``st.navigation``) and assert what the page
shows: the right debtor, the right counts, the masked identifiers, the escaped names.
Findings, evidence, Cypher and data pages: test_app_findings.py; fixtures: conftest.py.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_kit import APP, FINDINGS, _hide_module, case_entities, goto, srcdoc, table
from app_kit import _no_pages_folder_mode, app, case_db, fake_detect  # noqa: F401  (fixtures)


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

