"""Fuzzing the loaders and the ingest step with hypothesis.

Properties, for every input:

- ``read_ftm`` never raises, yields one item per non-blank line (a Reject for a line that
  is too long, not UTF-8, not JSON or not an object, with a message that says which);
- the ingest never raises, and entities in = loaded + merged + rejected; every
  relationship it writes ends on nodes that exist;
- the court-file loaders never raise on random bytes, truncated or corrupted real
  files, or random cells under real headers; their rows balance through the ingest.

``DEBTORGRAPH_FUZZ_EXAMPLES`` sets the examples per test (default 200, so CI stays
fast); the ingest into the real embedded store runs a tenth of that. A long campaign::

    DEBTORGRAPH_FUZZ_EXAMPLES=10000 pytest tests/loaders/test_fuzz_loaders.py --hypothesis-seed=1
"""
from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any, Callable

import orjson
import pytest
from followthemoney import model
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders import ftm as ftm_module
from debtorgraph.loaders.base import Reject, Row
from debtorgraph.loaders.ftm import read_ftm
from store_checks import MemoryStore, state

EXAMPLES = int(os.environ.get("DEBTORGRAPH_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
FUZZ_STORE = settings(FUZZ, max_examples=max(20, EXAMPLES // 10))
#: Longest FtM line while fuzzing (the real limit is 8 MiB; the code path is the same).
SMALL_LINE = 600

POOL = ["p1", "p2", "c1", "acct-1", "case-1", "pay-1", "own-1", "ev-1", "x"]
SCHEMATA = ["Person", "Company", "LegalEntity", "Organization", "BankAccount", "RealEstate",
            "Vehicle", "CourtCase", "Event", "Sanction", "Document", "Payment", "Ownership",
            "Family", "Associate", "CourtCaseParty", "Debt", "Directorship", "Employment",
            "Thing", "Interval", "NoSuchSchema", ""]
VALUES = st.one_of(
    st.sampled_from(POOL + ["2023-05-01", "2023-02-30", "2023-05-01T10:00:00", "2023", "48000",
                            "-1e3", "1,234.5", "abc", "11010519491231002X", "110105194912310021",
                            "91350100M000100Y43", "+8613912345678", "cn", "male", "CNY", "",
                            "=HYPERLINK(\"x\")", "<script>", "\x00", "王某某"]),
    st.text(max_size=40))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)


#: Values that parse for each FtM type (one in ten drawn from VALUES instead, to fail).
TYPED: dict[str, list[str]] = {
    "date": ["2023-05-01", "2023-05", "2023", "2023-05-01T10:00:00"],
    "number": ["48000", "1.5", "-3", "1e5", "1,234.5"],
    "entity": POOL,
    "country": ["cn", "hk", "us"],
    "gender": ["male", "female", "other"],
    "phone": ["+8613912345678", "+862812345678"],
    "email": ["wang@example.cn"],
    "url": ["https://example.cn/a"],
    "language": ["zho", "eng"],
    "mimetype": ["text/csv"],
    "checksum": ["da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    "topic": ["crime", "role.pep"],
    "ip": ["10.0.0.1"],
    "identifier": ["11010519491231002X", "110105194912310021", "91350100M000100Y43",
                   "6222020200001234567", "(2022)川3338执123号"],
}


@st.composite
def entities(draw: st.DrawFn) -> Any:
    """FtM-looking entities: three in four well formed from the model, the rest broken."""
    schema = draw(st.sampled_from(SCHEMATA))
    spec = model.get(schema) if schema else None
    names = sorted(p.name for p in spec.properties.values() if not p.stub) if spec else []
    if names and draw(st.integers(0, 3)):
        props = {}
        for name in draw(st.lists(st.sampled_from(names), max_size=5, unique=True)):
            kind = spec.properties[name].type.name
            pool = st.sampled_from(TYPED[kind]) if kind in TYPED and draw(st.integers(0, 9)) \
                else VALUES
            props[name] = draw(st.lists(pool, min_size=1, max_size=3))
    else:
        keys = (st.sampled_from(names) if names else st.nothing()) | st.text(max_size=10)
        props = draw(st.dictionaries(keys, st.lists(VALUES, max_size=3) | JSON, max_size=6))
    if spec is not None and spec.edge and draw(st.integers(0, 4)):
        props[spec.edge_source] = [draw(st.sampled_from(POOL))]
        props[spec.edge_target] = [draw(st.sampled_from(POOL))]
    ent: Any = {"id": draw(st.sampled_from(POOL) | st.text(min_size=1, max_size=12)), "schema": schema,
                "properties": props}
    broken = draw(st.integers(0, 39))
    if broken == 0:
        del ent["id"]
    elif broken == 1:
        ent["id"] = draw(JSON)
    elif broken == 2:
        ent["properties"] = draw(JSON)
    elif broken == 3:
        ent["schema"] = draw(JSON)
    elif broken == 4:
        ent = draw(JSON)
    elif broken == 5:
        ent[draw(st.text(max_size=8))] = draw(JSON)
    return ent


def _mutate(line: bytes, how: int, where: float, extra: bytes) -> bytes:
    """Damage a rendered line: cut it, splice in bytes, nest it, blow it up."""
    at = int(len(line) * where)
    if how == 0:
        return line[:at]                                        # truncated
    if how == 1:
        return line[:at] + extra + line[at:]                    # invalid UTF-8, NUL, GBK...
    if how == 2:
        depth = 1000 + int(where * 9000)
        return b"[" * depth + b"]" * depth                      # deep nesting
    if how == 3:
        return b'{"id": "p1", "schema": "Person", "properties": ' + b'{"a":' * 300 + b"1" + b"}" * 301
    if how == 4:
        return line + b" " * SMALL_LINE                         # a huge line
    if how == 5:
        return line.replace(b"\n", b"")[:at] + b"\r"
    return line


GARBAGE = st.sampled_from([b"\xff", b"\xc0\x80", b"\xed\xa0\x80", "王".encode("gbk"), b"\x00",
                           b"\\ud800", b"\\", b'"', b"\n", b"\xe4\xb8", b"\x1b[31m"])


@st.composite
def ftm_files(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 13))
        if kind <= 9:
            line = json.dumps(draw(entities()), ensure_ascii=draw(st.booleans())).encode()
            if kind == 9:
                line = _mutate(line, draw(st.integers(0, 5)), draw(st.floats(0, 1)),
                               draw(GARBAGE))
        elif kind == 10:
            line = draw(st.binary(max_size=80))
        elif kind == 11:
            line = draw(st.sampled_from([b"", b"   ", b"\t", b"\r", b"null", b"[]", b"1e999",
                                         b'"text"', b"{}", b"{", b"}{"]))
        else:
            line = json.dumps(draw(JSON)).encode()
        lines.append(line)
    data = b"\n".join(lines)
    return data + b"\n" if draw(st.booleans()) else data


def expected_items(data: bytes, limit: int) -> list[tuple[int, bytes]]:
    """(line number, line) of every line that must give an item."""
    segments = data.split(b"\n")
    if segments and segments[-1] == b"":
        segments.pop()
    return [(no, seg) for no, seg in enumerate(segments, start=1) if len(seg) > limit or seg.strip()]


def ingest_file(store: Any, path: Path, items: list[Any], rejects: Path) -> Any:
    """Load ``items`` (read from ``path``) and check the report's arithmetic."""
    rejects.unlink(missing_ok=True)
    ingest = Ingest(store, rejects)
    ingest.add(iter(items), path.name)
    report = ingest.commit()
    assert report.balanced, report.as_dict()
    assert report.entities_in == len(items)
    assert report.rows_in == sum(1 for i in items if not (isinstance(i, Row) and i.derived))
    written = rejects.read_bytes().count(b"\n") if rejects.exists() else 0
    assert written == report.rejected
    event("loaded some" if report.loaded else "loaded none")
    for reason in list(report.merged_by_reason) + list(report.rejected_by_reason):
        event(reason)
    return report


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def memory_store() -> MemoryStore:
    return MemoryStore()          # shared: later examples meet what earlier ones loaded


# -- FtM JSON lines ------------------------------------------------------------------------
@FUZZ
@given(data=ftm_files())
def test_read_ftm_gives_one_item_per_line_and_never_raises(work: Path, data: bytes) -> None:
    path = work / "fuzz.ftm.jsonl"
    path.write_bytes(data)
    limit = ftm_module.MAX_LINE_BYTES
    ftm_module.MAX_LINE_BYTES = SMALL_LINE
    try:
        items = list(read_ftm(path))
    finally:
        ftm_module.MAX_LINE_BYTES = limit
    expected = expected_items(data, SMALL_LINE)
    assert [i.origin.row for i in items] == [no for no, _ in expected]
    for item, (_, seg) in zip(items, expected):
        if isinstance(item, Row):
            assert isinstance(item.entity, dict)
            continue
        assert item.reason == "invalid_json" and item.message_zh and item.message_en
        if len(seg) > SMALL_LINE:
            assert "longer than" in item.message_en
            continue
        try:
            seg.decode("utf-8")
        except UnicodeDecodeError:
            assert "is not valid UTF-8 at byte" in item.message_en
            assert "不是有效的 UTF-8" in item.message_zh


@FUZZ
@given(data=ftm_files())
def test_ingest_of_fuzzed_ftm_balances(work: Path, memory_store: MemoryStore, data: bytes) -> None:
    path = work / "ingest.ftm.jsonl"
    path.write_bytes(data)
    ingest_file(memory_store, path, list(read_ftm(path)), work / "rejects.jsonl")


@FUZZ_STORE
@given(data=ftm_files())
def test_ingest_into_the_embedded_store_balances(work: Path, data: bytes) -> None:
    path = work / "store.ftm.jsonl"
    path.write_bytes(data)
    store = EmbeddedStore(work / "graph")       # one store for every example: loads pile up
    try:
        report = ingest_file(store, path, list(read_ftm(path)), work / "rejects.jsonl")
        new_records = store.run_read("MATCH (r:Record) WHERE r.load_id = $l RETURN count(r)",
                                     {"l": report.load_id}).rows[0][0]
        assert new_records == report.loaded + report.merged_by_reason["same_identifier"]
    finally:
        store.close()
    state(work / "graph", whole_loads=False)      # opens, and is consistent


def test_invalid_utf8_line_is_a_clear_reject(tmp_path: Path) -> None:
    path = tmp_path / "gbk.ftm.jsonl"
    good = {"id": "p1", "schema": "Person", "properties": {"name": ["王某"]}}
    path.write_bytes(orjson.dumps(good) + b"\n" + json.dumps(good, ensure_ascii=False).encode("gbk")
                     + b"\n")
    first, second = list(read_ftm(path))
    assert isinstance(first, Row) and isinstance(second, Reject)
    assert second.origin.row == 2 and second.reason == "invalid_json"
    at = path.read_bytes().split(b"\n")[1].index("王".encode("gbk")) + 1
    assert f"not valid UTF-8 at byte {at}" in second.message_en
    assert f"第 {at} 字节起不是有效的 UTF-8" in second.message_zh


def test_a_line_over_the_real_limit_is_refused_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "huge.ftm.jsonl"
    good = orjson.dumps({"id": "p1", "schema": "Person", "properties": {}})
    with open(path, "wb") as fh:
        fh.write(b'{"id": "big", "schema": "Person", "properties": {"notes": ["')
        fh.write(b"x" * (ftm_module.MAX_LINE_BYTES + 10))
        fh.write(b'"]}}\n' + good + b"\n")
    items = list(read_ftm(path))
    assert [type(i).__name__ for i in items] == ["Reject", "Row"]
    assert items[1].origin.row == 2


# -- court files ---------------------------------------------------------------------------
try:
    from debtorgraph.loaders import sources
    from fixtures_loaders import writers
except ImportError:  # court-file loaders not in this build
    sources = writers = None  # type: ignore[assignment]
court = pytest.mark.skipif(sources is None, reason="no court-file loaders in this build")
WRITERS: list[Callable[[Path], Path]] = [
    getattr(writers, n) for n in ("icbc_xlsx", "abc_csv", "boc_xls", "ccb_xlsx", "rcb_csv",
                                  "wechat_csv", "alipay_csv", "real_estate_xlsx", "vehicle_csv",
                                  "housing_fund_xlsx", "samr_xlsx", "household_csv",
                                  "marriage_xlsx", "cases_xlsx", "measures_csv")
    if writers is not None and hasattr(writers, n)]


_FIXTURES: list[tuple[str, bytes]] = []


def court_files() -> list[tuple[str, bytes]]:
    """(suffix, bytes) of every real-looking court file the loader tests write (made once;
    kept out of the test's arguments so a failing example prints short)."""
    if not _FIXTURES:
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            for write in WRITERS:
                path = write(Path(folder))
                _FIXTURES.append((path.suffix, path.read_bytes()))
    return _FIXTURES


def _court(work: Path, memory_store: MemoryStore, name: str, data: bytes) -> list[Any]:
    path = work / name
    path.write_bytes(data)
    items = list(sources.read_source(path))       # never raises
    for item in items:
        assert isinstance(item, (Row, Reject))
        if isinstance(item, Reject):
            assert item.message_zh and item.message_en
    ingest_file(memory_store, path, items, work / "court-rejects.jsonl")
    return items


@court
@FUZZ
@given(blob=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_court_loaders_on_random_bytes(work: Path, memory_store: MemoryStore, blob: bytes,
                                       suffix: str) -> None:
    items = _court(work, memory_store, f"random{suffix}", blob)
    assert any(not (isinstance(i, Row) and i.derived) for i in items), "no row and no reject"


@court
@FUZZ
@given(pick=st.integers(0, 10 ** 6), cut=st.floats(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4))
def test_court_loaders_on_truncated_and_corrupted_files(
        work: Path, memory_store: MemoryStore, pick: int, cut: float,
        flips: list[tuple[float, int]]) -> None:
    files = court_files()
    suffix, data = files[pick % len(files)]
    damaged = bytearray(data[:max(0, int(len(data) * cut))] if cut < 0.97 else data)
    for where, byte in flips:
        if damaged:
            damaged[int(where * (len(damaged) - 1))] = byte
    _court(work, memory_store, f"damaged{suffix}", bytes(damaged))


CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "2023-05-01", "20230501", "2023年5月1日", "10:00:00", "50,000.00",
                     "-30000", "（1,000.00）", "5万元", "￥1.00", "1e308", "-0", "NaN", "借", "贷",
                     "=cmd|' /C calc'!A0", "@SUM(A1)", "11010519491231002X", "6222020200001234567",
                     "合计", "注：", "王某某", "\t123", "\"", ",", "\r\n"]),
    st.integers(-10 ** 12, 10 ** 12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str))


@court
@FUZZ
@given(pick=st.integers(0, 10 ** 6), rows=st.lists(st.lists(CELL, max_size=16), max_size=10),
       seed=st.integers(0, 2 ** 32))
def test_court_loaders_on_random_cells_under_real_headers(
        work: Path, memory_store: MemoryStore, pick: int, rows: list[list[str]],
        seed: int) -> None:
    csvs = [(s, d) for s, d in court_files() if s == ".csv"]
    assume(csvs)
    _, data = csvs[pick % len(csvs)]
    text = _decode(data)
    lines = text.splitlines()
    header_at = _header_line(lines)
    rng = random.Random(seed)
    body = [",".join(_csv_cell(c) for c in r) for r in rows]
    rng.shuffle(body)
    out = "\r\n".join(lines[:header_at + 1] + body) + "\r\n"
    _court(work, memory_store, "cells.csv", b"\xef\xbb\xbf" + out.encode("utf-8"))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def _header_line(lines: list[str]) -> int:
    """The header: the first line with the most commas among the first ten."""
    head = lines[:10]
    return max(range(len(head)), key=lambda k: (head[k].count(",") + head[k].count("\t"), -k))


def _csv_cell(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


