"""The app's web server: Streamlit's ``st.App`` over ``app.py``, each page's HTML naming the app's base URL.

Streamlit serves one static ``index.html`` at every page's URL. Opened at ``/cypher``, its
script cannot tell whether ``cypher`` is a page or the server's base path
(``server.baseUrlPath``), so it asks both, ``/cypher/_stcore/health`` and ``/_stcore/health``,
and the first gets a 404 (Streamlit issue #7074). The frontend takes the base URL from
``window.__streamlit`` when the page sets it (``BACKEND_BASE_URL`` and ``MAIN_PAGE_BASE_URL``,
Streamlit PRs #11378 and #11537, whose author names serving ``index.html`` with them set as the
way to end that 404). :func:`build_app` serves the index of ``/`` and of every page URL so, as
``st.App`` routes, which Streamlit checks before its own static files.

    python -m debtorgraph.ui.launch <app.py> --server.port 8501 ...   (what ``debtorgraph app`` runs)
"""
from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

log = logging.getLogger(__name__)

__all__ = ["page_urls", "index_html", "warm_first_page", "build_app", "run"]


def page_urls() -> list[str]:
    """Every page's URL path (app.py's menu, and the sign-in page)."""
    from ..app import LOGIN_URL, SECTIONS

    return [url for items in SECTIONS.values() for _, url in items] + [LOGIN_URL]


def index_html(base_path: str = "") -> str:
    """Streamlit's ``index.html`` with ``window.__streamlit`` naming the app's base URL.

    >>> "BACKEND_BASE_URL" in index_html() and "MAIN_PAGE_BASE_URL" in index_html()
    True
    """
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    path = "/" + base_path.strip("/")
    script = ("<script>(function(){var b=window.location.origin+" + json.dumps(path) + ";"
              "window.__streamlit=Object.assign({},window.__streamlit,"
              "{BACKEND_BASE_URL:b,MAIN_PAGE_BASE_URL:b});})();</script>")
    if "<head>" not in html:  # another Streamlit: its own index (and its guess) stand
        log.warning("Streamlit's index.html has no <head>: pages opened by URL may probe a wrong base path")
        return html
    return html.replace("<head>", "<head>" + script, 1)


def warm_first_page() -> list[str]:
    """Open the shared store and make the Overview's reads, so the first visitor finds them cached.

    Opening the store and its first queries take ~0.2 s (ladybug reads its catalogue and
    pages); the server pays that before it serves. Findings are read only when the
    background detection has written them (never run here). Returns what was warmed.
    """
    from . import data, precompute
    from .store import db_path, get_store, store_exists

    db = db_path()
    if os.environ.get("NEO4J_URI") or not store_exists(db):
        return []
    store = get_store()
    data.overview(store, db)
    data.debtors(store, db)
    done = ["store", "overview", "debtors"]
    found = precompute.cached(db)
    if found is not None:
        data.findings(store, db)
        data.captions(store, db, tuple(sorted({str(f["subject"]) for f in found if f.get("subject")})), True)
        done += ["findings", "captions"]
    return done


@asynccontextmanager
async def _warm(_app: Any) -> AsyncIterator[None]:
    """st.App lifespan: :func:`warm_first_page` once Streamlit's runtime (and its caches) is up."""
    try:
        log.info("warmed before serving: %s", warm_first_page())
    except Exception as exc:  # a store that cannot be read now is shown by the page itself
        log.warning("first page not warmed: %s", exc)
    yield


def build_app(script: str | Path, base_path: str = "") -> Any:
    """``st.App`` running ``script``, its index served with the base URL at ``/`` and each page URL,
    the first page's reads made before it serves (:func:`warm_first_page`)."""
    import streamlit as st
    from starlette.requests import Request
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    page = index_html(base_path)

    async def index(_request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})  # as Streamlit serves its HTML

    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    routes = [Route(prefix + "/" + url, index) for url in ["", *page_urls()]]
    return st.App(Path(script).resolve(), routes=routes, lifespan=_warm)


def _value(text: str) -> Any:
    """A ``--section.option`` flag's value as Streamlit's command line would type it."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return int(text) if text.isdigit() else text


def run(argv: list[str]) -> None:
    """Serve ``argv[0]`` (app.py) with ``streamlit run``'s ``--section.option value`` flags."""
    if not argv or len(argv) % 2 != 1:
        raise SystemExit("usage: python -m debtorgraph.ui.launch APP.py [--section.option VALUE]...")
    script, flags = argv[0], argv[1:]
    config = {}
    for name, value in zip(flags[::2], flags[1::2]):
        if not name.startswith("--"):
            raise SystemExit(f"not an option: {name} (expected --section.option VALUE)")
        config[name[2:]] = _value(value)
    app = build_app(script, str(config.get("server.baseUrlPath") or ""))
    sys.argv = [str(Path(script).resolve())]  # App.run takes the script's folder, as streamlit run does
    app.run(config=config)
