"""Posts in two languages: a translation key links the versions of a post (a language link, hreflang both ways,
the sitemap's xhtml:link), and `language_mode: separate` gives each language its home, archive, tags and feeds.
The golden site tests/sites/bilingual is built by the CLI with a fixed clock and compared as a tree, then read back
with an HTML parser, lxml and feedparser."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import html5lib
import pytest
from lxml import etree

from sitegen.incremental.digests import BUILD_MARK

from .helpers import ROOT, UPDATE_GOLDEN, build_ok, edit, read_tree, run_cli

SITE = ROOT / "tests" / "sites" / "bilingual"
EXPECTED = SITE / "expected"
BASE = "https://blog.example.org/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


def _pages() -> dict[str, object]:
    """Every HTML page of the golden tree by its site URL, parsed by html5lib as a browser parses it."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    pages = {}
    for path in sorted(EXPECTED.rglob("*.html")):
        relative = path.relative_to(EXPECTED).as_posix()
        url = "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)
        pages[url] = parser.parse(path.read_bytes())
    return pages


def _hreflang(document: object) -> dict[str, str]:
    """hreflang -> site URL of the page's `<link rel="alternate" hreflang>` elements."""
    links = document.findall(".//head/link[@hreflang]")  # type: ignore[attr-defined]
    assert all(link.get("rel") == "alternate" for link in links)
    assert len({link.get("hreflang") for link in links}) == len(links), "one link per language"
    return {link.get("hreflang"): _site_url(link.get("href")) for link in links}


def _site_url(href: str) -> str:
    assert href.startswith(BASE), f"{href} is not absolute"
    return unquote(urlsplit(href).path)


def test_the_bilingual_site_matches_its_golden_tree(site_copy) -> None:
    site = site_copy("bilingual")
    build_ok("--source", site)
    built = read_tree(site / "public")
    assert built.pop(BUILD_MARK)
    if UPDATE_GOLDEN:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(site / "public", EXPECTED, ignore=shutil.ignore_patterns(BUILD_MARK))
    expected = read_tree(EXPECTED)
    assert sorted(built) == sorted(expected)
    for path, data in expected.items():
        assert built[path] == data, f"{path} differs from the golden file"


def test_each_language_has_its_own_lists_and_feeds() -> None:
    pages = _pages()
    for prefix in ("/", "/en/"):
        for page in ("", "archive/", "tags/", "follow/"):
            assert prefix + page in pages
        for feed in ("feed.xml", "atom.xml", "feed.json"):
            assert (EXPECTED / prefix.lstrip("/") / feed).is_file()
    english_home = pages["/en/"]
    titles = [a.text for a in english_home.findall(".//main//h2/a")]  # type: ignore[attr-defined]
    assert titles == ["Networking at tech meetups without feeling like a salesperson",
                      "What is a professional network?"]
    arabic_home = pages["/"]
    assert [a.text for a in arabic_home.findall(".//main//h2/a")] == [  # type: ignore[attr-defined]
        "مجتمعات المتخصصين", "التشبيك في اللقاءات التقنية دون أن تبدو بائعًا"]
    assert "/page/2/" in pages and "/en/page/2/" not in pages
    assert "/en/tags/networking/" in pages and "/tags/networking/" not in pages


def test_every_page_keeps_its_chrome_in_its_own_language() -> None:
    """`<html lang dir>` says the page's language; nothing in the header, nav or footer is marked as another
    language, but the links to the page's versions in other languages."""
    for url, document in _pages().items():
        lang, direction = document.get("lang"), document.get("dir")  # type: ignore[attr-defined]
        expected_lang = "en" if url.startswith(("/en/", "/posts/networking", "/posts/what-is", "/about-en/",
                                                 "/thanks/en/")) else "ar"
        assert (lang, direction) == (expected_lang, "ltr" if expected_lang == "en" else "rtl"), url
        for part in ("header", "footer"):
            chrome = document.find(f".//body/{part}")  # type: ignore[attr-defined]
            marked = [e for e in chrome.iter() if e.get("lang") not in (None, lang) and e.get("rel") != "alternate"]
            assert marked == [], f"{url}: {part} mixes languages: {[etree.tostring(e) for e in marked]}"


