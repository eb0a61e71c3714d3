"""Posts from real generators, dropped as they are into content/posts/, built through the real CLI: drafts in every
form left out, nested folders found, JSON and TOML read, Pelican headers refused by name, and a post's own author
shown wherever the post names its author (page, h-card, feeds, JSON-LD)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import mf2py

from sitegen.sources.discover import MAX_FOLDER_DEPTH, discover_sources

from .helpers import POST, Link, build_ok, make_site, run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "front_matter"
GUEST = ("---\ntitle: Guest post\ndate: 2025-03-02\nauthor:\n  name: Jane Guest\n  url: https://jane.example/\n"
         "  email: jane@example.com\nimage:\n  path: cover.png\n  alt: A lighthouse at dusk\n"
         "excerpt: 'A *short* [look](https://x.example) at <b>lights</b>'\n---\nThe body.\n")
HOUSE = POST + "---\nBy the site's author.\n"


def build(root: Path) -> str:
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 0, stderr
    return stderr


def built(root: Path) -> set[str]:
    return {str(p.relative_to(root / "public")) for p in (root / "public").rglob("index.html")}


def test_drafts_in_every_generators_words_are_not_published(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/posts/2019/hugo/draft.md": (FIXTURES / "hugo-section" / "draft.md").read_text(),
        "content/posts/2019/hugo/ready.md": '+++\ntitle = "Ready"\ndate = 2019-05-02\ndraft = false\n+++\nOut.\n',
        "content/posts/jekyll.md": POST + "published: false\n---\nNot yet.\n",
        "content/posts/section/bundle/index.md": POST + "---\nA bundle in a section.\n",
        "content/posts/section/_index.md": "---\ntitle: the section's list page\n---\n",
        "content/posts/_drafts/wip.md": POST + "---\nJekyll's drafts folder.\n",
        "content/posts/hugo-dated.md": "---\ntitle: h\npublished: 2019-05-01\n---\nHugo's publishDate alias.\n",
    })
    build(root)
    posts = {page for page in built(root) if page.startswith("posts/")}
    assert posts == {"posts/ready/index.html", "posts/bundle/index.html", "posts/hugo-dated/index.html"}
    assert 'datetime="2019-05-01T00:00:00+03:00"' in (root / "public/posts/hugo-dated/index.html").read_text()
    feed = (root / "public/feed.xml").read_text()
    assert "Landscape notes" not in feed and "Not yet" not in feed


def test_a_published_that_is_not_true_or_false_is_an_error(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/posts/x.md": POST + "published: no way\n---\n"})
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 1
    assert "content/posts/x.md:4:1: error: 'published' must be true or false, not 'no way'\n" in stderr


def test_a_json_post_and_an_eleventy_one_build(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/posts/hugo-json.md": '{\n  "title": "From JSON",\n  "date": "2024-01-02",\n  "tags": ["a", "b"]\n}\n'
                                      "Body from JSON.\n",
        "content/posts/eleventy.md": (FIXTURES / "eleventy.md").read_text(),
    })
    build(root)
    page = (root / "public/posts/hugo-json/index.html").read_text()
    assert "<h1 class=\"post-title p-name\">From JSON</h1>" in page and "Body from JSON." in page
    assert (root / "public/tags/notes/index.html").is_file()
    assert "Notes on Eleventy" in (root / "public/posts/eleventy/index.html").read_text()


def test_a_pelican_header_file_is_an_error_naming_it(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/posts/pelican.md": (FIXTURES / "pelican.md").read_text()})
    code, stdout, stderr = run_cli("build", "--source", root)
    assert (code, stdout) == (1, "")
    assert stderr.startswith("content/posts/pelican.md:1:1: error: this file starts with 'Key: value' metadata lines "
                             "(Pelican's or MultiMarkdown's), which sitegen does not read\n")
    assert not (root / "public").exists()


def test_tags_written_as_text_are_split_as_jekyll_splits_them(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/posts/x.md": POST + "categories: draft jekyll\ntags: one, two words\n"
                                "category: Big News\n---\n"})
    stderr = build(root)
    assert ("content/posts/x.md:4:1: warning: 'categories' is split at its spaces into 2 tags, as Jekyll does: "
            "draft, jekyll\n") in stderr
    assert "hint: write a list to keep 'draft jekyll' as one tag: categories: [draft jekyll]\n" in stderr
    page = (root / "public/posts/x/index.html").read_text()
    tags = re.findall(r'<a class="p-category"[^>]*>([^<]*)</a>', page) or re.findall(r'rel="tag"[^>]*>([^<]*)<', page)
    assert sorted(tags) == ["Big News", "draft", "jekyll", "one", "two words"]


def test_a_posts_own_author_is_shown_wherever_its_author_is(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"sitegen.yaml": "title: t\nbase_url: https://example.org/\ntimezone: UTC\n"
                                "author:\n  name: Site Owner\n  bio: Writes here.\n  email: me@example.org\n",
                                "content/posts/guest/index.md": GUEST, "content/posts/guest/cover.png": "png",
                                "content/posts/house.md": HOUSE})
    build(root)
    public = root / "public"
    page = (public / "posts/guest/index.html").read_text()
    entry = next(item for item in mf2py.parse(doc=page, url="https://example.org/posts/guest/")["items"]
                 if "h-entry" in item["type"])
    card = entry["properties"]["author"][0]
    assert card["type"] == ["h-card"]
    assert card["properties"]["name"] == ["Jane Guest"] and card["properties"]["url"] == ["https://jane.example/"]
    assert "Writes here." not in page and "me@example.org" not in page.split("author-card")[1].split("</section>")[0]
    assert '<meta property="og:image:alt" content="A lighthouse at dusk">' in page
    assert '<meta name="description" content="A short look at lights">' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["author"] == {"@type": "Person", "name": "Jane Guest", "url": "https://jane.example/"}

    house = (public / "posts/house/index.html").read_text()
    entry = next(item for item in mf2py.parse(doc=house, url="https://example.org/posts/house/")["items"]
                 if "h-entry" in item["type"])
    assert entry["properties"]["author"][0]["properties"]["name"] == ["Site Owner"]
    assert "Writes here." in house

    rss = feedparser.parse((public / "feed.xml").read_bytes())
    atom = feedparser.parse((public / "atom.xml").read_bytes())
    for feed in (rss, atom):
        assert not feed.bozo, feed.bozo_exception
        by_title = {entry.title: entry for entry in feed.entries}
        assert by_title["Guest post"].author_detail.name == "Jane Guest"
        assert by_title["t"].get("author", "Site Owner").endswith("Site Owner")  # the feed's author, or none
    assert atom.feed.author_detail.name == "Site Owner"
    assert rss.entries[0].author_detail.email == "jane@example.com"  # RSS <author>, newest first
    assert atom.entries[0].author_detail.href == "https://jane.example/"
    items = {item["title"]: item for item in json.loads((public / "feed.json").read_text())["items"]}
    assert items["Guest post"]["authors"] == [{"name": "Jane Guest", "url": "https://jane.example/"}]
    assert "authors" not in items["t"]


def test_an_own_author_without_an_address_is_the_rss_items_dc_creator(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/posts/x.md": POST + "authors: [Ann Lee, Bo Chen]\n---\n"})
    build(root)
    item = feedparser.parse((root / "public/feed.xml").read_bytes()).entries[0]
    assert (item.author, "email" in item.author_detail) == ("Ann Lee, Bo Chen", False)
    assert "<dc:creator" in (root / "public/feed.xml").read_text()
    assert '<meta name="author" content="Ann Lee, Bo Chen">' in (root / "public/posts/x/index.html").read_text()


def test_folders_of_posts_are_walked_with_care(tmp_path: Path) -> None:
    """Loops through two links, links out of the site, folders nested too deep and names that are not UTF-8 are
    each a located error, found in one walk that ends."""
    outside = tmp_path / "elsewhere"
    (outside / "p.md").parent.mkdir(parents=True)
    (outside / "p.md").write_text(POST + "---\n")
    deep = "content/posts/" + "d/" * (MAX_FOLDER_DEPTH + 1) + "deep.md"
    (tmp_path / "site").mkdir()
    root = make_site(tmp_path / "site", {
        "content/posts/a/to-b": Link("../b"), "content/posts/b/to-a": Link("../a"),
        "content/posts/a/one.md": POST + "---\n", "content/posts/out": Link(str(outside)),
        "content/posts/caf\udce9/x.md": POST + "---\n", deep: POST + "---\n",
    })
    sources, problems = discover_sources(root)
    assert [s.path.relative_to(root).as_posix() for s in sources] == [  # one file, two ways to it: a URL collision
        "content/posts/a/one.md", "content/posts/b/to-a/one.md"]
    shown = sorted((p.path.relative_to(root).as_posix(), p.message.split(":")[0].split(" (")[0]) for p in problems)
    assert shown == [
        ("content/posts/a/to-b/to-a", "symbolic link loop"),
        ("content/posts/b/to-a/to-b", "symbolic link loop"),
        ("content/posts/caf\udce9", "the folder name is not valid UTF-8"),
        ("content/posts/" + "d/" * MAX_FOLDER_DEPTH + "d", f"folders nested more than {MAX_FOLDER_DEPTH} deep"),
        ("content/posts/out", f"this symbolic link leads out of the site, to '{outside}'"),
    ]
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 1 and "content/posts/out: error: this symbolic link leads out of the site" in stderr


def test_a_title_from_the_file_name_keeps_its_case(tmp_path: Path) -> None:
    """A post with neither a title nor a heading is titled by its file's name as written, not by its slug."""
    root = make_site(tmp_path, {"content/posts/2019-05-02-Why_I-Moved-to-NixOS.md": "Just text, no heading.\n"})
    build_ok(cwd=root)
    page = (root / "public/posts/why-i-moved-to-nixos/index.html").read_text()
    assert "<title>Why I Moved to NixOS" in page
