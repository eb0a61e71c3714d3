"""What several test modules share: the repository's paths and clocks, running the CLI (in this process, in a process
forked from this one, or as `python -m sitegen` as a user does), making small sites, reading built trees, and running
`sitegen serve`.

Fixtures live in conftest.py; test modules import from here, never from one another.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
UPDATE_GOLDEN = os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1"
FIXED_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: the golden sites' clock
SAMPLE_EPOCH = "1893456000"  # 2030-01-01T00:00:00Z: the sample blog's clock (every post in the past)
GOLDEN_BASIC = ROOT / "tests" / "sites" / "basic" / "expected"
"""The golden tree of tests/sites/basic, as test_golden_sites.py checks the real CLI still makes it."""


# --- running the CLI ----------------------------------------------------------------------------------------------

def run_sitegen(*args: str | Path, cwd: Path | None = None,
                epoch: str = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    """Run `python -m sitegen ARGS` in a new interpreter, as a user would, with a fixed clock: for what the entry point
    itself must show (one end-to-end run per area, what the interpreter prints). A build that must run in a process
    of its own (to be killed mid-way) uses `run_forked`; everything else `run_cli`, in this process."""
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
                   r"over)?\n(?:note: .*\n)*")


def pages_built(stdout: str) -> tuple[int, int]:
    """(pages in the site, pages carried over unchanged) from a successful build's summary line."""
    match = BUILT.fullmatch(stdout)
    assert match, stdout
    return int(match[1]), int(match[3] or 0)


# --- small sites --------------------------------------------------------------------------------------------------

CONFIG = "title: t\nbase_url: https://example.org/\ntimezone: Asia/Riyadh\n"
POST = "---\ntitle: t\ndate: 2025-03-01\n"
MTIME = 1735689600  # 2025-01-01: every file's modification time, for the "no date" warning's hint

@dataclass(frozen=True, slots=True)
class Link:
    """A symbolic link to `target`, as written in it (relative to the link's folder, or absolute)."""

    target: str


Files = dict[str, "str | bytes | Link | None"]
"""A site's files by path relative to its root, with their text, bytes or link (None: no such file). A name that is
not UTF-8 is written with Python's escapes for such bytes: 'caf\\udce9.md' is the file named b'caf\\xe9.md'."""


def make_site(root: Path, files: Files) -> Path:
    """A site in `root`: the standard configuration, then `files` (None deletes one)."""
    (root / "sitegen.yaml").write_text(CONFIG)
    for relative, text in files.items():
        write_file(root / relative, text)
    return root


def write_file(path: Path, content: str | bytes | Link | None, *, dated: bool = True) -> None:
    """Write one file of `Files` (with its folders), make the link, or delete what is there (None); a file written
    is `dated` MTIME."""
    if content is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Link):
        path.symlink_to(content.target)
        return
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    if dated:
        os.utime(path, (MTIME, MTIME))


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


def hidden_leftovers(output: Path, *, lock: bool = False) -> list[str]:
    """Staging, moved-aside or journal folders of a build beside the output folder (`.public.tmp-*`...); with `lock`,
    the lock file too (`.public.sitegen-lock`: a killed build leaves it, unlocked, and the next build removes it)."""
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}")
                  and (lock or not p.name.endswith(".sitegen-lock")))


def strict_html(data: bytes):  # type: ignore[no-untyped-def]
    """Parse a page as a browser would, failing on any HTML parse error; the <html> element."""
    import html5lib

    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag of `markup` with its attributes, in order, as a browser's tokenizer reads them."""
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.tags


HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
           "[x](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))", "<a href='javascript:x'>x</a>",
           "<svg onload=alert(1)>", "[x](data:text/html;base64,PHNjcmlwdD4=)", '" onmouseover="x', "<style>*{}</style>",
           "<iframe src=//evil>", "![i](javascript:alert(1))", "<https://ok.example/>", "**b**", "\n\n", "`<b>`",
           "[ok](https://ok.example/ \"t\")", "&lt;script&gt;", "<!-- c -->", "javascript:alert(1)"]
"""Pieces of hostile reply text (scripts, event attributes, javascript: and data: URLs, Markdown that makes them):
hypothesis strings built of them must render with none of it left, by every road a reply takes to a page."""


# --- processes of their own, forked from this one ------------------------------------------------------------------

