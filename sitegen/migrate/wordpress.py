"""A WordPress export (WXR: RSS with WordPress's own elements) read as an OldBlog: posts and pages with their
front matter, Markdown bodies, uploads, approved comments and old URLs.

The XML is parsed with lxml configured not to expand entities, load a DTD or touch the network, so an export
with an entity bomb or an external entity is read without either (and a note says so); lxml also gives each item
its line, which the notes carry. lxml is imported when an export is read."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone, tzinfo
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlsplit

from ..text import slugify
from .model import Asset, Entry, ImportedReply, Note, OldBlog
from .wordpress_html import convert_content

if TYPE_CHECKING:
    from lxml.etree import _Element

NAMESPACES = {"wp": re.compile(r"wordpress\.org/export/\d"),
              "content": re.compile(r"purl\.org/rss/1\.0/modules/content"),
              "excerpt": re.compile(r"wordpress\.org/export/[\d.]+/excerpt"),
              "dc": re.compile(r"purl\.org/dc/elements")}
"""Prefix -> namespace URI as exports write it (http or https, WXR 1.0 to 1.2)."""
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico", ".tif", ".tiff"})
UNCATEGORIZED = "uncategorized"
DRAFT_STATUSES = frozenset({"draft", "pending", "private", "future"})
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RESIZED = re.compile(r"^(.*)-\d+x\d+(\.\w+)$")
_UNSAFE_SLUG = re.compile(r"[/\\\x00-\x1f\x7f?#]")
_NO_DATE = "0000-00-00 00:00:00"


@dataclass(frozen=True, slots=True)
class Attachment:
    id: str
    parent: str
    url: str
    path: str
    """Relative to the uploads folder: '2019/05/chart.png'."""


@dataclass(slots=True)
class Channel:
    """What the export says of the whole blog, needed to read each item."""

    export: Path
    uploads: Path | None
    base_path: str
    """The blog's path on its host ('' or '/blog'), taken off old URLs."""
    authors: dict[str, str]
    attachments: dict[str, Attachment]
    prefixes: tuple[str, ...]
    """Upload URLs without their scheme ('//host/wp-content/uploads/'), longest first."""
    zone: tzinfo | None
    known: set[str] = field(default_factory=set)
    """Upload paths that exist: an attachment's, or a file in the uploads folder."""
    used: set[str] = field(default_factory=set)
    """Upload paths some entry took as an asset."""


def read_wordpress(export: Path, uploads: Path | None = None) -> OldBlog:
    """Everything in a WordPress export worth bringing into sitegen; `uploads` is the copy of wp-content/uploads."""
    notes: list[Note] = []
    root = _parse(export, notes)
    channel_element = root.find("channel") if root is not None else None
    if root is None or channel_element is None:
        return OldBlog("wordpress", export.parent, (), notes=tuple(notes))
    items = [child for child in channel_element if child.tag == "item"]
    channel = _read_channel(export, uploads, channel_element, items)
    entries: list[Entry] = []
    skipped: Counter[str] = Counter()
    slugs: set[tuple[str, str]] = set()
    for item in items:
        fields = _fields(item)
        kind = fields.get("wp:post_type", "post")
        status = fields.get("wp:status", "publish")
        if kind not in ("post", "page"):
            skipped[kind] += 1
            continue
        if status in ("trash", "auto-draft", "inherit"):
            notes.append(Note(export, f"{kind} {fields.get('wp:post_id', '?')} "
                                      f"({_title(fields) or 'no title'}) is in the {status} and was left out",
                              _line(item)))
            continue
        entries.append(_read_entry(item, fields, channel, slugs))
    if skipped:
        counted = ", ".join(f"{count} {name}" for name, count in sorted(skipped.items()))
        notes.append(Note(export, f"items that are not posts or pages were left out: {counted}"))
    static = tuple(Asset(f"wp-content/uploads/{a.path}", _source(channel, a.path), a.url)
                   for a in channel.attachments.values() if a.path and a.path not in channel.used)
    return OldBlog("wordpress", export.parent, tuple(entries), static, tuple(notes), _settings(channel_element))


