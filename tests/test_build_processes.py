"""A build among other processes: its worker processes die with it whatever kills it, its lock on the output folder
cannot outlive it, a build waiting for another says so, concurrent builds give the output of the one that commits
last, and a rebuild trusts the output folder only when it can prove it wrote it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import sitegen.build.run
import sitegen.output.stage
import sitegen.render.pages
from sitegen.cli import main
from sitegen.output.stage import output_lock

from .helpers import FIXED_EPOCH, Forked, build_ok, edit, hidden_leftovers, pages_built, read_tree, run_forked

POSTS = 240
"""Enough pages for a build to render them in worker processes (it forks from 96 pages of work on)."""


def many_posts(site: Path) -> Path:
    for number in range(POSTS):
        (site / f"content/posts/p{number}.md").write_text(
            f"---\ntitle: مقال {number}\ndate: 2024-01-{number % 28 + 1:02d}\n---\nنص المقال {number}.\n",
            encoding="utf-8")
    return site


def cold_tree(site: Path, tmp_path: Path, *args: str) -> dict[str, bytes]:
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    build_ok("--source", site, "--output", out, "--no-cache", *args)
    return read_tree(out)


def children(pid: int) -> set[int]:
    """The processes `pid` started that still run (Linux's /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.update(int(n) for n in (task / "children").read_text().split())
    return found


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped by whoever adopted it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_for(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@contextlib.contextmanager
def slow_build(site: Path, *args: str) -> Iterator[tuple[Forked, int]]:
    """`sitegen build --jobs 2 ARGS` in a process of its own whose pages each take 20 ms to render, so it is caught
    with its workers running; yields the build and its stderr's file descriptor."""
    def child() -> int:
        real = sitegen.render.pages.render_page

        def slow(*a, **k):  # type: ignore[no-untyped-def]
            time.sleep(0.02)
            return real(*a, **k)

        sitegen.build.write.render_page = slow  # type: ignore[attr-defined]
        return main(["build", "--source", str(site), "--jobs", "2", *args])

    with tempfile.TemporaryFile() as err:
        build = Forked(child, stdout=err.fileno(), stderr=err.fileno(), env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
        try:
            yield build, err.fileno()
        finally:
            if build.poll() is None:
                build.send_signal(signal.SIGKILL)
                build.wait(10)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP], ids=["kill -9", "SIGTERM",
                                                                                         "SIGHUP"])
def test_the_workers_die_with_the_build_and_the_next_build_is_whole(signum: int, site_copy, tmp_path: Path) -> None:
    site = many_posts(site_copy("basic"))
    build_ok("--source", site)
    old = read_tree(site / "public")
    edit(site / "sitegen.yaml", "title: مدونة الاختبار", "title: مدونة أخرى")  # every page is rendered again
    with slow_build(site) as (build, _):
        assert wait_for(lambda: len(children(build.pid)) >= 2), "the build never started its workers"
        workers = children(build.pid)
        build.send_signal(signum)
        code = build.wait(30)
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 10), "a worker outlived the build"
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:  # stopped as by Ctrl-C: no staging folder left behind
        assert code == 128 + signum
        assert hidden_leftovers(site / "public", lock=True) == []
    assert read_tree(site / "public") == old
    next_build = run_forked(lambda: main(["build", "--source", str(site)]), timeout=60,
                            env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})  # it would wait for ever on a leftover lock
    assert next_build.returncode == 0, next_build.stderr
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    assert hidden_leftovers(site / "public", lock=True) == []


