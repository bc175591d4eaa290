"""Compare the FtM entities a loader produced from one statement with its expected truth.

`compare` returns a list of problems, one line each, naming the variant, the row and what
differed, so a failing test reads as a to-do list.  Payments are paired with expected rows
by amount (amounts are unique within a statement).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Mapping

Entity = Mapping[str, Any]
TOLERANCE = 0.005


def merge_entities(entities: Iterable[Entity]) -> dict[str, dict[str, Any]]:
    """Entities by id; fragments with the same id are merged property by property."""
    merged: dict[str, dict[str, Any]] = {}
    for ent in entities:
        target = merged.setdefault(ent["id"], {"id": ent["id"], "schema": ent.get("schema"), "properties": {}})
        for prop, values in (ent.get("properties") or {}).items():
            bucket = target["properties"].setdefault(prop, [])
            bucket.extend(v for v in values if v not in bucket)
    return merged


def _first(ent: Entity | None, prop: str) -> str | None:
    """The first value of a property, or None."""
    if ent is None:
        return None
    values = (ent.get("properties") or {}).get(prop) or []
    return values[0] if values else None


def _number(text: str | None) -> float | None:
    """A Payment amount as a float, or None when it is not a plain number."""
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _digits(text: str | None) -> str | None:
    """An account number without whitespace."""
    return re.sub(r"\s+", "", text) if text else None


def date_matches(got: str | None, expected: str) -> bool:
    """Whether a loaded date equals the expected ISO date or date-time.

    A date-only expectation accepts the date alone or midnight; a date-time needs the time.

    >>> date_matches("2023-06-10T09:12:00", "2023-06-10T09:12:00"), date_matches("2023-06-10", "2023-06-10")
    (True, True)
    >>> date_matches("2023-06-10", "2023-06-10T09:12:00"), date_matches("2023-06-10T09:12:00", "2023-06-10")
    (False, False)
    """
    if not got:
        return False
    got = got.strip().replace(" ", "T")
    if "T" in expected:
        return got[:19] == expected
    return got[:10] == expected and got[10:] in ("", "T00:00", "T00:00:00")


class _Graph:
    """Lookups over the merged entities of one load."""

    def __init__(self, entities: Iterable[Entity]):
        self.by_id = merge_entities(entities)
        self.payments = [e for e in self.by_id.values() if e["schema"] == "Payment"]

    def name(self, entity_id: str | None) -> str | None:
        """The name of a party id, or a bracketed note when it is missing."""
        if entity_id is None:
            return None
        ent = self.by_id.get(entity_id)
        if ent is None:
            return f"<id {entity_id} not in the stream>"
        return _first(ent, "name")

    def names(self, entity_id: str | None) -> list[str]:
        """Every name of a party id (stripped)."""
        ent = self.by_id.get(entity_id or "")
        return [n.strip() for n in (ent or {}).get("properties", {}).get("name", [])]

    def account(self, entity_id: str | None) -> str | None:
        """The account number of a BankAccount id."""
        return _digits(_first(self.by_id.get(entity_id or ""), "accountNumber"))


def _describe(n: int, row: Mapping[str, Any]) -> str:
    """A short label of an expected row: number, date, amount, direction, counterparty."""
    cp = row["counterparty"]["name"] or "-"
    return f"row {n} ({row['date']} {row['amount']:.2f} {row['direction']} {cp})"


def _sides(pay: Entity, direction: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(holder party, holder account, counterparty, counterparty account) ids for a direction."""
    payer, beneficiary = _first(pay, "payer"), _first(pay, "beneficiary")
    payer_acct, ben_acct = _first(pay, "payerAccount"), _first(pay, "beneficiaryAccount")
    if direction == "out":
        return payer, payer_acct, beneficiary, ben_acct
    return beneficiary, ben_acct, payer, payer_acct


