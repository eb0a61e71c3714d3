"""The site's URLs: where posts, pages and sitegen's own pages live, and how a URL becomes an output path or an
absolute address."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, urljoin

from ..sources.config import Config
from ..sources.document import Document
from ..text import fill_fields

FEED_FILES = ("feed.xml", "atom.xml", "feed.json")
"""The feeds of the site and of each tag, in their folder: RSS 2.0, Atom, JSON Feed."""
IMMUTABLE_FOLDER = "_immutable"
"""Output folder of fingerprinted stylesheets and scripts; nothing else is written there, so it can be cached for
ever."""
FOLLOW_URL = "/follow/"
"""The page that tells readers how to follow the blog."""


def thanks_url(config: Config, lang: str) -> str:
    """Where the reply form leads after sending: '/thanks/' in the site's language, '/thanks/<lang>/' in others."""
    return "/thanks/" if lang == config.language else f"/thanks/{lang}/"


@lru_cache(maxsize=1 << 16)  # asked again for every URL on every preview rebuild
def url_to_path(url: str) -> str:
    """'/posts/x/' -> 'posts/x/index.html'; '/feed.xml' -> 'feed.xml'."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def inside(path: str) -> bool:
    """True for a relative output path that stays inside the folder it is joined to."""
    return bool(path) and not path.startswith("/") and ".." not in path.split("/")


def post_url(doc: Document, config: Config) -> str:
    """The post's URL from the permalink pattern; pages live at '/<slug>/'."""
    if doc.source.kind == "pages":
        return f"/{doc.slug}/"
    when = doc.date
    return fill_fields(config.permalink, {  # never str.format: a field is put in its place, nothing else is read
        "slug": doc.slug,
        "year": f"{when.year:04d}" if when else "undated",
        "month": f"{when.month:02d}" if when else "00",
        "day": f"{when.day:02d}" if when else "00",
        "lang": doc.lang or config.language,
    })


def absolute_url(config: Config, url: str) -> str:
    """The full URL of a site path, percent-encoded so it is a valid URI in feeds and sitemaps."""
    return _absolute_url(config.base_url, url)


@lru_cache(maxsize=65536)
def _absolute_url(base_url: str, url: str) -> str:
    return urljoin(base_url, quote(url.lstrip("/"), safe="/#?=&%:~+@"))


def reply_mailto(email: str, title: str, url: str) -> str:
    """A `mailto:` link to `email` with 'Re: <title>' as subject and `url` in the body, percent-encoded as
    RFC 6068 asks (UTF-8, so Arabic titles survive every mail program); '' without an address."""
    if not email:
        return ""
    subject = quote(f"Re: {' '.join(title.split())}", safe="")
    body = quote(url, safe="")
    return f"mailto:{quote(email, safe='@')}?subject={subject}&body={body}"
