"""Start the app as ``debtorgraph app`` does, on a free 127.0.0.1 port (browser tests, bench)."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from debtorgraph.ui.launch import command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


def fonts_without_cjk(folder: Path) -> dict[str, str]:
    """Environment for a browser that sees no CJK font: a fontconfig with only DejaVu/Liberation."""
    folder.mkdir(parents=True, exist_ok=True)
    dirs = "".join(f"<dir>{d}</dir>" for d in ("/usr/share/fonts/truetype/dejavu",
                                               "/usr/share/fonts/truetype/liberation") if Path(d).is_dir())
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>{dirs}'
                    f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf), "FONTCONFIG_PATH": str(folder)}


def serve(db: Path, home: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Start the app as ``debtorgraph app`` does (:func:`debtorgraph.ui.launch.command`), on a free port."""
    port = free_port()
    env = dict(os.environ, DEBTORGRAPH_DB=str(db), DEBTORGRAPH_HOME=str(home))
    cmd = command(ROOT / "debtorgraph" / "app.py", port)
    fh = open(log, "wb")
    proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except Exception:
        proc.terminate()
        proc.wait(10)
        raise RuntimeError(f"app did not start: {log.read_text(errors='replace')[-3000:]}")
    return proc, url


@contextmanager
def served(base: Path, entities: list[dict]) -> Iterator[str]:
    """Load ``entities`` into a fresh embedded store under ``base``, run the app on it, yield its
    URL, and stop the app afterwards."""
    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.graph.store.embedded import EmbeddedStore
    from debtorgraph.loaders.base import Origin, Row

    db = base / "graph.lbug"
    store = EmbeddedStore(db)
    try:
        ingest = Ingest(store, None)
        ingest.add((Row(e, Origin("sample.ftm.jsonl", i + 1)) for i, e in enumerate(entities)),
                   "sample.ftm.jsonl")
        assert ingest.commit().rejected == 0
    finally:
        store.close()
    proc, url = serve(db, base / "home", base / "streamlit.log")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except Exception:
            proc.kill()
