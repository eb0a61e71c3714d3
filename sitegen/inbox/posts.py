"""Which post a reply answers: the site's post addresses by slug, and a reply's post URL matched against them."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from ..errors import SourceError
from ..site.urls import absolute_url, post_url
from ..sources.config import Config
from ..sources.discover import discover_sources
from ..sources.document import load_document

PostsByUrl = Mapping[str, str]
"""A post's site path ('/posts/x/') and its absolute URL, each -> its slug."""


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


def match_post(reference: str, posts: PostsByUrl) -> str | None:
    """The slug of the post `reference` (an absolute URL from any host, a site path, or a slug) names, or None.
    The host is not compared: a deploy preview's reply names the preview's address."""
    reference = reference.strip()
    if not reference:
        return None
    by_path = {_path_key(url): slug for url, slug in posts.items()}
    if (slug := by_path.get(_path_key(reference))) is not None:
        return slug
    slugs = set(posts.values())
    plain = unicodedata.normalize("NFC", unquote(reference)).strip("/")
    return plain if plain in slugs else None


def _path_key(url: str) -> str:
    parts = urlsplit(url)
    path = unicodedata.normalize("NFC", unquote(parts.path or "/"))
    return path if path.endswith("/") else path + "/"
