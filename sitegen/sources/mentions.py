"""Counted webmentions: how many people liked, reposted or bookmarked a post, from the file `sitegen replies` keeps
beside the post's replies, `content/replies/<post-slug>/_mentions.yaml`:

    likes: 3
    reposts: 1

Only the numbers are kept: a like carries no words to moderate, and its author did not write for this site, so
their name and address stay in the pending store and never reach a page. The leading '_' keeps the file out of
`load_replies`; a build reads it here and never needs the network.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import SourceError
from .decode import read_source_text
from .replies import REPLIES_DIR
from .yamlio import parse_yaml_mapping

MENTIONS_FILE = "_mentions.yaml"
MAX_COUNT = 10**9
"""More than any post receives: a larger number is a mistake in the file."""


@dataclass(frozen=True, slots=True)
class Mentions:
    """How many counted webmentions a post has, by kind; all zero when it has none."""

    likes: int = 0
    reposts: int = 0
    bookmarks: int = 0

    @property
    def total(self) -> int:
        return self.likes + self.reposts + self.bookmarks


KINDS = tuple(f.name for f in fields(Mentions))
"""The keys of a mentions file, in the order it is written: 'likes', 'reposts', 'bookmarks'."""
NO_MENTIONS = Mentions()

MentionsByPost = dict[str, Mentions]
"""Counts by post slug (NFC); a post without a mentions file is not in it."""


def load_mentions(root: Path) -> tuple[MentionsByPost, list[SourceError]]:
    """Read `content/replies/*/_mentions.yaml`; every problem found. A folder that cannot be listed is left to
    `load_replies`, which reports it."""
    folder = root / REPLIES_DIR
    counts: MentionsByPost = {}
    errors: list[SourceError] = []
    try:
        with os.scandir(folder) as entries:
            folders = sorted(entry.name for entry in entries if entry.is_dir() and not entry.name.startswith("_"))
    except OSError:
        return {}, []
    for name in folders:
        path = folder / name / MENTIONS_FILE
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            errors.append(SourceError(path, f"cannot read file: {exc.strerror or exc}"))
            continue
        text, problems = read_source_text(raw, path)
        errors.extend(problems)
        if text is None:
            continue
        mentions, problems = parse_mentions(text, path)
        errors.extend(problems)
        if mentions is not None and mentions.total:
            counts[unicodedata.normalize("NFC", name)] = mentions
    return counts, errors


def parse_mentions(text: str, path: Path) -> tuple[Mentions | None, list[SourceError]]:
    """A mentions file's counts: each a whole number from 0; an unknown key is a warning, a bad count an error."""
    doc, errors = parse_yaml_mapping(text, path, what="the mentions file")
    if doc is None:
        return None, errors
    values: dict[str, int] = {}
    for key, value in doc.values.items():
        if key not in KINDS:
            close = difflib.get_close_matches(key, KINDS, n=1)
            errors.append(SourceError(path, f"unknown key '{key}' in a mentions file", doc.line(key), 1,
                                      hint=f"did you mean '{close[0]}'?" if close else
                                      "a mentions file has: " + ", ".join(KINDS), severity="warning"))
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            errors.append(SourceError(path, f"{key} must be a whole number from 0, not {value!r}", doc.line(key), 1,
                                      hint="`sitegen replies pull` writes this file; restore it from git or pull "
                                           "again"))
        else:
            values[key] = value
    if any(e.severity == "error" for e in errors):
        return None, errors
    return Mentions(**values), errors


def render_mentions(mentions: Mentions) -> str:
    """The text of a mentions file: the kinds that are not zero, one a line."""
    return "".join(f"{kind}: {getattr(mentions, kind)}\n" for kind in KINDS if getattr(mentions, kind))


def unknown_mention_folders(counts: MentionsByPost, slugs: set[str], root: Path) -> list[SourceError]:
    """Mentions files whose folder names no post: an error naming each, with the nearest slug as a hint."""
    known = sorted(slugs)
    errors = []
    for slug in sorted(counts):
        if slug not in slugs:
            close = difflib.get_close_matches(slug, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "the folder must be named after the post's slug"
            errors.append(SourceError(root / REPLIES_DIR / slug / MENTIONS_FILE,
                                      f"likes or reposts of '{slug}', but no post has that slug", hint=hint))
    return errors
