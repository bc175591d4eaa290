"""Family links read as kinship: what a relative is to a person, on a date.

``relationship`` words in Chinese or English (配偶, 兄弟姐妹, father...) map to the kinds of
:data:`~debtorgraph.analysis.parties.related.KINDS`; a link stated from the other side
is inverted (parent <-> child); a spouse is an ``ex_spouse`` from the link's ``endDate``
(divorce) on and not yet a spouse before its ``startDate`` (marriage).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

import networkx as nx

from debtorgraph.analysis.parties.links import _dates, _first, _incident

_FAMILY_WORDS = {
    "spouse": ("spouse", "wife", "husband", "配偶", "妻子", "丈夫", "夫妻", "妻", "夫"),
    "ex_spouse": ("ex_spouse", "ex-spouse", "former spouse", "ex-wife", "ex-husband",
                  "前配偶", "前妻", "前夫"),
    "parent": ("parent", "father", "mother", "父母", "父亲", "母亲"),
    "child": ("child", "son", "daughter", "子女", "儿子", "女儿"),
    "sibling": ("sibling", "brother", "sister", "兄弟姐妹", "兄弟", "姐妹", "哥哥", "弟弟",
                "姐姐", "妹妹"),
}
_FAMILY = {w: kind for kind, words in _FAMILY_WORDS.items() for w in words}
_INVERSE = {"parent": "child", "child": "parent"}
FAMILY_ZH = {"spouse": "配偶", "ex_spouse": "前配偶", "parent": "父母", "child": "子女",
              "sibling": "兄弟姐妹", "relative": "其他亲属"}
FAMILY_EN = {"spouse": "spouse", "ex_spouse": "former spouse", "parent": "parent",
              "child": "child", "sibling": "sibling", "relative": "other relative"}

# Second-step Family links that make an in-law: the spouse's parents and siblings, and
# the spouses of children and siblings.
IN_LAW = {"spouse": ("parent", "sibling"), "child": ("spouse",), "sibling": ("spouse",)}


def family_links(g: nx.MultiDiGraph, person: str, when: datetime | None
            ) -> Iterator[tuple[str, str, str]]:
    """(relative, link id, what the relative is to ``person``) for each Family link."""
    for other, link, props, outgoing in _incident(g, person, "Family"):
        word = (_first(props, "relationship") or "").strip().lower()
        kind = _FAMILY.get(word, "relative")
        if not outgoing:
            kind = _INVERSE.get(kind, kind)
        if kind == "spouse":
            start, end = _dates(link, props)
            if when is not None and start is not None and start > when:
                continue  # not married yet on that date
            if end is not None and (when is None or end <= when):
                kind = "ex_spouse"
        yield other, link, kind
