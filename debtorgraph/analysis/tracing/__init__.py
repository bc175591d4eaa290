"""Money tracing (docs/tracing.md): the LIBR, FIFO, pro rata and greedy rules on
time-respecting paths. ``input`` reads payments into transfers, ``rows`` replays history in
Arrow, ``sweep`` and ``ledger`` move the traced money, ``flow`` bounds it, ``trace`` is the
entry point, ``store`` reads a store's payments for one trace. It uses the graph store and
nothing of the app or the CLI.
"""
from .trace import RULES, build_holder_lookup, max_flow_bound, trace, trace_range, traced_payments

__all__ = ["RULES", "build_holder_lookup", "max_flow_bound", "trace", "trace_range", "traced_payments"]
