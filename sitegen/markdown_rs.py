"""An optional accelerator for `markdown.render_markdown`: markdown-it-pyrs (markdown-it ported to Rust) parses, and
its syntax tree is walked here into exactly the HTML, table of contents, links and summary that sitegen's
markdown-it-py parser gives. markdown-it-py defines the output: wherever this module is not sure to match it (footnotes,
alerts, reference definitions, character references, GFM bare links, deep nesting, constructs the two parsers read
differently), `render_tree` returns None and the caller uses markdown-it-py.
`tests/test_markdown_accel.py` holds the two roads to the same bytes.

Knows nothing of `markdown.py` (which imports it): what it finds is handed back as plain values."""

from __future__ import annotations

import os
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .text import slugify

if TYPE_CHECKING:
    from markdown_it_pyrs import MarkdownIt, Node

ENVIRONMENT = "SITEGEN_MARKDOWN"
"""`SITEGEN_MARKDOWN=python` makes every document take markdown-it-py, the reference parser."""
TESTED_VERSION = "0.4."
"""The markdown-it-pyrs releases the differential tests passed with; any other is not used."""
MORE_MARKER = "<!--more-->"
MAX_DEPTH = 40
"""Blocks nested deeper than this go to markdown-it-py, which alone knows where it stops (`markdown.too_deep`)."""

_REFUSE_TEXT = ("&#",  # character references: markdown.py cleans what they decode to, token by token
                "[^",  # footnotes
                "[!",  # GitHub alerts (`> [!NOTE]`)
                "]:",  # reference definitions (a link's `defined_at`; labels normalised by each parser its own way)
                "\\|",  # escaped pipes (in tables markdown-it-py and markdown-it-pyrs disagree)
                "\r", "\0", "\x0b", "\x0c", "\u2028", "\u2029", "\x85")  # what the parsers normalise differently
_ODD_TILDES = re.compile(r"(?<!~)(?:~|~~~+)(?!~)")
"""A run of tildes that is not a strikethrough pair: the two parsers pair such runs differently (a `~~~` fence too)."""
"""markdown-it-py's strikethrough takes `~text~`, markdown-it-pyrs's does not."""
_UNICODE_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_AT_EDGE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000](?:[ \t\n]|$)"
                            r"|(?:^|[ \t\n>])[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
"""Unicode spaces beside other spaces or a line's ends: markdown-it-py trims them, markdown-it-pyrs keeps them."""
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_MD_TRIM_CHARS = "".join(chr(c) for c in (*range(0x09, 0x0E), 0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028,
                                           0x2029, 0x202F, 0x205F, 0x3000))
_MD_TRIM = re.compile("[" + re.escape(_MD_TRIM_CHARS) + "]+")
"""markdown-it-py's `mdTrim` set, with which it splits a fence's info string."""
_TASK_START = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]")
_BLOCK_STARTS = frozenset("-+*#>`~<|=_")
_DELIMITER_ROW = re.compile(r"[ \t]*[|:-][|: \t-]*$")
_ORDERED = re.compile(r"\d{1,9}[.)]")
_BARE_LINK = re.compile(r"://|www\.|@", re.I)
"""What may start or hold a GFM bare link (`https://`, `www.`, an email address) in text left unlinked."""
_BLOCKS = frozenset({"paragraph", "heading", "lheading", "blockquote", "bullet_list", "ordered_list", "list_item",
                     "fence", "code_block", "html_block", "hr", "table", "thead", "tbody", "trow", "tcell"})
_TABLE_ALIGN = {"left": ' class="align-left"', "center": ' class="align-center"', "right": ' class="align-right"'}
_TASK_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]+\S")


class Unsupported(Exception):
    """The document holds something this module does not render exactly as markdown-it-py: use markdown-it-py."""


@dataclass(frozen=True, slots=True)
class TreeResult:
    """What `render_tree` found, as plain values (`markdown.render_markdown` makes its dataclasses of them)."""

    html: str
    summary_html: str
    has_more: bool
    headings: tuple[tuple[int, str, str], ...]
    """(level, id, title) of every heading but level 1 headings, in order."""
    links: tuple[tuple[str, int, int | None, bool], ...]
    """(target, 1-based line, 1-based column, is an image), in order."""
    first_heading: str | None


