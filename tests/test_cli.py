"""The `sitegen` command end to end: flags, summaries, drafts, overrides, and a failed build changing nothing.

The entry point (`python -m sitegen`: --version, and one build with its summary line) runs as a separate process, as a
user runs it; the rest calls the same `main` in this process (`run_cli`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sitegen import __version__

from .helpers import build_ok, read_tree, run_cli, run_sitegen


def test_version_and_help_on_every_command() -> None:
    version = run_sitegen("--version")  # the entry point, `python -m sitegen`
    assert (version.returncode, version.stdout.strip()) == (0, f"sitegen {__version__}")
    assert run_cli("--version") == (0, f"sitegen {__version__}\n", "")
    for command in ("build", "new", "import", "serve"):
        code, stdout, stderr = run_cli(command, "--help")
        assert (code, stderr) == (0, "")
        assert stdout.startswith(f"usage: sitegen {command} ") and "--source" in stdout


def test_build_prints_one_summary_line(site_copy) -> None:
    """One line, and one note for each post left out until its date."""
    site = site_copy("basic")
    result = run_sitegen("build", "--source", site)
    assert result.returncode == 0
    assert re.fullmatch(r"built 17 pages \(66 files\) in \d+\.\d\d s -> \S+public\n"
                        r"note: scheduled: content/posts/future.md \(\"مقال مستقبلي\"\) appears with the first build "
                        r"after 2030-01-01 00:00 \+0300 \(2029-12-31T21:00:00Z\)\n", result.stdout), result.stdout


def test_drafts_and_future_posts_only_on_request(site_copy) -> None:
    site = site_copy("basic")
    build_ok("--source", site)
    assert (site / "public/posts/networking/index.html").is_file()
    assert not (site / "public/posts/draft").exists()
    assert not (site / "public/posts/future").exists()
    build_ok("--source", site, "--drafts", "--future")
    assert (site / "public/posts/draft/index.html").is_file()
    assert (site / "public/posts/future/index.html").is_file()


def test_output_option(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    build_ok("--source", site, "--output", tmp_path / "out")
    assert (tmp_path / "out/index.html").is_file()
    assert not (site / "public").exists()


def test_failed_build_leaves_previous_output_untouched(site_copy) -> None:
    site = site_copy("basic")
    build_ok("--source", site)
    before = read_tree(site / "public")
    post = site / "content/posts/relations.md"
    post.write_text(post.read_text().replace("date: 2025-02-01 09:30", "date: yesterday"))
    code, stdout, stderr = run_cli("build", "--source", site)
    assert (code, stdout) == (1, "")
    assert "content/posts/relations.md:4:1: error: date 'yesterday' is not a date" in stderr
    assert stderr.endswith(f"build failed with 1 problem; {(site / 'public').as_posix()} was left as it was\n")
    assert read_tree(site / "public") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []


def test_stale_staging_folder_from_a_killed_build_is_removed(site_copy) -> None:
    site = site_copy("basic")
    stale = site / ".public.tmp-99999"
    (stale / "posts").mkdir(parents=True)
    build_ok("--source", site)
    assert not stale.exists()


def test_output_inside_sources_is_refused(site_copy) -> None:
    site = site_copy("basic")
    before = read_tree(site)
    code, _, stderr = run_cli("build", "--source", site, "--output", site)
    assert code == 1
    assert "the output folder must not contain the site's sources" in stderr
    assert read_tree(site) == before  # nothing written, nothing removed


def test_site_templates_override_the_theme(site_copy) -> None:
    site = site_copy("basic")
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text("<!DOCTYPE html><title>{{ post.title }}</title><p>custom {{ lang }}")
    (site / "content/pages/plain.md").write_text("---\ntitle: عادية\n---\nنص\n")
    build_ok("--source", site)
    assert (site / "public/plain/index.html").read_text() == "<!DOCTYPE html><title>عادية</title><p>custom ar"


def test_two_sources_claiming_one_url_name_both_files(site_copy) -> None:
    site = site_copy("basic")
    (site / "content/posts/copy.md").write_text("---\ntitle: نسخة\nslug: networking\ndate: 2025-01-01\n---\nنص\n")
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 1
    assert ("content/posts/copy.md: error: the URL /posts/networking/ is already taken by the URL of "
            "content/posts/2025-01-10-networking.md") in stderr


def test_new_creates_a_draft_with_front_matter(site_copy) -> None:
    site = site_copy("basic")
    code, _, stderr = run_cli("new", "عنوان المقال", "--source", site)
    assert code == 0, stderr
    created = site / "content/posts/عنوان-المقال.md"
    front = yaml.safe_load(created.read_text().split("---")[1])
    assert front["title"] == "عنوان المقال"
    assert front["draft"] is True
    assert front["date"] == "2026-01-01T03:00:00+03:00"  # the fixed clock, in the site's time zone
    written = created.read_bytes()
    code, _, stderr = run_cli("new", "عنوان المقال", "--source", site)
    assert code == 1 and stderr.endswith(" already exists\n")
    assert created.read_bytes() == written  # never overwrites
    build_ok("--source", site, "--drafts")
    assert (site / "public/posts/عنوان-المقال/index.html").is_file()


@pytest.mark.parametrize("command", [["build"], ["new", "x"]])
def test_missing_configuration_is_a_clear_error(tmp_path: Path, command: list[str]) -> None:
    code, stdout, stderr = run_cli(*command, "--source", tmp_path)
    assert (code, stdout) == (1, "")
    assert stderr.startswith("sitegen.yaml: error: no configuration file found\n")
    assert "Traceback" not in stderr


@pytest.mark.parametrize("port", ["99999", "65536", "-1"])
def test_serve_takes_a_port_out_of_range_for_a_usage_error(site_copy, port: str) -> None:
    code, stdout, stderr = run_cli("serve", "--source", site_copy("basic"), "--port", port)
    assert (code, stdout) == (2, "")
    assert stderr.endswith(f"sitegen serve: error: argument --port/-p: port {port} is not in the range 0-65535 "
                           "(0 picks a free one)\n")
