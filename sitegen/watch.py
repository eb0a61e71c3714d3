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
    """Yield each burst of changes as a set of paths; a burst ends after 15 ms without another event."""
    for changes in watch(*paths, watch_filter=SiteFilter(ignore), debounce=400, step=15, stop_event=stop,
                         rust_timeout=500, raise_interrupt=False):
        yield {Path(path) for _, path in changes}


def start_watcher(paths: list[Path], ignore: list[Path], on_change: Callable[[set[Path]], None],
                  stop: threading.Event) -> threading.Thread:
    """Run `on_change` in a background thread for every burst of changes until `stop` is set."""

    def run() -> None:
        for changed in watch_changes(paths, ignore, stop):
            on_change(changed)

    thread = threading.Thread(target=run, name="sitegen-watch", daemon=True)
    thread.start()
    return thread
