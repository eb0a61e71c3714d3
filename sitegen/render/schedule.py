"""The schedule of posts to come: when this site was built and when each post left out for its date is due, for
the Netlify function that starts a build once one is (netlify/functions/publish-scheduled.mjs).

The function reads it from the live site (`/sitegen-schedule.json`), so what it sees is always the deploy being
served, a rollback included. It holds times only, no titles or addresses; it is written only while posts wait."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ..errors import display_path
from ..site.model import Post, Site

SCHEDULE_VERSION = 1


def render_schedule(site: Site) -> bytes:
    """{"version": 1, "built": <the build's clock>, "scheduled": [<each upcoming post's time>, soonest first]}, in
    UTC ISO 8601."""
    document = {
        "version": SCHEDULE_VERSION,
        "built": utc_iso(site.clock) if site.clock else None,
        "scheduled": sorted(dict.fromkeys(utc_iso(post.date) for post in site.upcoming if post.date)),
    }
    return (json.dumps(document, indent=2) + "\n").encode()


def utc_iso(when: datetime) -> str:
    """'2026-12-07T06:00:00Z'."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def schedule_notes(site: Site) -> tuple[str, ...]:
    """One line per post dated after the build's clock, soonest first: when a production build will publish it (a
    post left out), or that it is shown ahead of its date (a preview)."""
    root = site.config.root
    later = [f"scheduled: {_shown(post, root)} appears with the first build after {_local(post)}"
             for post in site.upcoming if post.date]
    early = sorted((post for post in site.posts if post.scheduled and post.date),
                   key=lambda post: (post.date.timestamp() if post.date else 0.0, post.url))
    return (*later, *(f"scheduled: {_shown(post, root)} is shown ahead of its date, {_local(post)}; production "
                      "builds publish it from then" for post in early))


def _shown(post: Post, root: Path) -> str:
    return f"{display_path(post.doc.path, root)} ({json.dumps(post.title, ensure_ascii=False)})"


def _local(post: Post) -> str:
    """'2026-12-07 09:00 +03:00' in the post's own zone, and in UTC."""
    assert post.date is not None
    return f"{post.date.strftime('%Y-%m-%d %H:%M %z')} ({utc_iso(post.date)})"
