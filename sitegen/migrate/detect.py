"""Which generator made a blog, from the files it keeps at its root (never from running anything)."""

from __future__ import annotations

import json
from pathlib import Path

GENERATORS = ("jekyll", "hugo", "pelican", "eleventy", "wordpress")
_MARKERS = (
    ("wordpress", ()),
    ("pelican", ("pelicanconf.py",)),
    ("eleventy", (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs",
                  "eleventy.config.ts")),
    ("hugo", ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config/_default")),
    ("jekyll", ("_config.yml", "_config.yaml", "_config.toml", "_posts")),
    ("hugo", ("config.toml", "config.yaml", "config.json", "archetypes")),
)


def detect_generator(source: Path) -> str | None:
    """'jekyll', 'hugo', 'pelican', 'eleventy' or 'wordpress' (an export file), or None when nothing says."""
    if source.is_file():
        return "wordpress" if _is_wxr(source) else None
    for generator, markers in _MARKERS:
        if any((source / marker).exists() for marker in markers):
            return generator
    package = source / "package.json"
    try:
        data = json.loads(package.read_text(encoding="utf-8")) if package.is_file() else {}
    except (OSError, ValueError):
        data = {}
    if isinstance(data, dict) and any("@11ty/eleventy" in (data.get(key) or {})
                                      for key in ("dependencies", "devDependencies")):
        return "eleventy"
    return None


def _is_wxr(path: Path) -> bool:
    """A WordPress export: XML whose first few kilobytes name the WXR namespace."""
    try:
        with path.open("rb") as file:
            head = file.read(8192)
    except OSError:
        return False
    return b"wordpress.org/export/" in head
