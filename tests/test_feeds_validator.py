"""The W3C Feed Validator's rules, checked by our own code (no maintained Python package implements them: the
validator itself, w3c/feedvalidator, is not on PyPI, and `jsonfeedvalidator` 0.0.3 dates from 2017).

Each check names the validator's message it stands for. Covered:

RSS 2.0
  - MissingTitle / MissingLink / MissingDescription: the channel has title, link and description; ContainsHTML:
    channel and item titles and the channel description carry no HTML.
  - MissingDCLanguage / InvalidLanguage: the channel has a language, a valid ISO 639 code.
  - MissingSelf / SelfDoesntMatchLocation: an atom:link rel="self" whose href is the feed's own URL.
  - InvalidRFC2822Date: lastBuildDate and every pubDate are RFC 822 dates (with a valid day name).
  - MissingItemTitle / MissingItemLink, InvalidFullLink: every item has a title and an absolute link; comments
    (the reply-by-email mailto: link) is a full URI made only of the characters RFC 2396 allows.
  - InvalidHttpGUID / DuplicateValue: guid isPermaLink is 'true' or 'false'; a permalink guid is a full URL;
    guids are unique.
  - DuplicateElement: no element that may appear once appears twice in an item.
  - ContainsScript / ContainsMeta / ContainsEmbed / ContainsObject: description and content:encoded carry no
    script, meta, embed or object element and no on* event attribute; ContainsRelRef: no relative href/src.
  - InvalidInteger: slash:comments is a positive integer.
Atom 1.0
  - MissingElement: the feed has id, title, updated and author; every entry has id, title and updated.
  - MissingSelf: a link rel="self" pointing at the feed's own URL; DuplicateAtomLink: no two feed links share
    rel, type and hreflang, no two entry alternates share type and hreflang.
  - InvalidRFC3339Date: every updated and published is an RFC 3339 date-time with a zone.
  - NotCanonicalURI / InvalidFullLink: ids are canonical absolute URIs; DuplicateEntries: ids are unique.
  - MissingContentOrAlternate / MissingTextualContent: each entry has textual content or an alternate link.
  - UnregisteredAtomLinkRel: link relations are registered ones; thr:count (RFC 4685) is a non-negative integer.
  - InvalidLanguage: xml:lang on the feed and on entries is a valid language tag.
  - The same HTML safety and absolute-link checks as RSS, on content type="html".
JSON Feed 1.1 (the spec's MUSTs, as the validator has no JSON mode)
  - version is the 1.1 URL; title and items are present; feed_url is the feed's own URL; home_page_url is set.
  - authors is a list of objects with a name, url or avatar; no top-level key outside the spec unless it starts
    with '_'.
  - every item has a unique string id, a url, content_html, and RFC 3339 date_published/date_modified; tags are
    strings; language is a valid tag.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from babel import Locale, UnknownLocaleError
from lxml import etree

from .helpers import GOLDEN_BASIC as EXPECTED

BASE = "https://blog.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
THR = "{http://purl.org/syndication/thread/1.0}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
SLASH = "{http://purl.org/rss/1.0/modules/slash/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
                    r"\d\d:\d\d(:\d\d)? ([+-]\d{4}|UT|GMT|[ECMP][SD]T)$")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
RFC2396_FULL = re.compile(r"^[a-zA-Z][0-9a-zA-Z+\-.]*:(//)?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]+$")
REGISTERED_RELS = {"alternate", "related", "self", "enclosure", "via", "replies", "license", "edit", "first", "last",
                   "next", "previous", "hub"}
UNSAFE_TAGS = {"script", "meta", "embed", "object"}
JSON_FEED_TOP = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon",
                 "favicon", "authors", "language", "expired", "hubs", "items"}
JSON_FEED_ITEM = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
                  "banner_image", "date_published", "date_modified", "authors", "tags", "language", "attachments"}


class _HtmlScan(HTMLParser):
    """What the validator's safeHtml looks for, and relative references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self.problems.append(f"Contains{tag.title()}: <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"ContainsScript: {name} attribute")
            if name in ("href", "src") and value is not None and not urlsplit(value).scheme:
                self.problems.append(f"ContainsRelRef: {name}={value!r}")


