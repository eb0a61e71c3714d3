"""Using every core: Markdown parsed and pages rendered in worker processes.

Workers are forked (where the system can fork) after the data they need exists, so nothing large is sent to them:
they inherit it. Each worker writes the pages it renders straight into the staging folder and sends back only
small results. Where fork is unavailable, or the work is small, everything runs in this process. The process
machinery (multiprocessing, concurrent.futures, ctypes) is imported only when workers are started: a rebuild that
parses and renders nothing does not pay for it.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Set in this process just before forking, read by the forked workers: the task and its shared data.
_forked: dict[str, Any] = {}


def worker_count() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def map_chunks(task: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, workers: int | None = None,
               chunk: int = 64, minimum: int = 96, on_done: Callable[[int], None] | None = None) -> list[R]:
    """`task` over `items` in chunks, in forked workers when there is enough work; results keep the items' order.
    `task` runs in the workers as forked, so it may use anything this process holds."""
    workers = worker_count() if workers is None else workers
    if workers < 2 or len(items) < minimum or not _can_fork():
        results: list[R] = []
        for start in range(0, len(items), chunk):
            results.extend(task(items[start:start + chunk]))
            if on_done:
                on_done(min(chunk, len(items) - start))
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(8, min(chunk, -(-len(items) // (workers * 4))))
    ranges = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _forked["task"], _forked["items"], _forked["parent"] = task, items, os.getpid()
    frozen_before = gc.get_freeze_count()
    gc.freeze()  # what the workers inherit is never scanned by their collector, so its pages stay shared
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker) as pool:
            parts: list[list[R]] = []
            for (start, end), part in zip(ranges, pool.map(_run_range, ranges), strict=True):
                parts.append(part)
                if on_done:
                    on_done(end - start)
    finally:
        _forked.clear()
        if not frozen_before:  # the preview server freezes its site for good: leave that as it was
            gc.unfreeze()
    return [result for part in parts for result in part]


_FEWER_COLLECTIONS = (50_000, 20, 100)
"""Collector thresholds for a build: it makes hundreds of thousands of objects that live until it ends and hold no
cycles, which the default thresholds (700, 10, 10) have the collector walk again and again."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while the block runs (a build); the thresholds are restored after it."""
    before = gc.get_threshold()
    gc.set_threshold(*_FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _start_worker() -> None:
    _die_with_parent(_forked["parent"])
    for name in ("SIGTERM", "SIGHUP"):  # the parent stops gracefully on these; a worker just ends
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    # Parsing and rendering make many short-lived objects: collecting the young ones less often saves about 5%.
    gc.set_threshold(*_FEWER_COLLECTIONS)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the system kill this worker when the process that forked it ends, however it ends (kill -9, a SIGTERM
    from a CI timeout, SIGHUP when the terminal closes): a worker left behind would wait on the pool's pipes for
    ever, holding the staging folder's files. Linux's prctl(PR_SET_PDEATHSIG); if the parent is already gone when
    this runs, the worker leaves at once."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
            pass
    if os.getppid() != parent:
        os._exit(1)


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    start, end = bounds
    results: list[Any] = _forked["task"](_forked["items"][start:end])
    return results


def _can_fork() -> bool:
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
