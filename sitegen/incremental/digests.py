"""What each output page was made from, as a digest: a page whose digest did not change since the last build is
carried over instead of rendered again.

A page is a function of the templates, the configuration, sitegen itself, and the data it is given. The digest of a
post's own page covers the post's whole source (its cache key) and its replies; list pages cover the sources and
replies of the posts they list (summaries, reading times, reply counts). Every page may link any post (navigation,
related posts, archive, tag index), so the digest of every page covers every post's URL, title, dates, tags and
language. A theme that shows what only a post's source gives (its text, summary, reading time, description, image,
replies) on pages that neither are the post's nor list it is the one case this does not see; `--no-cache` rebuilds
everything.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..render.plan import PageRoute, Plan
from ..site.model import Post, Site


def site_shape(site: Site, asset_urls: dict[str, str]) -> bytes:
    """A digest of what any page may show of the whole site: every post's URL, title, dates, tags and language, and
    the assets' names."""
    digest = hashlib.blake2b(digest_size=16)
    for post in (*site.posts, *site.pages):
        fields = (post.url, post.title, post.date, post.updated, post.tag_names, post.lang, post.doc.draft)
        digest.update(repr(fields).encode() + b"\0")
    digest.update(repr(sorted(asset_urls.items())).encode())
    return digest.digest()


def file_digests(plan: Plan, base: bytes, post_keys: dict[Path, bytes]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The digest of every page of the plan, and of every generated file (feeds, sitemap, robots.txt); `base`
    covers code, configuration, templates and the site's shape."""
    keys = _PostKeys(post_keys)
    pages = {path: _route_digest(route, base, keys) for path, route in plan.pages.items()}
    return pages, _generated_digests(plan, base, keys)


def _generated_digests(plan: Plan, base: bytes, keys: _PostKeys) -> dict[str, bytes]:
    """`base`, the file's path, and the posts and files it is made from."""
    digests = {}
    for path in plan.generated:
        digest = hashlib.blake2b(base, digest_size=16)
        digest.update(path.encode() + b"\0")
        for item in plan.generated_from.get(path, ()):
            digest.update(keys(item) if isinstance(item, Post) else item.read_bytes())
        digests[path] = digest.digest()
    return digests


def _route_digest(route: PageRoute, base: bytes, keys: _PostKeys) -> bytes:
    digest = hashlib.blake2b(base, digest_size=16)
    digest.update(f"{route.url}\0{route.template}\0{route.title}\0{route.lang}\0{route.description}".encode())
    post = route.values.get("post")
    if isinstance(post, Post):
        digest.update(keys(post))
    pager = route.values.get("pager")
    if pager is not None:
        digest.update(f"{pager.number}/{pager.total}".encode())
        for item in pager.items:
            digest.update(keys(item))
    return digest.digest()


class _PostKeys:
    """What a page shows of a post, as bytes: its cache key (its source) and its replies; worked out once per post
    however many pages list it."""

    def __init__(self, post_keys: dict[Path, bytes]) -> None:
        self.post_keys = post_keys
        self.known: dict[str, bytes] = {}

    def __call__(self, post: Post) -> bytes:
        known = self.known.get(post.url)
        if known is None:
            key = self.post_keys.get(post.doc.path)
            own = key if key is not None else repr((post.content, post.summary)).encode()
            known = own + repr([(r.name, r.url, r.date, r.html) for r in post.replies]).encode()
            self.known[post.url] = known
        return known
