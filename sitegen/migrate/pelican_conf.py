"""Pelican's settings read from `pelicanconf.py` without running it, and the slugs and URLs Pelican made from them.

Only literal assignments at the top of the file are taken (strings, numbers, lists, dicts, string concatenation,
a name set earlier); a setting computed by code keeps Pelican's default and gets a note.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .model import Note

DEFAULTS: dict[str, Any] = {
    "ARTICLE_PATHS": [""],
    "ARTICLE_EXCLUDES": [],
    "PAGE_PATHS": ["pages"],
    "PAGE_EXCLUDES": [],
    "STATIC_PATHS": ["images"],
    "STATIC_EXCLUDES": [],
    "EXTRA_PATH_METADATA": {},
    "ARTICLE_URL": "{slug}.html",
    "ARTICLE_SAVE_AS": "{slug}.html",
    "ARTICLE_LANG_URL": "{slug}-{lang}.html",
    "ARTICLE_LANG_SAVE_AS": "{slug}-{lang}.html",
    "PAGE_URL": "pages/{slug}.html",
    "PAGE_SAVE_AS": "pages/{slug}.html",
    "PAGE_LANG_URL": "pages/{slug}-{lang}.html",
    "PAGE_LANG_SAVE_AS": "pages/{slug}-{lang}.html",
    "DEFAULT_LANG": "en",
    "TIMEZONE": "",
    "SITENAME": "A Pelican Blog",
    "SITEURL": "",
    "USE_FOLDER_AS_CATEGORY": True,
    "DEFAULT_CATEGORY": "misc",
    "DEFAULT_DATE": None,
    "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*",
    "PATH_METADATA": "",
    "SLUGIFY_SOURCE": "title",
    "SLUGIFY_USE_UNICODE": False,
    "SLUGIFY_PRESERVE_CASE": False,
    "SLUG_REGEX_SUBSTITUTIONS": [
        (r"[^\w\s-]", ""),
        (r"(?u)\A\s*", ""),
        (r"(?u)\s*\Z", ""),
        (r"[-\s]+", "-"),
    ],
    "FORMATTED_FIELDS": ["summary"],
    "DEFAULT_METADATA": {},
}
"""Pelican's defaults for the settings the importer reads (pelican/settings.py, DEFAULT_CONFIG)."""

_TYPES: dict[str, tuple[type, ...]] = {
    key: ((list, tuple) if isinstance(value, list) else (dict,) if isinstance(value, dict)
          else (bool,) if isinstance(value, bool) else (str,))
    for key, value in DEFAULTS.items() if value is not None
}
_TYPES["DEFAULT_DATE"] = (str, tuple, list)
_TYPES["PATH"] = (str,)
_FORMAT_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)")


