"""The command line's rough edges: a mistyped command or option gets a "did you mean", `--jobs` below 1 is a usage
error, `sitegen serve` where there is no site says what `sitegen build` says, and `sitegen new` tells the author
what a draft is and marks a title in another script with `lang:`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, make_site, run_cli, run_sitegen

USAGE = 2


@pytest.mark.parametrize(("argv", "message"), [
    (["biuld"], "sitegen: error: argument COMMAND: invalid choice: 'biuld'; did you mean 'build'? (choose from "
                "'init', 'build', 'serve', 'new', 'import', 'replies', 'stats')"),
    (["sreve"], "sitegen: error: argument COMMAND: invalid choice: 'sreve'; did you mean 'serve'? (choose from "
                "'init', 'build', 'serve', 'new', 'import', 'replies', 'stats')"),
    (["build", "--darfts"], "sitegen build: error: unrecognized argument --darfts; did you mean '--drafts'?"),
    (["build", "--no-cahce"], "sitegen build: error: unrecognized argument --no-cahce; did you mean '--no-cache'?"),
    (["serve", "--prot=8001"], "sitegen serve: error: unrecognized argument --prot; did you mean '--port'?"),
    (["--verison"], "sitegen: error: unrecognized argument --verison; did you mean '--version'?"),
    (["import", "--from", "jekyl", "old"], "sitegen import: error: argument --from: invalid choice: 'jekyl'; did you "
                                          "mean 'jekyll'? (choose from 'jekyll', 'hugo', 'pelican', 'eleventy', "
                                          "'wordpress')"),
])
def test_a_mistyped_command_or_option_gets_a_did_you_mean(argv: list[str], message: str) -> None:
    code, stdout, stderr = run_cli(*argv)
    assert (code, stdout) == (USAGE, "")
    assert stderr.startswith("usage: sitegen")
    assert stderr.splitlines()[-1] == message


@pytest.mark.parametrize("argv", [["frobnicate"], ["build", "--zzzzzz"]])
def test_nothing_close_is_argparse_s_own_error(argv: list[str]) -> None:
    code, _, stderr = run_cli(*argv)
    assert code == USAGE
    assert "did you mean" not in stderr
    assert stderr.splitlines()[-1] in ("sitegen: error: argument COMMAND: invalid choice: 'frobnicate' (choose from "
                                       "'init', 'build', 'serve', 'new', 'import', 'replies', 'stats')",
                                       "sitegen: error: unrecognized arguments: --zzzzzz")


@pytest.mark.parametrize("jobs", ["0", "-1", "-8"])
def test_jobs_below_one_is_a_usage_error(tmp_path: Path, jobs: str) -> None:
    code, stdout, stderr = run_cli("build", "--source", make_site(tmp_path, {}), "--jobs", jobs)
    assert (code, stdout) == (USAGE, "")
    assert stderr.splitlines()[-1] == (f"sitegen build: error: argument --jobs/-j: {jobs} worker processes: use 1 or "
                                       "more (the default is one per core)")
    assert not (tmp_path / "public").exists()


def test_jobs_that_is_not_a_number_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run_cli("build", "--source", tmp_path, "-j", "two")
    assert code == USAGE
    assert stderr.splitlines()[-1] == ("sitegen build: error: argument --jobs/-j: invalid number of worker processes "
                                       "'two': a whole number, 1 or more")


@pytest.mark.parametrize("where", ["missing", "empty"])
def test_serve_without_a_site_says_what_build_says(tmp_path: Path, where: str) -> None:
    source = tmp_path / "site"
    if where == "empty":
        source.mkdir()
    build = run_sitegen("build", "--source", source)
    serve = run_sitegen("serve", "--source", source, "--port", "0")  # before the fix: "serving 0 pages", forever
    assert (build.returncode, serve.returncode) == (1, 1)
    assert serve.stdout == ""
    assert serve.stderr == ("sitegen.yaml: error: no configuration file found\n  hint: run sitegen in the site's "
                            "root folder, or pass --source (it looks for sitegen.yaml or sitegen.yml); to start a new "
                            "blog here: sitegen init\n")
    assert build.stderr == serve.stderr + f"build failed with 1 problem; {source / 'public'} was left as it was\n"
    assert not source.exists() or list(source.iterdir()) == []


def _site(root: Path, language: str) -> Path:
    root.mkdir()
    (root / "sitegen.yaml").write_text(f"title: t\nbase_url: https://example.org/\nlanguage: {language}\n"
                                       "timezone: Asia/Riyadh\n")
    return root


DRAFT_NOTE = ("  it is a draft: `sitegen serve` shows it as you write; `sitegen build` leaves it out until you set "
              "`draft: false` (or delete that line)\n")
DATE = "date: '2026-01-01T03:00:00+03:00'\n"  # the fixed clock in Asia/Riyadh


@pytest.mark.parametrize(("language", "title", "file", "front", "lang_note"), [
    ("ar", "Notes on running PostgreSQL in production", "notes-on-running-postgresql-in-production.md",
     "title: Notes on running PostgreSQL in production\nlang: en\n", "en"),
    ("ar", "Hello world", "hello-world.md", "title: Hello world\nlang: en\n", "en"),  # too short to detect: Latin
    ("ar", "Pourquoi nous avons quitté WordPress", "pourquoi-nous-avons-quitte-wordpress.md",
     "title: Pourquoi nous avons quitté WordPress\nlang: fr\n", "fr"),
    ("ar", "مقدمة في الشبكات", "مقدمة-في-الشبكات.md", "title: مقدمة في الشبكات\n", None),
    ("ar", "مقدمة إلى Python", "مقدمة-إلى-python.md", "title: مقدمة إلى Python\n", None),  # mostly Arabic
    ("en", "مقدمة في الشبكات", "مقدمة-في-الشبكات.md", "title: مقدمة في الشبكات\nlang: ar\n", "ar"),
    ("en", "Hello world", "hello-world.md", "title: Hello world\n", None),
    ("fr", "Notes on running PostgreSQL in production", "notes-on-running-postgresql-in-production.md",
     "title: Notes on running PostgreSQL in production\n", None),  # same script as French: nothing to say
])
def test_new_post_is_marked_draft_and_its_language_when_another_script(
        tmp_path: Path, language: str, title: str, file: str, front: str, lang_note: str | None) -> None:
    site = _site(tmp_path / "site", language)
    code, stdout, stderr = run_cli("new", title, "--source", site, cwd=site)
    assert (code, stderr) == (0, "")
    assert (site / "content/posts" / file).read_text(encoding="utf-8") == (
        f"---\n{front}{DATE}description: ''\ntags: []\ndraft: true\n---\n\n")
    note = (f"  lang: {lang_note}, as its title is not in the site's language ({language}); change the line if the "
            "text is in another language\n") if lang_note else ""
    assert stdout == f"created content/posts/{file}\n{note}{DRAFT_NOTE}"


@pytest.mark.parametrize(("language", "title", "file", "front"), [
    ("ar", "About this blog", "about-this-blog.md", "title: About this blog\nlang: en\n"),
    ("en", "من نحن", "من-نحن.md", "title: من نحن\nlang: ar\n"),
    ("ar", "من نحن", "من-نحن.md", "title: من نحن\n"),
])
def test_new_page_gets_lang_too_and_no_draft(tmp_path: Path, language: str, title: str, file: str,
                                             front: str) -> None:
    site = _site(tmp_path / "site", language)
    code, stdout, stderr = run_cli("new", title, "--page", "--source", site, cwd=site)
    assert (code, stderr) == (0, "")
    assert (site / "content/pages" / file).read_text(encoding="utf-8") == f"---\n{front}description: ''\n---\n\n"
    assert stdout.startswith(f"created content/pages/{file}\n")
    assert "draft" not in stdout and ("lang: " in stdout) == ("lang:" in front)


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """`sitegen init | head -1`: the pipe is closed before sitegen writes to it; it does its work, then stops with
    the status of a process killed by SIGPIPE and no report of an internal error."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "init", str(tmp_path / "blog"), "--yes"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    assert (process.wait(timeout=60), stderr) == (141, b"")
    assert (tmp_path / "blog" / "sitegen.yaml").is_file()  # the work was done
