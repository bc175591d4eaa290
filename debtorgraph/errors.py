"""The exceptions of debtorgraph: one root, a few subclasses (after FtM ``exc.py``)."""
from __future__ import annotations

from typing import Any


class DebtorGraphError(Exception):
    """Root of every error debtorgraph raises on purpose."""


class InvalidSchema(DebtorGraphError):
    """The FtM model or the graph mapping is inconsistent."""


class InvalidInput(DebtorGraphError):
    """Input that cannot be used; ``errors`` maps a field or row to what is wrong."""

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class NodeNotFound(DebtorGraphError):
    """An id that names no entity in the store."""


class ReadOnlyViolation(DebtorGraphError):
    """A user query tried to write, or to call a procedure that writes."""


class PermissionDenied(DebtorGraphError):
    """The current user's role does not allow this action."""
