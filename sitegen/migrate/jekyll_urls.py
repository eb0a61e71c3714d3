"""Jekyll's URLs, worked out as Jekyll 4 does (lib/jekyll/url.rb, drops/url_drop.rb, utils.rb, page.rb): the
permalink styles, the placeholders of a template, its slugify modes and its URL clean-up.

URLs are kept unescaped ('/2019/05/02/مرحبا.html'): Jekyll percent-encodes them in `page.url`, but the file it
writes, and so the address a reader's browser asked for, is the unescaped path.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
"""Jekyll's built-in permalink styles (configuration.rb STYLE_TO_PERMALINK)."""

_PRETTY_KEEP = "._~!$&'()+,;=@"
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_DATE_IN_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)$")
"""Document::DATE_FILENAME_MATCHER, applied to a file's base name (its extension already taken off)."""


def _kept(char: str, mode: str) -> bool:
    """Whether Jekyll's slugify keeps `char`: \\p{M}, \\p{L}, \\p{Nd} (and in 'pretty' mode some punctuation)."""
    kind = unicodedata.category(char)
    if kind[0] in "LM" or kind == "Nd":
        return True
    return mode == "pretty" and char in _PRETTY_KEEP


def jekyll_slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's Utils.slugify in its 'default', 'pretty' and 'raw' modes."""
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
    else:
        out: list[str] = []
        for char in text:
            if _kept(char, mode):
                out.append(char)
            elif not out or out[-1] != "\x00":
                out.append("\x00")
        slug = "".join(out).replace("\x00", "-")
    slug = re.sub(r"^-|-$", "", slug)  # Ruby's %r!^-|-$! (one at each end; runs are single already)
    return slug if cased else slug.lower()


def titleize_slug(slug: str) -> str:
    """Jekyll's title for a post without one: 'my-first-post' -> 'My First Post'."""
    return " ".join(part[:1].upper() + part[1:].lower() for part in slug.split("-"))


def split_name(stem: str) -> tuple[str | None, str]:
    """A post file's base name (extension taken off) -> its date part, if any, and its title part, with trailing
    dots removed as Jekyll does."""
    match = _DATE_IN_NAME.match(stem)
    date_part, title = (match.group(1), match.group(2)) if match else (None, stem)
    return date_part, re.sub(r"\.*$", "", title)


def date_values(when: datetime) -> dict[str, str]:
    """The date placeholders of UrlDrop for `when`."""
    iso_year, iso_week, iso_day = when.isocalendar()
    return {
        "year": f"{when.year:04d}", "month": f"{when.month:02d}", "day": f"{when.day:02d}",
        "hour": f"{when.hour:02d}", "minute": f"{when.minute:02d}", "second": f"{when.second:02d}",
        "i_day": str(when.day), "i_month": str(when.month), "short_month": when.strftime("%b").upper(),
        "long_month": when.strftime("%B"), "short_year": f"{when.year % 100:02d}", "w_year": str(iso_year),
        "week": f"{iso_week:02d}", "w_day": str(iso_day), "short_day": when.strftime("%a").upper(),
        "long_day": when.strftime("%A"), "y_day": f"{when.timetuple().tm_yday:03d}",
    }


def categories_value(categories: list[str], slugified: bool = False) -> str:
    """UrlDrop#categories (each lower-cased, duplicates dropped) or #slugified_categories."""
    seen: dict[str, None] = {}
    for category in categories:
        seen[jekyll_slugify(category) if slugified else category.lower()] = None
    return "/".join(seen)


def fill_template(template: str, values: dict[str, str]) -> str | None:
    """URL#generate_url_from_drop then #sanitize_url; None when the template names a placeholder there is no value
    for (Jekyll stops the build)."""
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1)
        pool = [name, name[:-1]] if name.endswith("_") else [name]
        winner = next((key for key in pool if key in values), None)
        if winner is None:
            missing = True
            return match.group(0)
        return values[winner] + match.group(0)[1 + len(winner):]

    filled = _PLACEHOLDER.sub(replace, template)
    return None if missing else sanitize_url(filled)


def fill_page_template(template: str, values: dict[str, str | None]) -> str:
    """URL#generate_url_from_hash (a page's placeholders: a missing value takes its leading slash with it; an
    unknown placeholder stays as written) then #sanitize_url."""
    result = template
    for key, value in values.items():
        if ":" not in result:
            break
        result = result.replace(f"/:{key}", "") if value is None else result.replace(f":{key}", value)
    return sanitize_url(result)


def sanitize_url(url: str) -> str:
    """URL#sanitize_url: a leading slash, '..' made '/', './' removed, runs of slashes made one."""
    result = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", result)


def add_permalink_suffix(template: str, style: str) -> str:
    """Utils.add_permalink_suffix: the ending a page or collection template takes from the site's style."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


def style_template(style: str) -> str:
    """The posts' template for the site's `permalink` setting (a style name or a template)."""
    return STYLES.get(style, style)
