"""Readers' replies: the ones the author accepted (`content/replies/<post-slug>/*.md`), made safe, and the
reply-by-email link every post and feed item offers.

Reply text is untrusted: it was typed into a form by anyone. It is rendered by a Markdown parser with raw HTML
turned off, then cleaned by nh3 with a short allowlist, so no script, event attribute, style or `javascript:`
URL survives, and every link gets `rel="nofollow ugc"`.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..errors import SourceError
from ..text import slugify
from .decode import read_source_text
from .discover import MARKDOWN_SUFFIXES, list_folder, name_problem
from .document import split_front_matter
from .yamlio import parse_yaml_mapping

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

REPLIES_DIR = Path("content") / "replies"
REPLY_KEYS = ("name", "url", "date", "email")
"""Front matter a reply may have; `email` is kept private (never published)."""
ALLOWED_TAGS = frozenset({"p", "br", "a", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li",
                          "hr"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc"


@dataclass(frozen=True, slots=True)
class Reply:
    """One accepted reply to a post."""

    path: Path
    """The reply's file, for diagnostics."""
    post_slug: str
    """The folder it is in: the slug of the post it answers."""
    name: str
    """The replier's name, as written (templates escape it)."""
    url: str | None
    """The replier's own site, an http(s) URL, if given."""
    date: datetime
    text: str
    """The reply's text as written: untrusted Markdown."""
    id: str
    """The fragment id of the reply on its post's page: 'reply-<file name>'."""

    @property
    def html(self) -> str:
        """The reply's text as sanitized HTML, safe to include as it is; made when a page shows it, so a build that
        renders no page does not load the Markdown parser and the sanitizer."""
        return render_reply_html(self.text)


RepliesByPost = dict[str, tuple[Reply, ...]]
"""Replies by post slug (NFC), oldest first."""


def load_replies(root: Path, zone: ZoneInfo) -> tuple[RepliesByPost, list[SourceError]]:
    """Read every reply under `root/content/replies`, grouped by post slug, oldest first; every problem found."""
    folder = root / REPLIES_DIR
    if not folder.is_dir():
        return {}, []
    replies: dict[str, list[Reply]] = {}
    errors: list[SourceError] = []
    for entry in list_folder(folder, errors):
        if entry.name.startswith("_"):
            continue
        if not entry.is_dir:
            if entry.path.suffix.lower() in MARKDOWN_SUFFIXES:
                errors.append(SourceError(entry.path, "a reply must be in the folder of the post it answers",
                                          hint=f"move it to {(REPLIES_DIR / '<post-slug>' / entry.name).as_posix()}"))
            continue
        if (problem := name_problem(entry.path, folder=True)) is not None:
            errors.append(problem)
            continue
        slug = unicodedata.normalize("NFC", entry.name)
        for file in list_folder(entry.path, errors):
            if file.is_dir or file.path.suffix.lower() not in MARKDOWN_SUFFIXES or file.name.startswith("_"):
                continue
            if (problem := name_problem(file.path)) is not None:
                errors.append(problem)
                continue
            reply, file_errors = load_reply(file.path, slug, zone)
            errors.extend(file_errors)
            if reply is not None:
                replies.setdefault(slug, []).append(reply)
    return {slug: _ordered(items) for slug, items in replies.items()}, errors


