"""Issue 17 item 12: ``debtorgraph app`` picks its port, says when it is taken, and stops its
Streamlit child with itself (SIGTERM leaves nothing serving)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    out = dict(os.environ, DEBTORGRAPH_DB=str(tmp_path / "graph.lbug"), DEBTORGRAPH_HOME=str(tmp_path / "home"))
    out.pop("STREAMLIT_SERVER_PORT", None)
    out.update(extra)
    return out


def test_taken_port_names_the_option(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "debtorgraph.cli", "app", "--port", str(port)],
                              capture_output=True, text=True, env=env(tmp_path), timeout=60)
    assert proc.returncode == 1 and "--port" in proc.stderr and "已被占用" in proc.stderr, proc.stderr


def test_env_port_and_sigterm_stop_the_server(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "debtorgraph.cli", "app"], env=env(
        tmp_path, STREAMLIT_SERVER_PORT=str(port)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not healthy(port) and time.monotonic() < deadline:
            assert proc.poll() is None, "the app ended on its own"
            time.sleep(0.3)
        assert healthy(port), f"nothing served on STREAMLIT_SERVER_PORT={port}"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while not port_free(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert port_free(port) and not healthy(port), "the Streamlit child still serves"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_first_pages_reads_are_made_before_serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """debtorgraph.ui.server warms the shared store and the Overview's cached reads (issue 17)."""
    import streamlit as st

    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.graph.store.embedded import EmbeddedStore
    from debtorgraph.loaders.base import Origin, Row
    from debtorgraph.ui import data, queries, store
    from debtorgraph.ui.sample import sample_entities
    from debtorgraph.ui.server import warm_first_page

    db = tmp_path / "graph.lbug"
    monkeypatch.setenv("DEBTORGRAPH_DB", str(db))
    monkeypatch.setenv("DEBTORGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert warm_first_page() == []                                   # no store yet: nothing to warm
    writer = EmbeddedStore(db)
    try:
        ingest = Ingest(writer, None)
        ingest.add((Row(e, Origin("s.jsonl", i + 1)) for i, e in enumerate(sample_entities())), "s.jsonl")
        ingest.commit()
    finally:
        writer.close()
    st.cache_data.clear()
    try:
        assert warm_first_page() == ["store", "overview", "debtors"]  # no detection file yet: findings wait

        def no_query(*_a: object, **_k: object) -> None:
            raise AssertionError("the Overview's reads were not made before serving")

        monkeypatch.setattr(queries, "read", no_query)
        monkeypatch.setattr(queries, "debtors", no_query)
        shared = store.get_store()
        assert data.overview(shared, str(db))["debtors"] == 2 and len(data.debtors(shared, str(db))) == 2
    finally:
        store.release_store()


def test_no_page_relies_on_streamlit_magic() -> None:
    """The server runs with ``runner.magicEnabled false`` (debtorgraph.ui.launch.command); AppTest
    runs with it on. A bare expression in a page would show only under AppTest (the Overview's
    ``a if rows else st.caption(...)`` lines drew a help panel of the DeltaGenerator)."""
    import ast

    from debtorgraph.ui.launch import command

    assert command("app.py", 8501)[-2:] == ["--runner.magicEnabled", "false"]
    root = Path(__file__).resolve().parents[2] / "debtorgraph"
    found = []
    for script in [root / "app.py", *sorted((root / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            fields = [getattr(node, f, None) for f in ("body", "orelse", "finalbody")]
            for stmt in [s for body in fields if isinstance(body, list) for s in body if isinstance(s, ast.stmt)]:
                value = getattr(stmt, "value", None)
                if isinstance(stmt, ast.Expr) and not isinstance(value, (ast.Call, ast.Await, ast.Yield)) and not (
                        isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    found.append(f"{script.name}:{stmt.lineno}")
    assert found == []
