"""Evidence chains for a referral (法发〔2025〕8号 para. 4): the five categories of facts
(identity, duty, ability, conduct, circumstances and consequences), the law they cite, the
figures, and one module per output format (``pdf``, ``html``, ``docx``; JSON in ``chain``).

It reads the store (``store``: the debtor's subgraph as :class:`EvidenceGraph`), the
detector's findings (:mod:`debtorgraph.analysis.detect`) and the related parties
(:mod:`debtorgraph.analysis.parties.related`); nothing in it imports the app or the CLI.
"""
from .chain import (CATEGORIES, FORMAT, build_chain, chain_bytes, render, render_docx, render_html,
                    render_json, render_pdf, run_detection, select_findings, write_digest)

__all__ = ["CATEGORIES", "FORMAT", "build_chain", "chain_bytes", "render", "render_docx", "render_html",
           "render_json", "render_pdf", "run_detection", "select_findings", "write_digest"]
