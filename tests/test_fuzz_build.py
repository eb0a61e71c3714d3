"""Hypothesis: arbitrary front matter and Markdown (Arabic, mixed bidi, control characters, broken encodings) go
through the real pipeline, which either builds a site whose every page is valid HTML and every feed parses, or fails
with located `path:line: error:` messages and exit 1. Never a traceback, never a half-written site.

Raw HTML is left out of the generated Markdown: authors' HTML passes through as written, by design, so its validity
is the author's."""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from typing import Any

import feedparser
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build.run import BuildOptions, build
from sitegen.errors import BuildError

from .helpers import CONFIG, run_sitegen, strict_html

ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)
INVISIBLE = st.sampled_from("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c"
                            "\u200d\ufeff\u00a0\u2028\u2029")
CONTROL = st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\ufffe\uffff\ufdd0\ud83d")
SPECIAL = st.sampled_from(["<", ">", "&", "\"", "'", "]]>", "</script>", "&amp;", "&#x202e;", "&#0;", "{{", "{%",
                           "}}", "\\", "`", "*", "_", "[", "]", "(", ")", "#", "---", ":", "-", "|", "\t", "  "])
CHARS = st.one_of(ARABIC, ARABIC, ARABIC, st.characters(min_codepoint=0x20, max_codepoint=0x7E), INVISIBLE, CONTROL,
                  st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F), st.sampled_from("ًٌٍَُِّْـ،؛؟٠١٩"))
RARELY = st.integers(0, 30).map(lambda n: n == 17)
"""True about one time in 31 (hypothesis favours the ends of a range, so not `== 0`)."""
TEXT = st.lists(st.one_of(CHARS, SPECIAL), max_size=24).map("".join)
WORDS = st.lists(st.one_of(st.text(ARABIC, min_size=1, max_size=8), TEXT), min_size=1, max_size=6).map(" ".join)

SCALAR = st.one_of(TEXT, WORDS, st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(), st.none(),
                   st.dates(date(1, 1, 1), date(9999, 12, 31)),
                   st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30)))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)
DATES = st.one_of(st.sampled_from(["2025-03-01", "2025-03-01 10:00", "2025-03-01T10:00:00+03:00", "2025-02-30",
                                   "yesterday", "0001-01-01", "9999-12-31 23:59", "2025-03-01T25:00",
                                   "2025-03-01T10:00:00Z", "2025-03-01 10:00:00 -14:00"]),
                  st.dates(date(1, 1, 1), date(9999, 12, 31)), st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30)))
SLUGS = st.from_regex(r"[a-z0-9\u0621-\u064a-]{1,20}", fullmatch=True)
TYPED: dict[str, st.SearchStrategy[Any]] = {
    "title": WORDS, "description": WORDS, "author": WORDS, "date": DATES, "updated": DATES,
    "slug": st.one_of(SLUGS, SLUGS, TEXT), "tags": st.lists(WORDS, max_size=3),
    "keywords": st.one_of(WORDS, st.lists(WORDS, max_size=3)), "categories": st.lists(WORDS, max_size=2),
    "draft": st.booleans(), "lang": st.sampled_from(["ar", "en", "fr-CA", "xx", "ar\u202e"]),
    "aliases": st.lists(st.sampled_from(["/old/", "/قديم/", "/a b/", "old", "/x?y=1", "/.."]), max_size=2),
    "image": st.sampled_from(["image.png", "/x.png", "https://example.com/x.png", "\"><script>"]),
    "template": st.sampled_from(["post.html", "page.html", "nope.html"]), "layout": TEXT, "extra_key": VALUE,
}


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """Valid YAML of values mostly of the right type (and anything at all now and then), or any text between the
    `---` lines."""
    if draw(RARELY):
        return "---\n" + draw(st.lists(TEXT, max_size=4).map("\n".join)) + "\n---\n"
    keys = draw(st.lists(st.sampled_from(sorted(TYPED)), unique=True, max_size=8))
    values = {key: draw(VALUE if draw(RARELY) else TYPED[key]) for key in keys}
    return "---\n" + yaml.safe_dump(values, allow_unicode=True) + "---\n"


LINK_TARGETS = st.sampled_from(["/posts/p0/", "/posts/p1/", "/posts/missing/", "../p0/", "image.png", "#section",
                                "https://example.com/a b", "mailto:a@b.example", "javascript:alert(1)", "/", "",
                                "%zz", "http://[::1", "//other.example/x", "/tags/", "?q=1"])


