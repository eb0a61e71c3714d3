"""Every URL of the site, claimed in one place before anything is rendered.

sitegen's own pages and files claim their addresses first (home and its pages, tag index and tag pages with their
feeds, series pages with their feeds, archive, follow, thank-you, search and 404 pages, feeds, sitemap, robots.txt,
the highlighting stylesheet, `_redirects`, the schedule of posts to come, the `_immutable/` and `pagefind/` folders),
then posts and pages in the order of their files, then aliases, then the files published beside posts and the static
files. A second claim of one output path is an error naming both claimants, at the file of the later one; paths are
compared as a case-insensitive file system would compare them, so a site never depends on which of two files a host
keeps. Static files override the theme's static files of the same name before they get here: that is a choice, not a
collision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple, TypeVar
from urllib.parse import urlsplit

from ..errors import SourceError, display_path
from ..sources.config import Config
from .assemble import paginate
from .model import Pager, Post, Series, Site, Tag, Translation
from .urls import FEED_FILES, FOLLOW_URL, IMMUTABLE_FOLDER, inside, thanks_url, url_to_path

_R = TypeVar("_R", "PageRoute", "FileRoute")
PageKind = Literal["home", "post", "page", "tags", "tag", "series", "archive", "follow", "thanks", "search", "404"]
FileKind = Literal["feed", "sitemap", "robots", "stylesheet", "redirects", "schedule", "card"]
SCHEDULE_FILE = "sitegen-schedule.json"
"""The times of the posts a later build will publish, for the Netlify function that starts that build
(netlify/functions/publish-scheduled.mjs); written only when there are such posts."""
CARD_NAME = "card.png"
"""A share card's file name beside its page: '/posts/x/' has '/posts/x/card.png', the home page '/card.png'."""

SEARCH_URL = "/search/"
"""The search page (its index is written by build.search)."""
SEARCH_FOLDER = "pagefind"
"""The folder of the search index: Pagefind's files, written after the pages."""


@dataclass(slots=True)  # not frozen: ten thousand of these are made on every preview rebuild
class PageRoute:
    """An HTML page: its URL, kind and template, and what its template is given."""

    url: str
    kind: PageKind
    template: str
    title: str | None
    lang: str
    description: str | None = None
    source: Path | None = None
    """The content file the page shows, if any."""
    indexed: bool = True
    """False for pages search engines and the sitemap should leave out (404, thank-you pages)."""
    post: Post | None = None
    """The post or page a post's or page's route shows."""
    pager: Pager | None = None
    """The page of a list (home, a tag) the route shows."""
    tag: Tag | None = None
    """The tag a tag page shows."""
    edition: str = ""
    """The language of the edition whose list the page is (`language_mode: separate`); '' for the site's."""
    translations: tuple[Translation, ...] = ()
    """The page's versions in other languages."""
    x_default: str = ""
    """With translations: the URL of the version for readers of any other language."""
    series: Series | None = None
    """The series a series page shows."""


@dataclass(frozen=True, slots=True)
class FileRoute:
    """A file sitegen generates: a feed (of the whole site, of `tag` or of `series`), the sitemap, robots.txt, the
    highlighting stylesheet, `_redirects`, the schedule of posts to come, or the share card of a post (or, without
    `post`, of the home page)."""

    kind: FileKind
    tag: Tag | None = None
    feed: str = ""
    """The feed's file name ('feed.xml', 'atom.xml', 'feed.json')."""
    edition: str = ""
    """The language of the edition whose feed it is (`language_mode: separate`); '' for the site's."""
    series: Series | None = None
    post: Post | None = None
    """The post a share card shows."""


@dataclass(frozen=True, slots=True)
class Routes:
    """Every output path of the site, each claimed once."""

    pages: dict[str, PageRoute]
    """Output path ('posts/x/index.html') -> page."""
    files: dict[str, FileRoute]
    """Output path -> file sitegen generates."""
    copies: dict[str, Path]
    """Output path -> file copied as it is (static files, files beside a post)."""

    @property
    def paths(self) -> set[str]:
        return set(self.pages) | set(self.files) | set(self.copies)


class _Owner(NamedTuple):
    """Who claimed a path, as an error names it."""

    kind: Literal["sitegen", "content", "alias", "file"]
    what: str
    """'sitegen's archive page', 'the URL', 'the alias', 'the static file'."""
    source: Path | None = None
    url: str = ""


