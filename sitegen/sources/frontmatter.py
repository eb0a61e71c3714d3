"""Front matter in the formats generators write: YAML between `---` lines (Jekyll, Hugo, Eleventy, sitegen), TOML
between `+++` lines (Hugo, Zola), JSON as a leading object (Hugo) or between `---json` and `---` (Eleventy).

A format that is not read (Eleventy's `---js`, Pelican's and MultiMarkdown's `Title:` headers) is an error naming
the file, never body text: a draft marked there would be published.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .yamlio import parse_yaml_mapping

_OPENER = re.compile(r"---([A-Za-z]*)[ \t]*")
_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9_ -]{0,30}):[ \t]+\S")
_HEADER_KEYS = frozenset({"title", "date", "modified", "tags", "category", "slug", "author", "authors", "summary",
                          "status", "lang", "save_as", "url"})
"""Keys that make a block of `Key: value` lines at the top of a file Pelican's (or MultiMarkdown's) metadata."""


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A file's front matter, read, and where its body starts."""

    values: dict[str, Any]
    format: str
    """'yaml', 'toml', 'json', or 'none' when the file has no front matter."""
    body: str
    body_line: int
    """1-based file line on which `body` starts."""
    lines: dict[str, int] = field(default_factory=dict)
    """Key (dotted for nested YAML keys) -> 1-based file line, when known."""

    def line(self, key: str, default: int | None = None) -> int | None:
        return self.lines.get(key, default)


def read_front_matter(text: str, path: Path) -> tuple[FrontMatter | None, list[SourceError]]:
    """The front matter of `text` (the contents of `path`), or None and the errors that say why it cannot be read."""
    first, _, _ = text.partition("\n")
    opener = _OPENER.fullmatch(first.rstrip("\r"))
    if opener:
        kind = opener.group(1).lower() or "yaml"
        if kind not in ("yaml", "json"):
            return None, [SourceError(path, f"front matter in {kind!r} is not read by sitegen", 1, 1,
                                      hint="write it as YAML between '---' lines (sitegen import converts "
                                           "Eleventy's JavaScript front matter it can evaluate)")]
        return _fenced(text, path, "---", kind)
    if first.rstrip() == "+++":
        return _fenced(text, path, "+++", "toml")
    if text.startswith("{"):
        return _leading_json(text, path)
    if _is_header_block(text):
        return None, [SourceError(path, "this file starts with 'Key: value' metadata lines (Pelican's or "
                                        "MultiMarkdown's), which sitegen does not read", 1, 1,
                                  hint="run 'sitegen import' on the blog, or put the keys between '---' lines")]
    return FrontMatter({}, "none", text, 1), []


def _fenced(text: str, path: Path, fence: str, kind: str) -> tuple[FrontMatter | None, list[SourceError]]:
    lines = text.split("\n")
    closers = (fence, "...") if fence == "---" and kind == "yaml" else (fence,)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in closers), None)
    if end is None:
        return None, [SourceError(path, "front matter is not closed", 1, 1,
                                  hint=f"add a line '{fence}' after the last key of the front matter")]
    raw = "\n".join(lines[1:end])
    body, body_line = "\n".join(lines[end + 1:]), end + 2
    if kind == "yaml":
        doc, errors = parse_yaml_mapping(raw, path, first_line=2)
        if doc is None:
            return None, errors
        return FrontMatter(doc.values, "yaml", body, body_line, doc.lines), errors
    if kind == "toml":
        try:
            values = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            return None, [_toml_error(path, exc)]
        return FrontMatter(values, "toml", body, body_line, _key_lines(raw, 2, _TOML_KEY)), []
    return _json(raw, path, 2, body, body_line)


def _leading_json(text: str, path: Path) -> tuple[FrontMatter | None, list[SourceError]]:
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        return None, [SourceError(path, f"JSON front matter cannot be read: {exc.msg}", exc.lineno, exc.colno)]
    rest = text[end:]
    newline = rest.find("\n")
    if rest[: newline if newline >= 0 else len(rest)].strip():
        return None, [SourceError(path, "text follows the JSON front matter on its last line",
                                  text.count("\n", 0, end) + 1, hint="end the line after the closing '}'")]
    body = rest[newline + 1:] if newline >= 0 else ""
    return _json(text[:end], path, 1, body, text.count("\n", 0, end) + 2)


def _json(raw: str, path: Path, first_line: int, body: str,
          body_line: int) -> tuple[FrontMatter | None, list[SourceError]]:
    try:
        values = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, [SourceError(path, f"JSON front matter cannot be read: {exc.msg}", exc.lineno + first_line - 1,
                                  exc.colno)]
    except RecursionError:
        return None, [SourceError(path, "JSON front matter nests too deeply", first_line)]
    if not isinstance(values, dict):
        return None, [SourceError(path, "JSON front matter must be an object of keys", first_line)]
    return FrontMatter(values, "json", body, body_line, _key_lines(raw, first_line, _JSON_KEY)), []


_TOML_KEY = re.compile(r"^[ \t]*(?:\[+[ \t]*)?[\"']?([A-Za-z0-9_-]+)", re.MULTILINE)
_JSON_KEY = re.compile(r"\"((?:[^\"\\]|\\.)*)\"[ \t]*:")


def _key_lines(raw: str, first_line: int, pattern: re.Pattern[str]) -> dict[str, int]:
    """The line of the first place each key is written (top-level keys come first in practice)."""
    lines: dict[str, int] = {}
    for match in pattern.finditer(raw):
        lines.setdefault(match.group(1), raw.count("\n", 0, match.start()) + first_line)
    return lines


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError) -> SourceError:
    message = str(exc)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line, column = (int(found.group(1)) + 1, int(found.group(2))) if found else (None, None)
    message = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", message)
    return SourceError(path, f"TOML front matter cannot be read: {message}", line, column)


def _is_header_block(text: str) -> bool:
    """Whether `text` opens with two or more `Key: value` lines, one of them a key Pelican reads, then a blank."""
    keys = []
    for line in text.split("\n"):
        if not line.strip():
            break
        match = _HEADER.match(line)
        if match is None:
            return False
        keys.append(match.group(1).strip().lower())
    return len(keys) >= 2 and any(key in _HEADER_KEYS for key in keys)
