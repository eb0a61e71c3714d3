"""Reading a source file: front matter split, validated and mapped to file lines."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..errors import SourceError
from ..text import slugify, strip_tags
from .config import url_problem
from .decode import read_source_text
from .discover import SourceFile
from .frontmatter import FrontMatter, read_front_matter

_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_UNSAFE_SLUG = re.compile(r"[/\\?#%<>:\"|*\x00-\x1f\x7f]|^\.|\.\.")
_UNSAFE_ALIAS = re.compile(r"[\s\\\x00-\x1f\x7f]")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")
"""A well-formed BCP 47 tag (it goes into lang="", xml:lang and hreflang attributes)."""
MAX_SLUG_BYTES = 200
"""A slug is a folder name, which file systems cap at 255 bytes."""
_DESCRIPTION_KEYS = ("description", "excerpt", "summary")
"""Keys that give a post's description, the first present winning: Jekyll's `excerpt`, Hugo's `summary`."""
_UPDATED_KEYS = ("updated", "lastmod", "last_modified_at", "modified")
"""Keys that give the date a post was last changed: Hugo's `lastmod`, jekyll-last-modified-at's, Pelican's."""
_IMAGE_PATH_KEYS = ("path", "src", "url", "image", "feature", "thumb", "teaser")
"""Keys of an `image:` mapping that give the image's path, in the order themes write them."""
_TRANSLATION_KEYS = ("translation_key", "translationKey")
"""Keys that name what a post is a version of (its translations share it): sitegen's own, then Hugo's."""
_AUTHOR_NAME_KEYS = ("name", "display_name", "login")
"""Keys of an `author:` mapping that give the name (jekyll-import writes WordPress's display_name and login)."""
_KNOWN_KEYS = frozenset({"title", "date", "updated", "slug", "tags", "keywords", "categories", "category",
                         "description", "draft", "published", "lang", "aliases", "author", "authors", "image",
                         "layout", "template", "series", "series_order", *_DESCRIPTION_KEYS, *_UPDATED_KEYS,
                         *_TRANSLATION_KEYS})
