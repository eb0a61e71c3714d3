"""What the output stage refuses before writing: an output folder that is not a site's."""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from .stage import site_entry


def check_output_dir(target: Path, root: Path) -> SourceError | None:
    """Refuse an output folder that would replace the site's sources, that is a file, or that holds files but not a
    site (a mistyped --output must not wipe a folder of documents); a build's staging folder left inside a mount
    point, or a disk's lost+found, is not a file of the folder's."""
    target, root = target.resolve(), root.resolve()
    if target == root or target in root.parents or (root / "content") in (target, *target.parents):
        return SourceError(target, "the output folder must not contain the site's sources",
                           hint="use a folder of its own, such as public/")
    if target.exists() and not target.is_dir():
        return SourceError(target, "the output folder is a file", hint="remove it, or pass another --output")
    if target.is_dir() and not (target / "index.html").is_file() and any(site_entry(p.name) for p in target.iterdir()):
        return SourceError(target, "the output folder holds files but no site (no index.html); a build replaces "
                           "the whole folder, so sitegen will not use this one",
                           hint="empty it, or pass another --output")
    return None
