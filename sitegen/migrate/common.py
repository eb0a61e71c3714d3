"""What the Jekyll and Hugo readers share: reading an old blog's file safely, dates, front matter mapped to sitegen's
keys, site-wide files a post refers to, and references between posts for the markup converter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import SourceError
from ..sources.decode import read_source_text
from ..sources.document import slug_problem
from ..sources.frontmatter import FrontMatter, read_front_matter
from ..text import slugify
from .model import Asset, Note

MAX_FILE_BYTES = 8 * 1024 * 1024
"""A post or a configuration file larger than this is left out with a note (no blog writes one)."""
MAX_FILES = 200_000
"""How many files a walk of the old blog looks at before it stops with a note."""
ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff", ".pdf", ".zip",
    ".gz", ".mp3", ".mp4", ".m4a", ".ogg", ".oga", ".wav", ".webm", ".mov", ".epub", ".txt", ".csv", ".json",
    ".key", ".ppt", ".pptx", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ipynb", ".py", ".tex", ".bib"})
"""File kinds a body links to that are copied as they are; a link to a page ('/about/', '/x.html') is not one."""
SITEGEN_ORDER = ("title", "date", "updated", "description", "tags", "lang", "translation_key", "draft", "author",
                 "image", "image_alt")


def note_of(error: SourceError) -> Note:
    """A reading problem as a note for the author."""
    text = error.message + (f" ({error.hint})" if error.hint else "")
    return Note(error.path, text, error.line, error.column, "error" if error.severity == "error" else "warning")


def read_text(path: Path, notes: list[Note]) -> str | None:
    """The text of an old blog's file, or None (with a note) when it is too large or cannot be read as UTF-8."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            notes.append(Note(path, f"left out: larger than {MAX_FILE_BYTES // 1024 // 1024} MB", None,
                              severity="error"))
            return None
        raw = path.read_bytes()
    except OSError as exc:
        notes.append(Note(path, f"left out: cannot be read ({exc.strerror or exc})", severity="error"))
        return None
    text, errors = read_source_text(raw, path)
    notes.extend(note_of(error) for error in errors)
    return text


def read_front(path: Path, notes: list[Note]) -> FrontMatter | None:
    """A content file's front matter and body, or None (with notes) when it cannot be read."""
    text = read_text(path, notes)
    if text is None:
        return None
    front, errors = read_front_matter(text, path)
    notes.extend(note_of(error) for error in errors)
    if front is None:
        notes.append(Note(path, "left out: its front matter cannot be read", 1, severity="error"))
    return front


def walk_files(root: Path, notes: list[Note], skip_dir: Any = None) -> Iterator[Path]:
    """Files under `root` in a stable order, never following a link out of it; `skip_dir(path)` prunes folders."""
    count = 0
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            children = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError:
            continue
        subfolders = []
        for child in children:
            if child.is_symlink():
                continue
            if child.is_dir():
                if skip_dir is None or not skip_dir(child):
                    subfolders.append(child)
                continue
            count += 1
            if count > MAX_FILES:
                notes.append(Note(root, f"stopped reading after {MAX_FILES} files", severity="error"))
                return
            yield child
        stack.extend(reversed(subfolders))


_LOOSE_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                         r"\s*(Z|[+-]\d{2}:?\d{2})?\s*")


def to_datetime(value: object) -> datetime | None:
    """A front-matter date as the old generators accept it ('2019-05-02', '2019-05-02 10:30:00 +0200', a YAML or
    TOML date), or None."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    match = _LOOSE_DATE.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    if zone:
        if zone == "Z":
            return when.replace(tzinfo=UTC)
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if offset >= timedelta(hours=24):
            return None
        return when.replace(tzinfo=timezone(-offset if zone[0] == "-" else offset))
    return when


def words(value: object) -> list[str]:
    """A list of names from a string or a list (None and empty items dropped)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [str(item).strip() for item in value
                if item is not None and not isinstance(item, (list, dict)) and str(item).strip()]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    return []


def first_text(values: dict[str, Any], *keys: str) -> str | None:
    """The first of `keys` whose value is a non-empty string (or number)."""
    for key in keys:
        value = values.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def person(value: object) -> str | None:
    """An author as a name: a string, a mapping's 'name', or the first of a list."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    return None


def image_of(value: object) -> tuple[str | None, str | None]:
    """An image and its alternative text from a string or a mapping ({path|src|url|image|feature, alt})."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str):
        return (value.strip() or None), None
    if isinstance(value, dict):
        found = first_text(value, "path", "src", "url", "image", "feature", "teaser", "og_image")
        alt = first_text(value, "alt", "caption", "image_alt")
        return found, alt
    return None, None


