"""The old generators' own markup in a Markdown body (Liquid tags, Hugo shortcodes, kramdown attribute lists)
converted to Markdown or HTML, and every tag that has no such meaning flagged and made inert.

One pass from left to right: fenced code blocks and code spans are copied as written (they show tags, they do not
use them), a tag with a meaning is replaced, any other is put in a code span and noted. Every search for an end
(`%}`, `{% endraw %}`, a closing backtick run) is remembered, so the pass stays linear on hostile input."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from .model import Note

Flavor = Literal["liquid", "hugo", "nunjucks"]
Resolve = Callable[[str], str | None]
"""A reference to another post as the old blog wrote it ('2010-07-21-name' for Jekyll's post_url, 'posts/x.md' for
Hugo's ref) -> that post's old URL, or None when there is no such post."""

MAX_TAG = 4096
"""The longest tag read as one; an opener whose end lies further (or past a blank line) is left unterminated."""
_FENCE = r"(?m:^)(?P<indent>[ \t>]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})"
_CANDIDATES = {
    "liquid": re.compile(_FENCE + r"|(?P<ticks>`+)|(?P<tag>\{[%{:#])"),
    "nunjucks": re.compile(_FENCE + r"|(?P<ticks>`+)|(?P<tag>\{[%{#])"),
    "hugo": re.compile(_FENCE + r"|(?P<ticks>`+)|(?P<tag>\{\{[<%]|\{[.#])"),
}
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")
_RUNS = re.compile(r"`+")
_SPACES = re.compile(r"[ \t]*")
_LINE_END = re.compile(r"[ \t]{0,64}(?:\r?\n|$)")
_RAW_MARKER = re.compile(r"\{%-?\s*(?:end)?(?:raw|verbatim)\s*-?%\}")
_LIQUID_ARG = re.compile(r"""\s*([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"']+)""")
_HUGO_ARG = re.compile(r'\s*(?:([A-Za-z_][\w-]*)=)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)')
_ATTR = re.compile(r"""\s*(?:\.([\w-]+)|#([\w-]+)|([A-Za-z_:][\w:.-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+)))""")
_IMAGE = re.compile(r'!\[([^\]\n]*)\]\(([^()\s]+)(?:\s+"([^"\n]*)")?\)')
_LINK = re.compile(r'\[([^\]\n]*)\]\(([^()\s]+)(?:\s+"([^"\n]*)")?\)')
_LIST_ITEM = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}\.)[ \t]+\S.*")
_YOUTUBE_ID = re.compile(r"[\w-]{6,20}")
_YOUTUBE_URL = re.compile(r"(?:youtu\.be/|[?&]v=|/embed/)([\w-]{6,20})")
_SITE_URL = re.compile(r"site\.(?:baseurl|url|github\.url)")
_IAL = re.compile(r"\{:(:?)([^{}\n]{0,500})\}")
_BRACED = re.compile(r"\{([.#][^{}\n]{0,500})\}")
_URL_FILTER = re.compile(r"""(["'])([^"'\s]*)\1\s*\|\s*(?:relative_url|absolute_url|url|prepend:\s*site\.baseurl)""")


