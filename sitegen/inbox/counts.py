"""Likes, reposts and bookmarks on the page: the counted webmentions of the pending store written as each post's
`content/replies/<post-slug>/_mentions.yaml` (`sitegen.sources.mentions`), which a build reads offline.

Only numbers are written. Who liked a post stays in the pending store: a like has no words to moderate, and its
author (often a social network account bridged by brid.gy) wrote on their own site, not on this one.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ..sources.mentions import MENTIONS_FILE, Mentions, render_mentions
from ..sources.replies import REPLIES_DIR
from .model import COUNTED_KINDS
from .store import Store, write_atomically

FIELDS = {"like": "likes", "repost": "reposts", "bookmark": "bookmarks"}
"""A counted kind of the store -> its key in a mentions file."""


def mention_counts(store: Store, *, unmatched: bool = False) -> dict[str, Mentions]:
    """The counts of every post the store holds a like, repost or bookmark of (zero when each was rejected); with
    `unmatched`, those of no known post are counted too, under the address they named."""
    counts: dict[str, dict[str, int]] = {}
    for item in store.values():
        key = item.post or (item.target or "?" if unmatched else "")
        if item.kind in COUNTED_KINDS and key:
            kinds = counts.setdefault(key, {})
            if item.state == "counted":
                kinds[FIELDS[item.kind]] = kinds.get(FIELDS[item.kind], 0) + 1
    return {post: Mentions(**kinds) for post, kinds in counts.items()}


def write_mention_counts(root: Path, store: Store, slugs: Collection[str]) -> list[Path]:
    """Bring the mentions file of each post of `slugs` the store counts for up to date (removed when it counts
    none); the files changed. A file is rewritten only when its text changes, and posts the store knows nothing of
    are left alone. OSError when one cannot be written."""
    changed = []
    for post, mentions in sorted(mention_counts(store).items()):
        if post not in slugs or not _is_folder_name(post):
            continue
        path = root / REPLIES_DIR / post / MENTIONS_FILE
        text = render_mentions(mentions)
        try:
            old: str | None = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            old = ""  # no file is no counts
        except (OSError, UnicodeDecodeError):
            old = None
        if text == old:
            continue
        if text:
            write_atomically(path, text, public=True)
        else:
            path.unlink(missing_ok=True)
        changed.append(path)
    return changed


def _is_folder_name(slug: str) -> bool:
    """A slug that names one folder inside content/replies (the store is a file a person may edit)."""
    return slug not in ("", ".", "..") and not slug.startswith(("_", ".")) and "/" not in slug and "\\" not in slug \
        and "\0" not in slug
