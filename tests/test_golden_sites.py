"""Golden sites: each site in tests/sites/ built by the real CLI with a fixed clock, compared as a tree."""

from __future__ import annotations

import shutil

import html5lib
import pytest

from sitegen.incremental.digests import BUILD_MARK

from .helpers import ROOT, UPDATE_GOLDEN, read_tree, run_sitegen

GOLDEN = ["basic"]


@pytest.mark.parametrize("name", GOLDEN)
def test_site_matches_golden_tree(name: str, site_copy) -> None:
    site = site_copy(name)
    result = run_sitegen("build", "--source", site)
    assert result.returncode == 0, result.stderr
    expected_dir = ROOT / "tests" / "sites" / name / "expected"
    built = read_tree(site / "public")
    assert built.pop(BUILD_MARK)  # the build's record of its manifest, which digests sitegen's own code: not golden
    assert "pagefind/shards.json" in built
    if UPDATE_GOLDEN:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(site / "public", expected_dir, ignore=shutil.ignore_patterns(BUILD_MARK))
    expected = read_tree(expected_dir)
    for tree in (built, expected):  # Pagefind's bundle (kept for the browser tests) is its own: tests/test_search.py
        for path in [path for path in tree if path.startswith("pagefind/")]:
            del tree[path]
    assert sorted(built) == sorted(expected)
    for path, data in expected.items():
        if path.endswith((".png", ".jpg", ".webp", ".ico")):  # binary theme files: compared as bytes
            assert built[path] == data, f"{path} differs from the golden file"
        else:
            assert built[path].decode() == data.decode(), f"{path} differs from the golden file"


@pytest.mark.parametrize("name", GOLDEN)
def test_every_page_is_well_formed_html(name: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    pages = sorted((ROOT / "tests" / "sites" / name / "expected").rglob("*.html"))
    assert pages
    for page in pages:
        document = parser.parse(page.read_bytes())
        root = document  # html element
        assert root.tag == "html", page
        assert root.get("lang") and root.get("dir") in ("rtl", "ltr"), page
