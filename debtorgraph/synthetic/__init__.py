"""Synthetic county enforcement caseloads with planted schemes (``debtorgraph generate``).

:func:`generate` writes ``entities.ftm.jsonl`` (FtM entities as docs/interchange.md fixes them)
and ``truth.jsonl`` (one row per planted scheme and per honest look-alike). See
:mod:`debtorgraph.synthetic.plan` for the rule names.
"""
from __future__ import annotations

from debtorgraph.synthetic.generate import ENTITIES_FILE, TRUTH_FILE, generate
from debtorgraph.synthetic.plan import RULES

__all__ = ["ENTITIES_FILE", "RULES", "TRUTH_FILE", "generate"]
