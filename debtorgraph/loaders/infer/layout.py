"""A statement's layout, inferred: header row, column roles, direction convention, holder.

:func:`infer_statement` reads the sheets of a file the way an officer would: find the
header row in any sheet, give its columns roles (:mod:`.roles`), decide how direction is
written (debit/credit columns, a flag column, or the amount's sign, reversed for credit
cards and shop orders where a positive amount is money spent), tell a payment app from a
bank by the words around the table, and find the holder (:mod:`.holder`). The result is
an ordinary :class:`~debtorgraph.loaders.mapping.Match` for the ``bank_statement``
builder, so inferred and YAML layouts are read by the same code.

:func:`overlay` lays a YAML mapping's match over the inferred one: the YAML wins for every
field and option it names, inference fills the rest (the YAML mappings are overrides).
"""
from __future__ import annotations

import re
from typing import Any, Callable

import pyarrow as pa

from ..files import Body, Sheet
from ..mapping import Mapping, Match, Table
from . import holder as H
from . import notation as N
from .roles import Roles, assign, find_header, usable

INFERRED = "inferred_statement"
_APPS: tuple[tuple[str, tuple[str, ...], dict[str, Any], str | None], ...] = (
    ("wechat", ("微信", "财付通", "WeChat"), {
        "account_type": "wechat", "bank_name": "财付通（微信支付）", "shared_transaction_number": True,
        "counterparty_scope": "name"}, "财付通支付科技有限公司"),
    ("alipay", ("支付宝", "Alipay"), {
        "account_type": "alipay", "bank_name": "支付宝", "shared_transaction_number": True,
        "counterparty_scope": "name"}, "支付宝（中国）网络技术有限公司"),
    ("jd", ("京东", "JD"), {"account_type": "jd", "bank_name": "京东", "counterparty_scope": "name",
                            "positive_is": "out"}, "京东"),
    ("meituan", ("美团", "Meituan"), {"account_type": "meituan", "bank_name": "美团",
                                      "counterparty_scope": "name", "positive_is": "out"}, "美团"),
)
_BANKS = re.compile(r"(中国工商银行|中国建设银行|中国农业银行|中国银行|交通银行|招商银行|中信银行|"
                    r"上海浦东发展银行|浦发银行|广发银行|中国民生银行|兴业银行|中国光大银行|平安银行|"
                    r"中国邮政储蓄银行|[\u4e00-\u9fff]{2,12}(?:农村商业银行|农商银行|村镇银行|银行))")
_CARD = re.compile(r"信用卡|贷记卡|credit", re.IGNORECASE)
_REPAID = re.compile(r"退款|退货|返现")
_SPENT = re.compile(r"消费|分期|购物|支付")


def _context_text(sheet: Sheet, index: int, file_name: str) -> str:
    above = "\n".join(" ".join(c for c in row if c) for row in sheet.head[:index])
    return f"{above}\n{file_name}"


def _app(text: str, header: list[str]) -> tuple[str, dict[str, Any], str | None]:
    for name, words, options, publisher in _APPS:
        if any(w in text for w in words):
            return name, dict(options), publisher
    joined = "".join(header)
    if "交易单号" in joined and "收/支" in joined:
        return _APPS[0][0], dict(_APPS[0][2]), _APPS[0][3]
    if "交易订单号" in joined or ("交易号" in joined and "交易对方" in joined):
        return _APPS[1][0], dict(_APPS[1][2]), _APPS[1][3]
    return "bank", {}, None


def _card_signs(roles: Roles, head: list[list[str]]) -> bool:
    """True when the signs are a card's: spending positive, repayments and refunds negative."""
    amount = roles.columns.get("amount", [None])[0]
    words = roles.columns.get("purpose", []) + roles.columns.get("type", [])
    if amount is None or not words:
        return False
    card = debit = 0
    for row in head[roles.header_index + 1:]:
        if amount >= len(row):
            continue
        cell = N.clean_amount(str(row[amount])).replace(" ", "")
        if not re.match(r"^[-+(]?[¥￥]?\d", cell):
            continue
        negative = cell.startswith(("-", "("))
        text = " ".join(str(row[c]) for c in words if c < len(row))
        if _REPAID.search(text):
            card, debit = card + negative, debit + (not negative)
        elif _SPENT.search(text):
            card, debit = card + (not negative), debit + negative
    return card >= 2 and card > 2 * debit


def _direction(roles: Roles, text: str, app: str, options: dict[str, Any],
               head: list[list[str]]) -> str:
    """How the file writes direction; sets ``positive_is`` for spending-positive files."""
    cols = roles.columns
    if "debit" in cols or "credit" in cols:
        return "debit_credit"
    if "direction" in cols:
        return "flag"
    joined = "".join(roles.header)
    if _CARD.search(text) or "卡号末四位" in joined or _card_signs(roles, head) or (
            app == "bank" and "订单" in joined and ("实付" in joined or "商家" in joined)):
        options["positive_is"] = "out"
    return "sign_spent_positive" if options.get("positive_is") == "out" else "sign"


