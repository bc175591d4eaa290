"""Loader robustness: both sides of a transfer, encodings, user mappings, random input."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debtorgraph.errors import InvalidSchema
from debtorgraph.loaders import values as V
from debtorgraph.loaders.base import Reject, Row
from debtorgraph.loaders.infer.choose import _DATEISH
from debtorgraph.loaders.sources import detect_layout, read_source
from fixtures_loaders import writers as W


def main_items(path: Path, **kw: object) -> list[Row | Reject]:
    return [i for i in read_source(path, **kw)  # type: ignore[arg-type]
            if not (isinstance(i, Row) and i.derived)]


def payments(path: Path) -> dict[str, dict]:
    return {i.entity["id"]: i.entity for i in read_source(path)
            if isinstance(i, Row) and i.entity["schema"] == "Payment"}


def test_both_sides_of_a_transfer_give_one_payment(tmp_path: Path) -> None:
    payer_side = payments(W.icbc_xlsx(tmp_path))        # debtor's debit row, 10:01:02
    beneficiary_side = payments(W.ccb_xlsx(tmp_path))   # sister's credit row
    shared = set(payer_side) & set(beneficiary_side)
    assert len(shared) == 1
    (pid,) = shared
    a, b = payer_side[pid]["properties"], beneficiary_side[pid]["properties"]
    for prop in ("payer", "beneficiary", "payerAccount", "beneficiaryAccount", "amount"):
        assert a[prop] == b[prop], prop
    assert len(set(payer_side) | set(beneficiary_side)) == 3 + 2 - 1
    # a third statement, another bank, seconds later: still the same transfer
    assert pid in payments(W.abc_csv(tmp_path))


def test_both_sides_of_a_wechat_transfer(tmp_path: Path) -> None:
    mine, hers = payments(W.wechat_csv(tmp_path)), payments(W.wechat_sister_csv(tmp_path))
    (pid,) = set(mine) & set(hers)
    for prop in ("payer", "beneficiary", "amount", "transactionNumber"):
        assert mine[pid]["properties"][prop] == hers[pid]["properties"][prop]


def test_reloading_gives_the_same_ids(tmp_path: Path) -> None:
    path = W.samr_xlsx(tmp_path)
    first = [i.entity["id"] for i in read_source(path) if isinstance(i, Row)]
    assert first == [i.entity["id"] for i in read_source(path) if isinstance(i, Row)]


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", False),   # plain UTF-8
    ("utf-8", True),    # UTF-8 with BOM (Excel's "CSV UTF-8")
    ("gbk", False),     # what most bank systems export
    ("gb18030", False),  # GBK's superset
])
def test_encodings_read_alike(tmp_path: Path, encoding: str, bom: bool) -> None:
    lines = ["中国农业银行账户交易明细", f"账户名称：{W.SISTER},账号：{W.SISTER_ACCT}",
             "交易日期,交易时间,交易金额,本次余额,对方户名,对方账号,对方开户行,交易渠道,摘要,附言,交易流水号",
             f"20230501,100105,50000.00,50000.00,{W.DEBTOR},{W.DEBTOR_ACCT},工行,网银,转账,借款,A1"]
    path = W.write_csv(tmp_path / f"{encoding}{bom}.csv", lines, encoding, bom)
    (pay,) = main_items(path)
    assert isinstance(pay, Row)
    assert pay.entity["properties"]["purpose"] == ["转账 借款"]
    assert pay.entity["properties"]["amount"] == ["50000"]


def test_merged_cells_and_several_sheets(tmp_path: Path) -> None:
    rows = [["户名：王某某", None, "账号：6222020200001234567"],
            ["交易日期", "摘要", "记账金额(收入)", "记账金额(支出)", "余额", "对方户名", "对方账号"],
            ["2023-05-01", "转账", None, 100, 900, "甲", "6200000000000001"],
            [None, "转账", None, 200, 700, "乙", "6200000000000002"],  # date merged from above
            ["2023-05-02", "转账", 50, None, 750, "甲", "6200000000000001"]]
    path = W.write_xlsx(tmp_path / "工行.xlsx", {"说明": [["本文件由工商银行提供"]], "明细": rows},
                        merges={"明细": ["A3:A4"]})
    items = main_items(path)
    assert len(items) == 3 and all(isinstance(i, Row) for i in items)
    assert items[1].entity["properties"]["date"] == ["2023-05-01"]  # type: ignore[union-attr]
    assert items[1].entity["properties"]["recordId"] == ["明细!4"]  # type: ignore[union-attr]


def test_user_mapping_for_a_new_bank(tmp_path: Path) -> None:
    path = W.write_csv(tmp_path / "某村镇银行.csv", [
        "记账日,收付方向,发生额,对手名称,对手账号,说明",
        "2023/05/01,付,1200.00,甲公司,6200000000000009,货款"], "gbk")
    # issue 15: a layout no mapping knows is inferred from its header words
    assert detect_layout(path).name == "inferred_statement"  # type: ignore[union-attr]
    (inferred,) = main_items(path)
    assert isinstance(inferred, Row) and inferred.entity["properties"]["amount"] == ["1200"]
    mapping = tmp_path / "village_bank.yaml"
    mapping.write_text("""