class _Scan:
    """The state of one conversion: the body, the output so far, the notes, and the remembered searches."""

    def __init__(self, body: str, flavor: Flavor, path: Path, body_line: int, resolve: Resolve) -> None:
        self.body, self.flavor, self.path, self.body_line, self.resolve = body, flavor, path, body_line, resolve
        self.out: list[str] = []
        self.notes: list[Note] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", body)]
        self.found: dict[str | re.Pattern[str], tuple[int, int, int]] = {}
        self.indents: dict[int, int] = {}
        self.runs_limit = -1
        self.runs: dict[int, list[int]] = {}
        self.run_cursor: dict[int, int] = {}
        self.open_details = 0

    def note(self, pos: int, message: str) -> None:
        index = bisect_right(self.line_starts, pos) - 1
        self.notes.append(Note(self.path, message, self.body_line + index, pos - self.line_starts[index] + 1))

    def find(self, key: str | re.Pattern[str], pos: int) -> tuple[int, int]:
        """(start, end) of the next `key` at or after `pos`, or (-1, -1). The scan only moves forward, so a search
        made from an earlier place answers for any place up to what it found."""
        searched_from, start, end = self.found.get(key, (len(self.body) + 1, -1, -1))
        if searched_from <= pos and (start >= pos or start == -1):
            return start, end
        if isinstance(key, str):
            start = self.body.find(key, pos)
            end = start + len(key) if start >= 0 else -1
        else:
            match = key.search(self.body, pos)
            start, end = (match.start(), match.end()) if match else (-1, -1)
        self.found[key] = (pos, start, end)
        return start, end

    def paragraph_end(self, pos: int) -> int:
        start, _ = self.find(_BLANK_LINE, pos)
        return len(self.body) if start < 0 else start

    def closer(self, pos: int, key: str) -> int:
        """The start of `key` closing a tag opened at `pos`, or -1 when it is too far or past a blank line."""
        start, _ = self.find(key, pos)
        if start < 0 or start - pos > MAX_TAG or start > self.paragraph_end(pos):
            return -1
        return start

    def line_start(self, pos: int) -> int:
        return self.line_starts[bisect_right(self.line_starts, pos) - 1]

    def first_text(self, pos: int) -> int:
        """Where the text of `pos`'s line starts, after its indentation."""
        index = bisect_right(self.line_starts, pos) - 1
        if index not in self.indents:
            line = self.line_starts[index]
            self.indents[index] = _SPACES.match(self.body, line).end()  # type: ignore[union-attr]
        return self.indents[index]

    def starts_line(self, pos: int) -> bool:
        """Only spaces before `pos` on its line."""
        return pos <= self.first_text(pos)

    def ends_line(self, pos: int) -> bool:
        return _LINE_END.match(self.body, pos) is not None

    def emit(self, text: str) -> None:
        self.out.append(text)


def convert_markup(body: str, flavor: Flavor, path: Path, body_line: int,
                   resolve: Resolve) -> tuple[str, list[Note]]:
    """`body` with the template tags of `flavor` converted; a note (at its file line) for each one not converted."""
    scan = _Scan(body, flavor, path, body_line, resolve)
    pattern = _CANDIDATES[flavor]
    pos = 0
    while (match := pattern.search(body, pos)) is not None:
        start = match.start("fence") - len(match.group("indent")) if match.group("fence") else match.start()
        scan.emit(body[pos:start])
        if match.group("fence"):
            scan.emit(match.group("indent"))
            pos = _fenced_code(scan, match.start("fence"), match.group("fence"))
        elif match.group("ticks"):
            pos = _code_span(scan, start, len(match.group("ticks")))
        else:
            pos = _tag(scan, start, match.group("tag"))
    scan.emit(body[pos:])
    for _ in range(scan.open_details):
        scan.note(len(body), "a details shortcode is not closed: closed at the end of the post")
        scan.emit("\n\n</details>\n")
    return "".join(scan.out), scan.notes


def _fenced_code(scan: _Scan, start: int, fence: str) -> int:
    """Copy a fenced code block as written (a backtick fence whose info string has a backtick is a code span)."""
    body = scan.body
    line_end = body.find("\n", start)
    line_end = len(body) if line_end < 0 else line_end
    if fence[0] == "`" and "`" in body[start + len(fence):line_end]:
        return _code_span(scan, start, len(fence))
    closing = re.compile(rf"^[ \t>]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*\r?$", re.M)
    _, end = scan.find(closing, line_end + 1) if line_end < len(body) else (-1, -1)
    end = len(body) if end < 0 else end
    scan.emit(_literal_code(body[start:end], scan.flavor))
    return end


def _code_span(scan: _Scan, start: int, length: int) -> int:
    """Copy a code span as written; a backtick run that closes nothing is text."""
    if start >= scan.runs_limit:
        scan.runs_limit = scan.paragraph_end(start)
        scan.runs, scan.run_cursor = {}, {}
        for run in _RUNS.finditer(scan.body, start, scan.runs_limit):
            scan.runs.setdefault(len(run.group()), []).append(run.start())
    runs, cursor = scan.runs.get(length, []), scan.run_cursor.get(length, 0)
    while cursor < len(runs) and runs[cursor] <= start:
        cursor += 1
    scan.run_cursor[length] = cursor
    if cursor == len(runs):
        scan.emit("`" * length)
        return start + length
    end = runs[cursor] + length
    scan.run_cursor[length] = cursor + 1
    scan.emit(_literal_code(scan.body[start:end], scan.flavor))
    return end


