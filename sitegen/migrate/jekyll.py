"""Reading a Jekyll blog: `_config.yml`, posts (`_posts/`, `<category>/_posts/`), drafts, pages and collections,
each with the URL Jekyll gave it, its front matter mapped to sitegen's keys and the site-wide files it links to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..sources.frontmatter import FrontMatter
from ..sources.yamlio import parse_yaml_mapping
from . import jekyll_urls as urls
from .common import (
    Front,
    Reference,
    file_references,
    first_text,
    image_of,
    keep_rest,
    note_of,
    old_path,
    person,
    read_front,
    read_text,
    safe_slug,
    site_files,
    to_datetime,
    walk_files,
    words,
)
from .markup import convert_markup
from .model import Asset, Entry, Note, OldBlog

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".html", ".htm", ".textile"})
_MARKDOWN = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".mdown"})
_SKIPPED_DIRS = frozenset({"node_modules", "vendor", "gemfiles", ".sass-cache", ".jekyll-cache"})
_LISTING = re.compile(r"\{%-?\s*for\s+\w+\s+in\s+(?:paginator\.|site\.(?:posts|tags|categories|pages))|"
                      r"\bpaginator\.")
_CONSUMED = frozenset({"title", "date", "last_modified_at", "description", "excerpt", "summary", "tags", "tag",
                       "categories", "category", "published", "author", "image", "image_alt", "lang",
                       "permalink", "redirect_from", "slug"})


@dataclass(frozen=True, slots=True)
class _Config:
    posts_template: str
    style: str
    base_path: str
    collections: dict[str, tuple[bool, str | None]]
    defaults: list[tuple[str, str, dict[str, Any]]]
    """(path prefix, type, values) in the order written."""
    zone: ZoneInfo | None
    excludes: tuple[str, ...]
    collections_dir: str
    excerpt_separator: str
    settings: dict[str, str]


@dataclass(slots=True)
class _Item:
    path: Path
    relative: str
    kind: str
    """'posts', 'drafts', 'pages' or a collection's label."""
    front: FrontMatter
    values: dict[str, Any]
    slug: str = ""
    url: str | None = None
    when: datetime | None = None
    notes: list[Note] = field(default_factory=list)


def read_jekyll(root: Path) -> OldBlog:
    """Everything of the Jekyll blog at `root` that sitegen can bring in, and notes for what it cannot."""
    notes: list[Note] = []
    config = _load_config(root, notes)
    items = _find_items(root, config, notes)
    refs = _reference_map(items)

    def resolve(reference: str) -> str | None:
        name, _, fragment = reference.strip().strip("\"'").partition("#")
        found = refs.get(name.strip().lstrip("/")) or refs.get(re.sub(r"\.[^./]+$", "", name.strip().lstrip("/")))
        return found + (f"#{fragment}" if found and fragment else "") if found else None

    entries: list[Entry] = []
    static: dict[str, Asset] = {}
    for item in items:
        entry, assets = _entry(item, config, root, resolve)
        for asset in assets:
            static.setdefault(asset.target, asset)
        entries.append(entry)
    return OldBlog("jekyll", root, tuple(entries), tuple(static.values()), tuple(notes), config.settings)


