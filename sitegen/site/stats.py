"""The blog's rhythm, from the posts a build publishes: posts per month, the longest gaps between posts, words and
reading time per year, language and tag, and, against a cadence the author aims for (monthly or weekly), the
periods without a post and when the next post is due. Pure: the site and a clock in, numbers out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .model import Post, Site

TOP_GAPS = 3


@dataclass(frozen=True, slots=True)
class Totals:
    """Posts, words and minutes of reading of one group of posts (a year, a language, a tag)."""

    key: str
    posts: int
    words: int
    minutes: int


@dataclass(frozen=True, slots=True)
class Dated:
    """A post as the report names it."""

    title: str
    date: date
    url: str


@dataclass(frozen=True, slots=True)
class Gap:
    """Days between two posts in a row, the older first."""

    days: int
    after: Dated
    before: Dated


@dataclass(frozen=True, slots=True)
class Cadence:
    """The rhythm aimed for, and how it was kept."""

    every: str
    """'monthly' or 'weekly'."""
    missed: tuple[str, ...]
    """Periods from the first post's to the one before today's that have no post: '2025-03', or '2025-W07'."""
    due: date
    """The last day the next post keeps the rhythm: the end of this period when it has no post yet, else of the
    next."""
    overdue: bool
    """The period before this one has no post."""


@dataclass(frozen=True, slots=True)
class Stats:
    """What `sitegen stats` reports."""

    now: date
    posts: int
    words: int
    minutes: int
    first: Dated | None
    last: Dated | None
    months: tuple[tuple[str, int], ...]
    """Every month from the first post's to today's ('2025-01'), with its number of posts."""
    gaps: tuple[Gap, ...]
    """The longest gaps between posts, longest first (at most TOP_GAPS)."""
    since_last: int | None
    """Days from the last post to today."""
    years: tuple[Totals, ...]
    languages: tuple[Totals, ...]
    tags: tuple[Totals, ...]
    cadence: Cadence | None


def site_stats(site: Site, now: datetime) -> Stats:
    """The report of `site`'s published, dated posts at `now`, days counted in the site's time zone."""
    zone = site.config.zone
    posts = sorted((p for p in site.posts if p.date is not None), key=lambda p: (_day(p, zone), p.url))
    today = now.astimezone(zone).date()
    days = [_day(p, zone) for p in posts]
    dated = [Dated(p.title, day, p.url) for p, day in zip(posts, days, strict=True)]
    gaps = sorted((Gap((days[i + 1] - days[i]).days, dated[i], dated[i + 1]) for i in range(len(posts) - 1)),
                  key=lambda gap: (-gap.days, gap.after.date))
    cadence = site.config.cadence
    return Stats(
        now=today,
        posts=len(posts),
        words=sum(p.words for p in posts),
        minutes=sum(p.reading_minutes for p in posts),
        first=dated[0] if dated else None,
        last=dated[-1] if dated else None,
        months=_months(days, today),
        gaps=tuple(gaps[:TOP_GAPS]),
        since_last=(today - days[-1]).days if days else None,
        years=_totals(((str(day.year), p) for p, day in zip(posts, days, strict=True)), by_key=True),
        languages=_totals((p.lang, p) for p in posts),
        tags=_totals((tag, p) for p in posts for tag in p.tag_names),
        cadence=_cadence(cadence, days, today) if cadence and days else None,
    )


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _day(post: Post, zone: ZoneInfo) -> date:
    assert post.date is not None
    return post.date.astimezone(zone).date()


def _months(days: list[date], today: date) -> tuple[tuple[str, int], ...]:
    if not days:
        return ()
    counts: dict[str, int] = defaultdict(int)
    for day in days:
        counts[month_key(day)] += 1
    end = max(today, days[-1])
    year, month, months = days[0].year, days[0].month, []
    while (year, month) <= (end.year, end.month):
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def _totals(pairs: Iterable[tuple[str, Post]], *, by_key: bool = False) -> tuple[Totals, ...]:
    """Totals per key: by key (years, oldest first) or by posts then key (languages, tags)."""
    groups: dict[str, list[Post]] = defaultdict(list)
    for key, post in pairs:
        groups[key].append(post)
    totals = [Totals(key, len(items), sum(p.words for p in items), sum(p.reading_minutes for p in items))
              for key, items in groups.items()]
    return tuple(sorted(totals, key=(lambda t: t.key) if by_key else (lambda t: (-t.posts, t.key))))


def _cadence(every: str, days: list[date], today: date) -> Cadence:
    """Periods are calendar months, or ISO weeks (Monday to Sunday)."""
    step = _next_month if every == "monthly" else (lambda day: day + timedelta(days=7))
    start = _period_start(every, days[0])
    current = _period_start(every, today)
    posted = {_period_start(every, day) for day in days}
    missed = []
    period = start
    while period < current:
        if period not in posted:
            missed.append(period)
        period = step(period)
    this_end = step(current) - timedelta(days=1)
    due = this_end if current not in posted else step(step(current)) - timedelta(days=1)
    key = month_key if every == "monthly" else week_key
    previous_missed = bool(missed) and step(missed[-1]) == current
    return Cadence(every, tuple(key(p) for p in missed), due, previous_missed)


def _period_start(every: str, day: date) -> date:
    return day.replace(day=1) if every == "monthly" else day - timedelta(days=day.weekday())


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