def enabled() -> bool:
    """Whether the accelerator may be used: markdown-it-pyrs importable and not refused by `SITEGEN_MARKDOWN`."""
    return os.environ.get(ENVIRONMENT, "").strip().lower() != "python" and _parser() is not None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt | None:
    try:
        import markdown_it_pyrs
        from markdown_it_pyrs import MarkdownIt
    except ImportError:
        return None
    if not str(getattr(markdown_it_pyrs, "__version__", "")).startswith(TESTED_VERSION):
        return None  # what is refused, and how the tree is read, was found against this version only
    # Not its GFM bare links (`autolink_ext`): in 0.4.0 they count bytes as characters after any non-ASCII letter,
    # and panic on a URL holding one. A document whose text may hold one goes to markdown-it-py (`_BARE_LINK`).
    return MarkdownIt("commonmark").enable_many(["table", "strikethrough", "tasklist"])


def render_tree(source: str, title: str | None, highlight: Callable[[str, str, str], str],
                html_urls: Callable[[str], list[tuple[int, str, bool]]]) -> TreeResult | None:
    """Render a document's Markdown body as `markdown.render_markdown` does, or None when markdown-it-py must.
    `highlight` is the fence highlighter, `html_urls` finds the URLs in raw HTML."""
    parser = _parser()
    if parser is None or refused(source):
        return None
    try:
        tree = _tree(parser, source)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a panic in the Rust code (pyo3's PanicException derives from BaseException)
        return None
    try:
        return _Walk(source, highlight, html_urls).run(tree, title)
    except Unsupported:
        return None


def refused(source: str) -> bool:
    """Whether `source` holds something markdown-it-pyrs is known to read unlike markdown-it-py."""
    if any(text in source for text in _REFUSE_TEXT):
        return True
    if "~" in source and _ODD_TILDES.search(source):
        return True
    if "\t" in source and _tab_before_link(source):
        return True
    if not source.isascii():
        if len(source.encode("utf-16-le", "surrogatepass")) != 2 * len(source):  # outside the BMP (emoji)
            return True
        if _UNICODE_SPACE.search(source) and _SPACE_AT_EDGE.search(source):
            return True
    return ">" in source and _lazy_quote(source)


def _tab_before_link(source: str) -> bool:
    """Whether a line outside fenced code is indented by a tab and may hold a link (`[` or `<`): markdown-it-pyrs
    counts a link's column after such a tab otherwise than markdown-it-py."""
    fence = ""
    for line in source.split("\n"):
        text = line.lstrip(" >")
        if fence:
            if text.startswith(fence) and not text[len(fence):].strip(fence[0]).strip():
                fence = ""
            continue
        if text.startswith(("```", "~~~")):
            fence = text[:len(text) - len(text.lstrip(text[0]))]
            continue
        if text.startswith("\t") and ("[" in text or "<" in text):
            return True
    return False


def _lazy_quote(source: str) -> bool:
    """Whether a quote's line is followed by a lazy continuation line (text without `>`): markdown-it-py and
    markdown-it-pyrs let different blocks interrupt such text."""
    quoted = False
    for line in source.split("\n"):
        text = line.lstrip(" \t")
        if quoted and text and text[0] != ">":
            return True
        quoted = text.startswith(">")
    return False


def _tree(parser: MarkdownIt, source: str) -> Node:
    """markdown-it-pyrs's tree of `source`. It panics on some input (0.4.0: an unclosed code span inside a link's
    text, `[a `b`); Rust's panic hook then writes to the standard error, which is closed meanwhile where that is
    safe: in a process with one thread (a build and its workers). In the preview's server, another thread may be
    writing to it, so a panic's message is let through there."""
    if threading.active_count() > 1:
        return parser.tree(source)
    try:
        saved = os.dup(2)
    except OSError:
        return parser.tree(source)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        return parser.tree(source)
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _escape(text: str) -> str:
    return text.translate(_ESCAPE) if ("&" in text or "<" in text or ">" in text or '"' in text) else text


class _Walk:
    """One document: the tree flattened into markdown-it-py's block tokens, each rendered as its renderer does."""

    def __init__(self, source: str, highlight: Callable[[str, str, str], str],
                 html_urls: Callable[[str], list[tuple[int, str, bool]]]) -> None:
        self.source = source
        self.highlight = highlight
        self.html_urls = html_urls
        self.links: list[tuple[str, int, int | None, bool]] = []
        self.headings: list[tuple[int, str, str]] = []
        self.taken: set[str] = set()
        self.next_number: dict[str, int] = {}
        # (kind, tag, nesting, hidden, attributes, payload): kind "tag" rendered by renderToken, "inline" the
        # rendered inline content, "raw" a block rendered by its own rule.
        self.tokens: list[tuple[str, str, int, bool, str, str]] = []
        self.levels: list[int] = []
        self._offsets: _Offsets | None = None
        self.table_heads: set[int] = set()
        """The 1-based line of each table's header row."""
        self.strip_space = False
        self.in_link = 0
        """The next text follows a task list item's checkbox: its first space is in the checkbox's HTML."""

    # Blocks

    def run(self, root: Node, title: str | None) -> TreeResult:
        self.blocks(root.children, 0, tight=False)
        if "|" in self.source and not _table_heads(self.source) <= self.table_heads:
            raise Unsupported  # a table markdown-it-pyrs does not see (`# |` over `---`)
        tokens, levels = self.tokens, self.levels
        first_heading = self.first_heading
        headings = self.headings
        links = self.links
        if first_heading is not None and (title is None or " ".join(title.split()) == first_heading):
            tokens, levels = tokens[3:], levels[3:]
            links = links[self.first_heading_links:]
        body = _render(tokens)
        if MORE_MARKER in body:
            summary, has_more = body.split(MORE_MARKER, 1)[0].strip(), True
        else:
            summary, has_more = "", False
            for start, token in enumerate(tokens):
                if token[1] == "p" and token[2] == 1 and levels[start] == 0:
                    summary = _render(tokens[start:start + 3]).strip()
                    has_more = summary != body.strip()
                    break
        return TreeResult(body, summary, has_more, tuple(headings), tuple(links), first_heading)

    first_heading: str | None = None
    first_heading_links = 0
    """How many links the leading level 1 heading holds (left out with it)."""

    def push(self, kind: str, tag: str, nesting: int, level: int, attrs: str = "", payload: str = "",
             hidden: bool = False) -> None:
        self.tokens.append((kind, tag, nesting, hidden, attrs, payload))
        self.levels.append(level)

    def blocks(self, nodes: Sequence[Node], level: int, *, tight: bool) -> None:
        if level > MAX_DEPTH:
            raise Unsupported
        pending: list[Node] = []
        for node in nodes:
            name = node.name
            if name not in _BLOCKS:
                pending.append(node)
                continue
            if pending:
                self.hidden_paragraph(pending, level)
                pending = []
            self.block(node, level, tight=tight)
        if pending:
            self.hidden_paragraph(pending, level)

    def hidden_paragraph(self, nodes: list[Node], level: int) -> None:
        """A tight list item's text, whose paragraph markdown-it-pyrs leaves out of the tree."""
        if nodes[0].name == "todo_checkbox":
            raise Unsupported  # a checkbox in a loose list, or not first in its item
        self.push("tag", "p", 1, level, hidden=True)
        self.push("inline", "", 0, level + 1, payload=self.inline(nodes))
        self.push("tag", "p", -1, level, hidden=True)

    def block(self, node: Node, level: int, *, tight: bool) -> None:
        name = node.name
        if name == "paragraph":
            if tight:
                self.hidden_paragraph(list(node.children), level)
                return
            self.push("tag", "p", 1, level)
            self.push("inline", "", 0, level + 1, payload=self.inline(node.children))
            self.push("tag", "p", -1, level)
        elif name in ("heading", "lheading"):
            self.heading(node, level)
        elif name == "blockquote":
            self.push("tag", "blockquote", 1, level)
            self.blocks(node.children, level + 1, tight=False)
            self.push("tag", "blockquote", -1, level)
        elif name in ("bullet_list", "ordered_list"):
            self.a_list(node, level)
        elif name == "fence":
            self.push("raw", "code", 0, level, payload=self.fence(node))
        elif name == "code_block":
            self.push("raw", "code", 0, level, payload=f"<pre><code>{_escape(node.meta['content'])}</code></pre>\n")
        elif name == "html_block":
            content = node.meta["content"]
            self.at_the_open_end(node)
            self.html_links(node, content)
            self.push("raw", "", 0, level, payload=content)
        elif name == "hr":
            self.push("tag", "hr", 0, level)
        elif name == "table":
            self.table(node, level)
        else:
            raise Unsupported

    def heading(self, node: Node, level: int) -> None:
        tag = f"h{node.meta['level']}"
        links = len(self.links)
        inline = self.inline(node.children)
        if len(self.links) > links and node.name == "heading" and node.srcmap is not None \
                and self.offsets.line_text(node.srcmap[0]).rstrip().endswith("#"):
            raise Unsupported  # a closing sequence: markdown-it-py does not place links there
        text = "".join(_heading_text(node.children))
        plain = text.strip()
        if not plain:
            raise Unsupported  # markdown-it-py falls back on the heading's source text
        base = slugify(text) or "section"
        ident, number = base, self.next_number.get(base, 1)
        while ident in self.taken:
            ident, number = f"{base}-{number}", number + 1
        self.next_number[base] = number
        self.taken.add(ident)
        if not self.tokens and tag == "h1":
            self.first_heading = " ".join(plain.split())
            self.first_heading_links = len(self.links)
        elif tag != "h1":
            self.headings.append((int(tag[1]), ident, plain))
        self.push("tag", tag, 1, level, f' id="{_escape(ident)}"')
        self.push("inline", "", 0, level + 1, payload=inline)
        self.push("tag", tag, -1, level)

    def a_list(self, node: Node, level: int) -> None:
        ordered = node.name == "ordered_list"
        tag = "ol" if ordered else "ul"
        attrs = ""
        start = node.meta.get("start", 1) if ordered else 1
        if start != 1:
            attrs = f' start="{start}"'
        items = list(node.children)
        tight = all(child.name != "paragraph" for item in items for child in item.children)
        klass = node.attrs.get("class")
        if klass is not None:
            if klass != "contains-task-list":
                raise Unsupported
            attrs = f' class="{klass}"' + attrs if not ordered else attrs + f' class="{klass}"'
        self.push("tag", tag, 1, level, attrs)
        for item in items:
            self.item(item, level + 1, tight=tight)
        self.push("tag", tag, -1, level)

    def item(self, node: Node, level: int, *, tight: bool) -> None:
        children = list(node.children)
        checkbox = ""
        if children and children[0].name == "todo_checkbox":
            checkbox = self.checkbox(node, children)
            children = children[1:]
        elif node.srcmap is not None and _TASK_START.match(self.source, self.offsets.char(node.srcmap[0])):
            raise Unsupported  # markdown-it-py takes `- [ ]` before a line's end as a task, markdown-it-pyrs does not
        attrs = ""
        if node.attrs:
            if dict(node.attrs) != {"class": "task-list-item"} or not checkbox:
                raise Unsupported
            attrs = ' class="task-list-item"'
        self.push("tag", "li", 1, level, attrs, payload=checkbox)
        self.strip_space = bool(checkbox)
        if not tight and any(child.name not in _BLOCKS for child in children):
            raise Unsupported
        self.blocks(children, level + 1, tight=tight)
        self.push("tag", "li", -1, level)

    def checkbox(self, item: Node, children: list[Node]) -> str:
        """The checkbox markdown-it-py puts after `<li>`; the space after `]` is the text's in markdown-it-pyrs."""
        if item.srcmap is None or len(children) < 2 or children[1].name != "text":
            raise Unsupported
        start = self.offsets.char(item.srcmap[0])
        line_end = self.source.find("\n", start)
        if not _TASK_ITEM.match(self.source[start:line_end if line_end >= 0 else None]):
            raise Unsupported
        text = children[1].meta["content"]
        if len(text) < 2 or text[0] != " " or text[1].isspace() or text[1:2] in _BLOCK_STARTS or text[1:2].isdigit():
            raise Unsupported  # markdown-it-py reads what follows the checkbox as the start of a block
        checked = ' checked=""' if children[0].meta.get("checked") else ""
        return f'<input class="task-list-item-checkbox" disabled="" type="checkbox"{checked}> '

    def at_the_open_end(self, node: Node) -> None:
        """Refuse a block on a last line without a line end: markdown-it-py's content has none, -pyrs's has one."""
        if not self.source.endswith("\n") and (node.srcmap is None or node.srcmap[1] >= len(self.offsets.data)):
            raise Unsupported

    def fence(self, node: Node) -> str:
        self.at_the_open_end(node)
        info = node.meta.get("info") or ""
        if "\\" in info or "&" in info:
            raise Unsupported  # markdown-it-py unescapes the info string
        info = info.strip(_MD_TRIM_CHARS)
        name, attrs = "", ""
        if info:
            parts = _MD_TRIM.split(info, maxsplit=1)
            name = parts[0]
            attrs = parts[1] if len(parts) == 2 else ""
        return self.highlight(node.meta["content"], name, attrs) + "\n"

    def table(self, node: Node, level: int) -> None:
        if node.srcmap is None:
            raise Unsupported
        head = self.offsets.place(node.srcmap[0])[0]
        self.table_heads.add(head)
        above = self.offsets.line_chars[head - 2] if head > 1 else None
        if above is not None and self.source[above:self.offsets.line_chars[head - 1]].strip()[:1] not in ("", "#"):
            raise Unsupported  # a table right under text: markdown-it-py may see that text continue (`> a` over it)
        alignments = node.meta.get("alignments") or []
        self.push("tag", "table", 1, level)
        for part in node.children:
            tag = part.name
            if tag not in ("thead", "tbody"):
                raise Unsupported
            self.push("tag", tag, 1, level + 1)
            for row in part.children:
                if tag == "tbody":
                    self.check_row(row)
                self.push("tag", "tr", 1, level + 2)
                cell_tag = "th" if tag == "thead" else "td"
                for index, cell in enumerate(row.children):
                    align = alignments[index] if index < len(alignments) else "none"
                    attrs = _TABLE_ALIGN.get(align, "")
                    self.push("tag", cell_tag, 1, level + 3, attrs)
                    self.push("inline", "", 0, level + 4, payload=self.inline(cell.children))
                    self.push("tag", cell_tag, -1, level + 3)
                self.push("tag", "tr", -1, level + 2)
            self.push("tag", tag, -1, level + 1)
        self.push("tag", "table", -1, level)

    def check_row(self, row: Node) -> None:
        """Refuse a table body row without a pipe or that opens with a block's marker: markdown-it-py ends the table
        before such a line (a list, a quote, a heading...), markdown-it-pyrs takes it as a row."""
        if row.srcmap is None:
            raise Unsupported
        line = self.offsets.line_text(row.srcmap[0]).lstrip()
        if "|" not in line or line[:1] in "-+*>#`~<" or _ORDERED.match(line):
            raise Unsupported

    # Inline

    def inline(self, nodes: Sequence[Node]) -> str:
        out: list[str] = []
        self._inline(nodes, out)
        return "".join(out)

    def _inline(self, nodes: Sequence[Node], out: list[str]) -> None:
        for node in nodes:
            name = node.name
            if name in ("text", "text_special"):
                content = node.meta["content"]
                if self.strip_space:
                    content, self.strip_space = content[1:], False
                if not self.in_link and name == "text" and _BARE_LINK.search(content):
                    raise Unsupported  # a bare link markdown-it-py's GFM rules may make (see `_parser`)
                out.append(_escape(content))
            elif name == "softbreak":
                out.append("\n")
            elif name == "hardbreak":
                out.append("<br>\n")
            elif name == "em" or name == "strong":
                out.append(f"<{name}>")
                self._inline(node.children, out)
                out.append(f"</{name}>")
            elif name == "strikethrough":
                out.append("<s>")
                self._inline(node.children, out)
                out.append("</s>")
            elif name == "code_inline":
                out.append(f"<code>{_escape(_code_text(node))}</code>")
            elif name == "link" or name == "autolink":
                url = node.meta["url"]
                title = node.meta.get("title")
                self.place(node, url, image=False)
                out.append(f'<a href="{_escape(url)}"' + (f' title="{_escape(title)}"' if title else "")
                           + ">")
                self.in_link += 1
                self._inline(node.children, out)
                self.in_link -= 1
                out.append("</a>")
            elif name == "image":
                url = node.meta["url"]
                title = node.meta.get("title")
                self.place(node, url, image=True)
                alt = "".join(_alt_text(node.children))
                out.append(f'<img src="{_escape(url)}" alt="{_escape(alt)}"'
                           + (f' title="{_escape(title)}"' if title else "") + ">")
            elif name == "html_inline":
                content = node.meta["content"]
                self.html_links(node, content)
                out.append(content)
            else:
                raise Unsupported

    # Links

    def place(self, node: Node, target: str, *, image: bool) -> None:
        if not target:
            return
        if node.srcmap is None:
            raise Unsupported
        line, column = self.offsets.place(node.srcmap[0])
        self.links.append((target, line, column, image))

    def html_links(self, node: Node, content: str) -> None:
        found = self.html_urls(content)
        if not found:
            return
        if node.srcmap is None:
            raise Unsupported
        start = self.offsets.char(node.srcmap[0])
        if self.source[start:start + len(content)] != content:
            raise Unsupported  # the HTML spans lines of a quote or a list: places would differ
        for at, url, image in found:
            line, column = self.offsets.place_char(start + at)
            self.links.append((url, line, column, image))

    @property
    def offsets(self) -> _Offsets:
        if self._offsets is None:
            self._offsets = _Offsets(self.source)
        return self._offsets


def _render(tokens: Sequence[tuple[str, str, int, bool, str, str]]) -> str:
    """markdown-it-py's `Renderer.render` over the flattened tokens."""
    out: list[str] = []
    count = len(tokens)
    for index, (kind, tag, nesting, hidden, attrs, payload) in enumerate(tokens):
        if kind != "tag":
            out.append(payload)
            continue
        if hidden:
            continue
        result = "\n" if nesting != -1 and index and tokens[index - 1][3] else ""
        result += ("</" if nesting == -1 else "<") + tag + attrs
        need_lf = True
        if nesting == 1 and index + 1 < count:
            following = tokens[index + 1]
            if following[0] == "inline" or following[3] or (following[2] == -1 and following[1] == tag):
                need_lf = False
        out.append(result + (">\n" if need_lf else ">") + payload)
    return "".join(out)


def _table_heads(source: str) -> set[int]:
    """The 1-based lines holding a pipe above a line shaped like a table's delimiter row: where tables may be."""
    found = set()
    lines = source.split("\n")
    for number in range(1, len(lines)):
        if "-" in lines[number] and _DELIMITER_ROW.match(lines[number]) and "|" in lines[number - 1]:
            found.add(number)
    return found


def _heading_text(nodes: Sequence[Node]) -> list[str]:
    """The text markdown-it-py's heading ids and table of contents read: text and code, not images' alt text."""
    found: list[str] = []
    for node in nodes:
        name = node.name
        if name in ("text", "text_special"):
            found.append(node.meta["content"])
        elif name == "code_inline":
            found.append(_code_text(node))
        elif name != "image":
            found.extend(_heading_text(node.children))
    return found


def _alt_text(nodes: Sequence[Node]) -> list[str]:
    """markdown-it-py's `renderInlineAsText`: an image's alt text."""
    found: list[str] = []
    for node in nodes:
        name = node.name
        if name in ("text", "text_special", "html_inline"):
            found.append(node.meta["content"])
        elif name == "code_inline":
            found.append(_code_text(node))
        elif name in ("softbreak", "hardbreak"):
            found.append("\n")
        else:
            found.extend(_alt_text(node.children))
    return found


def _code_text(node: Node) -> str:
    return "".join(child.meta["content"] for child in node.children)


class _Offsets:
    """Byte offsets of markdown-it-pyrs's source map to 1-based lines and columns in characters."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.ascii = source.isascii()
        self.data: bytes = source.encode()
        self.line_chars = [0]
        at = source.find("\n")
        while at >= 0:
            self.line_chars.append(at + 1)
            at = source.find("\n", at + 1)
        if self.ascii:
            self.line_bytes = self.line_chars
        else:
            self.line_bytes = [0]
            at = self.data.find(b"\n")
            while at >= 0:
                self.line_bytes.append(at + 1)
                at = self.data.find(b"\n", at + 1)

    def char(self, offset: int) -> int:
        if self.ascii:
            return offset
        line = bisect_right(self.line_bytes, offset) - 1
        return self.line_chars[line] + len(self.data[self.line_bytes[line]:offset].decode())

    def line_text(self, offset: int) -> str:
        """The source line holding byte `offset`."""
        at = self.char(offset)
        line = bisect_right(self.line_chars, at) - 1
        end = self.source.find("\n", at)
        return self.source[self.line_chars[line]:end if end >= 0 else None]

    def place(self, offset: int) -> tuple[int, int]:
        return self.place_char(self.char(offset))

    def place_char(self, at: int) -> tuple[int, int]:
        line = bisect_right(self.line_chars, at) - 1
        return line + 1, at - self.line_chars[line] + 1


def walk_for_tests(source: str) -> Any:
    """The tree markdown-it-pyrs makes of `source` (for the differential tests' diagnostics)."""
    parser = _parser()
    return None if parser is None else parser.tree(source)
