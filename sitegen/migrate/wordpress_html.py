"""A WordPress post's HTML (`content:encoded`) as Markdown: wpautop for classic-editor text, block comments dropped,
the common shortcodes converted, links to uploads rewritten, and HTML kept where Markdown cannot say it.

bs4 and markdownify are imported when a post is converted, so loading the package does not load them."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bs4 import Tag

Rewrite = Callable[[str], str | None]
"""An URL as the post wrote it -> what the link should become (an asset's target), or None to leave it."""

BLOCKS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
          "blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
          "nav|figure|figcaption|details|menu|summary")
"""WordPress's own list of block-level tags (wpautop's `$allblocks`)."""
KEPT_AS_HTML = ("table", "figure", "iframe", "video", "audio", "object", "embed", "script", "style", "dl")
"""Elements Markdown cannot say; they stay HTML in the Markdown body."""
KNOWN_SHORTCODES = frozenset({"gallery", "audio", "video", "playlist", "caption", "wp_caption", "embed", "code",
                              "sourcecode", "youtube", "vimeo", "googlemaps", "slideshow", "contact-form"})

_PROTECTED = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_MORE = re.compile(r"<!--more(?:\s[^>]*)?-->")
_NEXTPAGE = re.compile(r"<!--nextpage-->")
_SOURCECODE = re.compile(r"\[(sourcecode|code)((?:\s[^\]]*)?)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_CAPTION = re.compile(r"\[(caption|wp_caption)((?:\s[^\]]*)?)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL | re.IGNORECASE)
_EMBED = re.compile(r"\[embed(?:\s[^\]]*)?\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
_LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
_SHORTCODE = re.compile(r"\[([A-Za-z_][\w-]*)((?:\s[^\]\n]*)?)\]")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))""")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_LANGUAGE = re.compile(r"[A-Za-z0-9_+#.-]{1,40}")


def convert_content(markup: str, rewrite: Rewrite) -> tuple[str, list[str]]:
    """Markdown for a post's HTML, and a message for each thing the author should look at."""
    messages: list[str] = []
    markup = markup.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    blocks = "<!-- wp:" in markup
    markup = _BLOCK_COMMENT.sub("", markup)
    markup = _MORE.sub("\n\n<p>\x00more\x00</p>\n\n", markup, count=1)
    if _NEXTPAGE.search(markup):
        messages.append("<!--nextpage--> page breaks were dropped: the post is one page now")
        markup = _NEXTPAGE.sub("", markup)
    kept: list[str] = []

    def keep(fragment: str) -> str:
        kept.append(fragment)
        return f"\x00{len(kept) - 1}\x00"

    markup = _PROTECTED.sub(lambda m: keep(m.group(0)), markup)
    markup = _SOURCECODE.sub(lambda m: keep(_code_block(m.group(2), m.group(3))), markup)
    markup = _CAPTION.sub(_figure, markup)
    markup = _EMBED.sub(lambda m: f"\n\n{_link(m.group(1).strip())}\n\n", markup)
    if not blocks:
        markup = _LONE_URL.sub(lambda m: _link(m.group(1)), markup)
    for name in sorted({m.group(1) for m in _SHORTCODE.finditer(markup)
                        if m.group(1).lower() in KNOWN_SHORTCODES or "=" in m.group(2)}):
        messages.append(f"shortcode [{name}] has no Markdown form and was left as text")
    if not blocks:
        markup = autop(markup)
    markup = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], markup)
    return _to_markdown(markup, rewrite, messages), messages


def autop(text: str) -> str:
    """WordPress's wpautop: blank lines make paragraphs and single newlines make line breaks, except around block
    tags. Protected fragments (pre, script) are placeholders by now, so their newlines are untouched."""
    text = re.sub(rf"(<(?:{BLOCKS})[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</(?:{BLOCKS})>)", r"\1\n\n", text, flags=re.IGNORECASE)
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n\s*\n", text)]
    text = "".join(f"<p>{chunk}</p>\n" for chunk in chunks if chunk.strip())
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(rf"<p>\s*(</?(?:{BLOCKS})[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</?(?:{BLOCKS})[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(\x00\d+\x00)</p>", r"\1", text)
    text = re.sub(r"(?<!<br />)\s*\n(?!</p>|$)", "<br />\n", text)
    text = re.sub(rf"(</?(?:{BLOCKS})[^>]*>)\s*<br />", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(\x00\d+\x00)\s*<br />", r"\1", text)
    return re.sub(r"<br />(\s*\x00\d+\x00)", r"\1", text)


def shortcode_attributes(text: str) -> dict[str, str]:
    """`language="python" title=x` -> {'language': 'python', 'title': 'x'}."""
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTRIBUTE.finditer(text)}


