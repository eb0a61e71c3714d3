"""The preview's build from scratch takes what did not change from `.sitegen-cache/` (shared with `sitegen build`),
parses the rest in worker processes, and keeps everything in memory: it serves the same pages, reports the same
errors, and later edits are still re-read alone, in this process."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

import sitegen.incremental.parse
from sitegen.build.run import BuildOptions
from sitegen.parallel import _can_fork
from sitegen.preview.model import Preview
from sitegen.preview.server import format_errors
from sitegen.site.model import Body

from .helpers import Server, edit, run_cli

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PARSE_SOURCE = sitegen.incremental.parse.parse_source
NETWORKING = "content/posts/2025-01-10-networking.md"


def options(site: Path, **changes: object) -> BuildOptions:
    """What `sitegen serve` asks for (drafts and future posts shown), at a fixed clock."""
    values: dict[str, object] = {"drafts": True, "future": True, "now": NOW, **changes}
    return BuildOptions(site, site / "public", **values)  # type: ignore[arg-type]


def build(site: Path, *args: str, ok: bool = True) -> None:
    """`sitegen build` as a user runs it, in the site's folder (the cache then holds paths as `-s .` spells them). It
    runs in this process, but what it parses is not counted in `parsed`: that is for what the preview parses."""
    counting, sitegen.incremental.parse.parse_source = sitegen.incremental.parse.parse_source, PARSE_SOURCE
    try:
        code, _, stderr = run_cli("build", "-s", ".", *args, cwd=site)
    finally:
        sitegen.incremental.parse.parse_source = counting
    assert (code == 0) == ok, stderr


def everything(preview: Preview) -> dict[str, bytes | None]:
    """Every page and generated file of the preview's current site, rendered."""
    generation = preview.current
    assert generation is not None
    return {path: generation.render(path) for path in sorted({*generation.plan.pages, *generation.plan.generated})}


def in_process(site: Path, **changes: object) -> Preview:
    """The preview as it was before it used the build cache: every source parsed here."""
    preview = Preview(options(site, use_cache=False, **changes))
    assert preview.rebuild().generation is not None
    return preview


def test_after_sitegen_build_the_preview_parses_nothing_and_serves_the_same_site(site_copy, parsed) -> None:
    site = site_copy("basic")
    build(site)  # publishes neither the draft nor the future post, but parses and keeps them
    preview = Preview(options(site))
    result = preview.rebuild()
    assert result.errors == () and result.generation is not None
    assert parsed == []
    posts = result.generation.site.posts
    assert any(p.doc.draft for p in posts) and any(p.date and p.date > NOW for p in posts)
    # bodies are in memory: the cache is closed, and pages are rendered in the server's threads
    assert all(isinstance(post.body, Body) for post, _ in preview.parser.cache.values() if post is not None)
    rendered: list[bytes | None] = []
    page = "posts/networking/index.html"
    worker = threading.Thread(target=lambda: rendered.append(preview.current.render(page)))  # type: ignore[union-attr]
    worker.start()
    worker.join()
    assert rendered[0] and "لماذا تهم؟" in rendered[0].decode()
    expected = in_process(site)
    assert len(parsed) == len(preview.parser.cache) == 6
    assert everything(preview) == everything(expected)


def test_bodies_read_from_the_cache_in_several_queries_give_the_same_site(site_copy, parsed, monkeypatch) -> None:
    """The preview reads every body in batches (one query each cost 0.4 s of a first start at 10,000 posts): with
    batches of two, the six sources take three queries and the site is the one parsed here."""
    import sitegen.incremental.store

    monkeypatch.setattr(sitegen.incremental.store, "_BATCH", 2)
    site = site_copy("basic")
    build(site)
    preview = Preview(options(site))
    assert preview.rebuild().generation is not None and parsed == []
    assert everything(preview) == everything(in_process(site))


def test_no_drafts_is_applied_to_posts_from_the_build_cache(site_copy, parsed) -> None:
    site = site_copy("basic")
    build(site, "--drafts")  # parsed posts do not depend on --drafts: the preview shares what this build stored
    preview = Preview(options(site, drafts=False))
    result = preview.rebuild()
    assert parsed == [] and result.generation is not None
    assert not any(p.doc.draft for p in result.generation.site.posts)
    assert everything(preview) == everything(in_process(site, drafts=False))


def test_an_edit_after_a_start_from_the_build_cache_is_parsed_alone(site_copy, parsed) -> None:
    site = site_copy("basic")
    build(site)
    preview = Preview(options(site))
    preview.rebuild()
    assert parsed == []
    post = site / NETWORKING
    edit(post, "## لماذا تهم؟", "## لماذا تهم الشبكات؟")
    result = preview.rebuild({post})
    assert parsed == [post.resolve()]
    assert result.changed_urls == ("/posts/networking/",)
    assert "لماذا تهم الشبكات؟" in (preview.current.render("posts/networking/index.html") or b"").decode()  # type: ignore[union-attr]