def html_problems(markup: str) -> list[str]:
    scan = _HtmlScan()
    scan.feed(markup)
    scan.close()
    return scan.problems


def valid_language(tag: str | None) -> bool:
    if not tag:
        return False
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def valid_rfc3339(value: str | None) -> bool:
    if not value or not RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def canonical_uri(uri: str) -> bool:
    """What the validator's canonicaluri accepts: lower-case scheme and host, no default port, upper-case
    percent-escapes of characters that need escaping, a path."""
    parts = urlsplit(uri)
    scheme = uri.split(":", 1)[0]  # urlsplit lower-cases it
    if not parts.scheme or scheme != scheme.lower() or parts.netloc != parts.netloc.lower():
        return False
    if (parts.scheme, parts.port) in (("http", 80), ("https", 443)) or not parts.path:
        return False
    for escape in re.findall(r"%[0-9a-fA-F]{2}", uri):
        if escape != escape.upper() or re.match(r"[A-Za-z0-9\-._~]", unquote(escape)):
            return False
    return RFC2396_FULL.match(uri) is not None


def text_has_html(value: str | None) -> bool:
    return bool(value and re.search(r"</\w+>", value))


def rss_problems(data: bytes, url: str) -> list[str]:
    problems: list[str] = []
    root = etree.fromstring(data)
    if root.tag != "rss" or root.get("version") != "2.0":
        return ["not RSS 2.0"]
    channel = root.find("channel")
    for name in ("title", "link", "description"):
        if channel.find(name) is None or not (channel.findtext(name) or "").strip():
            problems.append(f"Missing{name.title()}: channel/{name}")
    if text_has_html(channel.findtext("title")) or text_has_html(channel.findtext("description")):
        problems.append("ContainsHTML: channel title or description")
    if not RFC2396_FULL.match(channel.findtext("link") or ""):
        problems.append("InvalidFullLink: channel/link")
    if not valid_language(channel.findtext("language")):
        problems.append("MissingDCLanguage / InvalidLanguage")
    selves = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if not selves:
        problems.append("MissingSelf")
    elif selves[0].get("href") != url:
        problems.append(f"SelfDoesntMatchLocation: {selves[0].get('href')} != {url}")
    for date in [channel.find("lastBuildDate"), *channel.iter("pubDate")]:
        if date is not None and not RFC822.match(date.text or ""):
            problems.append(f"InvalidRFC2822Date: {date.text}")
    guids = []
    for item in channel.findall("item"):
        for once in ("title", "link", "description", "guid", "pubDate", "comments", f"{CONTENT}encoded"):
            if len(item.findall(once)) > 1:
                problems.append(f"DuplicateElement: item/{once}")
        if not (item.findtext("title") or "").strip():
            problems.append("MissingItemTitle")
        if text_has_html(item.findtext("title")):
            problems.append("ContainsHTML: item/title")
        if not RFC2396_FULL.match(item.findtext("link") or ""):
            problems.append(f"MissingItemLink / InvalidFullLink: {item.findtext('link')}")
        comments = item.findtext("comments")
        if comments is not None and not RFC2396_FULL.match(comments):
            problems.append(f"InvalidFullLink: comments {comments}")
        guid = item.find("guid")
        if guid is None:
            problems.append("MissingGuid")
        else:
            permalink = guid.get("isPermaLink", "true")
            if permalink not in ("true", "false"):
                problems.append("InvalidBooleanAttribute: isPermaLink")
            if permalink == "true" and not RFC2396_FULL.match(guid.text or ""):
                problems.append(f"InvalidHttpGUID: {guid.text}")
            guids.append(guid.text)
        for element in (item.find("description"), item.find(f"{CONTENT}encoded")):
            if element is not None:
                problems.extend(html_problems(element.text or ""))
        count = item.findtext(f"{SLASH}comments")
        if count is not None and not (count.isdigit() and int(count) > 0):
            problems.append(f"InvalidInteger: slash:comments {count}")
    if len(guids) != len(set(guids)):
        problems.append("DuplicateValue: guid")
    return problems