def claim_routes(site: Site, static: Mapping[str, Path], *, redirects: bool,
                 memo: RouteMemo | None = None) -> tuple[Routes, list[SourceError]]:
    """Claim every URL of `site`, with its `static` files (output path -> file) and, when `redirects`, a
    `_redirects` file; every path claimed twice is an error. `memo` holds the routes of posts claimed before."""
    claims = _Claims(site.config.root)
    config = site.config
    lang = config.language
    claims.reserve(IMMUTABLE_FOLDER, "sitegen's folder of fingerprinted stylesheets and scripts")
    if config.search:
        claims.reserve(SEARCH_FOLDER, "sitegen's search index")
    ours = [route for edition in site.editions or (site,) for route in _list_routes(edition, config)]
    _link_editions(ours, lang)
    ours += [PageRoute(series.url, "series", "series.html", series.name, _series_language(series, lang),
                       pager=Pager(1, 1, series.posts, series.url, None, None), series=series)
             for series in site.series]
    ours += [PageRoute(thanks_url(config, language), "thanks", "thanks.html", None, language, indexed=False)
             for language in site.languages]
    if config.search:
        ours.append(PageRoute(SEARCH_URL, "search", "search.html", None, lang, indexed=False))
    ours.append(PageRoute("/404.html", "404", "404.html", None, lang, indexed=False))
    pages = claims.claim_pages(ours)
    generated: dict[str, FileRoute] = {}
    for edition in site.editions or (site,):
        own = _edition_code(edition)
        generated.update((url_to_path(tag.url + name), FileRoute("feed", tag, name, own))
                         for tag in edition.tags for name in FEED_FILES)
        generated.update((url_to_path(edition.prefix + name), FileRoute("feed", feed=name, edition=own))
                         for name in FEED_FILES)
    generated.update((url_to_path(series.url + name), FileRoute("feed", feed=name, series=series))
                     for series in site.series for name in FEED_FILES)
    generated["sitemap.xml"] = FileRoute("sitemap")
    generated["robots.txt"] = FileRoute("robots")
    generated["highlight.css"] = FileRoute("stylesheet")
    if redirects:
        generated["_redirects"] = FileRoute("redirects")
    if site.upcoming:
        generated[SCHEDULE_FILE] = FileRoute("schedule")
    if config.share_cards:
        generated[CARD_NAME] = FileRoute("card")
    files = {path: route for path, route in generated.items()
             if claims.claim(path, _Owner("sitegen", _file_what(route), url="/" + path))}

    documents = (*site.posts, *site.pages)
    made = memo.routes if memo is not None else {}
    post_routes = [known if (known := made.get(post.url)) is not None and same_post(known.post, post)
                   else _post_route(post) for post in documents]
    if memo is not None:
        memo.routes = {route.url: route for route in post_routes}
    pages.update(claims.claim_pages(post_routes))
    if config.share_cards:  # a post whose page lost its address to another has no card: its error is enough
        drawn = memo.cards if memo is not None else {}
        cards = [entry if (entry := drawn.get(post.url)) is not None and same_post(entry[1].post, post)
                 else (card_path(post.url), FileRoute("card", post=post)) for post in site.posts
                 if (claimed := pages.get(url_to_path(post.url))) and claimed.post is post]
        if memo is not None:
            memo.cards = {route.post.url: (path, route) for path, route in cards if route.post is not None}
        files.update(claims.claim_all(cards))
    for post in documents:
        for alias in post.aliases:
            url, path = alias_path(alias)
            claims.claim(path, _Owner("alias", "the alias", post.doc.path, url))
    copies: dict[str, Path] = {}
    for post in documents:
        bundle = post.doc.source.bundle
        if bundle is None:
            continue
        folder = url_to_path(post.url).rsplit("/", 1)[0]
        for relative in post.doc.source.bundle_files:
            source = bundle / relative
            if claims.claim(f"{folder}/{relative}", _Owner("file", "the file", source)):
                copies[f"{folder}/{relative}"] = source
    for path, source in static.items():
        if claims.claim(path, _Owner("file", "the static file", source)):
            copies[path] = source
    return Routes(pages, files, copies), claims.errors


def _post_route(post: Post) -> PageRoute:
    return PageRoute(post.url, "post" if post.kind == "posts" else "page",
                     post.doc.template or ("post.html" if post.kind == "posts" else "page.html"), post.title,
                     post.lang, post.description, post.doc.path, post=post, translations=post.translations,
                     x_default=post.x_default)


