"""Memory during bulk work: freed pages back to the system, the cyclic GC paused.

A load parses millions of small objects, then Arrow tables, then ladybug COPYs. Each step
frees most of what the one before used, but the allocators (glibc's malloc, Arrow's
mimalloc pool) keep freed pages for reuse, so the process's resident size only ever
grows, and the peak of the last COPY sits on top of every earlier step's leftovers.
Returning them between steps cut the peak RSS of bench/load.py's 1M Payments from
2,076 MiB to 1,723 MiB.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterator

import pyarrow as pa

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_unused() -> None:
    """Return the free pages of Arrow's pool and of the C heap to the system (glibc only)."""
    pa.default_memory_pool().release_unused()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a load or a neighbourhood read makes millions of
    small objects and no cycles, and collections triggered by them cost up to ten times the
    work itself."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
