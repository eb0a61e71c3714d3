"""Finding the site's sources: posts and pages under content/, the files published beside a bundle's index, and the
static files.

Folders are listed with care, since what is in them is the author's, not ours: a symbolic link that goes round in a
loop, a folder that cannot be read and a name that is not UTF-8 (it cannot become an address) are errors naming
them, never a crash or a walk without end. Links to folders are followed, and a file published as it is (a static
file, a file beside a post) must lie inside the site or its theme, through links too, as the preview serves it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import SourceError
from .decode import read_source_text

CONTENT_DIR = "content"
KINDS = ("posts", "pages")
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
MAX_FOLDER_DEPTH = 64
"""How deep the folders of static files and of files beside a post may nest (a file system allows thousands of
levels, more than the folders written for them can be made in)."""
MAX_LINKED_FOLDERS = 1000
"""How many links to folders one walk follows: no loop can form without one coming back, but links that each lead
to a folder of several links to the next could make a walk that ends only after billions of files."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Markdown file to build, and the folder of files published beside it (for `slug/index.md` posts)."""

    path: Path
    kind: str
    """'posts' or 'pages'."""
    bundle: Path | None = None
    bundle_files: tuple[str, ...] = ()
    """The files published beside the index, relative to the bundle ('images/chart.svg')."""


class Entry(NamedTuple):
    """A file or folder found in a folder (through a symbolic link, when it is one)."""

    path: Path
    name: str
    is_dir: bool
    """A folder; else a regular file."""
    is_link: bool