class Forked:
    """A process forked from this one that runs `target()` and exits with the status it returns: a process of its own,
    which can be signalled or killed -9 mid-way, without a new interpreter's start-up and imports (sitegen is imported
    here already). Its standard output and error go to `stdout` and `stderr` (file descriptors; the same one merges
    them); its standard input is empty. The child never returns into the tests: it leaves by os._exit."""

    def __init__(self, target: Callable[[], int | None], *, stdout: int, stderr: int,
                 env: dict[str, str] | None = None) -> None:
        self.returncode: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the child
            code = 1
            try:
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.dup2(stdout, 1)
                os.dup2(stderr, 2)
                sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the process's own streams, as at start-up
                sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", buffering=1,  # noqa: SIM115
                                  closefd=False)
                os.environ.update(env or {})
                try:
                    returned = target()
                    code = 0 if returned is None else returned
                except SystemExit as exit:
                    code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
                except BaseException:
                    import traceback

                    traceback.print_exc()
            finally:
                with contextlib.suppress(BaseException):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while (code := self.poll()) is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"forked process {self.pid}", timeout)
            time.sleep(0.005)
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)


def run_forked(target: Callable[[], int | None], *, timeout: float = 60,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `target()` in a forked process (see Forked) until it ends: its exit status (minus the signal that killed
    it), stdout and stderr, as subprocess.run gives them."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = Forked(target, stdout=out.fileno(), stderr=err.fileno(), env=env)
        try:
            code = child.wait(timeout)
        finally:
            if child.returncode is None:
                child.send_signal(9)
                child.wait(10)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(["forked"], code, out.read().decode(), err.read().decode())


def told(client: Any) -> list[dict[str, object]]:
    """Every message waiting for a preview tab (`sitegen.preview.tabs.Client`), in order."""
    import queue

    messages: list[dict[str, object]] = []
    while True:
        try:
            message = client.messages.get_nowait()
        except queue.Empty:
            return messages
        assert message is not None
        messages.append(message)


# --- the preview server -------------------------------------------------------------------------------------------

class Server:
    """`sitegen serve` of `site` on a free port, in a process of its own: forked from this one and running sitegen's
    CLI (`main`), or with `python_m=True` started as `python -m sitegen serve`, as a user does. What it prints is
    collected."""

    def __init__(self, site: Path, *args: str, python_m: bool = False) -> None:
        self.site = site
        argv = ["serve", "--source", str(site), "--port", "0", *args]
        self.process: subprocess.Popen[str] | None = None
        self.forked: Forked | None = None
        if python_m:
            env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
            self.process = subprocess.Popen([sys.executable, "-m", "sitegen", *argv], stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True, env=env)
            assert self.process.stdout is not None
            self.output = self.process.stdout
        else:
            from sitegen.cli import main

            reading, writing = os.pipe()
            try:
                self.forked = Forked(lambda: main(argv), stdout=writing, stderr=writing)
            finally:
                os.close(writing)
            self.output = open(reading, encoding="utf-8")  # noqa: SIM115 - closed by stop()
        line = self.output.readline()
        match = re.search(r"at (http://\S+/)", line)
        if not match:
            self._end(9)
            raise RuntimeError(f"sitegen serve did not start: {line}{self._rest()}")
        self.url = match.group(1)

    def stop(self) -> str:
        """Stop the server (SIGTERM, then SIGKILL after 10 s); what it printed after its first line."""
        self._end(15)
        return self._rest()

    def _end(self, signum: int) -> None:
        if self.process is not None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        elif self.forked is not None:
            self.forked.send_signal(signum)
            try:
                self.forked.wait(10)
            except subprocess.TimeoutExpired:
                self.forked.send_signal(9)
                self.forked.wait(10)

    def _rest(self) -> str:
        with self.output:
            return self.output.read()


def connect(url: str, timeout: float = 10) -> http.client.HTTPConnection:
    """An HTTP connection to the server at `url` ('http://127.0.0.1:8000/', 'http://[::1]:8000/')."""
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None, url
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def get(server: Server, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request to the server, the path sent as it is (no client-side normalisation of '..'): (status, headers,
    body)."""
    connection = connect(server.url)
    connection.request(method, path)  # sent as is: no client-side normalisation of '..'
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def events(server: Server, page: str, into: list[dict[str, object]], stop: threading.Event, extra: str = "",
           ready: threading.Event | None = None) -> None:
    """Collect the server's messages for a tab showing `page`; `ready` is set once the server has registered the
    tab (its first line, `retry:`, is written after that)."""
    connection = connect(server.url, timeout=15)
    connection.request("GET", "/__sitegen/events?path=" + quote(page) + extra)
    response = connection.getresponse()
    while not stop.is_set():
        line = response.fp.readline()
        if not line:
            break
        if line.startswith(b"retry:") and ready is not None:
            ready.set()
        if line.startswith(b"data: "):
            into.append(json.loads(line[6:]))


def subscribe(server: Server, page: str, into: list[dict[str, object]], stop: threading.Event,
              extra: str = "") -> None:
    """A tab listening for `page`, registered with the server before this returns (an edit made earlier would
    reach no tab: a race, not a bug)."""
    ready = threading.Event()
    threading.Thread(target=events, args=(server, page, into, stop, extra, ready), daemon=True).start()
    assert ready.wait(10), "the server did not register the tab"


def wait_until(condition: Callable[[], object], timeout: float = 10.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
