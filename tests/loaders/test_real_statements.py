"""Real published statement exports load with no mapping and give back every transaction row.

The files under tests/fixtures/statements/ are sample exports published by third parties
(see SOURCES.md there); expected.json was written by reading each file by hand, not with
debtorgraph. Each file is loaded through the public loader API and compared row by row:
the number of Payments, no Reject on a transaction line, and every expected row found with
its date, amount, direction (seen from the holder side) and counterparty name.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from debtorgraph.loaders import read_any

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "statements"
EXPECTED: dict[str, dict[str, Any]] = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
AMOUNT_TOLERANCE = 0.005
MAX_LISTED = 12  # problems listed per file in one failure message


def _props(entity: dict[str, Any]) -> dict[str, list[str]]:
    """The FtM properties of an entity dict (empty when absent)."""
    return entity.get("properties") or {}


def _first(entity: dict[str, Any], prop: str) -> str | None:
    """The first value of a property, or None."""
    values = _props(entity).get(prop) or []
    return values[0] if values else None


def _amount(payment: dict[str, Any]) -> float | None:
    """The Payment amount as a float, or None when missing or unreadable."""
    raw = _first(payment, "amount")
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


def _load(name: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], list[Any], str]:
    """Load one fixture: its Payments, every Row entity by id, the Rejects and the layout name."""
    try:
        items, layout_name = read_any(HERE / name)
    except Exception as exc:  # the file must load; say which and why instead of a bare traceback
        pytest.fail(f"{name}: read_any raised {type(exc).__name__}: {exc}")
    payments: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    rejects: list[Any] = []
    for item in items:
        kind = type(item).__name__
        if kind == "Reject":
            rejects.append(item)
        elif kind == "Row":
            entity = item.entity
            by_id[entity["id"]] = entity
            if entity.get("schema") == "Payment":
                payments.append(entity)
    return payments, by_id, rejects, layout_name


def _sides(payment: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The payer ids and beneficiary ids of a Payment."""
    props = _props(payment)
    return set(props.get("payer") or []), set(props.get("beneficiary") or [])


