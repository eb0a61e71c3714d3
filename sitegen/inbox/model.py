"""One reply waiting for the author's decision, as the pending store keeps it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

STATES = ("pending", "accepted", "rejected", "spam", "counted", "purged")
"""'counted': a like or a repost, kept for its count, never moderated. 'purged': its content dropped by
`sitegen replies purge`; the id stays so that pulling again does not bring it back."""
KINDS = ("reply", "mention", "like", "repost", "bookmark")
COUNTED_KINDS = frozenset({"like", "repost", "bookmark"})


@dataclass(frozen=True, slots=True)
class Pending:
    """A reply from outside, with where it came from and what the author decided."""

    id: str
    """Unique and stable across pulls: 'nf-<submission id>', 'wm-<webmention.io id>', 'em-<message id digest>'."""
    source: str
    """'netlify', 'webmention' or 'email'."""
    state: str = "pending"
    kind: str = "reply"
    post: str | None = None
    """The slug of the post it answers, when it could be told."""
    target: str = ""
    """What the reply said it answers (the form's post URL, the webmention's target), as given."""
    name: str = ""
    email: str = ""
    """Private: written to the reply file's `email`, never published."""
    url: str = ""
    """The replier's own site."""
    date: str = ""
    """ISO 8601 with its offset."""
    text: str = ""
    """Markdown (plain text from a form), untrusted: rendered as every reply is when published."""
    spam: bool = False
    """The source's own verdict (Netlify's spam filter)."""
    source_url: str = ""
    """A webmention's page, an email's Message-ID."""
    accepted: str = ""
    """The reply file written when accepted, relative to the site's root."""

    @property
    def when(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.date)
        except ValueError:
            return None


def iso_date(value: str) -> str:
    """An ISO 8601 time ('2020-10-13T14:02:06.088Z') to the second, with its offset; kept as given when not one."""
    try:
        return datetime.fromisoformat(value).replace(microsecond=0).isoformat()
    except ValueError:
        return value


def pending_to_dict(item: Pending) -> dict[str, Any]:
    """The store's record of `item`: empty values left out, so a record holds only what is known."""
    return {key: value for key, value in asdict(item).items() if value not in ("", None, False)}


def pending_from_dict(record: Any) -> Pending | str:
    """A store record as a Pending, or what is wrong with it."""
    if not isinstance(record, dict):
        return "a record must be a JSON object"
    known = {f.name: f for f in fields(Pending)}
    values: dict[str, Any] = {}
    for key, value in record.items():
        if key not in known:
            return f"unknown key {key!r}"
        expected = bool if key == "spam" else str
        if key == "post" and value is None:
            continue
        if not isinstance(value, expected):
            return f"{key!r} must be {'true or false' if expected is bool else 'text'}"
        values[key] = value
    if not values.get("id") or not values.get("source"):
        return "a record needs an 'id' and a 'source'"
    item = Pending(**values)
    if item.state not in STATES:
        return f"unknown state {item.state!r} (one of: {', '.join(STATES)})"
    if item.kind not in KINDS:
        return f"unknown kind {item.kind!r} (one of: {', '.join(KINDS)})"
    return item


def purged(item: Pending) -> Pending:
    """`item` with the reader's words and address dropped: what the store keeps after a purge."""
    return Pending(id=item.id, source=item.source, state="purged", kind=item.kind, post=item.post,
                   accepted=item.accepted)
