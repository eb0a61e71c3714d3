"""Every address claimed once: what is allowed (a site's static file over its theme's, the site's own _redirects,
query aliases), tags whose addresses are equal made one tag, and a sitemap and feeds that list every page once.
What is refused, with its exact message, is in bad_input_cases.py (checked by the build and by the preview)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser

from .helpers import POST, build_ok, make_site, run_cli, strict_html

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def tag_page(root: Path, slug: str) -> tuple[str, list[str]]:
    """The tag page's heading and the titles of the posts it lists."""
    page = strict_html((root / "public/tags" / slug / "index.html").read_bytes())
    heading = "".join(page.find(".//h1").itertext()).strip()
    titles = ["".join(a.itertext()).strip() for a in page.iterfind(".//article//h2//a")]
    return heading, titles


def post_tags(root: Path, slug: str) -> list[tuple[str, str]]:
    """(shown name, link) of each tag on a post's page."""
    page = strict_html((root / "public/posts" / slug / "index.html").read_bytes())
    return [("".join(a.itertext()).strip(), a.get("href") or "") for a in page.iterfind(".//a[@rel='tag']")]


def test_tags_whose_addresses_are_equal_are_one_tag_shown_as_most_posts_write_it(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/posts/a.md": "---\ntitle: أ\ndate: 2025-01-01\ntags: [ai, ذكاء اصطناعي]\n---\nنص\n",
        "content/posts/b.md": "---\ntitle: ب\ndate: 2025-01-02\ntags: [AI, ذكاء_اصطناعي]\n---\nنص\n",
        "content/posts/c.md": "---\ntitle: ج\ndate: 2025-01-03\ntags: [ai, ذكاء اصطناعي]\n---\nنص\n",
    })
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 0
    assert stderr == (
        "content/posts/b.md: warning: tags 'ai' and 'AI' have one address, /tags/ai/: they are one tag, shown as "
        "'ai'\n  hint: write the tag the same way in every post\n"
        "content/posts/b.md: warning: tags 'ذكاء اصطناعي' and 'ذكاء_اصطناعي' have one address, "
        "/tags/ذكاء-اصطناعي/: they are one tag, shown as 'ذكاء اصطناعي'\n"
        "  hint: write the tag the same way in every post\n")
    assert sorted(p.name for p in (root / "public/tags").iterdir() if p.is_dir()) == ["ai", "ذكاء-اصطناعي"]
    for slug, name in (("ai", "ai"), ("ذكاء-اصطناعي", "ذكاء اصطناعي")):
        heading, titles = tag_page(root, slug)
        assert name in heading
        assert sorted(titles) == ["أ", "ب", "ج"]  # every post that used either spelling
        feed = feedparser.parse((root / "public/tags" / slug / "feed.xml").read_bytes())
        assert sorted(entry.title for entry in feed.entries) == ["أ", "ب", "ج"]
    assert post_tags(root, "b") == [("ai", "/tags/ai/"), ("ذكاء اصطناعي", "/tags/ذكاء-اصطناعي/")]
    tags = strict_html((root / "public/tags/index.html").read_bytes())
    listed = [a.get("href") for a in tags.iterfind(".//main//a") if (a.get("href") or "").startswith("/tags/")]
    assert sorted(listed) == ["/tags/ai/", "/tags/ذكاء-اصطناعي/"]


def test_a_tie_between_spellings_goes_to_the_newest_post(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/posts/old.md": "---\ntitle: old\ndate: 2025-01-01\ntags: [Python]\n---\nنص\n",
        "content/posts/new.md": "---\ntitle: new\ndate: 2025-02-01\ntags: [python]\n---\nنص\n",
    })
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 0 and "shown as 'python'" in stderr and stderr.startswith("content/posts/old.md: warning:")
    assert post_tags(root, "old") == [("python", "/tags/python/")]


def test_the_sitemap_lists_every_page_once(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        **{f"content/posts/p{n}.md": POST + f"slug: p{n}\ntags: [a, A, b]\n---\nنص\n" for n in range(25)},
        "content/pages/about.md": "---\ntitle: about\n---\nنص\n",
    })
    build_ok("--source", root)
    urls = [loc.text for loc in ET.parse(root / "public/sitemap.xml").iter(f"{SITEMAP}loc")]
    assert len(urls) == len(set(urls))
    pages = {p.relative_to(root / "public").as_posix() for p in (root / "public").rglob("index.html")}
    unlisted = {"thanks/index.html", "search/index.html"}  # pages search engines are asked to leave out
    assert {u.removeprefix("https://example.org/") + "index.html" for u in urls} == pages - unlisted


def test_the_sites_static_file_replaces_its_themes_and_its_own_redirects_are_kept(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "static/style.css": "body { color: red; }\n",  # the theme has one: the site's wins, no collision
        "static/_redirects": "/from /to 302\n",
        "static/img/Logo.png": b"\x89PNG one", "static/img/logo.png": b"\x89PNG two",
        "content/posts/x.md": POST + "aliases: ['/?p=12', /old/]\n---\nنص\n",  # a query alias is not the home page
    })
    build_ok("--source", root)
    assert (root / "public/style.css").read_text() == "body { color: red; }\n"
    redirects = (root / "public/_redirects").read_text()
    assert redirects.startswith("/from /to 302\n") and "/ p=12 /posts/x/ 301!" in redirects
    assert (root / "public/img/Logo.png").read_bytes() == b"\x89PNG one"  # two files a file system tells apart
    assert (root / "public/img/logo.png").read_bytes() == b"\x89PNG two"
