"""Netlify: netlify.toml has what Netlify reads, its headers are well formed and the theme satisfies its
Content-Security-Policy; the generated _redirects is well formed; fingerprinted files can be cached for ever."""

from __future__ import annotations

import hashlib
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen.render.netlify import Redirect, alias_redirect

from .helpers import GOLDEN_BASIC as EXPECTED
from .helpers import ROOT, build_ok

TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # an HTTP header name (RFC 9110 token)
STATUSES = {200, 301, 302, 303, 307, 308, 404, 410, 451}
REFERRER_POLICIES = {"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin",
                     "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"}


@pytest.fixture(scope="module")
def netlify() -> dict:
    return tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        if words := part.split():
            assert words[0] not in directives, f"directive {words[0]} twice"
            directives[words[0]] = words[1:]
    return directives


def test_build_settings_are_what_netlify_reads(netlify: dict) -> None:
    build = netlify["build"]
    assert set(build) <= {"command", "publish", "environment", "base", "ignore", "functions", "edge_functions"}
    assert build["command"] == "sitegen build"  # Netlify installs requirements.txt itself
    assert build["publish"] == "public"
    version = build["environment"]["PYTHON_VERSION"]
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    minimum = tuple(int(n) for n in requires.removeprefix(">=").split("."))
    assert re.fullmatch(r"3\.\d+", version) and tuple(int(n) for n in version.split(".")) >= minimum
    assert set(netlify) <= {"build", "headers", "redirects", "context", "plugins", "dev", "functions"}


def test_the_only_plugin_is_sitegens_cache_kept_in_the_repository(netlify: dict) -> None:
    """A local plugin: Netlify reads a path starting with '/' from the repository's root."""
    assert [plugin["package"] for plugin in netlify["plugins"]] == ["/netlify/plugins/sitegen-cache"]
    folder = ROOT / "netlify/plugins/sitegen-cache"
    assert (folder / "manifest.yml").read_text(encoding="utf-8").splitlines()[-1] == "name: sitegen-cache"
    assert (folder / "index.js").is_file()


def test_every_header_rule_is_well_formed(netlify: dict) -> None:
    assert netlify["headers"]
    for rule in netlify["headers"]:
        assert set(rule) == {"for", "values"}
        assert rule["for"].startswith("/") and " " not in rule["for"]
        for name, value in rule["values"].items():
            assert TOKEN.match(name), name
            assert isinstance(value, str) and value == value.strip() and "\n" not in value, name
    for rule in netlify.get("redirects", []):
        assert rule["from"].startswith("/") and int(rule.get("status", 301)) in STATUSES


