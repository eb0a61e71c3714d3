"""The build cache and parallel builds: a rebuild gives exactly what a cold build gives, redoes only what changed,
and leaves unchanged files untouched. Builds run in this process (`run_cli`), so that what they parse and render can
be counted; test_golden_sites.py and test_cli.py run the real CLI."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

import sitegen.build.load
import sitegen.build.run
import sitegen.incremental.parse
import sitegen.incremental.store
import sitegen.parallel
import sitegen.render.pages
from sitegen.build.run import BuildOptions, BuildResult
from sitegen.incremental.digests import BUILD_MARK, FILE_INPUTS, PAGE_INPUTS, SiteInputs

from .helpers import FIXED_EPOCH, build_ok, edit, pages_built, read_tree, run_cli

SOURCES = 6
"""Posts and pages of tests/sites/basic (drafts and future posts included: they are parsed, then left out)."""


def cold_tree(site: Path, tmp_path: Path, *args: str) -> dict[str, bytes]:
    """What a build with no cache at all gives."""
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    build_ok("--source", site, "--output", out, "--no-cache", *args)
    return read_tree(out)


def rebuild(site: Path, *args: str) -> str:
    """`sitegen build --source SITE ARGS`, which must succeed: its summary line."""
    return build_ok("--source", site, *args)


def build_result(site: Path) -> BuildResult:
    """`sitegen build --source SITE` by the pipeline's own entry point, for its counts (pages, rendered)."""
    clock = datetime.fromtimestamp(int(FIXED_EPOCH), UTC)
    return sitegen.build.run.build(BuildOptions(site, site / "public", now=clock))


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


CHANGES = {
    "nothing": lambda site: None,
    "one post's body": lambda site: edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر."),
    "one post's reading time": lambda site: edit(site / "content/posts/relations.md", "تُبنى بالثقة.",
                                                 "تُبنى بالثقة." + " كلمة" * 600),
    "one post's title": lambda site: edit(site / "content/posts/relations.md", "title: بناء علاقات حقيقية في B2B",
                                          "title: علاقات B2B"),
    "a template": lambda site: _add(site / "templates/partials/post_meta.html",
                                    "<p class=\"post-meta\">{{ post.words }}</p>\n"),
    "the theme's words": lambda site: _add(site / "themes/default/i18n/ar.yaml", "read_more: تابع القراءة\n"),
    "the configuration": lambda site: edit(site / "sitegen.yaml", "title: مدونة الاختبار", "title: مدونة أخرى"),
    "a new post": lambda site: _add(site / "content/posts/new.md", "---\ntitle: جديد\ndate: 2025-04-01\n---\nنص.\n"),
    "a deleted post": lambda site: (site / "content/posts/2025-01-10-networking.md").unlink(),
    "a static file": lambda site: _add(site / "static/style.css", "body { color: red; }\n"),
}


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


