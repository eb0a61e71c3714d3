"""Eleventy blogs read as OldBlogs: configuration and data read as text, permalinks, tags, drafts, bundles."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.migrate import eleventy_js as js
from sitegen.migrate.eleventy import read_eleventy, slugify

BASE = Path(__file__).parent / "fixtures" / "blogs" / "eleventy-base-blog"


def test_base_blog_entries_exactly() -> None:
    blog = read_eleventy(BASE)
    assert blog.settings == {"title": "Eleventy Base Blog v9", "base_url": "https://example.com/",
                             "language": "en", "description": "I am writing about my experiences as a naval "
                             "navel-gazer.", "author": "Your Name Here"}
    table = {entry.source.name: (entry.kind, entry.slug, entry.old_urls, entry.front.get("draft", False))
             for entry in blog.entries}
    assert table == {
        "404.md": ("pages", "404", ("/404.html",), False),
        "about.md": ("pages", "about", ("/about/",), False),
        "fifthpost.md": ("posts", "fifthpost", ("/blog/fifthpost/",), True),
        "firstpost.md": ("posts", "firstpost", ("/blog/firstpost/",), False),
        "secondpost.md": ("posts", "secondpost", ("/blog/secondpost/",), False),
        "fourthpost.md": ("posts", "fourthpost", ("/blog/fourthpost/",), False),
    }
    entries = {entry.source.name: entry for entry in blog.entries}
    assert entries["firstpost.md"].front == {
        "title": "This is my first post.", "date": datetime(2018, 5, 1),
        "description": "This is a post on My Blog about agile frameworks.", "tags": ["another tag"],
        "slug": "firstpost"}
    assert entries["about.md"].front == {"slug": "about", "eleventyNavigation": {"key": "About", "order": 3}}
    assert entries["fifthpost.md"].body == "This is a draft post\n"
    assert '<a href="/blog/firstpost/">First post</a>' in entries["secondpost.md"].body
    assert '<a href="blog/thirdpost.md">' in entries["secondpost.md"].body
    assert [(a.target, a.source) for a in entries["fourthpost.md"].assets] == [
        ("possum.png", BASE / "content" / "blog" / "fourthpost" / "possum.png")]
    assert blog.static == ()  # public/ and the feed stylesheet are left out of the excerpt
    assert any("pretty-atom-feed.xsl" in note.message for note in blog.notes)


def _site(tmp_path: Path, files: dict[str, str]) -> dict[str, tuple[str, ...]]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return {entry.source.name: entry.old_urls for entry in read_eleventy(tmp_path).entries}


@pytest.mark.parametrize(("front", "expected"), [
    ("", "/posts/2021-03-04-hello-there/"),
    ("permalink: /{{ page.fileSlug }}/\n", "/hello-there/"),
    ("title: Ça va? Oui!\npermalink: \"/{{ title | slugify }}/\"\n", "/ca-va-oui/"),
    ("permalink: \"/{{ page.date | date: '%Y' }}/{{ page.fileSlug }}/index.html\"\n", "/2021/hello-there/"),
    ("permalink: old/page.html\n", "/old/page.html"),
])
def test_permalinks(tmp_path: Path, front: str, expected: str) -> None:
    urls = _site(tmp_path, {"posts/2021-03-04-hello-there.md": f"---\n{front}---\nBody\n"})
    assert urls == {"2021-03-04-hello-there.md": (expected,)}


def test_permalink_false_and_unknown_template(tmp_path: Path) -> None:
    blog_files = {"a.md": "---\npermalink: false\n---\nx\n", "b.md": "---\npermalink: /{{ foo() }}/\n---\nx\n"}
    _site(tmp_path, blog_files)
    entries = {entry.source.name: entry for entry in read_eleventy(tmp_path).entries}
    assert entries["a.md"].old_urls == () and entries["a.md"].front["draft"] is True
    assert entries["b.md"].old_urls == () and entries["b.md"].notes[-1].severity == "error"


def test_directory_data_tags_are_collections(tmp_path: Path) -> None:
    files = {"blog/blog.json": '{"tags": "posts", "permalink": "/p/{{ page.fileSlug }}/"}',
             "blog/x.md": "---\ntags: [posts, cats, dogs]\n---\nx\n",
             "blog/y.md": "---\ntags: one tag\n---\ny\n",
             "eleventy.config.js": "module.exports = c => ({ dir: { input: '.' }, pathPrefix: '/site/' })"}
    urls = _site(tmp_path, files)
    entries = {entry.source.name: entry for entry in read_eleventy(tmp_path).entries}
    assert urls == {"x.md": ("/site/p/x/",), "y.md": ("/site/p/y/",)}
    assert entries["x.md"].front["tags"] == ["cats", "dogs"] and entries["x.md"].kind == "posts"
    assert entries["y.md"].front["tags"] == ["one tag"]


def test_js_front_matter_with_code_is_an_error_note(tmp_path: Path) -> None:
    _site(tmp_path, {"a.md": "---js\nconst title = compute();\n---\nbody\n"})
    (entry,) = read_eleventy(tmp_path).entries
    assert entry.front["draft"] is True and entry.notes[0].severity == "error"


def test_literals() -> None:
    assert js.parse_module("// c\nexport default { a: 'x\\'y', \"b\": [1, 2.5, true, null,], c: `t` };") == {
        "a": "x'y", "b": [1, 2.5, True, None], "c": "t"}
    assert js.parse_declarations("const a = 1; let b = {k: [\"v\"]}\nvar c = 'z'") == {"a": 1, "b": {"k": ["v"]},
                                                                                         "c": "z"}
    with pytest.raises(js.NotLiteral):
        js.parse_module("module.exports = { a: process.env.X }")


@given(st.text(max_size=300))
def test_js_reader_never_crashes(text: str) -> None:
    for parse in (js.parse_literal, js.parse_module, js.parse_declarations):
        with contextlib.suppress(js.NotLiteral):
            parse(text)
    js.config_values(text)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                max_size=4), max_leaves=20))
def test_json_is_a_literal(value: object) -> None:
    import json
    assert js.parse_literal(json.dumps(value)) == value


@given(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True))
def test_slug_is_kept(slug: str) -> None:
    assert slugify(slug) == slug
