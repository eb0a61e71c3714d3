"""What a page tells search engines and sharing services (LinkedIn, Mastodon, X...): Open Graph locale and image,
and JSON-LD made safe to embed in a page whatever the author wrote."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from markupsafe import Markup

from ..site.model import Post, Site
from ..sources.config import Config

FACEBOOK_LOCALES = {"ar": "ar_AR"}
"""Open Graph locales whose usual name is not language_<likely region>."""
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                                "\u2029": "\\u2029"})
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Image:
    """An image for sharing: absolute URL, and its size in pixels when known."""

    url: str
    width: int | None = None
    height: int | None = None


def script_json(data: Any) -> Markup:
    """JSON to put inside `<script type="application/ld+json">`: '<', '>' and '&' escaped as \\u003c..., so no
    `</script>` or `<!--` can end or confuse the element; U+2028/U+2029 escaped for JavaScript readers, and lone
    surrogates (which UTF-8 cannot carry) escaped too."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_UNSAFE)
    return Markup(_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def og_locale(lang: str) -> str:
    """Open Graph's language_TERRITORY for a page language: 'ar' -> 'ar_AR' (Facebook's own name for Arabic), 'en' ->
    'en_US' and others by CLDR's likely region ('fa' -> 'fa_IR'); 'ar-SA' -> 'ar_SA'."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return "en_US"
    territory = locale.territory
    if not territory and locale.language in FACEBOOK_LOCALES:
        return FACEBOOK_LOCALES[locale.language]
    if not territory:
        likely = str(get_global("likely_subtags").get(locale.language, ""))
        territory = next((part for part in likely.split("_")[1:] if len(part) == 2 and part.isupper()), None)
    return f"{locale.language}_{territory}" if territory else locale.language


def post_image(post: Post, absolute: Any) -> Image | None:
    """The post's own `image:` as an absolute URL (a relative path is relative to the post)."""
    if not post.image:
        return None
    if urlsplit(post.image).scheme in ("http", "https"):
        return Image(post.image)
    return Image(absolute(urljoin(post.url, post.image)))


def blog_posting(site: Site, post: Post, absolute: Any, image: Image | None, author_url: str) -> dict[str, Any]:
    """schema.org BlogPosting of a post, with its author and dates, as search engines read it."""
    config = site.config
    url = absolute(post.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": post.lang,
        "author": person(config, post.doc.author, author_url,
                         absolute(urljoin(post.url, post.doc.author_url)) if post.doc.author_url else None),
        "publisher": person(config, None, author_url),
        "isPartOf": {"@type": "Blog", "name": config.title, "url": absolute("/")},
        "wordCount": post.words,
    }
    if post.date:
        data["datePublished"] = post.date.isoformat()
        data["dateModified"] = (post.updated or post.date).isoformat()
    if image:
        data["image"] = image.url
    if post.tag_names:
        data["keywords"] = list(post.tag_names)
    if (series := site.series_of(post)) is not None:  # a part of a series is a part of the blog, too
        data["isPartOf"] = [data["isPartOf"], {"@type": "CreativeWorkSeries", "name": series.name,
                                               "url": absolute(series.url)}]
        data["position"] = series.part(post)
    return data


def blog(site: Site, absolute: Any, author_url: str) -> dict[str, Any]:
    """schema.org Blog of the home page."""
    config = site.config
    return {"@context": "https://schema.org", "@type": "Blog", "name": config.title,
            "description": config.description, "url": absolute("/"), "inLanguage": config.language,
            "author": person(config, None, author_url)}


def person(config: Config, name: str | None, author_url: str, own_url: str | None = None) -> dict[str, Any]:
    """The author as a schema.org Person: the site's author, or the post's own author (`name`, and their page
    `own_url` when it is known)."""
    if name and name != config.author.name:
        return {"@type": "Person", "name": name, **({"url": own_url} if own_url else {})}
    data: dict[str, Any] = {"@type": "Person", "name": config.author.name, "url": author_url}
    if config.author.links:
        data["sameAs"] = [href for _, href in config.author.links]
    return data
