"""Record builders, one per kind of source; a mapping names its kind, fields and options.

Each kind declares its fields (name -> column parser, see :mod:`..columns`), its options
(name -> default) and a ``build(ctx)`` generator. Adding a bank is writing a mapping for an
existing kind; adding a kind of source is adding a builder here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..base import Item
from ..context import Context


@dataclass(frozen=True)
class Kind:
    """A record builder: its fields with their parsers, its options with defaults."""

    name: str
    fields: dict[str, str]
    options: dict[str, Any]
    build: Callable[[Context], Iterator[Item]]
    prepare: Callable[[Context], None] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (each builder module calls this once per kind)."""
    KINDS[kind.name] = kind
    return kind


from . import cases, company, family, money, registry  # noqa: E402,F401  (registers kinds)
