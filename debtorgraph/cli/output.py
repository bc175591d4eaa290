"""What the reading commands share: the store opened read-only, ISO dates, masking, captions, tables."""
from __future__ import annotations

from datetime import date
from typing import Any

import click


def read_store(obj: Any) -> Any:
    """The store of the command's context (or the default one), read-only."""
    if obj is None or not hasattr(obj, "store"):
        from debtorgraph.graph.store import open_store

        return open_store(None, read_only=True)
    return obj.store(read_only=True)


def check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: ``value`` must start with an ISO date."""
    if value is None:
        return None
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise click.BadParameter(f"{value!r} 不是 ISO 日期（如 2023-06-01）/ not an ISO date such as 2023-06-01")
    return value


def masking() -> Any:
    """Identifier masking for this command's output: with accounts on, the CLI shows masked
    ID, phone and account numbers to every role (docs/security.md section 4); unmasking is
    an act with a reason, in the app. Local mode (no accounts) prints them as stored."""
    from debtorgraph.cli.session import mask_json, masks_output

    return mask_json if masks_output() else (lambda value: value)


# The caption of entities. Params: $ids. Columns: id, caption.
CAPTIONS = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.caption AS caption"


def captions(store: Any, ids: list[str]) -> dict[str, str]:
    """Display names of ``ids`` (holders and accounts of a trace), for people reading a table."""
    if not ids:
        return {}
    rows = store.run_read(CAPTIONS, {"ids": sorted(set(ids))}).rows
    return {str(i): str(c) for i, c in rows if c}


def _cols(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[list[str]], header: list[str]) -> str:
    """Rows under a header, columns aligned for a terminal (Chinese characters are two wide)."""
    cells = [header] + rows
    widths = [max(_cols(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - _cols(c)) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
