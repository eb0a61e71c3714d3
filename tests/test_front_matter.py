"""The front matter reader: YAML, TOML and JSON read back what was written (hypothesis), any text is read or refused
with an error inside the file, and each format's errors land on the author's line and column."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.sources.frontmatter import read_front_matter

PATH = Path("content/posts/x.md")
FIXTURES = Path(__file__).parent / "fixtures" / "front_matter"

keys = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
words = st.text(st.characters(categories=["L", "N", "Zs", "Po", "Sm"], exclude_characters="\x85\u2028\u2029"),
                max_size=30)
"""Text that front matter keeps as it is (no control or bidi characters, which every reader cleans)."""
scalars = st.one_of(words, st.integers(-2**40, 2**40), st.booleans())
dates = st.dates(date(1900, 1, 1), date(2100, 12, 31))


def toml_dump(values: dict[str, Any]) -> str:
    """A TOML document of flat text, number, true/false and date values (tomli_w is not installed)."""
    def value(item: Any) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, (int, date)):
            return str(item) if isinstance(item, int) else item.isoformat()
        return json.dumps(item, ensure_ascii=False)  # a JSON string is a TOML basic string for this alphabet
    return "".join(f"{key} = {value(item)}\n" for key, item in values.items())


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, st.one_of(scalars, dates), max_size=8))
def test_yaml_reads_back_what_was_dumped(values: dict[str, Any]) -> None:
    text = "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\nbody\n"
    front, errors = read_front_matter(text, PATH)
    assert front is not None and errors == [], errors
    assert (front.values, front.format, front.body) == (values, "yaml", "body\n")


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, st.one_of(scalars, dates), max_size=8))
@example({"b": "'''", "a": ""})  # three quotes inside a one-line string open no multi-line string
def test_toml_reads_back_what_was_dumped_and_where(values: dict[str, Any]) -> None:
    text = "+++\n" + toml_dump(values) + "+++\nbody\n"
    front, errors = read_front_matter(text, PATH)
    assert front is not None and errors == [], errors
    assert (front.values, front.format, front.body, front.body_line) == (values, "toml", "body\n", len(values) + 3)
    assert front.lines == {key: line for line, key in enumerate(values, 2)}


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, scalars, max_size=8), st.booleans())
def test_json_reads_back_what_was_dumped_and_where(values: dict[str, Any], eleventy: bool) -> None:
    dumped = json.dumps(values, ensure_ascii=False, indent=2)
    text = f"---json\n{dumped}\n---\nbody\n" if eleventy else f"{dumped}\nbody\n"
    front, errors = read_front_matter(text, PATH)
    assert front is not None and errors == [], errors
    assert (front.values, front.format, front.body) == (values, "json", "body\n")
    first = 3 if eleventy else 2  # each key on its own line after the '{'
    assert front.lines == {key: line for line, key in enumerate(values, first)}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["", "---\n", "+++\n", "---json\n", '{"', "{\n", "Title: a\nDate: b\n", "---js\n"]),
       st.text(max_size=200))
def test_any_text_is_read_or_refused_at_a_line_of_the_file(opening: str, rest: str) -> None:
    text = opening + rest
    front, errors = read_front_matter(text, PATH)
    lines = text.count("\n") + 1
    for error in errors:
        assert error.path == PATH
        assert error.line is None or 1 <= error.line <= lines, (error, lines)
    if front is None:
        assert any(error.severity == "error" for error in errors)
    else:
        assert front.format in ("yaml", "toml", "json", "none")
        assert 1 <= front.body_line <= lines + 1
        assert text.endswith(front.body)


def located(text: str) -> list[tuple[str, int | None, int | None, str]]:
    front, errors = read_front_matter(text, PATH)
    assert front is None
    return [(error.message, error.line, error.column, error.severity) for error in errors]


def test_a_toml_error_is_at_its_file_line_and_column() -> None:
    assert located('+++\ntitle = "a"\ndraft = = true\n+++\n') == [
        ("TOML front matter cannot be read: Invalid value", 3, 9, "error")]


def test_a_toml_error_at_the_end_is_on_the_last_line_written() -> None:
    assert located('+++\ntitle = "a\n+++\nbody\n') == [
        ("TOML front matter cannot be read: Unterminated string", 2, None, "error")]
    assert located('+++\ntitle = "a"\n[t]\nx = 1\n[t]\n+++\n') == [
        ("TOML front matter cannot be read: Cannot declare ('t',) twice", 5, 3, "error")]


def test_a_json_error_is_at_its_file_line_and_column() -> None:
    assert located('{\n  "title": "a"\n  "draft": true\n}\n') == [
        ("JSON front matter cannot be read: Expecting ',' delimiter", 3, 3, "error")]
    assert located('---json\n{\n  "title": "a",\n}\n---\n') == [
        ("JSON front matter cannot be read: Expecting property name enclosed in double quotes", 4, 1, "error")]
    assert located('---json\n["a"]\n---\n') == [("JSON front matter must be an object of keys", 2, 1, "error")]
    assert located('{"title": "a"} and text\n') == [("text follows the JSON front matter on its last line", 1, None,
                                                      "error")]


def test_a_yaml_error_is_at_its_file_line_and_column() -> None:
    assert located("---\ntitle: ok\ndescription: a: b\n---\n") == [
        ("invalid YAML: mapping values are not allowed here", 3, 15, "error")]


def test_front_matter_sitegen_cannot_read_is_an_error_not_body_text() -> None:
    assert located("---js\n{ title: 'a', draft: true }\n---\n") == [
        ("front matter in 'js' is not read by sitegen", 1, 1, "error")]
    pelican = (FIXTURES / "pelican.md").read_text()
    assert located(pelican) == [("this file starts with 'Key: value' metadata lines (Pelican's or MultiMarkdown's), "
                                 "which sitegen does not read", 1, 1, "error")]


def test_text_that_only_looks_like_front_matter_is_body() -> None:
    for text in ("{{< figure src=a.png >}}\n", "{% raw %}x{% endraw %}\n", "Note: this is a sentence.\n\nText.\n",
                 "Wait: what?\nReally: yes.\n\nText\n"):  # no key Pelican reads
        front, errors = read_front_matter(text, PATH)
        assert front is not None and (front.format, front.body, errors) == ("none", text, [])


def test_real_hugo_toml_and_eleventy_json_posts() -> None:
    hugo, _ = read_front_matter((FIXTURES / "hugo-section" / "draft.md").read_text(), PATH)
    assert hugo is not None
    assert (hugo.values["draft"], hugo.values["images"], hugo.line("draft"), hugo.line("images")) == (
        True, ["post-cover.png"], 4, 7)
    eleventy, _ = read_front_matter((FIXTURES / "eleventy.md").read_text(), PATH)
    assert eleventy is not None and eleventy.values["tags"] == ["posts", "notes"] and eleventy.line("tags") == 4


def test_toml_and_json_strings_are_cleaned_as_yaml_strings_are() -> None:
    front, errors = read_front_matter('{"title": "a\u202eb", "n": {"x": "\\u0007"}}\n', PATH)
    assert front is not None
    assert front.values == {"title": "a\u2067b\u2069", "n": {"x": ""}}
    assert [(e.message, e.line, e.severity) for e in errors] == [
        ("'title' contains U+202E RIGHT-TO-LEFT OVERRIDE; removed or made an isolate", 1, "warning"),
        ("'n' contains control character U+0007; removed or made an isolate", 1, "warning")]


def test_deep_json_and_toml_are_refused_not_a_crash() -> None:
    assert located('{"a": ' + "[" * 40 + "]" * 40 + "}\n")[0][0] == "values nested more than 32 levels deep"
    assert located('{"a": ' + "[" * 5000 + "]" * 5000 + "}\n")[0][0] == "JSON front matter nests too deeply"
    assert located("+++\na = " + "[" * 5000 + "]" * 5000 + "\n+++\n")[0][0] in (
        "TOML front matter nests too deeply", "values nested more than 32 levels deep")
