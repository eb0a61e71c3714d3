"""What an old blog's reader hands to the writer: plain values, one per post or page, with what needs a human."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

Severity = Literal["warning", "error"]


@dataclass(frozen=True, slots=True)
class Note:
    """Something the author should look at after the import, at a place in the old blog's files."""

    path: Path
    message: str
    line: int | None = None
    """1-based line in `path`, when known."""
    column: int | None = None
    severity: Severity = "warning"
    """'error': the item could not be brought in as it is (it was left out, or part of it was)."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A file a post uses (an image, a PDF), to be copied beside it."""

    target: str
    """Where it goes, relative to the post's folder: 'images/chart.png'."""
    source: Path | None
    """The file in the old blog; None when it is missing (the link is listed for the author)."""
    reference: str = ""
    """How the post referred to it, as written ('/assets/img/chart.png', 'https://old.example/wp-content/...')."""


@dataclass(frozen=True, slots=True)
class ImportedReply:
    """A reader's comment that the old blog showed (approved), as a sitegen reply file will hold it."""

    id: str
    """Unique within its post; becomes the reply's file name ('wp-123')."""
    name: str
    date: datetime
    text: str
    """Plain text or Markdown; the build sanitizes it like any reply."""
    url: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One post or page of the old blog, converted to sitegen's shape but not yet written."""

    source: Path
    """The file (or the export) it came from; notes point here."""
    kind: Literal["posts", "pages"]
    slug: str
    """The slug the old blog gave it (its URL's last part), kept so URLs under a like pattern stay the same."""
    front: dict[str, object]
    """sitegen front matter in order: title, date, updated, description, tags, lang, draft, author, image, then the
    old blog's other keys verbatim (templates can still read them)."""
    body: str
    """Markdown, with the old generator's tags converted."""
    old_urls: tuple[str, ...]
    """Site paths it answered at ('/2019/05/02/x.html', '/?p=12'); each one that is not its new URL becomes an
    alias (a 301)."""
    body_line: int = 1
    """The line of `source` on which `body` starts, so notes about the body can point at file lines."""
    assets: tuple[Asset, ...] = ()
    replies: tuple[ImportedReply, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class OldBlog:
    """Everything read from an old blog."""

    generator: str
    """'jekyll', 'hugo', 'pelican', 'eleventy', 'wordpress'."""
    root: Path
    entries: tuple[Entry, ...]
    static: tuple[Asset, ...] = ()
    """Site-wide files (images, downloads) copied to the new site's `static/` at the same path, so their old URLs
    keep working; `target` is the path under `static/`."""
    notes: tuple[Note, ...] = ()
    """About the blog as a whole (a setting not understood, a file left out)."""
    settings: dict[str, str] = field(default_factory=dict)
    """What the old configuration says of the blog: 'title', 'base_url', 'language', 'author', 'description',
    'timezone' (an IANA name)."""
