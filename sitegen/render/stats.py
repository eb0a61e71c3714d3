"""`sitegen stats` as text (a bar chart of posts per month drawn with block characters), as JSON for scripts, and as
an SVG bar chart the author can open: titled for screen readers, laid out right to left for a right-to-left site."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from ..site.stats import Stats
from ..text import text_direction

BAR_WIDTH = 40
"""Characters of the longest bar of the text chart."""


def render_stats_text(stats: Stats) -> str:
    """The report as plain text, one section after another."""
    if not stats.posts:
        return "no published posts yet\n"
    assert stats.first is not None and stats.last is not None
    lines = [f"{stats.posts} posts, {stats.words} words, {stats.minutes} min of reading, "
             f"from {stats.first.date} to {stats.last.date} ({stats.since_last} days since the last post)", ""]
    lines.append("Posts per month")
    most = max(count for _, count in stats.months)
    for month, count in stats.months:
        bar = "█" * round(BAR_WIDTH * count / most) if count else ""
        lines.append(f"  {month}  {count:>3}  {bar}".rstrip())
    lines += ["", "Longest gaps"]
    lines += [f"  {gap.days:>4} days  {gap.after.date} {gap.after.title}  ->  {gap.before.date} {gap.before.title}"
              for gap in stats.gaps] or ["  (one post: no gap yet)"]
    for title, rows in (("Per year", stats.years), ("Per language", stats.languages), ("Per tag", stats.tags)):
        if not rows:
            continue
        width = max(len(row.key) for row in rows)
        lines += ["", f"{title}:  posts  words  minutes"]
        lines += [f"  {row.key:<{width}}  {row.posts:>5}  {row.words:>6}  {row.minutes:>6}" for row in rows]
    if stats.cadence is not None:
        cadence = stats.cadence
        unit = "months" if cadence.every == "monthly" else "weeks"
        lines += ["", f"Cadence: {cadence.every}"]
        lines.append(f"  {unit} without a post: {', '.join(cadence.missed) if cadence.missed else 'none'}")
        lines.append(f"  next post due by {cadence.due}" + (" (the last period had none)" if cadence.overdue else ""))
    return "\n".join(lines) + "\n"


def render_stats_json(stats: Stats) -> dict[str, Any]:
    """The report as JSON-ready data: dates as ISO text."""
    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        return value

    data: dict[str, Any] = plain(dataclasses.asdict(stats))
    data["months"] = [{"month": month, "posts": count} for month, count in stats.months]
    return data


_WORDS = {
    "en": {"title": "Posts per month", "one": "1 post", "other": "{n} posts", "none": "no posts"},
    "ar": {"title": "المقالات في كل شهر", "one": "مقال واحد", "two": "مقالان", "few": "{n} مقالات",
           "many": "{n} مقالًا", "other": "{n} مقال", "none": "لا مقالات"},
}
"""The chart's words, with CLDR's plural forms of a count of posts."""
_BAR, _GAP, _HEIGHT, _TOP, _BOTTOM, _SIDE = 14, 4, 120, 40, 56, 16


def render_stats_svg(stats: Stats, lang: str) -> bytes:
    """A bar chart of posts per month: each bar with a <title> (month and count) a screen reader reads, the chart
    with a <title> and <desc>. In a right-to-left language the months run from right to left and the labels are
    set right to left."""
    words = _WORDS.get(lang.split("-")[0], _WORDS["en"])
    rtl = text_direction(lang) == "rtl"
    months = stats.months
    most = max((count for _, count in months), default=0) or 1
    width = _SIDE * 2 + max(1, len(months)) * (_BAR + _GAP)
    height = _TOP + _HEIGHT + _BOTTOM
    direction = ' direction="rtl"' if rtl else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
             f'xml:lang={quoteattr(lang)}>',
             f'<title id="chart-title">{escape(words["title"])}</title>',
             f'<desc id="chart-desc">{escape(_describe(stats, lang, words))}</desc>',
             f'<rect width="{width}" height="{height}" fill="#fff"/>',
             f'<text x="{width - _SIDE if rtl else _SIDE}" y="24" font-family="sans-serif" font-size="16"'
             f'{direction} text-anchor="start">{escape(words["title"])}</text>']
    for index, (month, count) in enumerate(months):
        slot = len(months) - 1 - index if rtl else index
        x = _SIDE + slot * (_BAR + _GAP)
        bar = round(_HEIGHT * count / most)
        label = f"{_month_name(month, lang)}: {_count(count, lang, words)}"
        parts.append(f'<g><title>{escape(label)}</title>'
                     f'<rect x="{x}" y="{_TOP + _HEIGHT - bar}" width="{_BAR}" height="{max(bar, 1)}" '
                     f'fill="{"#2f6f4f" if count else "#d8d8d8"}"/></g>')
        if month.endswith("-01") or index == 0:  # a year label under its first month
            parts.append(f'<text x="{x + _BAR / 2:g}" y="{_TOP + _HEIGHT + 20}" font-family="sans-serif" '
                         f'font-size="12"{direction} text-anchor="middle">{_number(int(month[:4]), lang)}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts).encode("utf-8")


def _describe(stats: Stats, lang: str, words: dict[str, str]) -> str:
    if not stats.months:
        return words["none"]
    first, last = stats.months[0][0], stats.months[-1][0]
    return f"{_month_name(first, lang)} – {_month_name(last, lang)}: {_count(stats.posts, lang, words)}"


def _month_name(month: str, lang: str) -> str:
    return format_date(date(int(month[:4]), int(month[5:7]), 1), "MMMM y", locale=_locale(lang))


def _count(count: int, lang: str, words: dict[str, str]) -> str:
    if count == 0:
        return words["none"]
    form = str(Locale.parse(_locale(lang)).plural_form(count))
    return words.get(form, words["other"]).replace("{n}", _number(count, lang))


def _number(value: int, lang: str) -> str:
    return format_decimal(value, locale=_locale(lang), group_separator=False)


def _locale(lang: str) -> str:
    return lang.replace("-", "_") if lang.split("-")[0] in _WORDS else "en"
