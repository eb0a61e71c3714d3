"""`sitegen init`: a new blog from the installed package alone, that builds with no warning right away and is shown
by the preview; asked on a terminal (a real pseudo-terminal), taken from options otherwise."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from sitegen import DISTRIBUTION, __version__
from sitegen.scaffold import _git_origin, packaged_root, requirements

from .helpers import ROOT, Server, get, run_cli, run_sitegen

FILES = [".gitignore", "README.md", "content/pages/about.md", "content/posts/أول-مقال.md", "netlify.toml",
         "netlify/functions/publish-scheduled.mjs", "requirements.txt", "sitegen.yaml"]


def _init(folder: Path, *args: str) -> tuple[int, str, str]:
    return run_cli("init", folder, *args)


def _written(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
                  and "netlify/plugins" not in path.as_posix())


def test_init_with_defaults_writes_an_arabic_blog_that_builds_without_a_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Riyadh")  # the machine's time zone becomes the blog's
    blog = tmp_path / "blog"
    code, stdout, stderr = _init(blog, "--yes", "--author", "سارة")
    assert (code, stderr) == (0, "")
    assert stdout.startswith(f"created a blog in {blog.as_posix()}: مدونتي (ar), by سارة\n")
    assert _written(blog) == FILES
    config = yaml.safe_load((blog / "sitegen.yaml").read_text(encoding="utf-8"))
    assert config == {"title": "مدونتي", "description": "", "language": "ar", "timezone": "Asia/Riyadh",
                      "author": {"name": "سارة"}}
    # no base_url: not known yet (on Netlify the site's own address is used)
    post = (blog / "content/posts/أول-مقال.md").read_text(encoding="utf-8")
    assert post.startswith("---\ntitle: أول مقال\ndate: 2026-01-01T03:00:00+03:00\n") and "\ndraft: true\n---\n" in post
    assert (blog / ".gitignore").read_text().splitlines()[1:4] == ["/public/", "/.sitegen-cache/", "/.netlify/"]
    code, stdout, stderr = run_cli("build", "--source", blog, "--strict")
    assert (code, stderr) == (0, "")  # no warning at all
    assert stdout.startswith("built ")
    public = blog / "public"
    assert not (public / "posts").exists() and not (public / "about").exists()  # drafts are not published
    html = (public / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html and "<title>مدونتي</title>" in html


def test_the_drafts_it_writes_are_shown_by_the_preview(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    assert _init(blog, "--yes")[0] == 0
    server = Server(blog)
    try:
        status, _, home = get(server, "/")
        assert status == 200 and "أول مقال" in home.decode("utf-8")
        status, _, page = get(server, "/posts/%D8%A3%D9%88%D9%84-%D9%85%D9%82%D8%A7%D9%84/")
        assert status == 200
        text = page.decode("utf-8")
        assert "أهلًا بك في مدونتك" in text and 'class="post-status"' in text
        status, _, about = get(server, "/about/")
        assert status == 200 and "عن الكاتب" in about.decode("utf-8")
    finally:
        server.stop()


def test_options_choose_an_english_blog(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    code, _, stderr = _init(blog, "--yes", "--title", "Notes: on work # and life", "--language", "en",
                            "--author", "Sam O'Neil", "--base-url", "https://notes.example.org")
    assert (code, stderr) == (0, "")
    config = yaml.safe_load((blog / "sitegen.yaml").read_text(encoding="utf-8"))
    assert (config["title"], config["language"], config["base_url"], config["author"]["name"]) == (
        "Notes: on work # and life", "en", "https://notes.example.org/", "Sam O'Neil")
    assert (blog / "content/posts/my-first-post.md").is_file()
    assert (blog / "README.md").read_text().startswith("# Notes: on work # and life\n")
    code, _, stderr = run_cli("build", "--source", blog, "--strict", "--drafts")
    assert (code, stderr) == (0, "")
    page = (blog / "public/posts/my-first-post/index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in page
    assert '<link rel="canonical" href="https://notes.example.org/posts/my-first-post/">' in page


def test_a_language_without_texts_of_its_own_gets_english_ones_marked_as_english(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    assert _init(blog, "--yes", "--language", "fr")[0] == 0
    assert "\nlang: en\n" in (blog / "content/posts/my-first-post.md").read_text()
    assert yaml.safe_load((blog / "sitegen.yaml").read_text())["title"] == "My blog"
    assert run_cli("build", "--source", blog, "--strict", "--drafts")[0] == 0
    page = (blog / "public/posts/my-first-post/index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in page  # English text is not announced as French


@pytest.mark.parametrize(("setup", "message"), [
    (lambda p: (p.mkdir(), (p / "notes.txt").write_text("mine")),
     "is not empty (notes.txt); sitegen init starts a blog in a new or empty folder"),
    (lambda p: p.write_text("a file"), "is not a folder"),
])
def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path: Path, setup, message: str) -> None:
    target = tmp_path / "blog"
    setup(target)
    before = sorted(tmp_path.rglob("*"))
    code, stdout, stderr = _init(target, "--yes")
    assert code == 1 and stdout == ""
    assert stderr.startswith(f"sitegen: {target.as_posix()} {message}")
    assert sorted(tmp_path.rglob("*")) == before


def test_an_empty_git_clone_is_a_folder_to_start_in(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert _init(tmp_path, "--yes")[0] == 0
    assert (tmp_path / "sitegen.yaml").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (["--language", "xx-nope"], "sitegen: unknown language 'xx-nope': use a language code such as ar, en or fr\n"),
    (["--base-url", "example.org"], "sitegen: the address 'example.org' must be an absolute http(s) URL, such as "
                                    "https://example.com/\n"),
    (["--title", "  "], "sitegen: it cannot be empty or more than one line\n"),
])
def test_an_option_that_cannot_be_used_is_refused_before_anything_is_written(tmp_path: Path, args: list[str],
                                                                             message: str) -> None:
    code, _, stderr = _init(tmp_path / "blog", "--yes", *args)
    assert (code, stderr) == (2, message)
    assert not (tmp_path / "blog").exists()


def _answer_on_a_terminal(folder: Path, answers: list[str]) -> tuple[int, str]:
    """`python -m sitegen init FOLDER` on a pseudo-terminal, typing each answer after its question."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal on stdin and stdout
        os.environ.update({"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1735689600"})
        os.execv(sys.executable, [sys.executable, "-m", "sitegen", "init", str(folder)])
    seen = b""
    pending = list(answers)
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if pending and seen.rstrip().endswith(b":"):
            os.write(fd, pending.pop(0).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


def test_on_a_terminal_it_asks_and_asks_again_after_a_bad_answer(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    code, shown = _answer_on_a_terminal(blog, ["en", "", "Noor", "not a url", "https://noor.example/"])
    assert code == 0, shown
    for question in ("Language (ar, en, fr...) [ar]:", "Title [My blog]:", "Your name [", "Address (empty: not "
                     "known yet):", "the address 'not a url' is not a valid URL (it has a space in it)"):
        assert question in shown
    config = yaml.safe_load((blog / "sitegen.yaml").read_text(encoding="utf-8"))
    assert (config["language"], config["title"], config["author"]["name"], config["base_url"]) == (
        "en", "My blog", "Noor", "https://noor.example/")


def test_deployment_files_are_sitegens_own(tmp_path: Path) -> None:
    """netlify.toml and the build plugin are those the sample blog in this repository deploys with (read from the
    wheel when installed); requirements.txt installs this sitegen and pins every library it needs."""
    blog = tmp_path / "blog"
    assert _init(blog, "--yes")[0] == 0
    python = f'PYTHON_VERSION = "{sys.version_info.major}.{sys.version_info.minor}"'  # the Python it was tried with
    ours = re.sub(r'PYTHON_VERSION = "[0-9.]+"', python, (ROOT / "netlify.toml").read_text())
    assert (blog / "netlify.toml").read_text() == ours and python in ours
    assert packaged_root() == ROOT  # a source checkout; the wheel's own copy is checked in test_packaging.py
    plugin = ROOT / "netlify/plugins/sitegen-cache"
    for path in plugin.rglob("*"):
        if path.is_file():
            assert (blog / path.relative_to(ROOT)).read_bytes() == path.read_bytes()
    netlify = tomllib.loads((blog / "netlify.toml").read_text())
    assert netlify["build"]["command"] == "sitegen build" and netlify["build"]["publish"] == "public"
    lines = [line for line in (blog / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    origin = _git_origin(ROOT)  # this checkout is an editable install: the commit from where it was cloned, if any
    own = f"{DISTRIBUTION} @ git+{origin[0]}@{origin[1]}" if origin else f"{DISTRIBUTION}=={__version__}"
    assert lines[0] == own
    pins = {Requirement(line).name: Requirement(line) for line in lines[1:]}
    assert all(str(pin.specifier).startswith("==") for pin in pins.values())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for dependency in map(Requirement, project["dependencies"]):  # every library sitegen needs, at a version it takes
        pinned = pins[dependency.name.lower()] if dependency.name.lower() in pins else pins[dependency.name]
        assert dependency.specifier.contains(str(pinned.specifier).removeprefix("=="))
    assert "pytest" not in pins and "unidecode" not in pins  # extras are not what a build needs
    reach = f"a clone of {origin[0]}" if origin else "which Netlify cannot reach"
    assert requirements().note.startswith(f"sitegen was installed from {ROOT.as_posix()}, {reach}")


def test_the_repositorys_own_requirements_pin_the_same_libraries() -> None:
    """The sample blog deploys from this repository with requirements.txt: this checkout, then the same pins."""
    root_lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    ours = [line for line in requirements().text.splitlines() if not line.startswith("#")]
    assert root_lines[0] == "."
    assert {Requirement(line).name for line in root_lines[1:]} == {Requirement(line).name for line in ours[1:]}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def test_sitegen_init_runs_from_the_installed_command(tmp_path: Path) -> None:
    """As a user types it: a new interpreter, no terminal (so nothing is asked), and a build right after."""
    result = run_sitegen("init", tmp_path / "blog", "--author", "A")
    assert result.returncode == 0, result.stderr
    assert "Next:\n  cd " in result.stdout
    built = subprocess.run([sys.executable, "-m", "sitegen", "build", "--strict"], cwd=tmp_path / "blog",
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0 and built.stderr == ""
    links = _Links()
    links.feed((tmp_path / "blog/public/index.html").read_text(encoding="utf-8"))
    assert "/feed.xml" in links.hrefs


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize(("direct", "line", "note"), [
    (None, f"{DISTRIBUTION}=={__version__}", ""),  # from PyPI
    ('{"url": "https://github.com/o/sitegen", "vcs_info": {"vcs": "git", "commit_id": "' + "a" * 40 + '"}}',
     f"{DISTRIBUTION} @ git+https://github.com/o/sitegen@" + "a" * 40, ""),
    ('{"url": "https://files.example.org/sitegen_blog-0.1.0-py3-none-any.whl", "archive_info": {}}',
     f"{DISTRIBUTION} @ https://files.example.org/sitegen_blog-0.1.0-py3-none-any.whl", ""),
    ('{"url": "file:///nowhere/sitegen", "dir_info": {}}', f"{DISTRIBUTION}=={__version__}",
     "sitegen was installed from /nowhere/sitegen, which Netlify cannot reach"),
])
def test_requirements_install_sitegen_as_it_was_installed(direct: str | None, line: str, note: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.scaffold

    monkeypatch.setattr(sitegen.scaffold, "direct_url", lambda: direct)
    pinned = requirements()
    assert next(x for x in pinned.text.splitlines() if not x.startswith("#")) == line
    assert pinned.note.startswith(note) and bool(pinned.note) == bool(note)


@pytest.mark.parametrize(("origin", "expected"), [
    ("https://github.com/o/sitegen.git", "git+https://github.com/o/sitegen.git@"),
    ("git@github.com:o/sitegen.git", "git+https://github.com/o/sitegen.git@"),  # Netlify has no ssh key
])
def test_installed_from_a_clone_it_pins_the_commit_from_where_it_was_cloned(tmp_path: Path, origin: str,
                                                                             expected: str,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.scaffold

    _git(tmp_path, "init", "-q")
    (tmp_path / "f").write_text("x")
    _git(tmp_path, "add", "f")
    _git(tmp_path, "commit", "-q", "-m", "c")
    _git(tmp_path, "remote", "add", "origin", origin)
    commit = _git(tmp_path, "rev-parse", "HEAD")
    direct = '{"url": "' + tmp_path.as_uri() + '", "dir_info": {}}'
    monkeypatch.setattr(sitegen.scaffold, "direct_url", lambda: direct)
    pinned = requirements()
    assert next(x for x in pinned.text.splitlines() if not x.startswith("#")) == f"{DISTRIBUTION} @ {expected}{commit}"
    assert pinned.note.startswith(f"sitegen was installed from {tmp_path.as_posix()}, a clone of "
                                  f"{expected.removeprefix('git+').removesuffix('@')}")
    assert f"installs commit {commit[:12]} from there, so it must be pushed" in pinned.note
