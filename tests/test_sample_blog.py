"""The repository's own sample blog (the first author's five Arabic articles and one in English) builds cleanly and
reads well."""

from __future__ import annotations

from pathlib import Path

import feedparser
import html5lib
import pytest


@pytest.fixture
def built(sample_blog: Path) -> Path:
    """The sample blog, built once for the whole run (conftest.py), at a clock (2030) after every post."""
    return sample_blog


def test_it_builds_without_a_warning(sample_build: tuple[Path, str]) -> None:
    """What `--strict` demands: no broken link, every post dated (the build prints nothing else on stderr)."""
    assert sample_build[1] == ""


def test_five_arabic_posts_with_arabic_urls(built: Path) -> None:
    posts = sorted(p.parent.name for p in (built / "posts").glob("*/index.html") if not p.parent.name.isascii())
    assert len(posts) == 5
    assert "بناء-علاقات-تقنية-حقيقية" in posts
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for name in posts:
        page = parser.parse((built / "posts" / name / "index.html").read_bytes())
        assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
        assert len(page.findall(".//h1")) == 1
        assert page.find(".//time") is not None
        assert page.findall(".//article//h2"), f"{name} has no section headings"


def test_plain_text_seeds_became_real_markdown(built: Path) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    page = parser.parse((built / "posts/أهمية-الشبكات-المهنية/index.html").read_bytes())
    assert len(page.findall(".//article//ul/li")) >= 5  # '  •' bullets are a list
    assert page.find(".//nav[@class='toc']") is not None
    golden = parser.parse((built / "posts/القواعد-الذهبية-للعلاقات-المهنية/index.html").read_bytes())
    assert golden.findall(".//article//blockquote")  # "نقطة عملية:" callouts


def test_about_page_shows_the_configured_author(built: Path) -> None:
    html = (built / "about/index.html").read_text(encoding="utf-8")
    assert "اسم الكاتب" in html and 'href="https://www.linkedin.com/in/your-profile"' in html


def test_feeds_carry_every_post(built: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((built / name).read_bytes())
        assert not feed.bozo
        assert len(feed.entries) == 6
        assert all(entry.title and entry.published_parsed for entry in feed.entries)


def test_the_english_post_is_left_to_right_in_the_arabic_blog(built: Path) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    page = parser.parse((built / "posts/networking-at-tech-meetups/index.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == ("en", "ltr")
    home = (built / "index.html").read_text(encoding="utf-8")
    assert '<article class="summary h-entry" lang="en" dir="ltr">' in home
