"""Export cells, HTML and bounded readers (debtorgraph.security.sanitize)."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest

from debtorgraph.errors import InvalidInput
from debtorgraph.security.sanitize import (
    check_json_depth, check_line_length, check_xlsx_safe, decode_utf8_strict,
    iter_lines_bounded, neutralise_formula, read_json_line_bounded, safe_html,
)


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"),                                                    # formula
    ("=HYPERLINK(\"http://evil\",\"查看\")", "'=HYPERLINK(\"http://evil\",\"查看\")"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),                        # DDE
    ("+1+cmd|'/C calc'!A0", "'+1+cmd|'/C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),                                                # tab first
    ("\r=1+1", "'\r=1+1"),                                                # CR first
    ("  =1+1", "'  =1+1"),                                                # spaces first
    ("＝1+1", "'＝1+1"),                                                   # full-width equals
    ("王某某", "王某某"),                                                   # plain text stays
    ("a=b", "a=b"),                                                       # not at the start
    ("-1200.50", "-1200.50"),                                             # a number as text
    ("+86", "+86"),
    ("", ""),
    (-1200.5, -1200.5),                                                   # numbers stay numbers
    (42, 42),
    (Decimal("-3.10"), Decimal("-3.10")),
    (None, None),
    (True, True),
])
def test_neutralise_formula(cell, expected):
    assert neutralise_formula(cell) == expected


def test_neutralised_csv_round_trip():
    buf = io.StringIO()
    csv.writer(buf).writerow([neutralise_formula(v) for v in ["=1+1", 5, "王"]])
    assert buf.getvalue().strip() == "'=1+1,5,王"


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)",
    "</div><svg/onload=alert(1)>",
])
def test_safe_html_escapes_xss(payload):
    escaped = safe_html(payload)
    assert not set("<>\"'") & set(escaped)
    assert "alert(1)" in escaped                     # the text is still readable
    assert safe_html(None) == ""
    assert safe_html(12) == "12"


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, chunks in members:
            with zf.open(name, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return path


def test_zip_bomb_refused_without_opening_a_member(tmp_path, monkeypatch):
    # 64 MiB of one repeated byte compresses to ~64 KiB: a ratio of about 1000
    bomb = _zip(tmp_path / "bomb.xlsx", [
        ("[Content_Types].xml", [b"<Types/>"]),
        ("xl/worksheets/sheet1.xml", (b"<c>0</c>" * (1 << 17) for _ in range(64))),
    ])
    assert bomb.stat().st_size < 2 << 20
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open",
                        lambda self, name, *a, **k: opened.append(name) or real_open(self, name, *a, **k))
    with pytest.raises(InvalidInput, match=r"sheet1\.xml.*zip bomb"):
        check_xlsx_safe(bomb)
    assert opened == []  # only the central directory was read: nothing was decompressed


def test_total_size_limit(tmp_path):
    book = _zip(tmp_path / "big.xlsx", [
        (f"xl/worksheets/sheet{i}.xml", [bytes(range(256)) * 4096]) for i in range(3)])
    with pytest.raises(InvalidInput, match=r"big\.xlsx.*limit is 2000000"):
        check_xlsx_safe(book, max_uncompressed=2_000_000)


def test_real_workbook_passes(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    for i in range(200):
        wb.active.append([f"王某某{i}", i, "6222021234567890123"])
    wb.save(tmp_path / "ok.xlsx")
    check_xlsx_safe(tmp_path / "ok.xlsx")


def test_not_a_zip_refused(tmp_path):
    (tmp_path / "fake.xlsx").write_bytes(b"name,id\n")
    with pytest.raises(InvalidInput, match=r"fake\.xlsx is not a valid xlsx"):
        check_xlsx_safe(tmp_path / "fake.xlsx")


def test_deep_json_refused():
    deep = "[" * 100_000 + "]" * 100_000          # json.loads would hit the recursion limit
    with pytest.raises(InvalidInput, match="nested deeper than 20"):
        check_json_depth(deep)
    with pytest.raises(InvalidInput, match=r"rows\.jsonl.*deeper than 20"):
        read_json_line_bounded(deep, max_length=10 ** 6, source="rows.jsonl", line_no=3)
    nested: list = []
    for _ in range(30):
        nested = [nested]
    with pytest.raises(InvalidInput, match="deeper than 20"):
        check_json_depth(nested)


def test_brackets_inside_strings_do_not_count():
    check_json_depth(json.dumps({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "b": "\\\"[[["}), 3)
    entity = {"id": "p-1", "schema": "Person", "properties": {"name": ["王某某"]}}
    check_json_depth(entity, 3)
    assert read_json_line_bounded(json.dumps(entity, ensure_ascii=False).encode()) == entity


def test_invalid_utf8_refused():
    gbk = "王某某,513338198001011234".encode("gbk")
    with pytest.raises(InvalidInput, match=r"流水\.csv 第 2 行 第 1 字节起不是有效的 UTF-8") as err:
        decode_utf8_strict(gbk, source="流水.csv", line=2)
    assert err.value.errors == {"file": "流水.csv", "byte": 1}
    with pytest.raises(InvalidInput, match="not valid UTF-8"):
        read_json_line_bounded(b'{"name": "' + gbk + b'"}', source="x.jsonl")
    assert decode_utf8_strict("\ufeff王".encode("utf-8")) == "王"      # Excel's BOM dropped


def test_long_line_refused():
    with pytest.raises(InvalidInput, match=r"line 7 of a\.jsonl is longer than the limit of 10"):
        check_line_length(b"x" * 11, 10, source="a.jsonl", line_no=7)
    check_line_length(b"x" * 10, 10)
    with pytest.raises(InvalidInput, match="limit of 100"):
        read_json_line_bounded('{"a": "' + "x" * 200 + '"}', max_length=100)


def test_iter_lines_bounded():
    fh = io.BytesIO(b"one\r\ntwo\n" + b"x" * 50 + b"\nlast")
    lines = iter_lines_bounded(fh, 20, source="f.csv")
    assert next(lines) == (1, b"one")
    assert next(lines) == (2, b"two")
    with pytest.raises(InvalidInput, match=r"line 3 of f\.csv"):
        next(lines)
    assert list(iter_lines_bounded(io.BytesIO(b"a\nb"), 5)) == [(1, b"a"), (2, b"b")]


def test_invalid_json_refused():
    with pytest.raises(InvalidInput, match=r"x\.jsonl line 4 is not valid JSON"):
        read_json_line_bounded(b"{'single': 'quotes'}", source="x.jsonl", line_no=4)
