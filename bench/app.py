"""Benchmark: the first page after `debtorgraph app`, and the Network page on a million Payments.

    python bench/app.py --first-page [--db ~/.debtorgraph/demo/graph]
    python bench/app.py [--payments 1000000] [--out bench/out/app] [--rebuild]

``--first-page``: starts the app as ``debtorgraph app`` does (:func:`debtorgraph.ui.launch.command`)
on the demo store (``debtorgraph demo --no-serve`` makes it), waits until the server answers,
then times a fresh browser's request of ``/`` until the Overview (the work queue) has finished
its run. Repeated on new servers; target < 1.5 s. The baseline, timed in the same run, is a bare
Streamlit page (a title and a metric) served by ``streamlit run`` with the same flags: the part
of the time that is Streamlit's own (its scripts loaded and started in the browser); the ratio
varies less with the machine's load than the seconds do. The load average is printed beside.
Also timed: the same first page in a browser that opened the app before on the same port (its
HTTP cache holds Streamlit's hashed scripts, as an investigator's browser does the next
morning), after one earlier visit that is not counted.

Builds (once, then reuses) a store holding the sample case (:mod:`debtorgraph.ui.sample`)
inside ``--payments`` background transfers, serves the app as ``debtorgraph app`` does on a
free 127.0.0.1 port, and drives Debian's headless Chromium (playwright, never
``playwright install``) to ``/investigate?debtor=...``. "Interactive" means vis-network has
drawn the graph (``#net[data-drawn]``) and Streamlit has finished the run. Prints, for
the debtor and for a busier party: the first request after the server starts (cold: the
store opens, caches are empty, detection runs), a new session in the same browser (warm
HTTP cache, as an investigator's browser is), a new browser profile (cold HTTP cache:
Streamlit's scripts are fetched again) and a filter change (a rerun with a new minimum
amount), plus the neighbourhood reads alone. Target: < 3 s.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def build(db: Path, payments: int) -> float:
    from debtorgraph.graph.ingest import Ingest
    from debtorgraph.graph.store.embedded import EmbeddedStore
    from debtorgraph.loaders.base import Origin, Row
    from debtorgraph.ui.sample import sample_entities

    t0 = time.perf_counter()
    store = EmbeddedStore(db)
    try:
        ingest = Ingest(store, None, spill_dir=db.parent)
        ingest.add((Row(e, Origin("bench.ftm.jsonl", i + 1))
                    for i, e in enumerate(sample_entities(payments))), "bench.ftm.jsonl")
        report = ingest.commit()
    finally:
        store.close()
    print(f"built store: {report.loaded} entities loaded, {report.rejected} rejected, "
          f"{time.perf_counter() - t0:.1f} s")
    return time.perf_counter() - t0


def query_times(db: Path, party: str, runs: int = 3) -> list[float]:
    """The Network page's reads alone (build_network on a read-only store)."""
    from debtorgraph.graph.store.embedded import EmbeddedStore
    from debtorgraph.ui.network import build_network

    out = []
    store = EmbeddedStore(db, read_only=True)
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            net = build_network(store, [party])
            out.append(time.perf_counter() - t0)
        print(f"  build_network({party}): {len(net.nodes)} nodes, {len(net.edges)} edges, "
              f"summarised {net.summarised}")
    finally:
        store.close()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(proc: subprocess.Popen, port: int) -> str:
    """The server's URL once it answers its health check (it is stopped if it never does)."""
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("streamlit did not start")


def serve(db: Path, home: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    env = dict(os.environ, DEBTORGRAPH_DB=str(db), DEBTORGRAPH_HOME=str(home))
    from debtorgraph.ui.launch import command

    cmd = command(ROOT / "debtorgraph" / "app.py", port)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(ROOT))
    return proc, wait_healthy(proc, port)


def wait_interactive(page, timeout: int = 120_000) -> None:
    frame = page.wait_for_selector("iframe", timeout=timeout).content_frame()
    frame.wait_for_selector("#net[data-drawn]:not([data-drawn='0'])", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def _open(page, url: str, party: str) -> float:
    t0 = time.perf_counter()
    page.goto(f"{url}/investigate?debtor={party}")
    wait_interactive(page)
    return time.perf_counter() - t0


def browser_times(url: str, party: str, browser, sessions: int = 3) -> dict[str, list[float]]:
    """Seconds to interactive: the server's first request, a new session in the same browser
    (its HTTP cache warm, as an investigator's is), a new browser profile (cold HTTP cache),
    and a filter change within a session."""
    out: dict[str, list[float]] = {"first request": [], "new session": [], "new browser": [], "filter change": []}
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    out["first request"].append(_open(ctx.new_page(), url, party))
    for i in range(sessions):
        page = ctx.new_page()  # a new page is a new Streamlit session
        out["new session"].append(_open(page, url, party))
        box = page.get_by_label("最低金额（元）")
        t0 = time.perf_counter()
        box.fill(str(100 + i))
        box.press("Enter")
        page.wait_for_timeout(150)  # the rerun starts
        wait_interactive(page)
        out["filter change"].append(time.perf_counter() - t0)
        page.close()
    ctx.close()
    for _ in range(2):
        fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
        out["new browser"].append(_open(fresh.new_page(), url, party))
        fresh.close()
    return out


#: The baseline page of --first-page: what any Streamlit page costs a fresh browser.
BARE_PAGE = 'import streamlit as st\nst.title("总览")\nst.metric("被执行人", 60)\n'


def serve_bare(folder: Path) -> tuple[subprocess.Popen, str]:
    """A bare Streamlit page (BARE_PAGE) served by ``streamlit run`` with the app's flags."""
    from debtorgraph.ui.launch import command

    script = folder / "bare.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(BARE_PAGE, encoding="utf-8")
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), *command(script, port)[4:]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(folder))
    return proc, wait_healthy(proc, port)


