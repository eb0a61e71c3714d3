"""Tests for `sitegen.importer`: golden files for the seed articles, focused rules, and a never-raise property.

Regenerate the golden files with `SITEGEN_UPDATE_GOLDEN=1 pytest tests/test_importer.py`, then read them.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sitegen.sources.importer import ImportedPost, convert_document, render_post_file

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
GOLDEN = Path(__file__).parent / "fixtures" / "import"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
UPDATE = os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1"


def split_file(text: str) -> tuple[dict[str, object], str]:
    """(front matter, body) of a rendered post file."""
    assert text.startswith("---\n")
    end = text.index("\n---\n", 3)
    assert text[end + 5 : end + 6] == "\n", "one blank line after the front matter"
    return yaml.safe_load(text[4 : end + 1]), text[end + 6 :]


def tokens(body: str) -> list:
    return MarkdownIt("commonmark").parse(body)


def block_types(body: str) -> list[str]:
    """Top-level block kinds of `body`, e.g. ['heading', 'paragraph', 'bullet_list']."""
    kinds, depth = [], 0
    for token in tokens(body):
        if depth == 0 and token.nesting >= 0 and token.type != "inline":
            kinds.append(token.type.removesuffix("_open"))
        depth += token.nesting
    return kinds


def headings(body: str) -> list[tuple[int, str]]:
    found = tokens(body)
    return [(int(t.tag[1]), found[i + 1].content) for i, t in enumerate(found) if t.type == "heading_open"]


def convert(text: str, name: str = "post.md") -> ImportedPost:
    return convert_document(text, name)


# --- golden files -----------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SEED_FILES, reason=f"seed articles not found in {SEEDS}")
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.stem)
def test_seed_matches_golden_file(seed: Path) -> None:
    rendered = render_post_file(convert_document(seed.read_text(encoding="utf-8"), seed.name))
    expected = GOLDEN / f"{seed.stem}.md"
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(rendered, encoding="utf-8")
    assert expected.is_file(), f"no golden file {expected}: run with SITEGEN_UPDATE_GOLDEN=1 and review it"
    assert rendered == expected.read_text(encoding="utf-8")


@pytest.mark.skipif(not SEED_FILES, reason=f"seed articles not found in {SEEDS}")
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.stem)
def test_seed_output_is_clean_markdown(seed: Path) -> None:
    post = convert_document(seed.read_text(encoding="utf-8"), seed.name)
    front, body = split_file(render_post_file(post))
    assert front == post.front_matter
    assert list(front)[:2] == ["title", "description"] and front["lang"] == "ar"
    assert len(str(front["description"])) <= 160
    assert "no date: set one" in post.warnings
    assert re.fullmatch(r"[\w-]+", post.slug) and re.search("[\u0621-\u064a]", post.slug)
    assert body.endswith("\n") and not body.endswith("\n\n") and "\n\n\n" not in body
    assert not any(line != line.rstrip() for line in body.split("\n")), "trailing whitespace"
    assert "•" not in body and not re.search(r"^[٠-٩]", body, re.MULTILINE)
    assert all(level >= 2 for level, _ in headings(body)), "the title is the only level-1 heading"
    assert post.title not in [text for _, text in headings(body)] or seed.name.startswith("003")
    for token in tokens(body):  # every paragraph is one source paragraph, not lines glued by soft breaks
        assert token.type != "softbreak"


@pytest.mark.skipif(not SEED_FILES, reason=f"seed articles not found in {SEEDS}")
def test_seed_structure() -> None:
    posts = {path.name[:3]: convert_document(path.read_text(encoding="utf-8"), path.name) for path in SEED_FILES}
    web, jekyll, numbered, bare = posts["001"], posts["002"], posts["003"], posts["004"]
    assert posts["000"].front_matter["tags"] == ["Careers"]
    assert web.title == "ما هي الشبكات المهنية؟ أهميتها؟" and web.front_matter["tags"] == ["مقابلات العمل"]
    assert (2, "3 فوائد للتواصل الاحترافي في حياتك المهنية") in headings(web.body)
    assert (3, "الزملاء الحاليون والسابقون") in headings(web.body)
    assert "1. **فرص عمل**\n\n   تُظهر" in web.body
    assert list(jekyll.front_matter) == ["title", "description", "lang", "audio", "generated", "translated", "type"]
    assert [level for level, _ in headings(jekyll.body)] == [2, 2]
    assert "- [How to Build Real Relationships at Work" in jekyll.body
    assert (2, "العلاقات ليست “وساطة”… بل “رأسمال اجتماعي”") in headings(numbered.body)
    assert numbered.body.count("> **نقطة عملية:**") == 6
    assert "\n> - تابع مساهماته" in numbered.body and "“ماذا سأستفيد؟”" in numbered.body
    assert bare.title == "ماذا نستفيد من مجتمعات التخصص؟"
    assert [text for _, text in headings(bare.body)][:3] == ["التشبيك", "التطوير الشخصي", "تطوير المجال"]
    assert "مستقبله. أعضاء" in bare.body and "مجتمع!" in bare.body


# --- front matter -----------------------------------------------------------------------------------------------


def test_keywords_and_categories_become_tags() -> None:
    post = convert("---\ntitle: T\nkeywords: شبكات، LinkedIn, شبكات\ncategories: [Careers, LinkedIn]\n---\ntext\n")
    assert post.front_matter["tags"] == ["شبكات", "LinkedIn", "Careers"]
    assert "keywords" not in post.front_matter and "categories" not in post.front_matter


def test_layout_dropped_and_unknown_keys_kept_in_order() -> None:
    text = "---\naudio: false\nlayout: post\nlang: ar\ntitle: عنوان\ntype: note\nextra: {a: [1, 2]}\n---\nنص.\n"
    post = convert(text)
    assert list(post.front_matter) == ["title", "description", "lang", "audio", "type", "extra"]
    assert post.front_matter["audio"] is False and post.front_matter["extra"] == {"a": [1, 2]}


def test_toml_front_matter() -> None:
    text = '+++\ntitle = "Hugo post"\ndate = 2024-05-01\ntags = ["go", "web"]\ndraft = true\n+++\n\nBody text.\n'
    post = convert(text)
    assert post.front_matter == {
        "title": "Hugo post",
        "date": date(2024, 5, 1),
        "description": "Body text.",
        "tags": ["go", "web"],
        "draft": True,
    }
    assert render_post_file(post).startswith("---\ntitle: Hugo post\ndate: 2024-05-01\n")


def test_date_from_file_name_and_missing_date_warning() -> None:
    assert convert("# T\n\nx\n", "posts/2023-07-09-my-post.md").front_matter["date"] == date(2023, 7, 9)
    assert "no date: set one" in convert("# T\n\nx\n", "2023-13-45-bad.md").warnings


def test_description_derived_from_first_paragraph_and_cut_at_a_word() -> None:
    words = " ".join(["كلمة"] * 60)
    post = convert(f"# T\n\n## Intro\n\n> a quote\n\nThe **first** [paragraph](/x) `here`. {words}\n\nSecond.\n")
    description = str(post.front_matter["description"])
    assert description.startswith("The first paragraph here. كلمة")
    assert description.endswith("كلمة…") and len(description) <= 160
    assert any("description" in warning for warning in post.warnings)


def test_broken_front_matter_stays_in_the_body() -> None:
    post = convert("---\ntitle: [oops\n---\n\n# Real\n\ntext\n")
    assert post.title == "Real" and "```yaml\ntitle: [oops\n```" in post.body
    assert any("front matter not read" in warning for warning in post.warnings)


def test_render_post_file_layout() -> None:
    post = ImportedPost("ت", "ت", {"title": "ت", "tags": ["أ"]}, "نص\n", ())
    assert render_post_file(post) == "---\ntitle: ت\ntags:\n- أ\n---\n\nنص\n"


# --- Markdown bodies --------------------------------------------------------------------------------------------


def test_title_heading_removed_and_headings_start_at_level_two() -> None:
    post = convert("---\ntitle: بناء   علاقات\n---\n\n#  بناء علاقات\n### قسم\n- **نقطة**: نص  \n#### فرع\n")
    assert post.title == "بناء علاقات"
    assert post.body == "## قسم\n\n- **نقطة**: نص\n\n### فرع\n"


def test_title_from_first_heading_when_front_matter_has_none() -> None:
    post = convert("# عنوان المقال\n\nنص.\n\n# قسم\n")
    assert post.title == "عنوان المقال" and post.body == "نص.\n\n## قسم\n"


def test_empty_blockquotes_dropped_and_link_lines_become_a_list() -> None:
    post = convert("# T\n\n> quote\n\n>\n\n[A](https://a.example)  \n[B](https://b.example)\n")
    assert post.body == "> quote\n\n- [A](https://a.example)\n- [B](https://b.example)\n"


def test_short_items_make_a_tight_list_and_code_is_untouched() -> None:
    post = convert("# T\n\n- one\n\n- two\n\n```\n# not a heading ،\n```\n")
    assert post.body == "- one\n- two\n\n```\n# not a heading ،\n```\n"


# --- plain text -------------------------------------------------------------------------------------------------


def test_plain_text_bullets_headings_and_paragraphs() -> None:
    text = "العنوان\n\nمقدمة قصيرة.\n\nفي هذه المقالة:\n\n  • أولاً \n  • ثانياً\n\nقسم أول\n\nنص القسم.\nسطر ثانٍ.\n"
    post = convert(text)
    assert post.title == "العنوان"
    assert post.body == ("مقدمة قصيرة.\n\nفي هذه المقالة:\n\n- أولاً\n- ثانياً\n\n## قسم أول\n\nنص القسم.\n\nسطر ثانٍ.\n")


def test_arabic_indic_numbered_headings_lose_their_numbers() -> None:
    post = convert(
        "مقدمة طويلة بما يكفي لتكون فقرة وليست عنواناً على الإطلاق.\n١.العلاقات ليست “وساطة”\nنص.\n٢. القيمة\nنص.\n"
    )
    assert headings(post.body) == [(2, "العلاقات ليست “وساطة”"), (2, "القيمة")]
    sentences = convert("مقدمة.\n١. الجملة الأولى كاملة.\n٢. الجملة الثانية كاملة.\n").body
    assert sentences == "مقدمة.\n\n1. الجملة الأولى كاملة.\n2. الجملة الثانية كاملة.\n"


def test_callout_becomes_a_blockquote_up_to_the_next_heading() -> None:
    text = "مقدمة.\n١.قسم\nنص.\nنقطة عملية:\nفكّر في ثلاثة أشخاص.\n- الأول\n- الثاني\nخاتمة القسم.\n٢.قسم آخر\nنص.\n"
    body = convert(text).body
    assert "> **نقطة عملية:** فكّر في ثلاثة أشخاص.\n>\n> - الأول\n> - الثاني\n>\n> خاتمة القسم.\n\n## قسم آخر" in body
    assert block_types(body).count("blockquote") == 1


def test_list_item_continued_after_a_colon_and_run_together_items() -> None:
    body = convert("مقدمة.\n- ابدأ برسالة مثل:\n“شكراً لك.” - تابع مساهماته.\n").body
    assert body == "مقدمة.\n\n- ابدأ برسالة مثل: “شكراً لك.”\n- تابع مساهماته.\n"


def test_breadcrumb_line_becomes_a_tag() -> None:
    post = convert("مقابلات العمل\n\nما هي الشبكات؟\n\nالشبكات\n\nنص الفقرة الأولى.\n")
    assert (post.title, post.front_matter["tags"]) == ("ما هي الشبكات؟", ["مقابلات العمل"])
    assert post.body == "## الشبكات\n\nنص الفقرة الأولى.\n"


def test_numbered_titles_with_paragraphs_become_an_ordered_list() -> None:
    body = convert("T\n\nثلاث فوائد:\n\n1. فرص عمل\n\nنص أول.\n\n2. نصيحة\nنص ثانٍ.\n\nخاتمة.\n").body
    assert body == "ثلاث فوائد:\n\n1. **فرص عمل**\n\n   نص أول.\n\n2. **نصيحة**\n\n   نص ثانٍ.\n\nخاتمة.\n"
    assert block_types(body) == ["paragraph", "ordered_list", "paragraph"]


def test_plain_ordered_list_stays_a_list() -> None:
    assert convert("T\n\n1. a\n2. b\n\nA closing paragraph.\n").body == "1. a\n2. b\n\nA closing paragraph.\n"


def test_punctuation_spacing_and_quotes_tidied() -> None:
    body = convert("مقدمة.\nهل تعرفه ؟ نعم !\nقال: “ماذا سأستفيد؟“\nانتهى.بدأ\n").body
    assert body == "مقدمة.\n\nهل تعرفه؟ نعم!\n\nقال: “ماذا سأستفيد؟”\n\nانتهى. بدأ\n"


def test_slug_keeps_arabic_letters() -> None:
    post = convert("---\ntitle: بناءُ علاقاتٍ حقيقية\n---\nنص.\n")
    assert post.slug == "بناء-علاقات-حقيقية"


def test_untitled_text_gets_a_title_from_the_file_name() -> None:
    post = convert("A first paragraph that is long enough to be a paragraph, not a title, surely.\n", "my-notes.txt")
    assert post.title == "my notes" and any("no title" in warning for warning in post.warnings)


# --- never raises -----------------------------------------------------------------------------------------------

FRAGMENTS = [
    "---",
    "+++",
    "...",
    "# ",
    "## ",
    "- ",
    "  • ",
    "1. ",
    "١.",
    "نقطة عملية:",
    "> ",
    ">",
    "```",
    "title: ",
    "keywords: ",
    "date: 2020-02-30",
    "[a](b)",
    "“",
    "؟",
    " ",
    "\t",
    "\x00",
    "\x85",
    "\u2028",
    "نص",
    "x",
]
LINES = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=5).map("".join)
DOCUMENTS = st.one_of(st.text(), st.lists(LINES, max_size=12).map("\n".join))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.sampled_from(["post.md", "2024-02-29-x.txt", "", "a/b\\c.d", "\x00"]))
def test_any_text_converts_to_a_valid_post_file(text: str, name: str) -> None:
    post = convert_document(text, name)
    rendered = render_post_file(post)
    assert rendered.startswith("---\n")
    front, body = split_file(rendered)
    assert front == post.front_matter and front["title"] == post.title and post.title
    assert post.slug and post.body.endswith("\n") and not post.body.endswith("\n\n")
    assert body == post.body
    assert next(iter(front)) == "title"