def _png(width: int, height: int) -> bytes:
    """The start of a PNG file: enough for its size to be read."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x06"


INPUT_CHANGES: dict[str, Callable[[Path, pytest.MonkeyPatch], object]] = {
    # SiteInputs: what every page depends on
    "code": lambda site, patch: (patch.setattr(sitegen.incremental.store, "__version__", "999.0"),
                                 patch.setattr(sitegen.render.pages, "text_direction", lambda lang: "ltr")),
    "configuration": lambda site, patch: edit(site / "sitegen.yaml", "title: مدونة الاختبار", "title: مدونة أخرى"),
    "served": lambda site, patch: patch.setattr(  # another address with the same file: --base-url, a deploy preview
        sitegen.build.load, "deployed_config", lambda config, _: dataclasses.replace(config, noindex=True,
                                                                                     base_url="https://b.example/")),
    "templates": lambda site, patch: _add(site / "templates/partials/post_meta.html", "<p>{{ post.words }}</p>\n"),
    "translations": lambda site, patch: _add(site / "themes/default/i18n/ar.yaml", "read_more: تابع القراءة\n"),
    "share_image": lambda site, patch: _add_bytes(site / "static/social.png", _png(1000, 500)),
    "site_shape": lambda site, patch: edit(site / "content/posts/relations.md", "title: بناء علاقات حقيقية في B2B",
                                           "title: علاقات B2B"),
    "assets": lambda site, patch: _add(site / "static/style.css", "body { color: red; }\n"),
    # PAGE_INPUTS: what one page depends on besides
    "route": lambda site, patch: edit(site / "content/posts/relations.md", "layout: post", "description: وصف آخر"),
    "own post": lambda site, patch: edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر."),
    "listed posts": lambda site, patch: edit(site / "content/posts/relations.md", "تُبنى بالثقة.",
                                             "تُبنى بالثقة." + " كلمة" * 600),
    "replies": lambda site, patch: _add(site / "content/replies/بناء-علاقات/2025-03-01-noor.md",
                                        "---\nname: نور\ndate: 2025-03-01\n---\nشكرًا.\n"),
    # FILE_INPUTS: what a generated file depends on besides
    "posts carried": lambda site, patch: edit(site / "content/posts/2025-01-10-networking.md", "## ", "## قسم: "),
    "bytes included": lambda site, patch: _add(site / "static/_redirects", "/from /to 302\n"),
}
"""A change to each input of a page's digest (sitegen/incremental/digests.py), each one visible in the site."""


def test_every_input_of_a_digest_has_a_change_below() -> None:
    names = {field.name for field in dataclasses.fields(SiteInputs)} | set(PAGE_INPUTS) | set(FILE_INPUTS)
    assert set(INPUT_CHANGES) == names


