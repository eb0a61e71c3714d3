"""YAML with line numbers (sitegen/sources/yamlio.py): libyaml's parser, taken where nothing can nest deeply or
repeat, reads every text exactly as the careful pure-Python one does, values and lines alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sitegen.sources.yamlio import MAX_DEPTH, _fast_enough, _FastLoader, _Loader, _parse_mapping

PATH = Path("x.yaml")
keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
texts = st.text(st.sampled_from("ab {}[]:#'\"-نصّ ,\n\t"), max_size=30)
scalars = st.one_of(texts, st.integers(-10**6, 10**6), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=4)), max_leaves=12)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=6), st.booleans())
@example({"series_part": "الجزء {n} من {total}", "of": "{a}{b}{c}{d}{e}{f}{g}{h}{i}"}, False)
def test_libyaml_reads_what_the_careful_parser_reads(doc: dict[str, Any], flow: bool) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    assume(_fast_enough(text))  # most are: a health check fails if too few would be
    fast, fast_errors = _parse_mapping(text, PATH, 1, "front matter", _FastLoader)
    careful, careful_errors = _parse_mapping(text, PATH, 1, "front matter", _Loader)
    assert (fast, fast_errors) == (careful, careful_errors)


def test_braces_inside_quoted_words_do_not_count_as_nesting_but_deep_brackets_do() -> None:
    words = "".join(f'w{n}: "{{n}} of {{total}}"\n' for n in range(40))
    assert _fast_enough(words)
    assert not _fast_enough("a: " + "[" * (MAX_DEPTH // 2 + 1) + "]" * (MAX_DEPTH // 2 + 1))
