"""The synthetic caseload loads with no mapping and no rejects, and the graph answers."""
from __future__ import annotations

import pytest

from debtorgraph.graph.ingest import Ingest
from debtorgraph.loaders.ftm import read_ftm
from debtorgraph.queries.stats import graph_stats
from debtorgraph.synthetic import generate


@pytest.fixture(scope="module")
def caseload(tmp_path_factory):
    out = tmp_path_factory.mktemp("caseload")
    return generate(out, seed=11, debtors=20), out


def test_generated_caseload_loads_cleanly(caseload, store):
    summary, out = caseload
    ingest = Ingest(store)
    ingest.add(read_ftm(out / "entities.ftm.jsonl"))
    report = ingest.commit()
    assert report.rejected == 0, dict(report.rejected_by_reason)
    assert report.balanced and report.entities_in == summary["entities"]
    assert report.invalid_identifier_count == 0
    stats = graph_stats(store)
    assert stats["records"] == summary["entities"]
    assert stats["relationships"]["Payment"] == summary["schemata"]["Payment"]
    # every Sanction binds something, every case has its milestones by case number
    bound = store.run_read("MATCH (s:Entity)-[:ENTITY_REF]->(x:Entity) WHERE s.schema = 'Sanction' "
                           "RETURN count(s)").rows[0][0]
    assert bound == summary["schemata"]["Sanction"]
    rows = store.run_read(
        "MATCH (c:Entity) WHERE c.schema = 'CourtCase' MATCH (e:Entity) "
        "WHERE e.schema = 'Event' AND e.case_number = c.case_number AND e.kind = 'judgment_effective' "
        "RETURN count(DISTINCT c)").rows[0][0]
    assert rows >= 20


@pytest.mark.parametrize("rule", ["libr", "fifo", "pro_rata", "greedy"])
def test_trace_on_the_store_equals_a_trace_over_every_payment(caseload, tmp_path, rule):
    """``trace_store`` reads only the parties money can reach, and replays their history
    before the window into balances: the answer is the one a trace over all data gives."""
    import json

    from debtorgraph.analysis.neighbourhood.store import StoreSource, payment_entity
    from debtorgraph.analysis.tracing.store import ACCOUNTS, HELD_ACCOUNTS, trace_store
    from debtorgraph.analysis.tracing import trace
    from debtorgraph.graph.store.embedded import EmbeddedStore

    _, out = caseload
    store = EmbeddedStore(tmp_path / "graph")
    ingest = Ingest(store)
    ingest.add(read_ftm(out / "entities.ftm.jsonl"))
    ingest.commit()
    every = store.run_read(
        "MATCH (a:Entity)-[p:PAYMENT]->(b:Entity) RETURN p.id AS id, a.id AS src, b.id AS dst, "
        "p.date AS date, p.amount AS amount, p.src_account AS src_account, "
        "p.dst_account AS dst_account, p.seq AS seq").records()
    src = StoreSource(store)
    parties = sorted({r["src"] for r in every} | {r["dst"] for r in every})
    ownerships = src._edges(src._read(HELD_ACCOUNTS, {"ids": parties}))
    accounts = [{"id": r["id"], "schema": r["schema"], "properties": json.loads(r["props"])}
                for r in src._read(ACCOUNTS, {"ids": sorted({o["properties"]["asset"][0]
                                                              for o in ownerships})})]
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text().splitlines() if line]
    sources = sorted({t["subject"] for t in truth if not t["honest"]})[:4]
    assert len(sources) == 4
    for source in sources:
        got = trace_store(store, source, "2022-01-01", rule=rule, max_hops=6)
        want = trace([payment_entity(r) for r in every], source, "2022-01-01", rule=rule,
                     max_hops=6, accounts=accounts, ownerships=ownerships)
        assert got["endpoints"] == want["endpoints"], source
        assert got["payments_read"] < len(every)
    store.close()
