"""Writing the site, in one of two modes; either way a failed build changes nothing.

Full mode (no list of the previous build's files): the new site is written to `.public.tmp-PID` beside `public/`
and exchanged with it in one step where the system can (Linux's `renameat2(RENAME_EXCHANGE)`), else moved in with
two renames and the old site kept aside until the second is done. The output folder always holds a whole site, the
previous one or the new one; unchanged files are hard links to the old ones, so they keep their timestamps.

Patch mode (the caller passes the previous build's complete list of files): only files whose bytes changed are
written to `.public.tmp-PID`; unchanged files stay where they are, untouched. At the end, when at most MOVE_LIMIT
files changed, a journal naming the files to delete is written into the staging folder (under a temporary name,
flushed, then renamed), and from then on the update is rolled forward: the staged files are moved into `public/` one
by one, the stale files deleted and the folders they leave empty removed. This is much cheaper for a small change,
but not one step: a reader of the folder during that commit (measured: 1 ms for 2 files, 6-9 ms for 18) can see a
mix of old and new files. Ctrl-C waits for the commit to finish; a kill or a crash during it leaves the journal, and
the next build completes the update before anything else. When more files changed, the staged tree is made whole
with hard links to the unchanged files and exchanged with `public/` in one step, as in full mode.

An output folder that is a mount point (a Docker volume, a bind mount, a disk) cannot be renamed or exchanged: it is
updated in place as in patch mode, whatever the number of files, from a staging folder inside it
(`public/.sitegen-tmp-PID`, on the same file system, so each file is moved in by one rename). A build without a list
of the previous files compares the new site with the files it finds there. The guarantee is then patch mode's:
a reader never sees a half-written file, a failed build leaves the previous site untouched (only the hidden staging
folder appears in the output folder while the build writes, and it is removed), and a reader during the commit (a
few milliseconds per hundred files) can see old and new files side by side; a crash during the commit is finished
by the next build. A mount point that is not seen as one (a bind mount of a folder of the same file system, where
/proc/self/mountinfo cannot be read) is found when the exchange fails with EBUSY or EXDEV: the staged site is then
moved inside and committed the same way.

A build killed before its commit leaves only hidden folders beside the output (or inside it, for a mount point),
which the next build removes (restoring the old site first if the kill fell between the two renames of full mode).
Builds into the same folder take turns (a lock on the parent folder), so one build never removes another's work in
progress.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path, PurePosixPath

from ..errors import BuildError, SourceError, UnfinishedUpdate
from ..filelock import file_lock
from ..site.urls import inside

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STAGED = "files"
"""Patch mode: the staging folder's sub-folder of changed files (beside the journal, so no site path can clash)."""
_JOURNAL = "commit.json"


def folder_identity(path: Path) -> tuple[int, int] | None:
    """`(st_dev, st_ino)` of the folder at `path`, None when there is none: a build records it, and patches the
    output only while it is still the same folder (not one deleted and made again)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


def recover_interrupted(target: Path) -> None:
    """Clean up after a build killed midway: restore an output moved aside, finish a patch whose journal was
    written (if `target` is still the folder it was for), remove stale staging folders."""
    parent = target.parent
    if not parent.is_dir():
        return
    aside = sorted(parent.glob(f".{target.name}.old-*"))
    if aside and not os.path.lexists(target):
        aside[-1].rename(target)
        aside = aside[:-1]
    for stale in aside:
        _remove(stale)
    inside = sorted(target.glob(f"{INSIDE}*")) if target.is_dir() and not target.is_symlink() else []
    for staging in [*sorted(parent.glob(f".{target.name}.tmp-*")), *inside]:
        journal = _read_journal(staging)
        if journal is not None and journal[0] == folder_identity(target):
            _roll_forward(staging, target, journal[1])
        else:
            _remove(staging)


def _remove(folder: Path) -> None:
    """Delete a hidden folder of a build (a staging folder, an old site moved aside), also where the old site had
    read-only folders; what still cannot be deleted stays, and the next build tries again."""

    def writable_and_again(function: Callable[[str], object], path: str, _info: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), stat.S_IRWXU)
            function(path)

    shutil.rmtree(folder, onerror=writable_and_again)


def _write_file(dest: Path, data: bytes) -> None:
    dest.write_bytes(data)


def _swap(staging: Path, target: Path) -> None:
    if not os.path.lexists(target):
        staging.rename(target)
        return
    if _exchange(staging, target):
        _remove(staging)  # it holds the previous site now
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}"
    target.rename(aside)
    try:
        staging.rename(target)
    except BaseException:
        if not os.path.lexists(target):
            aside.rename(target)
        raise
    _remove(aside)


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
    return bool(renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0)


LOCK_SUFFIX = ".sitegen-lock"
"""The lock file beside an output folder: `.public.sitegen-lock`."""


@contextlib.contextmanager
def output_lock(target: Path, on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the lock of the output folder `target` while the block runs, so builds into one folder take turns: one
    reads the folder's state, writes and commits while the others wait. It is a `file_lock` on a file beside the
    folder (`.public.sitegen-lock`). When another build holds it, `on_wait` is told that build's process id (None when
    unknown) first."""
    target = target.resolve() if target.is_symlink() else target
    path = target.parent / f".{target.name}{LOCK_SUFFIX}"
    with contextlib.ExitStack() as held:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            held.enter_context(file_lock(path, on_wait=on_wait))
        except OSError as exc:
            raise BuildError([SourceError(target.parent, f"cannot create the output folder: {exc.strerror or exc}")]
                             ) from exc
        yield


