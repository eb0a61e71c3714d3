"""An Eleventy blog read as an OldBlog: its configuration and data files read as text (never run), its Markdown
posts and pages with their front matter and directory data, and the URL Eleventy gave each."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

from ..sources.frontmatter import read_front_matter
from . import eleventy_js as js
from .markup import Flavor, convert_markup
from .model import Asset, Entry, Note, OldBlog
from .paths import inside, read_text, relative_posix, site_path, walk_files

CONFIG_NAMES = (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs")
_SKIP = frozenset({"_includes", "_data", "node_modules", "_site", "_layouts"})
_CONTENT = frozenset({".md", ".njk", ".liquid", ".html", ".11ty.js", ".hbs", ".webc", ".pug", ".ejs", ".json"})
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_COLLECTIONS = frozenset({"post", "posts", "all"})
_EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_LINK = re.compile(r"""(?P<pre>\]\(\s*<?|(?:href|src)\s*=\s*["'])(?P<url>[^)\s"'<>#?]+)""")


@dataclass(frozen=True, slots=True)
class _Config:
    input: Path
    path_prefix: str
    engine: Flavor | None


def read_eleventy(root: Path) -> OldBlog:
    """The Eleventy blog at `root` (the folder of its configuration file and package.json)."""
    notes: list[Note] = []
    config, static = _config(root, notes)
    metadata = _metadata(root, config.input, notes)
    records: list[tuple[Entry, str]] = []
    for path in walk_files(config.input, _SKIP):
        relative = relative_posix(path, config.input)
        if path.suffix.lower() == ".md" and not (config.input == root and relative.startswith("README")):
            records.append((_read(path, relative, config), relative))
        elif path.suffix.lower() in (".njk", ".liquid", ".html", ".11ty.js", ".hbs", ".webc", ".pug", ".ejs"):
            notes.append(Note(path, "a template, not Markdown: not imported (sitegen's theme makes lists, feeds "
                                    "and the home page)"))
    urls = {relative: entry.old_urls[0] for entry, relative in records if entry.old_urls}
    entries = tuple(_finish(entry, relative, config, urls) for entry, relative in records)
    settings = {key: str(metadata[name]) for key, name in (("title", "title"), ("base_url", "url"),
                                                            ("language", "language"), ("description", "description"))
                if isinstance(metadata.get(name), str)}
    author = metadata.get("author")
    if isinstance(author, dict) and isinstance(author.get("name"), str):
        settings["author"] = author["name"]
    elif isinstance(author, str):
        settings["author"] = author
    return OldBlog("eleventy", root, entries, tuple(static), tuple(notes), settings)


def _config(root: Path, notes: list[Note]) -> tuple[_Config, list[Asset]]:
    path = next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)
    values: dict[str, Any] = {"passthrough": []}
    if path is None:
        notes.append(Note(root, "no Eleventy configuration file: Eleventy's defaults are used"))
    elif (text := read_text(path, notes)) is not None:
        values, problems = js.config_values(text)
        notes.extend(Note(path, problem + "; those files are not copied") for problem in problems)
    source = inside(root, str(values.get("input", ".")))
    if source is None or not source.is_dir():
        notes.append(Note(path or root, f"input folder {values.get('input')!r} is not in the blog; '.' is read"))
        source = root
    prefix = "/" + str(values.get("pathPrefix", "/")).strip("/")
    engine = values.get("markdownTemplateEngine", "liquid")
    flavor: Flavor | None = "nunjucks" if engine == "njk" else "liquid" if engine == "liquid" else None
    if engine not in ("njk", "liquid", False, None):
        notes.append(Note(path or root, f"markdownTemplateEngine {engine!r}: Markdown bodies are not converted"))
    static: dict[str, Asset] = {}
    for copy in values["passthrough"]:
        pairs = copy.items() if isinstance(copy, dict) else [(copy, None)] if isinstance(copy, str) else []
        for origin, target in pairs:
            _passthrough(root, source, str(origin), target if isinstance(target, str) else None, static, notes)
    return _Config(source, prefix.rstrip("/") or "", flavor), list(static.values())


def _passthrough(root: Path, source: Path, origin: str, target: str | None, static: dict[str, Asset],
                 notes: list[Note]) -> None:
    """The files one addPassthroughCopy call copies, with their place in the output folder."""
    if any(char in origin for char in "*?{["):
        base = root
        matches = [path for path in sorted(root.glob(origin.lstrip("./")))[:10_000] if path.is_file()]
    else:
        start = inside(root, origin)
        if start is None or not start.exists():
            notes.append(Note(root, f"passthrough copy {origin!r} names nothing in the blog"))
            return
        base = start if start.is_dir() else start.parent
        matches = [start] if start.is_file() else list(walk_files(start))
        if target is None:
            base = source if start.is_relative_to(source) else root
    for path in matches:
        relative = relative_posix(path, base if path.is_relative_to(base) else root)
        where = posixpath.normpath(posixpath.join(target.strip("/") or ".", relative)) if target is not None \
            else relative
        static.setdefault(where, Asset(where.lstrip("/"), path, "/" + where.lstrip("/")))


def _metadata(root: Path, source: Path, notes: list[Note]) -> dict[str, Any]:
    for folder in (source / "_data", root / "_data"):
        for name in ("metadata.json", "metadata.js", "metadata.mjs", "metadata.cjs"):
            path = folder / name
            if path.is_file() and (text := read_text(path, notes)) is not None:
                value = _data_file(path, text, notes)
                return value if isinstance(value, dict) else {}
    return {}


def _data_file(path: Path, text: str, notes: list[Note]) -> Any:
    try:
        return json.loads(text) if path.suffix == ".json" else js.parse_module(text)
    except (ValueError, RecursionError) as exc:
        notes.append(Note(path, f"data file not read (only literal data is): {exc}"))
        return None


def _directory_data(path: Path, source: Path, notes: list[Note]) -> dict[str, Any]:
    """The directory data files of `path`'s folders, outermost first, merged as Eleventy merges them (arrays
    concatenated); tags from here are taken as collections."""
    merged: dict[str, Any] = {}
    folder = path.parent
    chain = [folder, *folder.parents]
    candidates: list[Path] = []
    for parent in reversed(chain[:len(chain) - len(source.parents)]):
        candidates += [parent / f"{parent.name}.11tydata.json", parent / f"{parent.name}.11tydata.js",
                       parent / f"{parent.name}.json"]
    candidates += [path.with_name(path.stem + ".11tydata.json"), path.with_name(path.stem + ".11tydata.js")]
    for candidate in candidates:
        if candidate.is_file() and (text := read_text(candidate, notes)) is not None:
            data = _data_file(candidate, text, notes)
            if isinstance(data, dict):
                for key, value in data.items():
                    tags = merged.get(key)
                    merged[key] = _as_list(tags) + _as_list(value) if key == "tags" and tags else value
    return merged


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, list) else []


