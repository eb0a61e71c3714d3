"""Markdown fixtures: each tests/fixtures/markdown/NAME.md renders to exactly NAME.html."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.markdown import render_markdown

from .helpers import UPDATE_GOLDEN

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


@pytest.mark.parametrize("source", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.stem)
def test_markdown_fixture(source: Path) -> None:
    html = render_markdown(source.read_text(encoding="utf-8")).html
    expected = source.with_suffix(".html")
    if UPDATE_GOLDEN:
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8")


def test_toc_nests_headings_and_ids_match_the_body() -> None:
    rendered = render_markdown((FIXTURES / "arabic-headings.md").read_text(encoding="utf-8"), title="عنوان المقال")
    assert [(e.title, e.id, [c.id for c in e.children]) for e in rendered.toc] == [
        ("ما هي الشبكات؟", "ما-هي-الشبكات", ["الشبكات-المهنية-في-linkedin"]),
        ("ما هي الشبكات؟", "ما-هي-الشبكات-1", []),
        ("مُقدِّمة بالتشكيل", "مقدمة-بالتشكيل", []),
    ]
    for entry in rendered.toc:
        assert f'id="{entry.id}"' in rendered.html
    assert rendered.first_heading == "عنوان المقال"
    assert "<h1" not in rendered.html  # the title heading is not repeated in the body


def test_a_heading_that_is_not_the_title_stays() -> None:
    rendered = render_markdown("# Another heading\n\ntext\n", title="The title")
    assert rendered.html.startswith('<h1 id="another-heading">')


def test_summary_is_text_before_more_marker() -> None:
    rendered = render_markdown("الفقرة الأولى.\n\nالثانية.\n\n<!--more-->\n\nالباقي.\n")
    assert rendered.summary_html == "<p>الفقرة الأولى.</p>\n<p>الثانية.</p>"
    assert rendered.has_more


def test_summary_defaults_to_first_paragraph() -> None:
    rendered = render_markdown("## عنوان\n\nالفقرة الأولى.\n\nالثانية.\n")
    assert rendered.summary_html == "<p>الفقرة الأولى.</p>"
    assert rendered.has_more
    assert not render_markdown("فقرة وحيدة.\n").has_more


def test_words_count_arabic_and_latin_but_not_code() -> None:
    rendered = render_markdown("يكتب مُحَمَّد عن LinkedIn و B2B — نعم.\n\n```\nnot counted at all\n```\n")
    assert rendered.words == 7


def test_links_carry_their_lines() -> None:
    rendered = render_markdown("سطر\n\n[رابط](/btob) و ![صورة](a.png)\n")
    assert [(link.target, link.line, link.is_image) for link in rendered.links] == [
        ("/btob", 3, False), ("a.png", 3, True)]
