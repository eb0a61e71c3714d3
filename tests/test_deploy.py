"""Deploy previews and other hosts: a build served from another address than base_url (`--base-url`, Netlify's
DEPLOY_PRIME_URL and URL), and preview builds that publish drafts and future posts marked as such, kept out of
search engines. Read back through the real CLI with an HTML parser and feedparser."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from sitegen.build.deploy import Deployment, DeploymentError, deployed_config, find_deployment
from sitegen.sources.config import load_config

from .helpers import copy_site, run_cli

PREVIEW_URL = "https://deploy-preview-42--blog.netlify.app"
NETLIFY_PREVIEW = {"NETLIFY": "true", "CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": PREVIEW_URL,
                   "URL": "https://blog.example.org"}


@pytest.mark.parametrize(("flag", "preview", "environ", "expected"), [
    (None, False, {}, Deployment()),
    (None, False, {"CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": PREVIEW_URL}, Deployment()),  # not on Netlify
    (None, False, NETLIFY_PREVIEW, Deployment(PREVIEW_URL + "/", preview=True, host="Netlify deploy preview")),
    (None, False, {**NETLIFY_PREVIEW, "CONTEXT": "branch-deploy", "DEPLOY_PRIME_URL": "https://dev--b.netlify.app"},
     Deployment("https://dev--b.netlify.app/", preview=True, host="Netlify branch deploy")),
    (None, False, {**NETLIFY_PREVIEW, "CONTEXT": "production"},
     Deployment(fallback_url="https://blog.example.org/", host="Netlify production deploy")),
    (None, False, {**NETLIFY_PREVIEW, "CONTEXT": "dev"}, Deployment()),  # `netlify dev`: the configured address
    ("https://staging.example.org", False, NETLIFY_PREVIEW,  # the command line wins over the host
     Deployment("https://staging.example.org/", preview=True, host="Netlify deploy preview")),
    ("http://localhost:9000/x/", True, {}, Deployment("http://localhost:9000/x/", preview=True)),
    (None, True, {}, Deployment(preview=True)),
])
def test_the_command_line_and_netlify_say_where_a_build_is_served(flag: str | None, preview: bool,
                                                                  environ: dict[str, str],
                                                                  expected: Deployment) -> None:
    assert find_deployment(flag, preview, environ) == expected


@pytest.mark.parametrize(("flag", "environ", "message"), [
    ("blog.example.org", {}, "--base-url 'blog.example.org' must be an absolute http(s) URL"),
    ("ftp://example.org/", {}, "--base-url 'ftp://example.org/' must be an absolute http(s) URL"),
    (None, {**NETLIFY_PREVIEW, "DEPLOY_PRIME_URL": "https:// bad"}, "DEPLOY_PRIME_URL 'https:// bad' is not a valid"),
])
def test_an_address_that_is_not_one_is_refused(flag: str | None, environ: dict[str, str], message: str) -> None:
    with pytest.raises(DeploymentError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        find_deployment(flag, False, environ)


def test_netlify_production_uses_its_url_only_when_the_configuration_names_none(tmp_path: Path) -> None:
    (tmp_path / "sitegen.yaml").write_text("title: t\n")
    bare, errors = load_config(tmp_path)
    assert errors == []
    production = Deployment(fallback_url="https://blog.netlify.app/")
    assert deployed_config(bare, production).base_url == "https://blog.netlify.app/"
    (tmp_path / "sitegen.yaml").write_text("title: t\nbase_url: https://www.example.org/\n")
    configured, _ = load_config(tmp_path)
    assert deployed_config(configured, production).base_url == "https://www.example.org/"
    assert deployed_config(configured, Deployment("https://x.example/")).base_url == "https://x.example/"
    assert not deployed_config(configured, production).noindex
    assert deployed_config(configured, Deployment(preview=True)).noindex


class _Page(HTMLParser):
    """What a page says about itself: robots meta, canonical and og:url, and the status notes of its posts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.notes: list[str] = []
        self._in_note = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            self.meta[values.get("name") or values.get("property", "")] = values.get("content", "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
        elif tag == "p" and values.get("class") == "post-status":
            self._in_note = True
            self.notes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_note = False

    def handle_data(self, data: str) -> None:
        if self._in_note:
            self.notes[-1] += data


def _page(public: Path, url: str) -> _Page:
    return _Page((public / url.strip("/") / "index.html").read_text(encoding="utf-8"))


def _build(site: Path, monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], *args: str) -> tuple[str, str]:
    for name in ("NETLIFY", "CONTEXT", "DEPLOY_PRIME_URL", "URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    code, stdout, stderr = run_cli("build", "--source", site, *args)
    assert code == 0, stderr
    return stdout, stderr


def test_a_netlify_deploy_preview_is_built_for_its_own_address_with_drafts_marked_and_kept_from_search(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site("basic", tmp_path)
    stdout, stderr = _build(site, monkeypatch, NETLIFY_PREVIEW)
    assert stdout.splitlines()[0] == (f"Netlify deploy preview: building for {PREVIEW_URL}/; drafts and future "
                                      "posts included and marked, pages not indexed")
    assert stderr == ""
    public = site / "public"
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:  # every page, not only the posts
        page = _Page(path.read_text(encoding="utf-8"))
        assert page.meta.get("robots") == "noindex", path
        if page.canonical:
            assert page.canonical.startswith(PREVIEW_URL + "/"), path
    assert (public / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert _page(public, "/posts/draft/").notes == ["مسودة لم تُنشر بعد: لا تظهر إلا في المعاينة."]
    future = _page(public, "/posts/future/")
    assert future.notes == ["مجدولة: تُنشر في 1 يناير 2030."]
    assert future.meta["og:url"] == f"{PREVIEW_URL}/posts/future/"
    assert _page(public, "/posts/بناء-علاقات/").notes == []  # a published post says nothing
    feed = feedparser.parse((public / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.entries
    assert all(entry.link.startswith(PREVIEW_URL + "/") for entry in feed.entries)
    assert json.loads((public / "feed.json").read_text())["home_page_url"] == PREVIEW_URL + "/"


def test_production_publishes_neither_drafts_nor_future_posts_and_is_indexed(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site("basic", tmp_path)
    (site / "sitegen.yaml").write_text("\n".join(line for line in (site / "sitegen.yaml").read_text().splitlines()
                                                 if not line.startswith("base_url:")) + "\n")
    stdout, _ = _build(site, monkeypatch, {**NETLIFY_PREVIEW, "CONTEXT": "production"})
    assert stdout.splitlines()[0] == ("Netlify production deploy: building for base_url, or https://blog.example.org/ "
                                      "if sitegen.yaml has none")
    public = site / "public"
    assert not (public / "posts/draft").exists() and not (public / "posts/future").exists()
    home = _page(public, "/")
    assert "robots" not in home.meta and home.canonical == "https://blog.example.org/" and home.notes == []
    assert (public / "robots.txt").read_text().startswith("User-agent: *\nAllow: /\n")


def test_base_url_and_preview_on_the_command_line_serve_any_host(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site("basic", tmp_path)
    stdout, _ = _build(site, monkeypatch, {}, "--base-url", "https://pr-7.pages.example", "--preview")
    assert stdout.splitlines()[0] == ("preview: building for https://pr-7.pages.example/; drafts and future posts "
                                      "included and marked, pages not indexed")
    assert _page(site / "public", "/").canonical == "https://pr-7.pages.example/"
    code, _, stderr = run_cli("build", "--source", site, "--base-url", "example.org")
    assert (code, stderr) == (2, "sitegen: --base-url 'example.org' must be an absolute http(s) URL, such as "
                                 "https://example.com/\n")


def test_a_build_with_drafts_and_future_posts_marks_them_as_the_preview_does(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`sitegen serve` shows drafts (and future posts): the same note says what a reader of production will not see.
    The preview renders through the same templates; a build with --drafts --future shows what it shows."""
    site = copy_site("basic", tmp_path)
    _build(site, monkeypatch, {}, "--drafts", "--future")
    public = site / "public"
    assert _page(public, "/posts/draft/").notes == ["مسودة لم تُنشر بعد: لا تظهر إلا في المعاينة."]
    assert "robots" not in _page(public, "/posts/draft/").meta  # indexing is a matter for the deployment


def test_a_site_with_no_address_of_its_own_is_built_with_a_note_saying_so(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sitegen.yaml").write_text("title: t\n")
    stdout, stderr = _build(tmp_path, monkeypatch, {})
    assert stderr == ""  # not a warning: --strict builds it
    assert stdout.splitlines()[1] == ("note: sitegen.yaml sets no base_url, so feeds, the sitemap and share links "
                                      "point at http://localhost:8000/; set it before you deploy anywhere but "
                                      "Netlify (where the site's own address is used)")
    for environ, args in (({}, ("--base-url", "https://a.example/")), ({**NETLIFY_PREVIEW, "CONTEXT": "production"},
                                                                         ())):
        stdout, _ = _build(tmp_path, monkeypatch, environ, *args)
        assert "note:" not in stdout
    (tmp_path / "sitegen.yaml").write_text("title: t\nbase_url: https://a.example/\n")
    assert "note:" not in _build(tmp_path, monkeypatch, {}, "--strict")[0]
