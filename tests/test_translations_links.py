"""`link_translations` on arbitrary groups of posts: links are reciprocal, each version lists every other language of
its key once, and every second version in one language is an error naming the first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sitegen.site.model import Body, Post
from sitegen.site.translations import hreflang_links, link_translations
from sitegen.sources.config import Config
from sitegen.sources.discover import SourceFile
from sitegen.sources.document import Document

ROOT = Path("/site")
CONFIG = Config(root=ROOT, language="ar")


def _post(index: int, key: str | None, lang: str) -> Post:
    path = ROOT / "content/posts" / f"p{index:03d}.md"
    doc = Document(SourceFile(path, "posts"), f"t{index}", f"p{index}", datetime(2025, 1, 1 + index % 28, tzinfo=UTC),
                   None, (), None, False, lang, (), None, None, None, "", 6, translation_key=key,
                   translation_key_line=4 if key else None)
    return Post(doc, "posts", f"t{index}", f"/posts/p{index}/", doc.date, None, lang, "ltr", "", Body("", ()), "",
                False, 1, 1, (), ())


@given(st.lists(st.tuples(st.sampled_from([None, "a", "b", "c"]), st.sampled_from(["ar", "en", "fr"])), max_size=12))
def test_links_are_reciprocal_and_duplicates_are_errors(specs: list[tuple[str | None, str]]) -> None:
    posts = [_post(i, key, lang) for i, (key, lang) in enumerate(specs)]
    linked, errors = link_translations(posts, CONFIG)
    assert [p.url for p in linked] == [p.url for p in posts]
    by_url = {p.url: p for p in linked}
    expected_errors = 0
    for key in ("a", "b", "c"):
        group = [p for p in posts if p.doc.translation_key == key]
        langs = {p.lang for p in group}
        expected_errors += len(group) - len(langs)
        for post in (by_url[p.url] for p in group):
            kept = next(q for q in group if q.lang == post.lang)  # the first of its language by file name
            if len(langs) < 2 or post.url != kept.url:
                assert post.translations == ()
                continue
            assert sorted(t.lang for t in post.translations) == sorted(langs - {post.lang})
            for other in post.translations:
                assert any(t.url == post.url for t in by_url[other.url].translations), "not reciprocal"
            links = dict(hreflang_links(post.lang, post.url, post.translations, post.x_default))
            assert links[post.lang] == post.url and "x-default" in links
            if "ar" in langs:
                assert links["x-default"] == links["ar"]
    assert len(errors) == expected_errors
    for error in errors:
        assert error.line == 4 and "content/posts/p" in error.message and "names two versions" in error.message
    for post in linked:
        if post.doc.translation_key is None:
            assert post.translations == () and post.x_default == ""
