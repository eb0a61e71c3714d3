"""A parsed document made a post: its URL, title, summary, reading time and links into the site."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit

from ..markdown import Link, RenderedMarkdown
from ..sources.config import Config
from ..sources.document import Document
from ..text import reading_minutes, resolve_links, strip_tags, text_direction, truncate
from .model import Body, LocalLink, Post
from .urls import post_url, url_to_path


def make_post(doc: Document, rendered: RenderedMarkdown, config: Config) -> Post:
    """Combine front matter and rendered Markdown into a post with its URL."""
    lang = doc.lang or config.language
    url = post_url(doc, config)
    title = doc.title or rendered.first_heading or name_title(doc)
    description = doc.description or truncate(strip_tags(rendered.summary_html))
    return Post(
        doc=replace(doc, body=""),  # rendered now: the Markdown is not kept
        kind=doc.source.kind,
        title=title,
        url=url,
        date=doc.date,
        updated=doc.updated,
        lang=lang,
        dir=text_direction(lang),
        description=description,
        body=Body(rendered.html, rendered.toc),
        summary=resolve_links(rendered.summary_html, url),
        has_more=rendered.has_more,
        words=rendered.words,
        reading_minutes=reading_minutes(rendered.words, lang),
        tag_names=doc.tags,
        links=local_links(url, rendered.links, front_matter_image(doc)),
    )


def front_matter_image(doc: Document) -> Link | None:
    """The front matter's `image:` as a link of the body to check, on a line before the body's first (line 1 - n is
    n lines above it: in the front matter), at the key."""
    if doc.image is None:
        return None
    return Link(doc.image, (doc.image_line or 1) - doc.body_line + 1, 1, is_image=True)


def name_title(doc: Document) -> str:
    """A title from the file's name, as the author wrote it ('2019-05-02-My-First-Post.md' -> 'My First Post'): the
    slug is lower-cased, the name keeps its case."""
    stem = doc.source.bundle.name if doc.source.bundle else doc.path.stem
    words = " ".join(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem).replace("-", " ").replace("_", " ").split())
    return words or doc.slug.replace("-", " ")


def local_links(url: str, links: tuple[Link, ...], image: Link | None = None) -> tuple[LocalLink, ...]:
    """The links of the post at `url` (and its front matter's `image`) that lead into the site, each with the output
    paths that would satisfy it."""
    found = []
    for link in links if image is None else (image, *links):
        target = urlsplit(urljoin(f"https://site{url}", link.target))
        if target.netloc != "site" or urlsplit(link.target).scheme:
            continue
        path = unquote(target.path).lstrip("/")
        if not path and not target.path.startswith("/"):
            continue
        found.append(LocalLink(link, (url_to_path("/" + path), path)))
    return tuple(found)


def is_published(post: Post, now: datetime, *, drafts: bool, future: bool) -> bool:
    """Drafts and posts dated after `now` are left out unless asked for."""
    if post.doc.draft and not drafts:
        return False
    return future or post.date is None or post.date <= now


def marked_scheduled(post: Post, now: datetime) -> Post:
    """`post`, marked as scheduled when it is dated after `now` (so a page that shows it ahead of time says so)."""
    return replace(post, scheduled=True) if post.date is not None and post.date > now else post
