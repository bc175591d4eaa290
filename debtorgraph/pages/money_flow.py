"""资金流向 Money flow: trace from an account or party (LIBR, FIFO, pro rata, greedy)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from debtorgraph.ui import data
from debtorgraph.ui.backends import TRACE_RULES
from debtorgraph.ui.flow import flow_network, hop_rows, rule_range
from debtorgraph.ui.frame import debtor_picker, masker, show_html, store_or_stop
from debtorgraph.ui.i18n import current_lang, t
from debtorgraph.ui.store import db_path
from debtorgraph.ui.vis import format_amount, network_html

_RULE_NAMES = {"libr": "LIBR 最低中间余额", "fifo": "FIFO 先进先出", "pro_rata": "按比例 pro rata",
               "greedy": "贪心 greedy"}


def _duty_start(items: list[dict]) -> date | None:
    """When the duty to pay began: the judgment's effective date (SPC Guiding Case 71), else the
    notice to respond, else the first milestone."""
    for code in ("Event:judgment_effective", "Event:lawsuit_served"):
        days = [i["day"] for i in items if i["what"] == code]
        if days:
            return date.fromisoformat(min(days))
    days = [i["day"] for i in items if i["lane"] == "milestone"]
    return date.fromisoformat(min(days)) if days else None


def _note(outcome: dict) -> None:
    if outcome["missing"]:
        st.info(t("module_missing", feature=t("page_flow"), module=outcome["missing"]))
    else:
        st.warning(t("module_failed", feature=t("page_flow"), error=outcome["error"]))


def render() -> None:
    st.title(t("page_flow"))
    store = store_or_stop()
    debtor = debtor_picker(store, key="flow_debtor")
    if not debtor:
        return
    db = db_path()
    info = data.party(store, db, debtor) or {"caption": debtor, "accounts": []}
    sources = [debtor] + [a["id"] for a in info["accounts"]]
    labels = {debtor: f"{info['caption']}（{t('subject')}）"}
    mask = masker()
    masked = bool(st.session_state.get("masked", True))
    labels.update(data.captions(store, db, tuple(a["id"] for a in info["accounts"]), masked))
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    source = str(c1.selectbox(t("trace_from"), sources, format_func=lambda i: labels.get(i, i), key="flow_source")
                 or debtor)
    rule = c2.selectbox(t("trace_rule"), list(TRACE_RULES), format_func=lambda r: _RULE_NAMES[r], key="flow_rule")
    default_since = _duty_start(data.timeline(store, db, debtor, True)) or date(2000, 1, 1)
    since = c3.date_input(t("since"), value=default_since, key="flow_since")
    until = c4.date_input(t("until"), value=None, key="flow_until")
    since_s = since.isoformat() if since else None
    until_s = until.isoformat() if until else None
    outcome = data.trace(store, db, source, rule, since_s, until_s)
    lang = current_lang()
    if outcome["ok"]:
        result = outcome["value"]
        ids = tuple(sorted({e.get("id") for e in result["endpoints"]} | {e.get("holder") for e in result["endpoints"]}
                           - {None}))
        names = data.captions(store, db, ids, masked)
        if not result["endpoints"]:
            st.info(t("no_endpoints"))
        else:
            if result.get("truncated"):
                st.warning(t("trace_truncated"))
            net = flow_network(store, source, result, names, masked)  # the picture first, then the figures
            show_html(network_html(net, lang, mask, height=440, hierarchical=True), 470)
            st.subheader(t("endpoints"))
            rows = rule_range(result)
            st.dataframe(pd.DataFrame([{t("id"): r["id"], t("holder"): names.get(r["holder"], r["holder"] or ""),
                                        t("traced"): format_amount(r["amount"]),
                                        t("range"): r["range"]} for r in rows]),
                         hide_index=True, width="stretch")
            st.caption(t("range_help"))
            st.subheader(t("hops"))
            heads = {"path": t("path"), "hop": t("hop"), "payment": t("payment_id"), "date": t("date"),
                     "from": t("payer"), "to": t("payee"), "amount": t("amount"), "traced": t("traced"),
                     "endpoint": t("endpoint")}
            st.dataframe(pd.DataFrame(hop_rows(store, result, masked)).rename(columns=heads), hide_index=True,
                         width="stretch")
    else:
        _note(outcome)
        st.subheader(t("direct_outflows"))
        rows = data.outflows(store, db, source, since_s, until_s)
        names = data.captions(store, db, tuple(sorted({r["dst"] for r in rows})), masked)
        st.dataframe(pd.DataFrame([{t("date"): (r["date"] or "").replace("T", " "), t("to"): names.get(r["dst"]),
                                    t("amount"): format_amount(r["amount"]), "摘要": r["purpose"], t("id"): r["rid"]}
                                   for r in rows]), hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