def test_hreflang_is_reciprocal_and_has_an_x_default() -> None:
    pages = _pages()
    linked = {url: _hreflang(doc) for url, doc in pages.items()}
    with_versions = {url: links for url, links in linked.items() if links}
    assert {"/posts/networking-at-tech-meetups/", "/posts/التشبيك-في-اللقاءات-التقنية/", "/posts/what-is-networking/",
            "/posts/ما-هي-الشبكات/", "/about/", "/about-en/", "/", "/en/", "/archive/", "/en/archive/", "/tags/",
            "/en/tags/", "/follow/", "/en/follow/"} == set(with_versions)
    for url, links in with_versions.items():
        lang = pages[url].get("lang")  # type: ignore[attr-defined]
        assert links[lang] == url, f"{url} does not list itself"
        assert links["x-default"] == links["ar"], "the site's language is the default"
        for code, other in links.items():
            assert linked[other] == links, f"{url} -> {other} ({code}) is not reciprocal"
    assert linked["/posts/مجتمعات-المتخصصين/"] == {}, "a key no other post shares links nothing"


def test_each_version_links_the_other_in_its_language_and_direction() -> None:
    pages = _pages()
    english = pages["/posts/networking-at-tech-meetups/"].find(".//nav[@class='translations']/a")  # type: ignore
    assert (english.text, english.get("href"), english.get("hreflang"), english.get("lang"), english.get("dir")) == (
        "العربية", "/posts/التشبيك-في-اللقاءات-التقنية/", "ar", "ar", "rtl")
    arabic = pages["/posts/ما-هي-الشبكات/"].find(".//nav[@class='translations']/a")  # type: ignore[attr-defined]
    assert (arabic.text, arabic.get("href"), arabic.get("lang"), arabic.get("dir")) == (
        "English", "/posts/what-is-networking/", "en", "ltr")
    assert pages["/posts/مجتمعات-المتخصصين/"].find(".//nav[@class='translations']") is None  # type: ignore


def test_the_sitemap_lists_every_version_of_each_page() -> None:
    tree = etree.fromstring((EXPECTED / "sitemap.xml").read_bytes())
    assert tree.nsmap["xhtml"] == "http://www.w3.org/1999/xhtml"
    pages = _pages()
    listed = 0
    for url in tree.iter(f"{SITEMAP_NS}url"):
        loc = _site_url(url.findtext(f"{SITEMAP_NS}loc"))
        alternates = {link.get("hreflang"): _site_url(link.get("href")) for link in url.iter(f"{XHTML_NS}link")}
        assert all(link.get("rel") == "alternate" for link in url.iter(f"{XHTML_NS}link"))
        assert alternates == _hreflang(pages[loc]), loc
        listed += bool(alternates)
    assert listed == 14


def test_the_feeds_of_each_language_carry_its_posts_only() -> None:
    english = feedparser.parse((EXPECTED / "en/feed.xml").read_bytes())
    assert not english.bozo, english.bozo_exception
    assert english.feed.title == "Professional Relationships"
    assert english.feed.language == "en"
    assert english.feed.link == BASE + "en/"
    assert [e.title for e in english.entries] == ["Networking at tech meetups without feeling like a salesperson",
                                                  "What is a professional network?"]
    atom = feedparser.parse((EXPECTED / "en/atom.xml").read_bytes())
    assert not atom.bozo and [e.link for e in atom.entries] == [e.link for e in english.entries]
    arabic = feedparser.parse((EXPECTED / "feed.xml").read_bytes())
    assert not arabic.bozo and arabic.feed.language == "ar"
    assert len(arabic.entries) == 3 and all(e.link not in {x.link for x in english.entries} for e in arabic.entries)
    tag = feedparser.parse((EXPECTED / "en/tags/networking/feed.xml").read_bytes())
    assert not tag.bozo and len(tag.entries) == 2


def _site_with(tmp_path: Path, config: str, posts: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "sitegen.yaml").write_text("title: مدونة\nbase_url: https://b.example/\nlanguage: ar\n" + config,
                                       encoding="utf-8")
    for name, front in posts.items():
        (site / "content/posts" / name).write_text(f"---\n{front}---\nنص المقالة.\n", encoding="utf-8")
    return site


