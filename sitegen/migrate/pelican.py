"""A Pelican blog read as an OldBlog: its settings (never run), its Markdown and reStructuredText articles and pages,
the URL each had, and its static files."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from . import pelican_conf as conf
from .model import Asset, Entry, Note, OldBlog
from .paths import inside, read_text, relative_posix, site_path, walk_files

MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mkd", ".mdown"})
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_BEGIN = re.compile(r"^-{3}(\s.*)?")
_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")
_SINGLE = frozenset({"tags", "date", "modified", "status", "category", "author", "save_as", "url", "authors",
                     "slug"})
"""Keys Pelican takes only the first definition of (readers.DUPLICATES_DEFINITIONS_ALLOWED)."""
_LINK = re.compile(r"(?<![\w{])[{|](?P<what>filename|static|attach|index|tag|category|author)[|}]"
                   r"(?P<value>[^\s\"'<>()\[\]]*)")
_SKIP = frozenset({"output", "__pycache__", "node_modules", "theme", "themes", "plugins"})


@dataclass(frozen=True, slots=True)
class Header:
    """A Markdown file's metadata header as Python-Markdown's `meta` extension reads it."""

    values: dict[str, list[str]]
    lines: dict[str, int]
    body: str
    body_line: int


@dataclass(slots=True)
class _Item:
    entry: Entry
    relative: str
    notes: list[Note] = field(default_factory=list)


def parse_header(text: str) -> Header:
    """Split Pelican's `Key: value` header (optionally between '---' lines) from the Markdown body; keys lowercased,
    indented lines continue the previous key."""
    lines = text.split("\n")
    index = 1 if lines and _BEGIN.match(lines[0]) else 0
    values: dict[str, list[str]] = {}
    where: dict[str, int] = {}
    key: str | None = None
    while index < len(lines):
        line = lines[index]
        if line.strip() == "" or _END.match(line):
            index += 1
            break
        match = _META.match(line)
        if match:
            key = match.group("key").lower().strip()
            values.setdefault(key, []).append(match.group("value").strip())
            where.setdefault(key, index + 1)
        elif (more := _META_MORE.match(line)) and key is not None:
            values[key].append(more.group("value").strip())
        else:
            break
        index += 1
    return Header(values, where, "\n".join(lines[index:]), index + 1)


def read_pelican(root: Path) -> OldBlog:
    """The Pelican blog at `root` (the folder of pelicanconf.py)."""
    notes: list[Note] = []
    settings = _settings(root, notes)
    if "PATH" not in settings and (root / "content").is_dir():
        settings["PATH"] = "content"  # Pelican then reads the folder it is run in; quickstart blogs name it
    content = inside(root, str(settings.get("PATH", "."))) if not os.path.isabs(str(settings.get("PATH"))) else None
    if content is None or not content.is_dir():
        notes.append(Note(root / "pelicanconf.py", f"PATH {settings.get('PATH')!r} is not a folder of the blog; "
                                                   "'content' is read instead"))
        content = root / "content"
    files = list(walk_files(content, _SKIP))
    pages = _prefixes(settings["PAGE_PATHS"])
    articles = _prefixes(settings["ARTICLE_PATHS"])
    statics = _prefixes(settings["STATIC_PATHS"])
    items: list[_Item] = []
    static: dict[str, Asset] = {}
    for path in files:
        relative = relative_posix(path, content)
        suffix = path.suffix.lower()
        if suffix in MARKDOWN_EXTENSIONS or suffix == ".rst":
            if _under(relative, pages):
                kind = "pages"
            elif _under(relative, articles):
                kind = "posts"
            else:
                continue
            item = _read_entry(path, relative, kind, settings)
            if item is not None:
                items.append(item)
        elif suffix in (".html", ".htm") and (_under(relative, pages) or _under(relative, articles)) \
                and not _under(relative, statics):
            notes.append(Note(path, "Pelican's HTML pages are not imported; copy its content into a Markdown "
                                    "page by hand", severity="error"))
        elif _under(relative, statics):
            target = _static_target(relative, settings)
            static[relative] = Asset(target, path, "/" + target)
    resolved = {item.relative: item for item in items}
    entries = []
    for item in items:
        entries.append(_links(item, resolved, content, settings, static))
    return OldBlog("pelican", root, tuple(entries), tuple(static.values()), tuple(notes), _blog_settings(settings))


def _settings(root: Path, notes: list[Note]) -> dict[str, Any]:
    path = next((p for p in (root / "pelicanconf.py", root / "pelican.conf.py") if p.is_file()), None)
    values: dict[str, Any] = {}
    if path is None:
        notes.append(Note(root, "no pelicanconf.py: Pelican's default settings are used"))
    elif (text := read_text(path, notes)) is not None:
        values = conf.read_settings(text, path, notes)
    publish = root / "publishconf.py"
    if publish.is_file() and (text := read_text(publish, notes)) is not None:
        published = conf.read_settings(text, publish, [])
        if isinstance(published.get("SITEURL"), str):
            values["SITEURL"] = published["SITEURL"]
    return conf.merged(values)


def _blog_settings(settings: dict[str, Any]) -> dict[str, str]:
    pairs = {"title": "SITENAME", "base_url": "SITEURL", "language": "DEFAULT_LANG", "author": "AUTHOR",
             "timezone": "TIMEZONE"}
    return {key: str(settings[name]) for key, name in pairs.items()
            if isinstance(settings.get(name), str) and settings[name]}


def _prefixes(value: object) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else []
    return [str(item).strip("/") for item in items if isinstance(item, str)]


def _under(relative: str, prefixes: list[str]) -> bool:
    return any(prefix in ("", ".") or relative == prefix or relative.startswith(prefix + "/") for prefix in prefixes)


def _static_target(relative: str, settings: dict[str, Any]) -> str:
    extra = settings.get("EXTRA_PATH_METADATA")
    if isinstance(extra, dict) and isinstance(extra.get(relative), dict):
        target = extra[relative].get("path") or extra[relative].get("save_as")
        if isinstance(target, str) and target.strip("/"):
            return target.strip("/")
    return relative


def _read_entry(path: Path, relative: str, kind: str, settings: dict[str, Any]) -> _Item | None:
    notes: list[Note] = []
    text = read_text(path, notes)
    if text is None:
        return _Item(Entry(path, "posts", "", {}, "", (), notes=tuple(notes)), relative, notes)
    if path.suffix.lower() == ".rst":
        from .pelican_rst import read_rst
        read = read_rst(text, path, notes)
        if read is None:
            return _Item(Entry(path, "posts", "", {}, "", (), notes=tuple(notes)), relative, notes)
        meta, lines, body, body_line = read
    else:
        header = parse_header(text)
        meta, lines = _collapse(header, path, notes, settings), header.lines
        body, body_line = header.body, header.body_line
    return _entry(path, relative, kind, meta, lines, body, body_line, settings, notes)


def _collapse(header: Header, path: Path, notes: list[Note], settings: dict[str, Any]) -> dict[str, str]:
    """One string per key, as Pelican keeps them: the first of a single-valued key, formatted fields joined."""
    formatted = {str(key).lower() for key in settings.get("FORMATTED_FIELDS") or [] if isinstance(key, str)}
    values: dict[str, str] = {}
    for key, items in header.values.items():
        if key in formatted:
            values[key] = "\n".join(items)
        elif key in _SINGLE and len(items) > 1:
            notes.append(Note(path, f"'{key}' has more than one line; Pelican used the first only",
                              header.lines.get(key)))
            values[key] = items[0]
        else:
            values[key] = " ".join(items)
    return values


def _entry(path: Path, relative: str, kind: str, meta: dict[str, str], lines: dict[str, int], body: str,
           body_line: int, settings: dict[str, Any], notes: list[Note]) -> _Item:
    defaults = settings.get("DEFAULT_METADATA")
    defaults = {str(k).lower(): v for k, v in defaults.items() if isinstance(v, str)} if isinstance(
        defaults, dict) else {}
    given = {key: value for key, value in meta.items() if value.strip() or key == "save_as"}
    meta = {**defaults, **_path_metadata(relative, kind, settings), **given}
    title = meta.get("title", "").strip()
    date = _date(meta.get("date"), settings, path, lines.get("date"), notes)
    if date is None and isinstance(settings.get("DEFAULT_DATE"), (str, list, tuple)):
        date = _date(settings["DEFAULT_DATE"], settings, path, None, notes)
    updated = _date(meta.get("modified"), settings, path, lines.get("modified"), notes)
    lang = meta.get("lang", "").strip() or str(settings["DEFAULT_LANG"])
    status = meta.get("status", "published").strip().lower()
    slug = meta.get("slug", "").strip()
    if not slug:
        source = title if settings.get("SLUGIFY_SOURCE") != "basename" else PurePosixPath(relative).stem
        slug = conf.slugify(source, settings, notes, path) if source else ""
    if not slug:
        slug = conf.slugify(PurePosixPath(relative).stem, settings) or "untitled"
        notes.append(Note(path, f"Pelican could not make a slug for this file; '{slug}' is used"))
    category = meta.get("category", "").strip() or (str(settings["DEFAULT_CATEGORY"]) if kind == "posts" else "")
    tags = _split_list(meta.get("tags", ""))
    authors = _split_list(meta.get("authors", "")) or _split_list(meta.get("author", ""))
    author = authors[0] if authors else str(settings.get("AUTHOR") or "")
    draft = status == "draft"
    if not title or (kind == "posts" and date is None):
        missing = "title" if not title else "date"
        notes.append(Note(path, f"Pelican skipped this file: it has no {missing}; imported as a draft"))
        draft = True
    old_urls: tuple[str, ...] = ()
    default_lang = lang == str(settings["DEFAULT_LANG"])
    if draft:
        notes.append(Note(path, "a draft: its old drafts/ URL is not kept", lines.get("status")))
    else:
        old_urls = _old_urls(kind, default_lang, slug, lang, date, author, category, relative, meta, settings,
                             path, notes)
    entry_kind = kind
    if status == "hidden":
        entry_kind = "pages"
        notes.append(Note(path, "hidden in Pelican (published but listed nowhere): imported as a page",
                          lines.get("status")))
    front: dict[str, object] = {"title": title or PurePosixPath(relative).stem}
    if date is not None:
        front["date"] = date
    if updated is not None:
        front["updated"] = updated
    if meta.get("summary", "").strip():
        front["description"] = meta["summary"].strip()
    topics = ([category] if meta.get("category", "").strip() else []) + tags
    if topics:
        front["tags"] = list(dict.fromkeys(topics))
    if "lang" in meta:
        front["lang"] = lang
    if draft:
        front["draft"] = True
    if authors:
        front["author"] = author if len(authors) == 1 else authors
    front["slug"] = slug if default_lang else f"{slug}-{lang}"
    for key, value in meta.items():
        if key not in {"title", "date", "modified", "summary", "tags", "lang", "status", "slug", "author",
                       "authors"} and key not in front:
            front[key] = value
    entry = Entry(path, "pages" if entry_kind == "pages" else "posts", str(front["slug"]), front, body, old_urls,
                  body_line)
    return _Item(entry, relative, notes)


def _path_metadata(relative: str, kind: str, settings: dict[str, Any]) -> dict[str, str]:
    """What FILENAME_METADATA, PATH_METADATA and the folder (as the category) say (readers.parse_path_metadata)."""
    found: dict[str, str] = {}
    folder, base = PurePosixPath(relative).parent.name, PurePosixPath(relative).stem
    checks = [(settings.get("FILENAME_METADATA"), base), (settings.get("PATH_METADATA"), relative)]
    if kind == "posts" and settings.get("USE_FOLDER_AS_CATEGORY"):
        checks.append(("(?P<category>.*)", folder))
    for pattern, data in checks:
        if not isinstance(pattern, str) or not pattern or not data:
            continue
        try:
            match = re.match(pattern, data)
        except re.error:
            continue
        for key, value in (match.groupdict() if match else {}).items():
            if value is not None and key.lower() not in found:
                found[key.lower()] = value
    return found


def _date(value: object, settings: dict[str, Any], path: Path, line: int | None,
          notes: list[Note]) -> datetime | None:
    if isinstance(value, (list, tuple)):
        try:
            moment = datetime(*value)
        except (TypeError, ValueError):
            return None
    elif isinstance(value, str) and value.strip() and value.strip() != "fs":
        from dateutil import parser  # type: ignore[import-untyped]
        text = re.sub(" +", " ", value.replace("_", " ").strip())
        default = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        try:
            moment = parser.parse(text, default=default)
        except (ValueError, OverflowError, TypeError):
            notes.append(Note(path, f"date {value!r} is not a date Pelican reads; left out", line))
            return None
    else:
        return None
    zone = settings.get("TIMEZONE")
    if moment.tzinfo is None and isinstance(zone, str) and zone:
        with contextlib.suppress(ValueError, KeyError, OSError):
            moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment


def _split_list(value: str) -> list[str]:
    parts = value.split(";") if ";" in value else value.split(",")
    return [part.strip() for part in parts if part.strip()]


def _old_urls(kind: str, default_lang: bool, slug: str, lang: str, date: datetime | None, author: str,
              category: str, relative: str, meta: dict[str, str], settings: dict[str, Any], path: Path,
              notes: list[Note]) -> tuple[str, ...]:
    prefix = "ARTICLE" if kind == "posts" else "PAGE"
    lang_part = "" if default_lang else "LANG_"
    fields = conf.url_fields(slug, lang, date, conf.slugify(author, settings) if author else "",
                             conf.slugify(category, settings) if category else "", relative, meta)
    if "save_as" in meta and not meta["save_as"].strip():
        notes.append(Note(path, "Save_as is empty: Pelican did not write this page, so it has no old URL"))
        return ()
    url = meta.get("url") or conf.format_url(settings.get(f"{prefix}_{lang_part}URL"), fields)
    save_as = meta.get("save_as") or conf.format_url(settings.get(f"{prefix}_{lang_part}SAVE_AS"), fields)
    if url is None:
        notes.append(Note(path, f"{prefix}_{lang_part}URL cannot be filled in for this file; its old URL is "
                                "unknown", severity="error"))
        return ()
    urls = [site_path(url)]
    if save_as and site_path(save_as) not in (urls[0], site_path(url + "index.html")):
        urls.append(site_path(save_as))
    return tuple(urls)


def _links(item: _Item, items: dict[str, _Item], content: Path, settings: dict[str, Any],
           static: dict[str, Asset]) -> Entry:
    """The body with Pelican's `{filename}`, `{static}` and `{attach}` links made plain URLs."""
    entry = item.entry
    notes = item.notes
    assets: dict[str, Asset] = {}
    folder = PurePosixPath(item.relative).parent

    def rewrite(match: re.Match[str]) -> str:
        what, value = match.group("what"), match.group("value")
        target, _, rest = value.partition("#")
        target, query, _ = target.partition("?")
        anchor = ("#" + rest) if rest else ""
        if what in ("index", "tag", "category", "author"):
            notes.append(Note(entry.source, f"{{{what}}} link {value!r} is left as written; fix it by hand",
                              _line(entry, match.start())))
            return match.group(0)
        joined = PurePosixPath(os.path.normpath((folder / target.lstrip("/")).as_posix()) if not
                               target.startswith("/") else os.path.normpath(target.lstrip("/")))
        relative = joined.as_posix()
        other = items.get(relative)
        if other is not None and other.entry.old_urls:
            return other.entry.old_urls[0] + anchor
        source = inside(content, relative)
        if source is None or not source.is_file():
            notes.append(Note(entry.source, f"{{{what}}} link to {value!r}: no such file in the blog",
                              _line(entry, match.start())))
            return match.group(0)
        if what == "attach":
            name = PurePosixPath(relative).relative_to(folder).as_posix() if relative.startswith(
                folder.as_posix() + "/") or folder.as_posix() == "." else PurePosixPath(relative).name
            assets[name] = Asset(name, source, match.group(0))
            if entry.old_urls:
                old = PurePosixPath(entry.old_urls[0].lstrip("/"))
                base = old if entry.old_urls[0].endswith("/") else old.parent
                target_path = (base / name).as_posix()
                static.setdefault(target_path, Asset(target_path, source, match.group(0)))
            return name + anchor
        if relative not in static:
            target_path = _static_target(relative, settings)
            static[relative] = Asset(target_path, source, match.group(0))
        return "/" + static[relative].target + (("?" + query) if query else "") + anchor

    body = _LINK.sub(rewrite, entry.body)
    return replace(entry, body=body, assets=tuple(assets.values()), notes=tuple(notes))


def _line(entry: Entry, offset: int) -> int:
    return entry.body_line + entry.body.count("\n", 0, offset)
