"""The Markdown accelerator (sitegen/markdown_rs.py) against markdown-it-py, the parser that defines sitegen's
output: every document the accelerator takes must come out byte for byte as markdown-it-py renders it (HTML,
summary, table of contents, links with their places, words, title), over every fixture, the sample blog, the
first author's seed articles, a generated benchmark corpus, hypothesis-generated Markdown, and a whole built site.
Each set also says how much of it takes the fast road, so an accelerator that gave up on everything would fail."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen import markdown, markdown_rs
from sitegen.markdown import ACCELERATED, RenderedMarkdown, create_parser, render_markdown
from sitegen.sources.document import split_front_matter

from .helpers import ROOT, SAMPLE_EPOCH, read_tree

pytest.importorskip("markdown_it_pyrs")

SEEDS = Path("/work/shared/seeds")
T = TypeVar("T")


def _reference_parser():  # type: ignore[no-untyped-def]
    md = create_parser()
    md.options[ACCELERATED] = False  # never the accelerator
    return md


REFERENCE = _reference_parser()


def roads(body: str, title: str | None = None) -> tuple[RenderedMarkdown, RenderedMarkdown | None]:
    """What markdown-it-py renders, and what the accelerator does (None where it leaves the document to it)."""
    return render_markdown(body, REFERENCE, title=title), markdown._render_accelerated(body, title)


def body_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return split_front_matter(text, path)[1]


def check_all(bodies: Sequence[tuple[str, str]]) -> float:
    """Assert both roads agree on every (name, body) the accelerator takes; return the fraction it took."""
    fast = 0
    for name, body in bodies:
        for title in (None, "A title"):
            reference, accelerated = roads(body, title)
            if accelerated is not None:
                assert accelerated == reference, name
                fast += title is None
    return fast / len(bodies)


def markdown_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*")
                  if path.suffix in (".md", ".markdown") or (folder == SEEDS and path.suffix == ".txt"))


def test_the_fixtures_and_the_sample_blog_render_alike_on_both_roads() -> None:
    files = markdown_files(ROOT / "tests" / "fixtures", ROOT / "content", ROOT / "tests" / "sites")
    assert len(files) > 40
    assert check_all([(str(path), body_of(path)) for path in files]) > 0.85


def test_the_sample_blog_takes_the_fast_road_throughout() -> None:
    files = markdown_files(ROOT / "content")
    assert files
    assert check_all([(str(path), body_of(path)) for path in files]) == 1.0


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the first author's seed articles are not on this machine")
def test_the_seed_articles_render_alike() -> None:
    files = markdown_files(SEEDS)
    assert check_all([(str(path), body_of(path)) for path in files]) >= 0.5


def test_a_benchmark_corpus_renders_alike_and_all_of_it_fast(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    made = corpus.generate(posts=80, out=tmp_path / "blog", flavor="sitegen")
    assert check_all([(str(path), body_of(path)) for path in made.files]) == 1.0


# --- hypothesis-generated Markdown ---------------------------------------------------------------------------------

WORDS = ("word", "Latin", "text", "الشبكات", "المهنية", "تواصل", "مع", "x", "a_b", "snake_case", "3.14", "؟", "،",
         "foo.", "bar,", "\u00a0", "\t", "日本", "café", "'quote'", '"dq"', "it's", "1)", "-", "+", "=", ">", "#",
         "|", ":", "!", "[", "]", "(", ")", "*", "_", "`", "~", "\\", "&", "<", ">")
INLINE = ("*{}*", "**{}**", "_{}_", "__{}__", "~~{}~~", "~{}~", "`{}`", "``{}``", "[{}](https://example.com/{})",
          "[{}](/posts/{} \"title {}\")", "[{}](<a b> '{}')", "![{}](/img/{}.png)", "![{} *{}*](x.jpg \"{}\")",
          "<https://example.org/{}>", "<me@example.com>", "https://example.net/{}", "www.example.com/{}",
          "mail{}@example.org", "&amp;", "&copy;", "&nbsp;", "&#x41;", "&#8206;", "&bogus;", "\\*{}\\*", "\\[{}]",
          "<span class=\"x\">{}</span>", "<a href=\"/h/{}\">{}</a>", "<img src=\"/i/{}.png\" alt=\"{}\">",
          "<!-- {} -->", "{}  \n{}", "{}\\\n{}", "[{}]", "[{}][{}]", "[^{}]", "{}\n{}", "*{}", "{}**", "`{}",
          "[](empty)", "[{}]()", "[{}](javascript:alert(1))", "https://ar.wikipedia.org/wiki/شبكة_{}",
          "[{}](https://example.com/مقال/{}?a=1&b=2#{})", "**{}*{}***", "_{}_{}_")
BLOCKS = ("{}", "# {}", "## {}", "### {} ###", "#### {} #", "{}\n===", "{}\n---", "- {}\n- {}", "* {}\n\n* {}",
          "1. {}\n2. {}", "3) {}\n4) {}", "- [ ] {}\n- [x] {}", "- [ ]\n- [X] {}", "1. [ ] {}",
          "- {}\n  - {}\n    - {}",
          "- {}\n\n  {}", "> {}\n> {}", "> {}\n{}", "> - {}\n> - {}", ">> {}", "```\n{}\n```", "```python\n{}\n```",
          "~~~ js extra\n{}\n~~~", "```py{{.x}}\n{}\n```", "    {}", "| a | b |\n|---|:-:|\n| {} | {} |",
          "| {} |\n|:--|\n| {} | extra |", "a | b\n-- | --:\n{} | {}", "***", "---", "<div>\n{}\n</div>",
          "<div class=\"note\">{}</div>", "<!--more-->", "<!-- {} -->", "[{}]: https://example.com/ref", "[^1]: {}",
          "> [!NOTE]\n> {}", "<details>\n<summary>{}</summary>\n\n{}\n</details>", "- {}\n\n      code {}",
          "Term\n: {}", "{}\n\n\n{}", "  {}", "1. {}\n\n   ```\n   {}\n   ```", "- {}\n  ***\n  {}")


def make_document(choose: Callable[[Sequence[str]], str], count: Callable[[int, int], int]) -> str:
    """A Markdown document from the grammar above: `choose` picks one of a sequence, `count` a number in a range."""
    def text() -> str:
        parts = []
        for _ in range(count(1, 4)):
            if count(0, 2):
                parts.append(choose(WORDS))
            else:
                template = choose(INLINE)
                parts.append(template.format(*(choose(WORDS[:14]) for _ in range(template.count("{}")))))
        return choose((" ", "", " ")).join(parts)

    blocks = []
    for _ in range(count(1, 6)):
        template = choose(BLOCKS)
        blocks.append(template.format(*(text() for _ in range(template.count("{}")))))
    return "\n".join(block + choose(("\n", "", "\n\n")) for block in blocks)


@st.composite
def documents(draw: st.DrawFn) -> str:
    return make_document(lambda options: draw(st.sampled_from(options)),
                         lambda low, high: draw(st.integers(low, high)))


@settings(max_examples=400, deadline=None)
@given(documents(), st.sampled_from((None, "A title", "")))
@example("# ~~~word~~&amp;\n", None)  # found by this test: a run of three tildes, then a pair
def test_generated_markdown_renders_alike_on_both_roads(body: str, title: str | None) -> None:
    reference, accelerated = roads(body, title)
    if accelerated is not None:
        assert accelerated == reference


def test_most_generated_markdown_takes_the_fast_road() -> None:
    """The same grammar, drawn with a seeded generator: the accelerator must take a good part of it."""
    rng = random.Random(16)
    bodies = [("generated", make_document(rng.choice, rng.randint)) for _ in range(300)]
    assert check_all(bodies) > 0.2


# --- choosing the road ---------------------------------------------------------------------------------------------

def test_sitegen_markdown_python_forces_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the accelerator was used")

    monkeypatch.setattr(markdown_rs, "render_tree", refuse)
    monkeypatch.setenv(markdown_rs.ENVIRONMENT, "python")
    assert render_markdown("Some *text*.").html == "<p>Some <em>text</em>.</p>\n"


def test_without_markdown_it_pyrs_markdown_it_py_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(markdown_rs.ENVIRONMENT, raising=False)
    monkeypatch.setattr(markdown_rs, "_parser", lambda: None)
    assert not markdown_rs.enabled()
    assert markdown._render_accelerated("Some *text*.", None) is None
    assert render_markdown("Some *text*.").html == "<p>Some <em>text</em>.</p>\n"


def test_the_accelerator_is_taken_by_default_and_gives_links_their_places(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(markdown_rs.ENVIRONMENT, raising=False)
    body = "# Title\n\nSee [the post](/posts/a/) and\n> ![الصورة](/img/b.png) <https://example.org>\n"
    accelerated = markdown._render_accelerated(body, None)
    assert accelerated is not None
    assert [(link.target, link.line, link.column, link.is_image) for link in accelerated.links] == [
        ("/posts/a/", 3, 5, False), ("/img/b.png", 4, 3, True), ("https://example.org", 4, 25, False)]
    assert accelerated.first_heading == "Title"
    assert render_markdown(body) == accelerated == render_markdown(body, REFERENCE)


@pytest.mark.parametrize("body", ["Text[^1].\n\n[^1]: A note.\n", "See [a][ref].\n\n[ref]: /x\n", "A &#x202E; B\n",
                                  "> [!NOTE]\n> Mind.\n", "Emoji 😀 [a](/b)\n", "Line\r\nend\n"])
def test_what_the_accelerator_leaves_to_markdown_it_py(body: str) -> None:
    assert markdown._render_accelerated(body, None) is None


# --- a whole site --------------------------------------------------------------------------------------------------

def build(output: Path, road: str | None) -> dict[str, bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH, "PYTHONPATH": str(ROOT)}
    env.pop(markdown_rs.ENVIRONMENT, None)
    if road is not None:
        env[markdown_rs.ENVIRONMENT] = road
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--no-cache", "-o", str(output)], cwd=ROOT, env=env,
                   check=True, capture_output=True, text=True)
    return read_tree(output)


def test_the_sample_blog_builds_to_the_same_bytes_on_both_roads(tmp_path: Path) -> None:
    accelerated = build(tmp_path / "fast", None)
    reference = build(tmp_path / "python", "python")
    assert len(accelerated) > 20
    assert accelerated.keys() == reference.keys()
    assert [name for name in accelerated if accelerated[name] != reference[name]] == []
