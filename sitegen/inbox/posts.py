"""Which post a reply answers: the site's post addresses by slug, and a reply's post URL matched against them."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..errors import SourceError
from ..site.urls import absolute_url, post_url
from ..sources.config import Config
from ..sources.discover import discover_sources
from ..sources.document import load_document


def load_post_urls(config: Config) -> tuple[dict[str, str], list[SourceError]]:
    """Every post's address -> slug, drafts and future posts too (a reply to a draft waits with it). Only front
    matter is read: no Markdown is rendered."""
    urls, _, problems = load_post_refs(config)
    return urls, problems


def load_post_refs(config: Config) -> tuple[dict[str, str], dict[str, str], list[SourceError]]:
    """Every post's address -> slug (as `load_post_urls`), and every title -> slug, for an email whose subject is
    'Re: <title>'; a title two posts share names neither."""
    sources, problems = discover_sources(config.root)
    urls: dict[str, str] = {}
    titles: dict[str, str | None] = {}
    for source in sources:
        if source.kind != "posts":
            continue
        doc, errors = load_document(source, config.zone)
        problems.extend(e for e in errors if e.severity == "error")
        if doc is None:
            continue
        path = post_url(doc, config)
        slug = unicodedata.normalize("NFC", doc.slug)
        urls[path] = slug
        urls[absolute_url(config, path)] = slug
        title = " ".join((doc.title or "").split())
        if title and not title.lower().startswith(("/", "http://", "https://")):  # a key like that is a URL
            titles[title] = slug if titles.get(title, slug) == slug else None
    return urls, {title: slug for title, slug in titles.items() if slug is not None}, problems


@dataclass(frozen=True, slots=True)
class PostIndex:
    """The site's posts by URL, for matching the address a reply names: the trailing slash, 'index.html', 'www.',
    percent-encoding and Unicode normalization do not matter."""

    urls: Mapping[tuple[str, str], str]
    """(host without 'www.', path) of absolute URLs -> slug: matched on that host only."""
    paths: Mapping[str, str]
    """Path of site-relative URLs -> slug: matched on any host (a deploy preview's reply names the preview's
    address)."""
    slugs: frozenset[str]
    """The slugs of the URLs, for a reference that is a slug."""

    @classmethod
    def build(cls, posts: Mapping[str, str]) -> PostIndex:
        """The index of the keys of `posts` that are URLs: one that starts with '/' is site-relative, one that
        starts with 'http://' or 'https://' absolute; any other key is left out."""
        urls: dict[tuple[str, str], str] = {}
        paths: dict[str, str] = {}
        for key, slug in posts.items():
            if key.startswith("/"):
                paths[_path_key(urlsplit(key).path)] = slug
            elif key.lower().startswith(("http://", "https://")) and (found := _url_key(key)) is not None:
                urls[found] = slug
        return cls(urls, paths, frozenset([*urls.values(), *paths.values()]))

    def slug_of_url(self, url: str) -> str | None:
        """The slug of the post an absolute URL names, or None."""
        found = _url_key(url)
        if found is None:
            return None
        return self.urls.get(found) or self.paths.get(found[1])

    def match(self, reference: str) -> str | None:
        """The slug of the post `reference` (an absolute URL, a site path, or a slug) names, or None."""
        reference = reference.strip()
        if not reference:
            return None
        if reference.startswith("/"):
            slug = self.paths.get(_path_key(urlsplit(reference).path))
        else:
            slug = self.slug_of_url(reference)
        if slug is not None:
            return slug
        plain = unicodedata.normalize("NFC", unquote(reference)).strip("/")
        return plain if plain in self.slugs else None


def _path_key(path: str) -> str:
    path = unicodedata.normalize("NFC", unquote(path))
    path = path.removesuffix("index.html").rstrip("/")
    return path or "/"


def _url_key(url: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:  # a malformed host ('http://[x/')
        return None
    return (host, _path_key(parts.path)) if host else None
