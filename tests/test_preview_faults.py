"""The preview under real faults: an unexpected exception in a rebuild (a bug of ours, an OSError such as a symlink
loop) is reported in the CLI's words, in every open tab and on the terminal, while the last good site stays served,
and the next good edit recovers; the watcher's thread outlives an exception in what it calls. Tested on the model
and its tabs (no sockets), on the watcher, and through a real `sitegen serve`."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

import sitegen.build.load
import sitegen.preview.model
from sitegen import __version__
from sitegen.build.run import BuildOptions
from sitegen.preview.model import Preview
from sitegen.preview.tabs import Client, Tabs
from sitegen.preview.watch import start_watcher

from .helpers import POST as FRONT_MATTER
from .helpers import Server, edit, get, make_site, subscribe, told, wait_until

POST = "posts/بناء-علاقات/index.html"
SOURCE = "content/posts/relations.md"


def boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("boom")


def report(first_line: str) -> str:
    """The whole report of an internal error whose first line is `first_line`, as `sitegen build` prints one."""
    return (f"{first_line}\nThis is a bug in sitegen {__version__}, not a mistake in your site. Please report it at "
            "https://github.com/sitegen/sitegen/issues\nwith this message (and the file named above, if you can "
            "share it).\nRun again with --debug (or SITEGEN_DEBUG=1) to see the Python traceback.")


def line_of(module: object, text: str) -> int:
    """The line of `text` in a module's source (to name it in the expected message without hard-coding it)."""
    source = Path(module.__file__).read_text().splitlines()  # type: ignore[attr-defined]
    return next(i for i, line in enumerate(source, 1) if text in line)


def edit_file(path: Path, old: str, new: str) -> Path:
    """Change a file as an editor saves it; the file, to pass to a rebuild."""
    edit(path, old, new)
    return path


def previewed(site: Path, *, debug: bool = False) -> tuple[Preview, Tabs, Client]:
    """A preview of `site` with one tab open on POST, served the page and connected as a browser connects."""
    preview = Preview(BuildOptions(site, site / "public", drafts=True, future=True, use_cache=False), debug=debug)
    assert preview.rebuild().generation is not None
    tabs = Tabs(preview)
    generation = preview.current
    assert generation is not None
    client = tabs.connect(POST, generation.digest(POST) or "", generation.number)
    assert told(client) == []
    return preview, tabs, client


def shown(preview: Preview, path: str = POST) -> str:
    """The page at `path` as the preview serves it now."""
    generation = preview.current
    assert generation is not None
    return (generation.render(path) or b"").decode()


@pytest.fixture
def site(site_copy) -> Path:  # type: ignore[no-untyped-def]
    return site_copy("basic")  # type: ignore[no-any-return]


