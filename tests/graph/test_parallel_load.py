"""A large FtM file read in parts on several cores loads exactly as one reader loads it."""
from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from debtorgraph.graph.export import iter_ftm
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.parallel import add_ftm_file
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.ftm import read_ftm


def _lines(n: int = 300) -> list[bytes]:
    out = []
    for i in range(n):
        k = i % 40
        out.append(orjson.dumps({"id": f"p-{k}", "schema": "Person",
                                 "properties": {"name": [f"人{k}"], "notes": [f"第{i}行"]}}))
        out.append(orjson.dumps({"id": f"pay-{i % 250}", "schema": "Payment", "properties": {
            "payer": [f"p-{k}"], "beneficiary": [f"p-{(k + 1) % 40}"], "amount": [str(100 + i)],
            "date": ["2023-05-%02d" % (1 + i % 28)]}}))
        if i % 37 == 0:
            out.append(b"{broken json")
        if i % 53 == 0:
            out.append(orjson.dumps({"id": f"bad-{i}", "schema": "Payment", "properties": {
                "payer": [f"p-{k}"], "beneficiary": ["p-nowhere"], "date": ["2023-02-30"]}}))
        if i % 61 == 0:
            out.append(b"")
    out.append(orjson.dumps({"id": "p-3", "schema": "Payment", "properties": {
        "payer": ["p-1"], "beneficiary": ["p-2"]}}))  # a node's id used by an edge
    return out


def _load(tmp: Path, data: Path, parallel: bool, workers: int = 2):
    store = EmbeddedStore(tmp / ("par" if parallel else "seq") / "graph")
    rejects = tmp / ("par" if parallel else "seq") / "rejects.jsonl"
    ingest = Ingest(store, rejects, chunk_rows=50)
    if parallel:
        add_ftm_file(ingest, data, workers=workers, min_bytes=0)
    else:
        ingest.add(read_ftm(data), data.name)
    report = ingest.commit()
    exported = sorted(iter_ftm(store), key=lambda e: e["id"])
    store.close()
    return report, exported, sorted(rejects.read_bytes().splitlines())


@pytest.mark.parametrize("workers", [2, 3])
def test_parts_load_as_one_reader_loads(tmp_path: Path, workers: int) -> None:
    data = tmp_path / "big.ftm.jsonl"
    data.write_bytes(b"\n".join(_lines()) + b"\n")
    seq, seq_out, seq_rejects = _load(tmp_path, data, parallel=False)
    par, par_out, par_rejects = _load(tmp_path, data, parallel=True, workers=workers)
    assert par.balanced and seq.balanced
    assert par.rejected > 0 and par.merged > 0
    for attr in ("entities_in", "rows_in", "loaded", "merged", "rejected"):
        assert getattr(par, attr) == getattr(seq, attr), attr
    assert par.rejected_by_reason == seq.rejected_by_reason
    assert par.merged_by_reason == seq.merged_by_reason
    assert par.loaded_by_schema == seq.loaded_by_schema
    assert par_out == seq_out  # same entities, same merged values in the same order
    assert par_rejects == seq_rejects  # same rows refused, named by the same file:line


def test_without_reader_processes_the_file_is_read_in_one(tmp_path: Path, monkeypatch) -> None:
    """Where processes cannot start, or a reader dies, its part is read in the load's own
    process: the load is the same."""
    from concurrent.futures import Future

    from debtorgraph.graph import parallel

    data = tmp_path / "big.ftm.jsonl"
    data.write_bytes(b"\n".join(_lines()) + b"\n")
    seq, seq_out, seq_rejects = _load(tmp_path, data, parallel=False)

    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise OSError("no /dev/shm")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", NoProcesses)
    par, par_out, par_rejects = _load(tmp_path, data, parallel=True, workers=3)
    assert (par.loaded, par.merged, par.rejected) == (seq.loaded, seq.merged, seq.rejected)
    assert par_out == seq_out and par_rejects == seq_rejects

    class DyingReaders:
        def __init__(self, *args, **kwargs):
            pass

        def submit(self, fn, *args):
            future: Future = Future()
            future.set_exception(RuntimeError("worker killed"))
            return future

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", DyingReaders)
    shutil.rmtree(tmp_path / "par")  # the store and rejects of the run before
    par, par_out, par_rejects = _load(tmp_path, data, parallel=True, workers=2)
    assert (par.loaded, par.merged, par.rejected) == (seq.loaded, seq.merged, seq.rejected)
    assert par_out == seq_out and par_rejects == seq_rejects


@pytest.mark.parametrize("parts", [1, 2, 3, 5])
def test_parts_cut_at_line_starts_even_beside_a_huge_line(tmp_path: Path, parts: int) -> None:
    from debtorgraph.loaders.ftm import split_point

    data = tmp_path / "odd.ftm.jsonl"
    data.write_bytes(b'{"id":"a","schema":"Person"}\n'
                     + b'{"id":"b","schema":"Person","properties":{"notes":["' + b"x" * 3_000_000 + b'"]}}\n'
                     + b"not json\n\n" + b'{"id":"c","schema":"Person"}')  # no newline at the end
    whole = [(type(i).__name__, i.origin.row) for i in read_ftm(data)]
    cut = [(type(i).__name__, i.origin.row) for start, stop, line in split_point(data, parts)
           for i in read_ftm(data, start=start, stop=stop, first_line=line)]
    assert cut == whole == [("Row", 1), ("Row", 2), ("Reject", 3), ("Row", 5)]
