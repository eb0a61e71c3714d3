"""The site configuration (`sitegen.yaml`): frozen values, every problem reported at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from ..errors import SourceError
from ..text import shown_piece, text_fields
from .decode import read_source_text
from .yamlio import YamlMapping, parse_yaml_mapping

CONFIG_NAMES = ("sitegen.yaml", "sitegen.yml")
PERMALINK_FIELDS = frozenset({"slug", "year", "month", "day", "lang"})


@dataclass(frozen=True, slots=True)
class Author:
    """The blog's author, shown on the about page and in feeds."""

    name: str = "Author"
    bio: str = ""
    email: str = ""
    image: str = ""
    """Path or URL of a photo; optional."""
    links: tuple[tuple[str, str], ...] = ()
    """(label, url) pairs in the order written, e.g. ('LinkedIn', 'https://www.linkedin.com/in/...'): absolute
    http(s) URLs or mailto: addresses, never `javascript:` or `data:` (they are links on every post and the
    JSON-LD's `sameAs`, so a page of the site is written whole too)."""


@dataclass(frozen=True, slots=True)
class Language:
    """What the configuration's `languages:` says of one language the blog is written in."""

    code: str
    """BCP 47 code: 'en', 'ar'."""
    title: str = ""
    """The blog's title in this language ('' keeps the site's `title`)."""
    description: str = ""
    """The blog's description in this language ('' keeps the site's `description`)."""
    author_name: str = ""
    """The author's name as written in this language ('' keeps `author.name`)."""
    author_bio: str = ""
    """The author's bio in this language ('' keeps `author.bio`)."""


LANGUAGE_MODES = ("mixed", "separate")
"""`language_mode`: one home page, archive, tag pages and feeds for every language ('mixed'), or a set of them per
language, the site's language at the root and each other under /<code>/ ('separate')."""
HIJRI_NUMERALS = ("latin", "arabic")
"""`hijri_numerals`: the Hijri date's digits, 0-9 or Arabic-Indic ٠-٩."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything `sitegen.yaml` says, with defaults filled in."""

    root: Path
    """The site's root folder (where sitegen.yaml lives)."""
    title: str = "My blog"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    """Absolute URL the site is served from, ending in '/'."""
    language: str = "ar"
    timezone: str = "UTC"
    """IANA zone used for dates written without one."""
    posts_per_page: int = 10
    permalink: str = "/posts/{slug}/"
    """URL pattern of posts; fields: {slug} {year} {month} {day} {lang}."""
    theme: str = "default"
    feed_limit: int = 20
    """How many of the newest posts the feeds carry."""
    author: Author = field(default_factory=Author)
    newsletter_url: str = ""
    """A newsletter provider's sign-up form address; when set, the follow page offers follow-by-email."""
    newsletter_field: str = "email"
    """The name the provider's form gives its email field (Buttondown 'email', Mailchimp 'EMAIL')."""
    webmention: str = ""
    """A Webmention endpoint (e.g. webmention.io's); when set, every page links it."""
    reply_form: bool = True
    """Offer a reply form (Netlify Forms) under every post."""
    share_cards: bool = True
    """Draw a share card for every post and the home page (card.png beside the page, named in og:image)."""
    search: bool = True
    """A search page and box, with an index of the posts and pages made by Pagefind after every build that changed
    one of them."""
    noindex: bool = False
    """Keep every page out of search engines (a staging site; preview deploys set it themselves)."""
    cadence: str = ""
    """The rhythm the author aims for, 'monthly' or 'weekly' ('' for none): `sitegen stats` names the months or
    weeks without a post, and when the next one is due."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form values for templates (`config.extra.x`)."""
    languages: tuple[Language, ...] = ()
    """Titles and descriptions of the blog in its languages (`languages:`), in the order written."""
    language_mode: str = "mixed"
    """One of LANGUAGE_MODES."""
    hijri: bool = False
    """Show dates in the Hijri calendar (Umm al-Qura) beside the Gregorian ones."""
    hijri_numerals: str = "latin"
    """One of HIJRI_NUMERALS."""
    given: frozenset[str] = frozenset()
    """The keys the configuration file sets (the others are defaults)."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def in_language(self, code: str) -> Config:
        """The configuration as pages in language `code` see it: the blog's title and description in that language
        (from `languages:`), and `code` as the site's language."""
        own = next((item for item in self.languages if item.code == code), None)
        if code == self.language and own is None:
            return self
        author = self.author
        if own and (own.author_name or own.author_bio):
            author = replace(author, name=own.author_name or author.name, bio=own.author_bio or author.bio)
        return replace(self, language=code, title=own.title if own and own.title else self.title,
                       description=own.description if own and own.description else self.description, author=author)