def test_a_bug_in_a_rebuild_is_shown_in_every_tab_the_old_site_stays_and_a_good_edit_recovers(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview, tabs, post = previewed(site)
    served = preview.current
    monkeypatch.setattr(sitegen.build.load, "plan_site", boom)
    changed = edit_file(site / SOURCE, "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    result = preview.rebuild({changed})
    tabs.broadcast(result)
    where = f"sitegen/build/load.py:{line_of(sitegen.build.load, 'plan = plan_site(site, routes, static.redirects')}"
    expected = report(f"sitegen: internal error while assembling the site: RuntimeError: boom (at {where})")
    assert result.generation is None and result.failure == expected
    assert told(post) == [{"type": "error", "text": expected}]
    assert told(tabs.connect("index.html", "", 0)) == [{"type": "error", "text": expected}]  # a tab opened now
    assert preview.current is served and "والصبر" not in shown(preview)  # the last good site is still served
    monkeypatch.undo()  # the bug is fixed: the next rebuild recovers, with the edit made meanwhile
    recovered = preview.rebuild({changed})
    tabs.broadcast(recovered)
    assert recovered.generation is not None and recovered.failure == "" and preview.failure == ""
    assert "والصبر" in shown(preview)
    assert told(post) == [{"type": "ok"}, {"type": "reload"}]


def test_an_os_error_while_finding_the_sources_is_shown_and_the_next_rebuild_recovers(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A symlink loop in content/ makes scanning it fail with ELOOP: reported as an internal error, not raised."""
    preview, tabs, post = previewed(site)
    loop = site / "content/posts/loop"

    def scan(root: Path) -> object:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(loop))

    real = sitegen.preview.model.discover_sources
    monkeypatch.setattr(sitegen.preview.model, "discover_sources", scan)
    new = site / "content/posts/new.md"  # a new file: the sources are found again
    new.write_text("---\ntitle: مقال جديد\ndate: 2025-03-01\n---\nنص.\n", encoding="utf-8")
    result = preview.rebuild({new})
    tabs.broadcast(result)
    line = line_of(sitegen.preview.model, "self.sources, self.problems = discover_sources(")
    where = f"sitegen/preview/model.py:{line}"
    expected = report(f"sitegen: internal error while rebuilding the site: OSError: [Errno {errno.ELOOP}] "
                      f"{os.strerror(errno.ELOOP)}: '{loop}' (at {where})")
    assert result.generation is None and result.internal is not None and result.failure == expected
    assert told(post) == [{"type": "error", "text": expected}]
    still = preview.current
    assert still is not None and "posts/new/index.html" not in still.plan.pages
    monkeypatch.setattr(sitegen.preview.model, "discover_sources", real)
    recovered = preview.rebuild({new})
    tabs.broadcast(recovered)
    assert recovered.generation is not None and "مقال جديد" in shown(preview, "posts/new/index.html")
    assert told(post)[0] == {"type": "ok"}


def test_a_first_build_that_fails_inside_sitegen_says_why_and_a_later_one_serves(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitegen.build.load, "plan_site", boom)
    preview = Preview(BuildOptions(site, site / "public", drafts=True, future=True, use_cache=False), debug=True)
    first = preview.rebuild()
    assert first.generation is None and preview.current is None
    assert first.failure.startswith("sitegen: internal error while assembling the site: RuntimeError: boom (at ")
    assert "Traceback (most recent call last):" in first.failure  # --debug: the traceback too
    assert told(Tabs(preview).connect("index.html", "", 0)) == [{"type": "error", "text": first.failure}]
    monkeypatch.undo()
    assert preview.rebuild({site / SOURCE}).generation is not None
    assert "تُبنى بالثقة." in shown(preview)


def test_the_watcher_goes_on_after_a_change_it_reports_fails(tmp_path: Path) -> None:
    """An exception in the callback goes to on_error; the thread lives on and reports the next change."""
    site = make_site(tmp_path, {"content/posts/a.md": FRONT_MATTER + "---\nنص\n"})
    seen: list[set[Path]] = []
    errors: list[Exception] = []

    def on_change(changed: set[Path]) -> None:
        seen.append(changed)
        if len(seen) == 1:
            raise RuntimeError("boom")

    stop = threading.Event()
    thread = start_watcher(site, (), [], on_change, stop, on_error=errors.append)
    try:
        post = site / "content/posts/a.md"
        post.write_text(FRONT_MATTER + "---\nنص أول\n", encoding="utf-8")
        assert wait_until(lambda: errors)
        post.write_text(FRONT_MATTER + "---\nنص ثان\n", encoding="utf-8")
        assert wait_until(lambda: len(seen) == 2)
        assert thread.is_alive()
        assert [repr(e) for e in errors] == ["RuntimeError('boom')"]
        assert all(post in changed for changed in seen)
    finally:
        stop.set()
        thread.join(10)


def plan_unless_boom(real):  # type: ignore[no-untyped-def]
    """plan_site that fails, as a bug of ours would, while a post is titled BOOM."""
    def plan(site, *args):  # type: ignore[no-untyped-def]
        if any(post.title == "BOOM" for post in site.posts):
            raise RuntimeError("boom")
        return real(site, *args)
    return plan


def test_sitegen_serve_reports_a_rebuild_that_fails_inside_sitegen_and_recovers(
        site_copy, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through a real `sitegen serve` (forked from this process, so it has the failing plan_site): the open tab
    shows the internal error, the old page stays served, and the watcher, still running, builds the next edit."""
    monkeypatch.setattr(sitegen.build.load, "plan_site", plan_unless_boom(sitegen.build.load.plan_site))
    monkeypatch.delenv("SITEGEN_DEBUG", raising=False)
    running = Server(site_copy("basic"))
    try:
        received: list[dict[str, object]] = []
        stop = threading.Event()
        subscribe(running, "/posts/networking/", received, stop)
        post = running.site / "content/posts/2025-01-10-networking.md"
        edit(post, 'title: "ما هي الشبكات المهنية؟"', "title: BOOM")
        assert wait_until(lambda: any(m["type"] == "error" for m in received))
        error = next(m for m in received if m["type"] == "error")
        assert str(error["text"]).startswith(
            "sitegen: internal error while assembling the site: RuntimeError: boom (at sitegen/build/load.py:")
        assert "This is a bug in sitegen" in str(error["text"])
        status, _, body = get(running, "/posts/networking/")
        assert status == 200 and "ما هي الشبكات المهنية؟" in body.decode()  # the last good page
        edit(post, "title: BOOM", "title: شبكات العمل من جديد")
        assert wait_until(lambda: "شبكات العمل من جديد" in get(running, "/posts/networking/")[2].decode())
        assert wait_until(lambda: {"type": "reload"} in received[received.index(error):])
        assert {"type": "ok"} in received[received.index(error):]
        stop.set()
    finally:
        printed = running.stop()
    assert f"{error['text']}\n" in printed  # the terminal shows the same words
    assert "Traceback" not in printed
