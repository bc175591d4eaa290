"""Account numbers Excel turned into scientific notation are not accounts (a real BOCOM export)."""
from __future__ import annotations

import re
from pathlib import Path

from debtorgraph.loaders import read_any

BOCOM = Path(__file__).resolve().parents[1] / "fixtures" / "statements" / "bocom_debit_2023_iiw.csv"


def test_mangled_account_numbers_are_dropped_and_counted() -> None:
    items, layout = read_any(BOCOM)
    entities = [i.entity for i in items if hasattr(i, "entity")]
    numbers = [n for e in entities if e["schema"] == "BankAccount" for n in e["properties"].get("accountNumber", [])]
    assert numbers and not [n for n in numbers if re.search(r"E\+", n, re.I)]   # 8.15E+14 is no account
    assert layout is not None and layout.notes["mangled_accounts"] == 4
    payments = [e for e in entities if e["schema"] == "Payment"]
    assert len(payments) == 11                                                  # every row still loaded
