"""Rendering the Site: a plan of every output path, then pages through templates, feeds, sitemap, static files.

The plan is cheap to make and renders nothing; `sitegen build` renders all of it, the preview server renders one
path when a browser asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..markdown import pygments_css
from ..site.assemble import paginate
from ..site.model import Post, Site
from ..site.urls import FOLLOW_URL, thanks_url, url_to_path
from ..sources.theme import Theme
from .feeds import FEED_FORMATS, FeedSet, feed_links, site_feed_set, tag_feed_set
from .fingerprint import is_fingerprinted_kind
from .netlify import render_redirects
from .sitemap import render_robots, render_sitemap


@dataclass(slots=True)  # not frozen: ten thousand of these are made on every preview rebuild
class PageRoute:
    """An HTML page to render: its URL, template and what the template sees."""

    url: str
    template: str
    title: str | None
    lang: str
    description: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None
    """The content file the page shows, if any."""
    indexed: bool = True
    """False for pages search engines and the sitemap should leave out (404, thank-you pages)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Every output path of the site and how to make it."""

    pages: dict[str, PageRoute]
    """Output path ('posts/x/index.html') -> page."""
    generated: dict[str, Callable[[], bytes]]
    """Output path -> function making the file (feeds, sitemap, robots.txt)."""
    copies: dict[str, Path]
    """Output path -> file copied as it is (theme and site static files, post bundles)."""
    assets: tuple[str, ...] = ()
    """Stylesheets and scripts of the theme and site (output paths) that a build also writes fingerprinted."""
    generated_from: dict[str, tuple[Post | Path, ...]] = field(default_factory=dict)
    """Output path of a generated file -> the posts whose text it shows and the files it reads, beyond what every
    page shows of the site (titles, dates, URLs), so a build can tell when it need not make the file again."""

    @property
    def paths(self) -> set[str]:
        return set(self.pages) | set(self.generated) | set(self.copies)


def plan_site(site: Site, theme: Theme) -> Plan:
    """Map every output path to the page, generator or file that makes it."""
    config = site.config
    lang = config.language
    routes: list[PageRoute] = []
    copies: dict[str, Path] = {}
    for folder in [*theme.static_dirs, config.root / "static"]:
        copies.update(_tree(folder))
    own_redirects = copies.pop("_redirects", None)
    assets = (*(path for path in copies if is_fingerprinted_kind(path)), "highlight.css")
    for pager in paginate(site.posts, config.posts_per_page, "/"):
        routes.append(PageRoute(pager.url, "index.html", config.title, lang, values={"pager": pager}))
    for post in (*site.posts, *site.pages):
        template = post.doc.template or ("post.html" if post.kind == "posts" else "page.html")
        routes.append(PageRoute(post.url, template, post.title, post.lang, post.description, {"post": post},
                                source=post.doc.path))
        copies.update(_bundle(post.doc.source.bundle, post.doc.path, post.url))
    routes.append(PageRoute("/tags/", "tags.html", None, lang))
    tag_feeds = {tag.name: feed_links(config, tag_feed_set(site, tag)) for tag in site.tags}
    for tag in site.tags:
        for pager in paginate(tag.posts, config.posts_per_page, tag.url):
            routes.append(PageRoute(pager.url, "tag.html", tag.name, lang,
                                    values={"tag": tag, "pager": pager, "tag_feeds": tag_feeds[tag.name]}))
    routes.append(PageRoute("/archive/", "archive.html", None, lang))
    routes.append(PageRoute(FOLLOW_URL, "follow.html", None, lang, values={"tag_feeds": tag_feeds}))
    for language in site.languages:
        routes.append(PageRoute(thanks_url(config, language), "thanks.html", None, language, indexed=False))
    routes.append(PageRoute("/404.html", "404.html", None, lang, indexed=False))
    pages = {url_to_path(r.url): r for r in routes}
    sitemap_urls = sorted(r.url for r in routes if r.indexed)
    generated: dict[str, Callable[[], bytes]] = {}
    generated_from: dict[str, tuple[Post | Path, ...]] = {}
    for feed_set in [site_feed_set(site), *(tag_feed_set(site, tag) for tag in site.tags)]:
        files = _feed_files(site, feed_set)
        generated.update(files)
        generated_from.update(dict.fromkeys(files, feed_set.posts))
    generated["sitemap.xml"] = lambda: render_sitemap(site, sitemap_urls)
    generated["robots.txt"] = lambda: render_robots(site)
    generated["highlight.css"] = lambda: pygments_css().encode()
    if own_redirects is not None or any(p.aliases for p in (*site.posts, *site.pages)):
        existing = own_redirects.read_bytes() if own_redirects else b""
        generated["_redirects"] = lambda: render_redirects(site, existing)
        generated_from["_redirects"] = (own_redirects,) if own_redirects else ()
    return Plan(pages, generated, copies, assets, generated_from)


def _feed_files(site: Site, feed_set: FeedSet) -> dict[str, Callable[[], bytes]]:
    """The three feed files of a feed set, made together the first time one of them is asked for."""
    def make() -> dict[str, bytes]:
        from .feedxml import render_feeds  # feedgen and lxml load only when a feed is written, not on every rebuild

        return render_feeds(site, feed_set)

    made = _once(make)
    folder = feed_set.page.lstrip("/")
    return {folder + name: (lambda path=folder + name: made()[path]) for name in FEED_FORMATS}


def _once(make: Callable[[], dict[str, bytes]]) -> Callable[[], dict[str, bytes]]:
    cache: list[dict[str, bytes]] = []

    def get() -> dict[str, bytes]:
        if not cache:
            cache.append(make())
        return cache[0]

    return get


def _bundle(bundle: Path | None, index: Path, url: str) -> dict[str, Path]:
    if bundle is None:
        return {}
    prefix = url_to_path(url).rsplit("/", 1)[0]
    return {f"{prefix}/{f.relative_to(bundle).as_posix()}": f for f in sorted(bundle.rglob("*"))
            if f.is_file() and f != index and not f.name.startswith(".")}


def _tree(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {f.relative_to(folder).as_posix(): f for f in sorted(folder.rglob("*"))
            if f.is_file() and not f.name.startswith(".")}
