"""The parties of a statement row: the holder and the counterparty, with their accounts.

Both sides of one transfer get the same ids: a party without a valid ID number is keyed
on name + account, and a party known only by an account is named after it
(``unnamed_holder``/``unknown_party``, the defaults of :data:`NAMELESS`, so that two
files read with different options still agree).
"""
from __future__ import annotations

from typing import Any, Iterator

from ..base import Row
from ..context import Context
from ..ids import account_id, make_id, party, party_id

NAMELESS: dict[str, str] = {"unknown_party": "对方不详", "unnamed_holder": "户名不详"}


def nameless(account: str | None, opts: dict[str, Any]) -> str:
    """The name of a party known only by its account (the same from both sides), or neither."""
    return f"{opts['unnamed_holder']}（账号{account}）" if account else opts["unknown_party"]


def holder_ids(name: str | None, acct: str | None, id_number: str | None, acct_type: str,
            bank: str | None) -> tuple[str, str | None]:
    pid = party_id(name or nameless(acct, NAMELESS), id_number, (acct or "",))
    return pid, account_id(acct, acct_type) if acct else None


def holder_entities(ctx: Context, i: int, name: str | None, acct: str | None,
                     id_number: str | None, holder: tuple[str, str | None], acct_type: str,
                     bank: str | None) -> Iterator[Row]:
    holder_id, acct_id = holder
    person = party(name or nameless(acct, NAMELESS), id_number, (acct or "",),
                   proof=ctx.doc_id, publisher=ctx.publisher)
    yield from ctx.once(person, i)
    if acct_id:
        yield from ctx.once(ctx.thing("BankAccount", acct_id, {
            "accountNumber": acct, "bankName": bank, "accountType": acct_type}), i)
        yield from ctx.once(ctx.link("Ownership", make_id("own", holder_id, acct_id), i,
                                     {"owner": holder_id, "asset": acct_id}), i)


def counterparty_entities(ctx: Context, i: int, name: str, acct: str | None,
                           bank: str | None, cp_id: str, acct_id: str | None,
                           acct_type: str) -> Iterator[Row]:
    yield from ctx.once(ctx.thing("LegalEntity", cp_id, {"name": name}), i)
    if acct_id:
        yield from ctx.once(ctx.thing("BankAccount", acct_id, {
            "accountNumber": acct, "bankName": bank, "accountType": acct_type}), i)
        yield from ctx.once(ctx.link("Ownership", make_id("own", cp_id, acct_id), i,
                                     {"owner": cp_id, "asset": acct_id}), i)
