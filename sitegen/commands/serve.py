"""`sitegen serve`: the live preview. Builds the site in memory, serves it, and shows every edit in the open
browser; a broken edit is shown there too, never fatal."""

from __future__ import annotations

import argparse
import gc
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ..build.run import BuildOptions
from ..errors import internal_error_report
from ..preview.model import Preview
from ..preview.server import LiveServer, bind
from ..preview.watch import start_watcher
from ..render.schedule import schedule_notes
from ..sources.config import find_config, load_config
from ..sources.theme import find_theme
from . import report


def run(args: argparse.Namespace) -> int:
    def out(line: str) -> None:
        print(line, flush=True)

    def err(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if find_config(args.source) is None:  # no site here (a broken configuration is shown in the browser instead)
        report(load_config(args.source)[1], args.source)  # what `sitegen build` says
        return 1
    try:
        return run_preview(args.source, args.host, args.port, drafts=not args.no_drafts, navigate=args.navigate,
                           open_browser=args.open, out=out, err=err, debug=args.debug)
    except OSError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 1


def run_preview(root: Path, host: str, port: int, *, drafts: bool, navigate: bool, open_browser: bool,
                out: Callable[[str], None], err: Callable[[str], None], debug: bool = False) -> int:
    """Build, serve and watch until Ctrl-C; a broken edit, or an internal error in a rebuild, is shown in the
    browser and on the terminal, never fatal (`debug` adds the traceback to an internal error's report)."""
    preview = Preview(BuildOptions(source=root, output=root / "public", drafts=drafts, future=True), debug=debug)
    stop = threading.Event()
    server: LiveServer | None = None
    pending: list[set[Path]] = []

    def on_change(changed: set[Path]) -> None:
        if server is None:  # still starting: the first build below sees these files
            pending.append(changed)
            return
        result = preview.rebuild(changed)
        if result.generation is None:
            err(result.failure)
        else:
            names = ", ".join(sorted(_relative(p, root) for p in changed))[:200]
            out(f"rebuilt in {result.seconds * 1000:.0f} ms: {names}")
        server.broadcast_rebuild(result)

    theme_folders = find_theme(load_config(root)[0])[0].folders
    start_watcher(root, theme_folders, [root / "public", root / ".sitegen-cache"], on_change, stop,
                  on_error=lambda exc: err(internal_error_report(exc, root, debug=debug)))
    # The first build may fork workers to parse what .sitegen-cache/ lacks: no HTTP thread runs yet, and the
    # watcher's thread only waits in watchfiles or records changes in `pending`, so no lock a worker needs is held.
    first = preview.rebuild()
    # From now on rebuilds run in the watcher's thread while the server's threads render pages: forking then could
    # copy a lock one of them holds into the workers. A later build from scratch (the configuration changed) still
    # uses the build cache, but parses what it lacks in this process.
    preview.workers = 1
    # The parsed site lives as long as the server: frozen, full collections never walk it on an edit. No collection
    # first: a build leaves no garbage in cycles (0 objects found at 10,000 posts), and one took 130 ms of the start.
    gc.freeze()
    if first.generation is None:
        err(first.failure)
    try:
        server = bind(host, port, preview, navigate=navigate)
    except OSError:
        stop.set()
        raise
    urls = server.urls()
    pages = len(first.generation.plan.pages) if first.generation else 0
    out(f"serving {pages} pages at {' and '.join(urls)} (built in {first.seconds * 1000:.0f} ms); Ctrl-C to stop")
    for note in schedule_notes(first.generation.site) if first.generation else ():
        out(f"note: {note}")
    if pending:  # edits made while the first build ran
        on_change(set().union(*pending))

    if open_browser:
        import webbrowser

        webbrowser.open(urls[0])
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        out("stopped")
    finally:
        stop.set()
        server.close()
    return 0


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
