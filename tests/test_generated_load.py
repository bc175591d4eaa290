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