def _derive(roles: Roles, months: list[tuple[int, int]]) -> dict[str, Callable[[Body], pa.Array]]:
    """Fields computed from columns: yearless dates, split counterparty cells, noted amounts."""
    derive: dict[str, Callable[[Body], pa.Array]] = {}
    cols = roles.columns
    if (roles.short_dates or roles.day_first or len(cols.get("date", [])) > 1) and "date" in cols:
        date_cols = cols["date"]
        derive["date"] = lambda body: N.complete_dates([body.columns[c] for c in date_cols],
                                                       months, roles.day_first)
    if "counterparty_info" in cols:
        info = cols["counterparty_info"][0]
        cache: dict[int, tuple[pa.Array, pa.Array]] = {}

        def part(k: int) -> Callable[[Body], pa.Array]:
            def get(body: Body) -> pa.Array:
                if id(body) not in cache:
                    cache.clear()
                    cache[id(body)] = N.split_parties(body.columns[info])
                return cache[id(body)][k]
            return get
        if "counterparty_name" not in cols:
            derive["counterparty_name"] = part(0)
        if "counterparty_account" not in cols:
            derive["counterparty_account"] = part(1)
    for role in ("amount", "debit", "credit"):
        if role in cols:
            col_ = cols[role][0]
            derive[role] = (lambda c: lambda body: N.clean_amounts(body.columns[c]))(col_)
    return derive


def infer_sheet(sheet: Sheet, file_name: str) -> tuple[Match, dict[str, Any]] | None:
    """The inferred statement match of one sheet and what was found, or None."""
    index = find_header(sheet.head)
    if index is None:
        return None
    roles = assign(sheet.head, index)
    if not usable(roles):
        return None
    text = _context_text(sheet, index, file_name)
    app, options, publisher = _app(text, roles.header)
    convention = _direction(roles, text, app, options, sheet.head)
    bank = _BANKS.search(text)
    if bank and app == "bank":
        options.setdefault("bank_name", bank.group(1))
        publisher = bank.group(1)
    months = N.period_months(text)
    derive = _derive(roles, months)
    fields = {r: tuple(roles.header[c] for c in cols) for r, cols in roles.columns.items()
              if r != "counterparty_info"}
    table = Table("bank_statement", (), {k: tuple(v) for k, v in fields.items()}, {}, options, ())
    columns = {r: list(c) for r, c in roles.columns.items() if r != "counterparty_info"}
    if not {"counterparty_name", "counterparty_account", "counterparty_info"} & set(roles.columns):
        # no counterparty column (credit cards, foreign banks): the description names it
        hint = roles.columns.get("purpose") or roles.columns.get("type")
        if hint:
            columns["counterparty_name"] = hint[:1]
            roles.why.setdefault(hint[0], "")
            roles.why[hint[0]] += "；无对方列，摘要作对方 / no counterparty column: description names it"
    preamble = "\n".join(" ".join(c for c in r if c) for r in sheet.head[:index])
    match = Match(sheet, table, index, list(roles.header), columns, preamble,
                  score=10 * len(columns))
    match.derive = derive
    found = {"app": app, "convention": convention, "roles": roles, "publisher": publisher,
             "months": months}
    match.info = found
    return match, found


def holder_for(match: Match, file_name: str, given: H.Holder) -> tuple[H.Holder, bool]:
    """The holder of a matched statement table and whether it is a placeholder.

    The officer's ``--holder``/``--account`` win, then the preamble, then the file name. A
    table with holder columns (本方户名/本方账号) needs none. With nothing found, the holder
    is a placeholder named after the file and account.
    """
    per_row = any(f in match.columns for f in ("holder_name", "holder_account"))
    found = H.merge(given, H.from_preamble(match.sheet.head[:match.header_index]),
                    H.from_file_name(file_name))
    if found or per_row:
        return found, False
    return H.Holder(H.placeholder(file_name, found.account), found.account, "placeholder"), True


def overlay(yaml_match: Match, inferred: Match) -> Match:
    """The YAML match completed by inference: fields and options the YAML leaves out."""
    if yaml_match.header_index != inferred.header_index or yaml_match.sheet is not inferred.sheet:
        return yaml_match
    used = {c for cols in yaml_match.columns.values() for c in cols}
    columns = {k: list(v) for k, v in yaml_match.columns.items()}
    for role, cols in inferred.columns.items():
        if role in columns:
            continue
        free = [c for c in cols if c not in used]
        if free:
            columns[role] = free
            used.update(free)
    derive = {k: f for k, f in inferred.derive.items()
              if k in ("counterparty_name", "counterparty_account") and k not in columns
              or k in ("amount", "debit", "credit") and columns.get(k) == inferred.columns.get(k)
              or k == "date" and columns.get(k, [None])[:1] == inferred.columns.get(k, [None])[:1]}
    options = {**inferred.table.options, **yaml_match.table.options}
    table = Table(yaml_match.table.kind, yaml_match.table.required,
                  {**{k: tuple(v) for k, v in inferred.table.fields.items()}, **yaml_match.table.fields},
                  yaml_match.table.preamble, options, yaml_match.table.words)
    out = Match(yaml_match.sheet, table, yaml_match.header_index, yaml_match.header, columns,
                yaml_match.preamble, yaml_match.score)
    out.derive = derive
    out.info = {**inferred.info, "overlay": True}
    return out


def inferred_mapping(publisher: str | None, app: str) -> Mapping:
    """The Mapping an inferred layout reports itself as."""
    title = {"wechat": "微信支付账单（推断）", "alipay": "支付宝账单（推断）", "jd": "京东订单（推断）",
             "meituan": "美团订单（推断）"}.get(app, "账户交易流水（推断版式）")
    return Mapping(INFERRED if app == "bank" else f"{INFERRED}:{app}", title, publisher, ())
