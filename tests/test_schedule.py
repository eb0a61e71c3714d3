"""Scheduled posts: a post dated after the build's clock is left out of a production build, named in the build's
notes (and the preview's, which shows it marked), and listed in /sitegen-schedule.json, which the Netlify function
netlify/functions/publish-scheduled.mjs reads to start a build once the post is due. The function's decision table
runs under Node's own test runner (tests/js/publish_scheduled.test.mjs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitegen.build.run import BuildOptions
from sitegen.preview.model import Preview
from sitegen.render.schedule import schedule_notes
from sitegen.scaffold import Answers, blueprint

from .helpers import FIXED_EPOCH, ROOT, Server, build_ok, make_site, run_cli

NODE = shutil.which("node")
FUNCTION = ROOT / "netlify" / "functions" / "publish-scheduled.mjs"
needs_node = pytest.mark.skipif(NODE is None and not os.environ.get("CI"), reason="node is not installed")

POSTS = {
    "content/posts/past.md": "---\ntitle: Past\ndate: 2025-12-01\n---\nP\n",
    "content/posts/soon.md": "---\ntitle: Soon\ndate: 2026-01-05 09:00\n---\nS\n",
    "content/posts/later.md": "---\ntitle: Later\ndate: 2026-02-01\n---\nL\n",
    "content/posts/draft.md": "---\ntitle: Draft\ndate: 2026-01-03\ndraft: true\n---\nD\n",
}
"""The clock is 2026-01-01T00:00:00Z; the site's zone Asia/Riyadh (+03:00)."""


def test_the_build_names_each_scheduled_post_and_when_it_appears(tmp_path: Path) -> None:
    site = make_site(tmp_path, POSTS)
    stdout = build_ok("--source", site, cwd=site)
    assert stdout.splitlines()[1:] == [
        'note: scheduled: content/posts/soon.md ("Soon") appears with the first build after 2026-01-05 09:00 +0300 '
        "(2026-01-05T06:00:00Z)",
        'note: scheduled: content/posts/later.md ("Later") appears with the first build after 2026-02-01 00:00 +0300 '
        "(2026-01-31T21:00:00Z)",
    ]
    assert not (site / "public/posts/soon").exists() and (site / "public/posts/past/index.html").is_file()


def test_the_schedule_file_lists_the_times_to_come_and_the_build_time(tmp_path: Path) -> None:
    site = make_site(tmp_path, POSTS)
    build_ok("--source", site)
    schedule = json.loads((site / "public/sitegen-schedule.json").read_text())
    assert schedule == {"version": 1, "built": "2026-01-01T00:00:00Z",
                        "scheduled": ["2026-01-05T06:00:00Z", "2026-01-31T21:00:00Z"]}
    assert "sitegen-schedule.json" not in (site / "public/sitemap.xml").read_text()


def test_a_draft_dated_later_is_not_scheduled_until_drafts_are_built(tmp_path: Path) -> None:
    site = make_site(tmp_path, POSTS)
    build_ok("--source", site, "--drafts")
    assert len(json.loads((site / "public/sitegen-schedule.json").read_text())["scheduled"]) == 3


