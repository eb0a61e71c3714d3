"""The Jekyll reader: the URL Jekyll gave each post and page, front matter mapped to sitegen's keys, files kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.migrate import jekyll_urls
from sitegen.migrate.jekyll import read_jekyll

from .helpers import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "blogs" / "jekyll-osdev4arab"


def make_blog(root: Path, config: str, files: dict[str, str]) -> Path:
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


POST = "---\ntitle: Slap Chop\ncategories: [Food]\n---\nText.\n"
STYLES = [  # Jekyll's documented styles (configuration.rb STYLE_TO_PERMALINK) and templates
    ("date", "/food/2009/04/29/slap-chop.html", "/about.html"),
    ("pretty", "/food/2009/04/29/slap-chop/", "/about/"),
    ("ordinal", "/food/2009/119/slap-chop.html", "/about.html"),
    ("weekdate", "/food/2009/W18/WED/slap-chop.html", "/about"),  # add_permalink_suffix knows no weekdate
    ("none", "/food/slap-chop.html", "/about.html"),
    ("/:year/:i_month/:i_day/:short_year/:title/", "/2009/4/29/09/slap-chop/", "/about/"),
    ("/:month_:day/:title", "/04_29/slap-chop", "/about"),
    ("/blog/:categories/:slug:output_ext", "/blog/food/slap-chop.html", "/about.html"),
]


@pytest.mark.parametrize(("style", "post_url", "page_url"), STYLES)
def test_permalink_styles(tmp_path: Path, style: str, post_url: str, page_url: str) -> None:
    make_blog(tmp_path, f"permalink: {style!r}\n", {"_posts/2009-04-29-slap-chop.md": POST,
                                                      "about.md": "---\ntitle: About\n---\nMe.\n"})
    blog = read_jekyll(tmp_path)
    urls = {entry.source.name: entry.old_urls[0] for entry in blog.entries}
    assert urls == {"2009-04-29-slap-chop.md": post_url, "about.md": page_url}


def test_categories_from_folders_and_front_matter(tmp_path: Path) -> None:
    make_blog(tmp_path, "", {
        "Tech/_posts/2020-01-02-Hello World.md": "---\ncategories: Web Dev\ncategory: Big Data\n---\nx\n",
        "_drafts/later.md": "---\ntitle: Later\n---\nnot yet\n",
        "_posts/2020-01-03-hidden.md": "---\npublished: false\n---\nno\n",
        "_posts/2020-01-04-moved.md": "---\nslug: Renamed Post\nredirect_from: [/old-one/]\n---\nx\n"})
    blog = read_jekyll(tmp_path)
    by_name = {entry.source.name: entry for entry in blog.entries}
    hello = by_name["2020-01-02-Hello World.md"]
    # categories lower-cased (not slugified) by :categories; the title part keeps its case, spaces become '-'
    assert hello.old_urls == ("/tech/web/dev/big data/2020/01/02/Hello-World.html",)
    assert hello.slug == "Hello-World"
    assert hello.front["title"] == "Hello world"  # titleize_slug: split on "-", Ruby capitalize
    assert hello.front["tags"] == ["Tech", "Web", "Dev", "Big Data"]
    assert by_name["later.md"].front["draft"] is True and by_name["later.md"].old_urls == ()
    assert by_name["2020-01-03-hidden.md"].front["draft"] is True
    moved = by_name["2020-01-04-moved.md"]
    assert moved.old_urls == ("/2020/01/04/Renamed-Post.html", "/old-one/")
    assert moved.slug == "Renamed-Post"


def test_real_arabic_blog() -> None:
    blog = read_jekyll(FIXTURE)
    assert blog.settings == {"title": "OSDev4Arab", "author": "OSDev4Arab",
                             "description": "نحو مجتمع عربي عن تطوير نظم التشغيل"}
    by_name = {entry.source.name: entry for entry in blog.entries}
    ibmpc = by_name["2015-07-28-2-ibmpc.markdown"]
    assert ibmpc.kind == "posts"
    assert ibmpc.old_urls == ("/osdev/osdev/2-ibm-pc.html",)
    assert ibmpc.slug == "2-ibm-pc"
    assert ibmpc.front == {
        "title": "٢- مدخل إلى الكمبيوتر الشخصي IBM PC", "date": datetime(2015, 7, 28, 8, 1),
        "tags": ["x86", "8086", "8088", "80186", "80286", "80386", "pentium", "real-mode", "protected-mode", "ibm",
                 "pc"],
        "author": "iocoder", "image": "/images/osdev/bootloader/ibmpc.jpg", "layout": "post", "direction": "rtl",
        "series": "osdev_intro_series", "comments": True, "featured_img": "/images/osdev/bootloader/ibmpc.jpg"}
    assert ibmpc.body_line == 13
    page = by_name["MohamedAnwar.md"]
    assert (page.kind, page.old_urls, page.slug) == ("pages", ("/u/mohamed-anwar.html",), "mohamed-anwar")
    assert by_name["2015-07-27-intro_lkdd.md"].old_urls == ("/introduction-to-linux-kernel-device-drivers.html",)
    assert sorted(asset.target for asset in blog.static) == ["images/osdev/bootloader/ibmpc.jpg",
                                                             "images/osdev/bootloader/vonneumann.png"]
    assert [note.path.name for note in blog.notes] == ["index.html"]  # the theme's list of posts


def test_missing_file_is_a_note_with_its_line(tmp_path: Path) -> None:
    make_blog(tmp_path, "baseurl: /blog\n", {
        "_posts/2021-05-06-pics.md": "---\ntitle: Pics\n---\n\n![a]({{ site.baseurl }}/assets/a.png)\n"
                                     "![b](/blog/assets/gone.png)\n",
        "assets/a.png": "png"})
    blog = read_jekyll(tmp_path)
    assert [(a.target, a.reference) for a in blog.static] == [("assets/a.png", "{{ site.baseurl }}/assets/a.png")]
    (entry,) = blog.entries
    assert [(note.line, note.message) for note in entry.notes] == [
        (6, "links to '/blog/assets/gone.png', which is not a file of the blog")]


_TITLE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda t: "/" not in t and "\\" not in t and t.strip(". ") == t and t not in (".", ".."))


@settings(max_examples=60, deadline=None)
@given(title=_TITLE)
def test_slug_gives_back_the_url_segment(tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    root = tmp_path_factory.mktemp("blog")
    try:
        make_blog(root, "permalink: pretty\n", {f"_posts/2020-02-03-{title}.md": "---\n---\nx\n"})
    except OSError:
        return
    (entry,) = read_jekyll(root).entries
    segment = entry.old_urls[0].rstrip("/").rsplit("/", 1)[-1]
    if segment == jekyll_urls.jekyll_slugify(title, "pretty", cased=True) and ".." not in segment \
            and segment and not segment.startswith("."):
        assert entry.slug == segment


@settings(max_examples=100, deadline=None)
@given(front=st.dictionaries(st.sampled_from(["title", "date", "tags", "categories", "category", "image",
                                              "author", "published", "slug", "permalink", "redirect_from",
                                              "last_modified_at", "excerpt"]),
                             st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                                          lambda inner: st.lists(inner, max_size=3)
                                          | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                                          max_leaves=6), max_size=6))
def test_front_matter_mapping_never_crashes(tmp_path_factory: pytest.TempPathFactory,
                                            front: dict[str, object]) -> None:
    import json
    root = tmp_path_factory.mktemp("blog")
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in front.items())
    make_blog(root, "", {"_posts/2020-02-03-x.md": f"---\n{lines}---\nbody\n"})
    blog = read_jekyll(root)
    for entry in blog.entries:
        assert entry.slug and all(url.startswith("/") for url in entry.old_urls)


def test_a_pretty_url_whose_last_folder_ends_in_html_keeps_it_in_the_slug(tmp_path: Path) -> None:
    """Found by the property above: '2020-02-03-0.html.md' is /2020/02/03/0.html/ under `permalink: pretty`, a
    folder named '0.html': its slug is '0.html', where a file URL (/:title.html) loses the extension."""
    make_blog(tmp_path, "permalink: pretty\n", {"_posts/2020-02-03-0.html.md": "---\n---\nx\n"})
    (entry,) = read_jekyll(tmp_path).entries
    assert (entry.old_urls[0], entry.slug) == ("/2020/02/03/0.html/", "0.html")
    other = tmp_path / "other"
    other.mkdir()
    make_blog(other, "permalink: /:title.html\n", {"_posts/2020-02-03-note.md": "---\n---\nx\n"})
    (entry,) = read_jekyll(other).entries
    assert (entry.old_urls[0], entry.slug) == ("/note.html", "note")
