"""The site as data: posts, pages, tags, years and pages of lists, immutable values that templates read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..markdown import Link, TocEntry
from ..sources.config import Config
from ..sources.document import Document
from ..sources.mentions import NO_MENTIONS, Mentions
from ..sources.replies import Reply


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
class Translation:
    """A version of a post or page in another language (they share a translation key), as a page links it."""

    lang: str
    url: str
    title: str


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
    mentions: Mentions = NO_MENTIONS
    """How many liked, reposted or bookmarked it by webmention (content/replies/<slug>/_mentions.yaml)."""
    scheduled: bool = False
    """Dated after the build's clock, yet published (a preview): pages say when it will appear."""
    translations: tuple[Translation, ...] = ()
    """Its versions in other languages, by language code."""
    x_default: str = ""
    """With translations: the URL of the version for readers whose language has none (the site's language's, else
    the oldest)."""

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
    def image_alt(self) -> str | None:
        """What `image` shows, for those who cannot see it (the front matter's `image: {alt: ...}`)."""
        return self.doc.image_alt

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
class Series:
    """Posts that are parts of one series (`series:` in their front matter), in order: by `series_order`, else by
    date."""

    name: str
    slug: str
    url: str
    """'/series/<slug>/'."""
    posts: tuple[Post, ...]
    """The parts, first part first."""

    def part(self, post: Post) -> int:
        """The place of `post` in the series, from 1 (0 when it is not a part of it)."""
        return next((n for n, part in enumerate(self.posts, 1) if part.url == post.url), 0)


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
    prefix: str = "/"
    """Where its lists live: '/' for the whole site or the site's language, '/en/' for another language's edition."""
    editions: tuple[Site, ...] = ()
    """With `language_mode: separate`, the site as each language's pages see it (its own posts, pages, tags, years
    and lists), the site's language first; empty when every language shares one home page."""
    series: tuple[Series, ...] = ()
    """By name."""
    upcoming: tuple[Post, ...] = ()
    """Posts dated after the build's clock and so left out of the site, soonest first: a later build publishes
    them."""
    clock: datetime | None = None
    """The build's clock: what is dated after it is not published yet."""
    _index: _SiteIndex = field(init=False, repr=False, compare=False)
    """Positions of posts in the site's and each tag's list, made once so neighbours and related posts are cheap."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _SiteIndex.of(self.posts, self.tags, self.series))

    @property
    def languages(self) -> tuple[str, ...]:
        """The site's language, then every other language a post or page is written in."""
        langs = [self.config.language, *(p.lang for p in (*self.posts, *self.pages))]
        return tuple(dict.fromkeys(langs))

    def edition(self, lang: str) -> Site:
        """The site as a page in language `lang` sees it: its language's edition, else the whole site."""
        return next((edition for edition in self.editions if edition.config.language == lang), self)

    def tag(self, name: str) -> Tag | None:
        return self._index.tags.get(name)

    def series_of(self, post: Post) -> Series | None:
        """The series `post` is a part of, if any."""
        return self._index.series.get(post.doc.series) if post.doc.series else None

    def position(self, post: Post) -> int:
        """The post's place in `posts` (newest first); after every post for one the site does not list."""
        return self._index.positions.get(post.url, len(self.posts))

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
    series: dict[str, Series]

    @classmethod
    def of(cls, posts: tuple[Post, ...], tags: tuple[Tag, ...], series: tuple[Series, ...]) -> _SiteIndex:
        return cls({p.url: i for i, p in enumerate(posts)}, {t.name: t for t in tags},
                   {(t.name, p.url): i for t in tags for i, p in enumerate(t.posts)},
                   max((p.updated or p.date for p in posts if p.date), default=None), {s.name: s for s in series})