@pytest.mark.parametrize("name", list(INPUT_CHANGES))
def test_a_change_to_any_input_of_a_digest_gives_the_cold_build(name: str, site_copy, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """For each input a page's digest lists: change it, and the rebuild (which carries over every page whose digest
    did not change) equals a cold build byte for byte; the change shows in the site, so a digest that missed the
    input would leave a stale page behind and fail."""
    site = site_copy("basic")
    rebuild(site)
    before = read_tree(site / "public")
    INPUT_CHANGES[name](site, monkeypatch)
    rebuild(site)
    after = read_tree(site / "public")
    assert after != before
    assert after == cold_tree(site, tmp_path)


def _add_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_a_new_sitegen_version_invalidates_the_cache(site_copy, parsed: list[Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The same sources and output folder: under the same sitegen a rebuild parses and renders nothing; under another
    version it parses every source and renders every page again, and gives the same site."""
    site = site_copy("basic")
    cold = build_result(site)
    assert cold.rendered == cold.pages > 0 and len(parsed) == SOURCES
    same = build_result(site)
    assert (same.pages, same.rendered) == (cold.pages, 0) and len(parsed) == SOURCES  # the cache is used
    before = read_tree(site / "public")
    compiled = sorted((site / ".sitegen-cache/templates").iterdir())
    parsed.clear()
    monkeypatch.setattr(sitegen.incremental.store, "__version__", "999.0")
    upgraded = build_result(site)
    assert (upgraded.pages, upgraded.rendered) == (cold.pages, cold.pages)  # every page rendered again
    assert len(parsed) == SOURCES  # every source parsed again
    recompiled = sorted((site / ".sitegen-cache/templates").iterdir())
    assert len(compiled) == len(recompiled) == 1 and compiled != recompiled  # the old compiled templates dropped
    after = read_tree(site / "public")
    assert after.pop(BUILD_MARK) != before.pop(BUILD_MARK)  # made by another sitegen: another manifest
    assert after == before


def test_a_rebuild_with_nothing_changed_renders_nothing_and_rewrites_nothing(site_copy, parsed: list[Path]) -> None:
    site = site_copy("basic")
    pages, carried = pages_built(rebuild(site))
    assert pages > 0 and carried == 0
    before = inodes(site / "public")
    parsed.clear()
    assert pages_built(rebuild(site)) == (pages, pages)  # every page carried over: none rendered
    assert parsed == []  # no source parsed either
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
    # and the search index: its files are made again, the ones whose bytes changed replaced
    assert all(p.endswith((".html", ".xml", ".json")) or p == BUILD_MARK or p.startswith("pagefind/")
               for p in changed), changed


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
    assert run_cli("build", "--source", site)[0] == 1
    (site / "templates/about.html").unlink()
    rebuild(site)
    assert "عن الكاتبة" in (site / "public/about/index.html").read_text(encoding="utf-8")


def test_worker_processes_give_the_same_site_as_one_process(site_copy, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_copy("basic")
    for number in range(150):  # enough work for the build to fork workers
        (site / f"content/posts/p{number}.md").write_text(
            f"---\ntitle: مقال {number}\ndate: 2024-01-{number % 28 + 1:02d}\ntags: [وسم{number % 7}]\n---\n"
            f"## قسم\n\nنص المقال {number} مع `code` و[رابط](/posts/p{(number + 1) % 150}/).\n", encoding="utf-8")
    pools: list[int] = []
    real_pool = concurrent.futures.ProcessPoolExecutor  # sitegen.parallel imports it when it starts workers

    def counting_pool(workers: int, **kwargs):  # type: ignore[no-untyped-def]
        pools.append(workers)
        return real_pool(workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting_pool)
    build_ok("--source", site, "--output", tmp_path / "one", "--jobs", "1", "--no-cache")
    assert pools == []  # one process: no worker
    build_ok("--source", site, "--output", tmp_path / "two", "--jobs", "2", "--no-cache")
    if sitegen.parallel._can_fork():
        assert pools and set(pools) == {2}  # parsed and rendered in two worker processes
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
    pages, carried = pages_built(build_ok("--source", os.path.relpath(site), "--output", site / "public"))
    assert carried == pages > 0  # every page carried over


def test_a_cache_that_lost_its_bodies_file_starts_over(site_copy, tmp_path: Path, parsed: list[Path]) -> None:
    """The posts' bodies live in a file of their own; without it the cached posts are parsed again, so a page that
    shows other posts' bodies (the feeds, after one edit) is still made whole."""
    site = site_copy("basic")
    rebuild(site)
    (site / ".sitegen-cache/bodies.sqlite").unlink()
    CHANGES["one post's body"](site)
    parsed.clear()
    assert pages_built(rebuild(site))[1] == 0  # every page rendered again
    assert len(parsed) == SOURCES  # every source parsed again
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


def test_drafts_on_and_off_share_the_cache_and_give_the_cold_sites(site_copy, tmp_path: Path,
                                                                   parsed: list[Path]) -> None:
    """Parsed posts are the same with or without --drafts (which ones are published is chosen after): switching
    reuses them, and each build still equals a cold one."""
    site = site_copy("basic")
    rebuild(site, "--drafts")
    with_drafts = read_tree(site / "public")
    parsed.clear()
    rebuild(site)
    assert parsed == []  # the posts parsed for --drafts serve the build without
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    assert read_tree(site / "public") != with_drafts
    parsed.clear()
    rebuild(site, "--drafts")
    assert parsed == []  # and back
    assert read_tree(site / "public") == cold_tree(site, tmp_path, "--drafts") == with_drafts


def test_the_library_versions_in_the_cache_key_are_those_importlib_metadata_gives() -> None:
    """code_fingerprint reads versions from dist-info folder names (importlib.metadata costs every build 6 ms): the
    same versions, so upgrading a library that shapes the output still starts the cache over."""
    from importlib import metadata

    from sitegen.incremental.store import _LIBRARIES, _installed_versions, _project_key

    versions = _installed_versions()
    assert {name: versions.get(_project_key(name)) for name in _LIBRARIES} == {
        name: metadata.version(name) for name in _LIBRARIES}