def same_post(known: Post | None, post: Post) -> bool:
    """Whether what was made of `known` holds for `post`: the same object, or an equal one (a post given its
    translations or counts anew by every assembly)."""
    return known is post or known == post


@dataclass(slots=True)
class RouteMemo:
    """What the last claim and link check made of each post, for the next ones to take where the post is the same
    (posts are immutable values, so what was made of one holds for an equal one). The preview keeps one between
    rebuilds, where an edit changes one post of thousands; a build has none. Taking from it changes no result."""

    routes: dict[str, PageRoute] = field(default_factory=dict)
    """A post's URL -> its route (which holds the post)."""
    cards: dict[str, tuple[str, FileRoute]] = field(default_factory=dict)
    """A post's URL -> its share card's output path and route (which holds the post)."""
    paths: frozenset[str] = frozenset()
    """The site's output paths the links below were checked against."""
    checked: dict[str, Post] = field(default_factory=dict)
    """A post's URL -> the post, for each post whose links were checked against `paths`."""
    warnings: dict[str, tuple[SourceError, ...]] = field(default_factory=dict)
    """A post's URL -> what checking its links found, for the checked posts with broken links."""


def _list_routes(site: Site, config: Config) -> list[PageRoute]:
    """The lists of a site or of one language's edition, under its prefix: home and its pages, tag index and tag
    pages, archive, follow page."""
    lang, prefix, edition = site.config.language, site.prefix, _edition_code(site)
    routes = [PageRoute(pager.url, "home", "index.html", site.config.title, lang, pager=pager, edition=edition)
              for pager in paginate(site.posts, config.posts_per_page, prefix)]
    routes.append(PageRoute(f"{prefix}tags/", "tags", "tags.html", None, lang, edition=edition))
    routes += [PageRoute(pager.url, "tag", "tag.html", tag.name, lang, pager=pager, tag=tag, edition=edition)
               for tag in site.tags for pager in paginate(tag.posts, config.posts_per_page, tag.url)]
    routes.append(PageRoute(f"{prefix}archive/", "archive", "archive.html", None, lang, edition=edition))
    routes.append(PageRoute(f"{prefix}follow/" if edition else FOLLOW_URL, "follow", "follow.html", None, lang,
                            edition=edition))
    return routes


def _edition_code(site: Site) -> str:
    """'' for the whole site and the edition at the root, else the edition's language."""
    return "" if site.prefix == "/" else site.config.language


def _link_editions(routes: list[PageRoute], site_language: str) -> None:
    """Each edition's home page (its first page), tag index, archive and follow page are versions of the others'."""
    by_kind: dict[str, list[PageRoute]] = {}
    for route in routes:
        if route.kind in ("home", "tags", "archive", "follow") and (route.pager is None or route.pager.number == 1):
            by_kind.setdefault(route.kind, []).append(route)
    for versions in by_kind.values():
        if len(versions) < 2:
            continue
        x_default = next((r.url for r in versions if r.lang == site_language), versions[0].url)
        for route in versions:
            route.translations = tuple(Translation(other.lang, other.url, other.title or "")
                                       for other in sorted(versions, key=lambda r: r.lang) if other is not route)
            route.x_default = x_default
def card_path(url: str) -> str:
    """The output path of the share card of the page at `url` (a folder: permalinks end in '/'), beside the page:
    '/posts/x/' -> 'posts/x/card.png'."""
    return url_to_path(url).removesuffix("index.html") + CARD_NAME


def alias_path(alias: str) -> tuple[str, str]:
    """An alias as the URL it redirects from and the output path a page there would have: '/old' ->
    ('/old/', 'old/index.html'); with a query ('/?p=12'), a key no file has."""
    parts = urlsplit(alias.strip())
    url = "/" + parts.path.strip("/")
    if url != "/" and "." not in url.rsplit("/", 1)[-1]:
        url += "/"  # like the pages sitegen writes; Netlify matches it with and without the slash
    if parts.query:
        return f"{url}?{parts.query}", f"{url_to_path(url)}?{parts.query}"
    return url, url_to_path(url)


