"""Start ``streamlit run`` with the heavy modules already imported.

Streamlit runs the app script in its own process on the first session; importing
pandas/altair, pyvis, followthemoney and the analysis modules there cost the first
visitor ~2.5 s. Importing them before the server starts moves that cost to start-up.

    python -m debtorgraph.ui.launch <streamlit run arguments...>
"""
from __future__ import annotations

import importlib
import logging
import sys

log = logging.getLogger(__name__)

#: Modules the pages import on first use (warming them is optional: a missing one is skipped).
WARM = ("pandas", "altair", "pyvis", "followthemoney", "networkx", "debtorgraph.graph.store.embedded",
        "debtorgraph.analysis.detect", "debtorgraph.analysis.tracing", "debtorgraph.queries.library",
        "debtorgraph.ui.network", "debtorgraph.security.masking")


def warm() -> list[str]:
    """Import the WARM modules; return those that imported."""
    done = []
    for name in WARM:
        try:
            importlib.import_module(name)
            done.append(name)
        except ImportError as exc:  # an optional module missing is not a reason not to serve
            log.warning("not pre-imported: %s (%s)", name, exc)
    return done


def main() -> None:
    warm()
    from streamlit.web import cli as stcli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(stcli.main())


if __name__ == "__main__":
    main()
