"""Webmentions from webmention.io (or a server with its API): `GET /api/mentions.jf2?domain=...&token=...` gives a
jf2 feed (`{"type": "feed", "children": [entry...]}`), newest first, `per-page` at a time from `page` 0, and
`since_id` keeps to the ones after the last pulled. The entry shape is aaronpk/webmention.io's
`helpers/formats.rb` (`build_jf2_from_link`): `wm-id`, `wm-property` (in-reply-to, like-of, repost-of,
bookmark-of, mention-of, rsvp), `wm-source`, `wm-target`, `wm-received`, `wm-private`, `author` {name, url},
`url`, `published`, `content` {text, html}."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..sources.config import Config
from .fetch import FetchError, Service, get_json
from .model import COUNTED_KINDS, Pending, iso_date
from .posts import PostIndex

API_VARIABLE = "SITEGEN_WEBMENTION_API"
"""Another API address (a test server): the `.../api/mentions.jf2` URL itself."""
TOKEN_VARIABLE = "WEBMENTION_IO_TOKEN"
PER_PAGE = 100
MAX_PAGES = 1000
KINDS = {"in-reply-to": "reply", "like-of": "like", "repost-of": "repost", "bookmark-of": "bookmark",
         "mention-of": "mention", "rsvp": "reply"}


def mentions_api(config: Config, environ: Mapping[str, str]) -> str:
    """The jf2 API of the configured endpoint: its origin + /api/mentions.jf2 (webmention.io's shape)."""
    if override := environ.get(API_VARIABLE, "").strip():
        return override
    parts = urlsplit(config.webmention)
    return f"{parts.scheme}://{parts.netloc}/api/mentions.jf2"


def pull_mentions(config: Config, posts: PostIndex, environ: Mapping[str, str],
                  since_id: int | None) -> list[Pending]:
    """Every mention of the site newer than `since_id` as a pending reply (likes, reposts and bookmarks to be
    counted); private mentions are left out. FetchError on failure."""
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise FetchError(f"no webmention.io token: set {TOKEN_VARIABLE} (webmention.io: Settings > API key) to pull "
                         f"the webmentions of {config.webmention}; it is read from the environment only")
    service = Service("webmention.io", TOKEN_VARIABLE, {}, token)
    api = mentions_api(config, environ)
    domain = urlsplit(config.base_url).hostname or ""
    pulled: list[Pending] = []
    for page in range(MAX_PAGES):
        query = {"domain": domain, "token": token, "per-page": PER_PAGE, "page": page,
                 **({"since_id": since_id} if since_id is not None else {})}
        feed, _ = get_json(f"{api}?{urlencode(query)}", service,
                           f"no webmention API at {urlsplit(api).netloc}{urlsplit(api).path}: check `webmention:` in "
                           f"sitegen.yaml or {API_VARIABLE}")
        children = feed.get("children") if isinstance(feed, dict) else None
        if not isinstance(children, list):
            raise FetchError("webmention.io's answer is not a jf2 feed (no 'children'); nothing was changed")
        pulled.extend(item for entry in children if (item := parse_mention(entry, posts)) is not None)
        if len(children) < PER_PAGE:
            return pulled
    raise FetchError(f"webmention.io gave more than {MAX_PAGES} pages; nothing was changed")


def parse_mention(entry: Any, posts: PostIndex) -> Pending | None:
    """A jf2 entry as a pending reply; None for a private one or one without a `wm-id`."""
    if not isinstance(entry, dict) or entry.get("wm-private") is True:
        return None
    ident = entry.get("wm-id")
    if not isinstance(ident, int) or isinstance(ident, bool):
        return None
    author = _mapping(entry.get("author"))
    content = _mapping(entry.get("content"))
    target = _text(entry.get("wm-target"))
    kind = KINDS.get(_text(entry.get("wm-property")), "mention")
    return Pending(id=f"wm-{ident}", source="webmention", state="counted" if kind in COUNTED_KINDS
                   else "pending", kind=kind, post=posts.match(target), target=target,
                   name=" ".join(_text(author.get("name")).split()), url=_text(author.get("url")),
                   date=iso_date(_text(entry.get("published")) or _text(entry.get("wm-received"))),
                   text=_text(content.get("text")) or _text(content.get("value")),
                   source_url=_text(entry.get("url")) or _text(entry.get("wm-source")))


def last_id(items: list[Pending]) -> int | None:
    """The largest webmention.io id among `items`: where the next pull starts (`since_id`)."""
    ids = [int(item.id[3:]) for item in items if item.source == "webmention" and item.id[3:].isdigit()]
    return max(ids) if ids else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""

