"""RSS 2.0 and Atom feeds, written with feedgen: full post HTML with absolute links, stable ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from .site import Post, Site
from .templates import absolute_url
from .text import resolve_links

# Characters XML 1.0 forbids (all C0 controls but tab, newline, carriage return; surrogates; U+FFFE/U+FFFF).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def xml_text(text: str) -> str:
    """Text with the characters XML cannot carry removed."""
    return _XML_FORBIDDEN.sub("", text)


def render_feeds(site: Site) -> dict[str, bytes]:
    """`feed.xml` (RSS 2.0) and `atom.xml` (Atom 1.0) for the newest posts."""
    return {
        "feed.xml": _feed(site, "/feed.xml", "application/rss+xml").rss_str(pretty=True),
        "atom.xml": _feed(site, "/atom.xml", "application/atom+xml").atom_str(pretty=True),
    }


def _feed(site: Site, self_path: str, media_type: str) -> FeedGenerator:
    config = site.config
    home = absolute_url(config, "/")
    fg = FeedGenerator()
    fg.id(home)
    fg.link(href=absolute_url(config, self_path), rel="self", type=media_type)
    fg.link(href=home, rel="alternate")
    fg.title(xml_text(config.title))
    fg.subtitle(xml_text(config.description or config.title))
    fg.description(xml_text(config.description or config.title))
    fg.language(config.language)
    author = {"name": xml_text(config.author.name)}
    if config.author.email:
        author["email"] = config.author.email
    fg.author(author)
    fg.generator("sitegen")
    latest = site.latest or _EPOCH
    fg.updated(latest)
    fg.lastBuildDate(latest)
    for post in site.posts[: config.feed_limit]:
        _add_entry(fg, post, site)
    return fg


def _add_entry(fg: FeedGenerator, post: Post, site: Site) -> None:
    url = absolute_url(site.config, post.url)
    entry = fg.add_entry(order="append")
    entry.id(url)
    entry.guid(url, permalink=True)
    entry.title(xml_text(post.title))
    entry.link(href=url, rel="alternate")
    published = post.date or _EPOCH
    entry.published(published)
    entry.updated(post.updated or published)
    entry.description(xml_text(post.description))
    entry.content(xml_text(resolve_links(post.content, url)), type="html")
    for name in post.tag_names:
        entry.category(term=xml_text(name))
