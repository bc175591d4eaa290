"""检索 Search: by name, ID number, USCC, account, plate, title or case number (partial)."""
from __future__ import annotations

import orjson
import streamlit as st

from debtorgraph.ui import data
from debtorgraph.ui.backends import mask_caption
from debtorgraph.ui.auth import audit_once
from debtorgraph.ui.frame import allowed_ids, masker, md, open_debtor, store_or_stop
from debtorgraph.ui.i18n import schema_name, t
from debtorgraph.ui.store import db_path

_FIELDS = ("idNumber", "registrationNumber", "accountNumber", "titleNumber", "caseNumber", "phone")


def _matched(hit: dict, query: str, mask) -> str:
    """Which field matched, shown masked."""
    q = query.lower()
    props = orjson.loads(hit["props"]) if hit.get("props") else {}
    shown = mask(hit["schema"], props)
    for name in _FIELDS:
        for raw, masked in zip(props.get(name, []), shown.get(name, [])):
            if q in raw.lower():
                return f"{name}: {masked}"
    if q in (hit["caption"] or "").lower():
        return t("name")
    for name, values in props.items():
        for raw, masked in zip(values, shown.get(name, values)):
            if q in raw.lower():
                return f"{name}: {masked}"
    return ""


def render() -> None:
    st.title(t("page_search"))
    store = store_or_stop()
    query = st.text_input(t("search_label"), placeholder=t("search_placeholder"), key="search_q")
    if not query.strip():
        return
    audit_once("search", query.strip())
    hits = data.search(store, db_path(), query.strip(), 50)
    allowed = allowed_ids(store)
    if allowed is not None:  # an investigator finds only what belongs to their cases
        hits = [h for h in hits if h.get("open_id") in allowed]
    if not hits:
        st.warning(t("search_none", q=query))
        return
    st.caption(t("search_hits", n=len(hits)))
    if len(hits) >= 50:
        st.caption(t("search_more", n=50))
    mask = masker()
    masked = bool(st.session_state.get("masked", True))
    for hit in hits:
        if masked:
            props = orjson.loads(hit["props"]) if hit.get("props") else {}
            hit["caption"] = mask_caption(hit["schema"], hit["caption"] or hit["id"], props)
        c1, c2, c3, c4 = st.columns([3, 2, 4, 1.3])
        badge = f" · :red[{t('subject')}]" if hit["is_debtor"] else ""
        c1.markdown(f"**{md(hit['caption'])}**{badge}")
        c2.write(schema_name(hit["schema"]))
        where = _matched(hit, query.strip(), mask)
        if hit["open_id"] and hit["open_id"] != hit["id"]:
            where += f" → {hit['open_caption']}"
        c3.markdown(md(where or hit["id"]))
        if hit["open_id"] and c4.button(t("open_workspace"), key=f"open-{hit['id']}"):
            open_debtor(hit["open_id"], hit["open_caption"])


if __name__ == "__main__":
    render()