def _load_config(root: Path, notes: list[Note]) -> _Config:
    path = root / "_config.yml"
    if not path.is_file() and (root / "_config.yaml").is_file():
        path = root / "_config.yaml"
    values: dict[str, Any] = {}
    if path.is_file():
        text = read_text(path, notes)
        if text is not None:
            doc, errors = parse_yaml_mapping(text, path, what="the configuration")
            notes.extend(note_of(error) for error in errors)
            values = doc.values if doc is not None else {}
    else:
        notes.append(Note(root, "no _config.yml: Jekyll's defaults are assumed"))
    style = str(values.get("permalink") or "date").strip()
    collections: dict[str, tuple[bool, str | None]] = {}
    raw = values.get("collections")
    listed = raw if isinstance(raw, dict) else {str(name): {} for name in raw} if isinstance(raw, list) else {}
    for label, meta in listed.items():
        meta = meta if isinstance(meta, dict) else {}
        permalink = meta.get("permalink")
        collections[str(label)] = (meta.get("output") is True, str(permalink) if permalink else None)
    posts_meta = collections.get("posts")
    posts_template = (posts_meta[1] if posts_meta and posts_meta[1] else None) or urls.style_template(style)
    zone = None
    if isinstance(values.get("timezone"), str):
        try:
            zone = ZoneInfo(values["timezone"])
        except (ValueError, OSError, KeyError):
            notes.append(Note(path, f"timezone {values['timezone']!r} is not known; dates are read as written"))
    base_path = str(values.get("baseurl") or "").strip().rstrip("/")
    site_url = str(values.get("url") or "").strip().rstrip("/")
    settings = {key: value for key, value in {
        "title": first_text(values, "title", "name"), "base_url": (site_url + base_path + "/") if site_url else None,
        "language": first_text(values, "lang", "locale", "language"), "author": person(values.get("author")),
        "description": first_text(values, "description", "tagline"),
        "timezone": str(zone.key) if zone else None}.items() if value}
    return _Config(posts_template, style, base_path, collections, _defaults(values.get("defaults")), zone,
                   tuple(str(x) for x in values.get("exclude") or [] if isinstance(x, str)),
                   str(values.get("collections_dir") or "").strip("/"),
                   str(values.get("excerpt_separator") or "\n\n"), settings)


def _defaults(raw: object) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for rule in raw if isinstance(raw, list) else []:
        if not isinstance(rule, dict) or not isinstance(rule.get("values"), dict):
            continue
        scope = rule.get("scope") if isinstance(rule.get("scope"), dict) else {}
        assert isinstance(scope, dict)
        out.append((str(scope.get("path") or "").strip("/"), str(scope.get("type") or ""), rule["values"]))
    return out


def _find_items(root: Path, config: _Config, notes: list[Note]) -> list[_Item]:
    def skip(folder: Path) -> bool:
        name = folder.name
        relative = folder.relative_to(root).as_posix()
        return (name.startswith(".") or name in _SKIPPED_DIRS or relative in config.excludes
                or (name.startswith("_") and name not in ("_posts", "_drafts") and name[1:] not in config.collections
                    and relative != config.collections_dir))

    items: list[_Item] = []
    for path in walk_files(root, notes, skip):
        relative = path.relative_to(root).as_posix()
        parts = relative.split("/")
        if path.suffix.lower() not in TEXT_SUFFIXES or relative in config.excludes:
            continue
        kind = _kind(parts, config)
        if kind is None:
            continue
        if not _has_front_matter(path):
            if kind in ("posts", "drafts"):
                notes.append(Note(path, "no front matter, so Jekyll copied it as a file rather than a post"))
            continue
        front = read_front(path, notes)
        if front is None:
            continue
        if kind == "pages" and (relative in ("index.md", "index.html", "index.markdown")
                                or _LISTING.search(front.body)):
            notes.append(Note(path, "a list of posts made by the theme: sitegen makes its own", 1))
            continue
        values = _with_defaults(front.values, relative, kind, config)
        items.append(_located(_Item(path, relative, kind, front, values), config))
    return items


def _kind(parts: list[str], config: _Config) -> str | None:
    """'posts', 'drafts', 'pages', a collection's label, or None for a file Jekyll does not render as a page."""
    folders = parts[:-1]
    if "_posts" in folders:
        return "posts" if all(not f.startswith("_") for f in folders[:folders.index("_posts")]) else None
    if "_drafts" in folders:
        return "drafts"
    inner = folders[len(config.collections_dir.split("/")):] if config.collections_dir else folders
    if inner and inner[0].startswith("_") and inner[0][1:] in config.collections:
        return inner[0][1:] if config.collections[inner[0][1:]][0] else None
    if any(f.startswith(("_", ".")) for f in folders) or parts[-1].startswith(("_", ".", "#")):
        return None
    return "pages"


def _has_front_matter(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5).lstrip(b"\xef\xbb\xbf").startswith(b"---")
    except OSError:
        return False