name: village_bank
title: 某村镇银行 流水
publisher: 某村镇银行
kind: bank_statement
detect: {header: [记账日, 收付方向, 发生额, 对手名称]}
fields: {date: 记账日, direction: 收付方向, amount: 发生额, counterparty_name: 对手名称,
         counterparty_account: 对手账号, purpose: 说明, holder_account: 本方账号}
options: {out_words: [付], in_words: [收]}
""", encoding="utf-8")
    assert detect_layout(path, mapping).name == "village_bank"  # type: ignore[union-attr]
    notes: dict = {}
    items = main_items(path, mapping=mapping, notes=notes)
    # issue 15: no holder in the file is no longer a reject: a placeholder party named after
    # the file, listed for the officer to confirm
    assert len(items) == 1 and isinstance(items[0], Row)
    assert notes["placeholders"] == ["待确认户名（某村镇银行）"]
    holder = next(i.entity for i in read_source(path, mapping=mapping)
                  if isinstance(i, Row)
                  and i.entity["properties"].get("name") == ["待确认户名（某村镇银行）"])
    assert items[0].entity["properties"]["payer"] == [holder["id"]]
    path2 = W.write_csv(tmp_path / "某村镇银行2.csv", [
        "户名：张三  账号：6200000000000100",
        "记账日,收付方向,发生额,对手名称,对手账号,说明",
        "2023/05/01,付,1200.00,甲公司,6200000000000009,货款"], "gbk")
    mapping.write_text(mapping.read_text(encoding="utf-8") + """
