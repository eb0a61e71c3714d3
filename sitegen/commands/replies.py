"""`sitegen replies`: pull what readers sent (Netlify's reply form, webmentions), add emails, list what waits,
and accept, reject or mark it as spam, by id or one by one on a terminal. Only `pull` and `spam` reach the
network; everything is kept in the pending store, so a build never needs it, and each post's counts of likes and
reposts are written beside its replies. A run that changes the store holds its lock throughout, so two at once take
turns."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import SourceError
from ..filelock import LockBusy
from ..inbox.accept import Refused
from ..inbox.counts import FIELDS, mention_counts, write_mention_counts
from ..inbox.fetch import FetchError
from ..inbox.model import COUNTED_KINDS, Pending
from ..inbox.moderate import accept, mark, pending_from_mail, purge, resolve_ids
from ..inbox.posts import PostIndex, load_post_refs, load_post_urls
from ..inbox.store import LOCK, STORE, Store, load_store, merge_pulled, store_lock, write_store
from ..sources.config import Config, load_config
from . import report, shown

SHOWN_TEXT = 400
"""How much of a reply's text the list shows."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a reader could put in a reply to rewrite the author's terminal (escape sequences) or reorder a line."""

Ask = Callable[[str], str]


def run(args: argparse.Namespace) -> int:
    root: Path = args.source
    config, errors = load_config(root)
    if any(e.severity == "error" for e in errors):
        report(errors, root)
        return 1
    action = args.action or "list"
    if action == "list":  # reads only: the store is replaced whole, never seen half-written
        store = _load(root)
        return 1 if store is None else list_replies(store, show_all=args.all)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(store_lock(root))
        except LockBusy as busy:
            holder = f" (process {busy.pid})" if busy.pid else ""
            print(f"sitegen: another `sitegen replies` is changing the pending replies of this site{holder}; try "
                  "again when it has finished (nothing was changed)", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"sitegen: cannot lock {shown(root / LOCK)}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        return _change(config, args, action)


def _change(config: Config, args: argparse.Namespace, action: str) -> int:
    """The actions that change the store, run while holding its lock: read it, decide, write it."""
    store = _load(config.root)
    if store is None:
        return 1
    if action == "pull":
        return pull(config, store, args.only)
    if action == "add":
        return add(config, store, args.files)
    if action == "purge":
        kept, count = purge(store)
        _save(config.root, kept)
        print(f"purged {count} decided replies (their ids are kept, so a pull does not bring them back)")
        return 0
    if action == "review":
        return review(config, store, input)
    items, problems = resolve_ids(store, args.ids)
    if problems:
        for problem in problems:
            print(f"sitegen: {problem}", file=sys.stderr)
        return 1
    return decide(config, store, items, action, getattr(args, "post", None))


def _load(root: Path) -> Store | None:
    store, errors = load_store(root)
    if errors:
        report(errors, root)
        print(f"sitegen: the pending replies ({STORE.as_posix()}) cannot be read; nothing was changed",
              file=sys.stderr)
        return None
    return store


def list_replies(store: Store, *, show_all: bool) -> int:
    """Print the replies waiting (every one with --all), then the counted likes and what a purge would drop."""
    shown_items = sorted((item for item in store.values() if show_all or item.state == "pending"),
                         key=lambda item: (item.date, item.id))
    for item in shown_items:
        print(describe(item))
    waiting = sum(item.state == "pending" for item in store.values())
    if not waiting:
        print("no replies waiting" + ("" if store else " (`sitegen replies pull` fetches new ones)"))
    for post, mentions in sorted(mention_counts(store, unmatched=True).items()):
        counts = sorted((kind, n) for kind, field in FIELDS.items() if (n := getattr(mentions, field)))
        if counts:
            print(f"{_safe(post)}: " + ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in counts))
    decided = sum(item.state in ("rejected", "spam") for item in store.values())
    if decided and not show_all:
        print(f"{decided} rejected or spam kept (`sitegen replies --all` shows them, `sitegen replies purge` drops "
              "them)")
    return 0


def describe(item: Pending) -> str:
    """A reply as the list shows it: id, date, post, who, the source's verdict, then its text indented."""
    post = item.post or f"? ({item.target or 'no post given'})"
    who = item.name or "(no name)"
    if item.email:
        who += f" <{item.email}>"
    flags = [flag for flag, on in (("SPAM by Netlify", item.spam), (item.state, item.state != "pending"),
                                   (item.kind, item.kind != "reply")) if on]
    head = f"{item.id}  {item.date[:16].replace('T', ' ')}  {post}  {who}" + (f"  [{', '.join(flags)}]"
                                                                            if flags else "")
    text = item.text if len(item.text) <= SHOWN_TEXT else item.text[:SHOWN_TEXT] + "…"
    lines = [_safe(head), *("    " + _safe(line) for line in text.splitlines() if line.strip())]
    if item.source_url and item.source == "webmention":
        lines.append("    from " + _safe(item.source_url))
    return "\n".join(lines)


def pull(config: Config, store: Store, only: str | None) -> int:
    """Fetch what is new from Netlify and the webmention endpoint; the store is written only when all succeeded."""
    from ..inbox.netlify import pull_submissions
    from ..inbox.webmentions import last_id, pull_mentions

    environ = dict(os.environ)
    posts, problems = load_post_urls(config)
    report(problems, config.root)
    index = PostIndex.build(posts)
    pulled: list[Pending] = []
    netlify = only in (None, "netlify") and config.reply_form
    webmention = only in (None, "webmention") and bool(config.webmention)
    if not netlify and not webmention:
        print("sitegen: nothing to pull from: the reply form is off (`reply_form: false`) and no `webmention:` "
              "endpoint is configured", file=sys.stderr)
        return 1
    try:
        if netlify:
            submissions, note = pull_submissions(config.root, index, environ)
            pulled.extend(submissions)
            if note:
                print(f"note: {note}")
        if webmention:
            pulled.extend(pull_mentions(config, index, environ, last_id(list(store.values()))))
    except FetchError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 1
    merged, added = merge_pulled(store, pulled)
    if added:
        _save(config.root, merged)
    print(_pulled_summary(added))
    _write_counts(config, merged, set(posts.values()))
    return 0