def test_two_versions_in_one_language_are_an_error_naming_both(tmp_path: Path) -> None:
    site = _site_with(tmp_path, "", {
        "a.md": "title: أ\ndate: 2025-01-01\ntranslation_key: k\n",
        "b.md": "title: ب\ndate: 2025-01-02\ntags: [x]\ntranslationKey: k\n",
        "c.md": "title: C\ndate: 2025-01-03\nlang: en\ntranslation_key: k\n",
    })
    code, _out, err = run_cli("build", "--source", site)
    assert code == 1
    assert ("content/posts/b.md:5:1: error: translation_key 'k' names two versions in 'ar': this one and "
            "content/posts/a.md:4") in err.replace(str(site) + "/", "")


def test_a_mixed_site_links_translations_without_lists_per_language(tmp_path: Path) -> None:
    site = _site_with(tmp_path, "", {
        "a.md": "title: أ\ndate: 2025-01-01\ntranslation_key: k\n",
        "c.md": "title: C\ndate: 2025-01-03\nlang: en\ntranslation_key: k\n",
    })
    build_ok("--source", site)
    public = site / "public"
    assert not (public / "en").exists()
    page = (public / "posts/c/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="x-default" href="https://b.example/posts/a/">' in page
    assert '<a href="/posts/a/" hreflang="ar" lang="ar" dir="rtl" rel="alternate">العربية</a>' in page
    assert "xhtml:link" in (public / "sitemap.xml").read_text(encoding="utf-8")


def test_a_site_without_translations_has_no_hreflang(tmp_path: Path) -> None:
    site = _site_with(tmp_path, "", {"a.md": "title: أ\ndate: 2025-01-01\n"})
    build_ok("--source", site)
    assert "hreflang" not in (site / "public/posts/a/index.html").read_text(encoding="utf-8")
    assert "xhtml" not in (site / "public/sitemap.xml").read_text(encoding="utf-8")


def test_a_post_at_a_language_prefix_collides_with_its_home_page(tmp_path: Path) -> None:
    site = _site_with(tmp_path, "language_mode: separate\npermalink: /{slug}/\n", {
        "a.md": "title: أ\ndate: 2025-01-01\nslug: en\n",
        "c.md": "title: C\ndate: 2025-01-03\nlang: en\n",
    })
    code, _out, err = run_cli("build", "--source", site)
    assert code == 1
    assert "the URL /en/ is already taken by sitegen's home page in 'en'" in err


@pytest.mark.parametrize(("config", "message"), [
    ("language_mode: split\n", "language_mode 'split' is not one of: mixed, separate"),
    ("hijri_numerals: hindi\n", "hijri_numerals 'hindi' is not one of: latin, arabic"),
    ("languages:\n  en:\n    titel: x\n", "unknown key 'languages.en.titel'"),
    ("languages:\n  xx-nope:\n", "languages: unknown language 'xx-nope'"),
    ("languages: [en]\n", "'languages' must be a mapping, not a list"),
])
def test_language_settings_are_checked(tmp_path: Path, config: str, message: str) -> None:
    site = _site_with(tmp_path, config, {"a.md": "title: أ\ndate: 2025-01-01\n"})
    code, _out, err = run_cli("build", "--source", site)
    assert code == 1 and message in err, err


def test_a_rebuild_after_a_translation_key_changes_equals_a_cold_build(site_copy, tmp_path: Path) -> None:
    """The English version's page shows a link to the Arabic one, whose source did not change: its digest must."""
    site = site_copy("bilingual")
    build_ok("--source", site)
    before = (site / "public/posts/what-is-networking/index.html").read_bytes()
    edit(site / "content/posts/ما-هي-الشبكات.md", "translationKey: what-is-networking", "translationKey: other")
    build_ok("--source", site)
    after = (site / "public/posts/what-is-networking/index.html").read_bytes()
    assert after != before and b'class="translations"' not in after
    cold = tmp_path / "cold"
    build_ok("--source", site, "--output", cold, "--no-cache")
    built, expected = read_tree(site / "public"), read_tree(cold)
    assert built.pop(BUILD_MARK) and expected.pop(BUILD_MARK)
    assert built == expected
