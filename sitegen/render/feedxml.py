"""The feed files of a feed set: RSS 2.0 and Atom through feedgen, with what feedgen cannot say itself (the Atom
Threading Extension, slash:comments, each entry's own language), and the JSON Feed. This module loads feedgen and
lxml, so it is imported only when a feed is written, not on every rebuild."""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from ..site.model import Post, Site
from ..site.urls import absolute_url, reply_mailto
from ..sources.config import Config
from .feeds import (
    EPOCH,
    FEED_FORMATS,
    FeedBodies,
    FeedSet,
    feed_title,
    item_terms,
    own_author,
    render_json_feed,
    site_feed_set,
    site_title,
    xml_text,
)

THREAD_NS = "http://purl.org/syndication/thread/1.0"
SLASH_NS = "http://purl.org/rss/1.0/modules/slash/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def render_feeds(site: Site, feeds: FeedSet | None = None, bodies: FeedBodies | None = None) -> dict[str, bytes]:
    """The RSS, Atom and JSON feeds of a feed set (the whole site's by default), by output path; `bodies` keeps
    each post's feed HTML for the other feed sets of the build."""
    feeds = feeds or site_feed_set(site)
    bodies = bodies or FeedBodies()
    folder = feeds.page.lstrip("/")
    return {
        folder + "feed.xml": feed_generator(site, feeds, "feed.xml", bodies).rss_str(pretty=True),
        folder + "atom.xml": feed_generator(site, feeds, "atom.xml", bodies).atom_str(pretty=True),
        folder + "feed.json": render_json_feed(site, feeds, bodies),
    }


def feed_generator(site: Site, feeds: FeedSet, name: str, bodies: FeedBodies | None = None) -> FeedGenerator:
    """The RSS or Atom feed (by file `name`) of a feed set, with reply links and counts, ready to serialize."""
    config = site.config
    bodies = bodies or FeedBodies()
    media_type = FEED_FORMATS[name][0]
    page = absolute_url(config, feeds.page)
    fg = FeedGenerator()
    fg.register_extension("sitegen_atom", _FeedNamespaces, _AtomEntryExtras, atom=True, rss=False)
    fg.register_extension("sitegen_rss", _RssNamespaces, _RssItemExtras, atom=False, rss=True)
    fg.id(page)
    fg.link(href=absolute_url(config, feeds.path(name)), rel="self", type=media_type)
    fg.link(href=page, rel="alternate", type="text/html")
    fg.title(feeds.title)
    fg.subtitle(feed_title(config.description, feeds.title))
    fg.description(feed_title(config.description, feeds.title))
    fg.language(config.language)
    author = {"name": feed_title(config.author.name, site_title(config))}
    if config.author.email:
        author["email"] = config.author.email
    fg.author(author)
    fg.generator("sitegen")
    latest = max((p.updated or p.date for p in feeds.posts if p.date), default=None) or site.latest or EPOCH
    fg.updated(latest)
    fg.lastBuildDate(latest)
    for post in feeds.posts:
        _add_entry(fg, post, config, bodies)
    return fg


def _add_entry(fg: FeedGenerator, post: Post, config: Config, bodies: FeedBodies) -> None:
    url = absolute_url(config, post.url)
    entry = fg.add_entry(order="append")
    entry.id(url)
    entry.guid(url, permalink=True)
    entry.title(feed_title(post.title, post.slug))
    entry.link(href=url, rel="alternate", type="text/html")
    published = post.date or EPOCH
    entry.published(published)
    entry.updated(post.updated or published)
    entry.description(xml_text(post.description), isSummary=True)
    entry.content(bodies(post, url), type="html")
    for term in item_terms(post):
        entry.category(term=term)
    author = own_author(post, config)
    if author:  # Atom's <author>; RSS's <author> only with an address, else the RSS extras add <dc:creator>
        entry.author({"uri" if key == "url" else key: value for key, value in author.items()})
    mailto = reply_mailto(config.author.email, feed_title(post.title, post.slug), url)
    if mailto or config.reply_form:  # without an address to write to, the post's reply form is the way to reply
        entry.comments(mailto or f"{url}#replies")
    extras = {"mailto": mailto, "page": f"{url}#replies", "count": len(post.replies),
              "lang": post.lang if post.lang != config.language else None,
              "creator": author["name"] if author and "email" not in author else None}
    entry.sitegen_atom.extras = extras
    entry.sitegen_rss.extras = extras


class _FeedNamespaces(BaseExtension):  # type: ignore[misc]  # feedgen has no types
    """Declares the Atom Threading Extension (RFC 4685) namespace on the Atom feed."""

    def extend_ns(self) -> dict[str, str]:
        return {"thr": THREAD_NS}


class _RssNamespaces(BaseExtension):  # type: ignore[misc]  # feedgen has no types
    """Declares the slash namespace (reply counts) on the RSS feed."""

    def extend_ns(self) -> dict[str, str]:
        return {"slash": SLASH_NS}


class _AtomEntryExtras(BaseEntryExtension):  # type: ignore[misc]  # feedgen has no types
    """What feedgen cannot say in an Atom entry: its own xml:lang, and where replies go (RFC 4685)."""

    def __init__(self) -> None:
        self.extras: dict[str, Any] = {}

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        # feedgen writes Atom elements without a namespace under a literal xmlns attribute; so do we
        if self.extras.get("lang"):
            entry.set(XML_LANG, self.extras["lang"])
        if self.extras.get("mailto"):
            etree.SubElement(entry, "link", rel="replies", href=self.extras["mailto"])
        replies = etree.SubElement(entry, "link", rel="replies", type="text/html", href=self.extras["page"])
        replies.set(f"{{{THREAD_NS}}}count", str(self.extras["count"]))
        return entry


class _RssItemExtras(BaseEntryExtension):  # type: ignore[misc]  # feedgen has no types
    """The number of replies a post has, as `<slash:comments>` (what feed readers show beside `<comments>`), and a
    post's own author without an address as `<dc:creator>` (RSS's `<author>` must be one; both at once confuse
    readers: feedparser merges them into one garbled name)."""

    def __init__(self) -> None:
        self.extras: dict[str, Any] = {}

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if self.extras.get("count"):  # the validator wants a positive number here, so none when there is none
            etree.SubElement(item, f"{{{SLASH_NS}}}comments").text = str(self.extras["count"])
        if self.extras.get("creator"):  # declared here, so feeds without one stay as they were
            etree.SubElement(item, f"{{{DC_NS}}}creator", nsmap={"dc": DC_NS}).text = self.extras["creator"]
        return item