class _Claims:
    """The paths claimed so far, folded as a case-insensitive file system folds them, and the errors found."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.taken: dict[str, tuple[str, _Owner | PageRoute | FileRoute]] = {}
        """Folded path -> (path as claimed, owner: a page's route stands for the claim of its URL)."""
        self.folders: dict[str, tuple[str, _Owner | PageRoute | FileRoute]] = {}
        """Folded folder -> (a path under it, its owner)."""
        self.reserved: dict[str, str] = {}
        """Folded top folder sitegen keeps for itself -> what it is."""
        self.errors: list[SourceError] = []

    def reserve(self, folder: str, what: str) -> None:
        self.reserved[folder.casefold()] = what

    def claim_pages(self, routes: Sequence[PageRoute]) -> dict[str, PageRoute]:
        """Claim the URL of each page; returns the routes that got theirs, by output path."""
        return self.claim_all([(url_to_path(route.url), route) for route in routes])

    def claim_all(self, entries: Sequence[tuple[str, _R]]) -> dict[str, _R]:
        """Claim each (output path, route); returns those that got their path. A site has thousands of pages and
        cards, claimed on every preview rebuild: when none collides with anything (nearly always), they are claimed
        together, else one by one as every other path is. A claim made here names its route: what an error says of
        it is worked out only when there is an error."""
        keys = {path.casefold(): (path, route) for path, route in entries}
        new_folders: dict[str, tuple[str, _Owner | PageRoute | FileRoute]] = {}
        together = (len(keys) == len(entries) and keys.keys().isdisjoint(self.taken)
                    and keys.keys().isdisjoint(self.folders)
                    and all(".." not in path and not path.startswith("/") for path, _ in entries))
        if together:
            for key, entry in keys.items():
                cut = key.rfind("/")
                while cut > 0:
                    folder = key[:cut]
                    if folder in self.folders or folder in new_folders:
                        break
                    new_folders[folder] = entry
                    cut = folder.rfind("/")
            together = (new_folders.keys().isdisjoint(self.taken) and new_folders.keys().isdisjoint(keys)
                        and new_folders.keys().isdisjoint(self.reserved))
        if not together:
            return {path: route for path, route in entries if self.claim(path, _owner(route))}
        self.taken.update(keys)
        self.folders.update(new_folders)
        return dict(entries)

    def claim(self, path: str, owner: _Owner) -> bool:
        """Claim `path` for `owner`; False (and an error) when it cannot be had."""
        if (".." in path or path.startswith("/") or not path) and not inside(path):
            self._error(owner, path, "refusing to write outside the output folder")
            return False
        key = path.casefold()
        earlier = self.taken.get(key)
        if earlier is not None:
            if _owner(earlier[1]).kind == owner.kind == "file" and earlier[0] != path:  # Logo.png beside logo.png
                self.taken[path] = (path, owner)  # kept apart (as a file system that tells them apart does)
                return True
            self._collision(owner, path, _owner(earlier[1]))
            return False
        if (inner := self.folders.get(key)) is not None:
            self._folder_taken(owner, path, path, _owner(inner[1]))
            return False
        new: list[str] = []
        cut = key.rfind("/")
        while cut > 0:  # the folders the path lies in, nearest first, up to one known already
            folder = key[:cut]
            if (file := self.taken.get(folder)) is not None:
                self._folder_taken(owner, path, folder, _owner(file[1]))
                return False
            if folder in self.folders:
                break
            new.append(folder)
            cut = folder.rfind("/")
        else:  # a top folder no path claimed yet: is it sitegen's?
            if new and (what := self.reserved.get(new[-1])):
                self._error(owner, path, f"/{new[-1]}/ is {what}; nothing else may be written there",
                            hint="move it to another folder")
                return False
        self.taken[key] = (path, owner)
        for folder in new:
            self.folders[folder] = (path, owner)
        return True

    def _collision(self, owner: _Owner, path: str, first: _Owner) -> None:
        if owner.kind == "file":
            if first.kind in ("sitegen", "content"):
                self._error(owner, path, f"this file would overwrite the generated /{path}",
                            hint="rename or remove the static file" if owner.what == "the static file" else
                            "rename or remove the file")
            elif first.kind == "alias":
                self._error(owner, path, f"this file would hide the redirect from {first.url}, an alias of "
                            f"{self._shown(first.source)}", hint="rename or remove the file, or the alias")
            else:
                self._error(owner, path, f"this file would overwrite {self._describe(first)}",
                            hint="rename or remove one of the two")
        elif first.kind == "sitegen":
            self._error(owner, path, f"{owner.what} {owner.url} is already taken by {first.what}",
                        hint="sitegen makes that address itself; " + (
                            "remove the alias" if owner.kind == "alias" else "set another slug: in the front matter"))
        else:
            if owner.kind == first.kind == "content" and self._order(owner) < self._order(first):
                owner, first = first, owner  # the error is at the later file, as the files are listed
            self._error(owner, path, f"{owner.what} {owner.url} is already taken by {first.what} of "
                        f"{self._shown(first.source)}", hint="change the slug (or alias) of one of the two")

    def _folder_taken(self, owner: _Owner, path: str, folder: str, other: _Owner) -> None:
        """`folder` is a file of one claimant and a folder of the other."""
        this = "this file" if owner.kind == "file" else f"{owner.what} {owner.url}"
        if folder == path.casefold():
            message = f"{this} would be a file where {self._describe(other)} needs a folder"
        else:
            message = f"{this} needs a folder /{folder}/, where {self._describe(other)} is a file"
        self._error(owner, path, message, hint="a path cannot be a file and a folder at once: rename one of the two")

    def _describe(self, owner: _Owner) -> str:
        """'sitegen's robots.txt', 'the URL of content/posts/x.md', 'the alias /old/ of content/posts/x.md', 'the
        static file static/x.css'."""
        if owner.kind == "sitegen":
            return owner.what
        if owner.kind == "content":
            return f"{owner.what} of {self._shown(owner.source)}"
        if owner.kind == "alias":
            return f"{owner.what} {owner.url} of {self._shown(owner.source)}"
        return f"{owner.what} {self._shown(owner.source)}"

    def _error(self, owner: _Owner, path: str, message: str, hint: str | None = None) -> None:
        where = owner.source if owner.source is not None else Path(path)
        self.errors.append(SourceError(where, message, hint=hint))

    def _shown(self, path: Path | None) -> str:
        return display_path(path, self.root) if path is not None else ""

    def _order(self, owner: _Owner) -> tuple[bool, str]:
        """Posts before pages, then by file name: the order in which sources are found."""
        shown = self._shown(owner.source)
        return shown.startswith("content/pages/"), shown


def _owner(claimant: _Owner | PageRoute | FileRoute) -> _Owner:
    """The owner a claim names."""
    if isinstance(claimant, PageRoute):
        return _route_owner(claimant)
    if isinstance(claimant, FileRoute):
        url = claimant.post.url if claimant.post is not None else "/"
        return _Owner("sitegen", f"sitegen's share card of {url}", url="/" + card_path(url))
    return claimant


def _route_owner(route: PageRoute) -> _Owner:
    """A page's claim as errors name it: 'the URL' of a post or page, or one of sitegen's own pages."""
    if route.kind in ("post", "page"):
        return _Owner("content", "the URL", route.source, route.url)
    edition = f" in {route.edition!r}" if route.edition else ""
    if route.kind == "home":
        number = route.pager.number if route.pager is not None else 1
        return _Owner("sitegen", ("sitegen's home page" if number == 1 else f"page {number} of sitegen's home page")
                      + edition, url=route.url)
    if route.kind == "tag":
        return _Owner("sitegen", f"sitegen's page of the tag {route.title!r}{edition}", url=route.url)
    if route.kind == "series":
        return _Owner("sitegen", f"sitegen's page of the series {route.title!r}", url=route.url)
    return _Owner("sitegen", _PAGE_NAMES[route.kind] + edition, url=route.url)


_PAGE_NAMES = {"tags": "sitegen's tag index", "archive": "sitegen's archive page", "follow": "sitegen's follow page",
               "thanks": "sitegen's thank-you page", "search": "sitegen's search page", "404": "sitegen's 404 page"}
_FILE_NAMES = {"sitemap": "sitegen's sitemap", "robots": "sitegen's robots.txt",
               "stylesheet": "sitegen's stylesheet for highlighted code", "redirects": "sitegen's _redirects",
               "schedule": "sitegen's schedule of posts to come"}


def _file_what(route: FileRoute) -> str:
    if route.kind == "card":
        return "sitegen's share card of the home page"
    if route.kind == "feed":
        edition = f" in {route.edition!r}" if route.edition else ""
        if route.series:
            return f"sitegen's feed of the series {route.series.name!r}"
        return (f"sitegen's feed of the tag {route.tag.name!r}" if route.tag else "sitegen's feed") + edition
    return _FILE_NAMES[route.kind]


def _series_language(series: Series, site_language: str) -> str:
    """The language of a series' page: its parts', when they are all in one; else the site's."""
    languages = {post.lang for post in series.posts}
    return languages.pop() if len(languages) == 1 else site_language
