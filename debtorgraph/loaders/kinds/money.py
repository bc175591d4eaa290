"""Account statements: bank 流水, WeChat Pay and Alipay bills. One row, one Payment.

Direction comes from a debit/credit column pair (借方/贷方, 支出/收入), a flag column
(借贷标志, 收/支) or the sign of the amount. The statement holder (户名/账号 above the
table, or 本方户名/本方账号 columns) pays on debits and receives on credits. Cash rows
(取现/存现/现金 with no counterparty account) follow docs/interchange.md: the holder is both
payer and beneficiary and the cash side has no account.

The Payment id is the same from both sides of a transfer: on the platform's transaction
number where it is shared (WeChat 交易单号, Alipay 交易号: option
``shared_transaction_number``), else on payer account + beneficiary account + amount +
day + the rank of that combination within the file. Parties without a valid ID number are
keyed on name + account, so the holder of one statement and the counterparty of the other
get the same id. The holder's balance (账户余额 of the latest row) is emitted once, at the
end, on the holder's BankAccount.
"""
from __future__ import annotations

import hashlib
import logging
import re
from typing import Any, Iterator

from ..base import Item, Origin, Row
from ..context import Context
from ..values import parse_amount
from ..ids import account_id, party_id, schema_props
from . import Kind, register, statement_fast
from .statement_parties import NAMELESS, counterparty_entities, holder_entities, holder_ids, nameless

log = logging.getLogger(__name__)

_CASH = re.compile(r"取现|取款|支取|现金|存现|存款|ATM|cash", re.IGNORECASE)
_CASH_MARK = ("cash", "取现", "取款", "支取", "现金", "存现", "存款")
_CURRENCIES = {"人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "本币": "CNY", "美元": "USD",
               "USD": "USD", "港币": "HKD", "港元": "HKD", "HKD": "HKD", "欧元": "EUR",
               "EUR": "EUR", "日元": "JPY", "JPY": "JPY", "英镑": "GBP", "GBP": "GBP"}
_NO_NOTE = (None, None, None)
_PAYMENT_PROPS = {"payer", "beneficiary", "payerAccount", "beneficiaryAccount", "amount",
                  "currency", "date", "purpose", "transactionNumber", "sequenceNumber",
                  "description", "proof", "recordId", "publisher"}
assert _PAYMENT_PROPS <= schema_props("Payment")

FIELDS = {
    "date": "date", "time": "time", "amount": "amount", "direction": "flag",
    "debit": "amount", "credit": "amount", "balance": "lazy_amount",
    "counterparty_name": "text", "counterparty_account": "identifier",
    "counterparty_bank": "text", "purpose": "join", "channel": "text",
    "transaction_number": "identifier", "status": "text", "type": "text", "currency": "text",
    "holder_name": "text", "holder_account": "identifier", "holder_id": "identifier",
    "holder_bank": "text",
}
OPTIONS: dict[str, Any] = {
    "account_type": "bank", "bank_name": None, "currency": "CNY",
    "shared_transaction_number": False, "counterparty_scope": "account",
    "out_words": ["借", "支出", "支", "出", "D", "DR", "DEBIT", "付", "转出", "取", "-", "消费"],
    "in_words": ["贷", "收入", "收", "入", "C", "CR", "CREDIT", "存", "转入", "+", "还款"],
    "neutral_words": ["/", "不计收支", "中性交易", "其他"],
    "neutral_out": ["提现", "还款", "转入零钱通", "转入余额宝", "买入", "购买"],
    "neutral_in": ["充值", "转出到零钱", "赎回", "卖出", "退款"],
    "ignore_status": ["交易关闭", "支付失败", "已关闭", "失败", "已撤销", "等待付款", "未付款", "已取消"],
    **NAMELESS,
    "bulk": True,
    "positive_is": "in",
    "refund_words": ["退货", "退款", "还款", "返现", "存款利息", "溢缴款"],
    "neutral_default": True,
}


def _direction(flag: str | None, kind: str | None, opts: dict[str, Any]) -> str | None:
    """``out``, ``in`` or None, from a 借贷标志/收支 cell (and the type for neutral rows).

    The flag is read by its first word (``借 Dr``, ``贷方``, ``D``, ``出``); a neutral flag
    (``/``, 不计收支) takes its direction from the type (转入零钱通 is out, 退款 is in) and
    is otherwise a move between the holder's own purses (``out``, holder on both sides).
    """
    if not flag:
        return None
    flag = flag.strip().upper()
    if flag in opts["neutral_words"]:
        if kind is None:  # asked again with the row's type
            return None
        if kind and any(w in kind for w in opts["neutral_out"]):
            return "out"
        if kind and any(w in kind for w in opts["neutral_in"]):
            return "in"
        return "out" if opts.get("neutral_default") else None
    words = [flag] + [w for w in re.split(r"[\s/|()（）]+", flag) if w]
    for token in words:
        for way, key in (("out", "out_words"), ("in", "in_words")):
            if token in opts[key]:
                return way
    for token in words:
        for way, key in (("out", "out_words"), ("in", "in_words")):
            if any(len(w) >= 1 and not w.isascii() and token.startswith(w) for w in opts[key]):
                return way
    return None


