"""Reading a Hugo site: its configuration (`hugo.*`, `config.*`, `config/_default/`), its content (sections, leaf
and branch bundles, translations by file name) with the URL Hugo gave each page, front matter mapped to sitegen's
keys, bundle files kept beside their post and files of `static/` that bodies link to."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..sources.frontmatter import FrontMatter
from ..sources.yamlio import parse_yaml_mapping
from . import hugo_urls as urls
from .common import (
    Front,
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

CONTENT_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".html", ".htm"})
OTHER_FORMATS = frozenset({".adoc", ".asciidoc", ".org", ".rst", ".pandoc", ".pdc"})
_CONFIG_NAMES = ("hugo", "config")
_CONFIG_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
_CONSUMED = frozenset({"title", "date", "publishdate", "pubdate", "published", "lastmod", "modified",
                       "description", "summary", "draft", "author", "authors", "images", "image", "slug", "url",
                       "aliases", "tags", "categories", "translationkey"})


@dataclass(frozen=True, slots=True)
class _Config:
    values: dict[str, Any]
    content_dirs: tuple[tuple[Path, str], ...]
    default_lang: str
    languages: frozenset[str]
    lang_in_subdir: bool
    permalinks: dict[str, str]
    taxonomies: tuple[str, ...]
    ugly: bool
    lower: bool
    main_sections: tuple[str, ...]


@dataclass(slots=True)
class _Item:
    path: Path
    relative: str
    """Relative to its content folder: 'posts/my-post/index.md'."""
    front: FrontMatter
    low: dict[str, Any]
    sections: list[str]
    name: str
    """The file's base name, or the bundle folder's for an index file."""
    lang: str
    is_list: bool
    bundle: Path | None = None
    url: str | None = None
    kind: str = "pages"
    notes: list[Note] = field(default_factory=list)
    translation_key: str | None = None


def read_hugo(root: Path) -> OldBlog:
    """Everything of the Hugo site at `root` that sitegen can bring in, and notes for what it cannot."""
    notes: list[Note] = []
    config = _load_config(root, notes)
    items = [item for folder, lang in config.content_dirs for item in _find_items(folder, lang, config, notes)]
    mains = config.main_sections or _biggest_section(items)
    for item in items:
        item.kind = "posts" if item.sections and item.sections[0] in mains and not item.is_list else "pages"
        item.url = _url(item, config)
    refs = _reference_map(items)
    _link_translations(items)

    def resolve(reference: str) -> str | None:
        name, _, fragment = reference.strip().strip("\"'").partition("#")
        key = name.strip().strip("/")
        found = refs.get(key) or refs.get(re.sub(r"\.[^./]+$", "", key))
        if not name.strip() and fragment:
            return f"#{fragment}"
        return found + (f"#{fragment}" if fragment else "") if found else None

    entries: list[Entry] = []
    static: dict[str, Asset] = {}
    base_path = _base_path(config)
    for item in items:
        if item.is_list and not item.front.body.strip():
            if item.sections or item.front.values:
                notes.append(Note(item.path, "a list page without text: sitegen makes its own lists"))
            continue
        if item.is_list and not item.sections:
            notes.append(Note(item.path, "the home page's text is not brought in (sitegen's home lists posts)"))
            continue
        entry, assets = _entry(item, config, root, base_path, resolve)
        entries.append(entry)
        for asset in assets:
            static.setdefault(asset.target, asset)
    return OldBlog("hugo", root, tuple(entries), tuple(static.values()), tuple(notes), _settings(config.values))


def _read_config_file(path: Path, notes: list[Note]) -> dict[str, Any]:
    text = read_text(path, notes)
    if text is None:
        return {}
    try:
        if path.suffix == ".toml":
            values: Any = tomllib.loads(text)
        elif path.suffix == ".json":
            values = json.loads(text)
        else:
            doc, errors = parse_yaml_mapping(text, path, what="the configuration")
            notes.extend(note_of(error) for error in errors)
            values = doc.values if doc is not None else {}
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, RecursionError) as exc:
        notes.append(Note(path, f"the configuration cannot be read: {exc}", severity="error"))
        return {}
    return values if isinstance(values, dict) else {}


def _lowered(values: dict[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in values.items()}


def _load_config(root: Path, notes: list[Note]) -> _Config:
    values: dict[str, Any] = {}
    found = [root / f"{name}{suffix}" for name in _CONFIG_NAMES for suffix in _CONFIG_SUFFIXES]
    main = next((path for path in found if path.is_file()), None)
    if main is not None:
        values = _lowered(_read_config_file(main, notes))
    folder = root / "config" / "_default"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix not in _CONFIG_SUFFIXES or not path.is_file():
                continue
            read = _lowered(_read_config_file(path, notes))
            if path.stem in _CONFIG_NAMES:
                values.update(read)
            elif "." not in path.stem:  # menus.en.toml and the like belong to one language's menus
                values[path.stem.lower()] = read
    if main is None and not folder.is_dir():
        notes.append(Note(root, "no hugo.toml, config.toml or config/_default/: Hugo's defaults are assumed"))
    default_lang = str(values.get("defaultcontentlanguage") or "en").lower()
    languages = values.get("languages") if isinstance(values.get("languages"), dict) else {}
    assert isinstance(languages, dict)
    content = root / str(values.get("contentdir") or "content")
    dirs = []
    for code, meta in languages.items():
        meta = _lowered(meta) if isinstance(meta, dict) else {}
        if meta.get("contentdir"):
            dirs.append((root / str(meta["contentdir"]), str(code).lower()))
    if default_lang not in {lang for _, lang in dirs}:  # a language with a content folder of its own reads only that
        dirs.insert(0, (content, default_lang))
    permalinks = values.get("permalinks") if isinstance(values.get("permalinks"), dict) else {}
    assert isinstance(permalinks, dict)
    if isinstance(permalinks.get("page"), dict):
        permalinks = permalinks["page"]
    taxonomies = values.get("taxonomies")
    plural = tuple(str(v).lower() for v in taxonomies.values()) if isinstance(taxonomies, dict) else (
        "tags", "categories")
    params = _lowered(values["params"]) if isinstance(values.get("params"), dict) else {}
    main_sections = params.get("mainsections")
    return _Config(values, tuple(dirs), default_lang, frozenset(str(code).lower() for code in languages),
                   values.get("defaultcontentlanguageinsubdir") is True,
                   {str(k).strip("/").lower(): str(v) for k, v in permalinks.items() if isinstance(v, str)},
                   plural, values.get("uglyurls") is True, values.get("disablepathtolower") is not True,
                   tuple(words(main_sections)) if main_sections else ())


def _settings(values: dict[str, Any]) -> dict[str, str]:
    params = _lowered(values["params"]) if isinstance(values.get("params"), dict) else {}
    found = {"title": first_text(values, "title"), "base_url": first_text(values, "baseurl"),
             "language": first_text(values, "languagecode", "defaultcontentlanguage"),
             "author": person(values.get("author")) or person(params.get("author")),
             "description": first_text(params, "description") or first_text(values, "description")}
    return {key: value for key, value in found.items() if value}


def _base_path(config: _Config) -> str:
    base = str(config.values.get("baseurl") or "")
    return "/" + base.split("://", 1)[1].partition("/")[2].strip("/") if "://" in base else ""


def _find_items(content: Path, lang: str, config: _Config, notes: list[Note]) -> list[_Item]:
    if not content.is_dir():
        notes.append(Note(content, "no content folder"))
        return []
    items: list[_Item] = []
    others = {folder for folder, _ in config.content_dirs if folder != content}  # content/en inside content/
    files = list(walk_files(content, notes, lambda folder: folder.name.startswith(".") or folder in others))
    leaf_bundles = {path.parent for path in files if path.suffix.lower() in CONTENT_SUFFIXES
                    and _language(path.stem, config, lang)[0] == "index"}
    for path in files:
        relative = path.relative_to(content).as_posix()
        is_own_index = path.parent in leaf_bundles and _language(path.stem, config, lang)[0] == "index"
        if not is_own_index and any(parent in leaf_bundles for parent in path.parents):
            continue
        suffix = path.suffix.lower()
        if suffix in OTHER_FORMATS:
            notes.append(Note(path, f"{suffix} content is not Markdown; left out", severity="error"))
            continue
        if suffix not in CONTENT_SUFFIXES:
            continue
        stem, file_lang = _language(path.stem, config, lang)
        is_index, is_list = stem == "index", stem == "_index"
        front = read_front(path, notes)
        if front is None:
            continue
        parts = relative.split("/")[:-1]
        sections = parts[:-1] if is_index else parts
        name = parts[-1] if is_index and parts else stem
        item = _Item(path, relative, front, _lowered(front.values), sections, name, file_lang, is_list,
                     path.parent if is_index or is_list else None)
        if _headless(item):
            notes.append(Note(path, "headless or never rendered: it had no URL; left out"))
            continue
        items.append(item)
    return items


def _language(stem: str, config: _Config, default: str) -> tuple[str, str]:
    base, dot, code = stem.rpartition(".")
    if dot and code.lower() in config.languages:
        return base, code.lower()
    return stem, default


def _link_translations(items: list[_Item]) -> None:
    """Hugo's translations of a page: those with the same `translationKey`, else those at the same path in another
    language ('posts/x.en.md' beside 'posts/x.ar.md', or the same file in each language's content folder). Each gets
    the key as sitegen's `translation_key:`; a path no other language shares is no translation."""
    by_path: dict[str, list[_Item]] = {}
    for item in items:
        key = first_text(item.low, "translationkey")
        if key:
            item.translation_key = key
            continue
        stem = item.relative.rsplit(".", 1)[0]
        base, dot, code = stem.rpartition(".")
        by_path.setdefault(base if dot and code.lower() == item.lang else stem, []).append(item)
    for path, versions in by_path.items():
        if len({item.lang for item in versions}) > 1:
            for item in versions:
                item.translation_key = re.sub(r"/(?:_?index)$", "", path) or path


def _headless(item: _Item) -> bool:
    build = item.low.get("_build") or item.low.get("build")
    render = _lowered(build).get("render") if isinstance(build, dict) else None
    return item.low.get("headless") is True or render in (False, "never", "false")


def _biggest_section(items: list[_Item]) -> tuple[str, ...]:
    counts = Counter(item.sections[0] for item in items if item.sections and not item.is_list)
    return (counts.most_common(1)[0][0],) if counts else ()


def _date(item: _Item) -> datetime | None:
    for key in _DATE_KEYS:
        if key in item.low:
            when = to_datetime(item.low[key])
            if when is not None:
                return when
            item.notes.append(Note(item.path, f"{key} {item.low[key]!r} is not a date", item.front.line(key, 1)))
    return None


def _url(item: _Item, config: _Config) -> str | None:
    """The URL Hugo gave the page, or None when it had none (a draft)."""
    if item.low.get("draft") is True:
        return None
    prefix = f"/{item.lang}" if item.lang != config.default_lang or config.lang_in_subdir else ""
    url = item.low.get("url")
    if isinstance(url, str) and url.strip():
        return urls.finish(prefix + "/" + url.strip().lstrip("/"), False) if not url.startswith("/") or not prefix \
            else urls.finish(url.strip(), False)
    sections = [urls.urlize(part, config.lower) for part in item.sections]
    if item.is_list:
        return urls.finish(prefix + "/" + "/".join(sections), False)
    slug = item.low.get("slug")
    slug_text = str(slug).strip() if isinstance(slug, (str, int)) and str(slug).strip() else ""
    name = urls.urlize(slug_text or item.name, config.lower)
    pattern = config.permalinks.get(item.sections[0].lower() if item.sections else "") if item.sections else (
        config.permalinks.get("") or config.permalinks.get("/"))
    if pattern is None:
        return urls.finish(prefix + "/" + "/".join([*sections, name]), config.ugly)
    title = first_text(item.low, "title") or item.name
    filename = urls.urlize(item.name, config.lower)
    values = {"section": sections[0] if sections else "", "sectionslug": sections[0] if sections else "",
              "sections": "/".join(sections), "sectionslugs": "/".join(sections),
              "title": urls.urlize(title, config.lower), "slug": urls.urlize(slug_text or title, config.lower),
              "slugorfilename": name, "filename": filename, "contentbasename": filename,
              "slugorcontentbasename": name}
    filled, problem = urls.expand(pattern, values, _date(item))
    if filled is None:
        item.notes.append(Note(item.path, f"permalink {pattern!r}: {problem}; its old URL is unknown", None,
                               severity="error"))
        return None
    return urls.finish(prefix + "/" + filled, config.ugly)


def _reference_map(items: list[_Item]) -> dict[str, str]:
    """What `ref` and `relref` may name -> the old URL: the path in the content folder (with or without its
    extension), a bundle's folder, or a file's base name when only one file has it."""
    refs: dict[str, str] = {}
    names: Counter[str] = Counter(Path(item.relative).stem for item in items)
    for item in items:
        if item.url is None:
            continue
        refs.setdefault(item.relative, item.url)
        refs.setdefault(item.relative.rsplit(".", 1)[0], item.url)
        if item.bundle is not None:
            refs.setdefault(item.relative.rsplit("/", 1)[0] if "/" in item.relative else "", item.url)
        stem = Path(item.relative).stem
        if names[stem] == 1:
            refs.setdefault(stem, item.url)
            refs.setdefault(Path(item.relative).name, item.url)
    return refs


def _tags(item: _Item, config: _Config) -> list[str]:
    tags: list[str] = []
    for taxonomy in dict.fromkeys(("tags", "categories", *config.taxonomies)):
        tags += words(item.low.get(taxonomy))
    return list(dict.fromkeys(tags))


def _entry(item: _Item, config: _Config, root: Path, base_path: str,
           resolve: Callable[[str], str | None]) -> tuple[Entry, list[Asset]]:
    low, notes = item.low, list(item.notes)
    front = Front()
    front.known["title"] = first_text(low, "title")
    front.known["date"] = _date(item)
    front.known["updated"] = to_datetime(low.get("lastmod") or low.get("modified"))
    front.known["description"] = first_text(low, "description", "summary")
    front.known["tags"] = _tags(item, config)
    front.known["lang"] = item.lang if config.languages else None
    front.known["translation_key"] = item.translation_key
    front.known["draft"] = True if low.get("draft") is True else None
    front.known["author"] = person(low.get("author")) or person(low.get("authors"))
    image, alt = image_of(low.get("images") or low.get("image") or low.get("cover") or low.get("featured_image"))
    front.known["image"], front.known["image_alt"] = image, alt
    consumed = {key for key in item.front.values if key.lower() in _CONSUMED or key.lower() in config.taxonomies}
    front.rest = keep_rest(item.front.values, consumed)
    if "expirydate" in low:
        notes.append(Note(item.path, f"expiryDate {low['expirydate']!s}: sitegen keeps pages for good; "
                                     "remove the post by hand if it should expire", item.front.line("expiryDate")))
    body, converted = convert_markup(item.front.body, "hugo", item.path, item.front.body_line, resolve)
    notes.extend(converted)
    old: list[str] = [item.url] if item.url else []
    if item.url:
        parent = item.url.rstrip("/").rsplit("/", 1)[0] + "/"
        for alias in words(low.get("aliases")):
            old.append(old_path(alias if alias.startswith("/") or "://" in alias else parent + alias))
    segment = (item.url or "").rstrip("/").rsplit("/", 1)[-1]
    slug = safe_slug(re.sub(r"\.html$", "", segment) or urls.urlize(item.name, config.lower), item.path, notes)
    assets = _bundle_files(item, notes) if item.bundle is not None else []
    refs = file_references(item.front.body, item.front.body_line, base_path)
    static = site_files(refs, (root / "static",), item.path, notes)
    entry = Entry(item.path, "posts" if item.kind == "posts" else "pages", slug, front.ordered(), body,
                  tuple(dict.fromkeys(old)), item.front.body_line, tuple(assets), notes=tuple(notes))
    return entry, static


def _bundle_files(item: _Item, notes: list[Note]) -> list[Asset]:
    """A leaf bundle's files (or a branch bundle's own, beside its `_index`), to be copied beside the post."""
    assert item.bundle is not None
    found: list[Asset] = []
    folders = [item.bundle]
    while folders:
        folder = folders.pop()
        for path in sorted(folder.iterdir()):
            if path.is_symlink() or path == item.path:
                continue
            if path.is_dir():
                if not item.is_list:
                    folders.append(path)
                continue
            if path.suffix.lower() in CONTENT_SUFFIXES:
                if not item.is_list:
                    notes.append(Note(path, "a content file inside a bundle (a resource its templates read); "
                                            "left out"))
                continue
            found.append(Asset(path.relative_to(item.bundle).as_posix(), path, path.name))
    return found