@dataclass(slots=True)
class Front:
    """sitegen front matter being put together for one entry."""

    known: dict[str, object] = field(default_factory=dict)
    rest: dict[str, object] = field(default_factory=dict)

    def ordered(self) -> dict[str, object]:
        """The keys sitegen reads, in its order, then the old blog's other keys as they were."""
        out = {key: self.known[key] for key in SITEGEN_ORDER if self.known.get(key) not in (None, [], "")}
        for key, value in self.rest.items():
            out.setdefault(key, value)
        return out


def keep_rest(values: dict[str, Any], consumed: Iterable[str]) -> dict[str, object]:
    """The old blog's keys that no sitegen key took, verbatim."""
    taken = set(consumed)
    return {key: value for key, value in values.items() if key not in taken}


def safe_slug(slug: str, path: Path, notes: list[Note]) -> str:
    """`slug` when sitegen can use it as a folder name; else sitegen's own slug of it, with a note."""
    if slug and slug_problem(slug) is None:
        return slug
    better = slugify(slug)[:80].strip("-") or "untitled"
    notes.append(Note(path, f"slug {slug!r} cannot name a folder; using {better!r} (the old URL is kept as an alias)"))
    return better


_REFERENCE = re.compile(
    r"""(?:\]\(\s*<?|\b(?:src|href|poster|data-src)\s*=\s*["']?|^\[[^\]\n]+\]:\s*<?|\bsrc\s*=\s*)"""
    r"""(?P<url>(?:\{\{-?\s*(?:site\.baseurl|site\.url|\.Site\.BaseURL|site\.BaseURL)\s*-?\}\})*/[^\s"'<>)]+)""",
    re.MULTILINE)
_FILTERED = re.compile(r"""\{\{-?\s*["'](?P<url>/[^"'\s]+)["']\s*\|\s*(?:relative_url|absolute_url|"""
                       r"""prepend:\s*site\.baseurl)[^}]*\}\}""")
_LIQUID_PREFIX = re.compile(r"^(?:\{\{-?\s*[^}]*\}\})+")


@dataclass(frozen=True, slots=True)
class Reference:
    """A root-relative link to a file, as written, and where it is in the file."""

    written: str
    path: str
    """The site path it names, without the base URL's path, query or fragment: '/assets/a.png'."""
    line: int


def file_references(text: str, first_line: int, base_path: str) -> list[Reference]:
    """Root-relative links in `text` (which starts at file line `first_line`) to files of the kinds in
    ASSET_SUFFIXES, with Liquid `{{ site.baseurl }}` prefixes and `| relative_url` filters understood."""
    found: list[Reference] = []
    for pattern in (_REFERENCE, _FILTERED):
        for match in pattern.finditer(text):
            written = match.group("url")
            site_path = _LIQUID_PREFIX.sub("", written).split("#", 1)[0].split("?", 1)[0]
            if base_path and (site_path + "/").startswith(base_path.rstrip("/") + "/") and base_path != "/":
                site_path = site_path[len(base_path.rstrip("/")):]
            if not site_path.startswith("/") or site_path.startswith("//"):
                continue
            if Path(site_path).suffix.lower() not in ASSET_SUFFIXES:
                continue
            found.append(Reference(written, site_path, first_line + text.count("\n", 0, match.start())))
    return found


def site_files(refs: Iterable[Reference], roots: tuple[Path, ...], path: Path,
               notes: list[Note]) -> list[Asset]:
    """Each reference found as a file under one of `roots` (tried in order), as a site-wide file kept at its path;
    a note for each one that is missing."""
    assets: list[Asset] = []
    for ref in refs:
        relative = unquote(ref.path).lstrip("/")
        if ".." in relative.split("/"):
            continue
        source = next((root / relative for root in roots if (root / relative).is_file()), None)
        if source is None:
            notes.append(Note(path, f"links to {ref.written!r}, which is not a file of the blog", ref.line))
            continue
        assets.append(Asset(relative, source, ref.written))
    return assets


def join_url(*parts: str) -> str:
    """Site path parts joined with one slash between them, starting with '/'."""
    joined = "/" + "/".join(part.strip("/") for part in parts if part.strip("/"))
    if parts and parts[-1].endswith("/") and joined != "/":
        joined += "/"
    return joined


def old_path(url: str) -> str:
    """An alias as a site path: a leading slash, no scheme or host, no '..' segments."""
    url = url.strip()
    if "://" in url:
        url = "/" + url.split("://", 1)[1].partition("/")[2]
    if not url.startswith("/"):
        url = "/" + url
    segments = [part for part in url.split("/") if part not in (".", "..")]
    cleaned = "/".join(segments)
    return re.sub(r"/{2,}", "/", cleaned) or "/"