_EMAIL = re.compile(r"[^@\s<>()\"]+@[^@\s<>()\"]+")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARK = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)|^[ \t]*(?:#{1,6}|>)[ \t]+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Document:
    """A source file's front matter, validated, and its Markdown body not yet rendered."""

    source: SourceFile
    title: str | None
    """None when the front matter has none; the first `#` heading then gives it."""
    slug: str
    date: datetime | None
    updated: datetime | None
    tags: tuple[str, ...]
    description: str | None
    draft: bool
    lang: str | None
    aliases: tuple[str, ...]
    author: str | None
    """The post's own author's name (`author:`, `author: {name: ...}` or Hugo's `authors:`), None for the site's."""
    image: str | None
    template: str | None
    """A template of the theme to render this document with, instead of post.html or page.html."""
    body: str
    body_line: int
    """File line on which the Markdown body starts, to map Markdown lines to file lines."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Front matter keys sitegen does not know, kept for templates (`post.extra.audio`)."""
    dated_by_mtime: bool = False
    """The front matter has no date: the file's modification time stands in, so the document depends on it."""
    author_url: str | None = None
    """The post's own author's page (`author: {url: ...}`)."""
    author_email: str | None = None
    """The post's own author's address (`author: {email: ...}`), for the feeds' RSS `<author>`."""
    image_alt: str | None = None
    """The text of `image:` for those who cannot see it (`image: {path: ..., alt: ...}`)."""
    image_line: int | None = None
    """File line of the front matter's `image:` key, for diagnostics about the image."""
    translation_key: str | None = None
    """What the post is a version of (`translation_key:`, or Hugo's `translationKey:`): its translations, in other
    languages, share it."""
    translation_key_line: int | None = None
    """File line of the translation key, for the error naming two versions in one language."""
    series: str | None = None
    """The name of the series the post is a part of (`series:`)."""
    series_order: int | None = None
    """The post's place in its series (`series_order:`); None: its date places it."""
    series_line: int | None = None
    """File line of `series_order:` (else `series:`), for diagnostics about the post's place in its series."""

    @property
    def path(self) -> Path:
        return self.source.path


def load_document(source: SourceFile, zone: ZoneInfo, raw: bytes | None = None) -> tuple[Document | None,
                                                                                         list[SourceError]]:
    """Read one source file (or take its bytes, already read) and validate its front matter; every problem in it
    is returned."""
    path = source.path
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        return None, [SourceError(path, f"cannot read file: {exc.strerror or exc}")]
    text, problems = read_source_text(raw, path)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [*problems, SourceError(path, "the file is empty; it is left out of the site",
                                             hint="write the post, or delete the file", severity="warning")]
    document, errors = parse_document(text, source, zone)
    return document, [*problems, *errors]


def split_front_matter(text: str, path: Path) -> tuple[str | None, str, int, SourceError | None]:
    """Split `---` front matter from the body: (front matter or None, body, body's first line, error)."""
    if not text.startswith("---") or text[3:4] not in ("\n", ""):
        return None, text, 1, None
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2, None
    return None, text, 1, SourceError(path, "front matter is not closed", 1, 1,
                                      hint="add a line '---' after the last key of the front matter")


def parse_document(text: str, source: SourceFile, zone: ZoneInfo) -> tuple[Document | None, list[SourceError]]:
    """Validate the front matter of `text`; return the document, or None when it cannot be built."""
    path = source.path
    doc, errors = read_front_matter(text, path)
    if doc is None:
        return None, errors
    fields = _Fields(doc, path, zone, errors)
    name_date, name_slug = _name_parts(source, zone)
    slug = fields.slug() or name_slug
    author, author_url, author_email = fields.author()
    image, image_alt = fields.image()
    document = Document(
        source=source,
        title=fields.text("title"),
        slug=slug,
        date=fields.date("date") or fields.published_date() or name_date,  # Hugo's publishDate alias
        updated=fields.first_date(_UPDATED_KEYS),
        tags=fields.tags(),
        description=fields.description(),
        draft=fields.flag("draft") or (fields.published_date() is None and not fields.flag("published", default=True)),
        lang=fields.language(),
        aliases=fields.aliases(),
        author=author,
        image=image,
        template=fields.template(),
        body=doc.body,
        body_line=doc.body_line,
        extra={k: v for k, v in doc.values.items() if k not in _KNOWN_KEYS},
        author_url=author_url,
        author_email=author_email,
        image_alt=image_alt,
        image_line=doc.line("image"),
        translation_key=fields.translation_key(),
        translation_key_line=next((doc.line(key) for key in _TRANSLATION_KEYS if key in doc.values), None),
        series=fields.text("series"),
        series_order=fields.series_order(),
        series_line=doc.line("series_order") or doc.line("series"),
    )
    if document.date is None and source.kind == "posts" and "date" not in doc.values:
        document = _dated_by_file(document, zone, errors)
    if not slug:
        errors.append(SourceError(path, "cannot make a URL slug from the file name", hint="set 'slug:' in the "
                                  "front matter"))
    elif "slug" not in doc.values and (problem := slug_problem(slug)):
        errors.append(SourceError(path, f"the file name makes a bad slug: {problem}",
                                  hint="set a shorter 'slug:' in the front matter"))
    if any(e.severity == "error" for e in errors):
        return None, errors
    return document, errors


def _dated_by_file(document: Document, zone: ZoneInfo, errors: list[SourceError]) -> Document:
    """A post needs a date (feeds, archive, sorting); without one, the file's modification time stands in."""
    try:
        mtime = document.path.stat().st_mtime
    except OSError:
        return document
    when = datetime.fromtimestamp(int(mtime), tz=zone)
    errors.append(SourceError(document.path, "no date in the front matter; using the file's modification time",
                              1, hint=f"add a line: date: {when.date().isoformat()}", severity="warning"))
    return replace(document, date=when, dated_by_mtime=True)


def _name_parts(source: SourceFile, zone: ZoneInfo) -> tuple[datetime | None, str]:
    stem = source.bundle.name if source.bundle else source.path.stem
    match = _DATED_NAME.match(stem)
    if match:
        try:
            return datetime.fromisoformat(match.group(1)).replace(tzinfo=zone), slugify(match.group(2))
        except ValueError:
            pass
    return None, slugify(stem)


@dataclass(slots=True)
class _Fields:
    """Typed access to front matter values; each misfit is recorded as an error at its line."""

    doc: FrontMatter
    path: Path
    zone: ZoneInfo
    errors: list[SourceError]

    def _error(self, key: str, message: str, hint: str | None = None) -> None:
        """An error at the line of `key` (dotted for a key of a mapping; the line of the mapping when it is not
        known)."""
        self.errors.append(SourceError(self.path, message, self._line(key), 1, hint))

    def _line(self, key: str) -> int | None:
        return self.doc.line(key) or self.doc.line(key.partition(".")[0])

    def text(self, key: str) -> str | None:
        return self.text_value(key, self.doc.values.get(key))

    def text_value(self, key: str, value: Any) -> str | None:
        """`value`, found at `key` (dotted for a key of a mapping), as text."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
            self._error(key, f"'{key}' must be text, not {_kind(value)}")
            return None
        if not isinstance(value, str):
            self.errors.append(SourceError(self.path, f"'{key}' is {_kind(value)} ({value}); using it as text",
                                           self._line(key), 1, f"quote it to say it is text: {key}: \"{value}\"",
                                           severity="warning"))
        return str(value).strip() or None

    def flag(self, key: str, *, default: bool = False) -> bool:
        value = self.doc.values.get(key, default)
        if not isinstance(value, bool):
            shown = _kind(value) if isinstance(value, (list, dict)) else repr(value)
            self._error(key, f"'{key}' must be true or false, not {shown}")
            return False
        return value

    def date(self, key: str) -> datetime | None:
        value = self.doc.values.get(key)
        if value is None:
            return None
        parsed = _to_datetime(value)
        if parsed is None:
            wrong = f"{key} {str(value)!r} is not a date" if isinstance(value, (str, int, float)) else (
                f"'{key}' must be a date, not {_kind(value)}")
            self._error(key, wrong, "use YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional time zone such as +03:00")
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=self.zone)

    def first_date(self, keys: tuple[str, ...]) -> datetime | None:
        """The date of the first of `keys` the front matter has."""
        return next((self.date(key) for key in keys if self.doc.values.get(key) is not None), None)

    def published_date(self) -> datetime | None:
        """Hugo reads a date in `published:` as the date of publication (Jekyll's `published: false` is a flag)."""
        value = self.doc.values.get("published")
        return self.date("published") if isinstance(value, (date, str)) and _to_datetime(value) else None

    def description(self) -> str | None:
        """`description:`, else Jekyll's `excerpt:` or Hugo's `summary:` as plain text (they may hold Markdown)."""
        key = next((key for key in _DESCRIPTION_KEYS if self.doc.values.get(key) is not None), None)
        value = self.text(key) if key else None
        if value is None or key == "description":
            return value
        return " ".join(_MARKDOWN_MARK.sub("", _MARKDOWN_LINK.sub(r"\1", strip_tags(value))).split()) or None

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.doc.values.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self._error(key, f"'{key}' must be a list, not {_kind(value)}", f"write {key}: [{value}]")
            return ()
        if any(isinstance(item, (list, dict)) for item in value):
            self._error(key, f"each of '{key}' must be a single value, not a list or mapping",
                        f"write {key}: [one, two]")
            return ()
        return tuple(str(item).strip() for item in value if item is not None and str(item).strip())

    def aliases(self) -> tuple[str, ...]:
        aliases = self.strings("aliases")
        for alias in aliases:
            try:
                parts = urlsplit(alias)
            except ValueError:  # '//[::1/': a host that is not one
                parts = urlsplit("//host")
            if parts.scheme or parts.netloc or ".." in parts.path.split("/") or _UNSAFE_ALIAS.search(alias):
                self._error("aliases", f"alias {alias!r} must be a path on this site", "e.g. /old/address/")
                return ()
        return aliases

    def tags(self) -> tuple[str, ...]:
        """`tags:`, `categories:` and `category:` (Jekyll, Hugo) and `keywords:` (HTML's meta), as one list."""
        tags: list[str] = []
        for key in ("tags", "categories", "category", "keywords"):
            value = self.doc.values.get(key)
            if isinstance(value, str):
                tags.extend(self._split_tags(key, value))
            elif value is not None:
                tags.extend(self.strings(key))
        return tuple(dict.fromkeys(" ".join(tag.split()) for tag in tags))

    def _split_tags(self, key: str, value: str) -> list[str]:
        """Tags written as one text: split at commas when it has one; else `category:` is one tag, and `tags:` and
        `categories:` are split at spaces as Jekyll does (a warning says so); `keywords:` are always comma-separated
        (HTML's meta)."""
        if re.search(r"[,،]", value) or key in ("category", "keywords"):
            return [part.strip() for part in re.split(r"[,،]", value) if part.strip()]
        parts = value.split()
        if len(parts) > 1:
            whole = " ".join(parts)
            self.errors.append(SourceError(
                self.path, f"'{key}' is split at its spaces into {len(parts)} tags, as Jekyll does: "
                + ", ".join(parts), self._line(key), 1,
                f"write a list to keep '{whole}' as one tag: " + _list_of(self.doc.format, key, whole),
                severity="warning"))
        return parts

    def image(self) -> tuple[str | None, str | None]:
        """The post's image and its alternative text: `image: cover.jpg`, or a mapping of themes' keys
        (`image: {path: cover.jpg, alt: ...}`, So Simple's `feature:`, Hugo themes' `src:`)."""
        value = self.doc.values.get("image")
        key, alt = "image", None
        if isinstance(value, dict):
            key = next((f"image.{k}" for k in _IMAGE_PATH_KEYS if value.get(k) is not None), "image")
            alt = self.text_value("image.alt", value.get("alt"))
            if key == "image":
                self.errors.append(SourceError(self.path, "'image' has no path; the post is shown without one",
                                               self.doc.line("image"), 1, "give it one of: "
                                               + ", ".join(_IMAGE_PATH_KEYS), severity="warning"))
                return None, None
            value = value[key.partition(".")[2]]
        path = self.text_value(key, value)
        if path is not None and (problem := url_problem(path, paths=True)):
            self._error(key, f"image {path!r} {problem}", "a file beside the post, such as cover.jpg, or an "
                        "https:// address")
            return None, None
        return path, alt if path else None

    def author(self) -> tuple[str | None, str | None, str | None]:
        """The post's own author: (name, page, email address). `author:` is a name or a mapping (name, url,
        email); Hugo's `authors:` a list of names, shown together."""
        value = self.doc.values.get("author")
        if value is None and self.doc.values.get("authors") is not None:
            names = self.strings("authors") if not isinstance(self.doc.values["authors"], str) else (
                self.text("authors"),)
            return ", ".join(name for name in names if name) or None, None, None
        if not isinstance(value, dict):
            return self.text_value("author", value), None, None
        key = next((f"author.{k}" for k in _AUTHOR_NAME_KEYS if value.get(k) is not None), "author.name")
        name = self.text_value(key, value.get(key.partition(".")[2]))
        url = self.text_value("author.url", value.get("url"))
        if url is not None and (problem := url_problem(url, paths=True)):
            self._error("author.url", f"author.url {url!r} {problem}", "the author's page, such as https://…")
            url = None
        email = self.text_value("author.email", value.get("email"))
        if email is not None and not _EMAIL.fullmatch(email):
            self._error("author.email", f"author.email {email!r} is not an email address", "such as jane@example.org")
            email = None
        if name is None:
            self.errors.append(SourceError(self.path, "'author' has no name; the site's author is shown",
                                           self.doc.line("author"), 1, "add name: under author:", severity="warning"))
            return None, None, None
        return name, url, email

    def language(self) -> str | None:
        value = self.text("lang")
        if value is not None and not _LANGUAGE_TAG.fullmatch(value):
            self._error("lang", f"lang {value!r} is not a language code", "such as ar, en or fr-CA")
            return None
        return value

    def translation_key(self) -> str | None:
        """`translation_key:` (Hugo's `translationKey:` too): text, or a number written as text."""
        key = next((key for key in _TRANSLATION_KEYS if self.doc.values.get(key) is not None), None)
        return self.text(key) if key else None

    def series_order(self) -> int | None:
        """`series_order:`, a whole number (a number written as text, '2', is read as one)."""
        value = self.doc.values.get("series_order")
        if value is None:
            return None
        if isinstance(value, str) and value.strip().removeprefix("-").isdecimal():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            shown = _kind(value) if isinstance(value, (list, dict, float)) else repr(str(value))
            self._error("series_order", f"series_order must be a whole number, not {shown}",
                        "the post's place in its series: series_order: 2")
            return None
        if self.doc.values.get("series") is None:
            self._error("series_order", "series_order without series", "name the series: series: <name>")
            return None
        return value

    def template(self) -> str | None:
        value = self.text("template")
        if value is not None and (not value.endswith(".html") or ".." in value or value.startswith("/")):
            self._error("template", f"template {value!r} must name an .html file of the theme", "e.g. about.html")
            return None
        return value

    def slug(self) -> str | None:
        value = self.text("slug")
        if value is None:
            return None
        if problem := slug_problem(value):
            shorter = slugify(value)[:60].strip("-")
            self._error("slug", problem, f"try slug: {shorter or 'my-post'}")
            return None
        return value


def _list_of(kind: str, key: str, value: str) -> str:
    """A one-item list as the front matter's format writes it."""
    if kind == "toml":
        return f"{key} = [{json.dumps(value, ensure_ascii=False)}]"
    if kind == "json":
        return f"{json.dumps(key)}: [{json.dumps(value, ensure_ascii=False)}]"
    return f"{key}: [{value}]"


def slug_problem(slug: str) -> str | None:
    """Why `slug` cannot name a page's folder in a URL, or None when it can."""
    if _UNSAFE_SLUG.search(slug) or any(_invisible(char) for char in slug):
        return f"slug {slug!r} is not safe in a URL path"
    if len(slug.encode()) > MAX_SLUG_BYTES:
        return f"slug is too long for a folder name ({len(slug.encode())} bytes in UTF-8, at most {MAX_SLUG_BYTES})"
    return None


def _invisible(char: str) -> bool:
    """Spaces, controls and invisible format characters (bidi controls among them) have no place in a slug; the
    zero-width (non-)joiners Persian and Urdu words need are kept."""
    kind = unicodedata.category(char)
    return kind[0] in "ZC" and char not in "\u200c\u200d"


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    return names.get(type(value), "a date" if isinstance(value, date) else type(value).__name__)
