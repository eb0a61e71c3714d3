"""The search index (sitegen/build/search.py): Pagefind run over the posts and pages of the built site, one index per
`<html lang>`, made again only when an indexed page changed, and a build without Pagefind that still succeeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import sitegen.build.search
from sitegen.build.search import SHARD_FROM, SHARD_PAGES, TEST_SHARD_PAGES, UI, UNUSED, assign_shards, index_digest

from .helpers import Server, build_ok, edit, get, make_site, pages_built, run_cli, wait_until, write_file

pytest.importorskip("pagefind")


def _entry(output: Path, shard: str = "all") -> dict[str, dict[str, object]]:
    entry = output / "pagefind" / shard / "pagefind-entry.json"
    return dict(json.loads(entry.read_text(encoding="utf-8"))["languages"])


def _manifest(output: Path) -> list[dict[str, object]]:
    return list(json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"])


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
    # a small site has its index in one part; Pagefind's interface is published once, beside the list of parts
    assert sorted(path.name for path in (sample_blog / "pagefind").iterdir()) == [
        "all", "pagefind-ui.css", "pagefind-ui.js", "shards.json"]
    assert _manifest(sample_blog) == [{"bundle": "/pagefind/all/", "languages": {"ar": 6, "en": 1}}]
    names = {path.name for path in (sample_blog / "pagefind" / "all").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.ar.pagefind", "wasm.en.pagefind"} <= names
    assert not names & (UNUSED | set(UI))  # the bundle's other UIs are left out, and its own is not repeated
    assert (sample_blog / "search" / "index.html").is_file()


def test_the_search_page_and_box_are_in_the_site_language(sample_blog: Path) -> None:
    search = (sample_blog / "search" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in search
    assert '<h1 id="search-title">ابحث في المدونة</h1>' in search
    assert '<meta name="robots" content="noindex">' in search
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
    assert {p: i for p, i in again.items() if ".en_" in p or p.endswith(("wasm.en.pagefind", "pagefind-ui.js"))} == {
        p: i for p, i in first.items() if ".en_" in p or p.endswith(("wasm.en.pagefind", "pagefind-ui.js"))}
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
        status, _, data = get(server, "/pagefind/shards.json")
        assert status == 200, data
        assert json.loads(data) == {"shards": [{"bundle": "/pagefind/all/", "languages": {"ar": 2, "en": 1}}]}
        status, _, data = get(server, "/pagefind/all/pagefind-entry.json")
        assert status == 200, data
        languages = json.loads(data)["languages"]
        assert {lang: index["page_count"] for lang, index in languages.items()} == {"ar": 2, "en": 1}
        assert get(server, "/pagefind/pagefind-ui.js")[0] == 200
        assert get(server, "/pagefind/no-such-file")[0] == 404
        edit(site / "content/posts/b.md", "lang: en", "lang: ar")
        assert wait_until(lambda: json.loads(get(server, "/pagefind/all/pagefind-entry.json")[2])["languages"].keys()
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
        assert get(server, "/pagefind/shards.json")[0] == 404
        assert get(server, "/pagefind/notes.txt")[0] == 200
    finally:
        server.stop()


# --- an index in parts ---------------------------------------------------------------------------------------------

def _sharded_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A site split into one part per year (the parts' size forced down for the test: a real site is split from
    SHARD_FROM pages), and the list of the parts Pagefind is run for, as they are made."""
    monkeypatch.setenv(TEST_SHARD_PAGES, "100")
    runs: list[str] = []
    real = sitegen.build.search.run_pagefind

    def recording(pages: dict[str, Path | bytes], folder: str = "pagefind") -> dict[str, bytes]:
        runs.append(folder)
        return real(pages, folder)

    monkeypatch.setattr(sitegen.build.search, "run_pagefind", recording)
    site = make_site(tmp_path, {
        "content/posts/a.md": "---\ntitle: الشبكات المهنية\ndate: 2023-03-01\n---\nمقال عن أهمية العلاقات.\n",
        "content/posts/b.md": "---\ntitle: Meetups\ndate: 2024-03-02\nlang: en\n---\nA post about meetups.\n",
        "content/posts/c.md": "---\ntitle: المصداقية\ndate: 2024-05-02\n---\nمقال عن المصداقية.\n",
        "content/posts/d.md": "---\ntitle: اللقاءات\ndate: 2025-01-09\n---\nمقال عن اللقاءات.\n",
        "content/pages/about.md": "---\ntitle: عن\n---\nصفحة.\n",
    })
    return site, runs


def _tree(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted((output / "pagefind").rglob("*")) if path.is_file()}


def _inodes(output: Path, shard: str) -> dict[str, int]:
    return {p: i for p, i in _index_files(output).items() if p.startswith(f"pagefind/{shard}/")}


