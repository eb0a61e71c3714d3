"""The import writer: an old blog's entries become files the build accepts, every old URL answers, nothing is lost."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.migrate.model import Asset, Entry, ImportedReply, OldBlog
from sitegen.migrate.write import plan_import, rewrite_links, write_plan
from sitegen.sources.config import load_config
from sitegen.sources.document import slug_problem

from .helpers import build_ok, make_site, read_tree

WHEN = datetime(2019, 5, 2, 9, 30, tzinfo=UTC)


def entry(slug: str, *old: str, kind: str = "posts", body: str = "Some text of the post.\n", **front: object) -> Entry:
    values: dict[str, object] = {"title": slug.replace("-", " ").title(), "date": WHEN, "lang": "en"} | front
    return Entry(Path(f"/old/{slug}.md"), kind, slug, values, body, old)  # type: ignore[arg-type]


def imported(tmp_path: Path, *entries: Entry, config: bool = True, **blog: object) -> tuple[Path, list[str]]:
    """Plan and write `entries` into a new site in tmp_path/site (with the tests' configuration, or none); the
    site's root and each note as 'file: message'."""
    root = tmp_path / "site"
    root.mkdir()
    if config:
        make_site(root, {})
    loaded = load_config(root)[0] if config else None
    old = OldBlog("jekyll", tmp_path / "old", tuple(entries), **blog)  # type: ignore[arg-type]
    plan, _config = plan_import(old, root, loaded)
    problems = write_plan(plan, root, force=False)
    return root, [f"{Path(n.path).name}: {n.message}" for n in (*plan.notes, *problems)]


def redirects(root: Path) -> list[str]:
    return [line for line in (root / "public/_redirects").read_text().splitlines() if not line.startswith("#")]


def test_every_old_url_becomes_a_redirect_to_the_new_one(tmp_path: Path) -> None:
    root, notes = imported(tmp_path, entry("hello-world", "/2019/05/02/hello-world.html", "/?p=12"))
    assert notes == []
    text = (root / "content/posts/hello-world.md").read_text()
    assert "aliases:\n- /2019/05/02/hello-world.html\n- /?p=12\n" in text
    build_ok(cwd=root)
    assert redirects(root) == ["/ p=12 /posts/hello-world/ 301!",
                               "/2019/05/02/hello-world.html /posts/hello-world/ 301"]


def test_a_new_site_takes_the_permalink_all_old_urls_fit(tmp_path: Path) -> None:
    root, _notes = imported(tmp_path, entry("one", "/2019/05/one/"), entry("two", "/2019/05/two/"), config=False,
                           settings={"title": "Old blog", "base_url": "https://old.example/", "language": "en-US"})
    config = (root / "sitegen.yaml").read_text()
    assert "permalink: /{year}/{month}/{slug}/\n" in config and "title: Old blog\n" in config
    assert "language: en\n" in config and "base_url: https://old.example/\n" in config
    assert "aliases" not in (root / "content/posts/one.md").read_text()
    build_ok(cwd=root)
    assert (root / "public/2019/05/one/index.html").is_file()


def test_a_new_site_takes_the_shape_of_the_old_urls(tmp_path: Path) -> None:
    root, _notes = imported(tmp_path, entry("one", "/post/one/"), entry("two", "/post/two/"), config=False)
    assert "permalink: /post/{slug}/\n" in (root / "sitegen.yaml").read_text()
    (tmp_path / "mixed").mkdir()
    root, _notes = imported(tmp_path / "mixed", entry("one", "/post/one/"), entry("two", "/notes/two/"),
                            config=False)
    assert "permalink: /posts/{slug}/\n" in (root / "sitegen.yaml").read_text()


def test_a_value_the_build_rejects_is_kept_under_another_key(tmp_path: Path) -> None:
    root, notes = imported(tmp_path, entry("x", "/x/", date="next tuesday"))
    assert notes == ["x.md: date 'next tuesday' is not a date: the value is kept as 'imported_date'; set 'date' by "
                     "hand if it matters"]
    assert "imported_date: next tuesday\n" in (root / "content/posts/x.md").read_text()
    build_ok(cwd=root)


def test_slugs_that_collide_or_are_unsafe_are_changed_and_redirected(tmp_path: Path) -> None:
    root, notes = imported(tmp_path, entry("same", "/a/same/"), entry("same", "/b/same/"),
                           entry("tags", "/tags.html", kind="pages"), entry("a/b?c", "/a/b?c"))
    assert sorted(p.name for p in (root / "content/posts").iterdir()) == ["a-b-c.md", "same-2.md", "same.md"]
    assert (root / "content/pages/tags-page.md").is_file()
    assert any("same-2" in note for note in notes) and any("'tags-page'" in note for note in notes)
    build_ok(cwd=root)
    assert "/b/same/ /posts/same-2/ 301" in redirects(root)
    assert "/tags.html /tags-page/ 301" in redirects(root)


def test_a_page_named_like_the_search_or_series_pages_is_moved_and_redirected(tmp_path: Path) -> None:
    root, notes = imported(tmp_path, entry("one", "/one/"), entry("search", "/search/", kind="pages"),
                           entry("series", "/series/", kind="pages"))
    assert sorted(p.name for p in (root / "content/pages").iterdir()) == ["search-page.md", "series-page.md"]
    assert "search.md: its old URL /search/ is sitegen's own page now: no redirect from it" in notes
    build_ok(cwd=root)
    assert "/search/" not in redirects(root) and "/series/ /series-page/ 301" in redirects(root)


def test_links_to_old_urls_are_pointed_at_the_new_ones(tmp_path: Path) -> None:
    body = ("See [the first](/2019/05/02/first.html#part) and <a href=\"/2019/05/02/first.html\">it</a>.\n\n"
            "```\n[code](/2019/05/02/first.html)\n```\n\n[out](https://elsewhere.example/2019/05/02/first.html)\n")
    root, notes = imported(tmp_path, entry("first", "/2019/05/02/first.html"), entry("second", body=body))
    assert notes == []
    text = (root / "content/posts/second.md").read_text()
    assert "[the first](/posts/first/#part)" in text and '<a href="/posts/first/">' in text
    assert "[code](/2019/05/02/first.html)" in text  # an example in code is left as written
    assert "(https://elsewhere.example/2019/05/02/first.html)" in text
    build_ok("--strict", cwd=root)


def test_rewrite_links_leaves_unknown_targets_alone() -> None:
    body = "[a](/unknown/) [b](relative.html) [c](mailto:x@y.z) [d](/known/index.html)"
    assert rewrite_links(body, {"/known": "/posts/k/"}) == \
        "[a](/unknown/) [b](relative.html) [c](mailto:x@y.z) [d](/posts/k/)"


def test_files_are_copied_beside_the_post_and_missing_ones_listed(tmp_path: Path) -> None:
    image = tmp_path / "chart.png"
    image.write_bytes(b"\x89PNG not really")
    assets = (Asset("images/chart.png", image, "/assets/chart.png"), Asset("gone.pdf", None, "/files/gone.pdf"))
    post = Entry(Path("/old/p.md"), "posts", "p", {"title": "P", "date": WHEN},
                 "![chart](images/chart.png)\n", ("/p/",), assets=assets)
    root, notes = imported(tmp_path, post)
    assert read_tree(root / "content/posts/p")["images/chart.png"] == image.read_bytes()
    assert notes == ["p.md: missing file: /files/gone.pdf (the post links to it; copy it beside the post as gone.pdf)"]
    build_ok(cwd=root)
    assert (root / "public/posts/p/images/chart.png").read_bytes() == image.read_bytes()


def test_approved_comments_become_replies_the_build_shows(tmp_path: Path) -> None:
    replies = (ImportedReply("wp-7", "سارة", WHEN, "مقال رائع <script>alert(1)</script>", "https://sara.example/"),
               ImportedReply("wp-8", "Mallory", WHEN, "hi", "javascript:alert(1)"))
    post = Entry(Path("/old/p.md"), "posts", "p", {"title": "P", "date": WHEN}, "Text.\n", (), replies=replies)
    root, notes = imported(tmp_path, post)
    assert notes == ["p.md: comment wp-8 by 'Mallory': its address 'javascript:alert(1)' is not a web address: "
                     "left out"]
    files = read_tree(root / "content/replies/p")
    assert sorted(files) == ["wp-7.md", "wp-8.md"]
    assert "url" not in files["wp-8.md"].decode()  # not a web address: left out
    build_ok(cwd=root)
    page = (root / "public/posts/p/index.html").read_text()
    assert "مقال رائع" in page and "<script>alert" not in page and "sara.example" in page


def test_the_language_is_detected_from_the_text(tmp_path: Path) -> None:
    persian = "این یک متن فارسی است که برای آزمایش نوشته شده و باید فارسی شناخته شود."
    english = "This post is written in English, and the import must say so in its front matter."
    root, _notes = imported(tmp_path, Entry(Path("/old/fa.md"), "posts", "fa", {"title": "سلام", "date": WHEN},
                                            persian, ()),
                            Entry(Path("/old/en.md"), "posts", "en", {"title": "Hello", "date": WHEN}, english, ()))
    assert "lang: fa\n" in (root / "content/posts/fa.md").read_text()
    assert "lang: en\n" in (root / "content/posts/en.md").read_text()


def test_existing_files_are_not_overwritten(tmp_path: Path) -> None:
    root, _notes = imported(tmp_path, entry("x", "/x.html"))
    (root / "content/posts/x.md").write_text("mine")
    plan, _ = plan_import(OldBlog("jekyll", tmp_path, (entry("x", "/x.html"),)), root, load_config(root)[0])
    problems = write_plan(plan, root, force=False)
    assert [p.message for p in problems] == ["already exists: left as it is (pass --force to replace it)"]
    assert (root / "content/posts/x.md").read_text() == "mine"


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=30))
def test_a_safe_old_slug_is_kept(tmp_path_factory: object, slug: str) -> None:
    """Whatever letters a slug has (Arabic, Persian, CJK, digits), a slug the build accepts is kept as it is."""
    from sitegen.sources.config import Config

    if slug_problem(slug) is not None:
        return
    root = Path("/nonexistent-site")
    plan, _ = plan_import(OldBlog("hugo", root, (entry(slug, f"/posts/{slug}/"),)), root, Config(root=root))
    written = [str(f.path) for f in plan.files]
    assert written == [f"content/posts/{slug}.md"]
    assert "aliases" not in (plan.files[0].text or "")
