"""Hypothesis over what an author controls besides the text of posts: the configuration's values, the names of files
(bytes that are not UTF-8, controls, spaces, any script), symbolic links, and the theme's words. The real pipeline
either builds or fails with located diagnostics; never another exception (an internal error, exit 70), never a
half-written site."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build.run import BuildOptions, build
from sitegen.errors import BuildError

from .helpers import CONFIG, POST

TEXT = st.text(st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x7E), st.sampled_from(
    "\x00\x07\x1b\x7f\x85\u202e\u2067\u200f\ufeff\ufffe\ud800\udce9بسم ًـ،\t\n{}[]:#&*!|>'\"%@`")), max_size=16)
SCALAR = st.one_of(TEXT, st.integers(-10**20, 10**20), st.floats(), st.booleans(), st.none())
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)
LOCATION = re.compile(r"^[^\n]+?(:\d+(:\d+)?)?: (error|warning): \S")
"""`path[:line[:col]]: error: message`."""
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
URLS = st.one_of(st.sampled_from([
    "https://example.org/", "http://localhost:8000/", "https://[::1]/", "https://[::1/", "http://[::1", "https://x:99999/",
    "https://x:port/", "http:///x", "https://", "//example.org/", "/about/", "about", "javascript:alert(1)",
    "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,x", "vbscript:x", "mailto:a@b.example", "mailto:",
    "https://exa mple.org/", "https://example.org/?q=1#f", "https://مثال.إختبار/", "https://example.org/\u202e/",
    "ftp://example.org/", "https://user:pass@example.org/", "https://example.org:0/", "file:///etc/passwd",
]), TEXT.map(lambda text: "https://" + text))
PERMALINKS = st.one_of(st.sampled_from([
    "/posts/{slug}/", "/{year}/{month}/{day}/{slug}/", "/{lang}/{slug}/", "/{slug:>99999999999}/", "/{slug!r}/",
    "/{slug.upper}/", "/{slug[0]}/", "/{slug}}/", "/{{slug}}/{slug}/", "/{}/{slug}/", "/{0}/{slug}/", "{slug}",
    "/posts/{slug}", "/../{slug}/", "/{slug}/../../", "/a?b/{slug}/", "/#/{slug}/", "//{slug}/", "/{ slug }/",
]), st.lists(st.one_of(TEXT, st.sampled_from(["{slug}", "{year}", "{", "}", "/", "{slug:", "!r}"])), max_size=6)
    .map("".join))
CONFIG_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "base_url": URLS, "newsletter_url": URLS, "webmention": URLS, "permalink": PERMALINKS,
    "title": st.one_of(TEXT, SCALAR), "description": st.one_of(TEXT, SCALAR),
    "language": st.one_of(st.sampled_from(["ar", "en", "fr-CA", "xx", "ar_EG", "-", "", "ar\u202e", "en-" * 30]), TEXT),
    "timezone": st.one_of(st.sampled_from(["UTC", "Asia/Riyadh", "../../etc/passwd", "/etc/localtime", "", "Nope/X"]),
                          TEXT),
    "posts_per_page": st.one_of(st.integers(-3, 3), st.sampled_from([10**30, 2**63])),
    "feed_limit": st.one_of(st.integers(-3, 3), st.sampled_from([10**30, 2**63])),
    "theme": st.one_of(st.sampled_from(["default", "../..", "/etc", "", ".", "nope"]), TEXT),
    "newsletter_field": st.one_of(TEXT, SCALAR), "reply_form": st.one_of(st.booleans(), SCALAR),
    "extra": VALUE,
    "author": st.fixed_dictionaries({}, optional={
        "name": st.one_of(TEXT, SCALAR), "email": st.one_of(TEXT, st.just("a@b.example")), "image": URLS,
        "bio": TEXT, "links": st.dictionaries(TEXT, st.one_of(URLS, SCALAR), max_size=3)}),
}


def build_or_fail_cleanly(root: Path) -> None:
    """Build the site at `root`: it builds, or fails with located diagnostics and no output folder."""
    try:
        build(BuildOptions(root, root / "public", drafts=True, future=True))
    except BuildError as failure:
        assert any(d.severity == "error" for d in failure.diagnostics)
        for diagnostic in failure.diagnostics:
            assert LOCATION.match(diagnostic.format(root)), diagnostic.format(root)
        assert not (root / "public").exists()
        return
    assert (root / "public/index.html").is_file()


@SETTINGS
@given(values=st.fixed_dictionaries({}, optional=CONFIG_VALUES))
def test_any_configuration_builds_or_fails_cleanly(values: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = {"title": "t", "base_url": "https://example.org/", **values}
        (root / "sitegen.yaml").write_text(json.dumps(config, default=str), encoding="utf-8")
        (root / "content/posts").mkdir(parents=True)
        (root / "content/posts/x.md").write_text(POST + "tags: [a]\n---\nنص [رابط](/posts/x/)\n", encoding="utf-8")
        build_or_fail_cleanly(root)


NAME_BYTES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12)
    .map(lambda name: name.encode("utf-8", "surrogateescape")),
    st.binary(min_size=1, max_size=12).map(lambda raw: raw.replace(b"/", b"_").replace(b"\x00", b"_")),
    st.sampled_from([b"caf\xe9", b"\xff\xfe", b"\xed\xa0\x80", b"x\x1b[2J", b"a\nb", b" ", b"-", b"..x", b"index"]),
).filter(lambda name: name not in (b".", b".."))
PLACES = st.sampled_from(["content/posts/{}.md", "content/pages/{}.md", "content/posts/{}/index.md",
                          "content/posts/b/{}", "static/{}", "static/{}/x.txt", "content/replies/x/{}.md",
                          "content/replies/{}/r.md", "themes/default/static/{}", "templates/{}.html"])
LINKS = st.sampled_from([".", "..", "/", "/etc/passwd", "/nonexistent", "x.md", "../x.md", "../../sitegen.yaml",
                         "../../../", "loop", "index.md"])


@SETTINGS
@given(files=st.lists(st.tuples(PLACES, NAME_BYTES, st.one_of(st.none(), LINKS)), min_size=1, max_size=4))
def test_any_file_name_or_link_builds_or_fails_cleanly(files: list[tuple[str, bytes, str | None]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sitegen.yaml").write_text(CONFIG, encoding="utf-8")
        (root / "content/posts/b").mkdir(parents=True)
        (root / "content/posts/x.md").write_text(POST + "---\nنص\n", encoding="utf-8")
        (root / "content/posts/b/index.md").write_text(POST + "---\nنص\n", encoding="utf-8")
        for place, name, link in files:
            path = os.fsencode(root) + b"/" + place.encode().replace(b"{}", name)
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if link is not None:
                    os.symlink(link, path)
                else:
                    with open(path, "xb") as file:
                        file.write(b"---\nname: n\ntitle: t\ndate: 2025-03-02\n---\nr\n")
            except OSError:  # a file where a folder was drawn, or the other way round: one of them is enough
                continue
        build_or_fail_cleanly(root)


WORDS = st.one_of(TEXT, SCALAR, VALUE, st.sampled_from(["{n}", "{x}", "{n:>99999999999}", "{n!r}", "{n.real}", "{0}",
                                                        "{", "}", "{{n}}", "{total}"]),
                  st.dictionaries(st.sampled_from(["zero", "one", "two", "few", "many", "other", "x"]),
                                  st.one_of(TEXT, SCALAR, st.just("{n}")), max_size=4))


@SETTINGS
@given(words=st.dictionaries(st.sampled_from(["home", "reading_time", "page_of", "post_count", "tagged", "x"]),
                             WORDS, max_size=4))
def test_any_theme_words_build_or_fail_cleanly(words: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sitegen.yaml").write_text(CONFIG + "posts_per_page: 1\n", encoding="utf-8")
        (root / "content/posts").mkdir(parents=True)
        for name in ("x", "y"):
            (root / f"content/posts/{name}.md").write_text(POST + "tags: [a]\n---\nنص\n", encoding="utf-8")
        (root / "themes/default/i18n").mkdir(parents=True)
        (root / "themes/default/i18n/ar.yaml").write_text(json.dumps(words, default=str),
                                                           encoding="utf-8")
        try:
            build(BuildOptions(root, root / "public"))
        except BuildError as failure:
            for diagnostic in failure.diagnostics:
                assert LOCATION.match(diagnostic.format(root)), diagnostic.format(root)
                if diagnostic.severity == "error":  # a word the theme's templates use with fields it lacks
                    assert diagnostic.message.startswith("template error: TemplateRuntimeError: the theme's word") \
                        or diagnostic.path.name == "ar.yaml", diagnostic.format(root)