def add(config: Config, store: Store, files: list[Path]) -> int:
    """Read emails (.eml or mbox) as pending replies to the posts they answer."""
    from ..inbox.mail import read_mail  # type: ignore[import-untyped, import-not-found, unused-ignore]

    urls, titles, problems = load_post_refs(config)
    report(problems, config.root)
    posts = {**titles, **urls}  # read_mail tells a URL from a title by its start
    errors: list[SourceError] = []
    found: list[Pending] = []
    for path in files:
        replies, mail_errors = read_mail(path, posts)
        errors.extend(mail_errors)
        found.extend(pending_from_mail(reply) for reply in replies)
    report(errors, config.root)
    merged, added = merge_pulled(store, found)
    if added:
        _save(config.root, merged)
    print(_pulled_summary(added).replace("pulled", "added", 1))
    return 1 if any(e.severity == "error" for e in errors) else 0


def decide(config: Config, store: Store, items: list[Pending], action: str, post: str | None) -> int:
    """Accept, reject or mark as spam each of `items`; the store is written once with every decision that held."""
    slugs = set(load_post_urls(config)[0].values()) if action == "accept" else set()
    changed = dict(store)
    failed = 0
    for item in items:
        try:
            changed[item.id] = _apply(config, item, action, slugs, post)
        except (Refused, FetchError) as exc:
            print(f"sitegen: {exc}", file=sys.stderr)
            failed += 1
        except OSError as exc:
            print(f"sitegen: cannot write the reply file of {item.id}: {exc.strerror or exc}", file=sys.stderr)
            failed += 1
        else:
            print(_done(changed[item.id]))
    if changed != store:
        _save(config.root, changed)
    if mention_counts(changed) != mention_counts(store):
        _write_counts(config, changed, slugs or set(load_post_urls(config)[0].values()))
    return 1 if failed else 0


def review(config: Config, store: Store, ask: Ask) -> int:
    """One pending reply at a time: accept, reject, spam, skip or quit; each decision saved as it is taken."""
    slugs = set(load_post_urls(config)[0].values())
    waiting = sorted((item for item in store.values() if item.state == "pending"), key=lambda i: (i.date, i.id))
    if not waiting:
        print("no replies waiting")
        return 0
    actions = {"a": "accept", "r": "reject", "s": "spam"}
    for number, item in enumerate(waiting, 1):
        print(f"\n({number}/{len(waiting)}) {describe(item)}")
        while True:
            try:
                answer = ask("[a]ccept, [r]eject, [s]pam, [n]ext, [q]uit? ").strip().lower()[:1]
            except EOFError:
                answer = "q"
            if answer in actions or answer in ("n", "q"):
                break
        if answer == "q":
            break
        if answer == "n":
            continue
        try:
            store = {**store, item.id: _apply(config, item, actions[answer], slugs, None)}
        except (Refused, FetchError) as exc:
            print(f"sitegen: {exc}", file=sys.stderr)
            continue
        _save(config.root, store)
        print(_done(store[item.id]))
    return 0


def _apply(config: Config, item: Pending, action: str, slugs: set[str], post: str | None) -> Pending:
    if action == "accept":
        return accept(config.root, item, slugs, config.zone, post)
    if action == "spam" and item.source == "netlify" and not item.spam and item.state != "spam":
        from ..inbox.netlify import report_spam

        decided = mark(item, "spam")
        report_spam(item.id.removeprefix("nf-"), dict(os.environ))
        return decided
    return mark(item, "rejected" if action == "reject" else action)


def _done(item: Pending) -> str:
    if item.state == "accepted":
        return f"{item.id}: accepted -> {item.accepted}"
    reported = " (reported to Netlify)" if item.state == "spam" and item.source == "netlify" and not item.spam else ""
    return f"{item.id}: {item.state}{reported}; kept in {STORE.as_posix()} until `sitegen replies purge`"


def _pulled_summary(added: list[Pending]) -> str:
    replies = [item for item in added if item.kind not in COUNTED_KINDS]
    spam = sum(item.spam for item in replies)
    counted = len(added) - len(replies)
    parts = [f"pulled {len(replies)} new {'reply' if len(replies) == 1 else 'replies'}"]
    if spam:
        parts.append(f"{spam} of them spam by Netlify's filter")
    if counted:
        parts.append(f"{counted} likes or reposts")
    return ", ".join(parts) + ("; `sitegen replies` lists them" if replies else "")


def _write_counts(config: Config, store: Store, slugs: set[str]) -> None:
    """Write each post's counts of likes, reposts and bookmarks where the build reads them."""
    try:
        changed = write_mention_counts(config.root, store, slugs)
    except OSError as exc:
        raise SystemExit(f"sitegen: cannot write the counts of likes: {exc.strerror or exc}") from None
    if changed:
        names = [path.relative_to(config.root).as_posix() for path in changed]
        print(f"updated the likes and reposts of {len(names)} {'post' if len(names) == 1 else 'posts'} "
              f"({', '.join(names[:3])}{', ...' if len(names) > 3 else ''})")


def _save(root: Path, store: Store) -> None:
    try:
        write_store(root, store.values())
    except OSError as exc:
        raise SystemExit(f"sitegen: cannot write {shown(root / STORE)}: {exc.strerror or exc}") from None


def _safe(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)
