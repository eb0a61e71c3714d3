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
from ..text import clean_inline, describe_char, find_unwanted
from .yamlio import MAX_DEPTH, parse_yaml_mapping

_OPENER = re.compile(r"---([A-Za-z]*)[ \t]*")
_JSON_START = re.compile(r"\{\s*[\"}]")
"""A leading `{` begins JSON front matter only when a key (or nothing) follows: `{{< x >}}` and `{%` are body."""
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
                                      hint="write its values as YAML between '---' lines (sitegen does not run "
                                           "JavaScript)")]
        return _fenced(text, path, "---", kind)
    if first.rstrip() == "+++":
        return _fenced(text, path, "+++", "toml")
    if _JSON_START.match(text):
        return _leading_json(text, path)
    if _is_header_block(text):
        return None, [SourceError(path, "this file starts with 'Key: value' metadata lines (Pelican's or "
                                        "MultiMarkdown's), which sitegen does not read", 1, 1,
                                  hint="put these lines between two '---' lines, as YAML front matter")]
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
            return None, [_toml_error(path, exc, raw)]
        except RecursionError:
            return None, [SourceError(path, "TOML front matter nests too deeply", 2)]
        return _checked(values, "toml", path, body, body_line, _toml_key_lines(raw, 2))
    return _json(raw, path, 2, body, body_line)


def _leading_json(text: str, path: Path) -> tuple[FrontMatter | None, list[SourceError]]:
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        return None, [SourceError(path, f"JSON front matter cannot be read: {exc.msg}", exc.lineno, exc.colno)]
    except RecursionError:
        return None, [SourceError(path, "JSON front matter nests too deeply", 1, 1)]
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
        return None, [SourceError(path, "JSON front matter must be an object of keys", first_line, 1,
                                  hint='write {"key": "value", ...}')]
    return _checked(values, "json", path, body, body_line, _json_key_lines(raw, first_line))


def _checked(values: dict[str, Any], kind: str, path: Path, body: str, body_line: int,
             lines: dict[str, int]) -> tuple[FrontMatter | None, list[SourceError]]:
    """TOML or JSON values held to what YAML front matter is held to: nesting at most MAX_DEPTH deep, strings
    cleaned of control characters and bidi overrides (each key's first change a warning)."""
    if _depth(values) > MAX_DEPTH:
        return None, [SourceError(path, f"values nested more than {MAX_DEPTH} levels deep", body_line - 1)]
    changed: dict[str, str] = {}
    clean = {clean_inline(key): _clean(value, key, changed) for key, value in values.items()}
    errors = [SourceError(path, f"'{key}' contains {describe_char(char)}; removed or made an isolate",
                          lines.get(key), 1, hint="invisible characters can make text read differently from what it is",
                          severity="warning") for key, char in changed.items()]
    return FrontMatter(clean, kind, body, body_line, lines), errors


def _depth(value: Any) -> int:
    """How deep lists and mappings nest in `value`, counted without recursion (JSON may nest ~1000 deep)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                pending.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _clean(value: Any, key: str, changed: dict[str, str]) -> Any:
    if isinstance(value, str):
        if found := find_unwanted(value):
            changed.setdefault(key, found.group())
        elif any("\ud800" <= char <= "\udfff" for char in value):  # JSON's "\ud800"
            changed.setdefault(key, next(c for c in value if "\ud800" <= c <= "\udfff"))
        return clean_inline(value)
    if isinstance(value, list):
        return [_clean(item, key, changed) for item in value]
    if isinstance(value, dict):
        return {clean_inline(k): _clean(v, key, changed) for k, v in value.items()}
    return value


_TOML_LINE = re.compile(r"[ \t]*(\[\[?)?[ \t]*(\"[^\"\n]*\"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*([=.\]])")


def _toml_key_lines(raw: str, first_line: int) -> dict[str, int]:
    """The file line of each key: top-level keys by name, keys of a `[table]` as 'table.key'. Lines inside a
    multi-line string are skipped."""
    lines: dict[str, int] = {}
    table = ""
    in_string = None
    for number, line in enumerate(raw.split("\n"), first_line):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        match = _TOML_LINE.match(line)
        if match is None:
            continue
        key = match.group(2).strip("\"'")
        if match.group(1) is None and match.group(3) == "]":  # the end of a list: '  "a"]'
            continue
        if match.group(1):
            table = key
            lines.setdefault(key, number)
            continue
        lines.setdefault(f"{table}.{key}" if table else key, number)
        value = line.partition("=")[2].lstrip()  # a multi-line string opens only where the value starts
        for quotes in ('"""', "'''"):
            if value.startswith(quotes) and value.count(quotes) % 2:
                in_string = quotes
    return lines


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"[ \t\r\n]*:?|[{}\[\]]')


def _json_key_lines(raw: str, first_line: int) -> dict[str, int]:
    """The file line of each top-level key of a JSON object, and of keys one object down as 'outer.key'."""
    lines: dict[str, int] = {}
    parents: list[str] = []
    """The key each open object or list is the value of ('' for the outermost)."""
    key = ""
    for token in _JSON_TOKEN.finditer(raw):
        text = token.group()
        if text in ("{", "["):
            parents.append(key)
        elif text in ("}", "]"):
            del parents[-1:]
        elif text.endswith(":"):
            try:
                key = str(json.loads(text[:-1]))
            except ValueError:
                continue
            if 1 <= len(parents) <= 2:
                name = key if len(parents) == 1 else f"{parents[1]}.{key}"
                lines.setdefault(name, raw.count("\n", 0, token.start()) + first_line)
    return lines


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError, raw: str) -> SourceError:
    """The error tomllib reports, at its file line and column: Python 3.11 to 3.13 write the place into the message
    ("(at line 2, column 5)", or "(at end of document)"); 3.14 also gives it as attributes."""
    message = str(exc)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line: int | None
    column: int | None
    if isinstance(getattr(exc, "lineno", None), int):  # Python 3.14
        line, column = getattr(exc, "lineno"), getattr(exc, "colno")  # noqa: B009 - absent before 3.14
    elif found:
        line, column = int(found.group(1)), int(found.group(2))
    else:  # at the end: the last line written
        line, column = raw.count("\n") + 1, None
    message = getattr(exc, "msg", None) or re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "",
                                                  message)
    return SourceError(path, f"TOML front matter cannot be read: {message}", line + 1, column)


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
