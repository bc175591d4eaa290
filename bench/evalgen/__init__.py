"""Independent evaluation caseload generator for debtorgraph's detection rules.

Writes synthetic court-enforcement caseloads (FtM JSON lines) with planted schemes
and honest look-alikes, plus a ``truth.jsonl`` the scorer reads. Built from
interchange.md and domain.md only. Usage::

    import sys; sys.path.insert(0, "bench")
    from evalgen import generate
    summary = generate("out/evalgen-1", seed=1)
"""
from __future__ import annotations

from .generate import generate

__all__ = ["generate"]