def atom_problems(data: bytes, url: str) -> list[str]:
    problems: list[str] = []
    feed = etree.fromstring(data)
    if feed.tag != f"{ATOM}feed":
        return ["not Atom"]
    for name in ("id", "title", "updated"):
        if feed.find(f"{ATOM}{name}") is None:
            problems.append(f"MissingElement: feed/{name}")
    if not valid_language(feed.get(XML_LANG)):
        problems.append("InvalidLanguage: feed xml:lang")
    entries = feed.findall(f"{ATOM}entry")
    if feed.find(f"{ATOM}author/{ATOM}name") is None and any(e.find(f"{ATOM}author") is None for e in entries):
        problems.append("MissingElement: author")
    if not canonical_uri(feed.findtext(f"{ATOM}id") or ""):
        problems.append(f"NotCanonicalURI: feed id {feed.findtext(f'{ATOM}id')}")
    if not valid_rfc3339(feed.findtext(f"{ATOM}updated")):
        problems.append("InvalidRFC3339Date: feed/updated")
    links = feed.findall(f"{ATOM}link")
    selves = [link for link in links if link.get("rel") == "self"]
    if not selves or selves[0].get("href") != url:
        problems.append("MissingSelf / SelfDoesntMatchLocation")
    keys = [(link.get("rel", "alternate"), link.get("type"), link.get("hreflang")) for link in links]
    if len(keys) != len(set(keys)):
        problems.append("DuplicateAtomLink: feed")
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            if entry.find(f"{ATOM}{name}") is None:
                problems.append(f"MissingElement: entry/{name}")
        ident = entry.findtext(f"{ATOM}id") or ""
        ids.append(ident)
        if not canonical_uri(ident):
            problems.append(f"NotCanonicalURI: {ident}")
        for name in ("updated", "published"):
            value = entry.findtext(f"{ATOM}{name}")
            if value is not None and not valid_rfc3339(value):
                problems.append(f"InvalidRFC3339Date: entry/{name} {value}")
        if entry.get(XML_LANG) is not None and not valid_language(entry.get(XML_LANG)):
            problems.append("InvalidLanguage: entry xml:lang")
        entry_links = entry.findall(f"{ATOM}link")
        alternates = [(link.get("type"), link.get("hreflang")) for link in entry_links
                      if link.get("rel", "alternate") == "alternate"]
        if len(alternates) != len(set(alternates)):
            problems.append("DuplicateAtomLink: entry alternate")
        for link in entry_links:
            if link.get("rel", "alternate") not in REGISTERED_RELS:
                problems.append(f"UnregisteredAtomLinkRel: {link.get('rel')}")
            if not RFC2396_FULL.match(link.get("href") or ""):
                problems.append(f"InvalidFullLink: {link.get('href')}")
            count = link.get(f"{THR}count")
            if count is not None and not count.isdigit():
                problems.append(f"thr:count {count}")
        content = entry.find(f"{ATOM}content")
        if content is None and not alternates:
            problems.append("MissingContentOrAlternate")
        if content is not None:
            if content.get("type", "text") not in ("text", "html", "xhtml") and entry.find(f"{ATOM}summary") is None:
                problems.append("MissingTextualContent")
            if content.get("type") == "html":
                problems.extend(html_problems(content.text or ""))
    if len(ids) != len(set(ids)):
        problems.append("DuplicateEntries")
    return problems