def _code_block(attributes: str, code: str) -> str:
    found = shortcode_attributes(attributes)
    language = found.get("language") or found.get("lang") or ""
    css = f' class="language-{language}"' if _LANGUAGE.fullmatch(language) else ""
    return f"<pre><code{css}>{html.escape(code.strip(chr(10)), quote=False)}</code></pre>"


def _figure(match: re.Match[str]) -> str:
    inner = _CAPTION_IMAGE.match(match.group(3))
    caption = shortcode_attributes(match.group(2)).get("caption", "")
    if inner is None:
        return match.group(0)
    caption = inner.group(2).strip() or caption
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{inner.group(1)}{figcaption}</figure>\n\n"


def _link(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'


def _to_markdown(markup: str, rewrite: Rewrite, messages: list[str]) -> str:
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(markup, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    if soup.find("script") is not None:
        messages.append("the post has a <script>: it was kept as the author wrote it; check it still works")
    for tag in soup.find_all(True):
        for name in ("src", "href", "poster"):
            value = tag.get(name)
            if isinstance(value, str):
                replaced = rewrite(value)
                if replaced is not None:
                    tag[name] = replaced
        for name in ("srcset", "sizes"):
            if name in tag.attrs:
                del tag[name]
    text = _converter().convert_soup(soup)
    text = text.replace("\x00more\x00", "<!--more-->")
    return _strip_line_ends(text).strip("\n") + "\n"


def _strip_line_ends(text: str) -> str:
    """Spaces at the ends of lines removed, except in fenced code, which is kept exactly."""
    lines, fence = [], ""
    for line in text.split("\n"):
        opener = re.match(r"(`{3,})", line)
        if fence:
            fence = "" if line.rstrip() == fence else fence
            lines.append(line)
        else:
            fence = opener.group(1) if opener else ""
            lines.append(line.rstrip(" \t"))
    return "\n".join(lines)


def _converter() -> Any:
    from markdownify import ATX, BACKSLASH, MarkdownConverter

    base: Any = MarkdownConverter  # its stubs do not list the methods overridden here

    class Converter(base):  # type: ignore[misc]
        """markdownify, with code kept exactly and HTML kept where Markdown has no form for it."""

        def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            code = el.get_text()
            code = code[1:] if code.startswith("\n") else code
            code = code if code.endswith("\n") or not code else code + "\n"
            fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
            target = el.find("code")
            classes = [*(el.get("class") or []), *((target.get("class") or []) if target is not None else [])]
            language = next((c.split("-", 1)[1] for c in classes if c.startswith(("language-", "lang-"))), "")
            language = language if _LANGUAGE.fullmatch(language) else ""
            return f"\n\n{fence}{language}\n{code}{fence}\n\n"

        def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            src = str(el.get("src") or "")
            if " " in src or "(" in src or ")" in src:
                src = "<" + src.replace("<", "%3C").replace(">", "%3E") + ">"
            alt = self.escape(str(el.get("alt") or ""), parent_tags).replace("[", "\\[").replace("]", "\\]")
            return f"![{alt}]({src})"

        def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            href = str(el.get("href") or "")
            if href and text.replace("\\", "") == href and re.fullmatch(r"https?://[^\s<>]+", href):
                return f"<{href}>"
            return str(super().convert_a(el, text, parent_tags))

        def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            return f"<sup>{text}</sup>"

        def convert_sub(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            return f"<sub>{text}</sub>"

    def keep_html(self: Any, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return text
        markup = re.sub(r"\n\s*\n", "\n", str(el)) if el.name not in ("script", "style") else str(el)
        return f"\n\n{markup}\n\n"

    for name in KEPT_AS_HTML:
        setattr(Converter, f"convert_{name}", keep_html)
    return Converter(heading_style=ATX, bullets="-", newline_style=BACKSLASH, escape_misc=True,
                     autolinks=True)