def _literal_code(code: str, flavor: Flavor) -> str:
    """Code as the old blog showed it: Liquid's raw markers and Hugo's `{{</* */>}}` escapes taken out."""
    if flavor == "hugo":
        for escaped, plain in (("{{</*", "{{<"), ("*/>}}", ">}}"), ("{{%/*", "{{%"), ("*/%}}", "%}}")):
            code = code.replace(escaped, plain)
        return code
    return _RAW_MARKER.sub("", code) if "{%" in code else code


def _inert(text: str) -> str:
    """`text` as a code span, so it shows as written and means nothing (a tag's lines joined)."""
    text = " ".join(text.splitlines())
    longest = max((len(m.group()) for m in _RUNS.finditer(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fence(code: str, info: str) -> str:
    """A fenced code block longer than any backtick run in `code`, so nothing in it can close it."""
    longest = max((len(m.group()) for m in _RUNS.finditer(code)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{code}\n{ticks}" if code else f"{ticks}{info}\n{ticks}"


def _leave(scan: _Scan, start: int, end: int, message: str) -> int:
    text = scan.body[start:end]
    scan.note(start, f"{_shown(text)} {message}")
    scan.emit(_inert(text))
    return end


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _tag(scan: _Scan, start: int, opener: str) -> int:
    if opener in ("{{<", "{{%"):
        return _shortcode(scan, start, opener)
    if opener in ("{.", "{#") and scan.flavor != "nunjucks":
        return _attribute_line(scan, start)
    if opener == "{#":
        return _block_comment(scan, start)
    if opener == "{:":
        return _kramdown(scan, start)
    closing = "%}" if opener == "{%" else "}}"
    close = scan.closer(start + 2, closing)
    if 0 <= scan.find(opener, start + 2)[0] < close:
        close = -1  # another tag opens first: this one is broken
    if close < 0:
        return _leave(scan, start, start + 2, f"is not closed by {closing}: left as text")
    inner = scan.body[start + 2:close].strip("-").strip()
    end = close + 2
    if opener == "{{":
        return _expression(scan, start, end, inner)
    return _liquid(scan, start, end, inner)


def _block_comment(scan: _Scan, start: int) -> int:
    """Nunjucks' `{# ... #}`: removed, with a note."""
    close, end = scan.find("#}", start + 2)
    if close < 0 or close - start > 100 * MAX_TAG:
        return _leave(scan, start, start + 2, "is not closed by #}: left as text")
    scan.note(start, "a {# comment #} was removed")
    return end


def _expression(scan: _Scan, start: int, end: int, inner: str) -> int:
    """`{{ site.baseurl }}` and a literal path through `relative_url` become the path; any other output is noted."""
    if _SITE_URL.fullmatch(inner):
        return end
    literal = _URL_FILTER.fullmatch(inner)
    if literal:
        value = literal.group(2)
        scan.emit(value if value.startswith("/") or "://" in value else "/" + value)
        return end
    return _leave(scan, start, end, "is not converted (sitegen has no template output in posts): left as code")


def _liquid(scan: _Scan, start: int, end: int, inner: str) -> int:
    name, _, args = inner.partition(" ")
    args = args.strip()
    if name in ("raw", "verbatim"):
        close, close_end = scan.find(re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}"), end)
        if close < 0:
            return _leave(scan, start, end, f"has no {{% end{name} %}}: left as text")
        scan.emit(scan.body[end:close])
        return close_end
    if name == "comment":
        close, close_end = scan.find(re.compile(r"\{%-?\s*endcomment\s*-?%\}"), end)
        if close < 0:
            return _leave(scan, start, end, "has no {% endcomment %}: left as text")
        scan.note(start, "a {% comment %} block was removed")
        return close_end
    if name == "highlight":
        close, close_end = scan.find(re.compile(r"\{%-?\s*endhighlight\s*-?%\}"), end)
        if close < 0:
            return _leave(scan, start, end, "has no {% endhighlight %}: left as text")
        language = args.split()[0].strip("\"'") if args else ""
        return _code_block(scan, start, end, close, close_end, language)
    if name in ("link", "post_url"):
        return _reference(scan, start, end, args)
    if name in ("youtube", "vimeo"):
        return _video(scan, start, end, name, args.strip("\"'"))
    if name == "gist" and args:
        user_id, _, file = args.partition(" ")
        return _gist(scan, end, user_id.strip("\"'").split("/"), file.strip("\"'"))
    if name == "include":
        return _include(scan, start, end, args)
    return _leave(scan, start, end, "is not converted: left as code")


def _include(scan: _Scan, start: int, end: int, args: str) -> int:
    file, _, rest = args.partition(" ")
    params = {m.group(1): m.group(2).strip("\"'") for m in _LIQUID_ARG.finditer(rest)}
    if file.startswith("toc"):
        scan.note(start, f"{_shown(scan.body[start:end])} was removed: sitegen's theme makes the table of contents")
        return _skip_line(scan, start, end)
    provider = params.get("provider", "youtube" if "youtube" in file else "vimeo" if "vimeo" in file else "")
    video = params.get("id") or params.get("video_id") or (rest.split()[0].strip("\"'") if rest.split() else "")
    if provider in ("youtube", "vimeo") and (file.startswith(("video", "youtube", "vimeo"))):
        return _video(scan, start, end, provider, video)
    return _leave(scan, start, end, "is not converted (sitegen has no includes in posts): left as code")


def _reference(scan: _Scan, start: int, end: int, target: str) -> int:
    target = target.strip("\"'")
    ref, hash_, anchor = target.partition("#")
    url = scan.resolve(ref) if ref else ""
    if url is None:
        return _leave(scan, start, end, "names no post of the old blog: left as code")
    scan.emit(url + hash_ + anchor)
    return end


def _video(scan: _Scan, start: int, end: int, provider: str, video: str) -> int:
    if provider == "youtube":
        found = _YOUTUBE_URL.search(video)
        video = found.group(1) if found else video
        if not _YOUTUBE_ID.fullmatch(video):
            return _leave(scan, start, end, "has no YouTube video id: left as code")
        src, title = f"https://www.youtube-nocookie.com/embed/{video}", "YouTube video"
    else:
        video = video.rstrip("/").rsplit("/", 1)[-1]
        if not video.isdigit():
            return _leave(scan, start, end, "has no Vimeo video id: left as code")
        src, title = f"https://player.vimeo.com/video/{video}?dnt=1", "Vimeo video"
    return _block_html(scan, start, end, f'<iframe src="{src}" title="{title}" width="560" height="315" '
                       'allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>')


def _gist(scan: _Scan, end: int, parts: list[str], file: str) -> int:
    path = "/".join(html.escape(p, quote=True) for p in parts if p)
    anchor = "#file-" + re.sub(r"[^\w-]", "-", file).lower() if file else ""
    scan.emit(f"[gist {path}{' ' + file if file else ''}](https://gist.github.com/{path}{anchor})")
    return end


def _block_html(scan: _Scan, start: int, end: int, markup: str) -> int:
    """HTML for a tag; alone on its line, it is kept apart from the next line (an HTML block runs to a blank)."""
    scan.emit(markup)
    if scan.starts_line(start) and re.match(r"[ \t]*\n[ \t]*\S", scan.body[end:end + 200]):
        scan.emit("\n")
    return end


def _code_block(scan: _Scan, start: int, end: int, close: int, close_end: int, language: str) -> int:
    """A highlight block as a fenced code block, on lines of its own, indented like the tag."""
    code = scan.body[end:close]
    code = code[1:] if code.startswith("\n") else code[2:] if code.startswith("\r\n") else code
    last = code.rfind("\n")
    if last >= 0 and code[last:].strip() == "":
        code = code[:last].rstrip("\r")
    language = language if re.fullmatch(r"[\w+#.-]{1,40}", language) else ""
    at_line_start = scan.starts_line(start)
    indent = scan.body[scan.line_start(start):start] if at_line_start else ""
    fence = _fence(_literal_code(code, scan.flavor), language)
    closing = fence.rindex("\n") + 1  # the code's own lines keep the indentation they have
    scan.emit(("" if at_line_start else "\n") + fence[:closing] + indent + fence[closing:])
    if not scan.ends_line(close_end):
        scan.emit("\n")
    return close_end


def _skip_line(scan: _Scan, start: int, end: int) -> int:
    """Drop a removed tag's whole line when it stood alone on it."""
    if scan.starts_line(start) and scan.ends_line(end):
        _drop(scan.out, start - scan.line_start(start))
        newline = scan.body.find("\n", end)
        return len(scan.body) if newline < 0 else newline + 1
    return end


def _tail(out: list[str], limit: int) -> str:
    """The last `limit` characters of the output (or fewer, at its start)."""
    parts: list[str] = []
    size = 0
    for piece in reversed(out):
        parts.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return "".join(reversed(parts))[-limit:] if limit else ""


def _drop(out: list[str], count: int) -> None:
    """Take the last `count` characters off the output."""
    while count > 0 and out:
        piece = out.pop()
        if len(piece) > count:
            out.append(piece[:-count])
            return
        count -= len(piece)



def _shortcode(scan: _Scan, start: int, opener: str) -> int:
    """A Hugo shortcode, `{{< name args >}}` or `{{% name args %}}`; `{{</* name */>}}` is a shown one."""
    body, kind = scan.body, opener[2]
    mark = ">" if kind == "<" else "%"
    if body.startswith("/*", start + 3):
        closing = "*/" + mark + "}}"
        close = scan.closer(start + 5, closing)
        if close < 0:
            return _leave(scan, start, start + 5, f"is not closed by {closing}: left as text")
        scan.emit(_inert("{{" + kind + body[start + 5:close] + mark + "}}"))
        return close + len(closing)
    close = scan.closer(start + 3, mark + "}}")
    if close < 0:
        return _leave(scan, start, start + 3, f"is not closed by {mark}}}}}: left as text")
    end, inner = close + 3, body[start + 3:close].strip()
    if inner.startswith("/"):
        if inner[1:].strip() == "details" and scan.open_details:
            scan.open_details -= 1
            return _block_html(scan, start, end, "\n\n</details>")
        return _leave(scan, start, end, "closes no shortcode that was converted: left as code")
    name, _, rest = inner.partition(" ")
    parsed = _hugo_args(rest)
    if parsed is None:
        return _leave(scan, start, end, "has arguments that cannot be read: left as code")
    positional, named = parsed

    def arg(key: str, index: int) -> str:
        return named.get(key) or (positional[index] if len(positional) > index else "")

    if name == "highlight":
        close, close_end = scan.find(re.compile(r"\{\{[<%]\s*/\s*highlight\s*[>%]\}\}"), end)
        if close < 0:
            return _leave(scan, start, end, "has no {{< /highlight >}}: left as text")
        return _code_block(scan, start, end, close, close_end, arg("lang", 0))
    if name == "figure" and named.get("src"):
        return _block_html(scan, start, end, _figure(named))
    if name in ("youtube", "vimeo"):
        return _video(scan, start, end, name, arg("id", 0))
    if name == "gist" and (len(positional) >= 2 or named.get("id")):
        return _gist(scan, end, [arg("user", 0), arg("id", 1)], arg("file", 2))
    if name in ("ref", "relref"):
        return _reference(scan, start, end, arg("path", 0))
    if name in ("x", "tweet", "twitter", "instagram"):
        return _post_link(scan, start, end, name, positional, named)
    if name == "details":
        if scan.find(re.compile(r"\{\{[<%]\s*/\s*details\s*[>%]\}\}"), end)[0] < 0:
            return _leave(scan, start, end, "has no {{< /details >}}: left as code")
        scan.open_details += 1
        is_open = " open" if named.get("open", "").lower() == "true" else ""
        summary = html.escape(" ".join((arg("summary", 0) or "Details").split()))
        scan.emit(f"<details{is_open}>\n<summary>{summary}</summary>\n\n")
        return end
    if name == "param":
        return _leave(scan, start, end, "is not converted (a site parameter): left as code")
    return _leave(scan, start, end, "is not converted: left as code")


def _hugo_args(text: str) -> tuple[list[str], dict[str, str]] | None:
    """A shortcode's positional and named arguments (values quoted with " or `, or bare), or None."""
    positional: list[str] = []
    named: dict[str, str] = {}
    pos = 0
    while text[pos:].strip():
        match = _HUGO_ARG.match(text, pos)
        if match is None:
            return None
        value = match.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif value.startswith("`"):
            value = value[1:-1]
        if match.group(1):
            named[match.group(1)] = value
        else:
            positional.append(value)
        pos = match.end()
    return positional, named


def _attrs_html(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{html.escape(" ".join(v.split()), quote=True)}"' for k, v in attrs.items() if v)


def _figure(named: dict[str, str]) -> str:
    """Hugo's figure shortcode as the HTML it made, every value escaped."""
    image = _attrs_html({"src": named["src"], "alt": named.get("alt", ""), "width": named.get("width", ""),
                         "height": named.get("height", "")})
    picture = f"<img{image}>"
    if named.get("link"):
        picture = f"<a{_attrs_html({'href': named['link'], 'target': named.get('target', '')})}>{picture}</a>"
    caption = ""
    if named.get("title"):
        caption += f"<h4>{html.escape(named['title'])}</h4>"
    if named.get("caption"):
        caption += f"<p>{html.escape(named['caption'])}</p>"
    caption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure{_attrs_html({'class': named.get('class', '')})}>{picture}{caption}</figure>"


def _post_link(scan: _Scan, start: int, end: int, name: str, positional: list[str], named: dict[str, str]) -> int:
    """An embedded X or Instagram post as a plain link to it (no remote script)."""
    post = named.get("id") or (positional[-1] if positional else "")
    if name == "instagram":
        post = named.get("id") or (positional[0] if positional else "")
        if not re.fullmatch(r"[\w-]{1,64}", post):
            return _leave(scan, start, end, "has no Instagram post id: left as code")
        scan.emit(f"[Instagram post](https://www.instagram.com/p/{post}/)")
        return end
    user = named.get("user") or (positional[0] if len(positional) == 2 else "")
    if not re.fullmatch(r"\d{1,30}", post) or not re.fullmatch(r"\w{0,30}", user):
        return _leave(scan, start, end, "has no post id: left as code")
    by = f" by @{user}" if user else ""
    scan.emit(f"[Post{by} on X](https://x.com/{user or 'i'}/status/{post})")
    return end


def _kramdown(scan: _Scan, start: int) -> int:
    """kramdown's `{: attributes}`, `{:toc}`, `{::comment}`, `{::nomarkdown}`, `{::options /}`."""
    match = _IAL.match(scan.body, start)
    if match is None:
        scan.emit("{:")
        return start + 2
    end, content = match.end(), match.group(2).strip()
    written = match.group()
    if match.group(1):
        name = content.rstrip("/").split()[0] if content.rstrip("/").split() else ""
        if name in ("comment", "nomarkdown") and not content.endswith("/"):
            close, close_end = scan.find(re.compile(r"\{:/(?:" + name + r")?\}"), end)
            if close < 0:
                return _leave(scan, start, end, f"has no {{:/{name}}}: left as text")
            if name == "nomarkdown":
                scan.note(start, "{::nomarkdown} markers removed: the HTML inside is kept as written")
                scan.emit(scan.body[end:close])
                return close_end
            scan.note(start, "a {::comment} block was removed")
            return _skip_line(scan, start, close_end)
        if name == "options":
            scan.note(start, f"{_shown(written)} was removed: it set kramdown's options")
            return _skip_line(scan, start, end)
        return _leave(scan, start, end, "is not converted: left as code")
    if content == "toc":
        scan.note(start, "{:toc} was removed: sitegen's theme makes the table of contents")
        if scan.starts_line(start) and scan.ends_line(end):
            lines = _tail(scan.out, 1000).split("\n")
            if len(lines) >= 2 and _LIST_ITEM.fullmatch(lines[-2]):
                _drop(scan.out, len(lines[-2]) + 1)
        return _skip_line(scan, start, end)
    if re.match(r"[\w-]+:", content):
        scan.note(start, f"{_shown(written)} was removed: sitegen has no attribute definitions")
        return _skip_line(scan, start, end)
    return _attributes(scan, start, end, written, _parse_attrs(content))


def _attribute_line(scan: _Scan, start: int) -> int:
    """`{.class}` or `{#id}` (Hugo's block attributes; a heading id in both Hugo and kramdown) ending its line."""
    match = _BRACED.match(scan.body, start)
    if match is None or not scan.ends_line(match.end()):
        scan.emit(scan.body[start:start + 2])
        return start + 2
    end, written = match.end(), match.group()
    if not scan.starts_line(start) and scan.body.startswith("#", scan.first_text(start)):
        scan.note(start, f"{written} was removed: sitegen makes heading ids from the heading's text")
        before = _tail(scan.out, 64)
        _drop(scan.out, len(before) - len(before.rstrip(" \t")))
        return end
    if scan.flavor == "hugo" and scan.starts_line(start):
        return _attributes(scan, start, end, written, _parse_attrs(match.group(1)))
    scan.emit(scan.body[start:start + 2])
    return start + 2


def _parse_attrs(text: str) -> dict[str, str] | None:
    """`.class #id key="value"` as attributes (classes joined), or None when it holds anything else."""
    attrs: dict[str, str] = {}
    pos = 0
    while text[pos:].strip():
        match = _ATTR.match(text, pos)
        if match is None:
            return None
        klass, ident, key = match.group(1), match.group(2), match.group(3)
        if klass:
            attrs["class"] = f"{attrs['class']} {klass}" if "class" in attrs else klass
        elif ident:
            attrs["id"] = ident
        elif key.lower() not in ("src", "href", "alt") and not key.lower().startswith("on"):
            attrs[key] = next(v for v in match.group(4, 5, 6) if v is not None)
        pos = match.end()
    return attrs


def _attributes(scan: _Scan, start: int, end: int, written: str, attrs: dict[str, str] | None) -> int:
    """An attribute list: on an image (a paragraph of one image) or a link it becomes HTML; otherwise removed."""
    tail = _tail(scan.out, 1000)
    if scan.starts_line(start) and scan.ends_line(end):
        lines = tail.split("\n")
        image = _IMAGE.fullmatch(lines[-2].strip()) if len(lines) >= 2 else None
        alone = (len(lines) >= 3 and not lines[-3].strip()) or (len(lines) == 2 and len(tail) < 1000)
        if attrs and image and alone:
            _drop(scan.out, len(lines[-1]) + 1 + len(lines[-2]))
            indent = lines[-2][:len(lines[-2]) - len(lines[-2].lstrip())]
            scan.emit(f"{indent}<p{_attrs_html(attrs)}>{_image_html(image, {})}</p>")
            return _block_html(scan, start, end, "")
        scan.note(start, f"{_shown(written)} was removed: sitegen keeps no attributes on Markdown blocks")
        return _skip_line(scan, start, end)
    found = _IMAGE.fullmatch(tail[tail.rfind("!["):]) if "![" in tail else None
    if attrs and found:
        _drop(scan.out, len(found.group()))
        scan.emit(_image_html(found, attrs))
        return end
    found = _LINK.fullmatch(tail[tail.rfind("["):]) if "[" in tail else None
    if attrs and found:
        _drop(scan.out, len(found.group()))
        link = {"href": found.group(2), "title": found.group(3) or "", **attrs}
        scan.emit(f"<a{_attrs_html(link)}>{found.group(1)}</a>")
        return end
    scan.note(start, f"{_shown(written)} was removed: sitegen keeps no attributes on Markdown text")
    return end


def _image_html(image: re.Match[str], attrs: dict[str, str]) -> str:
    alt, src, title = image.group(1), image.group(2), image.group(3) or ""
    return f"<img{_attrs_html({'src': src, 'alt': alt, 'title': title, **attrs})}>"
