"""Writing the site: into a folder beside the output, then swapped in, so a failed build changes nothing.

The output folder always holds a whole site, the previous one or the new one, whatever happens: the new site is
written to `.public.tmp-PID` beside `public/` and exchanged with it in one step where the system can (Linux's
`renameat2(RENAME_EXCHANGE)`), else moved in with two renames and the old site kept aside until the second is done.
A build killed midway leaves only hidden folders beside the output, which the next build removes (restoring the old
site first if the kill fell between the two renames). Builds into the same folder take turns (a lock on the parent
folder), so one build never removes another's work in progress.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .errors import BuildError, SourceError
from .render import Output

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def check_output_dir(target: Path, root: Path) -> SourceError | None:
    """Refuse an output folder that would replace the site's sources, that is a file, or that holds files but not a
    site (a mistyped --output must not wipe a folder of documents)."""
    target, root = target.resolve(), root.resolve()
    if target == root or target in root.parents or (root / "content") in (target, *target.parents):
        return SourceError(target, "the output folder must not contain the site's sources",
                           hint="use a folder of its own, such as public/")
    if target.exists() and not target.is_dir():
        return SourceError(target, "the output folder is a file", hint="remove it, or pass another --output")
    if target.is_dir() and not (target / "index.html").is_file() and any(target.iterdir()):
        return SourceError(target, "the output folder holds files but no site (no index.html); a build replaces "
                           "the whole folder, so sitegen will not use this one",
                           hint="empty it, or pass another --output")
    return None


def check_output_paths(out: Output) -> list[SourceError]:
    """Every path stays inside the output folder, and no path is claimed by a page and a copied file."""
    errors = []
    for path in sorted(out.paths):
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not path:
            errors.append(SourceError(Path(path), "refusing to write outside the output folder"))
    for path in sorted(set(out.files) & set(out.copies)):
        errors.append(SourceError(out.copies[path], f"this file would overwrite the generated /{path}",
                                  hint="rename or remove the static file"))
    return errors


def recover_interrupted(target: Path) -> None:
    """Clean up after a build killed midway: restore an output moved aside, remove stale staging folders."""
    parent = target.parent
    if not parent.is_dir():
        return
    aside = sorted(parent.glob(f".{target.name}.old-*"))
    if aside and not os.path.lexists(target):
        aside[-1].rename(target)
        aside = aside[:-1]
    for stale in [*aside, *parent.glob(f".{target.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _write_file(dest: Path, data: bytes) -> None:
    dest.write_bytes(data)


def _swap(staging: Path, target: Path) -> None:
    if not os.path.lexists(target):
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it holds the previous site now
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}"
    target.rename(aside)
    try:
        staging.rename(target)
    except BaseException:
        if not os.path.lexists(target):
            aside.rename(target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux `renameat2` with RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    return renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0


@contextlib.contextmanager
def _turn(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (where the system has `flock`), so builds into it take turns."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


class Stage:
    """A new site being written beside the old one. Files whose bytes did not change are hard links to the old
    site's files, so their timestamps stay and upload tools skip them. Safe to use from forked worker processes:
    it holds only paths."""

    def __init__(self, staging: Path, previous: Path | None) -> None:
        self.root = staging
        self.previous = previous if previous is not None and previous.is_dir() else None

    def write(self, path: str, data: bytes) -> None:
        """Write generated bytes (linking the old file instead when it holds the same bytes)."""
        dest = self.root / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = self._old(path)
        if old is not None and old.stat().st_size == len(data) and old.read_bytes() == data and _link(old, dest):
            return
        _write_file(dest, data)

    def keep(self, path: str) -> bool:
        """Carry the old site's file over unchanged; False when there is none."""
        old = self._old(path)
        if old is None:
            return False
        dest = self.root / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        return _link(old, dest)

    def copy(self, path: str, source: Path) -> None:
        """Copy a file as it is (linking the old copy when the bytes are the same)."""
        dest = self.root / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        old = self._old(path)
        if old is not None and old.stat().st_size == source.stat().st_size and old.read_bytes() == source.read_bytes() \
                and _link(old, dest):
            return
        shutil.copyfile(source, dest)

    def _old(self, path: str) -> Path | None:
        if self.previous is None:
            return None
        old = self.previous / path
        return old if old.is_file() and not old.is_symlink() else None


@contextlib.contextmanager
def staged_output(target: Path) -> Iterator[Stage]:
    """Build the new site in a folder beside `target` and swap it in when the block ends without an error; on an
    error the staging folder is removed and `target` stays as it was."""
    if target.is_symlink():
        target = target.resolve()
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError([SourceError(parent, f"cannot create the output folder: {exc.strerror or exc}")]) from exc
    with _turn(parent):
        recover_interrupted(target)
        staging = parent / f".{target.name}.tmp-{os.getpid()}"
        try:
            staging.mkdir()
            yield Stage(staging, target)
            _swap(staging, target)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            where = Path(exc.filename) if isinstance(exc.filename, str) else target
            if where.is_relative_to(staging):
                where = target / where.relative_to(staging)
            raise BuildError([SourceError(where, f"cannot write the site: {exc.strerror or exc}")]) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _link(old: Path, dest: Path) -> bool:
    try:
        os.link(old, dest)
    except OSError:
        return False
    return True
