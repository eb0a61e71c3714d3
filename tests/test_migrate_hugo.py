"""The Hugo reader: the URL Hugo gave each page, bundles with their files, front matter mapped to sitegen's keys."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.migrate import hugo_urls
from sitegen.migrate.hugo import read_hugo

from .helpers import ROOT

BLOGS = ROOT / "tests" / "fixtures" / "blogs"


def make_site(root: Path, config: str, files: dict[str, str]) -> Path:
    (root / "hugo.toml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(("text", "expected"), [  # common/paths.Sanitize, then lower-cased
    ("My Post", "my-post"), ("a -- b", "a-b"), ("What's new?", "whats-new"), ("  lead", "lead"),
    ("مرحبا بالعالم", "مرحبا-بالعالم"), ("C++ & Go", "c++-go"), ("trail - ", "trail")])
def test_urlize(text: str, expected: str) -> None:
    assert hugo_urls.urlize(text) == expected


def test_default_urls_slug_url_and_ugly(tmp_path: Path) -> None:
    make_site(tmp_path, 'baseURL = "https://example.org/"\n', {
        "content/posts/My First Post.md": "+++\ntitle = 'One'\ndate = 2020-05-06\n+++\nx\n",
        "content/posts/two.md": "---\ntitle: Two\nslug: Second Post\naliases: [old-two, /top]\n---\nx\n",
        "content/about.md": "---\ntitle: About\nurl: /about-me\n---\nme\n",
        "content/posts/draft.md": "---\ndraft: true\n---\nx\n",
        "content/posts/_index.md": "---\ntitle: Posts\n---\n"})
    blog = read_hugo(tmp_path)
    found = {entry.source.name: (entry.kind, entry.slug, entry.old_urls) for entry in blog.entries}
    assert found == {
        "My First Post.md": ("posts", "my-first-post", ("/posts/my-first-post/",)),
        "two.md": ("posts", "second-post", ("/posts/second-post/", "/posts/old-two", "/top")),
        "about.md": ("pages", "about-me", ("/about-me/",)),
        "draft.md": ("posts", "draft", ()),
    }
    assert [note.message for note in blog.notes] == ["a list page without text: sitegen makes its own lists"]
    make_site(tmp_path, "uglyURLs = true\n", {})
    assert {e.old_urls[0] for e in read_hugo(tmp_path).entries if e.old_urls} == {
        "/posts/my-first-post.html", "/posts/second-post.html", "/about-me/"}


@pytest.mark.parametrize(("pattern", "expected"), [
    ("/:year/:month/:day/:slug/", "/2021/03/04/the-title/"),
    ("/:section/:filename/", "/posts/file-name/"),
    ("/:slugorfilename", "/file-name/"),
    (":yearday-:weekdayname/:title", "/63-Thursday/the-title/"),
    ("/:sections[last]/:contentbasename/", "/posts/file-name/"),
])
def test_permalink_patterns(tmp_path: Path, pattern: str, expected: str) -> None:
    make_site(tmp_path, f"[permalinks]\nposts = {json.dumps(pattern)}\n", {
        "content/posts/File Name.md": "---\ntitle: The Title\ndate: 2021-03-04\n---\nx\n"})
    (entry,) = read_hugo(tmp_path).entries
    assert entry.old_urls == (expected,)


def test_bundle_and_translation(tmp_path: Path) -> None:
    make_site(tmp_path, 'defaultContentLanguage = "en"\n[languages.en]\n[languages.fa]\n', {
        "content/posts/trip/index.md": "---\ntitle: Trip\n---\n![map](map.png)\n",
        "content/posts/trip/index.fa.md": "---\ntitle: سفر\n---\n![map](map.png)\n",
        "content/posts/trip/map.png": "png",
        "content/posts/trip/notes.md": "---\n---\nresource\n"})
    blog = read_hugo(tmp_path)
    found = {entry.source.name: (entry.old_urls, entry.front.get("lang"), [a.target for a in entry.assets])
             for entry in blog.entries}
    assert found == {"index.md": (("/posts/trip/",), "en", ["map.png"]),
                     "index.fa.md": (("/fa/posts/trip/",), "fa", ["map.png"])}


def test_real_hugo_basic_example() -> None:
    blog = read_hugo(BLOGS / "hugo-basic")
    assert blog.settings == {"title": "Hugo Themes", "base_url": "https://gohugo.io", "language": "en",
                             "author": "Steve Francia"}
    by_name = {entry.source.name: entry for entry in blog.entries}
    assert set(by_name) == {"about.md", "markdown-syntax.md", "rich-content.md"}
    syntax = by_name["markdown-syntax.md"]
    assert syntax.kind == "posts"
    assert syntax.old_urls == ("/post/markdown-syntax/", "/post/migrate-from-jekyl")
    assert syntax.front == {
        "title": "Markdown Syntax Guide", "date": datetime(2019, 3, 11),
        "description": "Sample article showcasing basic Markdown syntax and formatting for HTML elements.",
        "tags": ["markdown", "css", "html", "themes", "syntax", "Themes Guide"], "author": "Hugo Authors"}
    assert by_name["about.md"].old_urls == ("/about/", "/about-us", "/about-hugo", "/contact")
    assert "<!--more-->" in by_name["rich-content.md"].body  # sitegen's own summary divider
    assert sorted(note.path.relative_to(BLOGS / "hugo-basic").as_posix() for note in blog.notes) == [
        "content/_index.md", "content/homepage/index.md", "content/post/_index.md"]


def test_real_papermod_bundle() -> None:
    root = BLOGS / "hugo-papermod"
    (entry,) = read_hugo(root).entries
    assert (entry.kind, entry.slug) == ("posts", "features")
    assert entry.old_urls == ("/2021/01/features/", "/papermod-features")
    assert [(a.target, a.source) for a in entry.assets] == [
        ("images/homeinfo.jpg", root / "content/posts/papermod/papermod-features/images/homeinfo.jpg"),
        ("images/regular.jpg", root / "content/posts/papermod/papermod-features/images/regular.jpg")]
    assert "![regular](images/regular.jpg)" in entry.body  # relative to the bundle, which is kept
    assert entry.front["description"] == "Learn About All Features in PaperMod"
    assert entry.front["weight"] == 2


@settings(max_examples=60, deadline=None)
@given(name=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
       .filter(lambda t: "/" not in t and "\\" not in t and t.strip() == t and not t.startswith((".", "_"))))
def test_slug_gives_back_the_url_segment(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    root = tmp_path_factory.mktemp("site")
    try:
        make_site(root, "", {f"content/posts/{name}.md": "---\ntitle: x\n---\nx\n"})
    except OSError:
        return
    entries = read_hugo(root).entries
    if not entries or not entries[0].old_urls:
        return
    segment = entries[0].old_urls[0].rstrip("/").rsplit("/", 1)[-1]
    if segment == hugo_urls.urlize(name) and segment and ".." not in segment and not segment.startswith("."):
        assert entries[0].slug == segment or "%" in segment or "#" in segment


@settings(max_examples=100, deadline=None)
@given(front=st.dictionaries(st.sampled_from(["title", "date", "lastmod", "tags", "categories", "images", "slug",
                                              "url", "aliases", "draft", "author", "summary", "cover",
                                              "expiryDate", "headless"]),
                             st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                                          lambda inner: st.lists(inner, max_size=3)
                                          | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                                          max_leaves=6), max_size=6))
def test_front_matter_mapping_never_crashes(tmp_path_factory: pytest.TempPathFactory,
                                            front: dict[str, object]) -> None:
    root = tmp_path_factory.mktemp("site")
    make_site(root, "", {"content/posts/x.md": json.dumps(front) + "\nbody\n"})
    for entry in read_hugo(root).entries:
        assert entry.slug and all(url.startswith("/") for url in entry.old_urls)
