"""Crash safety of loads on the embedded store, and readers while a load runs.

Fault injection: ``debtorgraph load`` runs as a subprocess on a real store with a
generated caseload (3,738 entities) and is killed with SIGKILL at seeded random moments:
stratified over the load's measured duration; inside the write phase (after
``<db>.next`` appears); and right after the copy replaced the store. After each kill the store must open and be
consistent, and hold exactly the state before the load or after it; then the same load
runs again to completion and the counts must equal a clean load's.

``DEBTORGRAPH_CRASH_RUNS`` (default 20) and ``DEBTORGRAPH_CRASH_SEED`` change the campaign.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from debtorgraph.graph.store.embedded import EmbeddedStore
from store_checks import EMPTY, state

RUNS = int(os.environ.get("DEBTORGRAPH_CRASH_RUNS", "20"))
SEED = int(os.environ.get("DEBTORGRAPH_CRASH_SEED", "20240501"))


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, DEBTORGRAPH_HOME=str(home), PYTHONIOENCODING="utf-8")
    env.pop("NEO4J_URI", None)
    return env


def _load_cmd(db: Path, data: Path, rejects: Path) -> list[str]:
    return [sys.executable, "-m", "debtorgraph.cli", "--db", str(db), "load", str(data),
            "--json", "--rejects", str(rejects)]


#: The real CLI, imported first and started on a line from stdin, so a kill's moment is
#: measured from the start of the load itself, not from Python's start-up.
WARM = ("import sys; from debtorgraph.cli import main; print('ready', flush=True); "
        "sys.stdin.readline(); main(sys.argv[1:], prog_name='debtorgraph')")


class Load:
    """One ``debtorgraph load`` in a warm process: :meth:`go`, then wait or kill."""

    def __init__(self, db: Path, data: Path, home: Path) -> None:
        self.db, self.next = db, db.with_name(db.name + ".next")
        args = _load_cmd(db, data, db.parent / "rejects.jsonl")[3:]
        self.proc = subprocess.Popen([sys.executable, "-c", WARM, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=_env(home))

    def go(self) -> float:
        assert self.proc.stdout is not None and self.proc.stdin is not None
        assert self.proc.stdout.readline().strip() == "ready", self.proc.stderr
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        return time.perf_counter()

    def timed(self) -> tuple[dict[str, Any], float, float]:
        """Run to the end: (report, seconds until the first write phase, seconds in all)."""
        start = self.go()
        first_write = None
        while self.proc.poll() is None:
            if first_write is None and self.next.exists():
                first_write = time.perf_counter() - start
            time.sleep(0.002)
        total = time.perf_counter() - start
        out, err = self.proc.communicate()
        assert self.proc.returncode == 0, err
        return json.loads(out), first_write or total, total

    def kill_after(self, delay: float, mode: str, swaps: int = 1) -> str:
        """SIGKILL the load and say whether it was still running. ``mode``: ``anywhere``
        kills ``delay`` seconds after the start; ``write`` that long after the write phase
        began (``<db>.next`` appeared); ``swapped`` as soon as the copy has replaced the
        store ``swaps`` times (a new store is created empty first, then written)."""
        start = self.go()
        seen = done = 0
        while mode != "anywhere" and self.proc.poll() is None and time.perf_counter() - start < 120:
            exists = self.next.exists()
            if exists and seen == done:
                seen += 1
                if mode == "write":
                    break
            elif not exists and seen > done:
                done += 1
                if done == swaps:
                    break
            time.sleep(0.0005)
        time.sleep(delay if mode != "swapped" else 0)
        ended = "killed" if self.proc.poll() is None else "finished first"
        self.proc.send_signal(signal.SIGKILL)
        self.proc.communicate(timeout=60)
        return ended


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two files of one generated caseload and the clean reference loads of both."""
    from debtorgraph.synthetic import generate

    base = tmp_path_factory.mktemp("crash")
    summary = generate(base / "gen", seed=5, debtors=10, payments=2000)
    lines = Path(summary["entities_path"]).read_bytes().splitlines(keepends=True)
    first, second = base / "first.ftm.jsonl", base / "second.ftm.jsonl"
    first.write_bytes(b"".join(lines[:2000]))
    second.write_bytes(b"".join(lines[2000:]))
    ref, home = base / "ref" / "graph", base / "home"
    ref.parent.mkdir()
    out: dict[str, Any] = {"base": base, "home": home, "files": {"first": first, "second": second}}
    for name, data in (("first", first), ("second", second)):
        report, write_at, total = Load(ref, data, home).timed()
        out[name] = {"report": report, "write_at": write_at, "seconds": total, "state": state(ref)}
        if name == "first":
            shutil.copyfile(ref, base / "after-first.graph")
    assert out["second"]["state"]["records"] == len(lines)
    return out


def _reload(db: Path, data: Path) -> dict[str, Any]:
    """The same load again, to the end (in this process: the CLI's own load_files)."""
    from debtorgraph.cli.load import load_files

    store = EmbeddedStore(db)
    try:
        return load_files(store, [str(data)], db.parent / "rejects.jsonl",
                          show_progress=False).as_dict()
    finally:
        store.close()