def _read(path: Path, relative: str, config: _Config) -> Entry:
    notes: list[Note] = []
    text = read_text(path, notes) or ""
    values: dict[str, Any] = {}
    body, body_line = text, 1
    if text.startswith("---js") or text.startswith("---javascript"):
        end = text.find("\n---", 5)
        try:
            if end < 0:
                raise js.NotLiteral("front matter is not closed")
            values = js.parse_declarations(text[text.index("\n"):end])
            body, body_line = text[end + 4:].lstrip("\r").removeprefix("\n"), text.count("\n", 0, end) + 2
        except js.NotLiteral as exc:
            notes.append(Note(path, f"JavaScript front matter that is not plain declarations: {exc}; the file is "
                                    "imported as a draft with its body as written", 1, severity="error"))
            values = {"draft": True}
    else:
        read, errors = read_front_matter(text, path)
        notes.extend(Note(path, error.message, error.line, severity="error") for error in errors)
        if read is not None:
            values, body, body_line = dict(read.values), read.body, read.body_line
    data = _directory_data(path, config.input, notes)
    collections = _as_list(data.get("tags"))
    own_tags = _as_list(values.get("tags"))
    merged = {**{k: v for k, v in data.items() if k != "tags"}, **values}
    tags = [tag for tag in own_tags if tag not in collections and tag.lower() not in _COLLECTIONS]
    is_post = any(tag.lower() in ("post", "posts") for tag in collections + own_tags)
    stem = PurePosixPath(relative).stem
    dated = _DATED.match(stem)
    file_slug = dated.group(2) if dated else stem
    if stem == "index" or stem == PurePosixPath(relative).parent.name:
        file_slug = PurePosixPath(relative).parent.name or ""
    when = _date(merged.get("date"), dated.group(1) if dated else None, path, notes)
    old_urls, slug = _permalink(merged, relative, file_slug, when, config, path, notes)
    draft = bool(merged.get("draft")) or merged.get("permalink") is False
    if merged.get("eleventyExcludeFromCollections"):
        notes.append(Note(path, "eleventyExcludeFromCollections: listed nowhere in Eleventy; imported as a page"))
        is_post = False
    if merged.get("draft"):
        notes.append(Note(path, "a draft: imported as a draft"))
    front: dict[str, object] = {}
    if merged.get("title"):
        front["title"] = str(merged["title"])  # else sitegen takes the first '#' heading, as Eleventy pages do
    if when is not None:
        front["date"] = when
    if merged.get("description"):
        front["description"] = str(merged["description"])
    if tags:
        front["tags"] = tags
    if isinstance(merged.get("lang"), str):
        front["lang"] = merged["lang"]
    if draft:
        front["draft"] = True
    if merged.get("author"):
        author = merged["author"]
        front["author"] = author.get("name", "") if isinstance(author, dict) else str(author)
    front["slug"] = slug
    for key, value in values.items():
        if key not in front and key not in ("tags", "date", "draft", "permalink", "eleventyComputed"):
            front[key] = value
    if "eleventyComputed" in merged:
        notes.append(Note(path, "eleventyComputed data is computed by JavaScript and was not brought in"))
    assets = _bundle(path, config.input)
    return Entry(path, "posts" if is_post else "pages", slug, front, body, old_urls, body_line, assets,
                 notes=tuple(notes))


