"""Start the app's server with the heavy modules already imported.

Streamlit runs the app script in its own process on the first session; importing
pandas/altair, followthemoney and the analysis modules there cost the first
visitor ~2.5 s. Importing them before the server starts moves that cost to start-up
(:func:`warm`, :func:`settle`). The server is :mod:`.server`'s ``st.App`` over app.py.

    python -m debtorgraph.ui.launch <app.py> [--section.option VALUE]...   (streamlit run's flags)

:func:`serve` is what ``debtorgraph app`` and ``demo`` run: it picks the port
(``--port``, else ``STREAMLIT_SERVER_PORT``, else 8501), says so clearly when the port is
taken, and stops the Streamlit child with itself on SIGTERM, SIGINT and SIGHUP, so the
port and the store are never left held by an orphan.
"""
from __future__ import annotations

import gc
import importlib
import logging
import os
import pkgutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ..errors import DebtorGraphError

log = logging.getLogger(__name__)

#: Modules the pages import on first use (warming them is optional: a missing one is skipped),
#: besides the app's own: every module of this package (:func:`_app_modules`).
WARM = ("pandas", "altair", "followthemoney", "networkx", "ladybug", "pyarrow.pandas_compat",
        "debtorgraph.graph.store.embedded", "debtorgraph.analysis.detect", "debtorgraph.analysis.tracing",
        "debtorgraph.analysis.evidence", "debtorgraph.queries.library", "debtorgraph.queries.stats",
        "debtorgraph.security.masking", "debtorgraph.security.audit", "debtorgraph.security.session")


def _app_modules() -> list[str]:
    """``debtorgraph.ui.*``: the modules app.py and the pages import."""
    return [f"{__package__}.{m.name}" for m in pkgutil.iter_modules([str(Path(__file__).parent)])]


def warm() -> list[str]:
    """Import the WARM modules and the app's own; return those that imported.

    The app's modules declare ``st.cache_data`` functions, which warn once each that no
    Streamlit runtime exists yet (it does by the time they are called); that warning is
    held back here.
    """
    done = []
    cache_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    quiet = logging.Filter("-")  # passes nothing (Streamlit resets the level of its loggers)
    cache_log.addFilter(quiet)
    try:
        for name in (*WARM, *_app_modules()):
            try:
                importlib.import_module(name)
                done.append(name)
            except ImportError as exc:  # an optional module missing is not a reason not to serve
                log.warning("not pre-imported: %s (%s)", name, exc)
    finally:
        cache_log.removeFilter(quiet)
    return done


def settle() -> None:
    """After :func:`warm`, spare the first page two costs Streamlit pays on a process's first run.

    - ``gc.freeze()``: the imported modules' objects (hundreds of thousands) leave the
      collector's view, so the full collection Streamlit runs after each script run
      (``runner.postScriptGC``) no longer walks them (~0.1 s a run on 2 cores);
    - the one-time "not run with ``streamlit run``" check on the first element, which walks
      ``inspect.stack()`` and reads the source of every frame (0.1-0.4 s): this process is
      the app's server (:mod:`.server`), so it is marked as done.
    """
    gc.collect()
    gc.freeze()
    try:
        from streamlit import delta_generator

        if hasattr(delta_generator, "_use_warning_has_been_displayed"):
            delta_generator._use_warning_has_been_displayed = True
    except ImportError:  # pragma: no cover - streamlit is a dependency
        pass


DEFAULT_PORT = 8501


def choose_port(port: int | None) -> int:
    """``port`` if given, else ``STREAMLIT_SERVER_PORT``, else 8501."""
    if port:
        return int(port)
    try:
        return int(os.environ.get("STREAMLIT_SERVER_PORT") or DEFAULT_PORT)
    except ValueError:
        return DEFAULT_PORT


def check_port(port: int, host: str = "127.0.0.1") -> None:
    """Raise DebtorGraphError, naming ``--port``, when ``host:port`` is already taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds it
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise DebtorGraphError(
                f"端口 {port} 已被占用（可能是另一个 debtorgraph app）；用 --port 换一个端口，如 --port {port + 1} / "
                f"Port {port} is already in use (another debtorgraph app?): choose another with "
                f"--port, e.g. --port {port + 1}. ({exc.strerror})") from exc


def command(app: str | Path, port: int, headless: bool = True) -> list[str]:
    """The server process ``debtorgraph app`` starts (the browser tests and bench/app.py too)."""
    return [sys.executable, "-m", "debtorgraph.ui.launch", str(app), "--server.address", "127.0.0.1",
            "--server.port", str(port), "--server.headless", str(headless).lower(),
            "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
            "--server.enableStaticServing", "true",  # the CJK font (debtorgraph.ui.fonts)
            "--runner.magicEnabled", "false"]  # pages call st.* (and a first run skips the AST rewrite)


def serve(app: str | Path, db: str, port: int | None = None, headless: bool = True) -> int:
    """Run the Streamlit app on 127.0.0.1 until it ends or this process is told to stop.

    SIGTERM, SIGINT and SIGHUP are passed on to the Streamlit child, which is waited for;
    returns its exit code.
    """
    chosen = choose_port(port)
    check_port(chosen)
    env = dict(os.environ, DEBTORGRAPH_DB=str(db), STREAMLIT_SERVER_PORT=str(chosen))
    child = subprocess.Popen(command(app, chosen, headless), env=env)
    if not os.environ.get("NEO4J_URI"):  # detection over the store starts now, not on the first page
        from .precompute import start

        try:
            start(db)
        except OSError as exc:
            log.warning("background detection not started: %s", exc)

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM if signum == signal.SIGHUP else signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # a second Ctrl+C while the child shuts down
                continue
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main() -> None:
    warm()
    settle()
    from .server import run

    run(sys.argv[1:])


if __name__ == "__main__":
    main()
