"""What several test modules share: the repository's paths and clocks, running the CLI (in this process, or as a
separate process as a user would), making small sites, reading built trees, and running `sitegen serve`.

Fixtures live in conftest.py; test modules import from here, never from one another. This module imports nothing
heavy at its top (sitegen's CLI, html5lib), so processes started by the tests may import it too.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitegen.output import Stage

ROOT = Path(__file__).resolve().parents[1]
UPDATE_GOLDEN = os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1"
FIXED_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: the golden sites' clock
SAMPLE_EPOCH = "1893456000"  # 2030-01-01T00:00:00Z: the sample blog's clock (every post in the past)
GOLDEN_BASIC = ROOT / "tests" / "sites" / "basic" / "expected"
"""The golden tree of tests/sites/basic, as test_golden_sites.py checks the real CLI still makes it."""


# --- running the CLI ----------------------------------------------------------------------------------------------

def run_sitegen(*args: str | Path, cwd: Path | None = None,
                epoch: str = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    """Run `python -m sitegen ARGS` as a separate process, as a user would, with a fixed clock. For what needs the
    real entry point or a process of its own (signals, tracebacks); everything else uses `run_cli`."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def run_cli(*args: str | Path, cwd: Path | None = None, epoch: str = FIXED_EPOCH) -> tuple[int, str, str]:
    """`sitegen ARGS` in this process (in `cwd`, when given), with a fixed clock: (exit status, stdout, stderr).
    What it prints is what `run_sitegen` prints: paths are shown relative to the current folder in both. An exception
    that `main` lets through fails the test with its traceback, where the real CLI would print it."""
    from sitegen.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        with redirect_stdout(out), redirect_stderr(err), contextlib.chdir(cwd or Path.cwd()):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exit:  # argparse: --help, --version, a usage error
                code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return code, out.getvalue(), err.getvalue()


def build_ok(*args: str | Path, cwd: Path | None = None, epoch: str = FIXED_EPOCH) -> str:
    """`sitegen build ARGS` in this process, which must succeed: its stdout."""
    code, stdout, stderr = run_cli("build", *args, cwd=cwd, epoch=epoch)
    assert code == 0, stderr
    return stdout


BUILT = re.compile(r"built (\d+) pages \((\d+) files\) in \d+\.\d\d s -> \S.*?(?:; (\d+) unchanged pages carried "
                   r"over)?\n")


def pages_built(stdout: str) -> tuple[int, int]:
    """(pages in the site, pages carried over unchanged) from a successful build's summary line."""
    match = BUILT.fullmatch(stdout)
    assert match, stdout
    return int(match[1]), int(match[3] or 0)


# --- small sites --------------------------------------------------------------------------------------------------

CONFIG = "title: t\nbase_url: https://example.org/\ntimezone: Asia/Riyadh\n"
POST = "---\ntitle: t\ndate: 2025-03-01\n"
MTIME = 1735689600  # 2025-01-01: every file's modification time, for the "no date" warning's hint

Files = dict[str, "str | bytes | None"]


def make_site(root: Path, files: Files) -> Path:
    """A site in `root`: the standard configuration, then `files` (None deletes one)."""
    (root / "sitegen.yaml").write_text(CONFIG)
    for relative, text in files.items():
        path = root / relative
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        os.utime(path, (MTIME, MTIME))
    return root


def copy_site(name: str, folder: Path) -> Path:
    """Copy the site tests/sites/NAME (without its golden trees and output) into `folder`; returns its copy."""
    import shutil

    dest = folder / name
    shutil.copytree(ROOT / "tests" / "sites" / name, dest, ignore=shutil.ignore_patterns("expected*", "public"))
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Change a file as an editor saves it; `old` must be in it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- reading what was built ---------------------------------------------------------------------------------------

def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden_leftovers(output: Path) -> list[str]:
    """Staging, moved-aside or journal folders of a build beside the output folder (`.public.tmp-*`...)."""
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}"))


def strict_html(data: bytes):  # type: ignore[no-untyped-def]
    """Parse a page as a browser would, failing on any HTML parse error; the <html> element."""
    import html5lib

    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)


# --- the patch-mode sample of test_output.py (also imported by the processes that test kills) --------------------

OLD = {
    "index.html": b"<h1>home</h1>",
    "style.css": b"body {}",
    "posts/a/index.html": b"post a",
    "posts/b/index.html": b"post b",
    "tags/x/index.html": b"tag x",
    "img/logo.png": b"\x89PNG logo",
    "feed": b"old feed file",
    "notes/index.html": b"old notes folder",
}
NEW = {
    "index.html": b"<h1>home, edited</h1>",  # changed
    "style.css": b"body {}",  # written again, same bytes
    "posts/a/index.html": b"post a",  # kept
    "posts/b/index.html": b"post b",  # kept
    "posts/c/index.html": b"post c",  # new, in a new folder
    "img/logo.png": b"\x89PNG logo",  # copied, same bytes
    "robots.txt": b"User-agent: *",  # copied, new
    "feed/atom.xml": b"<feed/>",  # a folder where a file was
    "notes": b"a file where a folder was",
}  # gone: tags/x/index.html (and tags/), feed, notes/index.html


def write_new_site(stage: Stage, sources: Path) -> None:
    """What a build does with a Stage (sitegen.output): keep, write and copy every file of NEW, then name them all."""
    for path in ("posts/a/index.html", "posts/b/index.html"):
        if not stage.keep(path):
            stage.write(path, NEW[path])
    for path in ("index.html", "style.css", "posts/c/index.html", "feed/atom.xml", "notes"):
        stage.write(path, NEW[path])
    for path in ("img/logo.png", "robots.txt"):
        source = sources / path.replace("/", "_")
        source.write_bytes(NEW[path])
        stage.copy(path, source)
    stage.finish(NEW)


# --- the preview server -------------------------------------------------------------------------------------------

class Server:
    """A `sitegen serve` process on a free port; its printed lines are collected."""

    def __init__(self, site: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--source", str(site), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        line = self.process.stdout.readline() if self.process.stdout else ""
        match = re.search(r"at (http://\S+/)", line)
        if not match:
            self.process.kill()
            rest = self.process.stdout.read() if self.process.stdout else ""
            raise RuntimeError(f"sitegen serve did not start: {line}{rest}")
        self.url = match.group(1)
        self.site = site

    def stop(self) -> str:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out


def wait_until(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