class Stage:
    """A new site being written beside the old one. Files whose bytes did not change are hard links to the old
    site's files, so their timestamps stay and upload tools skip them. Safe to use from forked worker processes:
    it holds only paths."""

    def __init__(self, staging: Path, previous: Path | None) -> None:
        self.root = staging
        self.previous = previous if previous is not None and previous.is_dir() else None
        self._made: set[Path] = set()
        """Folders this process made (or found) in the staging folder: one mkdir per folder, not per file."""
        self.paths: frozenset[str] | None = None

    def _make_parent(self, dest: Path) -> None:
        folder = dest.parent
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)

    def write(self, path: str, data: bytes) -> None:
        """Write generated bytes (linking the old file instead when it holds the same bytes)."""
        dest = self.root / path
        self._make_parent(dest)
        if self.previous is not None and _holds(self.previous / path, data) and _link(self.previous / path, dest):
            return
        _write_file(dest, data)

    def keep(self, path: str) -> bool:
        """Carry the old site's file over unchanged; False when there is none."""
        if self.previous is None or _regular_size(self.previous / path) is None:
            return False
        dest = self.root / path
        self._make_parent(dest)
        return _link(self.previous / path, dest)

    def keep_all(self, paths: Collection[str]) -> bool:
        """Carry every file of `paths` over from the old site, or none (False) when one is not there: all are looked
        for before any is linked, so a group of files (a part of the search index) is never kept in half."""
        if self.previous is None or any(_regular_size(self.previous / path) is None for path in paths):
            return False
        return all(self.keep(path) for path in paths)

    def copy(self, path: str, source: Path) -> None:
        """Copy a file as it is (linking the old copy when the bytes are the same)."""
        dest = self.root / path
        self._make_parent(dest)
        if self.previous is not None and _holds(self.previous / path, source) and _link(self.previous / path, dest):
            return
        shutil.copyfile(source, dest)

    def finish(self, paths: Collection[str]) -> None:
        """Name every file of the new site (needed in patch mode, and where the output folder cannot be exchanged)."""
        self.paths = frozenset(paths)