def test_every_response_gets_the_security_headers(netlify: dict) -> None:
    everything = next(rule["values"] for rule in netlify["headers"] if rule["for"] == "/*")
    assert everything["X-Content-Type-Options"] == "nosniff"
    assert everything["Referrer-Policy"] in REFERRER_POLICIES
    csp = csp_directives(everything["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive] and "'unsafe-eval'" not in csp[directive]
    assert csp["form-action"][0] == "'self'" and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]


def test_fingerprinted_files_are_cached_for_a_year(netlify: dict) -> None:
    rule = next(rule["values"] for rule in netlify["headers"] if rule["for"] == "/_immutable/*")
    control = [part.strip() for part in rule["Cache-Control"].split(",")]
    assert "immutable" in control and "public" in control
    assert int(next(p for p in control if p.startswith("max-age=")).split("=")[1]) >= 31536000


def test_pages_link_fingerprinted_stylesheets_and_scripts_that_exist_and_match_their_content() -> None:
    linked = set()
    for page in EXPECTED.rglob("*.html"):
        linked |= set(re.findall(r'(?:href|src)="/(_immutable/[^"]+)"', page.read_text(encoding="utf-8")))
    assert linked == {p.relative_to(EXPECTED).as_posix() for p in (EXPECTED / "_immutable").rglob("*")}
    for path in linked:
        data = (EXPECTED / path).read_bytes()
        assert f".{hashlib.sha256(data).hexdigest()[:10]}." in path
    twins = [p for p in (EXPECTED / "_immutable").iterdir() if p.name.startswith("style.")]
    assert [p.read_bytes() for p in twins] == [(EXPECTED / "style.css").read_bytes()]  # the plain name stays too


DATA_BLOCKS = {"application/ld+json"}
"""<script> types that are data, never run, so script-src does not apply to them (HTML's "data block")."""


class _Inline(HTMLParser):
    """Everything a page has that a strict CSP (no 'unsafe-inline') would block or that leaves the site."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and not values.get("src") and values.get("type") not in DATA_BLOCKS:
            self.problems.append("inline <script>")
        if "style" in values:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems.extend(f"{name} on <{tag}>" for name in values if name.startswith("on"))
        for name, value in values.items():
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name}")
        if tag == "link" and "stylesheet" in (values.get("rel") or "") and urlsplit(values.get("href") or "").netloc:
            self.problems.append(f"stylesheet from elsewhere: {values.get('href')}")
        if tag == "script" and urlsplit(values.get("src") or "").netloc:
            self.problems.append(f"script from elsewhere: {values.get('src')}")
        if tag == "form" and urlsplit(values.get("action") or "").netloc:
            self.problems.append(f"form posting elsewhere: {values.get('action')}")


def csp_problems(page: Path) -> list[str]:
    scan = _Inline()
    scan.feed(page.read_text(encoding="utf-8"))
    scan.close()
    return scan.problems


def test_the_theme_satisfies_the_content_security_policy(sample_blog: Path) -> None:
    for folder in (EXPECTED, sample_blog):
        pages = sorted(folder.rglob("*.html"))
        assert pages
        for page in pages:
            assert csp_problems(page) == [], page


def test_the_404_page_is_where_netlify_looks_for_it(sample_blog: Path) -> None:
    for folder in (EXPECTED, sample_blog):
        page = (folder / "404.html").read_text(encoding="utf-8")
        assert 'name="robots" content="noindex"' in page
        assert 'href="/_immutable/' in page  # absolute paths: it is served at any missing URL


REDIRECT_LINE = re.compile(r"^(?P<from>/\S*)(?P<query>( [^\s=]+=\S*)*) (?P<to>\S+) (?P<status>\d{3})!?$")


def redirect_lines(text: str) -> list[re.Match[str]]:
    matches = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = REDIRECT_LINE.match(line)
        assert match, f"malformed _redirects line: {line!r}"
        matches.append(match)
    return matches


def assert_well_formed(text: str) -> None:
    for match in redirect_lines(text):
        source, target = match["from"], match["to"]
        assert source.isascii() and target.isascii(), "non-ASCII paths must be percent-encoded"
        assert not re.search(r"/:|\*", source), "a literal path must not look like a placeholder or splat"
        assert target.startswith("/") or urlsplit(target).scheme in ("http", "https")
        assert int(match["status"]) in STATUSES
        for escape in re.findall(r"%..", source + target):
            assert re.fullmatch(r"%[0-9A-F]{2}", escape), escape


def test_the_golden_redirects_are_well_formed_and_encode_arabic_aliases() -> None:
    text = (EXPECTED / "_redirects").read_text(encoding="utf-8")
    assert_well_formed(text)
    target = "/posts/%D8%A8%D9%86%D8%A7%D8%A1-%D8%B9%D9%84%D8%A7%D9%82%D8%A7%D8%AA/"
    assert [m.group(0) for m in redirect_lines(text)] == [
        f"/ p=12 {target} 301!",
        f"/%D9%82%D8%AF%D9%8A%D9%85/%D8%B9%D9%84%D8%A7%D9%82%D8%A7%D8%AA/ {target} 301",
        f"/old/relations.html {target} 301",
    ]


def test_aliases_become_safe_literal_paths() -> None:
    class FakePost:
        url = "/posts/جديد/"

    post = FakePost()
    new = "/posts/%D8%AC%D8%AF%D9%8A%D8%AF/"
    assert alias_redirect("old path/:id/*", post) == Redirect("/old%20path/%3Aid/%2A/", (), new)
    assert alias_redirect("/2019/01/post.html", post).source == "/2019/01/post.html"
    assert alias_redirect("/archive.php?id=7&lang=ar", post).line() == \
        "/archive.php id=7 lang=ar /posts/%D8%AC%D8%AF%D9%8A%D8%AF/ 301!"
    assert_well_formed("\n".join(alias_redirect(a, post).line() for a in ("/a b", "/ق/ك", "x?y=1", "/%D9%82/")))


def test_a_sites_own_redirects_come_first(site_copy) -> None:
    site = site_copy("basic")
    (site / "static").mkdir()
    (site / "static" / "_redirects").write_text("/blog/* /posts/:splat 301", encoding="utf-8")
    build_ok("--source", site)
    lines = (site / "public" / "_redirects").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "/blog/* /posts/:splat 301"
    assert len(redirect_lines("\n".join(lines[1:]))) == 3


def test_a_site_without_aliases_has_no_redirects_file(tmp_path: Path) -> None:
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "sitegen.yaml").write_text("title: t\nbase_url: https://example.org/\n", encoding="utf-8")
    (tmp_path / "content" / "posts" / "a.md").write_text("---\ntitle: A\ndate: 2025-01-01\n---\nx\n")
    build_ok("--source", tmp_path)
    assert (tmp_path / "public" / "index.html").is_file()
    assert not (tmp_path / "public" / "_redirects").exists()
