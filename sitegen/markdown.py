"""Markdown to HTML: the configured markdown-it parser and what a post needs from it. Knows nothing of sites.

markdown-it and Pygments' lexers are imported when first used, so a rebuild that parses nothing does not load
them (the highlighting stylesheet, made on every build, needs only Pygments' formatter)."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .text import clean_text, count_words, find_unwanted, slugify

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from pygments.formatters import HtmlFormatter

MORE_MARKER = "<!--more-->"
MAX_NESTING = 100
"""How deep blocks may nest (a list level counts two); markdown-it drops what lies deeper, so a document that
reaches it is refused (`too_deep`) rather than published with its end missing. Deep enough for any real outline,
shallow enough for Python's recursion limit."""
AUTOLINK_WINDOW = 2048
"""The longest bare URL or email address recognised as a link."""
_PROTOCOLS = ("http", "https", "mailto", "xmpp")
TABLE_ALIGN_CLASSES = {"text-align:left": "align-left", "text-align:center": "align-center",
                       "text-align:right": "align-right"}
"""GFM's column alignment (`:---`, `:---:`, `---:`) as a class on the cell: markdown-it writes it as a style
attribute, which a Content-Security-Policy without 'unsafe-inline' in style-src blocks. A theme styles the classes."""


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One heading in a table of contents."""

    level: int
    id: str
    title: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A link or image target found in the Markdown, with its line for diagnostics."""

    target: str
    line: int
    """1-based line within the Markdown body."""
    is_image: bool = False


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    """What the Markdown stage hands on for one document."""

    html: str
    summary_html: str
    """The part before `<!--more-->`, or the first paragraph."""
    has_more: bool
    """True when the summary is not the whole text."""
    toc: tuple[TocEntry, ...]
    words: int
    links: tuple[Link, ...]
    first_heading: str | None
    """Text of a leading level-1 heading (a fallback title), which is then left out of `html`."""
    too_deep_at: int | None = None
    """1-based body line where blocks nest as deep as the parser goes; what lies deeper is missing from `html`."""


