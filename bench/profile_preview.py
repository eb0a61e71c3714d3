"""Where a preview rebuild spends its time: sitegen's Preview driven in-process on a generated blog, step by step.

    .venv/bin/python bench/profile_preview.py --posts 10000 [--edits 20] [--cprofile] [--sitegen-rev HEAD]

Generates the sitegen corpus (bench/corpus.py) in a temporary folder, builds it once as `sitegen serve` does, then
edits the newest post `--edits` times and, for each edit, times what the server does between the watcher's report
and the browser's request: `Preview.rebuild` (split into its steps: forget, discover, parse, assemble, plan, ...),
the digest of the open page (`Generation.digest`, which renders it), and garbage collections. It also times the
watcher alone (watchfiles with the parameters of sitegen.watch): from the write to the change being reported.

The steps are found by name in the modules that look them up (STEPS) and wrapped; a step missing from the code
being measured is skipped, so the script keeps working while the code changes. Nothing in sitegen/ is modified.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import importlib
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpus_module

STEPS = {
    # the layout with stage folders: the preview loads the site through build/load.py's load_site
    "sitegen.preview.model": ("_forget", "load_site", "create_environment", "_stylesheets", "_urls_of"),
    "sitegen.build.load": ("load_config", "find_theme", "load_translations", "load_replies", "assemble_site",
                           "discover_static", "claim_routes", "plan_site", "check_links"),
    "sitegen.incremental.parse": ("parse_source",),
    # the flat layout before it, for --sitegen-rev of an older revision
    "sitegen.preview": ("_forget", "discover_sources", "load_posts", "create_environment", "assemble_site",
                        "plan_site", "_stylesheets", "_urls_of"),
    "sitegen.build": ("parse_source",),
}
"""Module -> the steps of a rebuild it looks up by name (module globals, or methods of a class in it)."""

CLOCK = time.perf_counter
"""What steps are timed by: wall time, or with --cpu-clock this thread's CPU time (steadier on a busy machine)."""


class Timer:
    def __init__(self) -> None:
        self.times: dict[str, float] = defaultdict(float)
        self.gc_ms = 0.0
        self.gc_count = 0
        self._gc_started = 0.0

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            started = CLOCK()
            try:
                return function(*args, **kwargs)
            finally:
                self.times[name] += (CLOCK() - started) * 1000

        timed.__wrapped__ = function
        return timed

    def gc_callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = CLOCK()
        else:
            self.gc_ms += (CLOCK() - self._gc_started) * 1000
            self.gc_count += 1 if info.get("generation") == 2 else 0

    def reset(self) -> None:
        self.times.clear()
        self.gc_ms = 0.0
        self.gc_count = 0


def instrument(timer: Timer) -> None:
    """Wrap the rebuild's steps where the code being measured looks them up (module globals, Preview methods)."""
    for module_name, names in STEPS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        preview_class = getattr(module, "Preview", None)
        for name in names:
            if hasattr(module, name) and callable(getattr(module, name)):
                setattr(module, name, timer.wrap(name, getattr(module, name)))
            elif preview_class is not None and hasattr(preview_class, name):
                setattr(preview_class, name, timer.wrap(name, getattr(preview_class, name)))


def _first_module(*names: str):  # type: ignore[no-untyped-def]
    """The first of `names` that imports: the module of today's layout, or the one of an older revision."""
    for name in names[:-1]:
        with contextlib.suppress(ImportError):
            return importlib.import_module(name)
    return importlib.import_module(names[-1])


