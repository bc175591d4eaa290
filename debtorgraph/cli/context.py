"""What every command shares: the store location chosen once, and errors as click errors."""
from __future__ import annotations

from typing import Any

import click


class Context:
    """What every command shares: the store location, chosen once."""

    def __init__(self, db: str | None) -> None:
        self.db = db

    def store(self, read_only: bool = False) -> Any:
        from ..graph.store import open_store

        return open_store(self.db, read_only=read_only)


def fail(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))
