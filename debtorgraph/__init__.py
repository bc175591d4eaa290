"""debtorgraph: a graph-based investigator for Chinese court enforcement (执行)."""
from __future__ import annotations

__version__ = "0.1.0"
