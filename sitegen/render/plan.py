"""The plan: every output path of the site and how to make it, from the claimed routes.

The plan is cheap to make and renders nothing; `sitegen build` renders all of it, the preview server renders one
path when a browser asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..markdown import pygments_css
from ..site.model import Post, Site
from ..site.routes import FileRoute, PageRoute, Routes
from ..site.translations import hreflang_links
from .cards import Card, CardStyle, card_key, home_card, post_card, render_card
from .feeds import FeedBodies, FeedSet, series_feed_set, site_feed_set, tag_feed_set
from .fingerprint import is_fingerprinted_kind
from .netlify import render_redirects
from .schedule import render_schedule
from .sitemap import Alternates, render_robots, render_sitemap


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
    generated_from: dict[str, tuple[Post | bytes, ...]] = field(default_factory=dict)
    """Output path of a generated file -> the posts whose text it shows and the bytes it includes, beyond what every
    page shows of the site (titles, dates, URLs), so a build can tell when it need not make the file again."""
    cards: Mapping[str, bytes] = field(default_factory=dict)
    """Output path of a share card -> all that it shows and how (`cards.card_key`): a card depends on nothing else of
    the site, so it is drawn again only when that changes."""

    @property
    def paths(self) -> set[str]:
        return set(self.pages) | set(self.generated) | set(self.copies)


def plan_site(site: Site, routes: Routes, own_redirects: str | None = None,
              card_style: CardStyle | None = None) -> Plan:
    """Map every claimed route to the page, generator or file that makes it. `own_redirects` is the text of the
    site's own `static/_redirects`, which the generated one starts with; `card_style` draws the share cards (without
    it, a site has none)."""
    generated: dict[str, Callable[[], bytes]] = {}
    generated_from: dict[str, tuple[Post | bytes, ...]] = {}
    cards: dict[str, Post | None] = {}
    feed_sets: dict[tuple[str, str], FeedSet] = {}
    bodies = FeedBodies()  # each post's feed HTML, made once for all the feeds that carry it
    sitemap_urls = sorted(route.url for route in routes.pages.values() if route.indexed)
    alternates = {route.url: links for route in routes.pages.values()
                  if route.indexed and (links := hreflang_links(route.lang, route.url, route.translations,
                                                                route.x_default))}
    for path, route in routes.files.items():
        if route.kind == "feed":
            edition = site.edition(route.edition) if route.edition else site.edition(site.config.language)
            key = (route.edition, route.series.url if route.series else route.tag.url if route.tag else "")
            feeds = feed_sets.get(key)
            if feeds is None:
                feeds = (series_feed_set(site, route.series) if route.series else
                         tag_feed_set(edition, route.tag) if route.tag else site_feed_set(edition))
                feed_sets[key] = feeds
            generated[path] = _feed_file(site if route.series else edition, feeds, route.feed, bodies)
            generated_from[path] = feeds.posts
        elif route.kind == "card":
            if card_style is not None:
                generated[path] = partial(_draw_card, site, route.post, card_style)
                cards[path] = route.post
        elif route.kind == "schedule":  # the build's clock and the times to come: not in the site's shape
            schedule = render_schedule(site)
            generated[path] = partial(bytes, schedule)
            generated_from[path] = (schedule,)
        else:
            generated[path] = _generator(site, route, sitemap_urls, alternates, own_redirects)
            if route.kind == "redirects":
                generated_from[path] = (own_redirects.encode(),) if own_redirects else ()
    assets = (*(path for path in routes.copies if is_fingerprinted_kind(path)), "highlight.css")
    return Plan(routes.pages, generated, routes.copies, assets, generated_from,
                _CardKeys(site, card_style, cards) if card_style is not None else {})


def _card_of(site: Site, post: Post | None) -> Card:
    return post_card(site, post) if post is not None else home_card(site)


def _draw_card(site: Site, post: Post | None, style: CardStyle) -> bytes:
    return render_card(_card_of(site, post), style)


class _CardKeys(Mapping[str, bytes]):
    """Each share card's key (`card_key`) by output path, worked out when asked for: a build asks for every one, the
    preview (which draws a card when a browser asks for it) for none."""

    def __init__(self, site: Site, style: CardStyle, posts: dict[str, Post | None]) -> None:
        self._site, self._style, self._posts = site, style, posts
        """The post each card shows (None: the home page's)."""

    def __getitem__(self, path: str) -> bytes:
        return card_key(_card_of(self._site, self._posts[path]), self._style)

    def __iter__(self) -> Iterator[str]:
        return iter(self._posts)

    def __len__(self) -> int:
        return len(self._posts)


def _generator(site: Site, route: FileRoute, sitemap_urls: list[str], alternates: Alternates,
               own_redirects: str | None) -> Callable[[], bytes]:
    if route.kind == "sitemap":
        return lambda: render_sitemap(site, sitemap_urls, alternates)
    if route.kind == "robots":
        return lambda: render_robots(site)
    if route.kind == "stylesheet":
        return lambda: pygments_css().encode()
    return lambda: render_redirects(site, own_redirects or "")


def _feed_file(site: Site, feeds: FeedSet, name: str, bodies: FeedBodies) -> Callable[[], bytes]:
    """One feed file of a feed set; the set's three files are made together the first time one is asked for."""
    made: list[dict[str, bytes]] = []

    def make() -> bytes:
        if not made:
            from .feedxml import render_feeds  # feedgen and lxml load only when a feed is written

            made.append(render_feeds(site, feeds, bodies))
        return made[0][feeds.page.lstrip("/") + name]

    return make
