"""The whole site as data: posts, pages, tags, archive, pagination and URLs, with URL collisions refused."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from .config import Config
from .content import Document, discover_sources, load_document
from .errors import SourceError
from .markdown import Link, RenderedMarkdown, TocEntry
from .replies import RepliesByPost, Reply, load_replies, unknown_reply_folders
from .text import reading_minutes, resolve_links, slugify, strip_tags, text_direction, truncate

FOLLOW_URL = "/follow/"
"""The page that tells readers how to follow the blog."""


def thanks_url(config: Config, lang: str) -> str:
    """Where the reply form leads after sending: '/thanks/' in the site's language, '/thanks/<lang>/' in others."""
    return "/thanks/" if lang == config.language else f"/thanks/{lang}/"


@dataclass(frozen=True, slots=True)
class Body:
    """What only a post's own page and full-text feeds show: its HTML and its table of contents."""

    content: str
    toc: tuple[TocEntry, ...]


class BodyStore(Protocol):
    """Where bodies kept out of memory are read from (the build cache)."""

    def body(self, key: bytes) -> Body: ...


@dataclass(frozen=True, slots=True)
class StoredBody:
    """A body left in a store until a page shows it, so a build holds the site's metadata, not all its text."""

    store: BodyStore
    key: bytes


@dataclass(frozen=True, slots=True)
class LocalLink:
    """A link or image of a post that points into the site, with the output paths that would satisfy it (worked out
    once, when the post is parsed, so checking links costs a lookup per link)."""

    link: Link
    paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Post:
    """A post or page ready for templates."""

    doc: Document
    kind: str
    """'posts' or 'pages'."""
    title: str
    url: str
    """Site-relative URL with a trailing slash: '/posts/بناء-علاقات/'."""
    date: datetime | None
    updated: datetime | None
    lang: str
    dir: str
    """'rtl' or 'ltr', from `lang`."""
    description: str
    body: Body | StoredBody
    summary: str
    has_more: bool
    words: int
    reading_minutes: int
    tag_names: tuple[str, ...]
    links: tuple[LocalLink, ...]
    """Links and images in the body that point into the site, for link checking."""
    replies: tuple[Reply, ...] = ()
    """Replies the author accepted (content/replies/<slug>/), oldest first."""

    @property
    def content(self) -> str:
        """The body's HTML."""
        return self.read_body().content

    @property
    def toc(self) -> tuple[TocEntry, ...]:
        return self.read_body().toc

    def read_body(self) -> Body:
        """The body, read from its store if it was left there."""
        body = self.body
        return body if isinstance(body, Body) else body.store.body(body.key)

    @property
    def slug(self) -> str:
        return self.doc.slug

    @property
    def extra(self) -> dict[str, Any]:
        return self.doc.extra

    @property
    def image(self) -> str | None:
        return self.doc.image

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.doc.aliases


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    slug: str
    url: str
    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class Pager:
    """One page of a paginated list."""

    number: int
    total: int
    items: tuple[Post, ...]
    url: str
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the templates and feeds see."""

    config: Config
    posts: tuple[Post, ...]
    """Published posts, newest first."""
    pages: tuple[Post, ...]
    tags: tuple[Tag, ...]
    """By number of posts, then name."""
    years: tuple[Year, ...]
    """Newest year first."""
    problems: tuple[SourceError, ...] = ()
    """What assembling found wrong (replies to posts that do not exist); the render stage reports them."""
    _index: _SiteIndex = field(init=False, repr=False, compare=False)
    """Positions of posts in the site's and each tag's list, made once so neighbours and related posts are cheap."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _SiteIndex.of(self.posts, self.tags))

    @property
    def languages(self) -> tuple[str, ...]:
        """The site's language, then every other language a post or page is written in."""
        langs = [self.config.language, *(p.lang for p in (*self.posts, *self.pages))]
        return tuple(dict.fromkeys(langs))

    def tag(self, name: str) -> Tag | None:
        return self._index.tags.get(name)

    def newer(self, post: Post) -> Post | None:
        """The post published just after `post` (None for the newest post and for pages)."""
        at = self._index.positions.get(post.url)
        return self.posts[at - 1] if at else None

    def older(self, post: Post) -> Post | None:
        """The post published just before `post` (None for the oldest post and for pages)."""
        at = self._index.positions.get(post.url)
        return self.posts[at + 1] if at is not None and at + 1 < len(self.posts) else None

    def related(self, post: Post, limit: int = 3) -> tuple[Post, ...]:
        """Up to `limit` other posts sharing tags with `post`: most shared tags first, then the nearest in date.

        Candidates are the posts near `post` in each of its tags' lists (RELATED_WINDOW either side), so a tag
        holding thousands of posts costs no more than a small one.
        """
        mine = set(post.tag_names)
        candidates: dict[str, Post] = {}
        for name in mine:
            tag = self._index.tags.get(name)
            at = self._index.tag_positions.get((name, post.url))
            if tag is None or at is None:
                continue
            for other in tag.posts[max(0, at - RELATED_WINDOW):at + RELATED_WINDOW + 1]:
                if other.url != post.url:
                    candidates[other.url] = other

        def rank(other: Post) -> tuple[int, float, str]:
            distance = abs(post.date.timestamp() - other.date.timestamp()) if post.date and other.date else 1e12
            return (-len(mine.intersection(other.tag_names)), distance, other.url)

        return tuple(sorted(candidates.values(), key=rank)[:limit])

    @property
    def latest(self) -> datetime | None:
        """The newest date or update among posts, the site's 'last changed' for feeds and sitemaps (computed once:
        every page's footer asks for it)."""
        return self._index.latest


