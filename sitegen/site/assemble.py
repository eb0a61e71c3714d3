"""The site assembled from its posts: sorted, with replies attached, grouped by tag and year, paginated."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from ..errors import SourceError
from ..sources.config import Config
from ..sources.discover import discover_sources
from ..sources.document import load_document
from ..sources.replies import RepliesByPost, load_replies, unknown_reply_folders
from ..text import slugify
from .model import Pager, Post, Site, Tag, Year


def assemble_site(config: Config, posts: list[Post], replies: RepliesByPost | None = None,
                  reply_errors: list[SourceError] | None = None) -> Site:
    """Sort posts, attach their replies, group tags and years; posts without a date sort last.

    `replies` are read from the site's content/replies when not given (so callers that predate replies get them).
    """
    problems = list(reply_errors or [])
    if replies is None:
        replies, load_errors = load_replies(config.root, config.zone)
        problems.extend(load_errors)
    entries = sorted((p for p in posts if p.kind == "posts"), key=_newest_first)
    entries, reply_problems = _attach_replies(entries, replies, config)
    problems.extend(reply_problems)
    pages = tuple(sorted((p for p in posts if p.kind == "pages"), key=lambda p: p.url))
    by_tag: dict[str, list[Post]] = defaultdict(list)
    for post in entries:
        for name in post.tag_names:
            by_tag[name].append(post)
    tags = tuple(Tag(name, slugify(name) or "tag", f"/tags/{slugify(name) or 'tag'}/", tuple(items))
                 for name, items in sorted(by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    by_year: dict[int, list[Post]] = defaultdict(list)
    for post in entries:
        if post.date:
            by_year[post.date.year].append(post)
    years = tuple(Year(y, tuple(by_year[y])) for y in sorted(by_year, reverse=True))
    return Site(config, tuple(entries), pages, tags, years, tuple(problems))


def _attach_replies(posts: list[Post], replies: RepliesByPost, config: Config) -> tuple[list[Post], list[SourceError]]:
    """Give each post its replies; replies whose folder names no post at all are errors. Replies to a draft or
    future post are kept back silently, like the post."""
    if not replies:
        return posts, []
    by_slug = {unicodedata.normalize("NFC", p.slug): p for p in posts}
    attached = [replace(p, replies=replies[key]) if (key := unicodedata.normalize("NFC", p.slug)) in replies else p
                for p in posts]
    unmatched = {slug: items for slug, items in replies.items() if slug not in by_slug}
    if not unmatched:
        return attached, []
    return attached, unknown_reply_folders(unmatched, _all_post_slugs(config))


def _all_post_slugs(config: Config) -> set[str]:
    """Slugs of every post source, published or not (read again only when a reply folder matched no post)."""
    slugs = set()
    for source in discover_sources(config.root):
        if source.kind != "posts":
            continue
        document, _ = load_document(source, config.zone)
        if document is not None:
            slugs.add(unicodedata.normalize("NFC", document.slug))
    return slugs


def paginate(items: tuple[Post, ...], per_page: int, base_url: str) -> list[Pager]:
    """Split a list into pages at `base_url`, `base_url/page/2/`, ...; an empty list still has one page."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    urls = [base_url if n == 1 else f"{base_url}page/{n}/" for n in range(1, len(chunks) + 1)]
    return [Pager(n + 1, len(chunks), chunk, urls[n], urls[n - 1] if n else None,
                  urls[n + 1] if n + 1 < len(chunks) else None) for n, chunk in enumerate(chunks)]


def find_url_collisions(claims: list[tuple[str, Path, str]], root: Path) -> list[SourceError]:
    """Two sources claiming one URL are an error naming both files. `claims` holds (url, file, what)."""
    owner: dict[str, tuple[Path, str]] = {}
    errors = []
    for url, path, what in claims:
        key = url.rstrip("/").casefold() or "/"
        if key in owner:
            first, first_what = owner[key]
            errors.append(SourceError(path, f"{what} {url} is already taken by {first_what} of {_shown(first, root)}",
                                      hint="change the slug (or alias) of one of the two"))
        else:
            owner[key] = (path, what)
    return errors


def _newest_first(post: Post) -> tuple[int, float, str]:
    return (post.date is None, -(post.date.timestamp() if post.date else 0.0), post.url)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
