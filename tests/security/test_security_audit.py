"""The hash-chained audit log (debtorgraph.security.audit)."""
from __future__ import annotations

import json
import multiprocessing
import re
from datetime import datetime, timezone

import pytest

from debtorgraph.errors import InvalidInput
from debtorgraph.security.audit import (
    GENESIS, AuditLog, AuditTampered, canonical, entry_hash, head_path, read_entries, verify,
)

ID_NUMBER = "513338198001011234"


@pytest.fixture
def log_path(tmp_path):
    """A log of five entries about different people."""
    path = tmp_path / "audit.jsonl"
    audit = AuditLog(path, fsync=False)
    for i in range(5):
        audit.append("wang", "search", [f"p-{i}"], why="案件线索排查", details={"q": f"王{i}"})
    return path


def _lines(path):
    return path.read_bytes().splitlines(keepends=True)


def _kinds(result):
    return sorted({p.kind for p in result.problems})


def test_untouched_log_verifies(log_path):
    result = verify(log_path)
    assert result.ok, result.problems
    assert result.count == 5
    entries = list(read_entries(log_path))
    assert [e["seq"] for e in entries] == [0, 1, 2, 3, 4]
    assert entries[0]["prev"] == GENESIS
    assert all(b["prev"] == a["hash"] for a, b in zip(entries, entries[1:]))
    assert result.last_hash == entries[-1]["hash"]


def test_entry_fields_and_time_zone(tmp_path):
    path = tmp_path / "audit.jsonl"
    when = datetime(2024, 5, 1, 2, 0, tzinfo=timezone.utc)
    e = AuditLog(path).append("zhao", "export_evidence", ["case-1"], why="移送", details={"n": 3},
                              when=when)
    assert e["when"] == "2024-05-01T10:00:00.000+08:00"   # UTC+8
    assert (e["who"], e["action"], e["targets"], e["why"], e["details"]) == (
        "zhao", "export_evidence", ["case-1"], "移送", {"n": 3})
    raw = path.read_bytes()
    assert raw == canonical(e) + b"\n"
    assert e["hash"] == entry_hash(e)


def test_changed_line_detected(log_path):
    lines = _lines(log_path)
    lines[2] = lines[2].replace("案件线索排查".encode(), "随便看看".encode())
    log_path.write_bytes(b"".join(lines))
    result = verify(log_path)
    assert not result.ok
    assert [(p.line, p.kind) for p in result.problems if p.line] == [(3, "changed")]


def test_changed_line_with_recomputed_hash_detected(log_path):
    # the editor recomputes the line's own hash: the next line's prev no longer matches
    lines = _lines(log_path)
    entry = json.loads(lines[1])
    entry["who"] = "li"
    entry["hash"] = entry_hash(entry)
    lines[1] = canonical(entry) + b"\n"
    log_path.write_bytes(b"".join(lines))
    result = verify(log_path)
    assert [(p.line, p.kind) for p in result.problems] == [(3, "inserted")]


def test_removed_line_detected(log_path):
    lines = _lines(log_path)
    del lines[1]
    log_path.write_bytes(b"".join(lines))
    result = verify(log_path)
    assert not result.ok
    assert (2, "removed") in [(p.line, p.kind) for p in result.problems]


def test_inserted_line_detected(log_path):
    # a forged entry with a valid hash of its own, slotted in after the first line
    lines = _lines(log_path)
    first = json.loads(lines[0])
    forged = dict(first, seq=1, prev=first["hash"], who="li", targets=["p-9"])
    forged["hash"] = entry_hash(forged)
    lines.insert(1, canonical(forged) + b"\n")
    log_path.write_bytes(b"".join(lines))
    result = verify(log_path)
    assert not result.ok
    assert (3, "inserted") in [(p.line, p.kind) for p in result.problems]


def test_duplicated_line_detected(log_path):
    lines = _lines(log_path)
    lines.insert(3, lines[2])
    log_path.write_bytes(b"".join(lines))
    assert (4, "inserted") in [(p.line, p.kind) for p in verify(log_path).problems]


def test_truncated_file_detected(log_path):
    # the last two lines cut off: the chain that is left is valid, the head file is not
    lines = _lines(log_path)
    log_path.write_bytes(b"".join(lines[:-2]))
    result = verify(log_path)
    assert not result.ok
    assert _kinds(result) == ["truncated"]
    assert "head records 5 entries" in result.problems[0].message


def test_truncated_mid_line_detected(log_path):
    data = log_path.read_bytes()
    log_path.write_bytes(data[:-40])
    assert "truncated" in _kinds(verify(log_path))


def test_emptied_file_detected(log_path):
    log_path.write_bytes(b"")
    assert _kinds(verify(log_path)) == ["truncated"]


