"""Finding the site's sources: posts and pages under content/, and the folder published beside a bundle's index."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = "content"
KINDS = ("posts", "pages")
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Markdown file to build, and the folder of files published beside it (for `slug/index.md` posts)."""

    path: Path
    kind: str
    """'posts' or 'pages'."""
    bundle: Path | None = None
    bundle_files: tuple[str, ...] = ()
    """The files published beside the index, relative to the bundle ('images/chart.svg')."""


def discover_sources(root: Path) -> list[SourceFile]:
    """Every post and page under `root/content`, in a stable order (one directory scan, no stat per file)."""
    found: list[SourceFile] = []
    for kind in KINDS:
        folder = root / CONTENT_DIR / kind
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            if entry.is_file() and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:
                found.append(SourceFile(folder / name, kind))
            elif entry.is_dir():
                bundle = folder / name
                index = next((bundle / f"index{s}" for s in MARKDOWN_SUFFIXES if (bundle / f"index{s}").is_file()),
                             None)
                if index is not None:
                    found.append(SourceFile(index, kind, bundle, _files(bundle, skip=index)))
    return found


REDIRECTS = "_redirects"
"""A static `_redirects` holds the site's own redirect rules: the generated `_redirects` starts with them."""


def discover_static(folders: list[Path]) -> tuple[dict[str, Path], bytes | None]:
    """Static files by output path, from `folders` in order of precedence, lowest first (a later folder's file
    replaces an earlier one's: the site's `static/` over its theme's over the default theme's); and the bytes of
    the static `_redirects`, if there is one, which is not copied as it is."""
    found: dict[str, Path] = {}
    for folder in folders:
        found.update((relative, folder / relative) for relative in _files(folder))
    own = found.pop(REDIRECTS, None)
    return found, own.read_bytes() if own is not None else None


def _files(folder: Path, skip: Path | None = None) -> tuple[str, ...]:
    """Every file under `folder` but hidden ones (a name starting with '.'), as sorted relative POSIX paths."""
    if not folder.is_dir():
        return ()
    return tuple(f.relative_to(folder).as_posix() for f in sorted(folder.rglob("*"))
                 if f.is_file() and f != skip and not f.name.startswith("."))
