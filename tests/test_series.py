"""Series: `series:` and `series_order:` in the front matter give each part "part n of m" with links to the other
parts, a page and three feeds per series, and `isPartOf` in the post's JSON-LD. The golden site tests/sites/series
is built by the real CLI with a fixed clock and read back with an HTML parser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from sitegen.incremental.digests import BUILD_MARK
from sitegen.sources.discover import SourceFile
from sitegen.sources.document import parse_document

from .helpers import ROOT, UPDATE_GOLDEN, build_ok, edit, make_site, read_tree, run_cli

SERIES = "بناء العلاقات"
SERIES_URL = "/series/بناء-العلاقات/"
PARTS = ["/posts/relations-1/", "/posts/relations-2/", "/posts/relations-3/"]
"""In their series_order: part 3 is dated before part 2."""
ENGLISH_PARTS = ["/posts/networking-en/", "/posts/networking-en-2/"]
"""No series_order: placed by the dates in their file names."""


@pytest.fixture
def built(site_copy) -> Path:
    site = site_copy("series")
    build_ok("--source", site)
    return site / "public"


def page(public: Path, url: str) -> html.HtmlElement:
    return html.fromstring((public / url.strip("/") / "index.html").read_bytes())


def test_the_series_site_matches_its_golden_tree(built: Path) -> None:
    expected_dir = ROOT / "tests" / "sites" / "series" / "expected"
    tree = read_tree(built)
    assert tree.pop(BUILD_MARK)
    if UPDATE_GOLDEN:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(built, expected_dir, ignore=shutil.ignore_patterns(BUILD_MARK))
    expected = read_tree(expected_dir)
    assert sorted(tree) == sorted(expected)
    for path, data in expected.items():
        assert tree[path] == data, f"{path} differs from the golden file"


@pytest.mark.parametrize(("parts", "lang", "label"), [
    (PARTS, "ar", "الجزء {n} من {m}"),
    (ENGLISH_PARTS, "en", "Part {n} of {m}"),
])
def test_each_part_says_which_part_it_is_and_links_every_part(built: Path, parts: list[str], lang: str,
                                                               label: str) -> None:
    for n, url in enumerate(parts, 1):
        document = page(built, url)
        assert document.get("lang") == lang
        (nav,) = document.xpath('//nav[@class="series"]')
        title = nav.xpath('.//p[@class="series-title"]')[0]
        assert title.text == label.format(n=n, m=len(parts))
        links = nav.xpath('.//ol[@class="series-parts"]/li/a')
        assert [a.get("href") for a in links] == parts
        assert [a.get("href") for a in links if a.get("aria-current") == "page"] == [url]


def test_a_post_in_no_series_shows_none(built: Path) -> None:
    assert page(built, "/posts/alone/").xpath('//nav[@class="series"]') == []


def test_the_series_page_lists_the_parts_in_order_and_links_its_feeds(built: Path) -> None:
    document = page(built, SERIES_URL)
    assert document.xpath("//h1")[0].text == f"سلسلة: {SERIES}"
    assert [a.get("href") for a in document.xpath('//ol[@class="series-list"]/li/a')] == PARTS
    feeds = document.xpath('//head/link[@rel="alternate"]/@href')
    names = ("feed.xml", "atom.xml", "feed.json")
    assert feeds == [*(f"https://blog.example.org/{name}" for name in names),  # the site's, then the series'
                     *(f"https://blog.example.org{quote(SERIES_URL)}{name}" for name in names)]
    english = page(built, "/series/networking-in-english/")
    assert english.get("lang") == "en" and english.get("dir") == "ltr"


def test_the_series_feeds_carry_its_parts_newest_first(built: Path) -> None:
    folder = built / SERIES_URL.strip("/")
    newest_first = [PARTS[1], PARTS[2], PARTS[0]]
    rss = etree.parse(str(folder / "feed.xml"))
    assert [link.rsplit("blog.example.org", 1)[1] for link in rss.xpath("//item/link/text()")] == newest_first
    atom = etree.parse(str(folder / "atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert len(atom.xpath("//a:entry", namespaces=ns)) == 3
    feed = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
    assert feed["title"] == f"مدونة السلاسل · {SERIES}"
    assert [item["url"].rsplit("blog.example.org", 1)[1] for item in feed["items"]] == newest_first


def test_json_ld_says_the_post_is_part_of_the_series(built: Path) -> None:
    script = page(built, PARTS[2]).xpath('//script[@type="application/ld+json"]')[0].text
    data = json.loads(script)
    assert data["isPartOf"] == [
        {"@type": "Blog", "name": "مدونة السلاسل", "url": "https://blog.example.org/"},
        {"@type": "CreativeWorkSeries", "name": SERIES, "url": f"https://blog.example.org{quote(SERIES_URL)}"},
    ]
    assert data["position"] == 3
    alone = json.loads(page(built, "/posts/alone/").xpath('//script[@type="application/ld+json"]')[0].text)
    assert alone["isPartOf"] == {"@type": "Blog", "name": "مدونة السلاسل", "url": "https://blog.example.org/"}


def test_a_scheduled_part_counts_once_it_is_published(site_copy) -> None:
    site = site_copy("series")
    build_ok("--source", site, "--future")
    title = page(site / "public", "/posts/later/").xpath('//p[@class="series-title"]')[0].text
    assert title == "الجزء 4 من 4"


def test_two_parts_with_one_order_are_an_error_naming_both(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/posts/a.md": "---\ntitle: a\ndate: 2025-01-01\nseries: s\nseries_order: 1\n---\nA\n",
        "content/posts/b.md": "---\ntitle: b\ndate: 2025-01-02\nseries: s\ntags: [x]\nseries_order: 1\n---\nB\n",
    })
    code, _, err = run_cli("build", "--source", site, cwd=site)
    assert code == 1
    assert ("content/posts/b.md:6: error: series_order 1 of the series 's' is already taken by content/posts/a.md:5"
            in err)


@pytest.mark.parametrize(("value", "shown"), [("two", "'two'"), ("1.5", "a number"), ("[1]", "a list"),
                                              ("true", "'True'")])
def test_an_order_that_is_no_whole_number_is_an_error_at_its_line(tmp_path: Path, value: str, shown: str) -> None:
    site = make_site(tmp_path, {
        "content/posts/a.md": f"---\ntitle: a\ndate: 2025-01-01\nseries: s\nseries_order: {value}\n---\nA\n"})
    code, _, err = run_cli("build", "--source", site, cwd=site)
    assert code == 1
    assert f"content/posts/a.md:5:1: error: series_order must be a whole number, not {shown}" in err


def test_an_order_written_as_text_is_read_as_a_number(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/posts/a.md": "---\ntitle: a\ndate: 2025-01-02\nseries: s\nseries_order: '1'\n---\nA\n",
        "content/posts/b.md": "---\ntitle: b\ndate: 2025-01-01\nseries: s\nseries_order: 2\n---\nB\n"})
    build_ok("--source", site)
    links = page(site / "public", "/series/s/").xpath('//ol[@class="series-list"]/li/a/@href')
    assert links == ["/a/", "/b/"] or links == ["/posts/a/", "/posts/b/"]


def _cold(site: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    build_ok("--source", site, "--output", out, "--no-cache")
    return read_tree(out)


def _add_part(site: Path) -> None:
    (site / "content/posts/relations-0.md").write_text(
        "---\ntitle: مقدمة السلسلة\ndate: 2024-12-01\nseries: بناء العلاقات\nseries_order: 0\n---\nمقدمة.\n",
        encoding="utf-8")


def _rename_series(site: Path) -> None:
    edit(site / "content/posts/relations-3.md", "series: بناء العلاقات", "series: سلسلة أخرى")


def _reorder(site: Path) -> None:
    edit(site / "content/posts/relations-3.md", "series_order: 3", "series_order: 0")


def _retitle_part(site: Path) -> None:
    edit(site / "content/posts/relations-1.md", "title: العلاقات المهنية، الجزء الأول", "title: عنوان جديد")


@pytest.mark.parametrize("change", [_add_part, _rename_series, _reorder, _retitle_part])
def test_a_rebuild_after_a_series_changes_equals_a_cold_build(site_copy, tmp_path: Path, change) -> None:
    site = site_copy("series")
    build_ok("--source", site)
    change(site)
    build_ok("--source", site)
    assert read_tree(site / "public") == _cold(site, tmp_path)


@settings(max_examples=200, deadline=None)
@example("²")  # a digit, not a decimal: int() refuses it
@example(" ٣ ")  # an Arabic-Indic three
@example("--5")  # two signs: no number (it crashed int() once)
@given(st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(), st.text(max_size=12),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                 st.none()))
def test_any_series_order_is_a_number_or_an_error_at_its_line(value: object) -> None:
    """Whatever YAML holds for series_order, the document is read without a crash: a whole number (or a number
    written as text) gives the order; anything else is one error at the key's line."""
    text = "---\ntitle: a\nseries: s\nseries_order: " + json.dumps(value) + "\n---\nA\n"
    source = SourceFile(Path("a.md"), "posts")
    doc, errors = parse_document(text, source, ZoneInfo("UTC"))
    problems = [e for e in errors if e.severity == "error"]
    if value is None:
        assert doc is not None and doc.series_order is None
    elif isinstance(value, int) and not isinstance(value, bool):
        assert doc is not None and doc.series_order == value
    elif isinstance(value, str) and value.strip().removeprefix("-").isdecimal():
        assert doc is not None and doc.series_order == int(value.strip())
    else:
        assert doc is None and [(e.line, e.message.startswith("series_order must be a whole number")) for e in
                                problems] == [(4, True)]


