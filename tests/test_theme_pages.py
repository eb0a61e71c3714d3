"""The default theme's pages, read as HTML: what a post, the lists, the tag index, the archive and the 404 page
show; sharing metadata and JSON-LD; no request leaves the site; the home page's weight.

The same pages in a real browser (axe-core, direction, overflow, CSP) are in test_theme_browser.py; their HTML
validity by the Nu Html Checker in test_html_validity.py.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitegen.render.metadata import og_locale, script_json

from .helpers import GOLDEN_BASIC as GOLDEN
from .helpers import ROOT, build_ok, strict_html

BASE = "https://example.netlify.app/"
LONG_POST = "posts/أهمية-الشبكات-المهنية/index.html"
ENGLISH_POST = "posts/networking-at-tech-meetups/index.html"
WEIGHT_LIMIT = 100 * 1024


@pytest.fixture
def built(sample_blog: Path) -> Path:
    """The sample blog, built once for the whole run (conftest.py)."""
    return sample_blog


def parse(path: Path):
    return strict_html(path.read_bytes())


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def classes(element) -> list[str]:
    return (element.get("class") or "").split()


def find_class(root, tag: str, name: str):
    return [e for e in root.iter(tag) if name in classes(e)]


def meta(page) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for element in page.iter("meta"):
        key = element.get("property") or element.get("name")
        if key:
            values.setdefault(key, []).append(element.get("content"))
    return values


def json_ld(page) -> list[dict]:
    return [json.loads(s.text) for s in page.iter("script") if s.get("type") == "application/ld+json"]


# --- a post ---------------------------------------------------------------------------------------------------------

def test_a_long_post_has_everything_a_reader_needs(built: Path) -> None:
    page = parse(built / LONG_POST)
    article = page.find(".//article")
    assert text(article.find(".//h1")) == "ما هي الشبكات المهنية؟ ولماذا تهمّ؟"
    published = article.find(".//time[@class='dt-published']")
    assert published.get("datetime").startswith("2025-10-05") and text(published) == "5 أكتوبر 2025"
    assert text(find_class(article, "span", "reading-time")[0]) == "12 دقيقة قراءة"
    assert [text(a) for a in find_class(article, "a", "tag")] == ["الشبكات المهنية", "مسار مهني", "مقابلات العمل"]
    toc = page.find(".//nav[@class='toc']")
    assert len(toc.findall(".//li")) >= 3 and all(a.get("href").startswith("#") for a in toc.iter("a"))
    ids = {e.get("id") for e in article.iter() if e.get("id")}
    assert {unquote(a.get("href")[1:]) for a in toc.iter("a")} <= ids  # every entry leads to its heading
    card = find_class(article, "section", "author-card")[0]
    assert "h-card" in classes(card) and "اسم الكاتب" in text(card) and "LinkedIn" in text(card)
    assert page.find(".//section[@class='replies']") is not None and page.find(".//form[@name='reply']") is not None
    follow = page.find(".//aside[@class='follow-box']")
    assert follow is not None and {a.get("href") for a in follow.iter("a")} == {"/follow/", "/feed.xml"}


def test_short_posts_have_no_table_of_contents(built: Path) -> None:
    assert parse(built / ENGLISH_POST).find(".//nav[@class='toc']") is None


def dated_posts(built: Path) -> list[tuple[datetime, str]]:
    posts = []
    for index in (built / "posts").glob("*/index.html"):
        stamp = parse(index).find(".//time[@class='dt-published']").get("datetime")
        posts.append((datetime.fromisoformat(stamp), f"/posts/{index.parent.name}/"))
    return sorted(posts, reverse=True)


def test_older_and_newer_links_follow_the_dates(built: Path) -> None:
    order = [url for _, url in dated_posts(built)]
    assert len(order) == 6
    for at, url in enumerate(order):
        nav = parse(built / url.strip("/") / "index.html").find(".//nav[@class='post-nav']")
        links = {a.get("rel"): a.get("href") for a in nav.iter("a")}
        assert links.get("prev") == (order[at + 1] if at + 1 < len(order) else None), url
        assert links.get("next") == (order[at - 1] if at else None), url


def tags_of(page) -> set[str]:
    return {text(a) for a in find_class(page, "a", "tag")}


def test_related_posts_share_a_tag(built: Path) -> None:
    for _, url in dated_posts(built):
        page = parse(built / url.strip("/") / "index.html")
        section = page.find(".//section[@class='related']")
        assert section is not None, url
        links = [a.get("href") for a in section.iter("a")]
        assert 1 <= len(links) <= 3 and url not in links
        for link in links:
            assert tags_of(page) & tags_of(parse(built / link.strip("/") / "index.html")), (url, link)


def test_titles_in_another_language_are_marked_with_it(built: Path) -> None:
    english = parse(built / ENGLISH_POST)
    title = english.find(".//a[@class='site-title']")
    assert (title.get("lang"), title.get("dir")) == ("ar", "rtl")  # the Arabic blog's name in an English page
    for link in english.find(".//nav[@class='post-nav']").iter("span"):
        if "post-nav-title" in classes(link):
            assert (link.get("lang"), link.get("dir")) == ("ar", "rtl")
    archive = parse(built / "archive/index.html")
    link = next(a for a in archive.iter("a") if a.get("href") == "/posts/networking-at-tech-meetups/")
    assert (link.get("lang"), link.get("dir")) == ("en", "ltr")
    home = parse(built / "index.html")
    summary = next(a for a in find_class(home, "article", "summary") if a.get("lang") == "en")
    assert summary.get("dir") == "ltr"  # and its words are English, like its text
    assert [text(e) for e in summary.iter() if e.tag == "time" or "read-more" in classes(e)] == \
        ["February 15, 2026", "Read more: Networking at tech meetups without feeling like a salesperson"]
    for tag in find_class(parse(built / "posts/ما-هي-الشبكات/index.html"), "a", "tag"):
        assert tag.get("dir") == "auto"  # 'LinkedIn' reads left to right inside the Arabic list


# --- lists, tags, archive, 404 --------------------------------------------------------------------------------------

def test_home_lists_title_date_summary_and_reading_time(built: Path) -> None:
    page = parse(built / "index.html")
    summaries = find_class(page, "article", "summary")
    assert len(summaries) == 6
    for summary in summaries:
        assert text(summary.find(".//h2")) and summary.find(".//h2/a").get("href").startswith("/posts/")
        assert summary.find(".//time").get("datetime")
        assert find_class(summary, "div", "summary-text")[0].findall(".//p")
        assert find_class(summary, "span", "reading-time")
    assert page.find(".//a[@aria-current='page']").get("href") == "/"


def test_the_tag_index_has_counts_and_the_archive_years(built: Path) -> None:
    tags = parse(built / "tags/index.html")
    rows = {text(li.find("a")): text(li.find("span")) for li in tags.find(".//ul[@class='tag-index']")}
    assert rows["الشبكات المهنية"] == "5 مقالات" and rows["Meetup"] == "مقالان" and rows["networking"] == "مقال واحد"
    archive = parse(built / "archive/index.html")
    years = [text(h2) for h2 in archive.iter("h2")]
    assert years == ["2026 3 مقالات", "2025 3 مقالات"]


def test_the_404_page_offers_ways_on(built: Path) -> None:
    page = parse(built / "404.html")
    hrefs = [a.get("href") for a in page.find(".//main").iter("a")]
    assert {"/", "/archive/", "/tags/"} <= set(hrefs)
    assert sum(h.startswith("/posts/") for h in hrefs) == 5 and sum(h.startswith("/tags/") for h in hrefs) >= 4
    assert meta(page)["robots"] == ["noindex"]


# --- metadata -------------------------------------------------------------------------------------------------------

def test_posts_carry_sharing_metadata_and_blog_posting_json_ld(built: Path) -> None:
    for _, url in dated_posts(built):
        page = parse(built / url.strip("/") / "index.html")
        tags = meta(page)
        canonical = page.find(".//link[@rel='canonical']").get("href")
        assert urlsplit(canonical).path.isascii() and unquote(canonical) == BASE.rstrip("/") + url
        assert tags["og:url"] == [canonical] and tags["og:type"] == ["article"]
        assert tags["og:title"] == [text(page.find(".//h1"))] == tags["twitter:title"]
        assert tags["description"] == tags["og:description"] == tags["twitter:description"]
        assert tags["twitter:card"] == ["summary_large_image"]
        assert tags["og:image"] == [canonical + "card.png"] == tags["twitter:image"]  # the post's own share card
        assert (built / url.strip("/") / "card.png").is_file()
        assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["627"]
        assert tags["og:locale"] == [og_locale(page.get("lang"))]
        (data,) = json_ld(page)
        assert data["@type"] == "BlogPosting" and data["headline"] == tags["og:title"][0]
        assert data["url"] == canonical and data["mainEntityOfPage"]["@id"] == canonical
        assert data["author"]["name"] == "اسم الكاتب" and data["author"]["url"] == BASE + "about/"
        assert data["datePublished"] == tags["article:published_time"][0]
        assert data["dateModified"] >= data["datePublished"]
        assert data["inLanguage"] == page.get("lang")


def test_other_pages_describe_themselves_too(built: Path) -> None:
    for path in ("index.html", "about/index.html", "tags/index.html", "archive/index.html", "follow/index.html"):
        page = parse(built / path)
        tags = meta(page)
        assert tags["description"][0] and tags["og:type"] == ["website"] and tags["og:image"]
        assert page.find(".//link[@rel='canonical']").get("href").startswith(BASE)
    (blog,) = json_ld(parse(built / "index.html"))
    assert blog["@type"] == "Blog" and blog["url"] == BASE
    titles = [text(parse(built / p).find(".//title")) for p in ("index.html", "tags/index.html", "archive/index.html")]
    assert len(set(titles)) == 3


def test_json_ld_cannot_end_its_script_whatever_the_text() -> None:
    hostile = "</script><script>alert(1)</script> <!-- --> \u2028\u2029 & \ud83d"
    raw = str(script_json({"headline": hostile}))
    assert "<" not in raw and ">" not in raw and "\u2028" not in raw and "\u2029" not in raw
    raw.encode("utf-8")  # a lone surrogate is escaped, not written
    assert json.loads(raw) == {"headline": hostile}


def test_a_post_image_is_the_sharing_image(tmp_path: Path, site_copy) -> None:
    site = site_copy("basic")
    post = site / "content/posts/bundle-post/index.md"
    post.write_text(post.read_text(encoding="utf-8").replace("lang: en\n", "lang: en\nimage: chart.svg\n"),
                    encoding="utf-8")
    build_ok("--source", site)
    tags = meta(parse(site / "public/posts/bundle-post/index.html"))
    assert tags["og:image"] == ["https://blog.example.org/posts/bundle-post/chart.svg"] == tags["twitter:image"]
    assert "og:image:width" not in tags
    (data,) = json_ld(parse(site / "public/posts/bundle-post/index.html"))
    assert data["image"] == tags["og:image"][0]


# --- weight and requests --------------------------------------------------------------------------------------------

def page_resources(built: Path, page_path: str) -> list[Path]:
    """The files a browser fetches to show a page, images aside: the page, its stylesheets, scripts and icon."""
    html = (built / page_path).read_text(encoding="utf-8")
    refs = re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', html) + re.findall(r'<script src="([^"]+)"',
                                                                                          html)
    return [built / page_path, *(built / unquote(ref).lstrip("/") for ref in refs)]


def test_the_home_page_weighs_less_than_100_kb_before_images(built: Path) -> None:
    files = page_resources(built, "index.html")
    raw = sum(f.stat().st_size for f in files)
    gzipped = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
    assert len(files) == 3  # the page, its stylesheet, the icon (the highlighter's only on pages with code)
    assert raw < WEIGHT_LIMIT, f"home page: {raw} bytes uncompressed"
    assert gzipped < WEIGHT_LIMIT / 4, f"home page: {gzipped} bytes gzipped"


@pytest.mark.parametrize("folder", ["sample", "golden"])
def test_no_page_asks_for_anything_outside_the_site(built: Path, folder: str) -> None:
    root = built if folder == "sample" else GOLDEN
    for path in root.rglob("*.html"):
        page = parse(path)
        for element in page.iter():
            if element.tag in ("img", "script", "iframe", "audio", "video", "source", "embed"):
                ref = element.get("src") or ""
            elif element.tag == "link" and element.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
                ref = element.get("href") or ""
            else:
                continue
            assert not urlsplit(ref).netloc and not ref.startswith("//"), (path, ref)
        css = "".join((root / p).read_text() for p in ("style.css", "highlight.css"))
        assert ('class="highlight"' in path.read_text()) == ("highlight." in "".join(
            link.get("href") for link in page.iter("link") if link.get("rel") == "stylesheet")), path
        assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)


# --- one stylesheet for both directions -----------------------------------------------------------------------------

PHYSICAL = re.compile(r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:|"
                      r"float\s*:\s*(left|right)|text-align\s*:\s*(left|right)|clear\s*:\s*(left|right)")


def test_the_stylesheet_uses_logical_properties_only() -> None:
    """`margin-inline-start`, `inset-inline-end`, `text-align: start`...: the same rule serves Arabic and English. The
    exceptions: code, which reads left to right in both (`pre { direction: ltr; text-align: left }`), and the table
    columns an author aligned left or right in Markdown (README, "Markdown")."""
    css = (ROOT / "themes/default/static/style.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = [m.group(0) for m in PHYSICAL.finditer(css)]
    assert found == ["text-align: left", "text-align: left", "text-align: right"]
    assert re.search(r"pre \{[^}]*direction: ltr;[^}]*text-align: left;", css)
    assert ":is(th, td).align-left { text-align: left; }" in css
    assert ":is(th, td).align-right { text-align: right; }" in css