def _owners_of_common_accounts(payments: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> set[str]:
    """Owners (by Ownership) of the accounts named on every Payment: the statement's own account."""
    common: set[str] | None = None
    for payment in payments:
        props = _props(payment)
        accounts = set(props.get("payerAccount") or []) | set(props.get("beneficiaryAccount") or [])
        common = accounts if common is None else common & accounts
    return {owner for entity in by_id.values() if entity.get("schema") == "Ownership"
            and set(_props(entity).get("asset") or []) & (common or set())
            for owner in _props(entity).get("owner") or []}


def _holder_side(payments: list[dict[str, Any]], by_id: dict[str, dict[str, Any]],
                 spec: dict[str, Any]) -> tuple[str | None, str]:
    """The party id on every Payment (the holder), or None with the reason it cannot be told."""
    common: set[str] | None = None
    for payment in payments:
        payer, beneficiary = _sides(payment)
        ids = payer | beneficiary
        common = ids if common is None else common & ids
    candidates = sorted(common or ())
    if len(candidates) == 1:
        return candidates[0], ""
    if len(candidates) > 1:
        owners = _owners_of_common_accounts(payments, by_id)
        owning = [c for c in candidates if c in owners]
        if len(owning) == 1:
            return owning[0], ""
    if len(candidates) > 1 and spec.get("holder_name"):
        named = [c for c in candidates if spec["holder_name"] in (_props(by_id.get(c, {})).get("name") or [])]
        if len(named) == 1:
            return named[0], ""
    return None, f"no single party appears on every Payment (candidates: {candidates})"


def _norm(text: str) -> str:
    """A name compared loosely: NFKC (full-width brackets and commas fold) and no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _names(entity_id: str, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """The normalised names of a party entity; the id itself when the entity is unknown."""
    entity = by_id.get(entity_id)
    names = (_props(entity).get("name") or []) if entity else [entity_id]
    return [_norm(n) for n in names]


def _direction_ok(payment: dict[str, Any], holder: str, direction: str) -> bool:
    """Whether the Payment runs the expected way seen from the holder (neutral is not checked)."""
    payer, beneficiary = _sides(payment)
    if direction == "out":
        return holder in payer
    if direction == "in":
        return holder in beneficiary
    return True


def _other_side_names(payment: dict[str, Any], holder: str, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Names of the parties on the Payment that are not the holder."""
    payer, beneficiary = _sides(payment)
    others = (payer | beneficiary) - {holder}
    return [n for other in sorted(others) for n in _names(other, by_id)]


def _time_ok(payment: dict[str, Any], row: dict[str, Any]) -> bool:
    """Whether the Payment time (when it has one) is one of the times the file gives for the row."""
    date = _first(payment, "date") or ""
    if not row.get("time") or len(date) <= 10:
        return True
    times = {row["time"], row.get("time_alt")}
    return date[11:19] in times


def _match_rows(name: str, spec: dict[str, Any], payments: list[dict[str, Any]], holder: str | None,
                by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Find every expected row among the Payments; return one message per row not found as written."""
    problems: list[str] = []
    free = list(payments)
    claimed = {f"row {r['line']}" for r in spec["rows"]}
    for row in spec["rows"]:
        where = f"{name} line {row['line']} ({row['date']} {row['amount']:.2f} {row['direction']})"
        own = f"row {row['line']}"
        same = [p for p in free if (_first(p, "date") or "")[:10] == row["date"]
                and (a := _amount(p)) is not None and abs(a - row["amount"]) <= AMOUNT_TOLERANCE
                and _first(p, "recordId") not in claimed - {own}]
        if not same:
            near = [f"{_first(p, 'date')} {_first(p, 'amount')}" for p in free
                    if (_first(p, "date") or "")[:10] == row["date"]][:4]
            problems.append(f"{where}: no Payment with this date and amount (same-day Payments left: {near})")
            continue
        recorded = [p for p in same if _first(p, "recordId") == own]
        pool = recorded or same
        good = [p for p in pool if holder is not None and _direction_ok(p, holder, row["direction"])
                and _time_ok(p, row)]
        chosen = good[0] if good else pool[0]
        free.remove(chosen)
        if holder is None:
            continue  # reported once for the file
        if not _direction_ok(chosen, holder, row["direction"]):
            payer, beneficiary = _sides(chosen)
            problems.append(f"{where}: direction differs, payer={sorted(payer)} beneficiary={sorted(beneficiary)} "
                            f"holder={holder}")
        elif not _time_ok(chosen, row):
            problems.append(f"{where}: time differs, Payment date={_first(chosen, 'date')} expected {row['time']}")
        expected_cp = row.get("counterparty")
        if expected_cp:
            wanted = _norm(expected_cp)
            names = _other_side_names(chosen, holder, by_id)
            if not any(wanted in n for n in names):
                problems.append(f"{where}: counterparty {expected_cp!r} not found, other side names={names}")
    return problems


def _reject_problems(name: str, spec: dict[str, Any], rejects: list[Any]) -> list[str]:
    """Rejects that fall on a transaction line, or whose line cannot be told."""
    lines = {row["line"] for row in spec["rows"]}
    problems = []
    for reject in rejects:
        line = getattr(getattr(reject, "origin", None), "row", None)
        if line is None or line in lines:
            problems.append(f"{name} line {line}: Reject {getattr(reject, 'reason', '?')}: "
                            f"{getattr(reject, 'message_en', '')}")
    return problems


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_statement_loads_every_row(name: str) -> None:
    """One published export: no exception, one Payment per transaction row, each row found as written."""
    spec = EXPECTED[name]
    assert (HERE / name).is_file(), f"{name}: fixture file missing"
    payments, by_id, rejects, layout_name = _load(name)
    problems = _reject_problems(name, spec, rejects)
    if len(payments) != spec["transaction_rows"]:
        problems.insert(0, f"{name}: {len(payments)} Payments, expected {spec['transaction_rows']} "
                           f"(layout {layout_name!r}, {len(rejects)} rejects)")
    holder, why = _holder_side(payments, by_id, spec) if payments else (None, "no Payments")
    if holder is None:
        problems.append(f"{name}: holder side unknown: {why}")
    problems += _match_rows(name, spec, payments, holder, by_id)
    shown = problems[:MAX_LISTED] + ([f"... and {len(problems) - MAX_LISTED} more"] if len(problems) > MAX_LISTED else [])
    assert not problems, f"{name} (layout {layout_name!r}):\n" + "\n".join(shown)


def test_expected_file_matches_fixtures() -> None:
    """Every fixture has an entry in expected.json and its row count agrees with its rows."""
    files = {p.name for p in HERE.iterdir() if p.suffix in {".csv", ".txt", ".html"}}
    assert files == set(EXPECTED), f"fixtures and expected.json differ: {sorted(files ^ set(EXPECTED))}"
    for name, spec in EXPECTED.items():
        assert spec["transaction_rows"] == len(spec["rows"]), f"{name}: transaction_rows disagrees with rows"
        assert len({r["line"] for r in spec["rows"]}) == len(spec["rows"]), f"{name}: a line is listed twice"
        for row in spec["rows"]:
            assert row["direction"] in {"in", "out", "neutral"}, f"{name} line {row['line']}: bad direction"
            assert row["amount"] >= 0, f"{name} line {row['line']}: amount must be positive"
