"""Read-only guard for Cypher typed by a user: refuse writes before the store sees them.

Defence in depth: the store also runs user queries on a read-only connection. The guard
gives a clear message in Chinese and English, naming the clause, before that.

How it works. The query is split into tokens the way the Cypher lexer splits it (ladybug
and Neo4j agree here): ``//`` and ``/* */`` comments are dropped, string literals
(``'...'``, ``"..."`` with backslash escapes) and backtick-quoted names become opaque
tokens, and only the remaining words are compared with the keywords. So
``WHERE n.name = 'CREATE'`` passes and ``MATCH (n) /* x */ DELETE n`` does not. A word is
a keyword unless it directly follows ``.`` (a property: ``n.set``), ``:`` (a label or
type) or ``$`` (a parameter). Writes in subqueries, after ``UNION`` or in a second statement are
words like any other, so they are found. Where the guard could disagree with the lexer
it refuses: an unterminated string or comment, more than one statement, a statement that
does not start with a read clause, and a variable named like a write keyword (quote it
with backticks: ```set```).

``CALL`` runs a procedure only from :data:`READ_PROCEDURES`; ``CALL name=value`` (a
ladybug setting such as ``timeout``) and any other procedure are refused.

>>> check_read_only("MATCH (p:Person) WHERE p.name = 'CREATE' RETURN p.created")
>>> check_read_only("MATCH (p) DETACH DELETE p")
Traceback (most recent call last):
...
debtorgraph.errors.ReadOnlyViolation: 查询含有不允许的子句 DETACH DELETE（第 1 行），用户查询只能读取图谱 / The query contains DETACH DELETE (line 1); user queries may only read the graph.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..errors import InvalidInput, ReadOnlyViolation

log = logging.getLogger(__name__)

__all__ = ["WRITE_KEYWORDS", "READ_PROCEDURES", "START_KEYWORDS", "check_read_only",
           "limit_rows"]

#: Words that write, change the schema or settings, reach outside the database, or
#: administer it, in ladybug (Kuzu) or Neo4j Cypher. Refused wherever they appear.
WRITE_KEYWORDS: frozenset[str] = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "COPY",
    "LOAD", "INSTALL", "UNINSTALL", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT", "FORCE",
    "BEGIN", "COMMIT", "ROLLBACK", "USE", "FOREACH", "INSERT", "UPDATE", "ANALYZE",
    "COMMENT", "GRANT", "REVOKE", "DENY", "RENAME", "TERMINATE", "SHOW", "DEALLOCATE",
    "REALLOCATE",
})
#: Refused only before these words (``start`` and ``stop`` are common variable names).
_ADMIN_PAIRS: dict[str, frozenset[str]] = {
    "START": frozenset({"DATABASE", "SERVER"}),
    "STOP": frozenset({"DATABASE", "SERVER"}),
    "ENABLE": frozenset({"SERVER"}),
}
#: Second words that make a two-word clause name in messages: DETACH DELETE, LOAD CSV...
_PAIR_SECONDS: frozenset[str] = frozenset({"DELETE", "FROM", "CSV", "EXTENSION", "WITH",
                                           "DATABASE", "CHECKPOINT", "SERVER"})
#: A statement must open with one of these.
START_KEYWORDS: frozenset[str] = frozenset({
    "MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL", "EXPLAIN", "PROFILE",
})
#: Procedures ``CALL`` may run: they only read the catalogue (lower case; ladybug names
#: are case-insensitive, Neo4j's are compared without case too).
READ_PROCEDURES: frozenset[str] = frozenset({
    # ladybug / Kuzu
    "show_tables", "table_info", "show_connection", "show_indexes", "show_sequences",
    "show_macros", "show_functions", "show_warnings", "db_version", "storage_version",
    "current_setting", "show_loaded_extensions", "show_attached_databases",
    # Neo4j
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "dbms.components",
})
#: Function namespaces that can write or run Cypher held in a string (Neo4j plugins).
_FUNCTION_NAMESPACES: frozenset[str] = frozenset({"apoc", "gds", "dbms"})
#: Functions with side effects (ladybug: ``nextval`` advances a sequence).
_WRITING_FUNCTIONS: frozenset[str] = frozenset({"NEXTVAL"})

_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>//[^\n\r]*|/\*.*?\*/)"
    r"|(?P<string>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    r"|(?P<quoted>`(?:[^`]|``)*`)"
    r"|(?P<param>\$(?:[A-Za-z0-9_]+|`(?:[^`]|``)*`))"
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<punct>.)",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str      # string, quoted, param, number, word, punct
    text: str
    start: int
    end: int


def _refuse(query: str, pos: int, zh: str, en: str) -> ReadOnlyViolation:
    line = query.count("\n", 0, pos) + 1
    return ReadOnlyViolation(f"{zh.format(line=line)} / {en.format(line=line)}")


def _tokenize(query: str) -> list[_Tok]:
    """Tokens without whitespace and comments; refuses what it cannot lex safely."""
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(query):
        kind = m.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        text = m.group(0)
        if kind == "punct" and (text in "'\"`" or query.startswith("/*", m.start())):
            what_zh = {"'": "字符串", '"': "字符串", "`": "反引号名称"}.get(text, "注释")
            what_en = {"'": "string", '"': "string", "`": "quoted name"}.get(text, "comment")
            raise _refuse(query, m.start(), f"查询中的{what_zh}没有结束（第 {{line}} 行），无法检查",
                          f"Unterminated {what_en} (line {{line}}); the query cannot be checked.")
        toks.append(_Tok(kind, text, m.start(), m.end()))
    return toks


def _is_name_position(toks: list[_Tok], i: int) -> bool:
    """True when the word at ``i`` is a property, label or type name, not a keyword."""
    if i == 0:
        return False
    prev = toks[i - 1]
    if prev.end != toks[i].start:  # only directly after the ':' or '.'
        return False
    if prev.kind == "punct" and prev.text == ":":
        return True
    if prev.kind == "punct" and prev.text == "." and i >= 2:
        before = toks[i - 2]
        return before.kind in ("word", "quoted", "param") or before.text in (")", "]", "}")
    return False


def _split_statements(toks: list[_Tok]) -> list[list[_Tok]]:
    statements: list[list[_Tok]] = [[]]
    for t in toks:
        if t.kind == "punct" and t.text == ";":
            statements.append([])
        else:
            statements[-1].append(t)
    return [s for s in statements if s]


def _unquote(tok: _Tok) -> str:
    return tok.text[1:-1].replace("``", "`") if tok.kind == "quoted" else tok.text


def _check_call(query: str, toks: list[_Tok], i: int) -> None:
    """``toks[i]`` is CALL: allow a subquery or a read procedure, refuse the rest."""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None:
        raise _refuse(query, toks[i].start, "CALL 后缺少过程名（第 {line} 行）",
                      "CALL without a procedure (line {line}).")
    if nxt.kind == "punct" and nxt.text in "{(":
        return  # a subquery: its clauses are scanned like the rest of the query
    parts, j = [], i + 1
    while j < len(toks) and toks[j].kind in ("word", "quoted"):
        parts.append(_unquote(toks[j]))
        if j + 1 < len(toks) and toks[j + 1].text == "." and toks[j + 1].kind == "punct":
            j += 2
        else:
            j += 1
            break
    name = ".".join(parts)
    if j < len(toks) and toks[j].kind == "punct" and toks[j].text == "=":
        raise _refuse(query, toks[i].start,
                      f"CALL {name}=… 会修改数据库设置（第 {{line}} 行），不允许",
                      f"CALL {name}=... changes a database setting (line {{line}}); not allowed.")
    if not parts or name.lower() not in READ_PROCEDURES:
        allowed = ", ".join(sorted(READ_PROCEDURES))
        raise _refuse(query, toks[i].start,
                      f"不允许调用过程 {name or nxt.text}（第 {{line}} 行）；可调用的只读过程：{allowed}",
                      f"CALL {name or nxt.text} (line {{line}}) is not an allowed read "
                      f"procedure; allowed: {allowed}.")


def _check_function(query: str, toks: list[_Tok], i: int) -> None:
    """``toks[i]`` is a word not in name position: refuse writing or plugin functions."""
    j = i
    parts = [toks[i].text]
    while j + 2 < len(toks) and toks[j + 1].text == "." and toks[j + 2].kind in ("word", "quoted"):
        parts.append(_unquote(toks[j + 2]))
        j += 2
    if j + 1 >= len(toks) or toks[j + 1].text != "(":
        return
    name = ".".join(parts)
    if (len(parts) == 1 and parts[0].upper() in _WRITING_FUNCTIONS) or (
            len(parts) > 1 and parts[0].lower() in _FUNCTION_NAMESPACES):
        raise _refuse(query, toks[i].start, f"不允许调用函数 {name}（第 {{line}} 行）：它会写入或执行其他语句",
                      f"The function {name} (line {{line}}) may write or run other statements; "
                      "not allowed.")


def check_read_only(cypher: str) -> None:
    """Raise :class:`ReadOnlyViolation` unless ``cypher`` is one read-only statement.

    Parameters
    ----------
    cypher : str
        The query as the user typed it.

    Raises
    ------
    ReadOnlyViolation
        With a message in Chinese and English naming the clause and its line.

    Examples
    --------
    >>> check_read_only("MATCH (a)-[:OWNS]->(b) RETURN a.name, b.created // CREATE")
    >>> check_read_only("CALL show_tables() RETURN *")
    >>> check_read_only("CALL threads=1")
    Traceback (most recent call last):
    ...
    debtorgraph.errors.ReadOnlyViolation: CALL threads=… 会修改数据库设置（第 1 行），不允许 / CALL threads=... changes a database setting (line 1); not allowed.
    """
    if not isinstance(cypher, str) or not cypher.strip():
        raise ReadOnlyViolation("查询为空 / The query is empty.")
    toks = _tokenize(cypher)
    statements = _split_statements(toks)
    if not statements:
        raise ReadOnlyViolation("查询为空 / The query is empty (only comments).")
    if len(statements) > 1:
        raise _refuse(cypher, statements[1][0].start,
                      "一次只能执行一条语句（第 {line} 行开始第二条）",
                      "Only one statement at a time; a second one starts on line {line}.")
    for i, tok in enumerate(toks):
        if tok.kind != "word" or _is_name_position(toks, i):
            continue
        kw = tok.text.upper()
        nxt = toks[i + 1].text.upper() if i + 1 < len(toks) and toks[i + 1].kind == "word" else ""
        if kw in WRITE_KEYWORDS or nxt in _ADMIN_PAIRS.get(kw, ()):
            clause = f"{kw} {nxt}" if nxt in _PAIR_SECONDS else kw
            log.info("refused a user query: clause %s", clause)
            after = toks[i + 1] if i + 1 < len(toks) else None
            hint_zh = hint_en = ""
            if after is None or (after.kind == "punct" and after.text in "),.:]}"):
                hint_zh = f"；若 {tok.text} 是名称，请用反引号括起：`{tok.text}`"
                hint_en = f"; if {tok.text} is a name, quote it with backticks: `{tok.text}`"
            raise _refuse(cypher, tok.start,
                          f"查询含有不允许的子句 {clause}（第 {{line}} 行），用户查询只能读取图谱{hint_zh}",
                          f"The query contains {clause} (line {{line}}); user queries may only "
                          f"read the graph{hint_en}.")
        if kw == "CALL":
            _check_call(cypher, toks, i)
        elif i == 0 or toks[i - 1].text != ".":
            _check_function(cypher, toks, i)
    first = toks[0]
    if first.kind != "word" or first.text.upper() not in START_KEYWORDS:
        starts = ", ".join(sorted(START_KEYWORDS))
        raise _refuse(cypher, first.start, f"只读查询须以 {starts} 开头（第 {{line}} 行）",
                      f"A read query starts with one of {starts} (line {{line}}).")


def limit_rows(cypher: str, max_rows: int) -> str:
    """Cap the rows of each top-level ``RETURN``: lower its LIMIT or add one.

    With ``UNION`` each branch is capped, so the engine never builds more than
    branches x ``max_rows`` rows; the store still stops reading at ``max_rows``. A
    statement with no top-level RETURN (``CALL db.labels()``) is returned unchanged.
    Run :func:`check_read_only` first.

    Raises
    ------
    InvalidInput
        When a LIMIT is not a plain number (a parameter or an expression).

    Examples
    --------
    >>> limit_rows("MATCH (n) RETURN n", 100)
    'MATCH (n) RETURN n LIMIT 100'
    >>> limit_rows("MATCH (n) RETURN n LIMIT 100000;", 5000)
    'MATCH (n) RETURN n LIMIT 5000;'
    >>> limit_rows("MATCH (n) RETURN n LIMIT 10", 5000)
    'MATCH (n) RETURN n LIMIT 10'
    """
    if max_rows < 1:
        raise InvalidInput(f"行数上限须为正整数：{max_rows} / max_rows must be positive: {max_rows}")
    all_toks = _tokenize(cypher)
    toks = [t if not _is_name_position(all_toks, i) else _Tok("name", t.text, t.start, t.end)
            for i, t in enumerate(all_toks) if not (t.kind == "punct" and t.text == ";")]
    branches: list[list[_Tok]] = [[]]
    depth = 0
    for t in toks:
        if t.kind == "punct" and t.text in "([{":
            depth += 1
        elif t.kind == "punct" and t.text in ")]}":
            depth -= 1
        if depth == 0 and t.kind == "word" and t.text.upper() == "UNION":
            branches.append([])
            continue
        branches[-1].append(t)
    edits: list[tuple[int, int, str]] = []
    for branch in branches:
        edits.extend(_limit_branch(branch, max_rows))
    out = cypher
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    return out


def _limit_branch(branch: list[_Tok], max_rows: int) -> list[tuple[int, int, str]]:
    depth, last_return, limit_at = 0, -1, -1
    for k, t in enumerate(branch):
        if t.kind == "punct" and t.text in "([{":
            depth += 1
        elif t.kind == "punct" and t.text in ")]}":
            depth -= 1
        elif depth == 0 and t.kind == "word" and t.text.upper() == "RETURN":
            last_return, limit_at = k, -1
        elif depth == 0 and t.kind == "word" and t.text.upper() == "LIMIT" and last_return >= 0:
            limit_at = k
    if last_return < 0:
        return []
    if limit_at < 0:
        end = branch[-1].end
        return [(end, end, f" LIMIT {max_rows}")]
    rest = branch[limit_at + 1:]
    if len(rest) != 1 or rest[0].kind != "number" or not rest[0].text.isdigit():
        raise InvalidInput("LIMIT 须为整数常量 / LIMIT must be a plain integer in a user query.")
    if int(rest[0].text) <= max_rows:
        return []
    return [(rest[0].start, rest[0].end, str(max_rows))]