RELATED_WINDOW = 8
"""How many posts either side of a post in each of its tags are considered for its related posts."""


@dataclass(frozen=True, slots=True)
class _SiteIndex:
    positions: dict[str, int]
    """Post URL -> its place in `Site.posts` (newest first)."""
    tags: dict[str, Tag]
    tag_positions: dict[tuple[str, str], int]
    """(tag name, post URL) -> the post's place in the tag's list."""
    latest: datetime | None

    @classmethod
    def of(cls, posts: tuple[Post, ...], tags: tuple[Tag, ...]) -> _SiteIndex:
        return cls({p.url: i for i, p in enumerate(posts)}, {t.name: t for t in tags},
                   {(t.name, p.url): i for t in tags for i, p in enumerate(t.posts)},
                   max((p.updated or p.date for p in posts if p.date), default=None))


def make_post(doc: Document, rendered: RenderedMarkdown, config: Config) -> Post:
    """Combine front matter and rendered Markdown into a post with its URL."""
    lang = doc.lang or config.language
    url = post_url(doc, config)
    title = doc.title or rendered.first_heading or doc.slug.replace("-", " ")
    description = doc.description or truncate(strip_tags(rendered.summary_html))
    return Post(
        doc=replace(doc, body=""),  # rendered now: the Markdown is not kept
        kind=doc.source.kind,
        title=title,
        url=url,
        date=doc.date,
        updated=doc.updated,
        lang=lang,
        dir=text_direction(lang),
        description=description,
        body=Body(rendered.html, rendered.toc),
        summary=resolve_links(rendered.summary_html, url),
        has_more=rendered.has_more,
        words=rendered.words,
        reading_minutes=reading_minutes(rendered.words, lang),
        tag_names=doc.tags,
        links=local_links(url, rendered.links),
    )


def local_links(url: str, links: tuple[Link, ...]) -> tuple[LocalLink, ...]:
    """The links of the post at `url` that lead into the site, each with the output paths that would satisfy it."""
    found = []
    for link in links:
        target = urlsplit(urljoin(f"https://site{url}", link.target))
        if target.netloc != "site" or urlsplit(link.target).scheme:
            continue
        path = unquote(target.path).lstrip("/")
        if not path and not target.path.startswith("/"):
            continue
        found.append(LocalLink(link, (url_to_path("/" + path), path)))
    return tuple(found)


def url_to_path(url: str) -> str:
    """'/posts/x/' -> 'posts/x/index.html'; '/feed.xml' -> 'feed.xml'."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def post_url(doc: Document, config: Config) -> str:
    """The post's URL from the permalink pattern; pages live at '/<slug>/'."""
    if doc.source.kind == "pages":
        return f"/{doc.slug}/"
    when = doc.date
    return config.permalink.format(
        slug=doc.slug,
        year=f"{when.year:04d}" if when else "undated",
        month=f"{when.month:02d}" if when else "00",
        day=f"{when.day:02d}" if when else "00",
        lang=doc.lang or config.language,
    )


def is_published(post: Post, now: datetime, *, drafts: bool, future: bool) -> bool:
    """Drafts and posts dated after `now` are left out unless asked for."""
    if post.doc.draft and not drafts:
        return False
    return future or post.date is None or post.date <= now


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