def test_a_build_waiting_for_another_says_so(site_copy) -> None:
    site = site_copy("basic")
    with tempfile.TemporaryFile() as err:
        with output_lock(site / "public"):  # another build (this process) holds the folder
            build = Forked(lambda: main(["build", "--source", str(site)]), stdout=err.fileno(), stderr=err.fileno(),
                           env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
            assert wait_for(lambda: b"waiting" in os.pread(err.fileno(), 4096, 0))
            assert build.poll() is None  # it waits
        assert build.wait(60) == 0
        said = os.pread(err.fileno(), 4096, 0).decode()
    assert said.startswith(f"sitegen: another build into {(site / 'public').as_posix()} is running (process "
                           f"{os.getpid()}); waiting for it to finish\n"), said


@pytest.mark.parametrize("first, last", [(("--drafts",), ()), ((), ("--drafts",))], ids=["drafts first", "drafts last"])
def test_two_builds_at_once_give_the_output_of_the_one_that_commits_last(
        first: tuple[str, ...], last: tuple[str, ...], site_copy, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The last build starts (and reads the site) while the first holds the folder, and commits after it: it must
    read the folder's state only once it holds the lock, or it patches a folder that has changed under it. The folder
    starts as the last build would leave it, so a last build that trusted what it saw at its start would change
    nothing and leave the first build's pages (drafts published, or drafts gone)."""
    site = site_copy("basic")
    build_ok("--source", site, *last)
    with tempfile.TemporaryFile() as err:
        with output_lock(site / "public"):
            waiting = Forked(lambda: main(["build", "--source", str(site), *last]), stdout=err.fileno(),
                             stderr=err.fileno(), env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
            assert wait_for(lambda: b"waiting" in os.pread(err.fileno(), 4096, 0))
            # the first build commits while the other waits (this process holds the lock for it already)
            monkeypatch.setattr(sitegen.build.run, "output_lock", lambda output, on_wait=None: contextlib.nullcontext())
            build_ok("--source", site, *first)
            monkeypatch.undo()
        assert waiting.wait(60) == 0, os.pread(err.fileno(), 65536, 0).decode()
    assert read_tree(site / "public") == cold_tree(site, tmp_path, *last)


@pytest.mark.parametrize("how", ["emptied", "made again"])
def test_an_emptied_output_folder_gets_the_whole_site(how: str, site_copy, tmp_path: Path) -> None:
    """`rm -rf public && mkdir public`, as CI clean steps do (the new folder may get the old one's inode), or the
    folder's files deleted (it keeps its inode for sure)."""
    site = site_copy("basic")
    build_ok("--source", site)
    if how == "emptied":
        for child in (site / "public").iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    else:
        shutil.rmtree(site / "public")
        (site / "public").mkdir()
    _pages, carried = pages_built(build_ok("--source", site))
    assert carried == 0
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_an_older_copy_of_the_output_put_back_is_not_trusted(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    build_ok("--source", site)
    shutil.copytree(site / "public", tmp_path / "older")
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    build_ok("--source", site)
    shutil.rmtree(site / "public")
    shutil.copytree(tmp_path / "older", site / "public")  # a deploy tool's or a person's restore
    pages_built(build_ok("--source", site))
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_folder_replaced_while_the_build_runs_gets_the_whole_site(site_copy, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder is checked once more just before the update in place is committed."""
    site = site_copy("basic")
    build_ok("--source", site)
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    real = sitegen.build.run.write_site
    replaced: list[bool] = []

    def replacing(*args, **kwargs):  # type: ignore[no-untyped-def]
        written = real(*args, **kwargs)
        if not replaced:  # a person empties the folder and leaves one file in it
            replaced.append(True)
            shutil.rmtree(site / "public")
            (site / "public").mkdir()
            (site / "public/index.html").write_text("<p>half a site</p>")
        return written

    monkeypatch.setattr(sitegen.build.run, "write_site", replacing)
    build_ok("--source", site)
    assert replaced
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


@pytest.mark.parametrize("limit, in_place", [(1000, True), (2, False)], ids=["few files: moved in", "many: exchanged"])
def test_an_update_in_place_moves_few_files_and_exchanges_many(limit: int, in_place: bool, site_copy, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Moving files one by one leaves a window in which the folder mixes old and new files: an update of more than
    MOVE_LIMIT files makes the staged tree whole and exchanges the folders in one step instead."""
    site = site_copy("basic")
    build_ok("--source", site)
    before = (site / "public").stat().st_ino
    about = (site / "public/about/index.html").stat().st_ino
    moved: list[int] = []
    real = sitegen.output.stage._roll_forward
    monkeypatch.setattr(sitegen.output.stage, "_roll_forward", lambda *args: (moved.append(1), real(*args)))
    monkeypatch.setattr(sitegen.output.stage, "MOVE_LIMIT", limit)
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")  # a few pages change
    build_ok("--source", site)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    assert ((site / "public").stat().st_ino == before) == in_place
    assert bool(moved) == in_place
    assert (site / "public/about/index.html").stat().st_ino == about  # an unchanged file is the same file
    assert hidden_leftovers(site / "public", lock=True) == []


def test_a_kill_while_the_tree_is_made_whole_leaves_the_old_site(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    build_ok("--source", site)
    old = read_tree(site / "public")
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")

    def child() -> int:
        stage = sitegen.output.stage
        stage.MOVE_LIMIT = 2
        links: list[str] = []
        real = os.link

        def link(source, dest, *args, **kwargs):  # type: ignore[no-untyped-def]
            links.append(str(dest))
            if "/.public.tmp-" in str(dest) and len(links) > 5:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(source, dest, *args, **kwargs)

        stage.os.link = link  # type: ignore[attr-defined]
        return main(["build", "--source", str(site)])

    result = run_forked(child, env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
    assert result.returncode == -signal.SIGKILL
    assert read_tree(site / "public") == old
    build_ok("--source", site)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    assert hidden_leftovers(site / "public", lock=True) == []
