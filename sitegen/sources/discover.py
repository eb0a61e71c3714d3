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
                    found.append(SourceFile(index, kind, bundle=bundle))
    return found