def _time_first(browser, url: str, ctx=None) -> float:
    """Seconds from the request of ``/`` to the Overview drawn and its run finished, in a new
    browser context (nothing cached) or in ``ctx`` (a browser that has been here before)."""
    own = ctx is None
    ctx = ctx or browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url + "/")
    page.wait_for_selector("h1:has-text('总览')", timeout=120_000)
    page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
    took = time.perf_counter() - t0
    page.close()
    if own:
        ctx.close()
    return took


def first_page(db: Path, home: Path, runs: int = 3) -> tuple[list[float], list[float], list[float]]:
    """Seconds from a new server's first request of ``/`` to the Overview finished, per fresh
    server: in a new browser context (cold HTTP cache), for the bare baseline page (interleaved
    with them), and in a browser that opened the app before on the same port (warm HTTP cache:
    Streamlit's hashed scripts cached, as in an investigator's browser the next morning)."""
    from playwright.sync_api import sync_playwright

    out: tuple[list[float], list[float], list[float]] = ([], [], [])
    port = free_port()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        warm = browser.new_context(viewport={"width": 1440, "height": 900})
        starts = ((out[0], lambda: serve(db, home), None), (out[1], lambda: serve_bare(home / "bare"), None),
                  (out[2], lambda: serve(db, home, port), warm))
        proc, url = serve(db, home, port)  # the warm browser's earlier visit
        try:
            _time_first(browser, url, warm)
        finally:
            proc.terminate()
            proc.wait(20)
        for _ in range(runs):
            for times, start, ctx in starts:
                proc, url = start()
                try:
                    times.append(_time_first(browser, url, ctx))
                finally:
                    proc.terminate()
                    proc.wait(20)
        warm.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first-page", action="store_true", help="time the first page after the app starts")
    ap.add_argument("--runs", type=int, default=3, help="--first-page: servers started (each page)")
    ap.add_argument("--db", type=Path, default=Path.home() / ".debtorgraph" / "demo" / "graph")
    ap.add_argument("--payments", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "app")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    if args.first_page:
        if not args.db.exists():
            raise SystemExit(f"no store at {args.db}: run `debtorgraph demo --no-serve` first")
        before = os.getloadavg()[0]
        times, bare, warm = first_page(args.db, args.out / "home", args.runs)
        ours, base = statistics.median(times), statistics.median(bare)
        print(f"first page (Overview) after start, target < 1.5 s: median {ours:.2f} s "
              f"(runs {', '.join(f'{x:.2f}' for x in times)})")
        print(f"baseline, a bare Streamlit page: median {base:.2f} s (runs {', '.join(f'{x:.2f}' for x in bare)}); "
              f"ratio {ours / base:.2f}; load average {before:.2f} -> {os.getloadavg()[0]:.2f}")
        print(f"first page in a browser that opened the app before (HTTP cache warm, same port): median "
              f"{statistics.median(warm):.2f} s (runs {', '.join(f'{x:.2f}' for x in warm)})")
        return
    folder = args.out / f"p{args.payments}"
    db = folder / "graph.lbug"
    if args.rebuild and folder.exists():
        shutil.rmtree(folder)
    if not db.exists():
        folder.mkdir(parents=True, exist_ok=True)
        build(db, args.payments)
    parties = ["p-wang", "p-zhao"]   # the debtor, and a friend who also trades with strangers
    print(f"store: {db} ({args.payments:,} background payments)")
    for party in parties:
        qt = query_times(db, party)
        print(f"  reads alone: median {statistics.median(qt):.3f} s (runs {', '.join(f'{x:.3f}' for x in qt)})")
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} missing: browser timings skipped (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    for party in parties:
        proc, url = serve(db, folder / "home")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                times = browser_times(url, party, browser)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(20)
        print(f"network page for {party} (target < 3 s):")
        for what, values in times.items():
            print(f"  {what:14s} " + ", ".join(f"{v:.2f} s" for v in values))


if __name__ == "__main__":
    main()
