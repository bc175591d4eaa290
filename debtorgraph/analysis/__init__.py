"""What the graph means: related parties, detection, money tracing, evidence.

From the bottom up: ``milestones`` (case timelines) and ``provenance`` (where each entity
came from); ``parties/`` (related parties with their proof paths); ``tracing/`` (LIBR,
FIFO, pro rata, greedy); ``rules/`` (one module per pattern of hiding, pure functions of a
debtor's Context); ``neighbourhood/`` (what the rules need, read per debtor from a store or
from memory); ``detect`` (runs the rules, scores and words the findings); ``evidence/``
(the evidence chain and its formats). It uses ``graph`` and ``queries`` below it, never
the app, the UI or the CLI (docs/architecture.md, import-linter contracts in
``pyproject.toml``).
"""
