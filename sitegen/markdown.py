"""Markdown to HTML: the configured markdown-it parser and what a post needs from it. Knows nothing of sites.

markdown-it and Pygments' lexers are imported when first used, so a rebuild that parses nothing does not load
them (the highlighting stylesheet, made on every build, needs only Pygments' formatter)."""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from .text import clean_text, count_words, find_unwanted, slugify

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from pygments.formatters import HtmlFormatter

MORE_MARKER = "<!--more-->"
ACCELERATED = "sitegen_accelerated"
"""Set in the options of the parsers `create_parser` makes: `render_markdown` may then take the accelerator
(`markdown_rs`), which gives the same bytes as such a parser, faster, for the documents it knows it can."""
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
    """A link or image target found in the Markdown or in its raw HTML, with where it is for diagnostics."""

    target: str
    line: int
    """1-based line within the Markdown body."""
    column: int | None = None
    """1-based column on `line`, in characters, of the link's `[` (an image's `!`, an autolink's `<`, a bare URL's
    first character, the value of an HTML attribute); None when it could not be found in the source."""
    is_image: bool = False
    defined_at: int | None = None
    """For a reference-style link (`[text][ref]`), the body line of `[ref]: address`, which gives its address;
    `line` and `column` are where the link is used."""


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
                                   "maxNesting": MAX_NESTING, "store_labels": True})
    md.use(gfm_plugin)
    md.core.ruler.push("anchor", _heading_ids)
    _bound_autolinks(md)
    _record_link_starts(md)
    md.core.ruler.push("sitegen_clean_entities", _clean_entities)
    md.core.ruler.push("sitegen_table_align", _table_align_classes)
    md.options[ACCELERATED] = True
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


_LOCATED_RULES = frozenset({"link", "image", "autolink", "html_inline", "gfm_autolink_www", "gfm_autolink_protocol",
                            "gfm_autolink_email"})
_LOCATED = frozenset({"link_open", "image", "html_inline"})


def _record_link_starts(md: MarkdownIt) -> None:
    """markdown-it tells only which lines a block spans: the inline rules that make links, images and raw HTML are
    wrapped to note where in their block's text each one starts (`meta["start"]`), for `_links` to place it."""
    for rule in md.inline.ruler.__rules__:
        if rule.name in _LOCATED_RULES:
            rule.fn = _recording(rule.fn)
    md.inline.ruler.__cache__ = None