def _cold(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    cold = tmp_path.parent / f"{tmp_path.name}-{name}"
    build_ok("--source", site, "--output", cold)
    return _tree(cold)


def test_an_edit_makes_only_its_part_again_and_the_index_equals_a_cold_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, runs = _sharded_site(tmp_path, monkeypatch)
    output = site / "public"
    build_ok("--source", site)
    assert runs == ["pagefind/2023", "pagefind/2024", "pagefind/2025", "pagefind/pages"]
    assert _manifest(output) == [
        {"bundle": "/pagefind/2023/", "languages": {"ar": 1}},
        {"bundle": "/pagefind/2024/", "languages": {"ar": 1, "en": 1}},
        {"bundle": "/pagefind/2025/", "languages": {"ar": 1}},
        {"bundle": "/pagefind/pages/", "languages": {"ar": 1}},
    ]
    assert {name for name in _tree(output) if name.count("/") == 1} == {
        "pagefind/pagefind-ui.css", "pagefind/pagefind-ui.js", "pagefind/shards.json"}
    first = _index_files(output)
    runs.clear()
    build_ok("--source", site)
    assert runs == []
    assert _index_files(output) == first  # every part kept, the very same files
    edit(site / "content/posts/c.md", "مقال عن", "مقال طويل عن")
    build_ok("--source", site)
    assert runs == ["pagefind/2024"]
    assert _inodes(output, "2024") != {p: i for p, i in first.items() if p.startswith("pagefind/2024/")}
    for shard in ("2023", "2025", "pages"):  # the other parts are the previous build's files, carried over
        assert _inodes(output, shard) == {p: i for p, i in first.items() if p.startswith(f"pagefind/{shard}/")}
    assert _tree(output) == _cold(site, tmp_path, "cold")  # byte for byte, the manifest and interface included


def test_a_post_in_a_new_year_adds_a_part_and_a_year_without_posts_loses_its_part(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, runs = _sharded_site(tmp_path, monkeypatch)
    output = site / "public"
    build_ok("--source", site)
    first = _index_files(output)
    runs.clear()
    write_file(site / "content/posts/e.md", "---\ntitle: جديد\ndate: 2022-02-01\n---\nمقال جديد.\n")
    build_ok("--source", site)
    # the new year's part, and the part of the post whose page now links to the new one as older: its bytes changed
    # (the pages of 2024, 2025 and the about page were rendered again, every page's inputs changed, but their bytes
    # did not, so their parts are kept)
    assert runs == ["pagefind/2022", "pagefind/2023"]
    assert [shard["bundle"] for shard in _manifest(output)] == [
        "/pagefind/2022/", "/pagefind/2023/", "/pagefind/2024/", "/pagefind/2025/", "/pagefind/pages/"]
    for shard in ("2024", "2025", "pages"):
        assert _inodes(output, shard) == {p: i for p, i in first.items() if p.startswith(f"pagefind/{shard}/")}
    assert _tree(output) == _cold(site, tmp_path, "added")
    runs.clear()
    (site / "content/posts/a.md").unlink()
    build_ok("--source", site)
    assert runs == ["pagefind/2022", "pagefind/2024"]  # the neighbours of the deleted post link to each other now
    assert not (output / "pagefind" / "2023").exists()
    assert [shard["bundle"] for shard in _manifest(output)] == [
        "/pagefind/2022/", "/pagefind/2024/", "/pagefind/2025/", "/pagefind/pages/"]
    assert _tree(output) == _cold(site, tmp_path, "deleted")


def test_parts_are_years_split_by_a_hash_that_no_added_post_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TEST_SHARD_PAGES, raising=False)
    small = {f"posts/{n}/index.html": 2020 + n % 3 for n in range(SHARD_FROM - 2)} | {"about/index.html": None}
    assert assign_shards(small) == {"all": sorted(small)}  # a small site: one part, one bundle in the browser
    big = {f"posts/{n}/index.html": 2020 + n % 3 for n in range(3 * SHARD_PAGES)} | {"about/index.html": None}
    shards = assign_shards(big)
    assert sorted(shards) == ["2020", "2021", "2022", "pages"]
    assert shards["pages"] == ["about/index.html"]
    assert shards["2021"] == sorted(path for path, year in big.items() if year == 2021)
    monkeypatch.setenv(TEST_SHARD_PAGES, "100")
    year = {f"posts/{n}/index.html": 2024 for n in range(150)}
    split = assign_shards(year)
    assert sorted(split) == ["2024-0", "2024-1"] and 50 < len(split["2024-0"]) < 100
    grown = assign_shards(year | {"posts/new/index.html": 2024, "posts/older/index.html": 2023})
    for shard, paths in split.items():  # no page moved: the new ones joined a part
        assert set(paths) <= set(grown[shard])
    assert sorted(assign_shards({f"posts/{n}/index.html": 2024 for n in range(250)})) == [
        "2024-0", "2024-1", "2024-2", "2024-3"]