def test_a_broken_source_from_the_build_cache_is_reported_as_when_parsed_here(site_copy, parsed) -> None:
    site = site_copy("basic")
    post = site / NETWORKING
    edit(post, "tags: [شبكات, مهنة]", "tags: [شبكات, مهنة")
    build(site, ok=False)  # the failure is stored with the path `-s .` gave it: content/posts/...
    preview = Preview(options(site))
    result = preview.rebuild()
    assert parsed == [] and result.generation is None
    root = site.resolve()
    text = format_errors(result.errors, root)
    assert text.startswith(f"{NETWORKING}:4:12: error: invalid YAML: expected ',' or ']', but got ':'")
    assert all(e.path == post.resolve() for e in result.errors)
    fresh = Preview(options(site, use_cache=False)).rebuild()
    assert text == format_errors(fresh.errors, root)  # with the source line and its caret
    parsed.clear()
    edit(post, "tags: [شبكات, مهنة", "tags: [شبكات, مهنة]")
    result = preview.rebuild({post})
    assert result.errors == () and result.generation is not None and parsed == [post.resolve()]


def _damage_bodies(site: Path) -> None:
    with sqlite3.connect(site / ".sitegen-cache" / "bodies.sqlite") as db:
        db.execute("DELETE FROM bodies")


def _not_a_folder(site: Path) -> None:
    (site / ".sitegen-cache").rename(site / "old-cache")
    (site / ".sitegen-cache").write_text("not a folder")


def _garbage(site: Path) -> None:
    (site / ".sitegen-cache" / "cache.sqlite").write_bytes(b"this is not an SQLite file" * 100)


@pytest.mark.parametrize("damage", [_damage_bodies, _not_a_folder, _garbage])
def test_an_unusable_build_cache_falls_back_to_parsing_here(site_copy, parsed, damage) -> None:
    site = site_copy("basic")
    build(site)
    damage(site)
    preview = Preview(options(site))
    result = preview.rebuild()
    assert result.errors == () and result.generation is not None
    assert len(parsed) >= 6
    assert everything(preview) == everything(in_process(site))


def test_a_configuration_change_rebuilds_through_the_build_cache(site_copy, parsed, monkeypatch) -> None:
    site = site_copy("basic")
    build(site)
    workers: list[int | None] = []
    real = sitegen.incremental.parse.map_chunks

    def spy(task, items, **kwargs):  # type: ignore[no-untyped-def]
        workers.append(kwargs.get("workers"))
        return real(task, items, **kwargs)

    monkeypatch.setattr(sitegen.incremental.parse, "map_chunks", spy)
    preview = Preview(options(site))
    preview.rebuild()
    preview.workers = 1  # as run_preview does once the server's threads run
    edit(site / "sitegen.yaml", "title: مدونة الاختبار", "title: مدونة الاختبار الجديدة")
    result = preview.rebuild({site / "sitegen.yaml"})
    assert result.generation is not None and "مدونة الاختبار الجديدة" in (
        result.generation.render("index.html") or b"").decode()
    assert workers == [None, 1]  # the first build may fork, the second parses here
    assert len(parsed) == 6  # the configuration is part of every key
    parsed.clear()
    Preview(options(site)).rebuild()
    assert parsed == []  # and what it parsed is there for the next start


def test_a_first_start_without_a_cache_parses_in_workers_and_fills_the_cache(tmp_path: Path, parsed) -> None:
    site = tmp_path / "many"
    (site / "content/posts").mkdir(parents=True)
    (site / "sitegen.yaml").write_text("title: كثير\nbase_url: https://example.org/\nlanguage: ar\n",
                                       encoding="utf-8")
    for n in range(120):  # more than map_chunks runs in this process
        (site / f"content/posts/post-{n:03}.md").write_text(
            f"---\ntitle: مقال {n}\ndate: 2025-01-{n % 28 + 1:02}\n---\n## فقرة {n}\n\nنص **{n}**.\n", encoding="utf-8")
    preview = Preview(options(site, workers=2))
    result = preview.rebuild()
    assert result.errors == () and result.generation is not None
    if _can_fork():
        assert parsed == []  # all parsed in the workers
    assert all(isinstance(post.body, Body) for post, _ in preview.parser.cache.values() if post is not None)
    assert everything(preview) == everything(in_process(site))
    parsed.clear()
    again = Preview(options(site))
    again.rebuild()
    assert parsed == []
    assert everything(again) == everything(preview)


def test_serve_creates_the_cache_and_its_next_start_uses_it(site_copy, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import http.client

    site = site_copy("basic")
    log = tmp_path / "parsed.log"  # what each server process parses (it is forked from this one, patch and all)

    def logged(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{source.path}\n")
        return PARSE_SOURCE(source, *args, **kwargs)

    monkeypatch.setattr(sitegen.incremental.parse, "parse_source", logged)
    parsed_by_start = []
    for start in range(2):
        log.write_text("")
        running = Server(site)
        try:
            host, port = running.url.split("//")[1].rstrip("/").split(":")
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            connection.request("GET", "/posts/networking/")
            response = connection.getresponse()
            assert response.status == 200 and "لماذا تهم؟" in response.read().decode()
        finally:
            output = running.stop()
        assert "Traceback" not in output
        assert (site / ".sitegen-cache" / "cache.sqlite").is_file(), start
        parsed_by_start.append(len(log.read_text().splitlines()))
    assert parsed_by_start == [6, 0]  # the first start parses every source; the next takes them from the cache
    assert not (site / "public").exists()
