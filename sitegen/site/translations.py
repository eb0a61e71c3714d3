"""Posts and pages that are versions of one another in other languages, linked by the translation key they share
(`translation_key:` in the front matter), and what their pages say of each other (hreflang)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..errors import SourceError, display_path
from ..sources.config import Config
from .model import Post, Translation


def link_translations(posts: Sequence[Post], config: Config) -> tuple[list[Post], list[SourceError]]:
    """Give each post the other versions that share its translation key. Two versions in one language are an error
    naming both files and lines (the first, by file name, keeps the key); a key only one post has links nothing."""
    groups: dict[str, list[Post]] = defaultdict(list)
    for post in sorted((p for p in posts if p.doc.translation_key), key=lambda p: p.doc.path.as_posix()):
        groups[post.doc.translation_key or ""].append(post)
    errors: list[SourceError] = []
    linked: dict[str, Post] = {}
    for key, group in groups.items():
        versions: dict[str, Post] = {}
        for post in group:
            first = versions.setdefault(post.lang, post)
            if first is not post:
                errors.append(_duplicate(key, post, first, config))
        if len(versions) < 2:
            continue
        x_default = _default_version(list(versions.values()), config).url
        for post in versions.values():
            others = tuple(Translation(other.lang, other.url, other.title)
                           for lang, other in sorted(versions.items()) if lang != post.lang)
            linked[post.url] = replace(post, translations=others, x_default=x_default)
    if not linked:
        return list(posts), errors
    return [linked.get(post.url, post) for post in posts], errors


def hreflang_links(lang: str, url: str, translations: Sequence[Translation], x_default: str
                   ) -> tuple[tuple[str, str], ...]:
    """(hreflang, site URL) of every version of a page, itself included, by language, then 'x-default'; nothing for
    a page without translations."""
    if not translations:
        return ()
    versions = sorted([(lang, url), *((t.lang, t.url) for t in translations)])
    return (*versions, ("x-default", x_default or url))


def _default_version(versions: list[Post], config: Config) -> Post:
    """The version readers get when theirs is missing: the one in the site's language, else the oldest (the
    original)."""
    own = next((post for post in versions if post.lang == config.language), None)
    if own is not None:
        return own
    return min(versions, key=lambda p: (p.date is None, p.date.timestamp() if p.date else 0.0, p.url))


def _duplicate(key: str, post: Post, first: Post, config: Config) -> SourceError:
    shown = display_path(first.doc.path, config.root)
    line = first.doc.translation_key_line
    return SourceError(post.doc.path, f"translation_key {key!r} names two versions in {post.lang!r}: this one and "
                       f"{shown}{f':{line}' if line else ''}", post.doc.translation_key_line, 1,
                       hint="a key names one version per language: give one of them another key, or set its lang:")
