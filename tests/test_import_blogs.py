"""Real blogs of every shape brought in through the real CLI (`sitegen import`, then `sitegen build`): the whole blog
builds, every source yields a page or a named refusal, every old URL answers (a page or a 301 to one), and a rebuild
after the import equals a cold build.

The blogs are small excerpts of real public blogs (or of the same shape), in tests/fixtures/blogs/<name>/, each
with a SOURCE.md naming where it came from and its licence.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from sitegen.migrate.detect import detect_generator
from sitegen.migrate.model import OldBlog
from sitegen.site.urls import url_to_path

from .helpers import build_ok, read_tree, run_cli

BLOGS = Path(__file__).parent / "fixtures" / "blogs"
NOT_CONTENT = {"_layouts", "_includes", "_sass", "_data", "layouts", "themes", "node_modules", "_site", "public",
               "output", "archetypes", "static", "assets", "theme", "plugins", "_config", "i18n", "data"}
"""Folders of the old blogs that hold templates, data or built output, not posts."""
SOURCE_SUFFIXES = {".md", ".markdown", ".rst", ".xml"}


def blog_sources() -> list[Path]:
    """Each fixture blog: its folder, or its export file for WordPress (a folder of blogs holds several)."""
    found = []
    for folder in sorted(p for p in BLOGS.iterdir() if p.is_dir()):
        for candidate in (folder, *sorted(p for p in folder.iterdir() if p.is_dir())):
            exports = [p for p in sorted(candidate.glob("*.xml")) if detect_generator(p) == "wordpress"]
            if exports:
                found.append(exports[0])
            elif candidate.is_dir() and detect_generator(candidate) is not None:
                found.append(candidate)
                break
    return found


def test_there_is_a_blog_of_every_shape() -> None:
    shapes = {detect_generator(source) for source in blog_sources()}
    assert {"jekyll", "hugo", "pelican", "eleventy", "wordpress"} <= shapes


@pytest.fixture(params=blog_sources(), ids=lambda p: p.parent.name if p.is_file() else p.name)
def blog(request: pytest.FixtureRequest) -> Path:
    return request.param  # type: ignore[no-any-return]


def imported_site(blog: Path, tmp_path: Path) -> tuple[Path, str]:
    """A new site with `blog` brought in: its root and what `sitegen import` printed on stderr."""
    root = tmp_path / "site"
    root.mkdir()
    uploads = blog.parent / "uploads"
    extra = ("--uploads", uploads) if blog.is_file() and uploads.is_dir() else ()
    code, stdout, stderr = run_cli("import", blog, *extra, "--source", root)
    assert code == 0, stdout + stderr
    return root, stderr


def read_old_blog(blog: Path) -> OldBlog:
    from sitegen.commands.importing import read_blog

    generator = detect_generator(blog)
    assert generator is not None
    return read_blog(generator, blog, blog.parent / "uploads" if blog.is_file() else None)


def test_the_whole_blog_builds_and_every_old_url_answers(blog: Path, tmp_path: Path) -> None:
    root, _stderr = imported_site(blog, tmp_path)
    build_ok("--drafts", "--future", cwd=root)
    public = root / "public"
    rules = redirect_rules(public)
    old = read_old_blog(blog)
    unanswered = []
    for entry in old.entries:
        for url in entry.old_urls:
            if not answers(url, public, rules):
                unanswered.append(f"{entry.source.name}: {url}")
    assert unanswered == []
    assert old.entries, "no post came through"


def test_every_source_yields_a_page_or_a_named_refusal(blog: Path) -> None:
    if blog.is_file():
        pytest.skip("an export is one file: each item's URL is checked above")
    old = read_old_blog(blog)
    accounted = {entry.source.resolve() for entry in old.entries}
    accounted |= {Path(note.path).resolve() for entry in old.entries for note in entry.notes}
    accounted |= {Path(note.path).resolve() for note in old.notes}
    sources = [path for path in blog.rglob("*") if path.suffix in SOURCE_SUFFIXES and path.is_file()
               and not NOT_CONTENT.intersection(path.relative_to(blog).parts[:-1])
               and not path.name.startswith(("README", "LICENSE", "SOURCE", "CHANGELOG"))]
    assert sources
    assert sorted(str(p.relative_to(blog)) for p in sources if p.resolve() not in accounted) == []


def test_a_rebuild_after_import_equals_a_cold_build(blog: Path, tmp_path: Path) -> None:
    root, _stderr = imported_site(blog, tmp_path)
    build_ok("--drafts", "--future", cwd=root)
    build_ok("--drafts", "--future", cwd=root)
    warm = read_tree(root / "public")
    shutil.rmtree(root / "public")
    shutil.rmtree(root / ".sitegen-cache", ignore_errors=True)
    build_ok("--drafts", "--future", cwd=root)
    assert read_tree(root / "public") == warm


def redirect_rules(public: Path) -> dict[str, str]:
    """`_redirects` as old path (with its query, decoded) -> target path."""
    rules: dict[str, str] = {}
    redirects = public / "_redirects"
    lines = redirects.read_text(encoding="utf-8").splitlines() if redirects.is_file() else []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        source, target = parts[0], parts[-2]
        query = "&".join(parts[1:-2])
        rules[unquote(source).rstrip("/") + (f"?{query}" if query else "")] = unquote(target)
    return rules


def answers(url: str, public: Path, rules: dict[str, str]) -> bool:
    """Whether a request for the old `url` gets a page: the file is there, or a 301 leads to one that is."""
    path, _, query = unquote(url).partition("?")
    if not query and served(path, public):
        return True
    target = rules.get(path.rstrip("/") + (f"?{query}" if query else ""))
    return target is not None and served(target, public)


def served(path: str, public: Path) -> bool:
    """Whether Netlify serves a file at `path` ('/about' is served from about/index.html too)."""
    return (public / url_to_path(path)).is_file() or (public / url_to_path(path.rstrip("/") + "/")).is_file()
