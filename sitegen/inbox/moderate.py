"""The author's decisions on pending replies: find them by id, accept (write the reply file), reject, mark as spam,
purge; and emails made pending replies."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .accept import Refused, write_reply
from .model import COUNTED_KINDS, Pending, purged
from .store import Store

PURGED_STATES = frozenset({"accepted", "rejected", "spam"})


def resolve_ids(store: Store, ids: Iterable[str]) -> tuple[list[Pending], list[str]]:
    """The replies named by `ids` (each a whole id or the start of exactly one), and a sentence for each id that
    names none or several."""
    found: list[Pending] = []
    problems: list[str] = []
    for ident in ids:
        exact = ident in store
        matches = [ident] if exact else sorted(key for key in store if ident and key.startswith(ident))
        if len(matches) == 1:
            if store[matches[0]] not in found:
                found.append(store[matches[0]])
        elif matches:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            problems.append(f"'{ident}' is the start of several ids ({shown}): give more of it")
        else:
            problems.append(f"no reply has the id '{ident}' (`sitegen replies --all` lists every one)")
    return found, problems


def accept(root: Path, item: Pending, slugs: Collection[str], zone: ZoneInfo, post: str | None = None) -> Pending:
    """Write `item` as a reply file to `post` (default: the post it answers); the item as the store now keeps it.
    Refused, with the reason, when it cannot be published."""
    if item.state == "accepted":
        raise Refused(f"{item.id} is accepted already ({item.accepted})")
    if item.state == "purged":
        raise Refused(f"{item.id} was purged: its text is gone")
    if item.kind in COUNTED_KINDS:
        raise Refused(f"{item.id} is a {item.kind}: it is counted, not published as a reply")
    slug = post or item.post
    if slug is None or slug not in slugs:
        said = f"'{slug}'" if slug else (f"'{item.target}'" if item.target else "no post")
        raise Refused(f"{item.id} answers {said}, which is no post of this site: pass --post SLUG to say which")
    path = write_reply(root, item, slug, zone)
    return replace(item, state="accepted", post=slug, accepted=path.relative_to(root).as_posix())


def mark(item: Pending, state: str) -> Pending:
    """`item` rejected or marked as spam; Refused for one that is accepted (delete its file instead) or purged."""
    if item.state == "accepted":
        raise Refused(f"{item.id} is published ({item.accepted}): delete that file to take it down")
    if item.state == "purged":
        raise Refused(f"{item.id} was purged already")
    return replace(item, state=state)


def purge(store: Store) -> tuple[Store, int]:
    """The store with the text and address of every decided reply dropped (their ids kept, so that a pull does not
    bring them back); how many were purged."""
    kept = {key: purged(item) if item.state in PURGED_STATES else item for key, item in store.items()}
    return kept, sum(item.state in PURGED_STATES for item in store.values())


def pending_from_mail(reply: Any) -> Pending:
    """A `sitegen.inbox.mail.MailReply` as a pending reply, keyed by its Message-ID (or, without one, by what it
    says, so that adding one mailbox twice adds nothing twice)."""
    key = reply.message_id.strip() or "\n".join([reply.email, reply.date.isoformat(), reply.text])
    return Pending(id="em-" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:16], source="email",
                   post=reply.post_slug, target=reply.subject, name=" ".join(reply.name.split()), email=reply.email,
                   date=reply.date.replace(microsecond=0).isoformat(), text=reply.text,
                   source_url=reply.message_id.strip())