_SCALARS: dict[str, type | tuple[type, ...]] = {
    "title": str, "description": str, "base_url": str, "language": str, "timezone": str,
    "posts_per_page": int, "permalink": str, "theme": str, "feed_limit": int,
    "newsletter_url": str, "newsletter_field": str, "webmention": str, "reply_form": bool, "share_cards": bool,
    "search": bool, "noindex": bool,
    "language_mode": str, "hijri": bool, "hijri_numerals": str, "cadence": str,
}
CADENCES = ("", "monthly", "weekly")
_AUTHOR_KEYS: dict[str, type] = {"name": str, "bio": str, "email": str, "image": str, "links": dict}
_ACTUAL_NAMES: dict[type, str] = {bool: "true/false", int: "a number", float: "a number", str: "text",
                                  list: "a list", dict: "a mapping", type(None): "empty"}
_TOP_KEYS = [*_SCALARS, "author", "extra", "languages"]
_LANGUAGE_KEYS = ("title", "description", "author_name", "author_bio")
_TYPE_NAMES = {str: "text", int: "a whole number", dict: "a mapping", list: "a list", bool: "true or false"}


def find_config(root: Path) -> Path | None:
    """The configuration file in `root`, if there is one."""
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def load_config(root: Path) -> tuple[Config, list[SourceError]]:
    """Read and validate the site's configuration; a missing file is an error."""
    path = find_config(root)
    if path is None:
        return Config(root=root), [SourceError(root / CONFIG_NAMES[0], "no configuration file found",
                                               hint=f"run sitegen in the site's root folder, or pass --source "
                                                    f"(it looks for {' or '.join(CONFIG_NAMES)}); to start a new "
                                                    f"blog here: sitegen init")]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Config(root=root), [SourceError(path, f"cannot read the configuration: {exc.strerror or exc}")]
    text, problems = read_source_text(raw, path)
    if text is None:
        return Config(root=root), problems
    config, errors = parse_config(text, path, root)
    return config, [*problems, *errors]


def parse_config(text: str, path: Path, root: Path) -> tuple[Config, list[SourceError]]:
    """Validate configuration text; return the config (defaults where invalid) and every problem found."""
    doc, errors = parse_yaml_mapping(text, path, what="the configuration")
    if doc is None:
        return Config(root=root), errors
    values: dict[str, Any] = {}
    for key, value in doc.values.items():
        line = doc.line(key)
        if key in _SCALARS:
            if _is_type(value, _SCALARS[key]):
                values[key] = value
            else:
                errors.append(_type_error(path, key, value, _SCALARS[key], line))
        elif key == "author":
            author, author_errors = _parse_author(value, doc, path)
            values["author"] = author
            errors.extend(author_errors)
        elif key == "languages":
            languages, language_errors = _parse_languages(value, doc, path)
            values["languages"] = languages
            errors.extend(language_errors)
        elif key == "extra":
            if isinstance(value, dict):
                values["extra"] = value
            else:
                errors.append(_type_error(path, key, value, dict, line))
        else:
            errors.append(_unknown_key(path, key, _TOP_KEYS, line))
    config = Config(root=root, **values, given=frozenset(values))
    value_errors, bad_keys = _check_values(config, doc, path)
    errors.extend(value_errors)
    if bad_keys:  # keep checking the content against sane defaults
        good = {k: v for k, v in values.items() if k not in bad_keys}
        config = Config(root=root, **good, given=frozenset(good))
    return config, errors