class PatchStage(Stage):
    """The files of the new site whose bytes changed, staged to be moved into the output folder, where the others
    stay untouched (same inode, same timestamps). Safe to use from forked worker processes (`write`, `copy`); the
    parent calls `finish` with every file of the new site before the block ends.

    It trusts that the output folder holds the files the previous build wrote (`previous`): looking at each of them
    would cost a disk read per folder once the system has dropped them from its cache (measured at 10,000 pages:
    1.5 s of a 3.4 s no-change rebuild)."""

    def __init__(self, staging: Path, target: Path, previous: Collection[str] = ()) -> None:
        super().__init__(staging, target)
        self.target = target
        self.written_before = frozenset(previous)

    def write(self, path: str, data: bytes) -> None:
        """Stage generated bytes, unless the output folder's file already holds them."""
        if _holds(self.target / path, data):
            return
        dest = self.root / path
        self._make_parent(dest)
        _write_file(dest, data)

    def keep(self, path: str) -> bool:
        """Leave the output folder's file as it is; False when the previous build did not write it."""
        return path in self.written_before

    def keep_all(self, paths: Collection[str]) -> bool:
        """Leave every file of `paths` as it is; False when the previous build did not write one of them."""
        return self.written_before.issuperset(paths)

    def copy(self, path: str, source: Path) -> None:
        """Stage a copy of `source`, unless the output folder's file already holds its bytes."""
        if _holds(self.target / path, source):
            return
        dest = self.root / path
        self._make_parent(dest)
        shutil.copyfile(source, dest)

    def stale_paths(self, previous_paths: Collection[str]) -> list[str]:
        """The previous build's files that the new site does not have."""
        if self.paths is None:
            raise RuntimeError("staged_output: patch mode needs Stage.finish(paths) before the block ends; without "
                               "it the stale files are unknown, so the output folder was left as it was")
        return sorted(set(previous_paths) - self.paths)


@contextlib.contextmanager
def staged_output(target: Path, previous_paths: Collection[str] | None = None) -> Iterator[Stage]:
    """Build the new site in a folder beside `target` and put it in place when the block ends without an error; on
    an error the staging folder is removed and `target` stays as it was.

    Without `previous_paths`, or when `target` is not a folder, the whole site is staged and swapped in. With it
    (every file of the build that made `target`), only changed files are staged and then moved into `target`, and
    files of `previous_paths` missing from the Stage's `finish` list are deleted (patch mode).

    The caller holds `output_lock(target)` around this block and whatever it read of `target` to choose the mode."""
    if target.is_symlink():
        target = target.resolve()
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError([SourceError(parent, f"cannot create the output folder: {exc.strerror or exc}")]) from exc
    recover_interrupted(target)
    staging = parent / f".{target.name}.tmp-{os.getpid()}"
    inside = target.is_dir() and is_mount_point(target)
    if inside:  # it cannot be exchanged: update it in place, from a staging folder inside it (same file system)
        staging = target / f"{INSIDE}{os.getpid()}"
        previous_paths = _present_files(target) if previous_paths is None else previous_paths
    patch = previous_paths is not None and target.is_dir()
    stage = PatchStage(staging / _STAGED, target, previous_paths or ()) if patch else Stage(staging, target)
    stale: list[str] = []
    try:
        staging.mkdir()
        yield stage
        whole: Path | None = staging  # the whole new site, to exchange with `target`
        if isinstance(stage, PatchStage):
            stale = stage.stale_paths(previous_paths or ())
            whole = None
            if not inside and _more_files_than(stage.root, MOVE_LIMIT):  # too many to move one by one
                _complete(stage.root, target, stage.paths or ())
                whole = stage.root
            else:
                _check_writable(stage.root, target, stale)
                _write_journal(staging, folder_identity(target), stale)
        if whole is not None:
            try:
                _swap(whole, target)
                _remove(staging)
                patch = False
            except OSError as exc:
                if exc.errno not in (errno.EBUSY, errno.EXDEV) or not target.is_dir():
                    raise
                # A mount point that is_mount_point did not see (a bind mount of a folder of the same file system):
                # its files are moved in one by one, from a staging folder inside it.
                beside, staging = staging, _move_inside(whole, target)
                _remove(beside)
                stale = sorted(set(_present_files(target)) - (stage.paths or frozenset()))
                _check_writable(staging / _STAGED, target, stale)
                _write_journal(staging, folder_identity(target), stale)
                patch = True
    except OSError as exc:
        _remove(staging)
        where = Path(exc.filename) if isinstance(exc.filename, str) else target
        for root in (stage.root, staging / _STAGED):
            if where.is_relative_to(root):
                where = target / where.relative_to(root)
        hint = None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            hint = "the previous site is still there, untouched; make the folder writable, or pass another --output"
        raise BuildError([SourceError(where, f"cannot write the site: {exc.strerror or exc}", hint=hint)]) from exc
    except BaseException:
        _remove(staging)
        raise
    if patch:
        try:
            _roll_forward(staging, target, stale)
        except KeyboardInterrupt:
            _roll_forward(staging, target, stale)  # finish what the journal promised, then stop
            raise