def list_folder(folder: Path, problems: list[SourceError], *, hidden: bool = False) -> list[Entry]:
    """The files and folders in `folder` by name, through links; hidden ones (a name starting with '.') only when
    `hidden`. Broken links and special files (sockets, devices) are left out; a link that goes round in a loop or
    leads to a folder it is in, and anything that cannot be read, is an error in `problems` and left out. A folder
    that does not exist has nothing in it."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        problems.append(unreadable(folder, exc))
        return []
    here: str | None = None
    listed = []
    for entry in entries:
        if not hidden and entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:  # a link round a loop, a file that cannot be looked at
            problems.append(unreadable(path, exc))
            continue
        if not is_dir and not is_file:
            continue
        if is_link and is_dir:
            here = here or os.path.realpath(folder)
            if _within(here, [os.path.realpath(path)]):
                problems.append(_loop(path))
                continue
        listed.append(Entry(path, entry.name, is_dir, is_link))
    return listed


def name_problem(path: Path, *, folder: bool = False) -> SourceError | None:
    """An error when the name of `path` is not UTF-8 (Python keeps such a byte as a lone surrogate): sitegen makes
    addresses of names, and an address is UTF-8."""
    name = path.name
    try:
        name.encode()
        return None
    except UnicodeEncodeError as exc:
        bad = name[exc.start]
    what = "folder" if folder else "file"
    return SourceError(path, f"the {what} name is not valid UTF-8 (byte 0x{ord(bad) - 0xDC00:02x})",
                       hint=f"rename the {what}: names become the site's addresses, which must be UTF-8")


def unreadable(path: Path, exc: OSError) -> SourceError:
    """The error for a file or folder the system refuses to read."""
    if exc.errno == errno.ELOOP:
        return _loop(path)
    return SourceError(path, f"cannot read it: {exc.strerror or exc}")


def _loop(path: Path) -> SourceError:
    try:
        target = f" (it points to {os.readlink(path)!r})"
    except OSError:
        target = ""
    return SourceError(path, f"symbolic link loop: following this link leads back to where it is{target}",
                       hint="remove the link, or point it at the file or folder you mean")


def discover_sources(root: Path) -> tuple[list[SourceFile], list[SourceError]]:
    """Every post and page under `root/content`, in a stable order, and the problems found looking for them.

    A folder with an `index.md` is a bundle: the index is the post, the rest its files. Other folders of posts are
    walked into (Hugo's sections, `2019/`), with the care `walk_files` takes: no loops, no links out of the site, at
    most MAX_FOLDER_DEPTH deep. A name starting with '_' (Hugo's `_index.md`, Jekyll's `_drafts`) is left out."""
    found: list[SourceFile] = []
    problems: list[SourceError] = []
    roots = [os.path.realpath(root)]
    for kind in KINDS:
        top = root / CONTENT_DIR / kind
        pending: list[tuple[Path, tuple[str, ...]]] = [(top, (os.path.realpath(top),))]
        followed = 0
        while pending:
            folder, above = pending.pop()
            inner: list[tuple[Path, tuple[str, ...]]] = []
            for entry in list_folder(folder, problems):
                index = None
                if entry.name.startswith("_"):
                    continue
                if entry.is_dir:
                    index = next((entry.path / f"index{s}" for s in MARKDOWN_SUFFIXES
                                  if (entry.path / f"index{s}").is_file()), None)
                    if index is None:
                        if kind == "posts" and (below := _folder_below(entry, above, roots, problems)):
                            followed += entry.is_link
                            if followed > MAX_LINKED_FOLDERS:
                                problems.append(SourceError(top, f"more than {MAX_LINKED_FOLDERS} links to folders "
                                                            "are followed in this folder",
                                                            hint="link fewer folders, or copy them"))
                                pending, inner = [], []
                                break
                            inner.append((entry.path, below))
                        continue
                elif os.path.splitext(entry.name)[1].lower() not in MARKDOWN_SUFFIXES:
                    continue
                if (problem := name_problem(entry.path, folder=entry.is_dir)) is not None:
                    problems.append(problem)
                elif index is None:
                    found.append(SourceFile(entry.path, kind))
                else:
                    found.append(SourceFile(index, kind, entry.path, walk_files(entry.path, [root], problems, index)))
            pending.extend(reversed(inner))  # folders in order of their names, depth first
    return found, problems


def _folder_below(entry: Entry, above: tuple[str, ...], roots: Sequence[str],
                  problems: list[SourceError]) -> tuple[str, ...] | None:
    """The resolved folders down to the folder `entry` (found in the folder `above[-1]`), when it may be walked
    into; None, and the reason in `problems`, when it may not."""
    if (problem := name_problem(entry.path, folder=True)) is not None:
        problems.append(problem)
        return None
    real = os.path.realpath(entry.path) if entry.is_link else os.path.join(above[-1], entry.name)
    if entry.is_link and not _within(real, roots):
        problems.append(_outside(entry.path, real))
    elif real in above:
        problems.append(_loop(entry.path))
    elif len(above) > MAX_FOLDER_DEPTH:
        problems.append(SourceError(entry.path, f"folders nested more than {MAX_FOLDER_DEPTH} deep",
                                    hint="nest them less deeply"))
    else:
        return (*above, real)
    return None


REDIRECTS = "_redirects"
"""A static `_redirects` holds the site's own redirect rules: the generated `_redirects` starts with them."""


@dataclass(frozen=True, slots=True)
class StaticFiles:
    """The static files of a site and its themes, and the site's own redirect rules."""

    files: dict[str, Path]
    """Output path -> file to copy."""
    redirects: str | None
    """The text of the static `_redirects`, if there is one (it is not copied as it is), decoded and cleaned as
    every author's file is."""
    problems: list[SourceError]


def discover_static(folders: list[Path], inside: Sequence[Path]) -> StaticFiles:
    """Static files by output path, from `folders` in order of precedence, lowest first (a later folder's file
    replaces an earlier one's: the site's `static/` over its theme's over the default theme's), each inside one of
    the folders `inside` (the site's and its themes'); and the text of the static `_redirects`."""
    found: dict[str, Path] = {}
    problems: list[SourceError] = []
    for folder in folders:
        found.update((relative, folder / relative) for relative in walk_files(folder, inside, problems))
    own = found.pop(REDIRECTS, None)
    text = None
    if own is not None:
        try:
            text, decoding = read_source_text(own.read_bytes(), own)
        except OSError as exc:
            decoding = [unreadable(own, exc)]
        problems.extend(decoding)
    return StaticFiles(found, text, problems)


def walk_files(folder: Path, inside: Sequence[Path], problems: list[SourceError],
               skip: Path | None = None) -> tuple[str, ...]:
    """Every file under `folder` but hidden ones (a name starting with '.') and `skip`, as sorted relative POSIX
    paths, through links to folders. A link that leads out of the folders `inside`, a loop and a name that is not
    UTF-8 are errors in `problems`, and left out."""
    try:
        if not stat.S_ISDIR(os.stat(folder).st_mode):
            return ()
    except FileNotFoundError:
        return ()
    except OSError as exc:
        problems.append(unreadable(folder, exc))
        return ()
    roots = [os.path.realpath(p) for p in inside]
    start = os.path.realpath(folder)
    if not _within(start, roots):
        problems.append(_outside(folder, start))
        return ()
    found: list[str] = []
    pending: list[tuple[Path, str, tuple[str, ...]]] = [(folder, "", (start,))]
    followed = 0
    while pending:
        current, prefix, above = pending.pop()
        inner: list[tuple[Path, str, tuple[str, ...]]] = []
        for entry in list_folder(current, problems, hidden=True):
            if entry.is_dir:
                below = _folder_below(entry, above, roots, problems)
                if below is None:
                    continue
                followed += entry.is_link
                if followed > MAX_LINKED_FOLDERS:
                    problems.append(SourceError(folder, f"more than {MAX_LINKED_FOLDERS} links to folders are "
                                                "followed in this folder", hint="link fewer folders, or copy them"))
                    return ()
                inner.append((entry.path, f"{prefix}{entry.name}/", below))
            elif entry.name.startswith("."):
                continue
            elif (problem := name_problem(entry.path)) is not None:
                problems.append(problem)
            elif entry.is_link and not _within(real := os.path.realpath(entry.path), roots):
                problems.append(_outside(entry.path, real))
            elif entry.path != skip:
                found.append(prefix + entry.name)
        pending.extend(reversed(inner))  # folders in order of their names, depth first, as problems are reported
    return tuple(sorted(found, key=lambda relative: relative.split("/")))


def _within(path: str, roots: Sequence[str]) -> bool:
    """Whether the resolved `path` is one of the resolved folders `roots` or inside one."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _outside(path: Path, real: str) -> SourceError:
    try:
        written = os.readlink(path)
    except OSError:  # not itself a link: a folder above it is
        return SourceError(path, f"this folder lies outside the site, in {real}",
                           hint="move the files into the site: sitegen publishes only files inside the site's folder "
                                "or its theme's")
    where = f"{written!r}" + ("" if os.path.normpath(os.path.join(path.parent, written)) == real else f" ({real})")
    return SourceError(path, f"this symbolic link leads out of the site, to {where}",
                       hint="copy what it points to into the site: sitegen publishes only files inside the site's "
                            "folder or its theme's")
