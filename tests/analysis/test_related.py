"""Related parties: relatives and in-laws, divorce, employment, companies, accounts."""
from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from debtorgraph.analysis.parties.related import (Relation, controlled_companies, holdings,
                                          related_parties)
from debtorgraph.errors import InvalidInput, NodeNotFound
from debtorgraph.graph.subgraph import graph_from_entities


def ent(eid: str, schema: str, **props: str) -> dict[str, Any]:
    """An FtM entity dict with one value per property."""
    return {"id": eid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


def people(*ids: str) -> list[dict[str, Any]]:
    return [ent(i, "Person", name=i) for i in ids]


def own(oid: str, owner: str, asset: str, pct: str | None = None, **extra: str) -> dict:
    props = {"owner": owner, "asset": asset} | ({"percentage": pct} if pct else {}) | extra
    return ent(oid, "Ownership", **props)


# -- fixtures: tiny named graphs ---------------------------------------------------------

@pytest.fixture
def family_with_in_laws() -> nx.MultiDiGraph:
    """Wang's family, links stated from either side, in English and Chinese."""
    return graph_from_entities(people(
        "wang", "li", "li-father", "li-brother", "wang-mother", "wang-son", "son-wife",
        "wang-sister", "sis-husband", "cousin", "uncle") + [
        ent("acct-lf", "BankAccount"), ent("acct-sw", "BankAccount"),
        ent("f-sp", "Family", person="li", relative="wang", relationship="配偶",
            startDate="2010-05-01"),
        ent("f-lf", "Family", person="li", relative="li-father", relationship="parent"),
        ent("f-lb", "Family", person="li-brother", relative="li", relationship="sibling"),
        ent("f-m", "Family", person="wang-mother", relative="wang", relationship="child"),
        ent("f-s", "Family", person="wang", relative="wang-son", relationship="子女"),
        ent("f-sw", "Family", person="son-wife", relative="wang-son", relationship="spouse"),
        ent("f-sis", "Family", person="wang", relative="wang-sister", relationship="兄弟姐妹"),
        ent("f-sh", "Family", person="wang-sister", relative="sis-husband",
            relationship="husband"),
        ent("f-c", "Family", person="wang", relative="cousin", relationship="cousin"),
        ent("f-u", "Family", person="wang-mother", relative="uncle", relationship="sibling"),
        own("o-lf", "li-father", "acct-lf"), own("o-sw", "son-wife", "acct-sw"),
    ])


@pytest.fixture
def shell_company_chain() -> nx.MultiDiGraph:
    """Wang -60%-> A -50%-> B -90%-> C, and 10% of C directly; C holds an account."""
    return graph_from_entities(people("wang") + [
        ent(c, "Company", name=c) for c in ("shell-a", "shell-b", "shell-c", "shell-d")] + [
        ent("acct-c", "BankAccount"), ent("flat", "RealEstate"),
        own("o1", "wang", "shell-a", "60"), own("o2", "shell-a", "shell-b", "50"),
        own("o3", "shell-b", "shell-c", "90"), own("o4", "wang", "shell-c", "10"),
        own("o5", "shell-c", "acct-c"), own("o6", "wang", "shell-d", "10"),
        own("lease", "wang", "flat", legalBasis="lease", ownershipType="lease"),
    ])


@pytest.fixture
def sham_divorce() -> nx.MultiDiGraph:
    """Wang married Li in 2010 and divorced her on 2023-03-01; she holds an account."""
    return graph_from_entities(people("wang", "li", "li-father") + [
        ent("acct-li", "BankAccount"), ent("co", "Company"),
        ent("f-m", "Family", person="wang", relative="li", relationship="spouse",
            startDate="2010-01-01", endDate="2023-03-01"),
        ent("f-lf", "Family", person="li", relative="li-father", relationship="父母"),
        own("o-li", "li", "acct-li", startDate="2015-01-01"),
        ent("d-li", "Directorship", director="li", organization="co", role="法定代表人"),
    ])


@pytest.fixture
def company_debtor() -> nx.MultiDiGraph:
    """Debtor company X: its legal representative, owners, parent's owner, subsidiary."""
    return graph_from_entities(people("zhang", "zhao", "qian", "sun") + [
        ent(c, "Company") for c in ("co-x", "holding", "sub-y")] + [
        ent("acct-x", "BankAccount"),
        ent("d-z", "Directorship", director="zhang", organization="co-x", role="法定代表人"),
        own("o-h", "holding", "co-x", "70"), own("o-zhao", "zhao", "holding", "80"),
        own("o-qian", "qian", "holding", "20"), own("o-sun", "sun", "co-x", "30"),
        own("o-sub", "co-x", "sub-y", "100"), own("o-acct", "co-x", "acct-x"),
    ])


@pytest.fixture
def work_and_friends() -> nx.MultiDiGraph:
    """Wang's employer, his driver, a friend with an account, a sister who is a partner."""
    return graph_from_entities(people("wang", "driver", "friend", "sister") + [
        ent("factory", "Company"), ent("old-job", "Company"), ent("acct-f", "BankAccount"),
        ent("e1", "Employment", employee="wang", employer="factory", role="会计"),
        ent("e2", "Employment", employee="driver", employer="wang"),
        ent("e3", "Employment", employee="wang", employer="old-job", endDate="2019-01-01"),
        ent("a1", "Associate", person="friend", associate="wang", relationship="朋友"),
        ent("a2", "Associate", person="wang", associate="sister", relationship="partner"),
        ent("f1", "Family", person="sister", relative="wang", relationship="sibling"),
        own("o-f", "friend", "acct-f"),
    ])


# -- relatives ------------------------------------------------------------------------

@pytest.mark.parametrize("node, kind, path, zh", [
    # stated by the spouse, in Chinese
    ("li", "spouse", ["wang", "f-sp", "li"], "债务人之配偶"),
    # "wang is the mother's child" -> the mother is wang's parent
    ("wang-mother", "parent", ["wang", "f-m", "wang-mother"], "债务人之父母"),
    ("wang-son", "child", ["wang", "f-s", "wang-son"], "债务人之子女"),
    ("wang-sister", "sibling", ["wang", "f-sis", "wang-sister"], "债务人之兄弟姐妹"),
    # a word outside the four kinds is still a relative
    ("cousin", "relative", ["wang", "f-c", "cousin"], "债务人之其他亲属"),
    # in-laws through the spouse: her parent, her brother (stated from his side)
    ("li-father", "in_law", ["wang", "f-sp", "li", "f-lf", "li-father"], "债务人配偶之父母"),
    ("li-brother", "in_law", ["wang", "f-sp", "li", "f-lb", "li-brother"], "债务人配偶之兄弟姐妹"),
    # spouses of the debtor's child and sibling
    ("son-wife", "in_law", ["wang", "f-s", "wang-son", "f-sw", "son-wife"], "债务人子女之配偶"),
    ("sis-husband", "in_law", ["wang", "f-sis", "wang-sister", "f-sh", "sis-husband"],
     "债务人兄弟姐妹之配偶"),
    # an in-law's account, three links away
    ("acct-lf", "account", ["wang", "f-sp", "li", "f-lf", "li-father", "o-lf", "acct-lf"],
     "债务人配偶之父母名下账户"),
])
def test_relatives_and_in_laws(family_with_in_laws: nx.MultiDiGraph, node: str, kind: str,
                               path: list[str], zh: str) -> None:
    rel = related_parties(family_with_in_laws, "wang")[node]
    assert (rel.kind, rel.path, rel.description_zh) == (kind, path, zh)


def test_english_descriptions_and_what_is_not_related(family_with_in_laws: nx.MultiDiGraph) -> None:
    rel = related_parties(family_with_in_laws, "wang")
    assert rel["li-father"].description_en == "the debtor's spouse's parent"
    assert rel["acct-sw"].description_en == "an account held by the debtor's child's spouse"
    assert "uncle" not in rel and "wang" not in rel  # mother's sibling; the debtor itself


@pytest.mark.parametrize("max_depth, present, absent", [
    (1, {"li", "wang-son"}, {"li-father", "acct-lf"}),         # direct relatives only
    (2, {"li-father", "son-wife"}, {"acct-lf", "acct-sw"}),     # in-laws, not their accounts
    (3, {"acct-lf", "acct-sw"}, set()),
])
def test_max_depth_counts_links(family_with_in_laws: nx.MultiDiGraph, max_depth: int,
                                present: set[str], absent: set[str]) -> None:
    rel = related_parties(family_with_in_laws, "wang", max_depth=max_depth)
    assert present <= set(rel) and not absent & set(rel)


@pytest.mark.parametrize("at, li, in_law", [
    ("2023-01-01", "spouse", True),       # married on that date
    ("2023-03-01", "ex_spouse", False),   # divorced that day: no longer a spouse
    ("2023-06-01", "ex_spouse", False),   # after the (possibly sham) divorce
    (None, "ex_spouse", False),           # no date: the marriage has an end date
    ("2009-06-01", None, False),          # not married yet
])
def test_divorce_turns_a_spouse_into_an_ex_spouse(sham_divorce: nx.MultiDiGraph, at: str | None,
                                                  li: str | None, in_law: bool) -> None:
    rel = related_parties(sham_divorce, "wang", at=at)
    assert (rel["li"].kind if "li" in rel else None) == li
    assert ("li-father" in rel) == in_law
    if li == "ex_spouse":  # what the ex-spouse holds still matters for a sham divorce
        assert rel["acct-li"].path == ["wang", "f-m", "li", "o-li", "acct-li"]
        assert rel["acct-li"].description_zh == "债务人之前配偶名下账户"
        assert rel["co"].description_zh == "债务人之前配偶担任法定代表人的公司"


# -- associates and employment ----------------------------------------------------------

@pytest.mark.parametrize("node, kind, role", [
    ("factory", "employer", "会计"),      # wang is its employee
    ("driver", "employee", None),         # wang employs the driver
    ("friend", "associate", "朋友"),       # stated by the friend
    ("sister", "sibling", None),          # also a business partner: kin ranks first
    ("acct-f", "account", None),          # an associate's account
])
def test_associates_and_employment(work_and_friends: nx.MultiDiGraph, node: str, kind: str,
                                   role: str | None) -> None:
    rel = related_parties(work_and_friends, "wang")[node]
    assert (rel.kind, rel.role) == (kind, role)


def test_ended_employment_counts_only_on_a_date_inside_it(work_and_friends: nx.MultiDiGraph) -> None:
    assert "old-job" not in related_parties(work_and_friends, "wang")
    assert related_parties(work_and_friends, "wang", at="2018-06-01")["old-job"].kind == "employer"


# -- companies --------------------------------------------------------------------------

@pytest.mark.parametrize("node, kind, share, path", [
    ("shell-a", "controlled_company", 0.6, ["wang", "o1", "shell-a"]),
    # 60% x 50%
    ("shell-b", "controlled_company", 0.3, ["wang", "o1", "shell-a", "o2", "shell-b"]),
    # 60% x 50% x 90% + 10% direct = 37%; the path shown is the shortest
    ("shell-c", "controlled_company", 0.37, ["wang", "o4", "shell-c"]),
    ("shell-d", "shareholder_of", 0.1, ["wang", "o6", "shell-d"]),
    ("acct-c", "account", None, ["wang", "o4", "shell-c", "o5", "acct-c"]),
])
def test_shell_company_chain_is_penetrated(shell_company_chain: nx.MultiDiGraph, node: str,
                                           kind: str, share: float | None,
                                           path: list[str]) -> None:
    rel = related_parties(shell_company_chain, "wang")[node]
    assert (rel.kind, rel.path) == (kind, path)
    assert rel.share == (pytest.approx(share) if share is not None else None)


def test_penetrated_share_lists_every_path(shell_company_chain: nx.MultiDiGraph) -> None:
    rel = related_parties(shell_company_chain, "wang")["shell-c"]
    assert rel.paths == [["wang", "o4", "shell-c"],
                         ["wang", "o1", "shell-a", "o2", "shell-b", "o3", "shell-c"]]
    assert rel.description_zh == "债务人直接及间接持股37%、实际控制的公司"


@pytest.mark.parametrize("threshold, expected", [
    (0.25, {"shell-a": 0.6, "shell-b": 0.3, "shell-c": 0.37}),   # the 25% control line
    (0.35, {"shell-a": 0.6, "shell-c": 0.37}),                   # B's 30% falls below
    (0.9, {}),
])
def test_controlled_companies(shell_company_chain: nx.MultiDiGraph, threshold: float,
                              expected: dict[str, float]) -> None:
    got = controlled_companies(shell_company_chain, "wang", threshold=threshold)
    assert {k: round(r.share or 0, 4) for k, r in got.items()} == expected
    if "shell-c" in got:
        assert got["shell-c"].path[-1] == "shell-c" and len(got["shell-c"].paths) == 2


def test_holdings_skip_leases(shell_company_chain: nx.MultiDiGraph) -> None:
    held = holdings(shell_company_chain, "wang")
    assert set(held) == {"shell-a", "shell-c", "shell-d"}  # the leased flat is not held
    assert held["shell-a"].share == pytest.approx(0.6)


def test_cross_holdings_do_not_loop() -> None:
    g = graph_from_entities(people("wang") + [ent("a", "Company"), ent("b", "Company"),
                                              own("o1", "wang", "a", "50"),
                                              own("o2", "a", "b", "50"), own("o3", "b", "a", "50")])
    got = controlled_companies(g, "wang")
    # simple paths only: the loop a -> b -> a adds nothing to a's 50%
    assert got["a"].share == pytest.approx(0.5) and got["b"].share == pytest.approx(0.25)


def test_director_roles_of_the_spouse() -> None:
    g = graph_from_entities(people("wang", "li") + [
        ent("co", "Company"), ent("co2", "Company"),
        ent("f", "Family", person="wang", relative="li", relationship="wife"),
        ent("d1", "Directorship", director="li", organization="co", role="法定代表人"),
        ent("d2", "Directorship", director="wang", organization="co2", role="manager")])
    rel = related_parties(g, "wang")
    assert (rel["co"].kind, rel["co"].role) == ("director_of", "法定代表人")
    assert rel["co"].description_en == "the company where the debtor's spouse is legal representative"
    assert rel["co2"].description_zh == "债务人担任经理的公司"


# -- a company as debtor ----------------------------------------------------------------

@pytest.mark.parametrize("node, kind, share", [
    ("zhang", "officer", None),              # legal representative of the debtor company
    ("holding", "owner", 0.7),               # direct shareholder
    ("sun", "owner", 0.3),
    ("zhao", "beneficial_owner", 0.56),      # 80% of 70%: 25% or more indirectly
    ("sub-y", "controlled_company", 1.0),    # the debtor's subsidiary
    ("acct-x", "account", None),
])
def test_company_debtor(company_debtor: nx.MultiDiGraph, node: str, kind: str,
                        share: float | None) -> None:
    rel = related_parties(company_debtor, "co-x")
    assert rel[node].kind == kind
    assert rel[node].share == (pytest.approx(share) if share is not None else None)
    assert "qian" not in rel  # 20% of 70% = 14%, below the 25% line


# -- validation and output --------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, match", [
    ({"debtor_id": "nobody"}, NodeNotFound, "'nobody'"),          # not in the graph
    ({"max_depth": 0}, InvalidInput, "max_depth 0"),              # needs at least one link
    ({"at": "someday"}, InvalidInput, "at 'someday'"),            # not a date
    ({"threshold": 25}, InvalidInput, "threshold 25"),            # a percent, not a share
])
def test_bad_arguments(shell_company_chain: nx.MultiDiGraph, kwargs: dict, error: type,
                       match: str) -> None:
    args = {"g": shell_company_chain, "debtor_id": "wang"} | kwargs
    with pytest.raises(error, match=match):
        related_parties(**args)


def test_bad_percentage_names_the_link() -> None:
    g = graph_from_entities(people("wang") + [ent("a", "Company"), own("o-bad", "wang", "a", "六成")])
    with pytest.raises(InvalidInput, match="'o-bad'"):
        related_parties(g, "wang")


def test_relation_to_dict(family_with_in_laws: nx.MultiDiGraph) -> None:
    rel = related_parties(family_with_in_laws, "wang")["li"]
    assert isinstance(rel, Relation)
    assert rel.to_dict() == {"kind": "spouse", "path": ["wang", "f-sp", "li"],
                             "description_zh": "债务人之配偶", "description_en": "the debtor's spouse",
                             "share": None, "role": None, "paths": []}
