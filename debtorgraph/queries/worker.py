"""A user's Cypher on the embedded store, run in a worker process with time and memory limits.

The embedded engine runs in the caller's process, and some queries crash it (a segmentation
fault on ``MATCH (a)-[r]-(s)-[p]-(b), p = (s)-[]-(t), (t), (t)-[]-(b) RETURN p``) or fill its
buffer pool. A user's query therefore runs in a child process (``python -m
debtorgraph.queries.worker``) that opens the store read-only with its own small buffer pool:

- a crash of the engine ends only the child: :class:`QueryFailed` says so, and the app and
  the CLI live on;
- the engine's time limit is set in the child, and the parent kills the child when it
  overruns it by :data:`GRACE_S` (an engine stuck outside its own checks);
- memory: the child's buffer pool is ``DEBTORGRAPH_QUERY_MEMORY_MB`` (default 512); the
  parent also kills a child whose resident memory grows past twice that plus 256 MB;
- engine errors (syntax, unknown names, memory) become :class:`QueryFailed` with a message
  in Chinese first, then English, and the engine's own words after them.

Request and answer travel as pickles over the child's stdin and stdout (the child is this
package, started by the parent; nothing else writes to those pipes).
"""
from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import DebtorGraphError

__all__ = ["QueryFailed", "run_isolated", "memory_mb", "GRACE_S"]

#: Seconds the parent waits past the engine's own time limit before killing the child.
GRACE_S = 3.0
_POLL_S = 0.05


class QueryFailed(DebtorGraphError):
    """A user's query could not run: syntax, unknown name, time, memory, or an engine crash."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def memory_mb() -> int:
    """The buffer pool of a query worker, in MB (``DEBTORGRAPH_QUERY_MEMORY_MB``, default 512)."""
    try:
        return max(64, int(os.environ.get("DEBTORGRAPH_QUERY_MEMORY_MB", "512")))
    except ValueError:
        return 512


_KINDS = (
    (re.compile(r"^Parser exception", re.I), "syntax",
     "Cypher 语法错误，请检查查询 / Cypher syntax error, check the query"),
    (re.compile(r"^(Binder|Catalog) exception", re.I), "unknown",
     "查询引用了不存在的变量、属性、函数或类型 / The query names a variable, property, function or "
     "type that does not exist"),
    (re.compile(r"Buffer manager exception|Unable to allocate memory|out of memory", re.I), "memory",
     "查询所需内存超过上限，请缩小范围（如限定路径长度、加 LIMIT）/ The query needs more memory than "
     "allowed: narrow it (shorter paths, a LIMIT)"),
    (re.compile(r"interrupt|timeout", re.I), "timeout",
     "查询超时，请缩小范围 / The query ran out of time: narrow it"),
)


def explain(message: str) -> QueryFailed:
    """An engine error message as a QueryFailed, the reason in Chinese and English first.

    >>> explain("Parser exception: Invalid input <MATCH (n RETURN>").kind
    'syntax'
    """
    first = message.strip().splitlines()[0] if message.strip() else message
    for pattern, kind, text in _KINDS:
        if pattern.search(first):
            return QueryFailed(f"{text}。\n{message.strip()}", kind)
    return QueryFailed(f"查询未能执行 / The query could not run: {message.strip()}", "engine")


def _crash(code: int) -> QueryFailed:
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return QueryFailed(f"查询使引擎崩溃（{name}），已终止；应用与其他查询不受影响，请改写查询 / The query "
                       f"crashed the query engine ({name}) and was stopped; nothing else was affected. "
                       f"Rewrite the query.", "crash")


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_isolated(path: str | Path, cypher: str, params: dict[str, Any] | None = None, *,
                 timeout_ms: int, max_rows: int | None, pool_mb: int | None = None) -> Any:
    """Run a read query on the embedded store at ``path`` in a worker process.

    Returns the store's :class:`QueryResult`; raises :class:`QueryFailed` for an engine
    error, a time or memory overrun and a crash of the engine.
    """
    pool = pool_mb or memory_mb()
    request = pickle.dumps({"path": str(path), "cypher": cypher, "params": params or {},
                            "timeout_ms": int(timeout_ms), "max_rows": max_rows, "pool_mb": pool})
    env = dict(os.environ, DEBTORGRAPH_BUFFER_POOL_MB=str(pool))
    proc = subprocess.Popen([sys.executable, "-m", "debtorgraph.queries.worker"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    box: dict[str, bytes] = {}

    def talk() -> None:
        box["out"], box["err"] = proc.communicate(request)

    reader = threading.Thread(target=talk, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout_ms / 1000 + GRACE_S
    rss_cap = 2 * pool + 256
    killed = ""
    while reader.is_alive():
        reader.join(_POLL_S)
        if not reader.is_alive():
            break
        if time.monotonic() > deadline:
            killed = "timeout"
        elif _rss_mb(proc.pid) > rss_cap:
            killed = "memory"
        if killed:
            proc.kill()
            reader.join()
    if killed == "timeout":
        raise QueryFailed(f"查询超过时间上限（{timeout_ms / 1000:g} 秒），已终止 / The query ran past its "
                          f"time limit ({timeout_ms / 1000:g} s) and was stopped.", "timeout")
    if killed == "memory":
        raise QueryFailed(f"查询所用内存超过上限（{rss_cap} MB），已终止 / The query used more than "
                          f"{rss_cap} MB and was stopped: narrow it (shorter paths, a LIMIT).", "memory")
    if proc.returncode and proc.returncode < 0:
        raise _crash(proc.returncode)
    try:
        status, *rest = pickle.loads(box.get("out") or b"")
    except Exception as exc:  # the child died before answering (out of memory, killed)
        tail = (box.get("err") or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise QueryFailed(f"查询进程异常退出（{proc.returncode}）/ The query worker ended without an "
                          f"answer (exit {proc.returncode}): {tail[0]}", "crash") from exc
    if status == "ok":
        return rest[0]
    if status == "refused":
        raise rest[0]
    raise explain(str(rest[0]))


def _child() -> None:
    """The worker: read one request from stdin, answer on stdout, exit."""
    request = pickle.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    try:
        from ..graph.store.embedded import EmbeddedStore

        store = EmbeddedStore(request["path"], read_only=True)
        answer: tuple[Any, ...] = ("ok", store.run_read(request["cypher"], request["params"],
                                                       timeout_ms=request["timeout_ms"],
                                                       max_rows=request["max_rows"]))
    except DebtorGraphError as exc:
        answer = ("refused", exc)
    except Exception as exc:  # the engine's own error, explained by the parent
        answer = ("error", str(exc))
    out.write(pickle.dumps(answer))
    out.flush()
    os._exit(0)  # skip the engine's teardown: the answer is out


if __name__ == "__main__":
    _child()
