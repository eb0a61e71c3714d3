"""The theme: its folders in order of precedence, its own words (i18n), its templates' fingerprint and the
default sharing image."""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import SourceError
from ..text import shown_piece, text_fields
from .config import Config
from .decode import read_source_text
from .yamlio import YamlMapping, parse_yaml_mapping

DEFAULT_THEME = "default"
DEFAULT_IMAGE = "social.png"
"""The site's default sharing image: `static/social.png` of the site, else the theme's."""


@dataclass(frozen=True, slots=True)
class Theme:
    """The theme folders in order of precedence (the chosen theme, then the default one)."""

    folders: tuple[Path, ...]

    @property
    def template_dirs(self) -> list[Path]:
        return [f / "templates" for f in self.folders if (f / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        """Lowest precedence first, so later copies win."""
        return [f / "static" for f in reversed(self.folders) if (f / "static").is_dir()]


def packaged_themes() -> Path:
    """The themes shipped with sitegen: inside the wheel, or the source checkout's `themes/`."""
    package = Path(__file__).parent.parent
    inside = package / "themes"
    return inside if inside.is_dir() else package.parent / "themes"


def find_theme(config: Config) -> tuple[Theme, list[SourceError]]:
    """Locate the configured theme in the site's `themes/` or among the packaged ones."""
    folders: list[Path] = []
    for name in dict.fromkeys([config.theme, DEFAULT_THEME]):
        candidates = [config.root / "themes" / name, packaged_themes() / name]
        found = next((c for c in candidates if c.is_dir()), None)
        if found is None:
            looked = " and ".join(c.as_posix() for c in candidates)
            config_path = config.root / "sitegen.yaml"
            return Theme(tuple(folders)), [SourceError(config_path, f"theme '{name}' not found (looked in {looked})",
                                                       hint="fix 'theme:' in sitegen.yaml or add the theme folder")]
        if found not in folders:
            folders.append(found)
    shipped = packaged_themes() / DEFAULT_THEME  # the last fallback, even when the site has a partial themes/default
    if shipped.is_dir() and shipped.resolve() not in {f.resolve() for f in folders}:
        folders.append(shipped)
    return Theme(tuple(folders)), []


Word = str | dict[str, str]
"""One of the theme's words: a text, or a text per plural form ('one', 'few', 'other'...)."""
Translations = dict[str, dict[str, Word]]
"""The theme's words by language code, then key."""
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories, which Babel gives for a count."""


def load_translations(theme: Theme) -> tuple[Translations, list[SourceError]]:
    """The theme's own words: `i18n/<lang>.yaml` of each theme folder, the chosen theme's winning; a file that
    cannot be read, and a word that is neither a text nor a text per plural form, is an error at its line."""
    strings: Translations = {}
    errors: list[SourceError] = []
    for folder in reversed(theme.folders):
        for file in sorted((folder / "i18n").glob("*.yaml")):
            try:
                data = file.read_bytes()
            except OSError as exc:
                errors.append(SourceError(file, f"cannot read the theme's words: {exc.strerror or exc}"))
                continue
            words, problems = _words_file(file, data)
            errors.extend(problems)
            strings.setdefault(file.stem, {}).update(words)
    return strings, errors


@lru_cache(maxsize=64)  # the preview loads the words on every rebuild; parsing YAML is most of that
def _words_file(file: Path, data: bytes) -> tuple[dict[str, Word], tuple[SourceError, ...]]:
    """The words of one file of words with these bytes, and its problems. The dictionary is shared: copy it."""
    text, errors = read_source_text(data, file)
    doc, doc_errors = parse_yaml_mapping(text or "", file, what="the theme's words") if text else (None, [])
    errors = [*errors, *doc_errors]
    if doc is None:
        return {}, tuple(errors)
    words, word_errors = _check_words(doc, file)
    return words, (*errors, *word_errors)


def _check_words(doc: YamlMapping, file: Path) -> tuple[dict[str, Word], list[SourceError]]:
    """The words of one file that can be used, and an error for each that cannot."""
    words: dict[str, Word] = {}
    errors: list[SourceError] = []
    for key, value in doc.values.items():
        if isinstance(value, dict):
            forms: dict[str, str] = {}
            for form, text in value.items():
                where = doc.line(f"{key}.{form}", doc.line(key))
                if form not in PLURAL_FORMS:
                    errors.append(SourceError(file, f"'{key}' has an unknown plural form '{form}'", where,
                                              hint="the plural forms are " + ", ".join(PLURAL_FORMS)))
                elif (problem := _word_problem(f"{key}.{form}", text)) is not None:
                    errors.append(SourceError(file, problem, where, hint=_hint(text)))
                else:
                    forms[form] = str(text)
            if "other" not in value:
                errors.append(SourceError(file, f"'{key}' has no 'other' form", doc.line(key),
                                          hint="'other' is the form for every count the others leave"))
            words[key] = forms
        elif (problem := _word_problem(key, value)) is not None:
            errors.append(SourceError(file, problem, doc.line(key), hint=_hint(value)))
        else:
            words[key] = str(value)
    return words, errors


def _hint(value: object) -> str:
    if isinstance(value, str):
        return "a field is a name alone in braces, such as {n}; write '{{' and '}}' for a brace"
    return "write one text, or a text per plural form: one: ..., other: ..."


def _word_problem(key: str, value: object) -> str | None:
    """Why `value` cannot be a word of the theme (a text whose fields are names alone in braces)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        kind = {list: "a list", dict: "a mapping", type(None): "empty", bool: "true/false"}.get(type(value), "a value")
        return f"'{key}' must be text, not {kind}"
    _, bad = text_fields(str(value))
    return f"'{key}': {shown_piece(bad[0])} is not a field" if bad else None


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The site's default sharing image, as pages name it: its URL path and its size in pixels, when known."""

    path: str
    width: int | None
    height: int | None


def load_share_image(config: Config, theme: Theme) -> ShareImage | None:
    """The default sharing image (the site's `static/social.png` over the theme's), its size read from the file."""
    for folder in [config.root / "static", *reversed(theme.static_dirs)]:
        path = folder / DEFAULT_IMAGE
        if path.is_file():
            try:
                head = path.read_bytes()[:24]
            except OSError:
                head = b""
            width, height = _png_size(head)
            return ShareImage("/" + DEFAULT_IMAGE, width, height)
    return None


def theme_fingerprint(config: Config, theme: Theme) -> bytes:
    """A digest of every template the site's pages may use (the site's templates/ and each theme's): names and
    bytes."""
    folders = [config.root / "templates", *(folder / "templates" for folder in theme.folders)]
    digest = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(os.fsencode(path.as_posix()) + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def _png_size(head: bytes) -> tuple[int | None, int | None]:
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return int(width), int(height)
    return None, None