def _recording(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def recording(state: StateInline, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        start, pending, count = state.pos, len(state.pending), len(state.tokens)
        if not rule(state, silent):
            return False
        tokens = state.tokens
        while count < len(tokens) and tokens[count].type == "text":  # the text before, pushed when the link was
            pending -= len(tokens[count].content)
            count += 1
        if count < len(tokens) and tokens[count].type in _LOCATED and "start" not in tokens[count].meta:
            tokens[count].meta["start"] = start - pending  # a bare URL begins with text taken back from `pending`
        return True

    return recording


def render_markdown(source: str, md: MarkdownIt | None = None, *, title: str | None = None) -> RenderedMarkdown:
    """Render a document's Markdown body. A leading `# heading` is left out when it would repeat the title:
    when `title` is None (the heading becomes the title) or says the same."""
    if md is None or md.options.get(ACCELERATED):
        fast = _render_accelerated(source, title)
        if fast is not None:
            return fast
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
        links=tuple(_links(tokens, source, env)),
        first_heading=first_heading,
        too_deep_at=too_deep(tokens),
    )


def _render_accelerated(source: str, title: str | None) -> RenderedMarkdown | None:
    """`render_markdown` by markdown-it-pyrs (`markdown_rs`), or None where markdown-it-py must render."""
    from . import markdown_rs

    if not markdown_rs.enabled():
        return None
    found = markdown_rs.render_tree(source, title, highlight_code, _html_urls)
    if found is None:
        return None
    return RenderedMarkdown(
        html=found.html,
        summary_html=found.summary_html,
        has_more=found.has_more,
        toc=_nest(list(found.headings), 0)[0],
        words=count_words(found.html),
        links=tuple(Link(target, line, column, image) for target, line, column, image in found.links),
        first_heading=found.first_heading,
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


def _links(tokens: list[Token], source: str, env: dict[str, Any]) -> list[Link]:
    """Every link and image of the document, in the Markdown and in its raw HTML, each placed at its line and column."""
    found: list[Link] = []
    places = _Places(source)
    references: dict[str, Any] = env.get("references") or {}
    for index, token in enumerate(tokens):
        if token.type == "html_block":
            found.extend(places.link(token, start, url, image) for start, url, image in _html_urls(token.content))
            continue
        if token.type != "inline" or not token.children:
            continue
        if index and tokens[index - 1].type in ("th_open", "td_open"):
            places.find_cell(token)
        for child in token.children:
            if child.type == "html_inline":
                start = child.meta.get("start")
                found.extend(places.link(token, None if start is None else start + at, url, image)
                             for at, url, image in _html_urls(child.content))
                continue
            if child.type == "link_open":
                target, image = child.attrGet("href"), False
            elif child.type == "image":
                target, image = child.attrGet("src"), True
            else:
                continue
            if target:
                reference = references.get(child.meta.get("label", ""), {}).get("map")
                defined_at = reference[0] + 1 if reference else None
                found.append(places.link(token, child.meta.get("start"), str(target), image, defined_at))
    return found


class _Places:
    """Turns a place in a block's text (`Token.content`, which lost the block's indentation, its `>` and list
    markers, a table's pipes) into a line and column of the body: each line of the text, less its indentation, must
    end its source line, and a place keeps its distance from that end (so several links with one target on a line
    each get their own column); a table cell, which does not end its row, is found in the row left to right. When
    the text cannot be found, the block's first line stands, without a column."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._lines: list[str] | None = None
        self.cells: dict[int, tuple[int, int] | None] = {}
        """id of a table cell's token -> where its text starts in its row's line and 1 when markdown-it took the
        backslash out of its escaped pipes, or None when it was not found."""
        self.line_starts: dict[int, list[int]] = {}
        """id of a block's token -> where each line of its text starts."""
        self.shifts: dict[tuple[int, int], tuple[int, int] | None] = {}
        """(id of a block's token, line of its text) -> what `_shift` found."""
        self.row_ends: dict[int, int] = {}
        """0-based line of a table row -> where the cells found so far end on it."""

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            source = self.source
            if "\r" in source or "\0" in source:  # as markdown-it reads it
                source = source.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
            self._lines = source.split("\n")
        return self._lines

    def link(self, block: Token, start: int | None, target: str, image: bool, defined_at: int | None = None) -> Link:
        line, column = self.place(block, start)
        return Link(target, line, column, image, defined_at)

    def place(self, block: Token, start: int | None) -> tuple[int, int | None]:
        """The 1-based line and column of `block.content[start]`."""
        first = block.map[0] if block.map else 0
        content = block.content
        if start is None or not 0 <= start < len(content):
            return first + 1, None
        if id(block) in self.cells:
            cell = self.cells[id(block)]
            if cell is None:
                return first + 1, None
            at, escaped = cell
            return first + 1, at + start + content.count("|", 0, start) * escaped + 1
        shift = self._shift(block, bisect_right(self._starts(block), start) - 1)
        if shift is None or start + shift[1] < 0:
            return first + 1, None
        return shift[0] + 1, start + shift[1] + 1

    def _starts(self, block: Token) -> list[int]:
        """Where each line of the block's text starts in it."""
        starts = self.line_starts.get(id(block))
        if starts is None:
            starts, at = [0], block.content.find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = block.content.find("\n", at + 1)
            self.line_starts[id(block)] = starts
        return starts

    def _shift(self, block: Token, index: int) -> tuple[int, int] | None:
        """The 0-based body line of line `index` of the block's text, and what to add to a place in the text to have
        its column on that line (0-based); None when the line, less its indentation, does not end that line."""
        key = (id(block), index)
        if key in self.shifts:
            return self.shifts[key]
        starts, content = self._starts(block), block.content
        begin = starts[index]
        text = content[begin:starts[index + 1] - 1] if index + 1 < len(starts) else content[begin:]
        kept = text.strip()
        first = block.map[0] if block.map else 0
        missing = (block.map[1] - first - len(starts)) if block.map else 0
        shift = None
        # The text's lines are the block's, in order; when it has fewer (a task list item whose first line held
        # only its `[ ]`), they are the block's last ones.
        for number in (first + index, first + index + missing) if missing > 0 else (first + index,):
            line = self.lines[number].rstrip() if number < len(self.lines) else ""
            if kept and line.endswith(kept):
                shift = number, len(line) - len(kept) - (begin + len(text) - len(text.lstrip()))
                break
        self.shifts[key] = shift
        return shift

    def find_cell(self, cell: Token) -> None:
        """Find a table cell's text in its row, after the cells before it."""
        self.cells[id(cell)] = None
        if not cell.map or cell.map[0] >= len(self.lines):
            return
        row, content = cell.map[0], cell.content
        line, after = self.lines[row], self.row_ends.get(row, 0)
        escaped = 0
        at = line.find(content, after)
        if at < 0 and "|" in content:  # markdown-it took the backslash out of an escaped pipe
            content, escaped = content.replace("|", "\\|"), 1
            at = line.find(content, after)
        if at >= 0:
            self.cells[id(cell)] = (at, escaped)
            self.row_ends[row] = at + len(content)


_URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "poster", "data"})
_IMAGE_ATTRIBUTES = {("img", "src"), ("img", "srcset"), ("source", "srcset"), ("video", "poster"),
                     ("input", "src")}