MOVE_LIMIT = 100
"""An update in place moves at most this many files into the output folder one by one, a window of a few
milliseconds in which a reader may see old and new files side by side; a larger one makes the staged tree whole
(hard links to the unchanged files) and exchanges it with the output folder in one step."""


INSIDE = ".sitegen-tmp-"
"""The staging folder inside an output folder that cannot be exchanged (a mount point): `public/.sitegen-tmp-PID`."""
LOST_FOUND = "lost+found"
"""A file system's own folder at its root, which a build into a mounted disk leaves alone."""


def is_mount_point(folder: Path) -> bool:
    """True when `folder` is the root of a mount (a Docker volume, a bind mount, a disk): it cannot be renamed or
    exchanged. A bind mount of a folder of the same file system is only seen in /proc/self/mountinfo (Linux)."""
    if os.path.ismount(folder):
        return True
    try:
        with open("/proc/self/mountinfo", "rb") as handle:
            table = handle.read()
    except OSError:
        return False
    real = os.fsencode(os.path.realpath(folder))
    for line in table.splitlines():
        fields = line.split(b" ")
        if len(fields) > 4 and _unescape(fields[4]) == real:
            return True
    return False


def _unescape(field: bytes) -> bytes:
    """A path from /proc/self/mountinfo, where a space, tab, newline and backslash are written as octal escapes."""
    for code in (b"040", b"011", b"012", b"134"):
        field = field.replace(b"\\" + code, bytes([int(code, 8)]))
    return field


def _present_files(target: Path) -> list[str]:
    """Every file in `target` (relative paths), but for what a build must not count as the site's: its staging
    folders inside the output folder, and a file system's lost+found."""
    found: list[str] = []
    for folder, folders, names in os.walk(target):
        relative = Path(folder).relative_to(target)
        if relative == Path("."):
            folders[:] = [name for name in folders if site_entry(name)]
            names = [name for name in names if site_entry(name)]
        found.extend((relative / name).as_posix() for name in names)
    return found


def site_entry(name: str) -> bool:
    """False for an entry at the top of an output folder that is not part of a site: a build's staging folder inside
    it, a file system's lost+found."""
    return not name.startswith(INSIDE) and name != LOST_FOUND


def _move_inside(tree: Path, target: Path) -> Path:
    """Move the staged site `tree` (beside `target`) into a new staging folder inside `target`, as its `files`
    sub-folder, copying it when `target` is on another file system; the staging folder."""
    staging = target / f"{INSIDE}{os.getpid()}"
    staging.mkdir()
    try:
        os.rename(tree, staging / _STAGED)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copytree(tree, staging / _STAGED, symlinks=True)
    return staging


def _check_writable(files: Path, target: Path, stale: Collection[str]) -> None:
    """Raise PermissionError naming the first folder of `target` that an update in place would write in but may
    not (a read-only output folder, or one of its folders): found before the journal is written, when the output
    folder is still untouched, rather than after some files were moved in."""
    folders: set[Path] = set()
    for folder, _folders, names in os.walk(files):
        if names:
            folders.add(target / Path(folder).relative_to(files))
    folders.update((target / path).parent for path in stale if inside(path))
    for place in sorted(folders):
        while place != target and not os.path.lexists(place):  # made by the update: its parent is written
            place = place.parent
        if os.path.isdir(place) and not os.access(place, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(place))


def _more_files_than(folder: Path, limit: int) -> bool:
    count = 0
    for _folder, _folders, names in os.walk(folder):
        count += len(names)
        if count > limit:
            return True
    return False


def _complete(files: Path, target: Path, paths: Collection[str]) -> None:
    """Make the staged tree `files` the whole new site: each file of `paths` that was not staged is linked from
    `target` (the output folder, whose file is unchanged); one deleted there by hand stays missing, as it would."""
    made: set[Path] = set()
    for path in paths:
        dest = files / path
        if os.path.lexists(dest):
            continue
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        try:
            os.link(target / path, dest)
        except FileNotFoundError:
            continue
        except OSError:
            shutil.copy2(target / path, dest)


def _link(old: Path, dest: Path) -> bool:
    try:
        os.link(old, dest)
    except OSError:
        return False
    return True


