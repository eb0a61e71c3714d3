"""Slugs, word counts, reading time and direction: examples and hypothesis properties."""

from __future__ import annotations

import re
import string
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from sitegen.text import (
    BIDI_OVERRIDES,
    CONTROL_CHARS,
    clean_text,
    count_words,
    fill_fields,
    find_unwanted,
    reading_minutes,
    resolve_links,
    slugify,
    text_direction,
    text_fields,
    truncate,
)

ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=30)
MIXED = st.text(alphabet=st.one_of(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
                                   st.sampled_from(string.printable), st.sampled_from("\u200f\u202e\u00a0ـ")))


def test_slug_keeps_arabic_letters() -> None:
    assert slugify("بناء علاقات حقيقية") == "بناء-علاقات-حقيقية"
    assert slugify("مُحَمَّد الـعربي") == "محمد-العربي"  # diacritics and tatweel go
    assert slugify("LinkedIn و B2B: الدليل!") == "linkedin-و-b2b-الدليل"
    assert slugify("Café crème") == "cafe-creme"
    assert slugify("١٠ قواعد") == "١٠-قواعد"


@given(MIXED)
def test_slug_is_safe_in_a_path_and_idempotent(text: str) -> None:
    slug = slugify(text)
    assert slugify(slug) == slug
    assert not any(c in slug for c in "/\\?#%<>\"' \t\n") and ".." not in slug
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug


@given(ARABIC)
def test_slug_never_drops_arabic_letters(text: str) -> None:
    letters = [c for c in unicodedata.normalize("NFKC", text) if "\u0621" <= c <= "\u064a" and c != "\u0640"]
    assert [c for c in slugify(text) if "\u0621" <= c <= "\u064a"] == letters


def test_word_count_and_reading_time_for_arabic() -> None:
    assert count_words("<p>الشبكات المهنية مهمة جدًا في LinkedIn.</p><pre><code>x = 1</code></pre>") == 6
    assert reading_minutes(138 * 5, "ar") == 5  # Arabic is read at ~138 words a minute
    assert reading_minutes(228 * 5, "en") == 5
    assert reading_minutes(3, "ar-SA") == 1


def test_direction() -> None:
    assert text_direction("ar") == "rtl"
    assert text_direction("fa-IR") == "rtl"
    assert text_direction("en") == "ltr"


def test_truncate_cuts_at_a_word() -> None:
    assert truncate("كلمة " * 50, 20) == "كلمة كلمة كلمة كلمة…"
    assert truncate("كلمة " * 50, 18) == "كلمة كلمة كلمة…"
    assert truncate("قصير", 20) == "قصير"


def test_resolve_links_escapes_what_it_writes() -> None:
    html = '<a href="a?x=1&amp;y=&quot;2&quot;">x</a><img src="/abs.png">'
    assert resolve_links(html, "https://s.org/posts/p/") == (
        '<a href="https://s.org/posts/p/a?x=1&amp;y=&quot;2&quot;">x</a><img src="https://s.org/abs.png">')


ANY_TEXT = st.text(alphabet=st.one_of(st.characters(codec=None, blacklist_categories=("Cs",)),
                                      st.sampled_from("\x00\x07\x85\u202a\u202e\ufdd0\ufffe\U0001fffe\U0010ffff😀")))


@given(ANY_TEXT)
def test_fast_cleaning_finds_what_the_full_patterns_find(text: str) -> None:
    """find_unwanted looks for astral noncharacters only in text holding an astral character; it must agree with the
    full pattern, and clean_text with the plain rewrite."""
    isolates = str.maketrans("\u202a\u202b\u202c\u202d\u202e", "\u2066\u2067\u2069\u2066\u2067")
    expected = CONTROL_CHARS.sub("", text).translate(isolates)
    full = re.search(f"{CONTROL_CHARS.pattern}|{BIDI_OVERRIDES.pattern}", text)
    found = find_unwanted(text)
    assert (found and found.start()) == (full and full.start())
    assert clean_text(text) == expected


def _words_by_removal(markup: str) -> int:
    """The plain statement of the rule: drop marks, then every character but letters, digits and spaces; count the
    space-separated runs left."""
    from sitegen.text import _ARABIC_MARKS, _CODE_BLOCK, strip_tags
    text = _ARABIC_MARKS.sub("", strip_tags(_CODE_BLOCK.sub(" ", markup)))
    return len(re.sub(r"[^\w\s]|_", "", text).split())


@given(st.text(alphabet=st.one_of(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
                                  st.sampled_from(string.printable + "\u00a0\u200f—ـ«»"))))
def test_word_count_agrees_with_the_plain_rule(markup: str) -> None:
    assert count_words(markup) == _words_by_removal(markup)


FIELD_TEXT = st.lists(st.one_of(st.text(st.characters(exclude_characters="{}"), max_size=5),
                                st.sampled_from(["{slug}", "{n}", "{total}", "{{", "}}"])), max_size=8).map("".join)


@given(FIELD_TEXT, st.dictionaries(st.sampled_from(["slug", "n", "total"]), st.text(max_size=5), min_size=3))
def test_fields_are_filled_as_str_format_fills_them(text: str, values: dict[str, str]) -> None:
    """For what both read (names alone in braces, doubled braces), the fields are put in place as str.format does."""
    assert text_fields(text)[1] == []
    assert fill_fields(text, values) == text.format(**values)


def test_only_a_name_alone_in_braces_is_a_field() -> None:
    assert text_fields("/{year}/{slug}/{{x}}") == (["year", "slug"], [])
    assert text_fields("/{slug:>99999999999}/{slug!r}/{slug.upper}/{slug[0]}/{0}/{}/{ slug }/")[1] == [
        "{slug:>99999999999}", "{slug!r}", "{slug.upper}", "{slug[0]}", "{0}", "{}", "{ slug }"]
    assert text_fields("a } b { c")[1] == ["}", "{"]
    assert fill_fields("{n:>99999999999} {n.__class__} {n}", {"n": "3"}) == "{n:>99999999999} {n.__class__} 3"
