"""Series: posts that name one `series:`, put in order by their `series_order:` (else by date)."""

from __future__ import annotations

from collections import defaultdict

from ..errors import SourceError, display_path
from ..sources.config import Config
from ..text import slugify
from .model import Post, Series


def group_series(config: Config, posts: list[Post]) -> tuple[tuple[Series, ...], list[SourceError]]:
    """The series of `posts`, by name; two parts of one series with the same `series_order` are an error naming
    both files and lines, and so are two series whose names make one address."""
    by_name: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.doc.series:
            by_name[post.doc.series].append(post)
    errors = []
    for name, parts in by_name.items():
        seen: dict[int, Post] = {}
        for post in sorted(parts, key=lambda p: p.doc.path.as_posix()):
            order = post.doc.series_order
            if order is None:
                continue
            if (first := seen.get(order)) is not None:
                errors.append(SourceError(post.doc.path, f"series_order {order} of the series {name!r} is already "
                                          f"taken by {display_path(first.doc.path, config.root)}:"
                                          f"{first.doc.series_line or 1}", post.doc.series_line,
                                          hint="give each part of a series its own series_order"))
            else:
                seen[order] = post
    series: list[Series] = []
    slugs: dict[str, Series] = {}
    for name, parts in sorted(by_name.items(), key=lambda item: min(p.doc.path.as_posix() for p in item[1])):
        slug = series_slug(name)
        if (taken := slugs.get(slug.casefold())) is not None:  # 'AI' and 'ai': one address for two series
            later = min(parts, key=lambda p: p.doc.path.as_posix())
            shown = display_path(taken.posts[0].doc.path, config.root)
            errors.append(SourceError(later.doc.path, f"series {name!r} would have the address {taken.url} of the "
                                      f"series {taken.name!r} ({shown})", later.doc.series_line,
                                      hint="write the series' name the same way in every part"))
            continue
        slugs[slug.casefold()] = made = Series(name, slug, f"/series/{slug}/", tuple(sorted(parts, key=_in_order)))
        series.append(made)
    return tuple(sorted(series, key=lambda s: s.name)), errors


def series_slug(name: str) -> str:
    """The slug of a series' page: 'بناء علاقات' -> 'بناء-علاقات'; 'series' when nothing of the name is left."""
    return slugify(name) or "series"


def _in_order(post: Post) -> tuple[bool, int, float, str]:
    """Parts with a `series_order` first, by it; the others after them, oldest first."""
    order = post.doc.series_order
    return (order is None, order or 0, post.date.timestamp() if post.date else float("inf"), post.url)
