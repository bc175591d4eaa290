"""The one place where ladybug Cypher and Neo4j Cypher differ.

Queries in the library are written once, in a neutral form that runs on ladybug as it
is; :func:`translate` rewrites the few known differences for Neo4j (and the Neo4j
spellings people type by habit back for ladybug). Both stores call it in ``run_read``,
so the library, detection rules and analysts' queries all go through the same rules;
a text that has no ladybug-only construct comes out unchanged, and translating twice
gives the same text as translating once.

Rewrites work on the query's tokens (strings, backtick names and comments are left
alone) and only touch function calls and relationship-pattern bounds, never values.

What cannot be rewritten safely is listed in :data:`DIFFERENCES` with ``rewrite=False``:
the library must avoid those forms (``tests/queries/test_cypher_neo4j_syntax.py`` runs every
library text, translated, through Neo4j's own Cypher 5 parser and function list).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

log = logging.getLogger(__name__)

LADYBUG = "ladybug"
NEO4J = "neo4j"
DIALECTS = (LADYBUG, NEO4J)

#: Ladybug's upper bound for ``*`` and ``*n..`` (its ``var_length_extend_max_depth``).
LADYBUG_MAX_HOPS = 30


@dataclass(frozen=True)
class Difference:
    """One documented difference between the dialects."""

    topic: str
    ladybug: str
    neo4j: str
    rewrite: bool  # True: translate() handles it; False: the library must avoid it
    note: str = ""


DIFFERENCES: tuple[Difference, ...] = (
    Difference("relationship type", "label(r)", "type(r)", True,
               "label(n) on a node gives its table (Entity or Record); Neo4j: the one of those labels it has"),
    Difference("list membership", "list_contains(l, x)", "x IN l", True, "`x IN $list` works on both"),
    Difference("path relationships", "rels(p)", "relationships(p)", True,
               "`relationships(p)` and `nodes(p)` of a named path work on both"),
    Difference("hops of a variable-length relationship", "length(r)", "size(r)", True,
               "`length(p)` of a named path works on both"),
    Difference("property of each element", "properties(nodes(p), 'id')", "[x IN nodes(p) | x.id]", True,
               "ladybug has no list comprehensions"),
    Difference("number and text casts", "to_double(x), to_int64(x), to_string(x), CAST(x AS DOUBLE)",
               "toFloat(x), toInteger(x), toString(x)", True),
    Difference("list / string concatenation", "list_concat(a, b), concat(a, b)", "a + b", True,
               "`+` works on both"),
    Difference("string predicates", "starts_with(s, t), ends_with(s, t), contains(s, t)",
               "s STARTS WITH t, s ENDS WITH t, s CONTAINS t", True, "the operators work on both"),
    Difference("regular expressions", "regexp_matches(s, p) (partial match)", "s =~ '.*(?:p).*'", True,
               "`=~` is a full match on both"),
    Difference("today", "current_date()", "date()", True),
    Difference("date arithmetic", "date(d) + interval('30 days')", "date(d) + duration('P30D')", True,
               "only literal day counts are rewritten; store dates are ISO strings and compare as text on both"),
    Difference("variable-length bounds", "*1..6; `*` and `*1..` mean at most 30 hops, more is an error",
               "*1..6; `*` and `*1..` are unbounded", True,
               "an open upper bound becomes ..30 for Neo4j so both stores return the same paths"),
    Difference("repeated relationships in a pattern",
               "walks: one MATCH pattern may use a relationship twice, `*1..6` too",
               "trails: never the same relationship twice in one MATCH", False,
               "multi-hop patterns must not depend on it (exclude the way back, e.g. y.id <> d.id); "
               "for variable length write `* TRAIL 1..6`"),
    Difference("trail semantics", "-[:PAYMENT* TRAIL 1..6]->", "-[:PAYMENT*1..6]->", True,
               "TRAIL makes ladybug match Neo4j; Neo4j matches trails anyway. "
               "ladybug's ACYCLIC has no Neo4j form: avoid"),
    Difference("list element", "list_extract(l, 1) (1-based)", "l[0] (0-based)", True,
               "`l[i]` itself is 1-based on ladybug and 0-based on Neo4j: never index with []"),
    Difference("substring", "substr(s, 1, n) (1-based)", "substring(s, 0, n)", True,
               "`substring(s, i, n)` is 1-based on ladybug and 0-based on Neo4j: use substr or left()"),
    Difference("schema", "CREATE NODE TABLE / CREATE REL TABLE (typed columns)",
               "CREATE CONSTRAINT ... IS UNIQUE, CREATE INDEX ... IF NOT EXISTS", False,
               "each store's init_schema"),
    Difference("catalogue", "CALL show_tables() RETURN name, type", "CALL db.labels(), CALL db.relationshipTypes()",
               False, "stores only"),
    Difference("bulk writes", "COPY Entity FROM $arrow_table", "UNWIND $rows AS row CREATE ...", False,
               "each store's write(); relationship writes MATCH each end in its own clause on both"),
    Difference("date difference", "date(a) - date(b) (days as INT64)", "duration.inDays(date(b), date(a)).days",
               False, "avoid: compare ISO strings or pass bounds as parameters"),
    Difference("recursive filters", "-[r:PAYMENT*1..6 (e, n | WHERE e.amount > 0)]->",
               "-[r:PAYMENT*1..6]-> WHERE all(e IN r WHERE e.amount > 0)", False,
               "avoid in the library; filter with all(x IN relationships(p) WHERE ...) which runs on both"),
    Difference("shortest paths", "-[:P* SHORTEST 1..5]->", "shortestPath((a)-[:P*1..5]->(b))", False, "avoid"),
    Difference("absent relationship type", "MATCH ()-[:CONTROL]->() fails (no such table)",
               "the same MATCH returns no rows (with a notification)", False,
               "check the types present first (show_tables / db.relationshipTypes) where data may lack one"),
    Difference("unaliased columns", "count(*) is named COUNT_STAR()", "count(*) is named count(*)", False,
               "alias every returned expression (AS n)"),
    Difference("sum of integers", "a DECIMAL", "an INTEGER", False, "cast or compare as numbers"),
    Difference("list comprehensions", "not supported", "[x IN l WHERE ... | ...]", False,
               "write them only through properties(...) in the library"),
    Difference("undirected self-loop", "`(a)-[r]-(b)` matches a relationship from a node to itself twice",
               "matches it once", False,
               "found on a live Neo4j: count out and in apart where loops occur (tracing.store.PAYMENT_DEGREE)"),
)

_STRING = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_OPAQUE = re.compile(rf"{_STRING}|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/", re.S)
_CALL = re.compile(r"(?<![\w.$`])([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_REL_VAR = re.compile(r"-\s*\[\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?=[:*\]{\s])")
_VARLEN = re.compile(r"(-\s*\[[^\]\[|]*?)\*\s*(\d*)\s*(\.\.)?\s*(\d*)(?=\s*[\]{(])")
_TRAIL = re.compile(r"-\s*\[[^\]\[|]*?\*(\s*TRAIL\b\s*)", re.I)
_CAST = re.compile(r"^(.*\S)\s+AS\s+([A-Za-z0-9_]+)\s*$", re.S | re.I)
_DAYS = re.compile(r"^'\s*(\d+)\s+days?\s*'$", re.I)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_NEO4J_RENAME = {"rels": "relationships", "to_double": "toFloat", "to_float": "toFloat",
                 "to_int64": "toInteger", "to_int32": "toInteger", "to_string": "toString",
                 "current_date": "date"}
_LADYBUG_RENAME = {"type": "label", "tofloat": "to_double", "tointeger": "to_int64",
                   "tostring": "to_string", "tolower": "lower", "toupper": "upper"}
_CASTS = {"DOUBLE": "toFloat", "FLOAT": "toFloat", "INT64": "toInteger", "INT32": "toInteger",
          "INTEGER": "toInteger", "STRING": "toString", "BOOL": "toBoolean", "BOOLEAN": "toBoolean"}


def _mask(cypher: str) -> str:
    """The query with strings, backtick names and comments blanked (same length)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), cypher)