def read_settings(text: str, path: Path, notes: list[Note]) -> dict[str, Any]:
    """The literal settings of a Pelican configuration file (uppercase names only), without running it."""
    try:
        tree = ast.parse(text, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        line = getattr(exc, "lineno", None)
        notes.append(Note(path, f"not valid Python, so no setting was read: {exc}", line, severity="error"))
        return {}
    values: dict[str, Any] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            _assign(statement.targets[0], statement.value, statement.lineno, values, path, notes)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            _assign(statement.target, statement.value, statement.lineno, values, path, notes)
        elif isinstance(statement, (ast.If, ast.Try, ast.For, ast.With, ast.AugAssign)):
            for node in ast.walk(statement):
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
                for target in targets:
                    if isinstance(target, ast.Name) and target.id.isupper():
                        values.pop(target.id, None)
                        notes.append(Note(path, f"{target.id} is set by code that the importer does not run; "
                                                "Pelican's default is used", getattr(node, "lineno", None)))
    return values


def _assign(target: ast.expr, value: ast.expr, line: int, values: dict[str, Any], path: Path,
            notes: list[Note]) -> None:
    if not isinstance(target, ast.Name) or not target.id.isupper():
        return
    try:
        result = _literal(value, values)
    except (ValueError, TypeError, RecursionError, MemoryError):
        values.pop(target.id, None)
        if target.id in DEFAULTS:
            notes.append(Note(path, f"{target.id} is computed by code that the importer does not run; Pelican's "
                                    "default is used", line))
        return
    expected = _TYPES.get(target.id)
    if expected and result is not None and not isinstance(result, expected):
        notes.append(Note(path, f"{target.id} has an unexpected type ({type(result).__name__}); Pelican's default "
                                "is used", line))
        values.pop(target.id, None)
        return
    values[target.id] = result


def _literal(node: ast.expr, values: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        if node.id in values:
            return values[node.id]
        raise ValueError(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, values), _literal(node.right, values)
        if type(left) is not type(right) or not isinstance(left, (str, list, tuple)):
            raise TypeError("only strings and lists are added")
        return left + right
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_literal(item, values) for item in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise ValueError("** in a dict")
        return {_literal(key, values): _literal(item, values)  # type: ignore[arg-type]
                for key, item in zip(node.keys, node.values, strict=True)}
    return ast.literal_eval(node)


def merged(values: Mapping[str, Any]) -> dict[str, Any]:
    """Pelican's defaults overridden by `values`, with the URL defaults Pelican derives when only some are set."""
    settings = {**DEFAULTS, **values}
    for kind in ("ARTICLE", "PAGE"):
        if f"{kind}_URL" in values and f"{kind}_SAVE_AS" not in values:
            settings[f"{kind}_SAVE_AS"] = _save_as(settings[f"{kind}_URL"])
    return settings


def _save_as(url: str) -> str:
    return url + "index.html" if url.endswith("/") or not url else url


def slugify(value: str, settings: Mapping[str, Any], notes: list[Note] | None = None,
            path: Path | None = None) -> str:
    """Pelican's `slugify` (pelican/utils.py) with the blog's SLUG_REGEX_SUBSTITUTIONS, case and Unicode settings."""
    text = unicodedata.normalize("NFKC", Markup(value).striptags())
    if not settings.get("SLUGIFY_USE_UNICODE", False):
        text = _ascii(text, notes, path)
    for pair in _pairs(settings.get("SLUG_REGEX_SUBSTITUTIONS")):
        try:
            text = re.sub(unicodedata.normalize("NFKC", pair[0]), unicodedata.normalize("NFKC", pair[1]), text,
                          flags=re.IGNORECASE)
        except (re.error, IndexError) as exc:
            if notes is not None and path is not None:
                notes.append(Note(path, f"SLUG_REGEX_SUBSTITUTIONS pattern {pair[0]!r} is not usable: {exc}"))
    if not settings.get("SLUGIFY_PRESERVE_CASE", False):
        text = text.lower()
    return text.strip()


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, (list, tuple)):
        return []
    return [(str(pair[0]), str(pair[1])) for pair in value
            if isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(p, str) for p in pair)]


def _ascii(text: str, notes: list[Note] | None, path: Path | None) -> str:
    """Unidecode's transliteration, as Pelican does; without the package, non-ASCII text is kept and noted."""
    try:
        from unidecode import unidecode
    except ImportError:  # an optional dependency (GPL): sitegen[pelican]
        if notes is not None and path is not None and not text.isascii():
            notes.append(Note(path, "the 'unidecode' package is not installed, so Pelican's slug of this "
                                    "non-Latin title cannot be recomputed; set its slug by hand"))
        return text
    return str(unidecode(text))


def format_url(pattern: object, fields: Mapping[str, Any]) -> str | None:
    """`pattern` ('{date:%Y}/{slug}/') filled as Pelican's `str.format` fills it, or None when it cannot be."""
    if not isinstance(pattern, str):
        return None
    if any(name not in fields for name in _FORMAT_FIELD.findall(pattern)):
        return None
    if "{" in pattern and re.search(r"\{[^}]*[.\[]", pattern):
        return None  # attribute or item access: not from a literal setting the importer can trust
    try:
        return pattern.format(**fields)
    except (KeyError, ValueError, IndexError, AttributeError, TypeError):
        return None


def url_fields(slug: str, lang: str, date: datetime | None, author: str, category: str,
               path: str, metadata: Mapping[str, object]) -> dict[str, Any]:
    """The names a Pelican URL pattern can use (Content.url_format): the metadata, then the computed ones."""
    fields: dict[str, Any] = {key: value for key, value in metadata.items() if isinstance(value, str)}
    fields.update({"slug": slug, "lang": lang, "date": date or datetime.now(), "author": author,
                   "category": category, "path": path})
    return fields
