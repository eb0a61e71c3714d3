"""A lock that processes take turns on: a POSIX record lock on a file, which belongs to the process that took it
(worker processes forked from it do not inherit it) and which the system drops when the process ends, however it
ends, so it cannot outlive its holder. The file holds the holder's process id, for the message of whoever waits, and
is removed when the lock is released; a process that locked a file since removed tries again."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class LockBusy(Exception):
    """Another process held the lock for longer than the caller would wait; `pid` is its process id, if known."""

    def __init__(self, pid: int | None) -> None:
        super().__init__(pid)
        self.pid = pid


@contextlib.contextmanager
def file_lock(path: Path, *, wait: float | None = None,
              on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the lock of `path` while the block runs. When another process holds it, `on_wait` is told that process's
    id (None when unknown) once, then this one waits: for ever when `wait` is None, else up to `wait` seconds, and
    then raises LockBusy. OSError when the lock file cannot be made. Where the system has no such locks (Windows),
    the block runs without one."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: processes do not take turns
        yield
        return
    deadline = None if wait is None else time.monotonic() + wait
    told = False
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(handle)
            if on_wait is not None and not told:
                on_wait(holder)
                told = True
            if deadline is None:
                fcntl.lockf(handle, fcntl.LOCK_EX)
            elif time.monotonic() >= deadline:
                os.close(handle)
                raise LockBusy(holder) from None
            else:
                os.close(handle)
                time.sleep(0.05)
                continue
        if _same_file(handle, path):
            break
        os.close(handle)  # the holder removed it as it finished: lock the file that is there now
    try:
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(handle)  # drops the lock


def _same_file(handle: int, path: Path) -> bool:
    try:
        held, there = os.fstat(handle), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _holder(handle: int) -> int | None:
    """The process id the holder of the lock wrote into the lock file, if it can be read."""
    try:
        text = os.pread(handle, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
