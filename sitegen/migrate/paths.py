"""Reading an old blog's files safely: every file is untrusted in size, encoding and place, so each problem becomes a
note, never an exception. Shared by the Pelican and Eleventy readers."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .model import Note

MAX_TEXT_BYTES = 4 * 1024 * 1024
"""A post or configuration file larger than this is not read (it is not a hand-written text)."""
MAX_FILES = 200_000
"""Walking stops after this many files (a blog this size is a mistake, perhaps a node_modules)."""
_URL_SLASHES = re.compile(r"/{2,}")


def read_text(path: Path, notes: list[Note]) -> str | None:
    """The UTF-8 text of `path` (a BOM dropped, CRLF made LF), or None with a note saying why not."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            notes.append(Note(path, f"file is larger than {MAX_TEXT_BYTES} bytes; not read", severity="error"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        notes.append(Note(path, f"cannot be read: {exc.strerror or exc}", severity="error"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        notes.append(Note(path, "not UTF-8 text; read with the bad bytes replaced", line))
        text = data.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def walk_files(top: Path, skip: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Regular files under `top`, sorted, depth first; folders named in `skip` and hidden ones are left out, and
    symbolic links are not followed (they may point out of the blog)."""
    count = 0
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            children = sorted(folder.iterdir(), key=lambda p: p.name, reverse=True)
        except OSError:
            continue
        files, folders = [], []
        for child in children:
            if child.name.startswith(".") or child.is_symlink():
                continue
            if child.is_dir():
                if child.name not in skip:
                    folders.append(child)
            elif child.is_file():
                files.append(child)
        for file in reversed(files):
            count += 1
            if count > MAX_FILES:
                return
            yield file
        stack.extend(folders)


def inside(root: Path, relative: str) -> Path | None:
    """`root / relative` when `relative` stays inside `root` (no '..' out of it, not absolute), else None."""
    parts = PurePosixPath(posixpath.normpath("/" + relative.replace("\\", "/"))).parts[1:]
    if any(part == ".." for part in parts):
        return None
    return root.joinpath(*parts) if parts else root


def site_path(url: str) -> str:
    """A site-relative URL as an absolute path: '2020/x.html' -> '/2020/x.html', slashes collapsed."""
    return _URL_SLASHES.sub("/", "/" + url.lstrip("/"))


def relative_posix(path: Path, root: Path) -> str:
    """`path` relative to `root`, with forward slashes."""
    return path.relative_to(root).as_posix()