def _with_defaults(values: dict[str, Any], relative: str, kind: str, config: _Config) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for prefix, kind_of, defaults in config.defaults:
        if kind_of and kind_of != kind:
            continue
        if prefix and not re.match(re.escape(prefix).replace(r"\*", "[^/]*") + r"(/|$)", relative):
            continue
        merged.update(defaults)
    categories = words(merged.get("categories", []))
    merged.update(values)
    if categories and "categories" in values:
        merged["categories"] = categories + [c for c in _split(values["categories"]) if c not in categories]
    return merged


def _split(value: object) -> list[str]:
    """A plural key's value as Jekyll reads it: a string is space-separated."""
    return value.split() if isinstance(value, str) else words(value)


def _located(item: _Item, config: _Config) -> _Item:
    """The item with its slug and the URL Jekyll gave it (None for drafts and unpublished posts)."""
    path, values = item.path, item.values
    stem = re.sub(r"\.*$", "", path.stem)
    output_ext = ".html" if path.suffix.lower() in TEXT_SUFFIXES else path.suffix
    if item.kind == "pages":
        folder = "/".join(item.relative.split("/")[:-1])
        template = ("/:path/" if stem == "index" else
                    urls.add_permalink_suffix("/:path/:basename", config.style))
        placeholders: dict[str, str | None] = {"path": folder, "basename": stem, "output_ext": output_ext}
        permalink = values.get("permalink")
        url = urls.fill_page_template(str(permalink) if permalink else template, placeholders)
        segment = url.rstrip("/").rsplit("/", 1)[-1] or stem
        item.slug = re.sub(r"\.html$", "", segment) if stem != "index" else (folder.rsplit("/", 1)[-1] or stem)
        item.url = url
        return item
    date_part, title_part = urls.split_name(stem)
    slug_value = values.get("slug")
    data_slug = str(slug_value) if slug_value not in (None, "") else title_part
    when = item.when = _date(values.get("date"), date_part, config, item)
    categories = _categories(item.relative, values)
    label = "posts" if item.kind in ("posts", "drafts") else item.kind
    inside = item.relative.split(f"_{label}/", 1)[-1] if item.kind != "drafts" else item.relative.split(
        "_drafts/", 1)[-1]
    drop = {"collection": label, "path": "/" + re.sub(r"\.*$", "", inside.rsplit(".", 1)[0]),
            "output_ext": output_ext, "name": urls.jekyll_slugify(stem),
            "title": urls.jekyll_slugify(data_slug, "pretty", cased=True),
            "slug": urls.jekyll_slugify(data_slug), "categories": urls.categories_value(categories),
            "slugified_categories": urls.categories_value(categories, slugified=True),
            **urls.date_values(when or datetime(1970, 1, 1))}
    item.slug = drop["title"] or urls.jekyll_slugify(stem, "pretty", cased=True)
    if item.kind == "drafts" or values.get("published") is False:
        return item
    if item.kind == "posts":
        template = config.posts_template
    else:
        meta = config.collections.get(item.kind, (True, None))
        template = meta[1] or urls.add_permalink_suffix("/:collection/:path", config.style)
    template = urls.style_template(str(values["permalink"])) if values.get("permalink") else template
    if when is None and re.search(r":(year|month|day|i_|short_|long_|y_day|w_|week|hour|minute|second)", template):
        item.notes.append(Note(item.path, "no date in the file name or front matter; its old URL is unknown", 1))
        return item
    item.url = urls.fill_template(template, drop)
    if item.url is not None and item.url.rstrip("/"):
        segment = item.url.rstrip("/").rsplit("/", 1)[-1]
        if not item.url.endswith("/"):  # a page's file (/:title.html): its name without the extension
            segment = re.sub(re.escape(output_ext) + "$", "", segment)
        item.slug = segment or item.slug
    if item.url is None:
        item.notes.append(Note(item.path, f"the permalink {template!r} names a placeholder Jekyll does not know",
                               item.front.line("permalink", 1), severity="error"))
    return item


