"""The golden site's feeds, read back by feedparser as a feed reader would, and feeds of arbitrary text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sitegen.markdown import render_markdown
from sitegen.render.feeds import feed_links, site_feed_set, tag_feed_set, xml_text
from sitegen.render.feedxml import render_feeds
from sitegen.site.assemble import assemble_site
from sitegen.site.posts import make_post
from sitegen.sources.config import Author, Config
from sitegen.sources.discover import SourceFile
from sitegen.sources.document import Document

from .helpers import GOLDEN_BASIC as EXPECTED
from .helpers import POST, build_ok, make_site, strict_html

TAG_FOLDERS = ["tags/شبكات", "tags/مهنة", "tags/b2b", "tags/career"]


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


@pytest.mark.parametrize("folder", TAG_FOLDERS)
@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_every_tag_feed_is_read_completely_and_carries_only_its_posts(folder: str, name: str) -> None:
    feed = feedparser.parse((EXPECTED / folder / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    tag = unquote(folder.split("/")[1])
    assert feed.feed.title.endswith(f" · {tag}") or feed.feed.title.lower().endswith(f" · {tag}")
    assert feed.entries
    for entry in feed.entries:
        assert entry.title and entry.link and entry.id and entry.published_parsed and entry.content[0].value
        assert tag.lower() in {t.term.lower() for t in entry.tags}


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


def test_an_english_post_in_an_arabic_feed_says_its_language() -> None:
    root = etree.fromstring((EXPECTED / "atom.xml").read_bytes())
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert root.get(lang) == "ar"
    assert [e.get(lang) for e in entries] == ["en", None, None]
    items = json.loads((EXPECTED / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [i["language"] for i in items] == ["en", "ar", "ar"]


def _mailto_parts(href: str) -> tuple[str, str, str]:
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    return unquote(parts.path), query["subject"][0], query["body"][0]


def test_every_item_carries_the_reply_by_email_link() -> None:
    rss = feedparser.parse((EXPECTED / "feed.xml").read_bytes())
    atom = feedparser.parse((EXPECTED / "atom.xml").read_bytes())
    for item, entry in zip(rss.entries, atom.entries, strict=True):
        address, subject, body = _mailto_parts(item.comments)
        assert (address, subject, body) == ("sara@example.org", f"Re: {item.title}", item.link)
        replies = [link for link in entry.links if link.rel == "replies"]
        assert replies[0].href == item.comments
        assert replies[1].href == entry.link + "#replies"
    assert rss.entries[1].slash_comments == "2"  # the two accepted replies


FEED_TYPES = {"feed.xml": "application/rss+xml", "atom.xml": "application/atom+xml",
              "feed.json": "application/feed+json"}


def feed_links_of(page: Path) -> set[tuple[str, str]]:
    """(type, href) of each <link rel="alternate"> in a page's head: what feed readers and browsers discover."""
    head = strict_html(page.read_bytes()).find("head")
    return {(link.get("type"), link.get("href")) for link in head.iter("link") if link.get("rel") == "alternate"}


def test_feeds_are_linked_from_every_page_and_tag_pages_link_their_own() -> None:
    site_feeds = {(kind, f"https://blog.example.org/{name}") for name, kind in FEED_TYPES.items()}
    pages = list(EXPECTED.rglob("*.html"))
    assert pages
    for page in pages:
        assert site_feeds <= feed_links_of(page), page
    tag_feeds = {(kind, f"https://blog.example.org/tags/%D8%B4%D8%A8%D9%83%D8%A7%D8%AA/{name}")
                 for name, kind in FEED_TYPES.items()}
    assert feed_links_of(EXPECTED / "tags/شبكات/index.html") == site_feeds | tag_feeds


def test_the_json_feed_is_json_feed_1_1() -> None:
    feed = json.loads((EXPECTED / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://blog.example.org/feed.json"
    assert [item["title"] for item in feed["items"]] == ["English post with an image", "بناء علاقات حقيقية في B2B",
                                                         "ما هي الشبكات المهنية؟"]
    assert feed["items"][2]["summary"] == "مقدمة قصيرة عن الشبكات المهنية & LinkedIn."  # not &amp;
    assert feed["items"][1]["date_modified"] == "2025-03-01T00:00:00+03:00"


# Arbitrary text in every field a feed carries: XML-forbidden characters, markup characters, Arabic, emoji.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>&\"'\x00\x0b\ufffe؟"), min_size=1,
               max_size=40).filter(lambda s: s.strip())


def _site(tmp: Path, posts: list[tuple[str, str, str]], limit: int = 20):
    config = Config(root=tmp, title="مدونة <&> \x01", base_url="https://blog.example.org/", feed_limit=limit,
                    author=Author(name="سارة & <Co>", email="sara@example.org"))
    made = []
    for n, (title, body, tag) in enumerate(posts):
        source = SourceFile(tmp / "content" / "posts" / f"p{n}.md", "posts")
        doc = Document(source=source, title=title, slug=f"p{n}", date=datetime(2025, 1, 1 + n, 9, tzinfo=UTC),
                       updated=None, tags=(tag,), description=None, draft=False, lang=None, aliases=(), author=None,
                       image=None, template=None, body=body, body_line=1)
        made.append(make_post(doc, render_markdown(body, title=title), config))
    return assemble_site(config, made, replies={})[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=4))