def json_feed_problems(data: bytes, url: str) -> list[str]:
    problems: list[str] = []
    feed = json.loads(data)
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version {feed.get('version')}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append("title")
    if feed.get("feed_url") != url:
        problems.append(f"feed_url {feed.get('feed_url')} != {url}")
    if not str(feed.get("home_page_url", "")).startswith("https://"):
        problems.append("home_page_url")
    if unknown := {k for k in feed if k not in JSON_FEED_TOP and not k.startswith("_")}:
        problems.append(f"unknown keys {unknown}")
    if not valid_language(feed.get("language")):
        problems.append("language")
    authors = feed.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, dict) and {"name", "url", "avatar"} & set(a)
                                                for a in authors):
        problems.append("authors")
    items = feed.get("items")
    if not isinstance(items, list):
        return [*problems, "items"]
    ids = [item.get("id") for item in items]
    if len(ids) != len(set(ids)) or not all(isinstance(i, str) and i for i in ids):
        problems.append("item ids must be unique strings")
    for item in items:
        if unknown := {k for k in item if k not in JSON_FEED_ITEM and not k.startswith("_")}:
            problems.append(f"unknown item keys {unknown}")
        if not isinstance(item.get("content_html"), str) and not isinstance(item.get("content_text"), str):
            problems.append("item without content_html or content_text")
        if not str(item.get("url", "")).startswith("https://"):
            problems.append(f"item url {item.get('url')}")
        for key in ("date_published", "date_modified"):
            if key in item and not valid_rfc3339(item[key]):
                problems.append(f"{key} {item[key]}")
        if not all(isinstance(tag, str) for tag in item.get("tags", [])):
            problems.append("tags must be strings")
        if "language" in item and not valid_language(item["language"]):
            problems.append("item language")
        problems.extend(html_problems(item.get("content_html", "")))
    return problems


CHECKS = {"feed.xml": rss_problems, "atom.xml": atom_problems, "feed.json": json_feed_problems}


def feed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name in CHECKS)


def feed_url(folder: Path, path: Path, base: str) -> str:
    return base + quote(path.relative_to(folder).as_posix())


def test_every_golden_feed_passes_the_validator_rules() -> None:
    files = feed_files(EXPECTED)
    assert len(files) == 3 * 5  # the site and its four tags, three formats each
    for path in files:
        problems = CHECKS[path.name](path.read_bytes(), feed_url(EXPECTED, path, BASE))
        assert problems == [], f"{path.relative_to(EXPECTED)}: {problems}"


def test_the_sample_blogs_feeds_pass_the_validator_rules(sample_blog: Path) -> None:
    base = "https://example.netlify.app/"
    files = feed_files(sample_blog)
    assert len(files) > 3
    for path in files:
        problems = CHECKS[path.name](path.read_bytes(), feed_url(sample_blog, path, base))
        assert problems == [], f"{path.relative_to(sample_blog)}: {problems}"


@pytest.mark.parametrize(("markup", "expected"), [
    ('<p onclick="x()">a</p>', ["ContainsScript: onclick attribute"]),
    ("<script>x()</script>", ["ContainsScript: <script>"]),
    ('<a href="/posts/x/">x</a>', ["ContainsRelRef: href='/posts/x/'"]),
    ('<a href="https://x.org/">x</a><img src="https://x.org/a.png" alt="">', []),
])
def test_the_html_rules_catch_what_the_validator_flags(markup: str, expected: list[str]) -> None:
    assert html_problems(markup) == expected


def test_the_rules_catch_a_broken_feed() -> None:
    broken = b"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>
      <link>https://x.org/</link><description>&lt;b&gt;d&lt;/b&gt;</description>
      <atom:link rel="self" href="https://x.org/other.xml"/>
      <item><title>a</title><link>/relative/</link><guid>1</guid><guid>1</guid><pubDate>2025-01-01</pubDate></item>
      </channel></rss>"""
    problems = rss_problems(broken, "https://x.org/feed.xml")
    assert "ContainsHTML: channel title or description" in problems
    assert "MissingDCLanguage / InvalidLanguage" in problems
    assert any(p.startswith("SelfDoesntMatchLocation") for p in problems)
    assert "InvalidRFC2822Date: 2025-01-01" in problems
    assert any(p.startswith("MissingItemLink") for p in problems)
    assert "DuplicateElement: item/guid" in problems
    assert not canonical_uri("HTTPS://x.org/") and not canonical_uri("https://x.org/%d8%a8")
    assert canonical_uri("https://x.org/%D8%A8/")


def test_every_feed_of_the_bilingual_golden_site_passes_the_validator_rules() -> None:
    expected = EXPECTED.parents[1] / "bilingual" / "expected"
    files = feed_files(expected)
    assert {p.relative_to(expected).parent.as_posix() for p in files} >= {".", "en", "en/tags/networking"}
    for path in files:
        problems = CHECKS[path.name](path.read_bytes(), feed_url(expected, path, BASE))
        assert problems == [], f"{path.relative_to(expected)}: {problems}"
