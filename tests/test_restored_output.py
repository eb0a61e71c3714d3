"""A site restored from a CI cache (netlify/plugins/sitegen-cache): `public/` and `.sitegen-cache/` copied away
after a build and copied back into a fresh checkout before the next. The copy is another folder (a new inode), so
it cannot be updated in place, but its pages are carried over when its build mark matches the restored cache, and
the rebuild gives exactly what a cold build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.incremental.digests import BUILD_MARK
from sitegen.output.stage import folder_identity

from .helpers import build_ok, edit, read_tree
from .test_incremental import INPUT_CHANGES, build_result, cold_tree, inodes

KEPT = ("public", ".sitegen-cache")
"""What the Netlify plugin keeps between builds."""


def save(site: Path, into: Path) -> None:
    """The plugin's onPostBuild: a copy of both folders in the CI cache."""
    for name in KEPT:
        shutil.copytree(site / name, into / name)


def restore(site: Path, saved: Path) -> None:
    """A fresh checkout (neither folder there), then the plugin's onPreBuild: both copied back, new inodes (each
    copy made before the old folder is removed, so the system cannot give it the old folder's inode number)."""
    for name in KEPT:
        shutil.copytree(saved / name, site / f"{name}.restored")
        shutil.rmtree(site / name, ignore_errors=True)
        (site / f"{name}.restored").rename(site / name)


def save_and_restore(site: Path, tmp_path: Path) -> None:
    before = folder_identity(site / "public")
    save(site, tmp_path / "ci-cache")
    restore(site, tmp_path / "ci-cache")
    assert folder_identity(site / "public") != before


def test_a_restored_site_carries_every_page_over_and_equals_a_cold_build(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    cold = build_result(site)
    assert cold.rendered == cold.pages > 0
    save_and_restore(site, tmp_path)
    warm = build_result(site)
    assert (warm.pages, warm.rendered) == (cold.pages, 0)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    # The build recorded the folder it wrote: the next one updates it in place, rewriting nothing.
    before = inodes(site / "public")
    assert build_result(site).rendered == 0
    assert inodes(site / "public") == before


def test_a_restored_site_after_one_edit_renders_only_the_pages_showing_it(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    cold = build_result(site)
    save_and_restore(site, tmp_path)
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    warm = build_result(site)
    assert 0 < warm.rendered < cold.pages
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_page_missing_from_the_restored_copy_is_rendered_again(site_copy, tmp_path: Path) -> None:
    """A copy may be short of files (Netlify's cache utility skips names it takes for junk): the rebuild links
    each page it keeps from the copy, so one that is not there is rendered, not lost."""
    site = site_copy("basic")
    build_result(site)
    save_and_restore(site, tmp_path)
    (site / "public/about/index.html").unlink()
    assert build_result(site).rendered == 1
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_complete_copy_is_updated_in_place_and_one_short_of_a_file_is_staged_whole(site_copy,
                                                                                     tmp_path: Path) -> None:
    """Updating in place costs a check of each file; staging the whole site costs a folder per page (6 s of mkdir
    at 10,000 posts here): a copy with every file is patched, one that lacks any is exchanged for a whole tree."""
    site = site_copy("basic")
    build_result(site)
    save_and_restore(site, tmp_path)
    restored = folder_identity(site / "public")
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    assert build_result(site).rendered > 0
    assert folder_identity(site / "public") == restored  # the same folder, patched
    save_and_restore(site, tmp_path / "second")
    restored = folder_identity(site / "public")
    (site / "public/about/index.html").unlink()
    assert build_result(site).rendered == 1
    assert folder_identity(site / "public") != restored  # a new tree, exchanged with it
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_page_edited_in_the_restored_copy_is_trusted_like_the_folder_in_place(site_copy, tmp_path: Path) -> None:
    """The build mark proves which build wrote the folder, not that no one edited a file since: sitegen does not
    read every file back (see PatchStage), for the folder in place or a restored copy alike. The edit is carried
    over until --no-cache writes the site afresh, the same as in the folder the build wrote."""
    site = site_copy("basic")
    build_result(site)
    page = site / "public/about/index.html"
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    edited = read_tree(site / "public")
    assert build_result(site).rendered == 0  # in place
    assert read_tree(site / "public") == edited
    save_and_restore(site, tmp_path)
    assert build_result(site).rendered == 0  # a restored copy: the same
    assert read_tree(site / "public") == edited
    build_ok("--source", site, "--no-cache")
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


@pytest.mark.parametrize("name", ["code", "configuration", "templates", "translations"])
def test_a_cache_from_another_sitegen_configuration_or_theme_renders_every_page(
        name: str, site_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The restored pair was made by another sitegen, sitegen.yaml or theme: the build mark still matches the
    cache, but every page's digest covers those inputs, so no page is carried over."""
    site = site_copy("basic")
    cold = build_result(site)
    save_and_restore(site, tmp_path)
    INPUT_CHANGES[name](site, monkeypatch)
    warm = build_result(site)
    assert (warm.pages, warm.rendered) == (cold.pages, cold.pages)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_site_restored_beside_another_builds_cache_is_not_trusted(site_copy, tmp_path: Path) -> None:
    """public/ saved by one build, .sitegen-cache/ by a later one (or either missing): the build mark does not
    match the cache's digests, so the whole site is rendered."""
    site = site_copy("basic")
    cold = build_result(site)
    save(site, tmp_path / "first")
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")
    build_result(site)
    save(site, tmp_path / "second")
    shutil.rmtree(tmp_path / "second/public")
    shutil.copytree(tmp_path / "first/public", tmp_path / "second/public")
    restore(site, tmp_path / "second")
    assert (site / "public" / BUILD_MARK).read_bytes() == (tmp_path / "first/public" / BUILD_MARK).read_bytes()
    assert build_result(site).rendered == cold.pages
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    shutil.rmtree(site / ".sitegen-cache")  # no cache restored at all
    shutil.rmtree(site / "public")
    shutil.copytree(tmp_path / "first/public", site / "public")
    assert build_result(site).rendered == cold.pages
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