def _parse_author(value: Any, doc: YamlMapping, path: Path) -> tuple[Author, list[SourceError]]:
    if not isinstance(value, dict):
        return Author(), [_type_error(path, "author", value, dict, doc.line("author"))]
    errors: list[SourceError] = []
    fields: dict[str, Any] = {}
    for key, item in value.items():
        line = doc.line(f"author.{key}")
        expected = _AUTHOR_KEYS.get(key)
        if expected is None:
            errors.append(_unknown_key(path, f"author.{key}", [f"author.{k}" for k in _AUTHOR_KEYS], line))
        elif item is None:
            continue
        elif not _is_type(item, expected):
            errors.append(_type_error(path, f"author.{key}", item, expected, line))
        elif key == "links":
            links = []
            for label, url in item.items():
                where = doc.line(f"author.links.{label}", line)
                if not isinstance(url, str) or not url:
                    errors.append(SourceError(path, f"author.links.{label} must be a URL", where))
                elif problem := url_problem(url, mailto=True):
                    errors.append(SourceError(path, f"author.links.{label} {url!r} {problem}", where,
                                              hint="e.g. https://example.org/me or mailto:me@example.org"))
                else:
                    links.append((str(label), url))
            fields["links"] = tuple(links)
        elif key == "image" and (problem := url_problem(item, paths=True)):
            errors.append(SourceError(path, f"author.image {item!r} {problem}", line,
                                      hint="a path of the site, such as /images/me.jpg, or an https:// address"))
        else:
            fields[key] = item
    return Author(**fields), errors


def _parse_languages(value: Any, doc: YamlMapping, path: Path) -> tuple[tuple[Language, ...], list[SourceError]]:
    """`languages:`: a mapping of language codes to the blog's title and description in that language."""
    if not isinstance(value, dict):
        return (), [_type_error(path, "languages", value, dict, doc.line("languages"))]
    languages: list[Language] = []
    errors: list[SourceError] = []
    for code, settings in value.items():
        line = doc.line(f"languages.{code}", doc.line("languages"))
        code = str(code)
        if _locale_problem(code):
            errors.append(SourceError(path, f"languages: unknown language {code!r}", line,
                                      hint="use a language code such as ar, en or fr"))
            continue
        if settings is None:
            languages.append(Language(code))
            continue
        if not isinstance(settings, dict):
            errors.append(_type_error(path, f"languages.{code}", settings, dict, line))
            continue
        fields: dict[str, str] = {}
        for key, text in settings.items():
            where = doc.line(f"languages.{code}.{key}", line)
            if key not in _LANGUAGE_KEYS:
                errors.append(_unknown_key(path, f"languages.{code}.{key}",
                                           [f"languages.{code}.{k}" for k in _LANGUAGE_KEYS], where))
            elif text is not None and not isinstance(text, str):
                errors.append(_type_error(path, f"languages.{code}.{key}", text, str, where))
            elif text:
                fields[str(key)] = text
        languages.append(Language(code, **fields))
    return tuple(languages), errors