def _holds(old: Path, new: bytes | Path) -> bool:
    """True when `old` is a regular file with the bytes `new` holds (or the file `new` holds); sizes first."""
    size = len(new) if isinstance(new, bytes) else new.stat().st_size
    if _regular_size(old) != size:
        return False
    return old.read_bytes() == (new if isinstance(new, bytes) else new.read_bytes())


def holds_files(target: Path, paths: Iterable[str]) -> bool:
    """Whether every one of `paths` is a regular file in the folder `target` (one `lstat` each)."""
    return all(_regular_size(target / path) is not None for path in paths)


def _regular_size(path: Path) -> int | None:
    """The size of the regular file at `path`; None when it is missing, a link or not a file."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _write_journal(staging: Path, folder: tuple[int, int] | None, stale: list[str]) -> None:
    """Record the patch's deletions in `staging`; once the journal has its final name the patch is rolled forward,
    by this build or, if it is killed, by the next."""
    temporary = staging / f"{_JOURNAL}.partial"
    with open(temporary, "wb") as handle:
        handle.write(json.dumps({"folder": folder, "delete": stale}).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, staging / _JOURNAL)
    with contextlib.suppress(OSError):  # the rename made durable too, where a folder can be synced
        folder_fd = os.open(staging, os.O_RDONLY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


def _read_journal(staging: Path) -> tuple[tuple[int, int], list[str]] | None:
    """The output folder's identity and the paths to delete, from a complete journal; None when there is none."""
    try:
        data = json.loads((staging / _JOURNAL).read_bytes())
        folder, stale = data["folder"], data["delete"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(folder, list) and len(folder) == 2 and all(isinstance(n, int) for n in folder)
            and isinstance(stale, list) and all(isinstance(p, str) for p in stale)):
        return None
    return (folder[0], folder[1]), stale


def _roll_forward(staging: Path, target: Path, stale: list[str]) -> None:
    """Move the staged files into `target`, delete the stale ones and the folders they leave empty, then remove
    `staging`. Safe to run again after an interruption: a file already moved or deleted is skipped."""
    files = staging / _STAGED
    try:
        for folder, _folders, names in os.walk(files):
            for name in names:
                source = os.path.join(folder, name)
                _move_into(source, target, PurePosixPath(Path(source).relative_to(files).as_posix()))
        for path in stale:
            _delete_stale(target, path)
    except OSError as exc:
        named = exc.filename2 if isinstance(exc.filename2, str) else exc.filename  # os.replace: the destination
        where = Path(named) if isinstance(named, str) else target
        if where.is_relative_to(files):
            where = target / where.relative_to(files)
        raise UnfinishedUpdate([SourceError(where, f"cannot finish updating the site: {exc.strerror or exc}",
                                      hint=f"{staging.name} beside it holds the rest; the next build finishes the "
                                      "update")]) from exc
    _remove(staging)


def _move_into(source: str, target: Path, path: PurePosixPath) -> None:
    """Move a staged file to `target/path`, making its folders; what stands in the way (a file where a folder is
    needed, a folder where the file goes) is not part of the new site and is removed."""
    dest = target / path
    try:
        os.replace(source, dest)
        return
    except IsADirectoryError:
        shutil.rmtree(dest)
    except (FileNotFoundError, NotADirectoryError):
        _make_folders(target, path.parent)
    os.replace(source, dest)


def _make_folders(target: Path, folder: PurePosixPath) -> None:
    current = target
    for part in folder.parts:
        current = current / part
        if os.path.isdir(current) and not os.path.islink(current):
            continue
        if os.path.lexists(current):
            current.unlink()
        current.mkdir()


def _delete_stale(target: Path, path: str) -> None:
    """Delete `target/path` unless it is already gone, then the folders above it that are left empty (never
    `target`)."""
    if not inside(path):
        return
    pure = PurePosixPath(path)
    try:
        os.unlink(target / pure)
    except (FileNotFoundError, NotADirectoryError):
        pass  # deleted already, or a new file took the place of its folder
    except OSError:
        if not os.path.isdir(target / pure):  # a new folder took its place
            raise
    for folder in pure.parents[:-1]:
        try:
            os.rmdir(target / folder)
        except OSError:
            break