def test_sigkill_at_random_moments_leaves_a_consistent_store(caseload: dict[str, Any]) -> None:
    rng = random.Random(SEED)
    base, home = caseload["base"], caseload["home"]
    modes = [("anywhere", "write", "anywhere", "swapped", "anywhere", "write")[r % 6]
             for r in range(RUNS)]
    anywhere = modes.count("anywhere")
    plan = []
    for run, mode in enumerate(modes):
        on_top = run % 2 == 1                     # half the runs: a second load on a full store
        ref = caseload["second" if on_top else "first"]
        if mode == "write":                       # inside the write phase
            delay = rng.uniform(0, max(0.05, ref["seconds"] - ref["write_at"]))
        else:                                     # stratified over the whole load
            k, width = modes[:run].count("anywhere"), ref["seconds"] / max(1, anywhere)
            delay = rng.uniform(k * width, (k + 1) * width)
        db = base / f"run{run}" / "graph"
        db.parent.mkdir()
        if on_top:
            shutil.copyfile(base / "after-first.graph", db)
        plan.append((run, on_top, delay, mode, db))

    def start(i: int) -> Load | None:
        if i >= len(plan):
            return None
        _, on_top, _, _, db = plan[i]
        return Load(db, caseload["files"]["second" if on_top else "first"], home)

    summary: Counter[str] = Counter()
    upcoming = start(0)
    for i, (run, on_top, delay, mode, db) in enumerate(plan):
        load, upcoming = upcoming, start(i + 1)   # the next one imports while this one runs
        assert load is not None
        data = caseload["files"]["second" if on_top else "first"]
        ref = caseload["second" if on_top else "first"]
        before = caseload["first"]["state"] if on_top else EMPTY
        ended = load.kill_after(delay, mode, swaps=1 if on_top else 2)
        got = state(db)
        assert got in (before, ref["state"]), f"run {run}: {got} is neither before nor after"
        outcome = "old" if got == before else "new"
        summary[f"{mode}: {ended}, store {outcome}"] += 1
        # the next load completes, and its counts are exact
        again = _reload(db, data)
        report = ref["report"]
        assert again["balanced"] and again["rejected"] == report["rejected"]
        if outcome == "new":
            assert again["loaded"] == 0 and again["merged"] == again["entities_in"]
        else:
            assert (again["loaded"], again["merged"]) == (report["loaded"], report["merged"])
        assert state(db) == ref["state"], f"run {run}: counts after the reload differ"
        assert not list(db.parent.glob("graph.next*")), "a killed load's copy was left behind"
    print(f"\ncrash campaign, {RUNS} runs, seed {SEED}: {dict(summary)}")
    assert sum(n for k, n in summary.items() if "killed" in k) >= RUNS // 2


READER = r"""
import json, os, sys, time
from debtorgraph.graph.store.embedded import EmbeddedStore
db, stop = sys.argv[1], sys.argv[2]
nxt = db + ".next"
held = EmbeddedStore(db, read_only=True)
out = {"fresh": [], "held": [], "errors": [], "stale": None}
while not os.path.exists(stop):
    writing = os.path.exists(nxt)
    try:
        st = EmbeddedStore(db, read_only=True)
        n = st.run_read("MATCH (r:Record) RETURN count(r)").rows[0][0]
        st.close()
        m = held.run_read("MATCH (r:Record {id: $id}) RETURN count(r)", {"id": sys.argv[3]}).rows[0][0]
        h = held.run_read("MATCH (r:Record) RETURN count(r)").rows[0][0]
        writing = writing and os.path.exists(nxt)
        out["fresh"].append([n, writing])
        out["held"].append([h, m])
    except Exception as exc:
        out["errors"].append(str(exc)[:300])
    time.sleep(0.01)
out["stale"] = held.is_stale()
print(json.dumps(out))
"""


def test_readers_keep_answering_while_a_load_runs(caseload: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "graph"
    shutil.copyfile(caseload["base"] / "after-first.graph", db)
    stop = tmp_path / "stop"
    first_id = json.loads(caseload["files"]["first"].read_text().splitlines()[0])["id"]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), first_id],
                              stdout=subprocess.PIPE, text=True, env=_env(caseload["home"]))
    time.sleep(2.0)                              # the reader has opened and answered
    Load(db, caseload["files"]["second"], caseload["home"]).timed()
    time.sleep(1.0)
    stop.touch()
    out = json.loads(reader.communicate(timeout=120)[0])
    before, after = caseload["first"]["state"]["records"], caseload["second"]["state"]["records"]
    assert out["errors"] == []
    counts = [n for n, _ in out["fresh"]]
    assert set(counts) == {before, after} and counts == sorted(counts)   # old, then new
    assert sum(1 for n, writing in out["fresh"] if writing) >= 1, "no answer during the write"
    # a reader that stays open keeps its snapshot, and learns that it is stale
    assert {tuple(x) for x in out["held"]} == {(before, 1)}
    assert out["stale"] is True
