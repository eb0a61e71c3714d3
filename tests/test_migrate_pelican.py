"""Pelican blogs read as OldBlogs: settings never run, exact old URLs, Pelican's own slugs, metadata headers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.migrate.pelican import parse_header, read_pelican
from sitegen.migrate.pelican_conf import DEFAULTS, merged, read_settings, slugify

SAMPLES = Path(__file__).parent / "fixtures" / "blogs" / "pelican-samples"
PARIS = ZoneInfo("Europe/Paris")


def _blog(tmp_path: Path, conf: str, files: dict[str, str]) -> dict[str, tuple[str, ...]]:
    (tmp_path / "pelicanconf.py").write_text(conf, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    return {entry.source.name: entry.old_urls for entry in read_pelican(tmp_path).entries}


POST = "Title: Hello World\nDate: 2019-05-02 10:30\nCategory: Deep Thoughts\n\nBody.\n"


@pytest.mark.parametrize(("conf", "expected"), [
    ("", "/hello-world.html"),
    ("ARTICLE_URL = '{date:%Y}/{date:%m}/{slug}/'\nARTICLE_SAVE_AS = ARTICLE_URL + 'index.html'\n",
     "/2019/05/hello-world/"),
    ("ARTICLE_URL = '{category}/{slug}.html'\n", "/deep-thoughts/hello-world.html"),
    ("ARTICLE_URL = 'posts/{date:%Y}/{date:%b}/{date:%d}/{slug}/'\n", "/posts/2019/May/02/hello-world/"),
    ("ARTICLE_URL = 'blog/' + '{slug}'\n", "/blog/hello-world"),
    ("SLUGIFY_SOURCE = 'basename'\n", "/my_file.html"),  # \\w keeps the underscore
    ("ARTICLE_URL = '{author}/{slug}.html'\nAUTHOR = 'Jane Doe'\n", "/jane-doe/hello-world.html"),
])
def test_old_url_follows_article_url(tmp_path: Path, conf: str, expected: str) -> None:
    assert _blog(tmp_path, conf, {"My_File.md": POST}) == {"My_File.md": (expected,)}


def test_save_as_that_differs_from_the_url_is_kept_too(tmp_path: Path) -> None:
    conf = "ARTICLE_URL = '{slug}/'\nARTICLE_SAVE_AS = 'posts/{slug}.html'\n"
    assert _blog(tmp_path, conf, {"a.md": POST})["a.md"] == ("/hello-world/", "/posts/hello-world.html")


def test_translation_uses_the_lang_url_and_pages_the_page_url(tmp_path: Path) -> None:
    files = {"a.md": POST, "a-fr.md": POST.replace("Date:", "Lang: fr\nDate:"),
             "pages/about.md": "Title: About Me\n\nHi.\n"}
    assert _blog(tmp_path, "PAGE_URL = '{slug}/'\n", files) == {
        "a.md": ("/hello-world.html",), "a-fr.md": ("/hello-world-fr.html",), "about.md": ("/about-me/",)}


def test_setting_computed_by_code_keeps_the_default_with_a_note(tmp_path: Path) -> None:
    notes: list = []
    values = read_settings("import os\nARTICLE_URL = os.environ['X']\nSITENAME = 'Blog'\n"
                           "if True:\n    SITEURL = 'https://x'\n", Path("pelicanconf.py"), notes)
    assert values == {"SITENAME": "Blog"}
    assert [(note.line, note.message.split(" is ")[0]) for note in notes] == [(2, "ARTICLE_URL"), (5, "SITEURL")]
    assert merged(values)["ARTICLE_URL"] == "{slug}.html"


def test_broken_settings_are_a_note_not_a_crash(tmp_path: Path) -> None:
    notes: list = []
    assert read_settings("SITENAME = (\n" + "[" * 5000, Path("p.py"), notes) == {}
    assert notes[0].severity == "error"


@pytest.mark.parametrize(("title", "ascii_slug", "unicode_slug"), [
    ("مرحبا بالعالم", "mrhb-bllm", "مرحبا-بالعالم"),
    ("السلام عليكم: أول مقالة!", "lslm-lykm-wl-mql", "السلام-عليكم-أول-مقالة"),
    ("שלום עולם", "shlvm-vlm", "שלום-עולם"),
    ("Ünïcödé & <b>HTML</b> title", "unicode-html-title", "ünïcödé-html-title"),
    ("  spaces -- and __under__  ", "spaces-and-__under__", "spaces-and-__under__"),
])
def test_slugify_matches_pelican(title: str, ascii_slug: str, unicode_slug: str) -> None:
    """Expected values computed by pelican/utils.py's slugify at commit c214906 with the default substitutions."""
    assert slugify(title, DEFAULTS) == ascii_slug
    assert slugify(title, {**DEFAULTS, "SLUGIFY_USE_UNICODE": True}) == unicode_slug


def test_arabic_title_gives_pelicans_old_url(tmp_path: Path) -> None:
    post = "Title: مرحبا بالعالم\nDate: 2020-01-02\nLang: ar\n\nنص.\n"
    conf = "DEFAULT_LANG = 'ar'\nARTICLE_URL = '{date:%Y}/{slug}/'\n"
    assert _blog(tmp_path, conf, {"x.md": post}) == {"x.md": ("/2020/mrhb-bllm/",)}


