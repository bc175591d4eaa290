"""Running Cypher typed by a user: read-only, with a time limit, a row cap and, on the embedded
store, in a worker process with a memory limit (:mod:`.worker`)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..config import setting
from .guard import check_read_only

log = logging.getLogger(__name__)


def embedded_path(store: Any) -> Path | None:
    """The file of an embedded store (also behind the app's shared wrapper), else None."""
    from ..graph.store.embedded import EmbeddedStore

    inner = store.__dict__.get("inner", store) if hasattr(store, "__dict__") else store
    return Path(inner.path) if isinstance(inner, EmbeddedStore) else None


_END_OF_ITEMS = frozenset({"ORDER", "SKIP", "LIMIT", "UNION"})


def return_items(cypher: str) -> list[str] | None:
    """The column names the user wrote in the last RETURN: aliases, else the expressions.

    The engine names an unaliased column after its own rewriting (``type(r)`` becomes
    ``LABEL(r._ID,[...])``); the user should see what they typed.

    >>> return_items("MATCH (a)-[r]->(b) RETURN type(r), count(*) AS n ORDER BY n")
    ['type(r)', 'n']
    >>> return_items("MATCH (n) RETURN DISTINCT n.name LIMIT 3")
    ['n.name']
    """
    from .guard import _tokenize

    try:
        toks = _tokenize(cypher)
    except Exception:  # the guard refuses what it cannot lex; nothing to rename then
        return None
    starts = [i for i, tok in enumerate(toks) if tok.kind == "word" and tok.text.upper() == "RETURN"]
    if not starts:
        return None
    items: list[tuple[int, int, str | None]] = []   # (start, end, alias) in the query text
    depth, begin, alias = 0, None, None
    i = starts[-1] + 1
    if i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() == "DISTINCT":
        i += 1
    for tok in toks[i:]:
        if tok.kind == "punct" and tok.text in "([{":
            depth += 1
        elif tok.kind == "punct" and tok.text in ")]}":
            depth -= 1
        if depth == 0 and tok.kind == "word" and tok.text.upper() in _END_OF_ITEMS:
            break
        if depth == 0 and tok.kind == "punct" and tok.text == ",":
            if begin is not None:
                items.append((begin, end, alias))
            begin, alias = None, None
            continue
        if depth == 0 and tok.kind in ("word", "quoted") and alias == "":
            alias = tok.text.strip("`")
            continue
        if depth == 0 and tok.kind == "word" and tok.text.upper() == "AS":
            alias = ""
            continue
        begin = tok.start if begin is None else begin
        end = tok.end
    if begin is not None:
        items.append((begin, end, alias))
    return [a if a else cypher[b:e] for b, e, a in items]


def _named(result: Any, cypher: str) -> Any:
    """``result`` with the columns named as the user wrote them (see :func:`return_items`)."""
    names = return_items(cypher)
    if names and len(names) == len(result.columns) and names != list(result.columns):
        result.columns = names
    return result


def run_user_query(store: Any, cypher: str, params: dict[str, Any] | None = None, *,
                   timeout_ms: int | None = None, max_rows: int | None = None) -> Any:
    """Refuse writes before the store sees them, then run read-only.

    On the embedded store the query runs in a worker process (:func:`.worker.run_isolated`):
    an engine crash, a time or memory overrun and an engine error all raise
    :class:`.worker.QueryFailed` (a DebtorGraphError) with a clear message; this process
    lives on. Other stores (Neo4j) run the query on their server with the time limit.
    Raises ReadOnlyViolation for a write.
    """
    check_read_only(cypher)
    timeout = timeout_ms or int(setting("DEBTORGRAPH_QUERY_TIMEOUT_MS"))
    cap = max_rows or int(setting("DEBTORGRAPH_QUERY_MAX_ROWS"))
    path = embedded_path(store)
    if path is not None:
        from .worker import run_isolated

        return _named(run_isolated(path, cypher, params or {}, timeout_ms=timeout, max_rows=cap), cypher)
    try:
        return _named(store.run_read(cypher, params or {}, timeout_ms=timeout, max_rows=cap), cypher)
    except RuntimeError as exc:
        from .worker import explain

        raise explain(str(exc)) from exc
