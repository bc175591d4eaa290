"""A real BOCOM export: account numbers Excel turned into scientific notation are not accounts, and
the time of day of 交易时间 is kept beside the date of 记账日期."""
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


def test_the_time_of_day_of_a_second_date_column_is_kept() -> None:
    items, _ = read_any(BOCOM)
    dates = [i.entity["properties"]["date"][0] for i in items
             if hasattr(i, "entity") and i.entity["schema"] == "Payment"]
    assert dates[:2] == ["2023-08-05T13:36:00", "2023-08-04T12:41:00"] and all("T" in d for d in dates)


def test_a_mapping_with_two_date_columns_takes_the_time_from_the_second() -> None:
    import pyarrow as pa

    from debtorgraph.loaders.columns import PARSERS

    values, errors = PARSERS["date"]([pa.array(["2023-08-05", "2023-08-06", ""]),
                                      pa.array(["2023-08-05 13:36:00", "2023-08-07 01:10:00", "2023-08-08 09:00"])])
    assert errors == {}
    assert values == ["2023-08-05T13:36:00", "2023-08-06", "2023-08-08T09:00:00"]  # another day: the first column's