def _bundle(path: Path, source: Path) -> tuple[Asset, ...]:
    """The files beside a post that has a folder of its own ('x/x.md' or 'x/index.md')."""
    if _bundle_post(path, source) is None:
        return ()
    return tuple(Asset(relative_posix(other, path.parent), other, relative_posix(other, path.parent))
                 for other in walk_files(path.parent, _SKIP)
                 if other.suffix.lower() not in _CONTENT and not other.name.endswith(".11tydata.js")
                 and other.name != f"{path.parent.name}.json")


def _bundle_post(path: Path, source: Path) -> Path | None:
    if path.suffix.lower() == ".md" and path.parent != source and path.stem in ("index", path.parent.name):
        return path
    return None


def _date(value: object, from_name: str | None, path: Path, notes: list[Note]) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if text.lower().removeprefix("git ") in ("created", "last modified"):
            notes.append(Note(path, f"date {text!r} came from the file's history; its modification time is "
                                    "used"))
            return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            notes.append(Note(path, f"date {text!r} is not a date; left out"))
    if from_name:
        return datetime.fromisoformat(from_name)
    return None


def _permalink(data: dict[str, Any], relative: str, file_slug: str, when: datetime | None, config: _Config,
               path: Path, notes: list[Note]) -> tuple[tuple[str, ...], str]:
    """The old URL and the slug to keep; no URL when Eleventy wrote no page."""
    permalink = data.get("permalink")
    stem = PurePosixPath(relative).with_suffix("")
    if permalink is False:
        notes.append(Note(path, "permalink: false, so Eleventy wrote no page; imported as a draft"))
        return (), file_slug or stem.name
    if isinstance(permalink, str) and permalink.strip():
        url = _render(permalink, data, relative, file_slug, when, path, notes)
        if url is None:
            return (), file_slug or stem.name
        if url.endswith("/index.html"):
            url = url[:-len("index.html")]
    else:
        folder = stem.parent if stem.name in ("index", stem.parent.name) else stem
        url = "/" + folder.as_posix().strip(".").strip("/") + "/"
    url = site_path(config.path_prefix + site_path(url))
    last = [part for part in url.split("/") if part]
    slug = re.sub(r"\.html?$", "", last[-1]) if last else file_slug or "index"
    return (url,), slug