def _date(value: object, from_name: str | None, config: _Config, item: _Item) -> datetime | None:
    when = to_datetime(value) if value is not None else None
    if value is not None and when is None:
        item.notes.append(Note(item.path, f"date {value!r} is not a date", item.front.line("date", 1)))
    if when is None and from_name:
        when = to_datetime(from_name)
    if when is not None and when.tzinfo is not None and config.zone is not None:
        when = when.astimezone(config.zone)
    return when


def _categories(relative: str, values: dict[str, Any]) -> list[str]:
    """Document#categories_from_path, merged with the front matter's, then #populate_categories."""
    folders = relative.split("/")[:-1]
    above = folders[:folders.index("_posts")] if "_posts" in folders else []
    merged = list(dict.fromkeys(above + _split(values.get("categories"))))
    if "category" in values:
        merged += [str(values["category"])] if values["category"] is not None else []
    return list(dict.fromkeys(c for c in merged if c))


def _reference_map(items: list[_Item]) -> dict[str, str]:
    """What `{% post_url %}` and `{% link %}` may name -> the old URL."""
    refs: dict[str, str] = {}
    for item in items:
        if item.url is None:
            continue
        refs.setdefault(item.relative, item.url)
        if item.kind == "posts":
            inside = item.relative.split("_posts/", 1)[-1]
            refs.setdefault(inside.rsplit(".", 1)[0], item.url)
            refs.setdefault(item.path.stem, item.url)
    return refs


def _entry(item: _Item, config: _Config, root: Path,
           resolve: Callable[[str], str | None]) -> tuple[Entry, list[Asset]]:
    values, notes = item.values, list(item.notes)
    front = Front()
    is_post = item.kind in ("posts", "drafts")
    title = first_text(values, "title")
    front.known["title"] = title or (urls.titleize_slug(urls.split_name(item.path.stem)[1]) if is_post else None)
    front.known["date"] = item.when if is_post else to_datetime(values.get("date"))
    front.known["updated"] = to_datetime(values.get("last_modified_at"))
    front.known["description"] = first_text(values, "description", "excerpt", "summary")
    tag_value = values["tag"] if "tag" in values else values.get("tags")
    tags = words(tag_value) if "tag" in values else _split(tag_value)
    front.known["tags"] = list(dict.fromkeys(tags + (_categories(item.relative, values) if is_post else [])))
    front.known["lang"] = first_text(values, "lang")
    front.known["draft"] = True if item.kind == "drafts" or values.get("published") is False else None
    front.known["author"] = person(values.get("author"))
    image, alt = image_of(values.get("image") or values.get("featured_image") or values.get("featured_img")
                          or values.get("header"))
    front.known["image"] = image
    front.known["image_alt"] = first_text(values, "image_alt") or alt
    front.rest = keep_rest(values, _CONSUMED)
    if values.get("redirect_to"):
        notes.append(Note(item.path, "redirect_to: this page only sent readers elsewhere", item.front.line(
            "redirect_to", 1)))
    body = item.front.body
    separator = str(values.get("excerpt_separator") or config.excerpt_separator)
    if separator.strip() and separator in body and separator != "<!--more-->":
        body = body.replace(separator, "<!--more-->", 1)
    body, converted = convert_markup(body, "liquid", item.path, item.front.body_line, resolve)
    notes.extend(converted)
    old = [item.url] if item.url else []
    if item.url and not item.url.endswith(("/", ".html", ".htm")):
        old.append(item.url + ".html")  # the file Jekyll wrote, which most hosts also serve at the bare path
    if item.url is not None:
        old += [old_path(url) for url in words(values.get("redirect_from"))]
    slug = safe_slug(item.slug, item.path, notes)
    refs = file_references(item.front.body, item.front.body_line, config.base_path)
    if image and image.startswith("/"):
        refs.append(Reference(image, image, item.front.line("image", 1) or 1))
    assets = site_files(refs, (root,), item.path, notes)
    return Entry(item.path, "posts" if is_post else "pages", slug, front.ordered(), body,
                 tuple(dict.fromkeys(old)), item.front.body_line, notes=tuple(notes)), assets