preamble: {holder_name: '户名[:：]\\s*(\\S+)', holder_account: '账号[:：]\\s*(\\d+)'}
""", encoding="utf-8")
    (pay,) = main_items(path2, mapping=mapping, publisher="某村镇银行成都分行")
    assert isinstance(pay, Row)
    assert pay.entity["properties"]["amount"] == ["1200"]
    assert pay.entity["properties"]["publisher"] == ["某村镇银行成都分行"]


@pytest.mark.parametrize("text,match", [
    ("kind: nothing\ndetect: {header: [a]}", "unknown kind"),            # kind not known
    ("kind: vehicle\ndetect: {header: [a]}\nfields: {wings: x}", "no field"),  # bad field
    ("kind: vehicle\nfields: {plate: 号牌号码}", "detect.header"),       # nothing to detect
    ("kind: vehicle\ndetect: {header: [a]}\noptions: {colour: red}", "unknown options"),
])
def test_bad_mapping_is_rejected_when_loaded(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidSchema, match=match):
        detect_layout(W.vehicle_csv(tmp_path), path)


def test_unknown_and_broken_files_give_one_reject(tmp_path: Path) -> None:
    plain = W.write_csv(tmp_path / "随便.csv", ["a,b,c", "1,2,3"], "utf-8")
    items = list(read_source(plain))
    assert isinstance(items[0], Row) and items[0].derived
    assert [i.reason for i in items[1:]] == ["unknown_layout"]  # type: ignore[union-attr]
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    (bad,) = list(read_source(broken))
    assert isinstance(bad, Reject) and bad.reason == "unreadable_file"
    assert detect_layout(broken) is None


@pytest.mark.parametrize("raw,expected", [
    ("1,234.50", "1234.5"), ("￥1,000.00元", "1000"), ("(500.00)", "-500"),
    ("（1,234.50）元", "-1234.5"), ("１２３．４５", "123.45"), ("3.5万元", "35000"),
    ("100.00-", "-100"), ("-", None), ("", None), (1200.0, "1200"),
])
def test_parse_amount(raw: object, expected: str | None) -> None:
    assert V.parse_amount(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("2023年5月1日", "2023-05-01"), ("2023/5/1 8:05", "2023-05-01T08:05:00"),
    ("20230501", "2023-05-01"), ("20230501 100102", "2023-05-01T10:01:02"),
    ("45047", "2023-05-01"), (45047.5, "2023-05-01T12:00:00"), ("２０２３．０５．０１", "2023-05-01"),
])
def test_parse_date(raw: object, expected: str) -> None:
    assert V.parse_date(raw) == expected


def test_phone_and_identifiers() -> None:
    assert V.to_e164("13912345678") == "+8613912345678"
    assert V.to_e164("0836-2345678") == "+868362345678"
    assert V.to_e164("12") is None
    assert V.valid_ric("11010519491231002X") and not V.valid_ric(W.SISTER_ID)
    assert V.valid_uscc(W.USCC)
    assert V.normalize_case_number("（2022）川3338 执123号") == "(2022)川3338执123号"


HEADER = "交易日期,交易时间,交易金额,本次余额,对方户名,对方账号,对方开户行,交易渠道,摘要,附言,交易流水号"
CELL = st.text(alphabet="0123456789abcXYZ甲乙丙丁戊己庚辛.:", min_size=0, max_size=8)
ROW = st.lists(CELL, min_size=11, max_size=11).filter(lambda r: r[0] != "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=0, max_size=12), cut=st.floats(0, 1),
       encoding=st.sampled_from(["gbk", "utf-8"]))
def test_random_and_truncated_statements(tmp_path: Path, rows: list[list[str]], cut: float,
                                         encoding: str) -> None:
    lines = ["中国农业银行账户交易明细", "账户名称：王某某,账号：6228480012345678901", HEADER]
    lines += [",".join(r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    data = data[:int(len(data) * cut)]
    path = tmp_path / f"trunc_{encoding}.csv"
    path.write_bytes(data)
    items = list(read_source(path))  # never raises
    main = [i for i in items if not (isinstance(i, Row) and i.derived)]
    text = data.decode(encoding, errors="replace")  # a cut character still makes a (bad) row
    parts = text.split("\n")
    if detect_layout(path) is None:
        assert len(main) == 1 and isinstance(main[0], Reject)
        return
    header_at = next(k for k, line in enumerate(parts) if line.startswith("交易日期"))
    # a line with one filled cell that is not a date is a notice (issue 15): skipped, no item
    expected = sum(1 for line in parts[header_at + 1:] if line.strip() and not (
        sum(1 for c in line.split(",") if c.strip()) <= 1 and not re.match(_DATEISH, line.split(",")[0])))
    assert len(main) == expected
    for item in main:
        assert isinstance(item, Reject) or item.entity["schema"] == "Payment"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_random_bytes_never_raise(tmp_path: Path, blob: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(blob)
    items = list(read_source(path))
    assert sum(1 for i in items if not (isinstance(i, Row) and i.derived)) >= 1


def test_every_kind_field_and_option_is_documented() -> None:
    """The mapping README lists every field and option a mapping may use."""
    from debtorgraph.loaders.kinds import KINDS
    from debtorgraph.loaders.mapping import MAPPINGS_DIR, builtin_mappings

    text = (MAPPINGS_DIR / "README.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{kind.name}`")), "")
        assert row, kind.name
        for name in [*kind.fields, *kind.options]:
            assert name in row, (kind.name, name)
    for mapping in builtin_mappings():
        assert f"`{mapping.name}`" in text, mapping.name


def test_bulk_path_gives_what_the_row_path_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clean one-holder statements take the bulk path; it must match the row-by-row path."""
    from debtorgraph.loaders.kinds import money, statement_fast

    lines = ["中国银行交易流水明细", f"客户名称：{W.DEBTOR},账号：6216610100001234567",
             "交易日期,交易时间,业务摘要,对方账户名称,对方账户账号,对方开户网点,币种,交易金额,借贷标志,交易后余额,交易渠道,附言,流水号"]
    for k in range(30):  # rows 0/1 and 10/11 are identical transfers: ranked apart
        same = k % 10 < 2
        lines.append(f"2023-06-{1 + k % 3:02d},{'' if same else f'1{k % 10}:00:00'},转账,"
                     f"对方{k % 4},62170000{k % 4:011d},建行,人民币,\"{1000 if same else 1000 + k}.00\","
                     f"{'借' if k % 2 else '贷'},{50000 + k},网银,,{'' if same else f'B{k}'}")
    path = W.write_csv(tmp_path / "中行.csv", lines, "gbk")
    calls: list[int] = []
    real = statement_fast.bulk_rows
    monkeypatch.setattr(statement_fast, "bulk_rows", lambda *a: calls.append(1) or real(*a))
    bulk = [(i.entity, i.origin, i.derived) for i in read_source(path) if isinstance(i, Row)]
    assert calls  # the bulk path was taken
    monkeypatch.setitem(money.OPTIONS, "bulk", False)
    rows = [(i.entity, i.origin, i.derived) for i in read_source(path) if isinstance(i, Row)]
    assert bulk == rows
    pids = [e["id"] for e, _, _ in rows if e["schema"] == "Payment"]
    assert len(pids) == 30 and len(set(pids)) == 30


def test_row_numbers_survive_blank_lines_and_quoted_newlines(tmp_path: Path) -> None:
    path = W.write_csv(tmp_path / "农行.csv", [
        "中国农业银行账户交易明细", f"账户名称：{W.SISTER},账号：{W.SISTER_ACCT}",
        "交易日期,交易时间,交易金额,本次余额,对方户名,对方账号,对方开户行,交易渠道,摘要,附言,交易流水号",
        "20230501,100105,-100.00,1.00,甲,6200000000000001,工行,网银,转账,\"两行\n附言\",A1",
        "",
        "20230502,100105,-200.00,1.00,乙,6200000000000002,工行,网银,转账,,A2",
    ], "gbk")
    rows = [i for i in main_items(path)]
    assert [r.origin.row for r in rows] == [4, 7]
    assert rows[1].entity["properties"]["recordId"] == ["row 7"]  # type: ignore[union-attr]
    assert rows[0].entity["properties"]["purpose"] == ["转账 两行\n附言"]  # type: ignore[union-attr]
