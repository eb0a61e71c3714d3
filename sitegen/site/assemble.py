"""The site assembled from its posts: sorted, with replies and counts of likes attached, grouped by tag and year,
paginated."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from ..errors import SourceError
from ..sources.config import Config
from ..sources.mentions import MentionsByPost, unknown_mention_folders
from ..sources.replies import RepliesByPost, unknown_reply_folders
from ..text import slugify
from .model import Pager, Post, Series, Site, Tag, Year
from .series import group_series
from .translations import link_translations


def assemble_site(config: Config, posts: list[Post], replies: RepliesByPost | None = None,
                  post_slugs: Collection[str] = (), mentions: MentionsByPost | None = None,
                  upcoming: Collection[Post] = (), clock: datetime | None = None) -> tuple[Site, list[SourceError]]:
    """Sort posts, attach their replies and counted mentions, group tags, series and years; posts without a date
    sort last. `post_slugs` holds the slug of every post source, published or not: a reply or a count of likes to
    none of them is an error (one to a draft waits with it). Tags whose slugs are equal are one tag, with a warning.
    `upcoming` are the posts left out for being dated after the build's `clock`."""
    entries = sorted((p for p in posts if p.kind == "posts"), key=_newest_first)
    entries, problems = _attach_replies(entries, replies or {}, post_slugs)
    entries, mention_problems = _attach_mentions(entries, mentions or {}, post_slugs, config)
    problems.extend(mention_problems)
    entries, merged = _merge_tag_spellings(entries)
    problems.extend(merged)
    pages = sorted((p for p in posts if p.kind == "pages"), key=lambda p: p.url)
    linked, translation_errors = link_translations([*entries, *pages], config)
    problems.extend(translation_errors)
    entries, pages = linked[:len(entries)], linked[len(entries):]
    series, series_errors = group_series(config, entries)
    problems.extend(series_errors)
    soonest = tuple(sorted(upcoming, key=lambda p: (p.date.timestamp() if p.date else 0.0, p.url)))
    site = _listed(config, entries, pages, "/", series=series, upcoming=soonest, clock=clock)
    if config.language_mode != "separate":
        return site, problems
    editions = tuple(_listed(config.in_language(lang), [p for p in entries if p.lang == lang],
                             [p for p in pages if p.lang == lang], "/" if lang == config.language else f"/{lang}/",
                             series=series)  # a post's series names its parts in every language
                     for lang in _edition_languages(config, entries))
    return replace(site, editions=editions), problems


def _edition_languages(config: Config, posts: list[Post]) -> list[str]:
    """The languages that have their own edition: the site's, those `languages:` names, and those posts are in."""
    return list(dict.fromkeys([config.language, *(item.code for item in config.languages), *(p.lang for p in posts)]))


def _listed(config: Config, posts: list[Post], pages: list[Post], prefix: str, *, series: tuple[Series, ...] = (),
            upcoming: tuple[Post, ...] = (), clock: datetime | None = None) -> Site:
    """A site of `posts` (newest first) and `pages`, grouped by tag and year, its lists under `prefix`; the whole
    site's also has its `series`, the `upcoming` posts and the build's `clock`."""
    by_tag: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for name in post.tag_names:
            by_tag[name].append(post)
    tags = tuple(Tag(name, tag_slug(name), f"{prefix}tags/{tag_slug(name)}/", tuple(items))
                 for name, items in sorted(by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0])))
    by_year: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        if post.date:
            by_year[post.date.year].append(post)
    years = tuple(Year(y, tuple(by_year[y])) for y in sorted(by_year, reverse=True))
    return Site(config, tuple(posts), tuple(pages), tags, years, prefix, series=series, upcoming=upcoming, clock=clock)


def tag_slug(name: str) -> str:
    """The slug of a tag's page: 'ذكاء اصطناعي' -> 'ذكاء-اصطناعي'; 'tag' when nothing of the name is left."""
    return slugify(name) or "tag"


def _merge_tag_spellings(posts: list[Post]) -> tuple[list[Post], list[SourceError]]:
    """Tags whose slugs are equal ('AI' and 'ai') would share one page: they are one tag, named as most posts
    write it (on a tie, as the newest post does). Each post names the tag that way; a warning names the spellings
    at the newest post that writes another."""
    names = {name: tag_slug(name) for name in {name for post in posts for name in post.tag_names}}
    if len(set(names.values())) == len(names):
        return posts, []  # nearly always: no two spellings share a slug
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        for name in post.tag_names:
            uses[names[name]][name] += 1  # Counter keeps first-seen order: newest post first
    spelling = {name: counts.most_common(1)[0][0] for counts in uses.values() if len(counts) > 1 for name in counts}
    warnings = []
    for slug, counts in uses.items():
        if len(counts) < 2:
            continue
        chosen = counts.most_common(1)[0][0]
        first = next(p for p in posts if any(n in counts and n != chosen for n in p.tag_names))
        spellings = " and ".join(repr(name) for name, _ in counts.most_common())
        warnings.append(SourceError(first.doc.path, f"tags {spellings} have one address, /tags/{slug}/: they are one "
                                    f"tag, shown as {chosen!r}", hint="write the tag the same way in every post",
                                    severity="warning"))
    merged = [post if not any(n in spelling for n in post.tag_names) else
              replace(post, tag_names=tuple(dict.fromkeys(spelling.get(n, n) for n in post.tag_names)))
              for post in posts]
    return merged, warnings


def _attach_replies(posts: list[Post], replies: RepliesByPost, post_slugs: Collection[str]
                    ) -> tuple[list[Post], list[SourceError]]:
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
    known = {unicodedata.normalize("NFC", slug) for slug in post_slugs}
    return attached, unknown_reply_folders(unmatched, known)


def _attach_mentions(posts: list[Post], mentions: MentionsByPost, post_slugs: Collection[str], config: Config
                     ) -> tuple[list[Post], list[SourceError]]:
    """Give each post its counts of likes, reposts and bookmarks; counts of no post at all are errors."""
    if not mentions:
        return posts, []
    attached = [replace(p, mentions=mentions[key]) if (key := unicodedata.normalize("NFC", p.slug)) in mentions
                else p for p in posts]
    if len(attached) - sum(p is q for p, q in zip(attached, posts, strict=True)) == len(mentions):
        return attached, []  # every file of counts found its post (nearly always)
    known = {unicodedata.normalize("NFC", slug) for slug in post_slugs} | {unicodedata.normalize("NFC", p.slug)
                                                                            for p in posts}
    return attached, unknown_mention_folders(mentions, known, config.root)


def paginate(items: tuple[Post, ...], per_page: int, base_url: str) -> list[Pager]:
    """Split a list into pages at `base_url`, `base_url/page/2/`, ...; an empty list still has one page."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    urls = [base_url if n == 1 else f"{base_url}page/{n}/" for n in range(1, len(chunks) + 1)]
    return [Pager(n + 1, len(chunks), chunk, urls[n], urls[n - 1] if n else None,
                  urls[n + 1] if n + 1 < len(chunks) else None) for n, chunk in enumerate(chunks)]


def _newest_first(post: Post) -> tuple[int, float, str]:
    return (post.date is None, -(post.date.timestamp() if post.date else 0.0), post.url)