def test_removed_head_detected(log_path):
    head_path(log_path).unlink()
    assert _kinds(verify(log_path)) == ["head"]
    with pytest.raises(AuditTampered, match="no head file"):
        AuditLog(log_path).append("wang", "search")


def test_missing_log_is_not_ok(tmp_path):
    assert _kinds(verify(tmp_path / "none.jsonl")) == ["missing"]


def test_append_refuses_to_cover_a_truncation(log_path):
    lines = _lines(log_path)
    log_path.write_bytes(b"".join(lines[:-1]))
    with pytest.raises(AuditTampered, match="truncated"):
        AuditLog(log_path).append("wang", "search", ["p-x"])
    assert len(_lines(log_path)) == 4       # nothing was written


def test_append_refuses_after_last_line_replaced(log_path):
    lines = _lines(log_path)
    entry = json.loads(lines[-1])
    entry["who"] = "zz__"                     # same length, so the size still matches
    entry["hash"] = entry_hash(entry)
    lines[-1] = canonical(entry) + b"\n"
    log_path.write_bytes(b"".join(lines))
    with pytest.raises(AuditTampered, match="does not match its head"):
        AuditLog(log_path).append("wang", "search")


def test_interrupted_append_is_recovered(log_path, tmp_path):
    # a crash after the line was written but before the head was replaced, and then a
    # crash in the middle of the next line: the next append adopts the first, drops the second
    head_before = head_path(log_path).read_bytes()
    AuditLog(log_path).append("wang", "search", ["p-5"])
    head_path(log_path).write_bytes(head_before)
    with open(log_path, "ab") as fh:
        fh.write(b'{"action":"sea')
    assert not verify(log_path).ok
    AuditLog(log_path).append("wang", "search", ["p-6"])
    result = verify(log_path)
    assert result.ok, result.problems
    assert [e["targets"] for e in read_entries(log_path)][-2:] == [["p-5"], ["p-6"]]


def test_anchor(log_path):
    entries = list(read_entries(log_path))
    anchor = (3, entries[2]["hash"])
    assert verify(log_path, anchor=anchor).ok
    # a full rewrite from line 3 on (with a new head) still fails the anchor kept elsewhere
    assert not verify(log_path, anchor=(3, "f" * 64)).ok
    assert not verify(log_path, anchor=(9, entries[2]["hash"])).ok


def test_log_holds_no_unmasked_identifier(tmp_path):
    path = tmp_path / "audit.jsonl"
    AuditLog(path).append(
        "wang", "unmask", [f"p-{ID_NUMBER}", ID_NUMBER],
        why=f"核对 王某某 {ID_NUMBER} 的身份，电话 13912345678",
        details={"idNumber": ID_NUMBER, "id_as_int": int(ID_NUMBER),
                 "query": f"MATCH (p {{idNumber: '{ID_NUMBER}'}}) RETURN p",
                 "accounts": ["6222021234567890123"], ID_NUMBER: "as a key"})
    raw = path.read_text(encoding="utf-8")
    assert ID_NUMBER not in raw
    assert "19800101" not in raw                      # the birth date part
    assert "13912345678" not in raw
    assert "6222021234567890123" not in raw
    entry = json.loads(raw)
    del entry["hash"], entry["prev"]              # hex digests may hold digit runs
    assert re.search(r"\d{11,}", json.dumps(entry, ensure_ascii=False)) is None
    assert "513338********1234" in raw
    assert verify(path).ok


def test_single_target_string(tmp_path):
    e = AuditLog(tmp_path / "a.jsonl").append("wang", "view_person", "p-1")
    assert e["targets"] == ["p-1"]


def test_unmask_needs_a_reason(tmp_path):
    with pytest.raises(InvalidInput, match="needs a reason"):
        AuditLog(tmp_path / "a.jsonl").append("wang", "unmask", ["p-1"], why=" ")


def test_unknown_action_refused(tmp_path):
    with pytest.raises(InvalidInput, match="Unknown audit action"):
        AuditLog(tmp_path / "a.jsonl").append("wang", "browse")


def _append_many(path: str, who: str, n: int) -> None:
    audit = AuditLog(path, fsync=False)
    for i in range(n):
        audit.append(who, "query", [f"{who}-{i}"], details={"cypher": "MATCH (n) RETURN n"})


def test_two_processes_append_safely(tmp_path):
    path = tmp_path / "audit.jsonl"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(path), who, 40)) for who in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    result = verify(path)
    assert result.ok, result.problems
    assert result.count == 80
    whos = [e["who"] for e in read_entries(path)]
    assert whos.count("a") == whos.count("b") == 40