def watch_latency(root: Path, post: Path, edits: int) -> list[float]:
    """Milliseconds from a write to sitegen's watcher reporting it (watchfiles, as sitegen.watch sets it up)."""
    try:
        watch = _first_module("sitegen.preview.watch", "sitegen.watch")
        watch_changes = watch.watch_changes
    except (ImportError, AttributeError):
        return []
    stop = threading.Event()
    reported: list[float] = []
    ready = threading.Event()
    arrived = threading.Event()

    def run() -> None:
        try:
            changes = watch_changes([root / "content"], [root / "public"], stop)
        except TypeError:
            return
        ready.set()
        for _ in changes:
            reported.append(CLOCK())
            arrived.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    time.sleep(1.0)  # let the watcher set up its watches
    original = post.read_text(encoding="utf-8")
    results: list[float] = []
    for number in range(edits):
        arrived.clear()
        started = CLOCK()
        post.write_text(original + f"\n\nwatch {number}\n", encoding="utf-8")
        if arrived.wait(5):
            results.append((reported[-1] - started) * 1000)
        time.sleep(0.3)
    post.write_text(original, encoding="utf-8")
    stop.set()
    thread.join(5)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the steps of sitegen's preview rebuild on a generated blog.")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--slugs", choices=corpus_module.SLUGS, default="arabic")
    parser.add_argument("--sitegen-src", help="import sitegen from this source tree")
    parser.add_argument("--sitegen-rev", help="import sitegen as of this git revision (exported to a temp folder)")
    parser.add_argument("--cprofile", action="store_true", help="also print a cProfile of the edits' rebuilds")
    parser.add_argument("--cpu-clock", action="store_true",
                        help="time steps by this thread's CPU time instead of wall time (for a busy machine)")
    parser.add_argument("--no-watch", action="store_true", help="skip timing the watcher")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="experiment: gc.freeze() after the initial build (moves what it made out of the GC's "
                        "reach), to see what full collections cost the edits")
    args = parser.parse_args(argv)
    if args.cpu_clock:
        global CLOCK
        CLOCK = time.thread_time

    workdir = Path(tempfile.mkdtemp(prefix="sitegen-profile-"))
    try:
        if args.sitegen_rev:
            from preview import export_revision

            args.sitegen_src = str(export_revision(args.sitegen_rev, workdir / "sitegen-src"))
        if args.sitegen_src:
            sys.path.insert(0, str(Path(args.sitegen_src).resolve()))
        import sitegen

        BuildOptions = _first_module("sitegen.build.run", "sitegen.build").BuildOptions

        print(f"sitegen from {Path(sitegen.__file__).parent}", file=sys.stderr)
        site = corpus_module.generate(args.posts, workdir / "site", "sitegen", slugs=args.slugs)
        root = site.root.resolve()
        post = site.files[site.newest].resolve()
        page = site.url(site.newest)
        timer = Timer()
        instrument(timer)
        preview_module = _first_module("sitegen.preview.model", "sitegen.preview")
        preview = preview_module.Preview(BuildOptions(source=root, output=root / "public", drafts=True, future=True))
        started = CLOCK()
        first = preview.rebuild()
        print(f"initial build: {(CLOCK() - started):.1f} s, {len(first.generation.plan.pages)} pages",
              file=sys.stderr)
        request = preview_module.request_path(page)
        first.generation.digest(request)
        if args.gc_freeze:
            gc.collect()
            gc.freeze()
            print(f"gc.freeze(): {gc.get_freeze_count()} objects frozen", file=sys.stderr)
        gc.callbacks.append(timer.gc_callback)
        original = post.read_text(encoding="utf-8")
        rows: list[dict[str, float]] = []
        profile = cProfile.Profile() if args.cprofile else None
        for number in range(args.edits + 1):
            post.write_text(original + f"\n\nتعديل {number}\n", encoding="utf-8")
            timer.reset()
            if profile:
                profile.enable()
            t0 = CLOCK()
            result = preview.rebuild({post})
            t1 = CLOCK()
            result.generation.digest(request)  # what broadcast_rebuild does for the open tab: renders the page
            t2 = CLOCK()
            for path in ("style.css", "highlight.css"):  # what the reloaded page asks for next
                with contextlib.suppress(Exception):
                    result.generation.render(path)
            t3 = CLOCK()
            if profile:
                profile.disable()
            if number == 0:
                continue  # warm-up
            row = dict(timer.times)
            row["rebuild total"] = (t1 - t0) * 1000
            row["digest (renders the open page)"] = (t2 - t1) * 1000
            row["style.css + highlight.css"] = (t3 - t2) * 1000
            row["gc (all generations)"] = timer.gc_ms
            row["gen-2 collections"] = timer.gc_count
            rows.append(row)
        post.write_text(original, encoding="utf-8")
        gc.callbacks.remove(timer.gc_callback)

        names = list(dict.fromkeys(name for row in rows for name in row))
        print(f"\nsitegen preview, {args.posts} posts, {args.edits} edits of the newest post "
              f"(milliseconds per edit):\n")
        print("| step | median | max | mean |\n| --- | ---: | ---: | ---: |")
        for name in names:
            values = [row.get(name, 0.0) for row in rows]
            print(f"| {name} | {statistics.median(values):.1f} | {max(values):.1f} | {statistics.mean(values):.1f} |")
        if not args.no_watch:
            latencies = watch_latency(root, post, 10)
            if latencies:
                print(f"| watcher: write -> change reported | {statistics.median(latencies):.1f} | "
                      f"{max(latencies):.1f} | {statistics.mean(latencies):.1f} |")
        if profile:
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(25)
            text = out.getvalue().replace(str(Path(sitegen.__file__).parent.parent) + os.sep, "")
            print("\ncProfile of the edits (rebuild, digest, CSS):\n")
            print(text)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