def load_reply(path: Path, post_slug: str, zone: ZoneInfo) -> tuple[Reply | None, list[SourceError]]:
    """Read one reply file, decoded as a post is: its invisible characters cleaned, each kind a warning."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [SourceError(path, f"cannot read file: {exc.strerror or exc}")]
    text, problems = read_source_text(raw, path)
    if text is None:
        return None, problems
    reply, errors = parse_reply(text, path, post_slug, zone)
    return reply, [*problems, *errors]


def parse_reply(text: str, path: Path, post_slug: str, zone: ZoneInfo) -> tuple[Reply | None, list[SourceError]]:
    """Validate a reply's front matter (name, optional url, date) and render its text safely."""
    front, body, _body_line, error = split_front_matter(text, path)
    if error:
        return None, [error]
    if front is None:
        return None, [SourceError(path, "a reply needs front matter with its name and date", 1,
                                  hint="start the file with:\n---\nname: ...\ndate: YYYY-MM-DD\n---")]
    doc, errors = parse_yaml_mapping(front, path, first_line=2)
    if doc is None:
        return None, errors
    values = doc.values
    for key in values:
        if key not in REPLY_KEYS:
            close = difflib.get_close_matches(key, REPLY_KEYS, n=1)
            errors.append(SourceError(path, f"unknown key '{key}' in a reply", doc.line(key), 1,
                                      hint=f"did you mean '{close[0]}'?" if close else
                                      "a reply has: " + ", ".join(REPLY_KEYS), severity="warning"))
    name = values.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(SourceError(path, "a reply needs the replier's name", doc.line("name", 1), 1,
                                  hint="add a line: name: ..."))
    url = values.get("url")
    if url is not None and not (isinstance(url, str) and is_web_url(url.strip())):
        errors.append(SourceError(path, f"url {url!r} must be an http:// or https:// address", doc.line("url"), 1,
                                  hint="leave it out when the replier gave no site"))
    when = _to_datetime(values.get("date"), zone)
    if when is None:
        shown = f" {str(values['date'])!r} is not a date" if values.get("date") is not None else " is missing"
        errors.append(SourceError(path, f"the reply's date{shown}", doc.line("date", 1), 1,
                                  hint="add a line: date: YYYY-MM-DD (or YYYY-MM-DD HH:MM)"))
    if not body.strip():
        errors.append(SourceError(path, "the reply has no text", hint="write the reply below the front matter"))
    if any(e.severity == "error" for e in errors):
        return None, errors
    assert isinstance(name, str) and when is not None
    reply = Reply(path=path, post_slug=post_slug, name=" ".join(name.split()),
                  url=url.strip() if isinstance(url, str) else None, date=when, text=body,
                  id="reply-" + (slugify(path.stem) or "1"))
    return reply, errors


@lru_cache(maxsize=4096)  # each page that shows a reply asks again: the post's own page, the preview's renders
def render_reply_html(markdown: str) -> str:
    """Untrusted Markdown to safe HTML: no raw HTML, then an allowlist; links get rel="nofollow ugc"."""
    import nh3  # here, like markdown-it: a site without replies does not load them

    html = _reply_parser().render(markdown)
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True).strip()


def unknown_reply_folders(replies: RepliesByPost, slugs: set[str]) -> list[SourceError]:
    """Replies whose folder names no post: an error naming each such file, with the nearest slug as a hint."""
    errors = []
    known = sorted(slugs)
    for slug, items in sorted(replies.items()):
        if slug in slugs:
            continue
        close = difflib.get_close_matches(slug, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "the folder must be named after the post's slug"
        for reply in items:
            errors.append(SourceError(reply.path, f"reply to '{slug}', but no post has that slug", hint=hint))
    return errors


def _ordered(items: list[Reply]) -> tuple[Reply, ...]:
    ordered = sorted(items, key=lambda r: (r.date.timestamp(), r.path.name))
    seen: set[str] = set()
    result = []
    for reply in ordered:  # two file names may slugify alike: keep ids unique on the page
        ident, n = reply.id, 2
        while ident in seen:
            ident, n = f"{reply.id}-{n}", n + 1
        seen.add(ident)
        result.append(reply if ident == reply.id else _with_id(reply, ident))
    return tuple(result)


def _with_id(reply: Reply, ident: str) -> Reply:
    return Reply(reply.path, reply.post_slug, reply.name, reply.url, reply.date, reply.text, ident)


def is_web_url(url: str) -> bool:
    """An http(s) address with a host and no space: what a reply's `url` may be."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)


def _to_datetime(value: Any, zone: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


@lru_cache(maxsize=1)
def _reply_parser() -> MarkdownIt:
    """CommonMark with raw HTML off, line breaks kept (replies come from a plain text box), bare URLs linked."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    md.enable("strikethrough")
    md.use(gfm_autolink_plugin)
    return md
