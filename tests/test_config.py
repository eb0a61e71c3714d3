"""Configuration: defaults, every problem at once, and the line of each."""

from __future__ import annotations

from pathlib import Path

from sitegen.sources.config import Author, parse_config

PATH = Path("sitegen.yaml")


def test_defaults_and_author_links_in_order() -> None:
    text = "title: مدونتي\nbase_url: https://x.org/\nauthor:\n  name: سارة\n  links:\n    LinkedIn: https://l\n" \
           "    GitHub: https://g\n"
    config, errors = parse_config(text, PATH, Path("."))
    assert errors == []
    assert config.language == "ar" and config.posts_per_page == 10 and config.permalink == "/posts/{slug}/"
    assert config.author == Author(name="سارة", links=(("LinkedIn", "https://l"), ("GitHub", "https://g")))


def test_all_problems_are_reported_with_lines() -> None:
    text = ("titel: x\nbase_url: example.org\nlanguage: xx-nowhere\ntimezone: Mars/Base\nposts_per_page: 0\n"
            "permalink: /posts/{title}/\nauthor:\n  nme: x\n")
    config, errors = parse_config(text, PATH, Path("."))
    assert [(e.line, e.message) for e in errors] == [
        (1, "unknown key 'titel'"),
        (8, "unknown key 'author.nme'"),
        (2, "base_url 'example.org' must be an absolute URL ending in '/'"),
        (4, "unknown time zone 'Mars/Base'"),
        (3, "unknown language 'xx-nowhere'"),
        (5, "posts_per_page must be at least 1"),
        (6, "permalink '/posts/{title}/': it must contain {slug}; unknown field {title}"),
    ]
    assert errors[0].hint == "did you mean 'title'?"
    assert errors[1].hint == "did you mean 'author.name'?"
    # unusable values fall back to defaults so the rest of the site can still be checked
    assert (config.timezone, config.language, config.base_url) == ("UTC", "ar", "http://localhost:8000/")


def test_duplicate_keys_are_an_error() -> None:
    _, errors = parse_config("title: a\ntitle: b\n", PATH, Path("."))
    assert [(e.line, e.message) for e in errors] == [(2, "duplicate key 'title' (first set on line 1)")]
