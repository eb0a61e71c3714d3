"""The pending store: `content/replies/_pending.jsonl`, one reply a line, in date order, keys sorted.

One line a reply keeps a pull or a decision a one-line change in a diff; the leading '_' keeps the file out of
`load_replies`, and nothing under `content/replies` is ever published. The file is written whole to a temporary
file and renamed over the old one, so an interrupted write leaves the old store as it was. A run that changes the
store holds its lock (`store_lock`) from reading it to writing it, so two runs at once cannot lose a decision.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import SourceError
from ..filelock import file_lock
from ..sources.replies import REPLIES_DIR
from .model import Pending, pending_from_dict, pending_to_dict

STORE = REPLIES_DIR / "_pending.jsonl"
LOCK = REPLIES_DIR / "_pending.lock"
"""Held by the run that changes the store; removed when it is done."""
WAIT = 5.0
"""Seconds a run waits for another to finish with the store before it gives up."""

Store = dict[str, Pending]
"""Pending replies by id."""


def load_store(root: Path) -> tuple[Store, list[SourceError]]:
    """Read the store (empty when there is none); a line that cannot be read is an error at its line."""
    path = root / STORE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [SourceError(path, f"cannot read the pending replies: {exc.strerror or exc}")]
    return parse_store(raw, path)


def parse_store(raw: bytes, path: Path) -> tuple[Store, list[SourceError]]:
    """The store's records by id, and every line that is not one."""
    items: Store = {}
    errors: list[SourceError] = []
    hint = "fix the line by hand, or restore the file from git"
    for number, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            errors.append(SourceError(path, f"not a JSON record: {exc}", number, hint=hint))
            continue
        item = pending_from_dict(record)
        if isinstance(item, str):
            errors.append(SourceError(path, item, number, hint=hint))
        elif item.id in items:
            errors.append(SourceError(path, f"the reply {item.id} is in the store twice", number, hint=hint))
        else:
            items[item.id] = item
    return items, errors


def render_store(items: Iterable[Pending]) -> str:
    """The store's text: oldest first (a pull adds lines at the end), then by id; keys sorted."""
    ordered = sorted(items, key=lambda item: (item.date, item.id))
    return "".join(json.dumps(pending_to_dict(item), ensure_ascii=False, sort_keys=True) + "\n" for item in ordered)


def write_store(root: Path, items: Iterable[Pending]) -> Path:
    """Replace the store with `items`, atomically; raise OSError when it cannot be written."""
    path = root / STORE
    write_atomically(path, render_store(items))
    return path


def write_atomically(path: Path, text: str, *, public: bool = False) -> None:
    """Replace `path` with `text` through a temporary file renamed over it, so a reader sees the old or the new
    text, never a part; raise OSError when it cannot be written. The file is readable by its owner only (the store
    holds readers' addresses) unless `public`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        if public:
            os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def merge_pulled(store: Store, pulled: Iterable[Pending]) -> tuple[Store, list[Pending]]:
    """The store with what a pull brought that it did not hold yet (by id); those new items. What the store holds
    is kept as it is: a decision taken, or a purge, is not undone by pulling again."""
    merged = dict(store)
    added = []
    for item in pulled:
        if item.id not in merged:
            merged[item.id] = item
            added.append(item)
    return merged, added


@contextlib.contextmanager
def store_lock(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the store's lock while the block runs: a `file_lock` on `content/replies/_pending.lock`. When another
    run holds it, wait up to `wait` seconds (WAIT), then raise LockBusy. OSError when the lock file cannot be made."""
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path, wait=WAIT if wait is None else wait):
        yield