def _html_urls(text: str) -> list[tuple[int, str, bool]]:
    """The URLs in the attributes of the tags in raw HTML (href, src, each of a srcset, poster, data): where each
    starts in `text`, the URL, and whether it is an image."""
    text = text[:text.rfind(">") + 1]  # after the last '>' no tag ends; html.parser would look for one from every '<'
    lowered = text.lower()
    if "=" not in text or not any(name in lowered for name in _URL_ATTRIBUTES):
        return []
    parser = _UrlAttributes()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # html.parser is lenient; whatever it still refuses has no links worth checking
        pass
    return parser.found


class _UrlAttributes(HTMLParser):
    """Collects `_html_urls`. The parser gives each tag's attributes and where the tag starts; where a value starts
    is read from the tag's text, stepping over each attribute in the order the parser found them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, bool]] = []
        self.line_starts = [0]

    def feed(self, data: str) -> None:
        at = data.find("\n")
        while at >= 0:
            self.line_starts.append(at + 1)
            at = data.find("\n", at + 1)
        super().feed(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not any(name in _URL_ATTRIBUTES for name, _ in attrs):
            return
        line, offset = self.getpos()
        tag_start = self.line_starts[min(line, len(self.line_starts)) - 1] + offset
        raw_values = _raw_values(self.get_starttag_text() or "", len(tag) + 1)
        for (name, value), (at, raw) in zip(attrs, raw_values, strict=False):
            if name not in _URL_ATTRIBUTES or value is None:
                continue
            image = (tag, name) in _IMAGE_ATTRIBUTES
            for offset_in_value, url in _srcset(value) if name == "srcset" else [(0, value)]:
                if at is None or html.unescape(raw) != value:  # not where it was looked for: the tag's '<'
                    where = tag_start
                else:
                    where = tag_start + at + (offset_in_value if raw == value else 0)
                if url.strip():
                    self.found.append((where, url.strip(), image))


def _raw_values(tag: str, at: int) -> Iterator[tuple[int | None, str]]:
    """Where each attribute's value starts in a tag's text, and the value as written (not unescaped), in order;
    (None, '') for an attribute without a value. The steps are those of html.parser's own attribute pattern."""
    end = len(tag)
    while at < end:
        while at < end and (tag[at].isspace() or tag[at] == "/"):
            at += 1
        if at >= end or tag[at] == ">":
            return
        at += 1
        while at < end and not tag[at].isspace() and tag[at] not in "/=>":
            at += 1
        after_name = at
        while at < end and tag[at].isspace():
            at += 1
        if at >= end or tag[at] != "=":
            at = after_name
            yield None, ""
            continue
        while at < end and tag[at] == "=":
            at += 1
        while at < end and tag[at].isspace():
            at += 1
        if at < end and tag[at] in "\"'":
            close = tag.find(tag[at], at + 1)
            close = end if close < 0 else close
            yield at + 1, tag[at + 1:close]
            at = close + 1
        else:
            value_start = at
            while at < end and not tag[at].isspace() and tag[at] != ">":
                at += 1
            yield value_start, tag[value_start:at]


def _srcset(value: str) -> list[tuple[int, str]]:
    """The URLs of a srcset ('a.jpg 1x, b.jpg 2x') with where each starts in it."""
    found = []
    at, end = 0, len(value)
    while at < end:
        while at < end and (value[at].isspace() or value[at] == ","):
            at += 1
        start = at
        while at < end and not value[at].isspace():
            at += 1
        url = value[start:at]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            comma = value.find(",", at)
            at = end if comma < 0 else comma
        if url:
            found.append((start, url))
    return found