def _render(template: str, data: dict[str, Any], relative: str, file_slug: str, when: datetime | None,
            path: Path, notes: list[Note]) -> str | None:
    """The common Liquid/Nunjucks expressions of a permalink; None (and a note) for any other."""
    stem = PurePosixPath(relative).with_suffix("").as_posix()
    page = {"page.fileSlug": file_slug, "page.filePathStem": "/" + stem, "page.date": when}
    failed = False

    def value(match: re.Match[str]) -> str:
        nonlocal failed
        name, *filters = [part.strip() for part in match.group(1).split("|")]
        current: object = page[name] if name in page else data.get(name)
        for item in filters:
            if item in ("slugify", "slug") and isinstance(current, str):
                current = slugify(current)
            elif (found := re.fullmatch(r"date\s*[:(]\s*['\"]([^'\"]*)['\"]\)?", item)) and isinstance(
                    current, datetime):
                current = current.strftime(found.group(1))
            else:
                current = None
        if not isinstance(current, (str, int)):
            failed = True
            return ""
        return str(current)

    url = _EXPRESSION.sub(value, template.strip())
    if failed or "{%" in url:
        notes.append(Note(path, f"permalink {template!r} uses template code the importer cannot evaluate; its "
                                "old URL is unknown", severity="error"))
        return None
    return url


def slugify(text: str) -> str:
    """Eleventy's `slugify` filter (@sindresorhus/slugify): transliterated, camelCase split, '&' as 'and',
    anything else than letters and digits as one '-'."""
    try:
        from unidecode import unidecode
        text = str(unidecode(text.replace("&", " and ")))
    except ImportError:  # an optional dependency (GPL): sitegen[pelican]
        text = text.replace("&", " and ")
    text = re.sub(r"([a-z\d])([A-Z])", r"\1 \2", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _finish(entry: Entry, relative: str, config: _Config, urls: dict[str, str]) -> Entry:
    """Links to other input files made old URLs, and Liquid or Nunjucks tags converted."""
    folder = PurePosixPath(relative).parent

    def resolve(reference: str) -> str | None:
        target = reference.split("#")[0]
        for base in (PurePosixPath("/") if target.startswith("/") else folder, PurePosixPath(".")):
            candidate = posixpath.normpath((base / target.lstrip("/")).as_posix()).lstrip("/")
            if candidate in urls:
                return urls[candidate]
        return None

    def link(match: re.Match[str]) -> str:
        url = match.group("url")
        if not url.endswith(".md") or "://" in url:
            return match.group(0)
        return match.group("pre") + (resolve(url) or url)

    body = _LINK.sub(link, entry.body)
    notes = list(entry.notes)
    override = entry.front.get("templateEngineOverride")
    flavor = config.engine
    if isinstance(override, str):
        first = override.split(",")[0].strip()
        flavor = "nunjucks" if first == "njk" else "liquid" if first == "liquid" else None
    if flavor is not None:
        body, more = convert_markup(body, flavor, entry.source, entry.body_line, resolve)
        notes += more
    return replace(entry, body=body, notes=tuple(notes))
