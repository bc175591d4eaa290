"""translate(): the known ladybug/Neo4j differences, and the neutral forms really run on ladybug."""
from __future__ import annotations

from pathlib import Path

import pytest

from debtorgraph.graph.dialect import (DIFFERENCES, LADYBUG, NEO4J, differences_markdown, for_store,
                                       translate)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("neutral, neo4j", [
    # a relationship's type
    ("MATCH (:Entity)-[r]->(:Entity) RETURN label(r) AS t",
     "MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS t"),
    # label() of a node: its table, Entity or Record
    ("MATCH (n:Entity) RETURN label(n) AS t",
     "MATCH (n:Entity) RETURN head([l IN labels(n) WHERE l IN ['Entity', 'Record']]) AS t"),
    # list membership, nested in another call
    ("MATCH (n:Entity) WHERE list_contains(list_concat($a, $b), n.id) RETURN n.id",
     "MATCH (n:Entity) WHERE (n.id IN ($a + $b)) RETURN n.id"),
    # an open upper bound gets ladybug's implicit 30
    ("MATCH (a:Entity)-[r:PAYMENT*]->(b:Entity) RETURN length(r) AS hops",
     "MATCH (a:Entity)-[r:PAYMENT*1..30]->(b:Entity) RETURN size(r) AS hops"),
    ("MATCH p = (a:Entity)-[:PAYMENT*2..]->(b:Entity) RETURN length(p) AS hops",
     "MATCH p = (a:Entity)-[:PAYMENT*2..30]->(b:Entity) RETURN length(p) AS hops"),
    # bounded patterns and arithmetic stars are left alone
    ("MATCH p = (a:Entity)-[:PAYMENT*1..6]->(b:Entity) RETURN [a.amount * 2] AS x",
     "MATCH p = (a:Entity)-[:PAYMENT*1..6]->(b:Entity) RETURN [a.amount * 2] AS x"),
    # TRAIL (ladybug's trail semantics) is what Neo4j does anyway
    ("MATCH p = (a:Entity)-[:PAYMENT* TRAIL 1..6]->(b:Entity) RETURN length(p) AS hops",
     "MATCH p = (a:Entity)-[:PAYMENT*1..6]->(b:Entity) RETURN length(p) AS hops"),
    # property of each element (no list comprehensions on ladybug)
    ("MATCH p = (a:Entity)-[:PAYMENT*1..3]->(b:Entity) RETURN properties(nodes(p), 'id') AS ids, rels(p) AS rs",
     "MATCH p = (a:Entity)-[:PAYMENT*1..3]->(b:Entity) RETURN [_x IN nodes(p) | _x.id] AS ids, "
     "relationships(p) AS rs"),
    # 1-based helpers become 0-based indexing
    ("RETURN list_extract($l, 1) AS first, substr($s, 1, 7) AS month",
     "RETURN ($l)[(1) - 1] AS first, substring($s, (1) - 1, 7) AS month"),
    # casts, dates, string predicates
    ("RETURN CAST($x AS DOUBLE) AS a, to_int64($y) AS b, current_date() AS c, "
     "date($d) + interval('30 days') AS e, starts_with($s, 'x') AS f",
     "RETURN toFloat($x) AS a, toInteger($y) AS b, date() AS c, date($d) + duration('P30D') AS e, "
     "($s STARTS WITH 'x') AS f"),
])
def test_translate_to_neo4j(neutral: str, neo4j: str) -> None:
    assert translate(neutral, NEO4J) == neo4j
    assert translate(neo4j, NEO4J) == neo4j  # translating twice changes nothing


@pytest.mark.parametrize("text", [
    # inside strings and comments nothing changes
    "MATCH (n:Entity) WHERE n.caption = 'label(r) list_contains(a, b)' RETURN n.id // label(r)",
    "MATCH (n:Entity) WHERE n.caption = \"rels(p)\" /* current_date() */ RETURN n.id",
    # property names that look like functions are not calls
    "MATCH (n:Entity) RETURN n.label AS label, n.type AS type",
    # a backtick name is opaque
    "MATCH (n:`label(x)`) RETURN n.id",
])
def test_only_code_is_rewritten(text: str) -> None:
    assert translate(text, NEO4J) == text


