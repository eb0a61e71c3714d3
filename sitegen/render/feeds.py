"""Feeds for the whole site, each tag and each series: RSS 2.0 and Atom (written with feedgen) and JSON Feed 1.1.

Every item carries the full post HTML with absolute links, a stable id (the post's absolute URL), its times with
their zone, and the reply-by-email link (RSS `<comments>`, Atom `<link rel="replies">`).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from ..markdown import TABLE_ALIGN_CLASSES
from ..site.model import Post, Series, Site, Tag
from ..site.urls import FEED_FILES, absolute_url
from ..sources.config import Config
from ..text import resolve_links

# Characters XML 1.0 forbids (all C0 controls but tab, newline, carriage return; surrogates; U+FFFE/U+FFFF), and
# the ones it discourages (DEL and the C1 controls, which readers misread as Windows-1252; noncharacters).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_URL_SAFE = "/#?=&%:~+@!$'()*,;"

FEED_FORMATS: dict[str, tuple[str, str]] = dict(zip(FEED_FILES, (
    ("application/rss+xml", "RSS"), ("application/atom+xml", "Atom"), ("application/feed+json", "JSON Feed"),
), strict=True))
"""File name -> (media type, format name), in the order pages list them."""


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One feed, as a page links it (`<link rel="alternate">`) and the follow page lists it."""

    url: str
    """Absolute, percent-encoded URL of the feed."""
    path: str
    """Site-relative URL: '/feed.xml', '/tags/شبكات/atom.xml'."""
    media_type: str
    format: str
    """'RSS', 'Atom' or 'JSON Feed'."""
    title: str


@dataclass(frozen=True, slots=True)
class FeedSet:
    """The posts one group of feeds carries: the whole site's, or one tag's."""

    title: str
    page: str
    """Site-relative URL of the page the feeds follow ('/' or '/tags/x/'); the feeds live in that folder."""
    posts: tuple[Post, ...]
    """Newest first, at most `feed_limit`."""

    def path(self, name: str) -> str:
        return f"{self.page}{name}"


def xml_text(text: str) -> str:
    """Text with the characters XML cannot carry removed."""
    return _XML_FORBIDDEN.sub("", text)


def feed_title(text: str, fallback: str) -> str:
    """A title feeds can carry: never empty, even when the written one was only characters XML forbids."""
    return xml_text(text).strip() or fallback


def site_feed_set(site: Site) -> FeedSet:
    return FeedSet(site_title(site.config), site.prefix, site.posts[: site.config.feed_limit])


def tag_feed_set(site: Site, tag: Tag) -> FeedSet:
    return FeedSet(f"{site_title(site.config)} · {feed_title(tag.name, tag.slug)}", tag.url,
                   tag.posts[: site.config.feed_limit])


def series_feed_set(site: Site, series: Series) -> FeedSet:
    """The feeds of a series: its parts, newest first, as every feed lists posts."""
    newest = tuple(sorted(series.posts, key=site.position))  # the site's order (newest first), without its scan
    return FeedSet(f"{site_title(site.config)} · {feed_title(series.name, series.slug)}", series.url,
                   newest[: site.config.feed_limit])


def item_terms(post: Post) -> list[str]:
    return [term for name in post.tag_names if (term := xml_text(name).strip())]


def site_title(config: Config) -> str:
    return feed_title(config.title, urlsplit(config.base_url).netloc)


def feed_links(config: Config, feeds: FeedSet | None = None) -> tuple[FeedLink, ...]:
    """The three feeds of a feed set (the whole site's by default), RSS first."""
    page = feeds.page if feeds else "/"
    title = feeds.title if feeds else site_title(config)
    return tuple(FeedLink(absolute_url(config, page + name), page + name, media, fmt, f"{title} ({fmt})")
                 for name, (media, fmt) in FEED_FORMATS.items())


def render_json_feed(site: Site, feeds: FeedSet, bodies: FeedBodies | None = None) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), serialized by json.dumps so every string is escaped."""
    config = site.config
    bodies = bodies or FeedBodies()
    author = _json_author(config)
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": feeds.title,
        "home_page_url": absolute_url(config, feeds.page),
        "feed_url": absolute_url(config, feeds.path("feed.json")),
        "description": feed_title(config.description, feeds.title),
        "language": config.language,
        "authors": [author],
        "items": [_json_item(post, config, bodies) for post in feeds.posts],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(post: Post, config: Config, bodies: FeedBodies) -> dict[str, Any]:
    url = absolute_url(config, post.url)
    published = post.date or EPOCH
    item: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": feed_title(post.title, post.slug),
        "content_html": bodies(post, url),
        "summary": xml_text(post.description),
        "date_published": _rfc3339(published),
        "date_modified": _rfc3339(post.updated or published),
        "language": post.lang,
    }
    if post.image:
        item["image"] = _absolute_ref(post.image, url)
    if post.tag_names:
        item["tags"] = item_terms(post)
    if author := own_author(post, config):
        item["authors"] = [{key: value for key, value in author.items() if key != "email"}]
    return item


def item_html(post: Post, url: str) -> str:
    """The post's HTML for a feed, links made absolute, in an element carrying its language and direction: a feed
    reader shows an Arabic post right to left only when the HTML says so. Aligned table cells get back the style
    attribute markdown-it gives them: a reader has no site stylesheet to style their class (nor the site's CSP)."""
    lang = html.escape(post.lang, quote=True)
    body = _ALIGNED_CELL.sub(lambda m: f'<{m[1]} style="{_ALIGN_STYLES[m[2]]}"', resolve_links(post.content, url))
    return xml_text(f'<div lang="{lang}" dir="{post.dir}">{body}</div>')


class FeedBodies:
    """Each post's feed HTML (`item_html`), made once per build however many feeds carry the post: the site's and
    each of its tags', in three formats (at 100 posts, 2,439 calls for 101 posts, a third of a cold build)."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, post: Post, url: str) -> str:
        body = self.known.get(url)
        if body is None:
            body = self.known[url] = item_html(post, url)
        return body


_ALIGN_STYLES = {name: style for style, name in TABLE_ALIGN_CLASSES.items()}
_ALIGNED_CELL = re.compile(f'<(th|td) class="({"|".join(_ALIGN_STYLES)})"')


def own_author(post: Post, config: Config) -> dict[str, str] | None:
    """A post's own author, when it is not the site's: name, and the page (absolute) and email address when known;
    None for the site's author, whom the feed names once for every item."""
    name = post.doc.author
    if not name or name == config.author.name:
        return None
    author = {"name": feed_title(name, config.author.name)}
    if post.doc.author_url:
        author["url"] = _absolute_ref(post.doc.author_url, absolute_url(config, post.url))
    if post.doc.author_email:
        author["email"] = xml_text(post.doc.author_email)
    return author


def _json_author(config: Config) -> dict[str, str]:
    author = {"name": feed_title(config.author.name, site_title(config)), "url": absolute_url(config, "/")}
    if config.author.image:
        author["avatar"] = _absolute_ref(config.author.image, config.base_url)
    return author


def _absolute_ref(ref: str, base: str) -> str:
    """A link or image reference made absolute against `base`, percent-encoded (Arabic file names)."""
    return urljoin(base, quote(ref, safe=_URL_SAFE))


def _rfc3339(when: datetime) -> str:
    return when.isoformat(timespec="seconds")
