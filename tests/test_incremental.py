"""The build cache and parallel builds: a rebuild gives exactly what a cold build gives, redoes only what changed,
and leaves unchanged files untouched."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import sitegen.cache

from .helpers import read_tree, run_sitegen


def cold_tree(site: Path, tmp_path: Path, *args: str) -> dict[str, bytes]:
    """What a build with no cache at all gives."""
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    result = run_sitegen("build", "--source", site, "--output", out, "--no-cache", *args)
    assert result.returncode == 0, result.stderr
    return read_tree(out)


def rebuild(site: Path, *args: str) -> str:
    result = run_sitegen("build", "--source", site, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


CHANGES = {
    "nothing": lambda site: None,
    "one post's body": lambda site: _edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر."),
    "one post's reading time": lambda site: _edit(site / "content/posts/relations.md", "تُبنى بالثقة.",
                                                  "تُبنى بالثقة." + " كلمة" * 600),
    "one post's title": lambda site: _edit(site / "content/posts/relations.md", "title: بناء علاقات حقيقية في B2B",
                                           "title: علاقات B2B"),
    "a template": lambda site: _add(site / "templates/partials/post_meta.html",
                                    "<p class=\"post-meta\">{{ post.words }}</p>\n"),
    "the theme's words": lambda site: _add(site / "themes/default/i18n/ar.yaml", "read_more: تابع القراءة\n"),
    "the configuration": lambda site: _edit(site / "sitegen.yaml", "title: مدونة الاختبار", "title: مدونة أخرى"),
    "a new post": lambda site: _add(site / "content/posts/new.md", "---\ntitle: جديد\ndate: 2025-04-01\n---\nنص.\n"),
    "a deleted post": lambda site: (site / "content/posts/2025-01-10-networking.md").unlink(),
    "a static file": lambda site: _add(site / "static/style.css", "body { color: red; }\n"),
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _add(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_rebuild_after_a_change_equals_a_cold_build(change: str, site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    rebuild(site)
    CHANGES[change](site)
    rebuild(site)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_new_sitegen_version_invalidates_the_cache(site_copy, tmp_path: Path, monkeypatch) -> None:
    site = site_copy("basic")
    rebuild(site)
    monkeypatch.setattr(sitegen.cache, "__version__", "999.0")
    first = sitegen.cache.code_fingerprint()
    monkeypatch.undo()
    assert first != sitegen.cache.code_fingerprint()


def test_a_rebuild_with_nothing_changed_renders_nothing_and_rewrites_nothing(site_copy) -> None:
    site = site_copy("basic")
    rebuild(site)
    before = inodes(site / "public")
    output = rebuild(site)
    assert "; 21 unchanged pages carried over" in output or "unchanged pages carried over" in output
    assert inodes(site / "public") == before  # same files, same timestamps: upload tools skip them all


def files_changed_by(site: Path, change: str) -> list[str]:
    """The output files a rebuild after `change` wrote (new inode or timestamp)."""
    rebuild(site)
    before = inodes(site / "public")
    CHANGES[change](site)
    rebuild(site)
    after = inodes(site / "public")
    return sorted(path for path in after if after[path] != before.get(path))


def test_after_one_edit_only_the_pages_showing_it_change(site_copy) -> None:
    site = site_copy("basic")
    changed = files_changed_by(site, "one post's body")
    assert "posts/بناء-علاقات/index.html" in changed
    assert "posts/bundle-post/index.html" not in changed  # a page not showing the post keeps its file
    assert "about/index.html" not in changed
    assert all(p.endswith((".html", ".xml", ".json")) for p in changed), changed


def test_a_longer_post_changes_the_pages_that_list_it_not_the_others(site_copy, tmp_path: Path) -> None:
    """Its reading time shows on its own page and where it is listed (home, its tags), nowhere else."""
    site = site_copy("basic")
    changed = files_changed_by(site, "one post's reading time")
    assert {"posts/بناء-علاقات/index.html", "index.html"} <= set(changed)
    assert "posts/bundle-post/index.html" not in changed and "about/index.html" not in changed
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_template_error_is_not_cached(site_copy) -> None:
    site = site_copy("basic")
    rebuild(site)
    (site / "templates").mkdir()
    (site / "templates/about.html").write_text("{{ post.nothing.here }}")
    assert run_sitegen("build", "--source", site).returncode == 1
    (site / "templates/about.html").unlink()
    rebuild(site)
    assert "عن الكاتبة" in (site / "public/about/index.html").read_text(encoding="utf-8")


def test_worker_processes_give_the_same_site_as_one_process(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    for number in range(150):  # enough work for the build to fork workers
        (site / f"content/posts/p{number}.md").write_text(
            f"---\ntitle: مقال {number}\ndate: 2024-01-{number % 28 + 1:02d}\ntags: [وسم{number % 7}]\n---\n"
            f"## قسم\n\nنص المقال {number} مع `code` و[رابط](/posts/p{(number + 1) % 150}/).\n", encoding="utf-8")
    one = run_sitegen("build", "--source", site, "--output", tmp_path / "one", "--jobs", "1", "--no-cache")
    two = run_sitegen("build", "--source", site, "--output", tmp_path / "two", "--jobs", "2", "--no-cache")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def test_profile_prints_each_stage(site_copy) -> None:
    output = rebuild(site_copy("basic"), "--profile")
    for stage in ("configuration", "parsing", "assembling", "rendering and writing"):
        assert f"  {stage}" in output


def test_the_cache_lives_beside_the_site_and_ignores_itself(site_copy) -> None:
    site = site_copy("basic")
    rebuild(site)
    assert (site / ".sitegen-cache/.gitignore").read_text() == "*\n"
    assert os.path.getsize(site / ".sitegen-cache/cache.sqlite") > 0


def test_a_rebuild_trusts_the_output_folder_and_no_cache_repairs_it(site_copy, tmp_path: Path) -> None:
    """A rebuild does not look at every file of public/ (a disk read per folder once the system dropped them from
    its cache); a file removed from it by hand comes back with --no-cache, which writes the whole site afresh."""
    site = site_copy("basic")
    rebuild(site)
    (site / "public/about/index.html").unlink()
    rebuild(site)
    assert not (site / "public/about/index.html").exists()
    rebuild(site, "--no-cache")
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    rebuild(site)  # and the next cached build updates that folder in place again
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_the_cache_serves_a_site_named_another_way(site_copy, tmp_path: Path) -> None:
    """--source relative after absolute: the parsed posts are reused and the pages carried over."""
    site = site_copy("basic")
    rebuild(site)
    result = run_sitegen("build", "--source", os.path.relpath(site), "--output", site / "public")
    assert result.returncode == 0, result.stderr
    built = re.search(r"built (\d+) pages .*; (\d+) unchanged pages carried over", result.stdout)
    assert built and built[1] == built[2], result.stdout  # every page carried over


def test_a_cache_that_lost_its_bodies_file_starts_over(site_copy, tmp_path: Path) -> None:
    """The posts' bodies live in a file of their own; without it the cached posts are parsed again, so a page that
    shows other posts' bodies (the feeds, after one edit) is still made whole."""
    site = site_copy("basic")
    rebuild(site)
    (site / ".sitegen-cache/bodies.sqlite").unlink()
    CHANGES["one post's body"](site)
    rebuild(site)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_bodies_no_post_points_at_are_removed(site_copy) -> None:
    """A build stopped between storing bodies and storing their posts leaves bodies of no post; the next build that
    changes anything removes them, so the cache does not grow for ever."""
    site = site_copy("basic")
    rebuild(site)
    with sqlite3.connect(site / ".sitegen-cache/bodies.sqlite") as db:
        db.execute("INSERT INTO bodies VALUES (?, ?)", (b"orphan", b""))
    CHANGES["one post's body"](site)
    rebuild(site)
    with sqlite3.connect(site / ".sitegen-cache/bodies.sqlite") as db:
        keys = [key for (key,) in db.execute("SELECT key FROM bodies")]
        assert b"orphan" not in keys
        assert len(keys) >= 4  # the posts' bodies stay


def test_drafts_on_and_off_share_the_cache_and_give_the_cold_sites(site_copy, tmp_path: Path) -> None:
    """Parsed posts are the same with or without --drafts (which ones are published is chosen after): switching
    reuses them, and each build still equals a cold one."""
    site = site_copy("basic")
    rebuild(site, "--drafts")
    with_drafts = read_tree(site / "public")
    rebuild(site)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    assert read_tree(site / "public") != with_drafts
    rebuild(site, "--drafts")
    assert read_tree(site / "public") == cold_tree(site, tmp_path, "--drafts") == with_drafts
