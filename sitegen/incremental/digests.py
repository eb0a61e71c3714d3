"""What each output file was made from, as a digest: a page whose digest did not change since the last build is
carried over instead of rendered again. Every input of a page's digest is named here, in `SiteInputs` (what every
page depends on) and in `page_digests` (what one page or generated file depends on besides); a test changes each
one and checks that the rebuild equals a cold build.

A page is a function of sitegen itself, the configuration, the templates, the theme's words, the default sharing
image, and the data it is given. The digest of a post's own page covers the post's whole source (its cache key), its
replies and its counts of likes and reposts; list pages cover the sources and replies of the posts they list
(summaries, reading times, reply counts). Every page may link any post (navigation, related posts, archive, tag
index, series), so the digest of every page covers every post's URL, title, dates, tags, language and series. A theme
that shows what only a post's source gives (its text, summary, reading time, description, image, replies) on pages
that neither are the post's nor list it is the one case this does not see; `--no-cache` rebuilds everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..render.plan import Plan
from ..site.model import Post, Site
from ..site.routes import PageRoute
from ..sources.theme import ShareImage, Translations


@dataclass(frozen=True, slots=True)
class SiteInputs:
    """What every page and generated file depends on, each as a digest."""

    code: bytes
    """sitegen's code and version, and the versions of the libraries that shape its output."""
    configuration: bytes
    """The configuration file's bytes."""
    served: bytes
    """The base URL and whether pages are indexed, as the build uses them: the command line and the host (a deploy
    preview's own address) change them without changing the file."""
    templates: bytes
    """Every template of the site and its themes (names and bytes)."""
    translations: bytes
    """The theme's words, as loaded."""
    share_image: bytes
    """The default sharing image's address and size in pixels (pages give them in og:image)."""
    site_shape: bytes
    """Every post's and page's URL, title, dates, tags, language, draft flag, whether it is shown ahead of its
    date, its translation key, and its series and place in it: what any page may link or list (a page links its
    translations)."""
    assets: bytes
    """The fingerprinted names of the stylesheets and scripts pages link."""

    def digest(self) -> bytes:
        digest = hashlib.blake2b(digest_size=16)
        for value in dataclasses.astuple(self):
            digest.update(value)
        return digest.digest()


PAGE_INPUTS = ("route", "own post", "listed posts", "replies")
"""What a page depends on besides `SiteInputs`: its route (URL, template, title, language, description), the source
of the post it shows, the sources of the posts it lists (and which page of the list it is), and the replies of
both with their counts of likes, reposts and bookmarks (content/replies/<slug>/_mentions.yaml)."""
FILE_INPUTS = ("posts carried", "bytes included")
"""What a generated file (feed, sitemap, robots.txt, _redirects) depends on besides `SiteInputs` and its own path:
the posts it carries (a feed) and the bytes it includes (the site's own _redirects)."""
CARD_INPUTS = ("code", "card key")
"""All a share card depends on: sitegen's code and the libraries' versions (`SiteInputs.code`), and its key
(`Plan.cards`: its title, blog name, author, date, language, and the theme's card settings and fonts). Not the rest of
`SiteInputs`: editing one post, the templates or the configuration redraws no card whose text stays the same."""


def site_inputs(code: bytes, configuration: bytes, templates: bytes, translations: Translations,
                share_image: ShareImage | None, site: Site, asset_urls: Mapping[str, str]) -> SiteInputs:
    return SiteInputs(
        code=code,
        configuration=configuration,
        served=_digest(repr((site.config.base_url, site.config.noindex)).encode()),
        templates=templates,
        translations=_digest(json.dumps(translations, sort_keys=True, ensure_ascii=False, default=str).encode()),
        share_image=_digest(repr(share_image).encode()),
        site_shape=site_shape(site),
        assets=_digest(repr(sorted(asset_urls.items())).encode()),
    )


def site_shape(site: Site) -> bytes:
    """A digest of what any page may show of the whole site: every post's URL, title, dates, tags, language and
    translation key and series."""
    digest = hashlib.blake2b(digest_size=16)
    for post in (*site.posts, *site.pages):
        fields = (post.url, post.title, post.date, post.updated, post.tag_names, post.lang, post.doc.draft,
                  post.scheduled, post.doc.translation_key, post.doc.series, post.doc.series_order)
        digest.update(repr(fields).encode() + b"\0")
    return digest.digest()


def page_digests(plan: Plan, base: bytes, post_keys: Mapping[Path, bytes], code: bytes = b""
                 ) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The digest of every page of the plan, and of every generated file (feeds, sitemap, robots.txt, share cards);
    `base` is `SiteInputs.digest()`, `code` is `SiteInputs.code`."""
    keys = _PostKeys(post_keys)
    pages = {path: _route_digest(route, base, keys) for path, route in plan.pages.items()}
    return pages, _generated_digests(plan, base, keys, code)


def _generated_digests(plan: Plan, base: bytes, keys: _PostKeys, code: bytes) -> dict[str, bytes]:
    """`base`, the file's path, and the posts and bytes it is made from; for a share card, `code`, its path and its
    key alone."""
    digests = {}
    for path in plan.generated:
        card = plan.cards.get(path)
        if card is not None:
            digests[path] = hashlib.blake2b(code + b"\0" + path.encode() + b"\0" + card, digest_size=16).digest()
            continue
        digest = hashlib.blake2b(base, digest_size=16)
        digest.update(path.encode() + b"\0")
        for item in plan.generated_from.get(path, ()):
            digest.update(keys(item) if isinstance(item, Post) else item)
        digests[path] = digest.digest()
    return digests


def _route_digest(route: PageRoute, base: bytes, keys: _PostKeys) -> bytes:
    digest = hashlib.blake2b(base, digest_size=16)
    digest.update(f"{route.url}\0{route.template}\0{route.title}\0{route.lang}\0{route.description}".encode())
    if route.post is not None:
        digest.update(keys(route.post))
    if route.pager is not None:
        digest.update(f"{route.pager.number}/{route.pager.total}".encode())
        for item in route.pager.items:
            digest.update(keys(item))
    return digest.digest()


class _PostKeys:
    """What a page shows of a post, as bytes: its cache key (its source), its replies and its counts of likes; worked
    out once per post however many pages list it."""

    def __init__(self, post_keys: Mapping[Path, bytes]) -> None:
        self.post_keys = post_keys
        self.known: dict[str, bytes] = {}

    def __call__(self, post: Post) -> bytes:
        known = self.known.get(post.url)
        if known is None:
            key = self.post_keys.get(post.doc.path)
            own = key if key is not None else repr((post.content, post.summary)).encode()
            known = own + repr(([(r.name, r.url, r.date, r.text) for r in post.replies], post.mentions)).encode()
            self.known[post.url] = known
        return known


BUILD_MARK = ".sitegen-build"
"""A file the build writes into the output folder: the digest of the folder's manifest (every file with the digest
it was made from). A rebuild trusts the folder, and updates it in place, only when this file matches the manifest
the cache holds for it: proof that the folder holds what that build wrote (not an emptied or recreated folder, or
one another build replaced). Made from the inputs alone, so a rebuild and a cold build write the same bytes."""


def manifest_token(digests: Mapping[str, bytes]) -> bytes:
    """What BUILD_MARK holds for an output folder whose files were made from `digests` (path -> digest)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(digests):
        if path != BUILD_MARK:
            digest.update(path.encode() + b"\0" + digests[path] + b"\0")
    return digest.hexdigest().encode() + b"\n"


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
