"""The columnar reader gives the store the row-wise reader gives: export, relationships,
counts and rejects (file, line, reason, message), on the fixtures and on lines made to
probe every check."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from followthemoney import model

from debtorgraph.graph.columnar import reader
from debtorgraph.graph.export import iter_ftm
from debtorgraph.graph.ingest import Ingest
from debtorgraph.graph.parallel import add_ftm_file
from debtorgraph.graph.schema import rel_type
from debtorgraph.graph.store.embedded import EmbeddedStore
from debtorgraph.loaders.ftm import read_ftm
from debtorgraph.synthetic import generate

from ftm_fixtures import shared_file, write_ftm

REL_QUERY = ("MATCH (a:Entity)-[r:{t}]->(b:Entity) RETURN a.id, b.id, r.id, r.schema, r.date, "
             "r.start_date, r.end_date, r.amount, r.currency, r.role, r.percentage, r.src_account, "
             "r.dst_account, r.seq, r.case_number ORDER BY r.id, a.id, b.id")


REF_QUERY = "MATCH (a:Entity)-[r:{t}]->(b:Entity) RETURN a.id, b.id, r.load_id IS NULL ORDER BY a.id, b.id"
EDGE_TYPES = {rel_type(s.name) for s in model.schemata.values() if s.edge}


def _pay(i: int, **props) -> dict:
    base = {"payer": [f"p-{i % 7}"], "beneficiary": [f"p-{(i + 3) % 7}"], "amount": [str(100 + i)],
            "date": ["2023-05-%02d" % (1 + i % 28)], "currency": ["CNY"], "purpose": ["转账"]}
    base.update(props)
    return {"id": f"pay-{i}", "schema": "Payment", "properties": {k: v for k, v in base.items() if v is not None}}


def probe_lines(unparsable: bool = True) -> list:
    """Lines that the columnar path takes, and lines each of its checks sends elsewhere."""
    out: list = [{"id": f"p-{k}", "schema": "Person", "properties": {"name": [f"人{k}"]}} for k in range(7)]
    out += [{"id": "acct-1", "schema": "BankAccount", "properties": {"accountNumber": ["6222"]}}]
    out += [_pay(i) for i in range(40)]
    out += [
        _pay(100, date=["2023-02-30"]),                       # no such day: rejected
        _pay(101, date=["2024-02-29T10:11:12"]),               # leap day with a time
        _pay(102, date=["2023-05-01T10:00:00.5"]),             # fraction: row-wise, valid
        _pay(103, amount=["1,000.50"]),                        # comma: row-wise, valid
        _pay(104, amount=["abc"]),                             # rejected
        _pay(105, payer=["p-1", "p-2"]),                       # two payers: two relationships
        _pay(106, colour=["red"]),                             # unknown property
        _pay(107, purpose=['说 "引号" \\ 反斜杠']),              # escapes
        _pay(108, beneficiary=["p-nowhere"]),                  # dangling
        _pay(109, payerAccount=["acct-1"], beneficiaryAccount=["p-1"], sequenceNumber=["12.7"]),
        _pay(110, amount=None, amountEur=["55.5"], currency=[""]),
        _pay(111, purpose=[]),                                 # an empty list is kept
        _pay(3, amount=["999"]),                               # the same id again: merged
        {"id": "pay-112", "schema": "Payment", "properties": {"payer": ["p-1"], "beneficiary": None}},
        {"id": " ", "schema": "Payment", "properties": {"payer": ["p-1"], "beneficiary": ["p-2"]}},
        {"id": "pay-114", "schema": "Payment"},                # no properties: ends missing
        {"id": "pay-115", "schema": "Payment", "properties": {"payer": ["p-1"]}},
        {"id": "p-4", "schema": "Payment", "properties": {"payer": ["p-1"], "beneficiary": ["p-2"]}},
        {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p-1"], "asset": ["acct-1"],
                                                              "sharesValue": ["300000"], "legalBasis": ["sale"],
                                                              "startDate": ["2020-01-01"], "percentage": ["50"]}},
        {"id": "debt-1", "schema": "Debt", "properties": {"debtor": ["p-2"], "creditor": ["p-3"],
                                                         "amount": ["5000"], "summary": ["（2022）川3338执 123号"]}},
        {"id": "fam-1", "schema": "Family", "properties": {"person": ["p-1"], "relative": ["p-2"],
                                                          "relationship": ["spouse"], "endDate": ["2021-06"]}},
        {"id": "x-1", "schema": "Nonsense", "properties": {}},
    ]
    out += [_pay(i) for i in range(200, 230)]
    if unparsable:  # Arrow refuses the block of these: it is read row-wise
        out += ["{broken json", "", "[1, 2]", orjson.dumps(_pay(116, amount=[5])).decode()]
    out += [_pay(i, date=["2023-06-%02d 08:30" % (1 + i % 28)]) for i in range(300, 330)]
    return out


def _load(folder: Path, data: list[Path], columnar: bool, workers: int = 1):
    store = EmbeddedStore(folder / "graph")
    rejects = folder / "rejects.jsonl"
    ingest = Ingest(store, rejects, chunk_rows=16)
    for path in data:
        if columnar:
            add_ftm_file(ingest, path, path.name, workers=workers, min_bytes=0 if workers > 1 else 1 << 40)
        else:
            ingest.add(read_ftm(path), path.name)
    report = ingest.commit()
    exported = sorted(map(orjson.dumps, iter_ftm(store)))
    types = sorted(store.rel_tables())
    rels = {t: store.run_read((REL_QUERY if t in EDGE_TYPES else REF_QUERY).format(t=t)).rows
            for t in types}
    nodes = store.run_read("MATCH (n:Entity) RETURN n.id, n.schema, n.props, n.party_key ORDER BY n.id").rows
    records = store.run_read("MATCH (r:Record) RETURN r.id, r.props, r.canonical, r.origin ORDER BY r.id").rows
    store.close()
    lines = rejects.read_bytes().splitlines() if rejects.exists() else []
    return report, (exported, rels, nodes, records), sorted(lines)


def _same(tmp: Path, data: list[Path], workers: int = 1) -> tuple:
    row, row_store, row_rejects = _load(tmp / "rows", data, columnar=False)
    col, col_store, col_rejects = _load(tmp / "cols", data, columnar=True, workers=workers)
    for attr in ("entities_in", "rows_in", "loaded", "merged", "rejected", "loaded_by_schema",
                 "merged_by_reason", "rejected_by_reason", "invalid_identifier_count"):
        assert getattr(col, attr) == getattr(row, attr), attr
    assert col_store == row_store
    assert col_rejects == row_rejects
    return col, col_rejects


@pytest.fixture
def taken(monkeypatch) -> list[int]:
    """How many rows each block gave the columnar path."""
    counts: list[int] = []
    real = reader._add_fast

    def spy(ingest, table, fast, *args):
        counts.append(int(fast.sum()))
        return real(ingest, table, fast, *args)

    monkeypatch.setattr(reader, "_add_fast", spy)
    return counts


@pytest.mark.parametrize("block", [1 << 20, 700])
def test_probe_lines_load_the_same(tmp_path: Path, monkeypatch, taken: list[int], block: int) -> None:
    monkeypatch.setattr(reader, "BLOCK_BYTES", block)  # 700 bytes: many blocks, some read row-wise
    data = write_ftm(tmp_path / "probe.jsonl", probe_lines(unparsable=block < 1000))
    report, rejects = _same(tmp_path, [data])
    reasons = {orjson.loads(line)["reason"] for line in rejects}
    assert {"invalid_value", "unknown_property", "missing_required", "dangling_reference",
            "schema_conflict", "missing_id", "unknown_schema"} <= reasons
    assert ("invalid_json" in reasons) == (block < 1000)
    assert report.merged_by_reason["duplicate_in_load"] == 1 and report.balanced
    assert sum(taken) >= 40, "the columnar path took too few rows to test anything"


def test_fixtures_load_the_same(tmp_path: Path, taken: list[int]) -> None:
    donations = shared_file("nomenklatura", "donations.ijson")
    out = tmp_path / "caseload"
    generate(out, seed=5, debtors=6)
    report, _ = _same(tmp_path, [donations, out / "entities.ftm.jsonl"])
    assert sum(taken) > report.loaded_by_schema["Payment"] // 2


def test_parts_on_two_cores_load_the_same(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(reader, "BLOCK_BYTES", 2000)
    data = write_ftm(tmp_path / "probe.jsonl", probe_lines() * 2)
    _same(tmp_path, [data], workers=2)
