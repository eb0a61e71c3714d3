"""Accepting a reply: the reply file a person would write by hand (`content/replies/<post-slug>/<name>.md`, front
matter `name`, `url`, `date`, `email`), checked by the same reader the build uses before it is written."""

from __future__ import annotations

import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from ..sources.replies import REPLIES_DIR, is_web_url, parse_reply
from ..text import clean_inline, clean_text, slugify
from .model import Pending

MAX_NAME_IN_FILE_NAME = 40


class Refused(Exception):
    """A reply that cannot become a reply file, with the reason to show."""


def render_reply_file(item: Pending, zone: ZoneInfo) -> str:
    """The reply file's text; Refused when the reply lacks what a reply file needs."""
    name = " ".join(clean_inline(item.name).split())
    when = item.when
    text = clean_text(item.text.replace("\r\n", "\n").replace("\r", "\n"))  # as a file's is
    missing = [what for what, value in (("name", name), ("date", when), ("text", text.strip()))
               if not value]
    if missing:
        raise Refused(f"{item.id} has no {' and no '.join(missing)}, which a published reply needs")
    assert when is not None
    front: dict[str, str] = {"name": name}
    url = clean_inline(item.url).strip()
    if is_web_url(url):
        front["url"] = url
    front["date"] = (when if when.tzinfo else when.replace(tzinfo=zone)).astimezone(zone).isoformat()
    if email := clean_inline(item.email).strip():
        front["email"] = email
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10**9)
    return f"---\n{dumped}---\n{text.strip()}\n"


def reply_file_name(item: Pending) -> str:
    """'<date>-<name>-<digest of the id>.md': sorted by date in a folder, and unique by the reply's id."""
    when = item.when
    day = f"{when:%Y-%m-%d}-" if when else ""
    name = slugify(item.name)[:MAX_NAME_IN_FILE_NAME].strip("-") or "reply"
    return f"{day}{name}-{hashlib.sha256(item.id.encode()).hexdigest()[:6]}.md"


def write_reply(root: Path, item: Pending, post_slug: str, zone: ZoneInfo) -> Path:
    """Write `item` as an accepted reply to `post_slug`; its path. Refused when the file would not read back as a
    valid reply; OSError when it cannot be written. An existing file is never replaced."""
    text = render_reply_file(item, zone)
    folder = root / REPLIES_DIR / post_slug
    base = reply_file_name(item)
    reply, errors = parse_reply(text, folder / base, post_slug, zone)
    if reply is None:
        raise Refused(f"{item.id} would not be a valid reply: " + "; ".join(e.message for e in errors))
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, 1000):
        path = folder / (base if number == 1 else base.replace(".md", f"-{number}.md"))
        try:
            with path.open("x", encoding="utf-8", newline="\n") as file:
                file.write(text)
            return path
        except FileExistsError:
            continue
    raise Refused(f"{item.id}: too many files named like {base} in {folder}")