def test_pelican_samples_keep_the_urls_pelican_wrote() -> None:
    blog = read_pelican(SAMPLES)
    urls = {entry.source.name: entry.old_urls for entry in blog.entries}
    assert urls == {
        "2012-11-30_filename-metadata.rst": ("/filename_metadata-example.html",),
        "another_super_article-fr.rst": ("/oh-yeah-fr.html",),
        "super_article.rst": ("/this-is-a-super-article.html",),
        "unbelievable.rst": ("/unbelievable.html",),
        "article1.rst": ("/article-1.html",),
        "markdown-article.md": ("/a-markdown-powered-article.html",),
        "hidden_page.rst": ("/pages/this-is-a-test-hidden-page.html",),
        "override_url_saveas.rst": ("/override/",),
    }
    assert blog.settings == {"title": "Alexis' log", "base_url": "http://blog.notmyidea.org", "language": "en",
                             "author": "Alexis Métaireau", "timezone": "Europe/Paris"}
    assert sorted(asset.target for asset in blog.static) == ["pictures/Sushi.jpg", "pictures/Sushi_Macro.jpg"]


def test_pelican_sample_entries_exactly() -> None:
    entries = {entry.source.name: entry for entry in read_pelican(SAMPLES).entries}
    markdown = entries["markdown-article.md"]
    assert (markdown.kind, markdown.slug, markdown.body_line) == ("posts", "a-markdown-powered-article", 4)
    assert markdown.front == {"title": "A markdown powered article", "date": datetime(2011, 4, 20, tzinfo=PARIS),
                              "tags": ["cat1"], "slug": "a-markdown-powered-article", "yeah": "it is",
                              "category": "cat1"}
    assert "[a root-relative link to unbelievable](/unbelievable.html)" in markdown.body
    assert "[a file-relative link to unbelievable](/unbelievable.html)" in markdown.body
    article = entries["super_article.rst"]
    assert article.front == {
        "title": "This is a super article !", "date": datetime(2010, 12, 2, 10, 14, tzinfo=PARIS),
        "updated": datetime(2013, 11, 17, 23, 29, tzinfo=PARIS),
        "description": "Multi-line metadata should be supported\nas well as inline markup.",
        "tags": ["yeah", "foo", "bar", "foobar"], "author": "Alexis Métaireau", "slug": "this-is-a-super-article",
        "yeah": "it is", "category": "yeah"}
    assert 'src="/pictures/Sushi.jpg"' in article.body and "<h2" in article.body
    hidden = entries["hidden_page.rst"]
    assert hidden.kind == "pages" and any("hidden" in note.message for note in hidden.notes)
    french = entries["another_super_article-fr.rst"]
    assert (french.slug, french.front["lang"]) == ("oh-yeah-fr", "fr")


def test_static_and_attach_links(tmp_path: Path) -> None:
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "a.png").write_bytes(b"png")
    (tmp_path / "content" / "posts").mkdir()
    (tmp_path / "content" / "posts" / "chart.svg").write_text("<svg/>")
    (tmp_path / "content" / "posts" / "p.md").write_text(
        "Title: P\nDate: 2020-01-01\n\n![a]({static}/images/a.png) ![c]({attach}chart.svg) [gone]({filename}x.md)\n")
    (tmp_path / "pelicanconf.py").write_text("ARTICLE_URL = '{slug}/'\n")
    blog = read_pelican(tmp_path)
    (entry,) = blog.entries
    assert entry.body == "![a](/images/a.png) ![c](chart.svg) [gone]({filename}x.md)\n"
    assert [(asset.target, asset.source) for asset in entry.assets] == [
        ("chart.svg", tmp_path / "content" / "posts" / "chart.svg")]
    assert sorted(asset.target for asset in blog.static) == ["images/a.png", "p/chart.svg"]
    assert [(note.line, note.message) for note in entry.notes] == [
        (4, "{filename} link to 'x.md': no such file in the blog")]


def test_draft_and_missing_date(tmp_path: Path) -> None:
    files = {"d.md": "Title: D\nDate: 2020-01-01\nStatus: draft\n\nx\n", "n.md": "Title: N\n\nx\n"}
    (tmp_path / "pelicanconf.py").write_text("")
    for name, text in files.items():
        (tmp_path / "content").mkdir(exist_ok=True)
        (tmp_path / "content" / name).write_text(text)
    entries = {entry.source.name: entry for entry in read_pelican(tmp_path).entries}
    assert entries["d.md"].front["draft"] is True and entries["d.md"].old_urls == ()
    assert entries["n.md"].front["draft"] is True and "date" not in entries["n.md"].front


def test_header_with_continuation_and_fences() -> None:
    header = parse_header("---\nTitle: A\nSummary: one\n    two\nTags: x, y\n---\nBody\n")
    assert header.values == {"title": ["A"], "summary": ["one", "two"], "tags": ["x, y"]}
    assert (header.lines, header.body, header.body_line) == ({"title": 2, "summary": 3, "tags": 5}, "Body\n", 7)


_KEY = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,10}", fullmatch=True)
_VALUE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30).map(str.strip)


@given(st.dictionaries(_KEY.map(str.lower), _VALUE.filter(bool), min_size=1, max_size=8),
       st.text(max_size=200))
def test_header_round_trips(values: dict[str, str], body: str) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in values.items()) + "\n" + body
    header = parse_header(text)
    assert header.values == {key: [value] for key, value in values.items()}
    assert header.body == body and header.body_line == len(values) + 2


@given(st.text(max_size=500))
def test_header_never_crashes_and_loses_no_body_line(text: str) -> None:
    header = parse_header(text)
    assert text.endswith(header.body)
    assert "\n".join(text.split("\n")[header.body_line - 1:]) == header.body


@given(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True))
def test_given_slug_is_kept(slug: str) -> None:
    assert slugify(slug, DEFAULTS) == slug