def test_any_text_makes_feeds_every_reader_reads_back_exactly(tmp_path: Path, posts) -> None:
    site = _site(tmp_path, posts)
    files = render_feeds(site)
    titles = [xml_text(t).strip() or f"p{n}" for n, (t, _, _) in reversed(list(enumerate(posts)))]
    for name, path in (("feed.xml", "channel/item/title"), ("atom.xml", "{*}entry/{*}title")):
        feed = feedparser.parse(files[name])
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert len(feed.entries) == len(posts) and all(e.title and e.link and e.id for e in feed.entries)
        # newest first, titles exactly as written (minus what XML cannot carry): nothing double-escaped. Compared
        # as an XML parser reads them, since feedparser "repairs" text that looks like mojibake ('Â¡' -> '¡').
        assert [e.text for e in etree.fromstring(files[name]).iterfind(path)] == titles
    document = json.loads(files["feed.json"])
    assert [item["title"] for item in document["items"]] == titles
    for tag in site.tags:
        tag_files = render_feeds(site, tag_feed_set(site, tag))
        assert not feedparser.parse(tag_files[f"{tag.url.lstrip('/')}atom.xml"]).bozo


def test_feeds_carry_the_newest_posts_up_to_the_limit(tmp_path: Path) -> None:
    site = _site(tmp_path, [(f"t{n}", "x", "tag") for n in range(5)], limit=3)
    assert [p.title for p in site_feed_set(site).posts] == ["t4", "t3", "t2"]
    feed = feedparser.parse(render_feeds(site)["feed.xml"])
    assert [e.title for e in feed.entries] == ["t4", "t3", "t2"]
    links = feed_links(site.config, tag_feed_set(site, site.tags[0]))
    assert [link.url for link in links] == ["https://blog.example.org/tags/tag/feed.xml",
                                            "https://blog.example.org/tags/tag/atom.xml",
                                            "https://blog.example.org/tags/tag/feed.json"]


def test_ids_do_not_change_between_builds(tmp_path: Path) -> None:
    first = render_feeds(_site(tmp_path, [("a", "b", "c")]))
    second = render_feeds(_site(tmp_path, [("a", "b", "c")]))
    assert first == second


def test_without_an_email_address_items_point_at_the_reply_form(tmp_path: Path) -> None:
    site = _site(tmp_path, [("a", "b", "c")])
    site, _ = assemble_site(Config(root=tmp_path, base_url="https://blog.example.org/"), list(site.posts), replies={})
    item = feedparser.parse(render_feeds(site)["feed.xml"]).entries[0]
    assert item.comments == "https://blog.example.org/posts/p0/#replies"


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "feed.json"])
def test_each_item_says_its_language_and_direction(name: str) -> None:
    """Feed readers show an item right to left only when its HTML says so: each item's content is wrapped in an
    element with its post's language and direction (the English post in an Arabic blog stays left to right)."""
    data = (EXPECTED / name).read_bytes()
    if name.endswith(".json"):
        contents = [item["content_html"] for item in json.loads(data)["items"]]
    else:
        contents = [entry.content[0].value for entry in feedparser.parse(data).entries]
    starts = [etree.fromstring(f"<r>{html}</r>", etree.HTMLParser()).find(".//div") for html in contents]
    assert [(div.get("lang"), div.get("dir")) for div in starts] == [("en", "ltr"), ("ar", "rtl"), ("ar", "rtl")]


def test_aligned_table_cells_keep_their_alignment_in_feed_readers(tmp_path: Path) -> None:
    """Pages give aligned cells a class (the site's CSP blocks style attributes); a feed reader has no site
    stylesheet, so feed items carry the alignment as markdown-it writes it (feedparser rewrites the declaration)."""
    table = "| a | b | c |\n| :-- | :-: | --: |\n| 1 | 2 | 3 |\n"
    root = make_site(tmp_path, {"content/posts/t.md": POST + "---\n" + table})
    build_ok("--source", root)
    page = (root / "public/posts/t/index.html").read_text()
    assert '<td class="align-left">1</td>' in page and "style=" not in page
    entries = {name: feedparser.parse((root / "public" / name).read_bytes()).entries[0]
               for name in ("feed.xml", "atom.xml")}
    items = {name: entry.content[0].value if "content" in entry else entry.summary for name, entry in entries.items()}
    items["feed.json"] = json.loads((root / "public/feed.json").read_text())["items"][0]["content_html"]
    for name, html in items.items():
        cells = re.findall(r'<td style="text-align: ?(\w+);?">(\d)</td>', html)
        assert cells == [("left", "1"), ("center", "2"), ("right", "3")], (name, html)