def _parse(export: Path, notes: list[Note]) -> _Element | None:
    from lxml import etree

    try:
        data = export.read_bytes()
    except OSError as error:
        notes.append(Note(export, f"cannot read the export: {error.strerror or error}", severity="error"))
        return None
    cleaned = data if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _CONTROL.sub(b"", data)  # UTF-16 has NULs
    if len(cleaned) != len(data):
        notes.append(Note(export, f"{len(data) - len(cleaned)} control characters (not allowed in XML) were removed"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(cleaned, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, None)
        message = re.sub(r", line \d+, column \d+$", "", (error.msg or "").strip().splitlines()[0] if error.msg else "")
        notes.append(Note(export, f"not well-formed XML: {message or 'cannot be parsed'}", line, column, "error"))
        return None
    doctype = root.getroottree().docinfo.internalDTD
    if doctype is not None:
        notes.append(Note(export, "the export declares a DTD; its entities were not expanded", 1))
    if root.tag != "rss" or root.find("channel") is None or not any(
            NAMESPACES["wp"].search(uri or "") for uri in root.nsmap.values()):
        notes.append(Note(export, f"not a WordPress export (WXR): the root is <{root.tag}>, not <rss> with a "
                                  "<channel> and WordPress's export namespace", _line(root), severity="error"))
        return None
    return root


def _name(element: _Element) -> str:
    """'wp:post_id' for an element in WordPress's namespace, whatever URI version it uses."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    prefix = next((p for p, pattern in NAMESPACES.items() if pattern.search(uri)
                   and (p != "wp" or not NAMESPACES["excerpt"].search(uri))), "")
    return f"{prefix}:{local}" if prefix else local


def _text(element: _Element | None) -> str:
    return "" if element is None else "".join(t for t in element.itertext() if isinstance(t, str))


def _line(element: _Element) -> int | None:
    """The element's line in the export (lxml's stubs do not type `sourceline`)."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def _fields(element: _Element) -> dict[str, str]:
    """The first text of each simple child element, by prefixed name."""
    found: dict[str, str] = {}
    for child in element:
        found.setdefault(_name(child), _text(child))
    return found


def _read_channel(export: Path, uploads: Path | None, channel: _Element, items: list[_Element]) -> Channel:
    fields = _fields(channel)
    authors = {}
    for child in channel:
        if _name(child) == "wp:author":
            author = _fields(child)
            login = author.get("wp:author_login", "").strip()
            authors[login] = html.unescape(author.get("wp:author_display_name", "").strip()) or login
    attachments: dict[str, Attachment] = {}
    prefixes = set()
    offsets = set()
    for item in items:
        item_fields = _fields(item)
        kind = item_fields.get("wp:post_type")
        if kind == "attachment":
            url = item_fields.get("wp:attachment_url", "").strip()
            meta = _postmeta(item)
            path = _upload_path_of(url, meta.get("_wp_attached_file", ""))
            if path:
                prefixes.add(_schemeless(url)[: -len(path)] if _schemeless(url).endswith(path) else "")
            attachments[item_fields.get("wp:post_id", "")] = Attachment(
                item_fields.get("wp:post_id", ""), item_fields.get("wp:post_parent", "0"), url, path)
        elif kind in ("post", "page"):
            local, gmt = item_fields.get("wp:post_date", ""), item_fields.get("wp:post_date_gmt", "")
            if _wp_date(local) and _wp_date(gmt):
                offsets.add(_wp_date(local) - _wp_date(gmt))  # type: ignore[operator]
    for base in (fields.get("wp:base_blog_url", ""), fields.get("wp:base_site_url", ""), fields.get("link", "")):
        if base.strip():
            prefixes.add(_schemeless(base.strip().rstrip("/") + "/wp-content/uploads/"))
    prefixes.discard("")
    zone = timezone(next(iter(offsets))) if len(offsets) == 1 else None
    base_path = urlsplit(fields.get("link", "").strip()).path.rstrip("/")
    channel_value = Channel(export, uploads, unquote(base_path), authors, attachments,
                            tuple(sorted(prefixes, key=len, reverse=True)), zone)
    channel_value.known.update(a.path for a in attachments.values() if a.path)
    return channel_value


def _postmeta(item: _Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for child in item:
        if _name(child) == "wp:postmeta":
            pair = _fields(child)
            meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
    return meta


def _schemeless(url: str) -> str:
    """'https://Host/a' -> '//host/a', so http and https links to one upload match."""
    parts = urlsplit(url)
    return f"//{parts.netloc.lower()}{parts.path}" if parts.netloc else parts.path


def _upload_path_of(url: str, attached: str) -> str:
    """An attachment's path under the uploads folder, from its `_wp_attached_file` or its URL."""
    path = unquote(urlsplit(url).path)
    if attached and path.endswith("/" + attached):
        return _safe_path(attached)
    if "/wp-content/uploads/" in path:
        return _safe_path(path.split("/wp-content/uploads/", 1)[1])
    dated = re.search(r"/(\d{4}/\d{2}/[^/]+)$", path)
    return _safe_path(dated.group(1)) if dated else ""


def _safe_path(path: str) -> str:
    """`path` when it is a plain relative path (no '..', no backslash, no control character), else ''."""
    parts = path.split("/")
    if not path or "\\" in path or any(p in ("", ".", "..") for p in parts) or re.search(r"[\x00-\x1f]", path):
        return ""
    return path


def _wp_date(text: str) -> datetime | None:
    text = text.strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _date(local: str, gmt: str, zone: tzinfo | None) -> datetime | None:
    """The GMT date as UTC (shown in the blog's offset when the export shows one), else the local one."""
    utc = _wp_date(gmt)
    if utc is not None:
        value = utc.replace(tzinfo=UTC)
        return value.astimezone(zone) if zone is not None else value
    naive = _wp_date(local)
    return naive.replace(tzinfo=zone) if naive is not None and zone is not None else naive


def _title(fields: dict[str, str]) -> str:
    return html.unescape(fields.get("title", "")).strip()


def _settings(channel: _Element) -> dict[str, str]:
    fields = _fields(channel)
    settings = {"title": html.unescape(fields.get("title", "")).strip(), "base_url": fields.get("link", "").strip(),
                "language": fields.get("language", "").strip(),
                "description": html.unescape(fields.get("description", "")).strip()}
    return {key: value for key, value in settings.items() if value}


def _source(channel: Channel, path: str) -> Path | None:
    if channel.uploads is None or not path:
        return None
    candidate = channel.uploads / PurePosixPath(path)
    try:
        return candidate if candidate.is_file() else None
    except OSError:
        return None



def _read_entry(item: _Element, fields: dict[str, str], channel: Channel, slugs: set[tuple[str, str]]) -> Entry:
    """One post or page: front matter, Markdown body, assets, approved comments and old URLs."""
    export, line = channel.export, _line(item)
    kind: Literal["posts", "pages"] = "pages" if fields.get("wp:post_type") == "page" else "posts"
    post_id, status, title = fields.get("wp:post_id", "").strip(), fields.get("wp:status", "publish"), _title(fields)
    notes: list[Note] = []

    def note(message: str) -> None:
        notes.append(Note(export, message, line))

    slug = _slug(fields.get("wp:post_name", ""), title, f"{kind[:-1]}-{post_id}", note)
    base, number = slug, 2
    while (kind, slug) in slugs:
        slug, number = f"{base}-{number}", number + 1
    if slug != base:
        note(f"another {kind[:-1]} has the slug '{base}': this one became '{slug}'")
    slugs.add((kind, slug))
    assets: dict[str, Asset] = {}

    def take(path: str, reference: str) -> str:
        if path not in assets:
            name = PurePosixPath(path).name
            folder = "images" if PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES else "files"
            target = f"{folder}/{name}"
            if any(asset.target == target for asset in assets.values()):
                target = f"{folder}/{path}"
            assets[path] = Asset(target, _source(channel, path), reference)
            channel.used.add(path)
        return assets[path].target

    def rewrite(url: str) -> str | None:
        path = _upload_path(channel, url)
        return take(path, url) if path else None

    content = next((child for child in item if _name(child) == "content:encoded"), None)
    body, messages = convert_content(_text(content), rewrite)
    for message in messages:
        note(message)
    meta = _postmeta(item)
    front: dict[str, object] = {"title": title} if title else {}
    date = _date(fields.get("wp:post_date", ""), fields.get("wp:post_date_gmt", ""), channel.zone)
    if date is not None:
        front["date"] = date
    updated = _date(fields.get("wp:post_modified", ""), fields.get("wp:post_modified_gmt", ""), channel.zone)
    if updated is not None and date is not None and (updated.tzinfo is None) == (date.tzinfo is None) \
            and updated > date:
        front["updated"] = updated
    description = " ".join(_plain(fields.get("excerpt:encoded", "")).split())
    if description:
        front["description"] = description
    tags = _terms(item)
    if tags:
        front["tags"] = tags
    password = fields.get("wp:post_password", "").strip()
    if status in DRAFT_STATUSES or password:
        front["draft"] = True
    if status == "future":
        note("scheduled (future) in WordPress: imported as a draft with its date")
    elif status == "private":
        note("private in WordPress: imported as a draft")
    if password:
        note("password-protected in WordPress: imported as a draft, since a static site cannot ask for a password")
    creator = fields.get("dc:creator", "").strip()
    if creator:
        front["author"] = channel.authors.get(creator, creator)
    thumbnail = channel.attachments.get(meta.get("_thumbnail_id", "").strip())
    if thumbnail is not None and thumbnail.path:
        front["image"] = take(thumbnail.path, thumbnail.url)
    for attachment in channel.attachments.values():
        if attachment.parent == post_id and attachment.path:
            take(attachment.path, attachment.url)
    replies = _replies(item, channel.zone, note)
    return Entry(export, kind, slug, front, body, _old_urls(fields, channel.base_path, kind, post_id),
                 (_line(content) if content is not None else line) or 1, tuple(assets.values()), replies,
                 tuple(notes))


def _slug(name: str, title: str, fallback: str, note: Callable[[str], None]) -> str:
    """The post's slug, percent-decoded (WordPress stores non-Latin slugs encoded); from the title when empty."""
    slug = unquote(name.strip())
    if slug and (_UNSAFE_SLUG.search(slug) or slug in (".", "..") or "\ufffd" in slug):
        note(f"the slug '{name.strip()}' cannot be a file name: it became '{slugify(slug) or fallback}'")
        slug = slugify(slug)
    return slug or slugify(title) or fallback


def _upload_path(channel: Channel, url: str) -> str:
    """The uploads path a link points at ('2019/05/a.png'; a resized copy's original when known), or ''."""
    url = url.strip()
    wanted = _schemeless(url)
    site_relative = url.startswith("/") and not url.startswith("//")
    for prefix in channel.prefixes:
        start = prefix[prefix.find("/", 2):] if site_relative else prefix
        if wanted.startswith(start):
            path = _safe_path(unquote(wanted[len(start):]))
            resized = _RESIZED.match(path)
            if resized and path not in channel.known and _source(channel, path) is None:
                original = resized.group(1) + resized.group(2)
                if original in channel.known or _source(channel, original) is not None:
                    return original
            return path
    return ""


def _old_urls(fields: dict[str, str], base_path: str, kind: str, post_id: str) -> tuple[str, ...]:
    """The site paths the post answered at: its permalink's path, and WordPress's `/?p=ID` (`/?page_id=ID`)."""
    urls: list[str] = []
    link = urlsplit(fields.get("link", "").strip())
    path = re.sub("/{2,}", "/", unquote(link.path))
    if base_path and (path == base_path or path.startswith(base_path + "/")):
        path = path[len(base_path):]
    path = path if path.startswith("/") else "/" + path
    if link.query:
        urls.append(f"{path}?{unquote(link.query)}")
    elif path != "/":
        urls.append(path)
    if post_id.isdigit():
        urls.append(f"/?p={post_id}")
        if kind == "pages":
            urls.append(f"/?page_id={post_id}")
    return tuple(dict.fromkeys(urls))


def _terms(item: _Element) -> list[str]:
    """Categories (but 'Uncategorized') then tags, their names decoded, each once."""
    found: dict[str, str] = {}
    for domain in ("category", "post_tag"):
        for child in item:
            if child.tag != "category" or child.get("domain") != domain:
                continue
            name = html.unescape(_text(child)).strip()
            if domain == "category" and (child.get("nicename") == UNCATEGORIZED or name.lower() == UNCATEGORIZED):
                continue
            if name:
                found.setdefault(name.casefold(), name)
    return list(found.values())


def _replies(item: _Element, zone: tzinfo | None, note: Callable[[str], None]) -> tuple[ImportedReply, ...]:
    """Approved comments, flat; a reply to another names its author ('@name: ...')."""
    comments = [_fields(child) for child in item if _name(child) == "wp:comment"]
    names = {c.get("wp:comment_id", "").strip(): html.unescape(c.get("wp:comment_author", "")).strip()
             for c in comments}
    replies: list[ImportedReply] = []
    left: Counter[str] = Counter()
    threaded = 0
    for comment in comments:
        kind = comment.get("wp:comment_type", "").strip() or "comment"
        date = _date(comment.get("wp:comment_date", ""), comment.get("wp:comment_date_gmt", ""), zone)
        if kind != "comment":
            left[f"{kind}s"] += 1
        elif comment.get("wp:comment_approved", "").strip() != "1":
            left["comments not approved"] += 1
        elif date is None:
            left["comments without a date"] += 1
        else:
            text = _plain(comment.get("wp:comment_content", ""))
            parent = names.get(comment.get("wp:comment_parent", "0").strip())
            if parent:
                text, threaded = f"@{parent}: {text}", threaded + 1
            replies.append(ImportedReply(
                f"wp-{comment.get('wp:comment_id', '').strip()}",
                html.unescape(comment.get("wp:comment_author", "")).strip() or "Anonymous", date, text,
                comment.get("wp:comment_author_url", "").strip() or None,
                comment.get("wp:comment_author_email", "").strip() or None))
    if left:
        note("left out: " + ", ".join(f"{count} {what}" for what, count in sorted(left.items())))
    if threaded:
        note(f"{threaded} threaded replies were made flat; each names the author it answered ('@name: ...')")
    return tuple(replies)


def _plain(markup: str) -> str:
    """Text of a comment or an excerpt: paragraphs and line breaks kept, tags dropped, a link's address shown."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", markup)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)</(?:p|div|h[1-6]|li|blockquote|pre|tr|table|ul|ol)\s*>", "\n\n", text)
    text = re.sub(r"""(?is)<a\s[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a\s*>""", _link_text, text)
    text = html.unescape(re.sub(r"(?s)<[^>]*>", "", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _link_text(match: re.Match[str]) -> str:
    url, text = html.unescape(match.group(1)).strip(), match.group(2)
    shown = html.unescape(re.sub(r"(?s)<[^>]*>", "", text)).strip()
    return text if not url or shown == url else f"{text} ({url})"