def _ways(ctx: Context, opts: dict[str, Any]) -> tuple[list[Any], list[Any], dict[int, str]]:
    """Per row: ``out``/``in``/None, the absolute amount, and the field to blame when None."""
    n = len(ctx.rownums)
    blame: dict[int, str] = {}
    if "debit" in ctx.values or "credit" in ctx.values:
        ways: list[Any] = [None] * n
        amounts: list[Any] = [None] * n
        signed, flags, types = ctx.col("amount"), ctx.col("direction"), ctx.col("type")
        has_flag = "direction" in ctx.values
        for i, (debit, credit) in enumerate(zip(ctx.col("debit"), ctx.col("credit"))):
            d = debit is not None and debit.lstrip("-") != "0"
            c = credit is not None and credit.lstrip("-") != "0"
            if d and c:
                blame[i] = "credit"
            elif d:
                ways[i], amounts[i] = ("in", debit[1:]) if debit[0] == "-" else ("out", debit)
            elif c:
                ways[i], amounts[i] = ("out", credit[1:]) if credit[0] == "-" else ("in", credit)
            elif signed[i] is not None or debit == "0" or credit == "0":
                ways[i], amounts[i] = _signed(signed[i] or "0", flags[i] if has_flag else None,
                                              types[i] or "", opts)
            else:
                blame[i] = "amount"
        return ways, amounts, blame
    raw = ctx.col("amount")
    amounts = [a[1:] if a and a[0] == "-" else a for a in raw]
    if "direction" in ctx.values:
        flags, types = ctx.col("direction"), ctx.col("type")
        plain = {f: _direction(f, None, opts) for f in set(flags)}
        ways = [plain[f] for f in flags]
        for i, way in enumerate(ways):
            if way is None and flags[i] in opts["neutral_words"]:
                ways[i] = _direction(flags[i], types[i] or "", opts)
    else:
        minus, plus = ("in", "out") if opts["positive_is"] == "out" else ("out", "in")
        ways = [None if a is None else minus if a[0] == "-" else plus for a in raw]
        if opts["positive_is"] == "out" and not any(a and a[0] == "-" for a in raw):
            # a card bill with unsigned amounts: refunds and repayments say so in words
            refund = re.compile("|".join(map(re.escape, opts["refund_words"])))
            for i, (p, t) in enumerate(zip(ctx.col("purpose"), ctx.col("type"))):
                if ways[i] == "out" and refund.search(f"{p or ''} {t or ''}"):
                    ways[i] = "in"
    for i, a in enumerate(raw):
        if a is None:
            blame[i] = "amount"
    return ways, amounts, blame


