"""Likes, reposts and bookmarks by webmention on the page: the counts file (`content/replies/<slug>/_mentions.yaml`),
what `sitegen replies` writes to it from the pending store, the page in the post's language through the real
command line, and a rebuild after the counts change equal to a cold build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.inbox.counts import mention_counts, write_mention_counts
from sitegen.inbox.model import Pending
from sitegen.inbox.store import STORE, render_store
from sitegen.sources.mentions import MAX_COUNT, Mentions, load_mentions, parse_mentions, render_mentions

from .helpers import build_ok, copy_site, read_tree, run_cli, run_sitegen, strict_html

PATH = Path("content/replies/post/_mentions.yaml")


# --- the counts file -----------------------------------------------------------------------------------------


@given(st.builds(Mentions, *(st.integers(0, MAX_COUNT),) * 3))
def test_a_counts_file_reads_back_as_written(mentions: Mentions) -> None:
    assert parse_mentions(render_mentions(mentions), PATH) == (mentions, [])


def test_the_counts_file_holds_only_what_is_not_zero() -> None:
    assert render_mentions(Mentions(likes=3, bookmarks=1)) == "likes: 3\nbookmarks: 1\n"
    assert render_mentions(Mentions()) == ""


def test_every_problem_of_a_counts_file_is_reported_at_its_line() -> None:
    text = "likes: 2\nrepost: 1\nbookmarks: -1\nreposts: many\nlikes_: true\n"
    mentions, errors = parse_mentions(text, PATH)
    assert mentions is None
    assert [(e.line, e.severity, e.message, e.hint) for e in errors] == [
        (2, "warning", "unknown key 'repost' in a mentions file", "did you mean 'reposts'?"),
        (3, "error", "bookmarks must be a whole number from 0, not -1",
         "`sitegen replies pull` writes this file; restore it from git or pull again"),
        (4, "error", "reposts must be a whole number from 0, not 'many'",
         "`sitegen replies pull` writes this file; restore it from git or pull again"),
        (5, "warning", "unknown key 'likes_' in a mentions file", "did you mean 'likes'?")]
    assert parse_mentions("likes: true\n", PATH)[1][0].message == "likes must be a whole number from 0, not True"
    mentions, errors = parse_mentions("likes: 1\nfoo: 2\n", PATH)  # a warning keeps the counts
    assert mentions == Mentions(likes=1)
    assert [(e.line, e.hint) for e in errors] == [(2, "a mentions file has: likes, reposts, bookmarks")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_no_text_makes_the_reader_raise(text: str) -> None:
    mentions, errors = parse_mentions(text, PATH)
    assert mentions is not None or any(e.severity == "error" for e in errors)


@pytest.mark.parametrize("text, message", [
    ("likes: " + "[" * 10_000, "invalid YAML: values nested more than 32 levels deep"),
    ("likes: 1e99", "likes must be a whole number from 0, not '1e99'"),
    (f"likes: {10**20}", f"likes must be a whole number from 0, not {10**20}"),
    ("- 1\n- 2\n", "the mentions file must be a mapping of keys to values, not a list"),
    ("likes: &a [*a]\n", "invalid YAML: the alias *a repeats a list or mapping"),
])
def test_hostile_counts_files_are_errors(text: str, message: str) -> None:
    mentions, errors = parse_mentions(text, PATH)
    assert mentions is None and errors[0].severity == "error"
    assert errors[0].message.startswith(message), errors[0].message


def test_an_unreadable_counts_file_is_an_error_and_empty_ones_are_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "replies"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "_mentions.yaml").write_bytes(b"likes: 2\n")
    (folder / "b").mkdir()
    (folder / "b" / "_mentions.yaml").write_bytes(b"")
    (folder / "c").mkdir()
    (folder / "c" / "_mentions.yaml").write_bytes(b"\x00\x01\xff likes")
    (folder / "_pending.jsonl").write_bytes(b"")
    counts, errors = load_mentions(tmp_path)
    assert counts == {"a": Mentions(likes=2)}
    assert [e.path.parent.name for e in errors] == ["c"] and errors[0].severity == "error"


# --- from the pending store ----------------------------------------------------------------------------------


def counted(ident: str, kind: str, post: str | None, state: str = "counted", name: str = "") -> Pending:
    return Pending(id=ident, source="webmention", state=state, kind=kind, post=post, name=name or f"Liker {ident}",
                   url=f"https://{ident}.example/", date="2025-02-05T18:00:00+00:00",
                   target=f"https://example.org/posts/{post}/", source_url=f"https://{ident}.example/like")


STORE_ITEMS = [
    counted("wm-1", "like", "a"), counted("wm-2", "like", "a"), counted("wm-3", "repost", "a"),
    counted("wm-4", "bookmark", "a", state="purged"), counted("wm-5", "like", "b", state="rejected"),
    counted("wm-6", "like", "../escape"), counted("wm-7", "like", "gone"), counted("wm-8", "like", None),
    Pending(id="wm-9", source="webmention", kind="reply", post="a", name="R", date="2025-02-05T18:00:00+00:00",
            text="a reply is not counted"),
]


def test_the_store_counts_each_posts_likes_reposts_and_bookmarks_that_stand() -> None:
    store = {item.id: item for item in STORE_ITEMS}
    assert mention_counts(store) == {"a": Mentions(likes=2, reposts=1), "b": Mentions(),
                                     "../escape": Mentions(likes=1), "gone": Mentions(likes=1)}
    assert mention_counts(store, unmatched=True) == {**mention_counts(store),
                                                     "https://example.org/posts/None/": Mentions(likes=1)}


def test_counts_are_written_for_known_posts_only_and_only_when_they_change(tmp_path: Path) -> None:
    store = {item.id: item for item in STORE_ITEMS}
    (tmp_path / "content/replies/b").mkdir(parents=True)
    (tmp_path / "content/replies/b/_mentions.yaml").write_text("likes: 1\n")  # its only like was since rejected
    slugs = {"a", "b", "../escape"}
    changed = write_mention_counts(tmp_path, store, slugs)
    assert [p.relative_to(tmp_path).as_posix() for p in changed] == ["content/replies/a/_mentions.yaml",
                                                                     "content/replies/b/_mentions.yaml"]
    assert (tmp_path / "content/replies/a/_mentions.yaml").read_text() == "likes: 2\nreposts: 1\n"
    assert not (tmp_path / "content/replies/b/_mentions.yaml").exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "content/replies/a/_mentions.yaml"]  # nothing outside content/replies, nothing for 'gone'
    written = (tmp_path / "content/replies/a/_mentions.yaml").stat()
    assert write_mention_counts(tmp_path, store, slugs) == []
    again = (tmp_path / "content/replies/a/_mentions.yaml").stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    assert oct(written.st_mode & 0o777) == oct(0o644)  # committed and read by any build, unlike the store


# --- on the page, through the real command line --------------------------------------------------------------


def _site(root: Path, store: list[Pending]) -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "sitegen.yaml").write_text("title: مدونة\nbase_url: https://example.org/\nlanguage: ar\n"
                                       "timezone: Asia/Riyadh\n", encoding="utf-8")
    for slug, lang, title in (("ar-two", "ar", "مقال"), ("ar-many", "ar", "مقال آخر"), ("en", "en", "A post"),
                              ("quiet", "ar", "بلا إعجاب")):
        (root / "content" / "posts" / f"{slug}.md").write_text(
            f"---\ntitle: {title}\ndate: 2025-01-01\nlang: {lang}\n---\nنص.\n", encoding="utf-8")
    (root / STORE).parent.mkdir(parents=True)
    (root / STORE).write_text(render_store(store), encoding="utf-8")
    return root


def _mentions_text(page: Path) -> list[str]:
    html = strict_html(page.read_bytes())
    return ["".join(p.itertext()) for p in html.iter("p") if p.get("class") == "mentions"]


def test_counts_reach_the_page_in_its_language_and_who_liked_does_not(tmp_path: Path) -> None:
    store = [*(counted(f"wm-{i}", "like", "ar-two", name="Tantek Ç") for i in range(3)),
             counted("wm-10", "repost", "ar-two"), *(counted(f"wm-1{i}", "bookmark", "ar-two") for i in range(1, 4)),
             *(counted(f"wm-2{i:02}", "like", "ar-many") for i in range(11)),
             *(counted(f"wm-3{i:03}", "repost", "ar-many") for i in range(100)),
             counted("wm-40", "like", "en"), *(counted(f"wm-4{i}", "repost", "en") for i in range(1, 4))]
    site = _site(tmp_path / "site", store)
    rejected = run_sitegen("replies", "reject", "wm-2", cwd=site)  # a like taken back: the counts are written
    assert rejected.returncode == 0, rejected.stderr
    assert rejected.stdout.splitlines()[-1] == (
        "updated the likes and reposts of 3 posts (content/replies/ar-many/_mentions.yaml, "
        "content/replies/ar-two/_mentions.yaml, content/replies/en/_mentions.yaml)")
    built = run_sitegen("build", cwd=site)
    assert built.returncode == 0 and built.stderr == "", built.stderr
    public = site / "public" / "posts"
    assert _mentions_text(public / "ar-two" / "index.html") == ["إعجابان · مشاركة واحدة · 3 إشارات مرجعية"]
    assert _mentions_text(public / "ar-many" / "index.html") == ["11 إعجابًا · 100 مشاركة"]
    assert _mentions_text(public / "en" / "index.html") == ["1 like · 3 reposts"]
    assert _mentions_text(public / "quiet" / "index.html") == []
    for page in public.glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        assert "Tantek" not in html and ".example/" not in html, page  # names, sites and sources stay private
    assert not [p for p in (site / "public").rglob("*") if "_mentions" in p.name or "_pending" in p.name]


def test_counts_of_no_post_and_a_bad_count_stop_the_build_naming_the_file(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", [])
    (site / "content/replies/ar-tow").mkdir()
    (site / "content/replies/ar-tow/_mentions.yaml").write_text("likes: 2\n")
    (site / "content/replies/en").mkdir()
    (site / "content/replies/en/_mentions.yaml").write_text("likes: 1\nreposts: -2\n")
    code, _, err = run_cli("build", "--source", site)
    assert code == 1
    assert "content/replies/en/_mentions.yaml:2:1: error: reposts must be a whole number from 0, not -2" in err
    (site / "content/replies/en/_mentions.yaml").write_text("likes: 1\nreposts: 2\n")
    code, _, err = run_cli("build", "--source", site)
    assert code == 1
    assert err.startswith("content/replies/ar-tow/_mentions.yaml: error: likes or reposts of 'ar-tow', but no post "
                          "has that slug\n"), err
    assert "did you mean 'ar-two'?" in err
    (site / "content/replies/ar-tow").rename(site / "content/replies/ar-two")
    assert run_cli("build", "--source", site)[0] == 0


# --- rebuilds ------------------------------------------------------------------------------------------------


def test_a_rebuild_after_the_counts_change_equals_a_cold_build(tmp_path: Path) -> None:
    """The counts are an input of the post's page digest: a rebuild that carried the old page over would differ."""
    site = copy_site("basic", tmp_path)
    counts = site / "content/replies/بناء-علاقات/_mentions.yaml"

    def rebuild_and_compare() -> dict[str, bytes]:
        build_ok("--source", site)
        cold = tmp_path / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        build_ok("--source", site, "--output", cold, "--no-cache")
        tree = read_tree(site / "public")
        assert tree == read_tree(cold)
        return tree

    before = rebuild_and_compare()
    trees = []
    for text in ("likes: 2\n", "likes: 3\n", "likes: 3\nreposts: 1\n"):
        counts.write_text(text)
        trees.append(rebuild_and_compare())
    assert before != trees[0] != trees[1] != trees[2]
    changed = {path for path in trees[1] if trees[1][path] != trees[0].get(path)}
    assert "posts/بناء-علاقات/index.html" in changed
    counts.unlink()
    assert rebuild_and_compare() == before