def _check_row(g: _Graph, pay: Entity, row: Mapping[str, Any], holder: Mapping[str, Any],
               where: str) -> list[str]:
    """Problems of one paired Payment: amount sign, date, holder, counterparty."""
    problems = []
    amount = _number(_first(pay, "amount"))
    if amount is not None and amount < 0:
        problems.append(f"{where}: amount is negative ({amount}); amounts are positive, direction is payer/beneficiary")
    if not date_matches(_first(pay, "date"), row["date"]):
        problems.append(f"{where}: date {_first(pay, 'date')!r}, expected {row['date']!r}")
    if row["direction"] == "neutral":
        return problems
    holder_id, holder_acct, cp_id, cp_acct = _sides(pay, row["direction"])
    role = "payer" if row["direction"] == "out" else "beneficiary"
    if holder["name"] is not None and holder["name"] not in g.names(holder_id):
        if holder["name"] in g.names(cp_id):
            problems.append(f"{where}: direction reversed: holder {holder['name']} is not the {role}")
        else:
            problems.append(f"{where}: {role} should be the holder {holder['name']}, got {g.name(holder_id)!r}")
    if holder["account"] is not None and g.account(holder_acct) != holder["account"]:
        problems.append(f"{where}: {role}Account should be the holder's {holder['account']}, "
                        f"got {g.account(holder_acct)!r}")
    other = "beneficiary" if role == "payer" else "payer"
    cp = row["counterparty"]
    if cp["name"] is not None and cp["name"] not in g.names(cp_id):
        if cp_id is not None and cp_id == holder_id:
            problems.append(f"{where}: {other} is the holder itself (a self-transfer), expected {cp['name']}")
        else:
            problems.append(f"{where}: {other} should be {cp['name']}, got {g.name(cp_id)!r}")
    if cp["name"] is None and cp_id is not None and cp_id == holder_id:
        problems.append(f"{where}: {other} is the holder itself, expected no counterparty")
    if cp["account"] is not None and g.account(cp_acct) != cp["account"]:
        problems.append(f"{where}: {other}Account should be {cp['account']}, got {g.account(cp_acct)!r}")
    if cp["account"] is None and g.account(cp_acct):
        problems.append(f"{where}: {other}Account should be absent, got {g.account(cp_acct)!r}")
    return problems


def _check_placeholder(g: _Graph, pairs: list[tuple[int, Entity, Mapping[str, Any]]], label: str) -> list[str]:
    """With no holder in the file, the holder side of every Payment is one placeholder party."""
    sides = [(n, _sides(pay, row["direction"])[0]) for n, pay, row in pairs if row["direction"] != "neutral"]
    if not sides:
        return []
    counts = Counter(holder_id for _, holder_id in sides)
    placeholder, _ = counts.most_common(1)[0]
    problems = []
    if placeholder is None:
        problems.append(f"{label}: no holder party on the holder side (expected one placeholder party)")
    for n, holder_id in sides:
        if holder_id != placeholder:
            problems.append(f"{label}: row {n}: holder side is {g.name(holder_id)!r} ({holder_id}), not the "
                            f"placeholder {g.name(placeholder)!r} of the other rows (direction reversed?)")
    cp_names = {row["counterparty"]["name"] for _, _, row in pairs} - {None}
    if set(g.names(placeholder)) & cp_names:
        problems.append(f"{label}: the holder placeholder is named as a counterparty: {g.name(placeholder)!r}")
    return problems


def compare(label: str, entities: Iterable[Entity], rejects: list[str], truth: Mapping[str, Any]) -> list[str]:
    """Every difference between a load's entities and the expected truth, one line each.

    `rejects` are one-line descriptions of Reject items; a clean statement has none.
    """
    g = _Graph(entities)
    problems = [f"{label}: rejected: {r} (footers, notices and preamble lines must give no Reject)"
                for r in rejects]
    rows = truth["rows"]
    used: set[str] = set()
    pairs: list[tuple[int, Entity, Mapping[str, Any]]] = []
    for n, row in enumerate(rows, start=1):
        where = f"{label}: {_describe(n, row)}"
        found = [p for p in g.payments
                 if (a := _number(_first(p, "amount"))) is not None and abs(abs(a) - row["amount"]) < TOLERANCE]
        if not found:
            problems.append(f"{where}: not loaded (no Payment with amount {row['amount']:.2f})")
            continue
        if len(found) > 1:
            problems.append(f"{where}: loaded {len(found)} times (a subtotal, total or duplicate sheet read as a "
                            f"transaction?) ids {[p['id'] for p in found]}")
        used.update(p["id"] for p in found)
        pairs.append((n, found[0], row))
        problems += _check_row(g, found[0], row, truth["holder"], where)
    for pay in g.payments:
        if pay["id"] not in used:
            problems.append(f"{label}: extra Payment amount {_first(pay, 'amount')!r} date {_first(pay, 'date')!r} "
                            f"purpose {_first(pay, 'purpose')!r} (a footer, subtotal, notice or preamble line?)")
    if truth["holder"]["name"] is None:
        problems += _check_placeholder(g, pairs, label)
    return problems
