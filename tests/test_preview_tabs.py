"""What each open tab is told after a rebuild, tested on the preview's model and its tabs, without sockets: a tab
reloads only when the page it shows changed, swaps a changed stylesheet in place, sees a broken edit as an error and
its fix as a recovery, and a tab connecting late is caught up."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.build.run import BuildOptions
from sitegen.preview.model import Preview
from sitegen.preview.tabs import Client, Tabs

from .helpers import told

POST = "posts/بناء-علاقات/index.html"
OTHER = "posts/networking/index.html"


def kinds(client: Client) -> list[object]:
    return [message["type"] for message in told(client)]


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def site(site_copy) -> Path:  # type: ignore[no-untyped-def]
    return site_copy("basic")  # type: ignore[no-any-return]


def previewed(site: Path, *, navigate: bool = False) -> tuple[Preview, Tabs]:
    preview = Preview(BuildOptions(site, site / "public", drafts=True, future=True, use_cache=False))
    assert preview.rebuild().generation is not None
    return preview, Tabs(preview, navigate=navigate)


def open_tab(preview: Preview, tabs: Tabs, path: str) -> Client:
    """A tab as a browser opens one: served the page, then connected with what it was served."""
    generation = preview.current
    assert generation is not None
    client = tabs.connect(path, generation.digest(path) or "", generation.number)
    assert told(client) == []
    return client


def test_only_the_tabs_whose_page_changed_reload(site: Path) -> None:
    preview, tabs = previewed(site)
    post, other, about = (open_tab(preview, tabs, path) for path in (POST, OTHER, "about/index.html"))
    changed = edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    tabs.broadcast(preview.rebuild({changed}))
    assert kinds(post) == ["ok", "reload"]
    assert kinds(other) == ["ok"]  # a post that neither shows nor lists the edited one stays put
    assert kinds(about) == ["ok"]
    tabs.broadcast(preview.rebuild({changed}))  # nothing changed since: nobody reloads again
    assert kinds(post) == kinds(other) == ["ok"]


def test_a_title_edit_reloads_every_page_that_shows_the_title(site: Path) -> None:
    preview, tabs = previewed(site)
    archive, other = open_tab(preview, tabs, "archive/index.html"), open_tab(preview, tabs, OTHER)
    about = open_tab(preview, tabs, "about/index.html")
    changed = edit(site / "content/posts/relations.md", "title: بناء علاقات حقيقية في B2B", "title: علاقات B2B")
    tabs.broadcast(preview.rebuild({changed}))
    assert kinds(archive) == ["ok", "reload"]
    assert kinds(other) == ["ok", "reload"]  # its "newer post" link shows the title
    assert kinds(about) == ["ok"]


def test_a_broken_edit_is_an_error_in_every_tab_and_its_fix_a_recovery(site: Path) -> None:
    preview, tabs = previewed(site)
    post, home = open_tab(preview, tabs, POST), open_tab(preview, tabs, "index.html")
    source = site / "content/posts/relations.md"
    good = source.read_text(encoding="utf-8")
    broken = edit(source, "date: 2025-02-01 09:30", "date: yesterday")
    tabs.broadcast(preview.rebuild({broken}))
    for client in (post, home):
        messages = told(client)
        assert [m["type"] for m in messages] == ["error"]
        assert "content/posts/relations.md:4:1: error: date 'yesterday' is not a date" in str(messages[0]["text"])
    late = tabs.connect(POST, "", 0)  # a tab opened meanwhile sees the error at once
    assert kinds(late) == ["error"]
    source.write_text(good, encoding="utf-8")
    tabs.broadcast(preview.rebuild({source}))
    assert kinds(post) == kinds(home) == ["ok"]  # the site is what it was: no reload needed


def test_a_changed_stylesheet_is_swapped_without_a_reload(site: Path) -> None:
    preview, tabs = previewed(site)
    post = open_tab(preview, tabs, POST)
    sheet = site / "static/style.css"
    sheet.parent.mkdir(exist_ok=True)
    sheet.write_text("body { color: red; }\n", encoding="utf-8")
    tabs.broadcast(preview.rebuild({sheet}))
    assert told(post) == [{"type": "ok"}, {"type": "css", "paths": ["style.css"]}]


def test_a_tab_served_before_a_rebuild_is_caught_up_when_it_connects(site: Path) -> None:
    preview, tabs = previewed(site)
    generation = preview.current
    assert generation is not None
    served = generation.digest(POST) or ""
    changed = edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    preview.rebuild({changed})  # no tab was connected
    assert kinds(tabs.connect(POST, served, generation.number)) == ["reload"]
    assert kinds(tabs.connect(OTHER, generation.digest(OTHER) or "", generation.number)) == []


def test_with_navigate_every_tab_follows_the_author_to_the_saved_post(site: Path) -> None:
    preview, tabs = previewed(site, navigate=True)
    home = open_tab(preview, tabs, "index.html")
    changed = edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    tabs.broadcast(preview.rebuild({changed}))
    assert told(home) == [{"type": "ok"}, {"type": "navigate", "url": "/posts/بناء-علاقات/"}]


def test_a_closed_tab_is_told_nothing_more(site: Path) -> None:
    preview, tabs = previewed(site)
    post = open_tab(preview, tabs, POST)
    tabs.disconnect(post)
    changed = edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    tabs.broadcast(preview.rebuild({changed}))
    assert told(post) == []
