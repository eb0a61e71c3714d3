"""Watching a site's sources with watchfiles: what to watch, what to ignore, and bursts of saves as one change."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

# Editor droppings: vim swap and backup files, emacs lock and auto-save files, JetBrains and VS Code temp files,
# vim's write test '4913', and '*.tmp' files written before a rename.
_EDITOR_TEMP = re.compile(r"(\.sw[a-p]x?|~|\.tmp|\.bak|\.orig|\.crswap)$|^\.#|^#.*#$|^4913$|\.___jb_\w+___$")


class SiteFilter(DefaultFilter):
    """Ignore the output folder, sitegen's own temporary folders and editors' temporary files."""

    def __init__(self, ignore: list[Path]) -> None:
        super().__init__(ignore_paths=[str(p) for p in ignore])

    def __call__(self, change: Change, path: str) -> bool:
        name = Path(path).name
        if _EDITOR_TEMP.search(name) or re.match(r"^\.public\.(tmp|old)-", name):
            return False
        return super().__call__(change, path)


def watched_paths(root: Path, theme_folders: tuple[Path, ...]) -> list[Path]:
    """The site's content, templates, static files, themes and configuration, where they exist."""
    candidates = [root / "content", root / "templates", root / "static", root / "themes",
                  root / "sitegen.yaml", root / "sitegen.yml", *theme_folders]
    found: list[Path] = []
    for path in candidates:
        if path.exists() and not any(path.resolve().is_relative_to(p.resolve()) for p in found):
            found.append(path)
    return found


def watch_changes(paths: list[Path], ignore: list[Path], stop: threading.Event) -> Iterator[set[Path]]:
    """Yield each burst of changes as a set of paths (a burst ends after 5 ms without another event), and an
    empty set every 100 ms without changes, which tells that the watcher is up."""
    for changes in watch(*paths, watch_filter=SiteFilter(ignore), debounce=400, step=5, stop_event=stop,
                         rust_timeout=100, yield_on_timeout=True, raise_interrupt=False):
        yield {Path(path) for _, path in changes}


def start_watcher(root: Path, theme_folders: tuple[Path, ...], ignore: list[Path],
                  on_change: Callable[[set[Path]], None], stop: threading.Event, *,
                  on_error: Callable[[Exception], None], ready_timeout: float = 5.0) -> threading.Thread:
    """Run `on_change` in a background thread for every burst of changes until `stop` is set. Returns once the
    watcher is watching, so no edit made after this call is missed. A folder created later (static/, templates/)
    is watched from then on. An exception raised by `on_change`, or by watching itself, goes to `on_error` and the
    thread goes on: a preview whose watcher died would serve stale pages without a word."""
    ready = threading.Event()

    def changed(paths: set[Path]) -> None:
        try:
            on_change(paths)
        except Exception as exc:  # one failed callback must not end the thread
            on_error(exc)

    def run() -> None:
        paths = watched_paths(root, theme_folders)
        while not stop.is_set():
            try:
                for found in watch_changes(paths, ignore, stop):
                    ready.set()
                    if found:
                        changed(found)
                    if (now := watched_paths(root, theme_folders)) != paths:
                        changed(set(now) - set(paths) or set(paths) - set(now))
                        paths = now
                        break
            except Exception as exc:  # watching failed (a watched folder vanished...): say so, watch again
                on_error(exc)
                stop.wait(0.5)  # not a busy loop if it fails again at once
                paths = watched_paths(root, theme_folders)

    thread = threading.Thread(target=run, name="sitegen-watch", daemon=True)
    thread.start()
    ready.wait(ready_timeout)
    return thread