@st.composite
def block(draw: st.DrawFn) -> str:
    """One Markdown block of a random kind."""
    text = draw(WORDS)
    kind = draw(st.integers(0, 14))
    if kind == 0:
        return "#" * draw(st.integers(1, 7)) + " " + text
    if kind == 1:
        return "\n".join(draw(st.sampled_from(["- ", "* ", "1. ", "- [ ] ", "> ", "  - ", "    "])) + w
                         for w in draw(st.lists(WORDS, min_size=1, max_size=4)))
    if kind == 2:
        return "> " * draw(st.integers(1, 120) if draw(RARELY) else st.integers(1, 8)) + text
    if kind == 3:
        return "- " * draw(st.integers(1, 60) if draw(RARELY) else st.integers(1, 8)) + text
    if kind == 4:
        return f"```{draw(st.sampled_from(['', 'python', 'js', 'nonexistent', '{weird}']))}\n{text}\n```"
    if kind == 5:
        return f"[{text}]({draw(LINK_TARGETS)}) ![{text}]({draw(LINK_TARGETS)})"
    if kind == 6:
        return f"| {text} | b |\n|---|---|\n| {draw(WORDS)} | c |"
    if kind == 7:
        return "<!--more-->"
    if kind == 8:
        return f"{text}[^1]\n\n[^1]: {draw(WORDS)}"
    if kind == 9:
        return f"> [!{draw(st.sampled_from(['NOTE', 'WARNING', 'x']))}]\n> {text}"
    return text


@st.composite
def markdown_file(draw: st.DrawFn) -> bytes:
    """A whole file: front matter (or none) and Markdown, sometimes with a BOM, CRLF or a stray byte."""
    body = "\n\n".join(draw(st.lists(block(), max_size=6)))
    body = re.sub(r"<(?=[A-Za-z!?/])", "< ", body)  # no raw HTML (see the module's docstring)
    text = ("" if draw(RARELY) else draw(front_matter())) + body + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8", "replace")  # a lone surrogate
    if draw(RARELY):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"])) + raw[at:]
    return raw


NAMES = st.sampled_from(["p0.md", "p1.md", "2025-01-02-dated.md", "عربي.md", "b/index.md", "x y.md", "_hidden.md"])
SITES = st.dictionaries(NAMES, markdown_file(), min_size=1, max_size=3)
SITE_TITLES = st.one_of(st.just("t"), WORDS)
LOCATION = re.compile(r"^[^\n]+?(:\d+(:\d+)?)?: (error|warning): \S")
"""`path[:line[:col]]: error: message`; the path relative to the site, or absolute outside it (a packaged theme)."""


def write_site(root: Path, files: dict[str, bytes], title: str) -> None:
    (root / "sitegen.yaml").write_text(CONFIG.replace("title: t", "title: " + json.dumps(title)), encoding="utf-8")
    for name, raw in files.items():
        path = root / "content/posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    (root / "content/posts/b/image.png").parent.mkdir(parents=True, exist_ok=True)
    (root / "content/posts/b/image.png").write_bytes(b"\x89PNG\r\n\x1a\n")


def check_site(public: Path) -> None:
    """Every page valid HTML, every feed parsed without complaint, the sitemap and JSON files well formed."""
    pages = list(public.rglob("*.html"))
    assert pages
    for page in pages:
        strict_html(page.read_bytes())
    for path in public.rglob("*.xml"):
        if path.name == "sitemap.xml":
            ET.parse(path)
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.relative_to(public)}: {parsed.get('bozo_exception')}"
    for path in public.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def check_failure(failure: BuildError, root: Path) -> None:
    """A failed build: at least one error, each diagnostic located in the site and printed on clean lines."""
    assert any(d.severity == "error" for d in failure.diagnostics)
    for diagnostic in failure.diagnostics:
        text = diagnostic.format(root)
        assert LOCATION.match(text), text
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text), text


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=SITES, title=SITE_TITLES)
def test_any_site_builds_valid_html_and_feeds_or_fails_cleanly(files: dict[str, bytes], title: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_site(root, files, title)
        try:
            build(BuildOptions(root, root / "public", drafts=True, future=True))
        except BuildError as failure:
            check_failure(failure, root)
            assert not (root / "public").exists()
            return
        check_site(root / "public")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=SITES, title=SITE_TITLES)
def test_the_real_cli_never_prints_a_traceback(files: dict[str, bytes], title: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_site(root, files, title)
        result = run_sitegen("build", "--source", root, "--drafts", "--future")
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
        if result.returncode == 1:
            assert LOCATION.match(result.stderr), result.stderr
            assert result.stderr.splitlines()[-1].startswith("build failed with ")
        else:
            check_site(root / "public")
