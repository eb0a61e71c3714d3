"""The search index (sitegen/build/search.py): Pagefind run over the posts and pages of the built site, one index per
`<html lang>`, made again only when an indexed page changed, and a build without Pagefind that still succeeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitegen.build.search import UNUSED, index_digest

from .helpers import Server, build_ok, edit, get, make_site, pages_built, run_cli, wait_until

pytest.importorskip("pagefind")


def _entry(output: Path) -> dict[str, dict[str, object]]:
    return dict(json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"])


def test_the_sample_blog_has_one_index_per_html_lang_of_its_posts_and_pages(sample_blog: Path) -> None:
    """pagefind-entry.json names one index per language, each counting the posts and pages whose <html lang> it is;
    sitegen's own pages (home, tags, archive...) are not indexed: only what the theme marks data-pagefind-body."""
    counted: dict[str, int] = {}
    for page in sample_blog.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            lang = re.search(r'<html lang="([^"]+)"', html)
            assert lang is not None
            counted[lang[1]] = counted.get(lang[1], 0) + 1
    assert counted == {"ar": 6, "en": 1}  # five Arabic posts and the about page; one English post
    entry = _entry(sample_blog)
    assert {lang: index["page_count"] for lang, index in entry.items()} == counted
    assert {lang: index["wasm"] for lang, index in entry.items()} == {"ar": "ar", "en": "en"}  # each with its stemmer
    names = {path.name for path in (sample_blog / "pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-worker.js", "wasm.ar.pagefind"} <= names
    assert not names & UNUSED  # the bundle's other UIs are left out
    assert (sample_blog / "search" / "index.html").is_file()


def test_the_search_page_and_box_are_in_the_site_language(sample_blog: Path) -> None:
    search = (sample_blog / "search" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in search
    assert '<h1 id="search-title">ابحث في المدونة</h1>' in search
    assert '<meta name="robots" content="noindex">' in search
    assert 'data-languages="en"' in search  # the English posts' index is searched from the Arabic page too
    assert re.search(r'<script src="/_immutable/search\.[0-9a-f]{10}\.js" defer></script>', search)
    assert 'class="site-search"' not in search  # no second search box on the search page
    home = (sample_blog / "index.html").read_text(encoding="utf-8")
    assert ('<form class="site-search" role="search" action="/search/" method="get">\n'
            '      <label class="visually-hidden" for="site-search-q">بحث</label>') in home
    assert "search" not in (sample_blog / "sitemap.xml").read_text(encoding="utf-8")


def _site(tmp_path: Path) -> Path:
    return make_site(tmp_path, {
        "content/posts/a.md": "---\ntitle: الشبكات المهنية\ndate: 2025-03-01\n---\nمقال عن أهمية العلاقات.\n",
        "content/posts/b.md": "---\ntitle: Meetups\ndate: 2025-03-02\nlang: en\n---\nA post about meetups.\n",
        "content/pages/about.md": "---\ntitle: عن\n---\nصفحة.\n",
    })


def _index_files(output: Path) -> dict[str, int]:
    return {path.relative_to(output).as_posix(): path.stat().st_ino
            for path in sorted((output / "pagefind").rglob("*")) if path.is_file()}


def test_an_unchanged_site_keeps_its_index_and_an_edited_post_makes_it_again(tmp_path: Path) -> None:
    site = _site(tmp_path)
    output = site / "public"
    build_ok("--source", site)
    first = _index_files(output)
    assert _entry(output)["ar"]["page_count"] == 2 and _entry(output)["en"]["page_count"] == 1
    build_ok("--source", site)
    assert _index_files(output) == first  # the very same files: not made again
    edit(site / "content/posts/a.md", "مقال عن", "مقال طويل عن")
    build_ok("--source", site)
    again = _index_files(output)
    entry = _entry(output)
    assert entry["ar"]["page_count"] == 2
    assert again != first
    # the English index did not change: Pagefind writes the same bytes, which the output keeps as they were
    assert {p: i for p, i in again.items() if ".en_" in p or p.endswith("wasm.en.pagefind")} == {
        p: i for p, i in first.items() if ".en_" in p or p.endswith("wasm.en.pagefind")}
    # and a cold build of the edited site gives the same index
    cold = tmp_path.parent / (tmp_path.name + "-cold")
    build_ok("--source", site, "--output", cold)
    assert {p: (output / p).read_bytes() for p in again} == {p: (cold / p).read_bytes() for p in _index_files(cold)}


def test_a_build_whose_pagefind_fails_succeeds_with_a_warning_and_no_index(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 0, stderr
    assert "warning: the site was built without its search index: Pagefind failed: FileNotFoundError" in stderr
    assert "pip install 'pagefind[bin]'" in stderr
    assert not (site / "public" / "pagefind").exists()
    assert (site / "public" / "search" / "index.html").is_file()  # it says search is unavailable
    # once Pagefind works again, the next build writes the index, though no page changed
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    build_ok("--source", site)
    assert _entry(site / "public")["ar"]["page_count"] == 2


def test_a_build_without_the_pagefind_package_succeeds_with_a_warning(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.build.search

    monkeypatch.setattr(sitegen.build.search, "pagefind_version", lambda: None)
    site = _site(tmp_path)
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 0, stderr
    assert "warning: the site was built without its search index: the pagefind package is not installed" in stderr
    assert not (site / "public" / "pagefind").exists()


def test_the_search_page_and_index_folder_are_claimed(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/pages/search.md": "---\ntitle: s\n---\nx\n",
        "static/pagefind/pagefind.js": "// mine\n",
    })
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 1
    assert "the URL /search/ is already taken by sitegen's search page" in stderr
    assert "/pagefind/ is sitegen's search index; nothing else may be written there" in stderr


def test_the_index_digest_covers_every_page_and_the_pagefind_version() -> None:
    pages = {"posts/a/index.html": b"1", "posts/b/index.html": b"2"}
    digest = index_digest(pages, "1.5.2")
    assert digest == index_digest(dict(reversed(pages.items())), "1.5.2")
    assert digest != index_digest({**pages, "posts/b/index.html": b"3"}, "1.5.2")
    assert digest != index_digest({"posts/a/index.html": b"1"}, "1.5.2")
    assert digest != index_digest(pages, "1.5.3")


def test_the_preview_serves_an_index_of_its_site_made_again_after_a_change(tmp_path: Path) -> None:
    site = _site(tmp_path)
    server = Server(site)
    try:
        status, _, page = get(server, "/search/")
        assert status == 200 and b'<script src="/search.js" defer></script>' in page
        status, _, data = get(server, "/pagefind/pagefind-entry.json")
        assert status == 200, data
        languages = json.loads(data)["languages"]
        assert {lang: index["page_count"] for lang, index in languages.items()} == {"ar": 2, "en": 1}
        assert get(server, "/pagefind/pagefind-ui.js")[0] == 200
        assert get(server, "/pagefind/no-such-file")[0] == 404
        edit(site / "content/posts/b.md", "lang: en", "lang: ar")
        assert wait_until(lambda: json.loads(get(server, "/pagefind/pagefind-entry.json")[2])["languages"].keys()
                          == {"ar"})
    finally:
        server.stop()


def test_the_build_after_an_edit_carries_every_page_over(tmp_path: Path) -> None:
    """An edit replaces index files (their names are hashes of their content), so the build deletes the old ones;
    the cache must still hold every page's digest afterwards, or the next build renders the whole site again (it
    did, after any build that deleted a file)."""
    site = _site(tmp_path)
    build_ok("--source", site)
    edit(site / "content/posts/a.md", "مقال عن", "مقال طويل عن")
    pages, carried = pages_built(build_ok("--source", site))
    assert 0 < carried < pages
    assert pages_built(build_ok("--source", site)) == (pages, pages)
    (site / "content/posts/b.md").unlink()
    pages, carried = pages_built(build_ok("--source", site))
    assert pages_built(build_ok("--source", site)) == (pages, pages)
    assert set(_entry(site / "public")) == {"ar"}


def test_search_false_builds_no_search_page_box_or_index_and_frees_the_names(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "sitegen.yaml": "title: t\nbase_url: https://example.org/\nsearch: false\n",
        "content/posts/a.md": "---\ntitle: a\ndate: 2025-03-01\n---\nنص\n",
        "content/pages/search.md": "---\ntitle: my search\n---\nmine\n",  # the address is the author's again
        "static/pagefind/notes.txt": "mine\n",
    })
    build_ok("--source", site)
    public = site / "public"
    assert "my search" in (public / "search/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (public / "pagefind").iterdir()) == ["notes.txt"]
    assert 'class="site-search"' not in (public / "posts/a/index.html").read_text(encoding="utf-8")
    server = Server(site)
    try:
        assert get(server, "/pagefind/pagefind-entry.json")[0] == 404
        assert get(server, "/pagefind/notes.txt")[0] == 200
    finally:
        server.stop()