def create_parser() -> MarkdownIt:
    """CommonMark with GFM tables, strikethrough, task lists, autolinks, footnotes, heading ids and highlighting."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.gfm import gfm_plugin

    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False, "highlight": highlight_code,
                                   "maxNesting": MAX_NESTING})
    md.use(gfm_plugin)
    md.core.ruler.push("anchor", _heading_ids)
    _bound_autolinks(md)
    md.core.ruler.push("sitegen_clean_entities", _clean_entities)
    md.core.ruler.push("sitegen_table_align", _table_align_classes)
    return md


def _heading_ids(state: StateCore) -> None:
    """An id on every heading from its text, '-1', '-2'... for repeats: mdit-py-plugins' anchors rule, same ids,
    but linear (it tried '-1', '-2'... from the start for each repeat: 8,000 '## Notes' took seconds)."""
    taken = {str(i) for t in state.tokens if t.type == "heading_open" and (i := t.attrGet("id"))}
    next_number: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        children = state.tokens[index + 1].children or []
        base = _heading_id("".join(c.content for c in children if c.type in ("text", "code_inline")))
        ident, number = base, next_number.get(base, 1)
        while ident in taken:
            ident, number = f"{base}-{number}", number + 1
        next_number[base] = number
        taken.add(ident)
        token.attrSet("id", ident)


def _clean_entities(state: StateCore) -> None:
    """Character references (`&#x202E;`, `&#12;`) are decoded after sitegen cleaned the source: clean what they
    gave in text and in link and image titles, as the source was (raw HTML is the author's and stays as written)."""
    if "&#" not in state.src:  # no named reference decodes to a control character or an override
        return
    pending = [child for token in state.tokens for child in token.children or ()]
    while pending:
        child = pending.pop()
        if child.type == "text" and find_unwanted(child.content):
            child.content = clean_text(child.content)
        title = child.attrs.get("title")
        if isinstance(title, str) and find_unwanted(title):
            child.attrs["title"] = clean_text(title)
        pending.extend(child.children or ())  # an image's alt text


def _table_align_classes(state: StateCore) -> None:
    """The style attribute markdown-it puts on aligned table cells becomes a class (TABLE_ALIGN_CLASSES). Raw HTML
    is another kind of token and stays as the author wrote it."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            name = TABLE_ALIGN_CLASSES.get(str(token.attrs["style"]))
            if name is not None:
                del token.attrs["style"]
                token.attrJoin("class", name)


def too_deep(tokens: list[Token]) -> int | None:
    """The 1-based body line where blocks nest as deep as markdown-it goes (it drops everything deeper, and
    sometimes the rest of the document), or None."""
    for token in tokens:
        if token.level >= MAX_NESTING - 1 and token.nesting != -1:
            return (token.map[0] + 1) if token.map else 1
    return None


def _bound_autolinks(md: MarkdownIt) -> None:
    """Keep GFM autolinking linear. mdit-py-plugins' rules copy the rest of the paragraph at every ':', '@' and
    'www.', and search all the text since the last token at every ':'; in one long paragraph (a poem or an imported
    text file without blank lines) that is quadratic: a 180 KB paragraph with many colons took a minute. Each rule
    now sees at most AUTOLINK_WINDOW characters ahead, and the protocol rule runs only after a protocol name."""
    rules = md.inline.ruler.__rules__
    for rule in rules:
        if rule.name in ("gfm_autolink_www", "gfm_autolink_protocol", "gfm_autolink_email"):
            rule.fn = _windowed(rule.fn, protocol=rule.name == "gfm_autolink_protocol")
    md.inline.ruler.__cache__ = None


def _windowed(rule: Callable[[StateInline, bool], bool], *, protocol: bool) -> Callable[[StateInline, bool], bool]:
    def bounded(state: StateInline, silent: bool) -> bool:
        if protocol:
            if not state.pending.endswith(_PROTOCOLS):
                return False  # the rule wants a protocol name just before the ':'
            if len(state.pending) > 64:  # it searches all of it: pass the text before on as its own token
                tail = state.pending[-64:]
                state.pending = state.pending[:-64]
                state.pushPending()
                state.pending = tail
        pos_max = state.posMax
        state.posMax = min(pos_max, state.pos + AUTOLINK_WINDOW)
        try:
            return rule(state, silent)
        finally:
            state.posMax = pos_max

    return bounded


def render_markdown(source: str, md: MarkdownIt | None = None, *, title: str | None = None) -> RenderedMarkdown:
    """Render a document's Markdown body. A leading `# heading` is left out when it would repeat the title:
    when `title` is None (the heading becomes the title) or says the same."""
    md = md or _default_parser()
    env: dict[str, object] = {}
    tokens = md.parse(source, env)
    first_heading = _leading_h1(tokens)
    if first_heading is not None and (title is None or " ".join(title.split()) == first_heading):
        tokens = tokens[3:]
    body = md.renderer.render(tokens, md.options, env)
    summary, has_more = _summary(source, body, tokens, md, env)
    return RenderedMarkdown(
        html=body,
        summary_html=summary,
        has_more=has_more,
        toc=_toc(tokens),
        words=count_words(body),
        links=tuple(_links(tokens)),
        first_heading=first_heading,
        too_deep_at=too_deep(tokens),
    )


def highlight_code(code: str, language: str, _attrs: str) -> str:
    """Pygments highlighting for fenced code; code stays left-to-right inside right-to-left pages."""
    from pygments import highlight

    name = language.split()[0] if language.strip() else ""
    lexer = _lexer(name)
    label = f' class="language-{html.escape(name)}"' if name else ""
    inner = highlight(code, lexer, _formatter()) if lexer else html.escape(code)
    return f'<pre class="highlight" dir="ltr"><code{label}>{inner}</code></pre>\n'


def pygments_css(style: str = "default") -> str:
    """The stylesheet for highlighted code."""
    from pygments.formatters import HtmlFormatter

    return str(HtmlFormatter(style=style).get_style_defs(".highlight"))  # type: ignore[no-untyped-call]


@lru_cache(maxsize=1)
def _default_parser() -> MarkdownIt:
    return create_parser()


@lru_cache(maxsize=256)
def _lexer(name: str):  # type: ignore[no-untyped-def]
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    if not name:
        return None
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter[str]:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


def _heading_id(text: str) -> str:
    return slugify(text) or "section"


def _leading_h1(tokens: list[Token]) -> str | None:
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return " ".join(_plain_text(tokens[1]).split())
    return None


def _plain_text(inline: Token) -> str:
    parts = [c.content for c in inline.children or () if c.type in ("text", "code_inline")]
    return "".join(parts).strip() or inline.content.strip()


def _summary(source: str, body: str, tokens: list[Token], md: MarkdownIt, env: dict[str, object]) -> tuple[str, bool]:
    if MORE_MARKER in body:
        return body.split(MORE_MARKER, 1)[0].strip(), True
    for start, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            end = next(i for i in range(start, len(tokens)) if tokens[i].type == "paragraph_close")
            summary = md.renderer.render(tokens[start:end + 1], md.options, env).strip()
            return summary, summary != body.strip()
    return "", False


def _toc(tokens: list[Token]) -> tuple[TocEntry, ...]:
    flat = [(tok.tag, str(tok.attrGet("id") or ""), _plain_text(tokens[i + 1]))
            for i, tok in enumerate(tokens) if tok.type == "heading_open" and tok.tag != "h1"]
    entries = [(int(tag[1]), ident, title) for tag, ident, title in flat]
    return _nest(entries, 0)[0]


def _nest(entries: list[tuple[int, str, str]], start: int) -> tuple[tuple[TocEntry, ...], int]:
    """Turn a flat heading list into a tree: each heading owns the deeper ones that follow it."""
    result: list[TocEntry] = []
    i = start
    level = entries[start][0] if start < len(entries) else 0
    while i < len(entries) and entries[i][0] >= level:
        lvl, ident, title = entries[i]
        if lvl > level and result:  # deeper than its siblings: a child of the previous entry
            children, i = _nest(entries, i)
            prev = result[-1]
            result[-1] = TocEntry(prev.level, prev.id, prev.title, prev.children + children)
            continue
        result.append(TocEntry(lvl, ident, title))
        i += 1
    return tuple(result), i


def _links(tokens: list[Token]) -> list[Link]:
    found: list[Link] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = (token.map[0] + 1) if token.map else 1
        for child in token.children:
            if child.type == "link_open" and child.attrGet("href"):
                found.append(Link(str(child.attrGet("href")), line))
            elif child.type == "image" and child.attrGet("src"):
                found.append(Link(str(child.attrGet("src")), line, is_image=True))
    return found