def test_two_series_with_one_address_are_an_error_at_the_later(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/posts/a.md": "---\ntitle: a\ndate: 2025-01-01\nseries: AI\n---\nA\n",
        "content/posts/b.md": "---\ntitle: b\ndate: 2025-01-02\nseries: ai\n---\nB\n",
    })
    code, _, err = run_cli("build", "--source", site, cwd=site)
    assert code == 1
    assert ("content/posts/b.md:4: error: series 'ai' would have the address /series/ai/ of the series 'AI' "
            "(content/posts/a.md)") in err
    assert "build failed with 1 problem;" in err


def test_parts_show_their_series_when_each_language_has_its_own_home(tmp_path: Path) -> None:
    """With `language_mode: separate` a post's page is rendered with its language's edition of the site, which
    must know the series too."""
    part = "---\ntitle: {t}\ndate: 2025-0{n}-01\nlang: en\nseries: Meetups\nseries_order: {n}\n---\nText.\n"
    site = make_site(tmp_path, {"sitegen.yaml": "title: t\nbase_url: https://example.org/\nlanguage: ar\n"
                                                "language_mode: separate\n",
                                "content/posts/a.md": part.format(t="A", n=1),
                                "content/posts/b.md": part.format(t="B", n=2)})
    build_ok("--source", site)
    for slug, n in (("a", 1), ("b", 2)):
        tree = page(site / "public", f"/posts/{slug}/")
        assert tree.xpath("string(//*[@class='series-title'])").startswith(f"Part {n} of 2")
        assert "CreativeWorkSeries" in tree.xpath("string(//script[@type='application/ld+json'])")
