"""The Jinja2 environment: the site's templates over its theme's over the default theme, strict about undefined."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from ..errors import SourceError
from ..markdown import TocEntry
from ..site.model import Post, Site
from ..site.urls import FOLLOW_URL, absolute_url, reply_mailto, thanks_url
from ..sources.config import Config
from ..sources.theme import ShareImage, Theme, Translations
from ..text import fill_fields, text_direction
from .hijri import hijri_date
from .metadata import Image, blog, blog_posting, og_locale, post_image, script_json

_COMPILED: dict[str, tuple[str, CodeType]] = {}
"""Templates compiled in this process, by Jinja's key (name and file): the checksum of the source and its code. Every
environment sitegen makes has the same options, so a template compiled for one serves them all: a memo, like the
lru_caches of this module (the preview makes a new environment when the configuration changes; the tests build
hundreds of sites)."""
_COMPILED_LIMIT = 2048


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's cache of compiled templates: in this process's memory, then in `folder` (the build cache) when given,
    where a file that cannot be read or written is only a miss."""

    def __init__(self, folder: Path | None) -> None:
        self.disk = jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = _COMPILED.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:
            bucket.code = known[1]
            return
        if self.disk is not None:
            with contextlib.suppress(OSError):
                self.disk.load_bytecode(bucket)
            self._remember(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._remember(bucket)
        if self.disk is not None:
            with contextlib.suppress(OSError):
                self.disk.dump_bytecode(bucket)

    def _remember(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            if len(_COMPILED) >= _COMPILED_LIMIT:
                _COMPILED.clear()
            _COMPILED[bucket.key] = (bucket.checksum, bucket.code)


def create_environment(config: Config, theme: Theme, translations: Translations, share_image: ShareImage | None, *,
                       auto_reload: bool = True, compiled: Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment whose loader prefers `templates/` in the site root, then the theme's templates; its
    globals give the theme's words (`t`) and the default sharing image.
    Without `auto_reload` (a build: templates do not change while it runs) templates are not checked for changes
    each time a page asks for one. Templates compiled to Python are kept in memory for the next environment, and with
    `compiled` in that folder too, keyed by their source, so the next build does not compile them again."""
    search = [config.root / "templates", *theme.template_dirs]
    env = jinja2.Environment(
        auto_reload=auto_reload,
        bytecode_cache=_CompiledTemplates(compiled),
        loader=jinja2.FileSystemLoader([str(p) for p in search]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        config=config,
        t=_translator(translations, config.language),
        asset=_asset_url,
        reply_mailto=lambda post: post_reply_mailto(config, post),
        thanks_url=lambda lang: thanks_url(config, lang),
        follow_url=FOLLOW_URL,
        share_image=_share_image(config, share_image),
        blog_posting=_blog_posting,
        blog=lambda site: blog(site, lambda url: absolute_url(config, url), author_url(site)),
        author_url=author_url,
        author_page=author_page,
        direction=text_direction,
        language_name=language_name,
    )
    env.filters.update(
        date=_format_date,
        hijri=_format_hijri,
        isodate=lambda value: value.isoformat() if value else "",
        absolute=lambda url: absolute_url(config, url),
        number=_format_number,
        jsonld=script_json,
        og_locale=og_locale,
        toc_size=toc_size,
    )
    return env


def _share_image(config: Config, default: ShareImage | None) -> Callable[[Post | None], Image | None]:
    fallback = Image(absolute_url(config, default.path), default.width, default.height) if default else None

    def share_image(post: Post | None = None) -> Image | None:
        """The image sharing services show for a page: the post's `image:`, else the site's default."""
        own = post_image(post, lambda url: absolute_url(config, url)) if post is not None else None
        return own or fallback

    return share_image


def _blog_posting(site: Site, post: Post, image: Image | None) -> dict[str, Any]:
    return blog_posting(site, post, lambda url: absolute_url(site.config, url), image, author_url(site))


def author_page(site: Site) -> str:
    """Where the author is presented: the about page (slug 'about'), else the home page."""
    return next((p.url for p in site.pages if p.slug == "about"), "/")


def author_url(site: Site) -> str:
    """The absolute URL of the author's page, for JSON-LD and Open Graph."""
    return absolute_url(site.config, author_page(site))


def toc_size(entries: tuple[TocEntry, ...]) -> int:
    """How many headings a table of contents holds, at every level."""
    return sum(1 + toc_size(entry.children) for entry in entries)


@jinja2.pass_context
def _asset_url(context: jinja2.runtime.Context, name: str) -> str:
    """A static file's URL: fingerprinted ('/_immutable/style.1a2b3c4d5e.css') in a build, plain in the preview."""
    path = "/" + name.lstrip("/")
    return str(context.get("asset_urls", {}).get(path, path))


def post_reply_mailto(config: Config, post: Post) -> str:
    """The post's reply-by-email link ('' when the author has no email address)."""
    return reply_mailto(config.author.email, post.title, absolute_url(config, post.url))


def _translator(strings: Translations, site_language: str):  # type: ignore[no-untyped-def]
    @jinja2.pass_context
    def t(context: jinja2.runtime.Context, key: str, count: int | None = None, **values: Any) -> str:
        """The theme's word for `key` in the page's language (English as a fallback); plural forms by CLDR rules."""
        lang = str(context.get("lang") or site_language)
        base = lang.split("-")[0]
        entry = next((strings[code][key] for code in (lang, base, "en") if key in strings.get(code, {})), key)
        if isinstance(entry, dict):
            form = _plural_form(base, count or 0)
            entry = entry.get(form, entry.get("other", key))
        fields = {"n": _format_number(context, count)} if count is not None else {}
        fields.update({k: _format_number(context, v) if isinstance(v, int) else str(v) for k, v in values.items()})
        try:
            return fill_fields(entry, fields)  # never str.format: a field is put in its place, nothing else is read
        except KeyError as missing:
            raise jinja2.TemplateRuntimeError(f"the theme's word '{key}' has a field {{{missing.args[0]}}} that this "
                                              "template does not give") from None

    return t


def _plural_form(lang: str, count: int) -> str:
    locale = _parsed_locale(lang)
    if locale is None:
        return "one" if count == 1 else "other"
    return str(locale.plural_form(count))


@lru_cache(maxsize=64)
def _parsed_locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return None


HIJRI_FORMATS = frozenset({"long", "full", "medium"})
"""The formats of the `date` filter that show the Hijri date too, when the configuration asks for it (a short date,
such as the archive's 'd MMMM', stays as it is)."""


@jinja2.pass_context
def _format_date(context: jinja2.runtime.Context, value: datetime | None, format: str = "long") -> str:
    """A date in the page's language: '22 نوفمبر 2026' or 'November 22, 2026'; with `hijri: true`, the Hijri date
    follows: '18 فبراير 2026 (1 رمضان 1447 هـ)'."""
    if value is None:
        return ""
    text = _date_text(value, format, _locale(context))
    if format in HIJRI_FORMATS and (hijri := _format_hijri(context, value)):
        return f"{text} ({hijri})"
    return text


@jinja2.pass_context
def _format_hijri(context: jinja2.runtime.Context, value: datetime | None) -> str:
    """The date in the Hijri calendar (Umm al-Qura) in the page's language, when the configuration shows Hijri
    dates ('' otherwise, and for a date outside the calendar's tables)."""
    config = context["config"]
    if value is None or not config.hijri:
        return ""
    return hijri_date(value.date(), str(context.get("lang") or config.language), config.hijri_numerals)


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """A language's name in that language: 'English', 'العربية'; the code itself when Babel does not know it."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if name else code


@lru_cache(maxsize=8192)
def _date_text(value: datetime, format: str, locale: str) -> str:
    return format_date(value, format=format, locale=locale)


@jinja2.pass_context
def _format_number(context: jinja2.runtime.Context, value: int | float | None) -> str:
    return "" if value is None else _number_text(value, _locale(context))


@lru_cache(maxsize=4096)
def _number_text(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=locale)


def _locale(context: jinja2.runtime.Context) -> str:
    return _locale_name(str(context.get("lang") or context["config"].language))


@lru_cache(maxsize=64)
def _locale_name(lang: str) -> str:
    """Babel's name for a page language ('ar', 'en_GB'), 'en' when Babel does not know it; parsed once per language."""
    try:
        return str(Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return "en"


def template_error(exc: BaseException, template: str) -> SourceError:
    """Map a Jinja2 failure to the template file and line it happened at."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = Path(exc.filename or exc.name or template)
        return SourceError(path, f"template syntax error: {exc.message}", exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return SourceError(Path(template), f"template '{exc.name}' not found",
                           hint="add it to the site's templates/ folder or to the theme")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".j2"))]
    if frames:
        frame = frames[-1]
        return SourceError(Path(frame.filename), f"template error: {_message(exc)}", frame.lineno)
    return SourceError(Path(template), f"template error: {_message(exc)}")


def _message(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message} (a variable or attribute that does not exist here)"
    return f"{type(exc).__name__}: {exc}"
