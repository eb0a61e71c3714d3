"""What the default theme asks of the Site: neighbours of a post, related posts by shared tags, and the values
templates turn into metadata (JSON-LD that cannot escape its script, Open Graph locale and images)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sitegen.markdown import render_markdown
from sitegen.site.assemble import assemble_site
from sitegen.site.model import RELATED_WINDOW, Post
from sitegen.site.posts import make_post
from sitegen.sources.config import Config
from sitegen.sources.discover import SourceFile
from sitegen.sources.document import Document

START = datetime(2025, 1, 1, tzinfo=UTC)


def post(slug: str, day: int, tags: tuple[str, ...] = (), lang: str = "ar", kind: str = "posts") -> Post:
    source = SourceFile(Path(f"content/{kind}/{slug}.md"), kind)
    doc = Document(source=source, title=slug, slug=slug, date=START + timedelta(days=day), updated=None,
                   tags=tags, description=None, draft=False, lang=lang, aliases=(), author=None, image=None,
                   template=None, body="نص", body_line=1)
    return make_post(doc, render_markdown(doc.body), Config(root=Path(".")))


def site_of(*posts: Post):
    return assemble_site(Config(root=Path(".")), list(posts), replies={})[0]


def test_newer_and_older_follow_the_date_order() -> None:
    site = site_of(post("b", 2), post("a", 1), post("c", 3))
    a, b, c = (next(p for p in site.posts if p.slug == s) for s in "abc")
    assert (site.newer(c), site.older(c)) == (None, b)
    assert (site.newer(b), site.older(b)) == (c, a)
    assert (site.newer(a), site.older(a)) == (b, None)


def test_related_posts_share_the_most_tags_then_are_nearest_in_date() -> None:
    site = site_of(post("x", 10, ("a", "b")), post("two-tags-far", 1, ("a", "b")), post("one-tag-near", 13, ("a",)),
                   post("one-tag-nearer", 9, ("b",)), post("unrelated", 10, ("c",)), post("untagged", 12))
    x = next(p for p in site.posts if p.slug == "x")
    assert [p.slug for p in site.related(x)] == ["two-tags-far", "one-tag-nearer", "one-tag-near"]
    assert [p.slug for p in site.related(x, limit=1)] == ["two-tags-far"]
    untagged = next(p for p in site.posts if p.slug == "untagged")
    assert site.related(untagged) == ()


def test_related_posts_of_a_huge_tag_look_only_near_the_post() -> None:
    posts = [post(f"p{i}", i, ("big",)) for i in range(RELATED_WINDOW * 10)]
    site = site_of(*posts)
    middle = next(p for p in site.posts if p.slug == "p60")
    assert [p.slug for p in site.related(middle, limit=4)] == ["p59", "p61", "p58", "p62"]


def test_pages_have_no_neighbours_and_tags_are_found_by_name() -> None:
    site = site_of(post("a", 1, ("وسم",)), post("about", 2, kind="pages"), post("b", 3))
    (page,) = site.pages
    a, b = (next(p for p in site.posts if p.slug == s) for s in "ab")
    assert page.slug == "about" and page not in site.posts
    assert (site.newer(page), site.older(page)) == (None, None)
    assert (site.newer(a), site.older(b)) == (b, a)  # the page between them in date is not a neighbour
    assert site.tag("وسم").posts == (a,) and site.tag("none") is None