def _close(masked: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at ``open_at``."""
    depth = 0
    for i in range(open_at, len(masked)):
        c = masked[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


def _split_args(text: str, masked: str) -> list[str]:
    """Top-level comma-separated arguments of a call's inside."""
    args, depth, start = [], 0, 0
    for i, c in enumerate(masked):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    last = text[start:].strip()
    if last or args:
        args.append(last)
    return args


#: A rewrite rule: (function name, arguments, raw inside, relationship variables) -> new text or None.
_Rule = Callable[[str, list[str], str, set[str]], Optional[str]]


def _rewrite_calls(cypher: str, rule: _Rule) -> str:
    """Apply ``rule(name, args, rel_vars)`` to every function call, innermost first."""
    rel_vars = set(_REL_VAR.findall(_mask(cypher)))
    changed = True
    while changed:
        changed = False
        masked = _mask(cypher)
        calls = list(_CALL.finditer(masked))
        for m in reversed(calls):  # the last call found starts innermost or rightmost
            name = m.group(1)
            open_at = m.end() - 1
            try:
                close_at = _close(masked, open_at)
            except ValueError:
                return cypher
            inner, inner_masked = cypher[open_at + 1:close_at], masked[open_at + 1:close_at]
            new = rule(name, _split_args(inner, inner_masked), inner, rel_vars)
            if new is not None:
                cypher = cypher[:m.start()] + new + cypher[close_at + 1:]
                changed = True
                break
    return cypher


def _neo4j_call(name: str, args: list[str], inner: str, rel_vars: set[str]) -> str | None:
    low = name.lower()
    if low == "label" and len(args) == 1:
        x = args[0]
        if x in rel_vars:
            return f"type({x})"
        return f"head([l IN labels({x}) WHERE l IN ['Entity', 'Record']])"
    if low == "length" and len(args) == 1 and args[0] in rel_vars:
        return f"size({args[0]})"
    if low == "list_contains" and len(args) == 2:
        return f"({args[1]} IN {args[0]})"
    if low in ("list_concat", "concat") and len(args) >= 2:
        return "(" + " + ".join(args) + ")"
    if low in ("starts_with", "ends_with", "contains") and len(args) == 2:
        op = {"starts_with": "STARTS WITH", "ends_with": "ENDS WITH", "contains": "CONTAINS"}[low]
        return f"({args[0]} {op} {args[1]})"
    if low == "regexp_matches" and len(args) == 2:
        return f"({args[0]} =~ ('.*(?:' + {args[1]} + ').*'))"
    if low == "list_extract" and len(args) == 2:
        return f"({args[0]})[({args[1]}) - 1]"
    if low == "substr" and len(args) == 3:
        return f"substring({args[0]}, ({args[1]}) - 1, {args[2]})"
    if low == "properties" and len(args) == 2 and re.fullmatch(r"'[A-Za-z_][A-Za-z0-9_]*'", args[1]):
        return f"[_x IN {args[0]} | _x.{args[1][1:-1]}]"
    if low == "interval" and len(args) == 1 and _DAYS.match(args[0]):
        return f"duration('P{_DAYS.match(args[0]).group(1)}D')"  # type: ignore[union-attr]
    if low == "cast":
        m = _CAST.match(inner)
        if m and m.group(2).upper() in _CASTS:
            return f"{_CASTS[m.group(2).upper()]}({m.group(1).strip()})"
        if len(args) == 2 and args[1].strip("'\"").upper() in _CASTS:
            return f"{_CASTS[args[1].strip(chr(39) + chr(34)).upper()]}({args[0]})"
        return None
    if low in _NEO4J_RENAME:
        return f"{_NEO4J_RENAME[low]}({inner})"
    return None


def _ladybug_call(name: str, args: list[str], inner: str, rel_vars: set[str]) -> str | None:
    if name.lower() in _LADYBUG_RENAME:
        return f"{_LADYBUG_RENAME[name.lower()]}({inner})"
    return None


def _drop_trail(cypher: str) -> str:
    """``* TRAIL 1..6`` -> ``*1..6``: Neo4j matches trails already."""
    masked = _mask(cypher)
    out, last = [], 0
    for m in _TRAIL.finditer(masked):
        out.append(cypher[last:m.start(1)])
        last = m.end()
    out.append(cypher[last:])
    return "".join(out)


def _bound_varlen(cypher: str) -> str:
    """Give open variable-length patterns ladybug's implicit upper bound (for Neo4j)."""
    masked = _mask(cypher)
    out, last = [], 0
    for m in _VARLEN.finditer(masked):
        lo, dots, hi = m.group(2), m.group(3), m.group(4)
        if hi or (lo and not dots):
            continue  # *1..6 or *3: bounded already
        star = m.start() + len(m.group(1))
        out.append(cypher[last:star])
        out.append(f"*{lo or 1}..{LADYBUG_MAX_HOPS}")
        last = m.end()
    out.append(cypher[last:])
    return "".join(out)


@lru_cache(maxsize=2048)
def translate(cypher: str, dialect: str) -> str:
    """Rewrite a neutral (ladybug-style) query for ``dialect``.

    >>> translate("MATCH (:Entity)-[r]->(:Entity) RETURN label(r) AS t", "neo4j")
    'MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS t'
    >>> translate("MATCH (n:Entity) WHERE list_contains($ids, n.id) RETURN n.id", "neo4j")
    'MATCH (n:Entity) WHERE (n.id IN $ids) RETURN n.id'
    >>> translate("MATCH p = (a:Entity)-[:PAYMENT*]->(b:Entity) RETURN length(p)", "neo4j")
    'MATCH p = (a:Entity)-[:PAYMENT*1..30]->(b:Entity) RETURN length(p)'
    >>> translate("MATCH (:Entity)-[r]->(:Entity) RETURN type(r) AS t", "ladybug")
    'MATCH (:Entity)-[r]->(:Entity) RETURN label(r) AS t'
    """
    if dialect == LADYBUG:
        return _rewrite_calls(cypher, _ladybug_call)
    if dialect == NEO4J:
        return _bound_varlen(_drop_trail(_rewrite_calls(cypher, _neo4j_call)))
    raise ValueError(f"unknown Cypher dialect {dialect!r}: expected one of {DIALECTS}")


def dialect_of(store: object) -> str:
    """The dialect a store speaks (its ``dialect`` attribute; ladybug by default)."""
    return str(getattr(store, "dialect", LADYBUG))


def for_store(cypher: str, store: object) -> str:
    """``translate(cypher, dialect_of(store))``: the hook for code that builds its own text."""
    return translate(cypher, dialect_of(store))


def differences_markdown() -> str:
    """The table of :data:`DIFFERENCES` as Markdown (docs/neo4j.md embeds it)."""
    lines = ["| topic | ladybug | Neo4j | translate() | note |", "|---|---|---|---|---|"]
    for d in DIFFERENCES:
        cells = [d.topic, f"`{d.ladybug}`", f"`{d.neo4j}`", "rewrites" if d.rewrite else "avoid / store code",
                 d.note]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


__all__ = ["LADYBUG", "NEO4J", "DIALECTS", "DIFFERENCES", "Difference", "translate", "dialect_of",
           "for_store", "differences_markdown"]