def _locale_problem(code: str) -> bool:
    """True when Babel knows no locale for the language code `code`."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return True
    return False


def _check_values(config: Config, doc: YamlMapping, path: Path) -> tuple[list[SourceError], set[str]]:
    """Check values a type cannot express; return the errors and the keys whose values are unusable."""
    errors: list[SourceError] = []
    bad: set[str] = set()
    if (problem := url_problem(config.base_url)) or not config.base_url.endswith("/"):
        if problem is None or problem.startswith("must"):
            problem = "must be an absolute URL ending in '/'"
        errors.append(SourceError(path, f"base_url {config.base_url!r} {problem}", doc.line("base_url"),
                                  hint="e.g. base_url: https://example.com/"))
        bad.add("base_url")
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(SourceError(path, f"unknown time zone {config.timezone!r}", doc.line("timezone"),
                                  hint="use an IANA name such as Asia/Riyadh or Europe/London"))
        bad.add("timezone")
    if _locale_problem(config.language):
        errors.append(SourceError(path, f"unknown language {config.language!r}", doc.line("language"),
                                  hint="use a language code such as ar, en or fr"))
        bad.add("language")
    for key, allowed in (("language_mode", LANGUAGE_MODES), ("hijri_numerals", HIJRI_NUMERALS)):
        if getattr(config, key) not in allowed:
            errors.append(SourceError(path, f"{key} {getattr(config, key)!r} is not one of: {', '.join(allowed)}",
                                      doc.line(key), hint=f"e.g. {key}: {allowed[-1]}"))
            bad.add(key)
    for key in ("newsletter_url", "webmention"):
        value = getattr(config, key)
        if value and (problem := url_problem(value)):
            errors.append(SourceError(path, f"{key} {value!r} {problem}", doc.line(key)))
            bad.add(key)
    if config.cadence not in CADENCES:
        errors.append(SourceError(path, f"cadence {config.cadence!r} is not one sitegen knows", doc.line("cadence"),
                                  hint="use monthly or weekly"))
        bad.add("cadence")
    for key in ("posts_per_page", "feed_limit"):
        if getattr(config, key) < 1:
            errors.append(SourceError(path, f"{key} must be at least 1", doc.line(key)))
            bad.add(key)
    if permalink_errors := _check_permalink(config.permalink, path, doc.line("permalink")):
        errors.extend(permalink_errors)
        bad.add("permalink")
    return errors, bad


def _check_permalink(pattern: str, path: Path, line: int | None) -> list[SourceError]:
    """The permalink's problems: its fields are names alone in braces, never a format spec, conversion, attribute or
    index (a URL is made by putting each field's value in its place, not by str.format)."""
    fields, bad = text_fields(pattern)
    names = set(fields)
    problems = []
    if bad:
        problems.append(f"{shown_piece(bad[0])} is not a field (a field is a name alone in braces)")
    elif "slug" not in names:
        problems.append("it must contain {slug}")
    if unknown := names - PERMALINK_FIELDS:
        problems.append(f"unknown field {{{sorted(unknown)[0]}}}")
    if not pattern.startswith("/") or not pattern.endswith("/"):
        problems.append("it must start and end with '/'")
    if not problems:
        return []
    return [SourceError(path, f"permalink {pattern!r}: {'; '.join(problems)}", line,
                        hint="fields: " + " ".join(f"{{{f}}}" for f in sorted(PERMALINK_FIELDS)))]


def _is_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    if expected is int or expected == (int,):
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, str)
    return isinstance(value, expected)


def _type_error(path: Path, key: str, value: Any, expected: type | tuple[type, ...], line: int | None) -> SourceError:
    name = _TYPE_NAMES.get(expected, getattr(expected, "__name__", str(expected)))  # type: ignore[arg-type]
    actual = _ACTUAL_NAMES.get(type(value), type(value).__name__)
    shown = "" if value is None or isinstance(value, bool) else f" ({value!r})"
    shown = shown if len(shown) <= 60 else shown[:56] + "...)"
    return SourceError(path, f"'{key}' must be {name}, not {actual}{shown}", line, None if "." in key else 1)


def _unknown_key(path: Path, key: str, known: list[str], line: int | None) -> SourceError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
    return SourceError(path, f"unknown key '{key}'", line, None if "." in key else 1, hint=hint)


def url_problem(url: str, *, mailto: bool = False, paths: bool = False) -> str | None:
    """Why `url` is not an absolute http(s) URL with a host (nor, when `mailto`, a mailto: address; nor, when `paths`,
    a path of the site), as the end of a sentence naming it; None when it is one."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if any(char.isspace() for char in url):
        return "is not a valid URL (it has a space in it)"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return None if parts.hostname else "is not a valid URL (it has no host)"
    if (scheme == "mailto" and mailto) or (not scheme and not parts.netloc and paths):
        return None
    return "must be an absolute http(s) URL" + (", or a mailto: address" if mailto else "") + (
        ", or a path of the site" if paths else "")