def build(ctx: Context) -> Iterator[Item]:
    """Payments, counterparties and the holder's account for each statement row."""
    opts = {**OPTIONS, **ctx.options}
    acct_type = opts["account_type"]
    shared_txn = bool(opts["shared_transaction_number"])
    by_name = opts["counterparty_scope"] == "name"
    default_bank = ctx.preamble.get("holder_bank") or opts["bank_name"] or ctx.publisher
    has_flag = "direction" in ctx.values
    ways, amounts, blame = _ways(ctx, opts)
    dates, times = ctx.col("date"), ctx.col("time")
    stamps = [d if (not c or d is None or c == "00:00:00" or "T" in d) else f"{d}T{c}"
              for d, c in zip(dates, times)]
    flags = ctx.col("direction")
    has_balance = "balance" in ctx.raw
    balances = [has_balance] * len(ctx.rownums)
    cp_names, cp_accts = ctx.col("counterparty_name"), ctx.col("counterparty_account")
    cp_banks, purposes = ctx.col("counterparty_bank"), ctx.col("purpose")
    channels, txns, statuses = ctx.col("channel"), ctx.col("transaction_number"), ctx.col("status")
    types, currencies = ctx.col("type"), ctx.col("currency")
    h_names, h_accts, h_ids = ctx.col("holder_name"), ctx.col("holder_account"), ctx.col("holder_id")
    proof = ctx.doc_id
    publisher = [ctx.publisher] if ctx.publisher else None
    holders: dict[tuple[Any, ...], tuple[str, str | None]] = {}
    counterparties: dict[tuple[Any, ...], tuple[str, str | None]] = {}
    balance_at: dict[str, tuple[str, str, int]] = {}
    numbers: dict[str, str | None] = {}
    seen: dict[str, int] = {}
    sha1 = hashlib.sha1
    sequence = 0
    errors = ctx.errors_by_row
    file, sheet, rownums = ctx.file, ctx.sheet, ctx.rownums
    neutral = set(opts["neutral_words"]) if has_flag else set()
    ignored = {x for x in set(statuses) if x and any(w in x for w in opts["ignore_status"])}
    currency_of = {c: _CURRENCIES.get(c.upper()) if c else opts["currency"]
                   for c in set(currencies)}
    notes: dict[tuple[Any, Any, Any], str] = {}
    cols = {"dates": dates, "ways": ways, "cp_accts": cp_accts, "flags": flags,
            "cp_names": cp_names, "cp_banks": cp_banks, "amounts": amounts,
            "currencies": currencies, "types": types, "channels": channels,
            "statuses": statuses, "stamps": stamps, "purposes": purposes, "txns": txns}
    if opts["bulk"] and statement_fast.applies(ctx, cols, currency_of, ignored, neutral,
                                               shared_txn):
        yield from _bulk(ctx, cols, opts, h_names[0], h_accts[0], h_ids[0], default_bank,
                         publisher, currency_of, has_balance)
        return
    columns = (dates, stamps, ways, amounts, statuses, currencies, h_names, h_accts, h_ids,
               purposes, cp_names, cp_accts, cp_banks, types, channels, txns, balances, flags,
               rownums)
    data_rows = ctx.data_rows
    if len(data_rows) == len(rownums):
        records: Any = zip(data_rows, *columns)
    else:
        records = ((i, *(c[i] for c in columns)) for i in data_rows)
    for (i, day, stamp, way, amount, status, cur, h_name, h_acct, h_id, purpose, cp_name,
         cp_acct, cp_bank, kind, channel, txn, balance, flag, rownum) in records:
        sequence += 1
        if i in errors:
            yield ctx.check(i)  # type: ignore[misc]
            continue
        if day is None:
            yield ctx.reject(i, "missing_value", "date")
            continue
        if way is None:
            if i in blame:
                yield ctx.reject(i, "missing_value" if blame[i] == "amount" else
                                 "unknown_direction", blame[i])
            else:
                yield ctx.reject(i, "unknown_direction", "direction", flag or "")
            continue
        if status in ignored:
            yield ctx.reject(i, "not_completed", "status", status)
            continue
        currency = currency_of[cur]
        if currency is None:
            yield ctx.reject(i, "unknown_value", "currency", cur)
            continue
        # the holder
        hkey = (h_name, h_acct, h_id)
        holder = holders.get(hkey)
        new_holder = holder is None
        if holder is None:
            if not h_name and not h_acct:
                yield ctx.reject(i, "no_party", "holder_account")
                continue
            holder = holders[hkey] = holder_ids(h_name, h_acct, h_id, acct_type, default_bank)
            if holder[1]:
                numbers[holder[1]] = h_acct
        holder_id, holder_acct = holder
        # the counterparty
        cash = not cp_acct and bool(_CASH.search(f"{purpose or ''} {kind or ''} {channel or ''}"))
        new_cp = False
        if cash or flag in neutral:
            cp_id, cp_acct_id = holder_id, None
            if cash and not (purpose and any(w in purpose for w in _CASH_MARK)):
                purpose = f"{purpose or ''} 现金".strip()
        else:
            ckey = (cp_name, cp_acct, cp_bank)
            found = counterparties.get(ckey)
            if found is None:
                new_cp = True
                found = counterparties[ckey] = (
                    party_id(cp_name or nameless(cp_acct, opts), None,
                             (cp_acct or (cp_name if by_name else h_acct or h_name),)),
                    account_id(cp_acct, acct_type) if cp_acct else None)
            cp_id, cp_acct_id = found
        if way == "out":
            payer, payer_acct, bene, bene_acct = holder_id, holder_acct, cp_id, cp_acct_id
        else:
            payer, payer_acct, bene, bene_acct = cp_id, cp_acct_id, holder_id, holder_acct
        if shared_txn and txn:
            base = f"{acct_type}|txn|{txn}"
        elif payer_acct and bene_acct:
            base = f"{payer_acct}|{bene_acct}|{amount}|{day[:10]}"
        else:
            base = f"{holder_acct or holder_id}|{way}|{cp_id}|{amount}|{stamp}|{txn or ''}"
        # rank among identical transfers in this file; keyed on the id itself (no copy of base)
        pid = "pay-" + sha1(f"{base}|0".encode()).hexdigest()[:24]
        rank = seen.get(pid)
        if rank is None:
            seen[pid] = 1
        else:
            seen[pid] = rank + 1
            pid = "pay-" + sha1(f"{base}|{rank}".encode()).hexdigest()[:24]
        props: dict[str, list[str]] = {
            "payer": [payer], "beneficiary": [bene], "amount": [amount],
            "currency": [currency], "date": [stamp], "sequenceNumber": [str(sequence)],
            "recordId": [f"{sheet}!{rownum}" if sheet else f"row {rownum}"],
            "proof": [proof]}
        if payer_acct:
            props["payerAccount"] = [payer_acct]
        if bene_acct:
            props["beneficiaryAccount"] = [bene_acct]
        if purpose:
            props["purpose"] = [purpose]
        if txn:
            props["transactionNumber"] = [txn]
        note_key = (kind, channel, status)
        if note_key != _NO_NOTE:
            note = notes.get(note_key)
            if note is None:
                note = notes[note_key] = " / ".join(x for x in note_key if x)
            props["description"] = [note]
        if publisher:
            props["publisher"] = publisher[:]
        yield Row({"id": pid, "schema": "Payment", "properties": props}, Origin(file, rownum, sheet))
        if new_holder:
            yield from holder_entities(ctx, i, h_name, h_acct, h_id, holder, acct_type,
                                        default_bank)
        if new_cp:
            yield from counterparty_entities(ctx, i, cp_name or nameless(cp_acct, opts),
                                              cp_acct, cp_bank, cp_id, cp_acct_id, acct_type)
        if balance and holder_acct:
            last = balance_at.get(holder_acct)
            if last is None or stamp >= last[0]:
                balance_at[holder_acct] = (stamp, balance, i)
    yield from _balances(ctx, balance_at, numbers)