def test_no_post_waiting_writes_no_schedule_and_no_note(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/posts/past.md": POSTS["content/posts/past.md"]})
    stdout = build_ok("--source", site)
    assert "note:" not in stdout and not (site / "public/sitegen-schedule.json").exists()
    (tmp_path / "b").mkdir()
    site_future = make_site(tmp_path / "b", POSTS)
    stdout = build_ok("--source", site_future, "--future")  # published ahead of their date: nothing waits
    assert stdout.count("is shown ahead of its date") == 2 and "appears with" not in stdout
    assert not (site_future / "public/sitegen-schedule.json").exists()


def test_the_schedule_is_rewritten_when_the_clock_passes_a_post(tmp_path: Path) -> None:
    """A rebuild (the cache in use) at a later clock publishes the post that came due and lists only the next."""
    site = make_site(tmp_path, POSTS)
    build_ok("--source", site)
    code, stdout, _ = run_cli("build", "--source", site, epoch=str(int(FIXED_EPOCH) + 10 * 86400))
    assert code == 0 and stdout.count("note: scheduled:") == 1
    assert (site / "public/posts/soon/index.html").is_file()
    schedule = json.loads((site / "public/sitegen-schedule.json").read_text())
    assert schedule == {"version": 1, "built": "2026-01-11T00:00:00Z", "scheduled": ["2026-01-31T21:00:00Z"]}


def test_the_preview_shows_scheduled_posts_and_names_them(tmp_path: Path) -> None:
    site = make_site(tmp_path, POSTS)
    clock = datetime.fromtimestamp(int(FIXED_EPOCH), UTC)
    preview = Preview(BuildOptions(source=site, output=site / "public", future=True, now=clock))
    generation = preview.rebuild().generation
    assert generation is not None
    assert schedule_notes(generation.site) == (
        'scheduled: content/posts/soon.md ("Soon") is shown ahead of its date, 2026-01-05 09:00 +0300 '
        "(2026-01-05T06:00:00Z); production builds publish it from then",
        'scheduled: content/posts/later.md ("Later") is shown ahead of its date, 2026-02-01 00:00 +0300 '
        "(2026-01-31T21:00:00Z); production builds publish it from then",
    )


@needs_node
def test_the_function_decision_table_under_node() -> None:
    assert NODE is not None
    run = subprocess.run([NODE, "--test", str(ROOT / "tests/js/publish_scheduled.test.mjs")], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout and "# pass 27" in run.stdout


@needs_node
@pytest.mark.parametrize(("days", "build"), [(3, False), (4, False), (5, True), (40, True)])
def test_the_function_reads_the_file_sitegen_writes(tmp_path: Path, days: int, build: bool) -> None:
    """The schedule sitegen wrote, decided by the function at the build's clock plus `days` (the first post is due
    2026-01-05T06:00Z: day 4 is before it, day 5 after it)."""
    assert NODE is not None
    site = make_site(tmp_path, POSTS)
    build_ok("--source", site)
    now = (int(FIXED_EPOCH) + days * 86400) * 1000
    script = (f"import {{ decide }} from {json.dumps(FUNCTION.as_uri())};\n"
              "import { readFileSync } from 'node:fs';\n"
              f"const schedule = JSON.parse(readFileSync({json.dumps(str(site / 'public/sitegen-schedule.json'))}));\n"
              f"console.log(JSON.stringify(decide(schedule, {now})));\n")
    run = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["build"] is build


def test_init_copies_the_function_into_a_new_blog() -> None:
    files = blueprint(Answers("t", "en", "a"), datetime(2026, 1, 1, tzinfo=UTC))
    assert files["netlify/functions/publish-scheduled.mjs"] == FUNCTION.read_bytes()
    assert b'[functions]\n  directory = "netlify/functions"' in files["netlify.toml"]


def test_serve_names_the_posts_it_shows_ahead_of_their_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, POSTS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)  # the forked server's clock
    running = Server(site)
    try:
        output = [running.output.readline().rstrip("\n") for _ in range(3)]  # printed right after the first line
    finally:
        running.stop()
    assert output == [
        'note: scheduled: content/posts/draft.md ("Draft") is shown ahead of its date, 2026-01-03 00:00 +0300 '
        "(2026-01-02T21:00:00Z); production builds publish it from then",
        'note: scheduled: content/posts/soon.md ("Soon") is shown ahead of its date, 2026-01-05 09:00 +0300 '
        "(2026-01-05T06:00:00Z); production builds publish it from then",
        'note: scheduled: content/posts/later.md ("Later") is shown ahead of its date, 2026-02-01 00:00 +0300 '
        "(2026-01-31T21:00:00Z); production builds publish it from then"]