def test_neo4j_habits_are_accepted_on_ladybug() -> None:
    assert translate("MATCH ()-[r]->() RETURN type(r) AS t, toFloat(r.amount) AS a", LADYBUG) == \
        "MATCH ()-[r]->() RETURN label(r) AS t, to_double(r.amount) AS a"


def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="sqlite"):
        translate("RETURN 1", "sqlite")


def test_for_store_uses_the_store_dialect() -> None:
    class Fake:
        dialect = "neo4j"
    assert for_store("MATCH ()-[r]->() RETURN label(r) AS t", Fake()) == "MATCH ()-[r]->() RETURN type(r) AS t"


def _small_graph(store: object) -> None:
    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.loaders.base import Origin, Row

    entities = [
        {"id": "a", "schema": "Person", "properties": {"name": ["甲"]}},
        {"id": "b", "schema": "Person", "properties": {"name": ["乙"]}},
        {"id": "c", "schema": "Person", "properties": {"name": ["丙"]}},
        {"id": "p1", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b"], "amount": ["100"],
                                                          "date": ["2023-06-01"]}},
        {"id": "p2", "schema": "Payment", "properties": {"payer": ["b"], "beneficiary": ["c"], "amount": ["90"],
                                                          "date": ["2023-06-02"]}},
    ]
    ingest = Ingest(store)
    ingest.add(Row(e, Origin("f.jsonl", i + 1)) for i, e in enumerate(entities))
    ingest.commit()


@pytest.mark.parametrize("cypher, expected", [
    # every neutral form of the table runs on ladybug as written (the embedded store)
    ("MATCH (:Entity)-[r]->(:Entity) RETURN label(r) AS t LIMIT 1", [["PAYMENT"]]),
    ("MATCH (n:Entity {id: 'a'}) RETURN label(n) AS t", [["Entity"]]),
    ("MATCH (n:Entity) WHERE list_contains($ids, n.id) RETURN n.id AS id ORDER BY id", [["a"], ["c"]]),
    ("MATCH p = (a:Entity {id: 'a'})-[:PAYMENT*]->(b:Entity {id: 'c'}) "
     "RETURN properties(nodes(p), 'id') AS ids, length(p) AS n", [[["a", "b", "c"], 2]]),
    ("MATCH (a:Entity {id: 'a'})-[r:PAYMENT*1..]->(b:Entity {id: 'c'}) RETURN length(r) AS n", [[2]]),
    ("MATCH p = (a:Entity {id: 'a'})-[:PAYMENT*1..2]->(b:Entity {id: 'c'}) "
     "RETURN size(rels(p)) AS n, list_extract(properties(nodes(p), 'id'), 1) AS first", [[2, "a"]]),
    ("MATCH ()-[r:PAYMENT]->() WHERE r.id = 'p1' RETURN substr(r.date, 1, 7) AS m, to_double(r.amount) AS x, "
     "CAST(r.amount AS STRING) AS s, starts_with(r.date, '2023') AS y", [["2023-06", 100.0, "100.000000", True]]),
    # on a-b-c ladybug walks reuse relationships (a-b-a, a-b-a-b, a-b-c-b); TRAIL keeps a-b, a-b-c as Neo4j
    ("MATCH (a:Entity {id: 'a'})-[r:PAYMENT*1..3]-(b:Entity) RETURN count(*) AS n", [[5]]),
    ("MATCH (a:Entity {id: 'a'})-[r:PAYMENT* TRAIL 1..3]-(b:Entity) RETURN count(*) AS n", [[2]]),
    # Neo4j habits, rewritten for ladybug
    ("MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS t LIMIT 1", [["PAYMENT"]]),
])
def test_neutral_forms_run_on_the_embedded_store(store: object, cypher: str, expected: list) -> None:
    _small_graph(store)
    assert store.run_read(cypher, {"ids": ["a", "c", "zz"]}).rows == expected  # type: ignore[attr-defined]


def test_every_rewrite_is_documented_with_a_difference() -> None:
    assert {d.rewrite for d in DIFFERENCES} == {True, False}
    assert all(d.ladybug and d.neo4j for d in DIFFERENCES)


def test_docs_table_is_current() -> None:
    text = (ROOT / "docs" / "neo4j.md").read_text(encoding="utf-8")
    start = text.index("-->", text.index("<!-- differences")) + 3
    end = text.index("<!-- /differences -->")
    assert text[start:end].strip() == differences_markdown(), \
        "docs/neo4j.md differs from dialect.DIFFERENCES: regenerate the table"