def _balances(ctx: Context, balance_at: dict[str, tuple[str, Any, int]],
              numbers: dict[str, str | None]) -> Iterator[Row]:
    """Each holder account's balance (账户余额) as of its latest row, parsed only there."""
    for acct_id, (stamp, _, i) in balance_at.items():
        try:
            balance = parse_amount(ctx.lazy("balance", i))
        except ValueError:
            log.debug("%s row %s: unreadable balance", ctx.file_name, ctx.rownums[i])
            continue
        if balance is None:
            continue
        yield Row(ctx.thing("BankAccount", acct_id, {"balance": balance,
                                                     "accountNumber": numbers.get(acct_id),
                                                     "balanceDate": stamp[:10]}),
                  ctx.origin(i), True)


def _bulk(ctx: Context, cols: dict[str, list[Any]], opts: dict[str, Any], h_name: str | None,
          h_acct: str, h_id: str | None, bank: str | None, publisher: list[str] | None,
          currency_of: dict[Any, Any], has_balance: bool) -> Iterator[Item]:
    """A clean one-holder statement through :func:`statement_fast.bulk_rows`."""
    acct_type = opts["account_type"]
    by_name = opts["counterparty_scope"] == "name"
    holder = holder_ids(h_name, h_acct, h_id, acct_type, bank)
    names: dict[tuple[Any, Any, Any], str] = {}

    def counterparty(name: Any, acct: Any, _bank: Any) -> tuple[str, str | None]:
        return (party_id(name or nameless(acct, opts), None,
                         (acct or (name if by_name else h_acct or h_name),)),
                account_id(acct, acct_type) if acct else None)

    def note(kind: Any, channel: Any, status: Any) -> str | None:
        key = (kind, channel, status)
        if key == _NO_NOTE:
            return None
        found = names.get(key)
        if found is None:
            found = names[key] = " / ".join(x for x in key if x)
        return found

    def derived(i: int, new_holder: bool, new_cp: bool) -> Iterator[Row]:
        if new_holder:
            yield from holder_entities(ctx, i, h_name, h_acct, h_id, holder, acct_type, bank)
        if new_cp:
            name, acct, cp_bank = cols["cp_names"][i], cols["cp_accts"][i], cols["cp_banks"][i]
            cp_id, cp_acct_id = counterparty(name, acct, cp_bank)
            yield from counterparty_entities(ctx, i, name or nameless(acct, opts), acct,
                                              cp_bank, cp_id, cp_acct_id, acct_type)

    yield from statement_fast.bulk_rows(ctx, cols, holder, counterparty, currency_of, note,
                                        publisher, derived)
    if has_balance and holder[1]:
        stamp, last = max(zip(cols["stamps"], range(len(ctx.rownums))))
        yield from _balances(ctx, {holder[1]: (stamp, True, last)}, {holder[1]: h_acct})


def _signed(amount: str, flag: str | None, kind: str | None,
            opts: dict[str, Any]) -> tuple[str | None, str]:
    """Direction and absolute amount from a flag, or else from the amount's sign."""
    negative = amount.startswith("-")
    value = amount[1:] if negative else amount
    if flag is not None:
        return _direction(flag, kind, opts), value
    if opts["positive_is"] == "out":
        return ("in" if negative else "out"), value
    return ("out" if negative else "in"), value


register(Kind("bank_statement", FIELDS, OPTIONS, build))
