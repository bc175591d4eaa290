"""The bulk path for clean bank statements: whole columns first, then one tight loop.

Taken when every row of the table is a plain transfer between the statement holder (one
holder, named above the table) and a counterparty with an account number: no unreadable
cells, no cash or neutral rows, no ignored statuses. It gives exactly what the row-by-row
path in :mod:`.money` gives (same ids, same properties, same order); the tests run both.
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Callable, Iterator

from ..base import Item, Origin, Row
from ..context import Context

log = logging.getLogger(__name__)


def applies(ctx: Context, cols: dict[str, list[Any]], currency_of: dict[Any, Any],
            ignored: set[Any], neutral: set[Any], shared_txn: bool) -> bool:
    """True when the bulk path gives the same result as the row-by-row one."""
    n = len(ctx.rownums)
    per_row_holder = any(f in ctx.values for f in ("holder_name", "holder_account", "holder_id"))
    holder_known = bool(ctx.preamble.get("holder_account"))
    return (n > 0 and len(ctx.data_rows) == n and not ctx.errors_by_row and not per_row_holder
            and holder_known and not shared_txn
            and None not in cols["dates"] and None not in cols["ways"]
            and None not in cols["cp_accts"]
            and all(currency_of[c] is not None for c in currency_of)
            and not ignored and not (neutral and neutral & set(cols["flags"])))


def bulk_rows(ctx: Context, cols: dict[str, list[Any]], holder: tuple[str, str | None],
              counterparty: Callable[[Any, Any, Any], tuple[str, str | None]],
              currency_of: dict[Any, Any], notes: Callable[[Any, Any, Any], str | None],
              publisher: list[str] | None,
              derived: Callable[[int, bool, bool], Iterator[Row]]) -> Iterator[Item]:
    """Payments for every row; ``derived(i, new_holder, new_counterparty)`` adds the rest."""
    holder_id, holder_acct = holder
    keys = list(zip(cols["cp_names"], cols["cp_accts"], cols["cp_banks"]))
    # the first row of each counterparty (reversed: the earliest index is written last)
    first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))
    firsts = set(first.values())
    cache = {key: counterparty(*key) for key in first}
    cps = [cache[key] for key in keys]
    ways, amounts, dates = cols["ways"], cols["amounts"], cols["dates"]
    bases = [f"{holder_acct}|{c[1]}|{a}|{d[:10]}" if w == "out" else
             f"{c[1]}|{holder_acct}|{a}|{d[:10]}"
             for w, c, a, d in zip(ways, cps, amounts, dates)]
    sha1 = hashlib.sha1
    pids = ["pay-" + sha1(f"{b}|0".encode()).hexdigest()[:24] for b in bases]
    if len(set(pids)) != len(pids):  # identical transfers: rank them in file order
        seen: dict[str, int] = {}
        for i, pid in enumerate(pids):
            rank = seen.get(pid)
            seen[pid] = 1 if rank is None else rank + 1
            if rank:
                pids[i] = "pay-" + sha1(f"{bases[i]}|{rank}".encode()).hexdigest()[:24]
    currencies = [currency_of[c] for c in cols["currencies"]]
    note_keys = list(zip(cols["types"], cols["channels"], cols["statuses"]))
    note_of = {key: notes(*key) for key in set(note_keys)}
    descriptions = [note_of[key] for key in note_keys]
    file, sheet, proof = ctx.file, ctx.sheet, ctx.doc_id
    sequence = map(str, range(1, len(pids) + 1))
    records = zip(range(len(pids)), pids, ways, cps, amounts, currencies, cols["stamps"],
                  cols["purposes"], cols["txns"], descriptions, ctx.rownums, sequence)
    for i, pid, way, (cp_id, cp_acct_id), amount, currency, stamp, purpose, txn, note, \
            rownum, seq in records:
        record = f"{sheet}!{rownum}" if sheet else f"row {rownum}"
        if way == "out":
            props = {"payer": [holder_id], "beneficiary": [cp_id],
                     "payerAccount": [holder_acct], "beneficiaryAccount": [cp_acct_id],
                     "amount": [amount], "currency": [currency], "date": [stamp],
                     "sequenceNumber": [seq], "recordId": [record], "proof": [proof]}
        else:
            props = {"payer": [cp_id], "beneficiary": [holder_id],
                     "payerAccount": [cp_acct_id], "beneficiaryAccount": [holder_acct],
                     "amount": [amount], "currency": [currency], "date": [stamp],
                     "sequenceNumber": [seq], "recordId": [record], "proof": [proof]}
        if purpose:
            props["purpose"] = [purpose]
        if txn:
            props["transactionNumber"] = [txn]
        if note:
            props["description"] = [note]
        if publisher:
            props["publisher"] = publisher[:]
        yield Row({"id": pid, "schema": "Payment", "properties": props},
                  Origin(file, rownum, sheet))
        if i == 0 or i in firsts:
            yield from derived(i, i == 0, i in firsts)
