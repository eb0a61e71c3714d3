"""The golden site's feeds, read back by feedparser as a feed reader would."""

from __future__ import annotations

import feedparser
import pytest

from .conftest import ROOT

EXPECTED = ROOT / "tests" / "sites" / "basic" / "expected"


@pytest.mark.parametrize(("name", "version"), [("feed.xml", "rss20"), ("atom.xml", "atom10")])
def test_feed_is_read_completely(name: str, version: str) -> None:
    feed = feedparser.parse((EXPECTED / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title == "مدونة الاختبار"
    assert feed.feed.language == "ar" if version == "rss20" else feed.feed.get("language") == "ar"
    titles = [entry.title for entry in feed.entries]
    # newest first; drafts and future posts are not published
    assert titles == ["English post with an image", "بناء علاقات حقيقية في B2B", "ما هي الشبكات المهنية؟"]
    for entry in feed.entries:
        assert entry.link.startswith("https://blog.example.org/posts/")
        assert entry.id == entry.link
        assert entry.published_parsed
        assert entry.content[0].value.strip()


def test_feed_content_has_absolute_links_and_arabic_urls_are_encoded() -> None:
    feed = feedparser.parse((EXPECTED / "atom.xml").read_bytes())
    english, relations, networking = feed.entries
    assert 'src="https://blog.example.org/posts/bundle-post/chart.svg"' in english.content[0].value
    assert relations.link == "https://blog.example.org/posts/%D8%A8%D9%86%D8%A7%D8%A1-%D8%B9%D9%84%D8%A7%D9%82%D8%A7%D8%AA/"
    assert 'href="https://blog.example.org/posts/' in networking.content[0].value
    assert {t.term for t in relations.tags} == {"شبكات", "B2B"}


def test_feed_times_keep_their_zone() -> None:
    feed = feedparser.parse((EXPECTED / "atom.xml").read_bytes())
    relations = feed.entries[1]
    assert relations.published == "2025-02-01T09:30:00+03:00"
    assert relations.updated == "2025-03-01T00:00:00+03:00"
