"""Holders named in the preambles of real published exports (tests/fixtures/statements/SOURCES.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

from debtorgraph.loaders import read_any

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "statements"


@pytest.mark.parametrize("name, account", [("jd_ddg.csv", "jd_whatthefuck"), ("jd_2024_ddg.csv", "jd_55370d18d5bb4")])
def test_a_jd_export_is_held_by_its_jd_account_name(name: str, account: str) -> None:
    """京东账号名：jd_… above the table is the holder's account (the JD login), not a placeholder."""
    items, layout = read_any(HERE / name)
    assert layout is not None and not layout.notes.get("placeholders")
    numbers = {n for i in items if hasattr(i, "entity") and i.entity["schema"] == "BankAccount"
               for n in i.entity["properties"].get("accountNumber", [])}
    assert account in numbers
