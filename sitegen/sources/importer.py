"""`sitegen import`: turn an article in a raw shape into a sitegen post (Markdown with YAML front matter).

Shapes understood: Markdown with YAML (`---`) or TOML (`+++`) front matter, as Jekyll and Hugo write it,
and plain text copied from a web page (bare heading lines, `•` bullets, `١.` numbered headings, callouts).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date

import yaml

from ..text import slugify
from .language import detect_language

DESCRIPTION_LIMIT = 160
HEADING_MAX_CHARS = 70
HEADING_MAX_WORDS = 10
TIGHT_ITEM_CHARS = 200
CALLOUT_LABELS = ("نقطة عملية", "نصيحة", "ملاحظة", "تنبيه", "Tip", "Note")

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_NOT_YAML_PRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
_LINK_LINE = re.compile(r"^\[[^\]]+\]\([^)\s]+\)$")
_ARABIC_PUNCT_SPACE = re.compile(r"(?<=\S) +([،؛؟])")
_EMPTY_QUOTE = re.compile(r"^ {0,3}>[\s>]*$")
_NUM_HEADING = re.compile(r"^([٠-٩۰-۹]+|[0-9]{1,2}(?=\.[\u0621-\u064a]))\s*\.\s*(.+)$")
_BULLET = re.compile(r"^(?:[•●▪◦‣·]\s*|[-*]\s+)(.*)$")
_ORDERED = re.compile(r"^([0-9]{1,3})[.)]\s+(.*)$")
_CALLOUT = re.compile(rf"^({'|'.join(CALLOUT_LABELS)})\s*:\s*(.*)$", re.IGNORECASE)
_CRUMB = re.compile(r"\s[»›>|/]\s")
_INLINE_BULLET = re.compile(r"(?<=[.!?؟”\"…])\s+-\s+")
_DATED_NAME = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})-")
_HANDLED_KEYS = frozenset({"title", "date", "description", "tags", "keywords", "categories", "lang", "layout"})


@dataclass(frozen=True, slots=True)
class ImportedPost:
    """A converted article: what `render_post_file` writes, plus notes for the human who imports it."""

    title: str
    slug: str
    front_matter: dict[str, object]
    """Ordered: title, date (if known), description, tags, lang, then the source's other keys verbatim."""
    body: str
    """Markdown, ending with one newline."""
    warnings: tuple[str, ...]
    """Things a human should review, e.g. 'no date: set one'."""


@dataclass(slots=True)
class _Item:
    """One non-blank line of a plain-text article, classified."""

    kind: str  # text, cont (continues the list item above), bullet, ordered, heading, callout
    text: str
    blank_after: bool = False
    num: str = ""  # the number of an ordered item, or a callout's label
    level: int = 2


def convert_document(text: str, source_name: str) -> ImportedPost:
    """Convert one article (`source_name` is its file name, which may carry a `YYYY-MM-DD-` date)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    meta, body, warnings = _split_front_matter(text)
    title = _clean((meta or {}).get("title"))
    tags: list[str] = []
    if meta is None and not _MD_HEADING.search(body):
        meta, (title, body) = {}, _plain_body(body, tags, warnings)
    else:
        meta, (title, body) = meta or {}, _markdown_body(body, title, warnings)
    stem = source_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not title:
        title = _clean(_DATED_NAME.sub("", stem).replace("-", " ").replace("_", " ")) or "Untitled"
        warnings.append(f"no title found: using {title!r}; set one")
    description = _clean(meta.get("description"))
    if not description and (description := _describe(body)):
        warnings.append("description taken from the first paragraph: review it")
    tags += [tag for key in ("tags", "keywords", "categories") for tag in _tag_list(meta.get(key))]
    lang = _clean(meta.get("lang")) or detect_language(f"{title}\n\n{body}") or ""
    known = {"title": title, "date": meta.get("date") or _name_date(stem), "description": description}
    front = {key: value for key, value in (known | {"tags": list(dict.fromkeys(tags)), "lang": lang}).items() if value}
    front |= {key: value for key, value in meta.items() if key not in _HANDLED_KEYS}
    front = {str(_yaml_safe(key)): _yaml_safe(value) for key, value in front.items()}
    warnings += [f"no {key}: set one" for key in ("date", "description") if key not in front]
    named = slugify(_DATED_NAME.sub("", stem)) if _DATED_NAME.match(stem) else ""  # Jekyll's name: the URL's slug
    slug = slugify(_clean(meta.get("slug"))) or named or slugify(title) or slugify(stem) or "post"
    body = "\n".join(line.rstrip() for line in body.strip("\n").split("\n"))
    return ImportedPost(str(front["title"]), slug, front, re.sub(r"\n{3,}", "\n\n", body) + "\n", tuple(warnings))


def render_post_file(post: ImportedPost) -> str:
    """The post as file text: YAML front matter between `---` lines, a blank line, then the body."""
    front = yaml.safe_dump(post.front_matter, allow_unicode=True, sort_keys=False, width=10**9)
    return f"---\n{front}---\n\n{post.body}"


def _split_front_matter(text: str) -> tuple[dict[str, object] | None, str, list[str]]:
    """(front matter or None when there is none, body, warnings): YAML between `---` lines, TOML between `+++`.

    Front matter that cannot be read stays in the body as a code block, for a human to fix.
    """
    lines = text.split("\n")
    fence = lines[0].strip()
    closers = {fence, "..."} if fence == "---" else {fence}
    end = (
        next((i for i, line in enumerate(lines) if i and line.strip() in closers), 0) if fence in ("---", "+++") else 0
    )
    if not end:
        return None, text, []
    raw, body = "\n".join(lines[1:end]), "\n".join(lines[end + 1 :])
    try:  # any failure of a parser on text from outside means "not front matter", never a crash
        data = tomllib.loads(raw) if fence == "+++" else yaml.safe_load(raw)
        problem = "" if data is None or isinstance(data, dict) else "it is not a mapping of keys"
    except Exception as exc:
        problem = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    if problem:
        kind = "toml" if fence == "+++" else "yaml"
        return {}, f"```{kind}\n{raw}\n```\n\n{body}", [f"front matter not read ({problem}): left in the body"]
    return {str(key): value for key, value in (data or {}).items()}, body, []


def _yaml_safe(value: object) -> object:
    """`value` if it survives a YAML round trip unchanged (dates, numbers, lists...), else it as clean text."""
    try:
        if yaml.safe_load(yaml.safe_dump(value, allow_unicode=True, width=10**9)) == value:
            return value
    except Exception:  # a TOML time has no YAML form: it becomes text
        pass
    return _NOT_YAML_PRINTABLE.sub("", str(value))


def _clean(value: object) -> str:
    """A front matter value or a line as one line of text ('' for nothing)."""
    return "" if value is None else " ".join(str(value).split())


def _tag_list(value: object) -> list[str]:
    """Tags from a list or from a string separated by commas (`,` or Arabic `،`)."""
    parts = value if isinstance(value, list) else re.split(r"[,،]", value) if isinstance(value, str) else []
    return [tag for tag in (_clean(part) for part in parts if part is not None) if tag]


def _name_date(stem: str) -> date | None:
    """The date of a Jekyll-style `YYYY-MM-DD-slug` file name."""
    match = _DATED_NAME.match(stem)
    try:
        return date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        return None


def _describe(body: str) -> str:
    """The first paragraph of `body` as plain text, cut at a word boundary to at most DESCRIPTION_LIMIT chars."""
    for block in body.split("\n\n"):
        lines = block.strip("\n").split("\n")
        not_prose = lines[0][:1] in "#>|<`~ \t!" or _LIST_ITEM.match(lines[0]) or _LINK_LINE.match(lines[0])
        if not_prose or not any(ch.isalnum() for ch in block):
            continue
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>", "", " ".join(lines))
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = _clean(re.sub(r"[*`]+|(?<!\w)_+|_+(?!\w)", "", text))
        if len(text) <= DESCRIPTION_LIMIT:
            return text
        cut = text[: DESCRIPTION_LIMIT - 1]
        return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ،,;:.-—") + "…"
    return ""


def _markdown_body(body: str, title: str, warnings: list[str]) -> tuple[str, str]:
    """(title, body): the title heading removed, headings shifted to start at `##`, blocks blank-separated."""
    lines = [line.rstrip() for line in body.split("\n")]
    code = code_lines(lines)
    lines = [line if code[i] else _ARABIC_PUNCT_SPACE.sub(r"\1", line) for i, line in enumerate(lines)]
    heads = [(i, len(m[1]), _clean(m[2])) for i, line in enumerate(lines) if not code[i] and (m := _ATX.match(line))]
    drop = None
    if title:
        drop = next((i for i, level, text in heads if level == 1 and text == title), None)
    elif heads:
        drop, level, title = heads[0]
        if level > 1:
            drop = None
            warnings.append(f"no title: used the first heading {title!r}; review it")
    else:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        alone = first is not None and not code[first] and (first + 1 == len(lines) or not lines[first + 1].strip())
        if first is not None and alone and _is_heading_like(lines[first].strip()) \
                and not _LIST_ITEM.match(lines[first]):
            drop, title = first, _clean(lines[first])
    levels = [level for i, level, _ in heads if i != drop]
    shift = 2 - min(levels) if levels else 0
    for i, level, text in heads:
        lines[i] = f"{'#' * max(1, min(6, level + shift))} {text}".rstrip()
    chunks: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if i == drop:
            continue
        current = chunks[-1]
        if code[i]:
            current.append(line)
        elif not line.strip() or _ATX.match(line):
            chunks += [[line], []] if line.strip() else [[]]
        elif _LIST_ITEM.match(line) and current and not _LIST_ITEM.match(current[0]) and current[0][:1] != ">":
            chunks.append([line])
        else:
            current.append(line)
    out: list[str] = []
    for chunk in filter(None, chunks):
        if all(_EMPTY_QUOTE.match(line) for line in chunk):
            continue  # an empty blockquote: nothing to say
        if len(chunk) > 1 and all(_LINK_LINE.match(line) for line in chunk):
            chunk = [f"- {line}" for line in chunk]  # one link per line, once hard breaks: a list of sources
        if out and (marker := _short_items(chunk)) and marker == _short_items(out[-1].split("\n")):
            out[-1] += "\n" + "\n".join(chunk)  # one-line items of one list need no blank lines between them
        else:
            out.append("\n".join(chunk))
    return title, "\n\n".join(out)


def _short_items(lines: list[str]) -> str:
    """The list marker ('-', '1.', ...) when every line is a short one-line item of one list, else ''."""
    markers = {re.sub(r"\d+", "1", m[0].strip()) if (m := _LIST_ITEM.match(line)) else "" for line in lines}
    short = all(len(line) <= TIGHT_ITEM_CHARS for line in lines)
    return markers.pop() if short and len(markers) == 1 else ""


def code_lines(lines: list[str]) -> list[bool]:
    """Which lines belong to fenced code blocks (fences included)."""
    flags, fence = [], ""
    for line in lines:
        match = _FENCE.match(line)
        flags.append(bool(fence or match))
        if fence and match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
            fence = "" if not line[match.end() :].strip() else fence
        elif not fence and match:
            fence = match[1]
    return flags


def _plain_body(body: str, tags: list[str], warnings: list[str]) -> tuple[str, str]:
    """(title, Markdown) for text copied from a web page.

    The title is the first line when it is short; of three short lines at the top, the first names the site
    section the text was copied from (it becomes a tag). Otherwise the first heading is the title, and leaves
    the body when it heads no text of its own.
    """
    items = _classify(body)
    loose = sum(item.blank_after for item in items[:-1]) * 3 >= len(items) - 1
    run = 0
    while run < min(3, len(items)) and items[run].kind == "text" and _is_heading_like(items[run].text):
        run += 1
    if run == 3 or (run and _CRUMB.search(items[0].text)):
        tags.append(crumb := _clean(re.split(_CRUMB, items.pop(0).text)[-1]))
        warnings.append(f"first line {crumb!r} looks like the site section the text was copied from: made it a tag")
        run -= 1
    title = items.pop(0).text if run else ""
    _resolve_headings(items, loose)
    first = next((i for i, item in enumerate(items) if item.kind == "heading"), None)
    if not title and first is not None:
        title = items[first].text
        warnings.append(f"no title: used the first heading {title!r}; review it")
        if first + 1 < len(items) and items[first + 1].kind == "heading":
            del items[first]
    return title, "\n\n".join(_render(items, loose))


def _classify(body: str) -> list[_Item]:
    items: list[_Item] = []
    for line in body.split("\n"):
        text = _tidy(line)
        if not text:
            if items:
                items[-1].blank_after = True
            continue
        if (match := _NUM_HEADING.match(text)) and not match[2].endswith(tuple(".!,:;،؛")):
            item = _Item("heading", match[2])  # `١.العلاقات ليست ...`: a numbered section
        elif match:
            item = _Item("ordered", match[2], num=str(int(match[1])))
        elif match := _BULLET.match(text):
            item = _Item("bullet", match[1])
        elif match := _ORDERED.match(text):
            item = _Item("ordered", match[2], num=match[1])
        elif match := _CALLOUT.match(text):
            item = _Item("callout", match[2], num=match[1])
        else:
            above = items[-1] if items else _Item("", "", blank_after=True)
            joins = above.kind in ("bullet", "ordered") or (above.kind == "text" and len(text) <= HEADING_MAX_CHARS)
            lazy = joins and above.text.endswith(":") and not above.blank_after  # a line run on past a colon
            item = _Item("cont" if lazy else "text", text)
        items.append(item)
    return items


def _tidy(line: str) -> str:
    """One line with spaces collapsed, no space before punctuation, one after an Arabic full stop, quotes paired."""
    text = re.sub(r"(?<=\S) +([؟?!:،؛.]+)(?=\s|$)", r"\1", " ".join(line.split()))
    text = re.sub(r"(?<=[\u0621-\u064a])\.(?=[\u0621-\u064a])", ". ", text)
    if text.count("“") > text.count("”"):  # “...“ typed with the wrong closing quote
        text = re.sub(r"(?<=\S)“(?=[\s.,،؛:!؟?]|$)", "”", text)
    return text


def _is_heading_like(text: str) -> bool:
    """Short, holds a letter, and ends without sentence punctuation (a question mark is allowed)."""
    short = len(text) <= HEADING_MAX_CHARS and len(text.split()) <= HEADING_MAX_WORDS
    sentence = text.endswith(tuple(".!,:;،؛…\"”'»)-—")) or text.startswith(("“", '"', "«", ">"))
    return short and not sentence and any(ch.isalpha() for ch in text)


def _resolve_headings(items: list[_Item], loose: bool) -> None:
    """Turn bare heading-like lines followed by content into headings.

    With blank lines between blocks, a line followed by a blank is a `##` section and one glued to the text
    below (or under another heading) a `###` sub-section; without blank lines, only the last of several short
    lines in a row (or a question) heads the text that follows, the others being short paragraphs.
    """
    i = 0
    while i < len(items):
        if items[i].kind != "text" or not _is_heading_like(items[i].text):
            i += 1
            continue
        j = i
        while j + 1 < len(items) and items[j + 1].kind == "text" and _is_heading_like(items[j + 1].text):
            j += 1
        if j + 1 < len(items) and items[j + 1].kind != "heading":
            for k in range(i, j + 1):
                if loose:
                    items[k].kind, items[k].level = "heading", 2 if k == i and (j > i or items[k].blank_after) else 3
                elif k == j or items[k].text.endswith(("?", "؟")):
                    items[k].kind = "heading"
        i = j + 1


def _render(items: list[_Item], loose: bool) -> list[str]:
    """Markdown blocks for classified items."""
    blocks: list[str] = []
    i = 0
    while i < len(items):
        item = items[i]
        i += 1
        if item.kind == "heading":
            blocks.append(f"{'#' * item.level} {item.text}")
        elif item.kind == "callout":
            start = i
            while i < len(items) and items[i].kind not in ("heading", "callout"):
                above = items[i - 1]
                if loose and above.blank_after and above.text and not above.text.endswith(":"):
                    break
                i += 1
            inner = _render(items[start:i], loose)
            lead = f"**{item.num}:**"
            if item.text or not inner or inner[0][:1] in "#->" or _LIST_ITEM.match(inner[0]):
                inner.insert(0, f"{lead} {item.text}".rstrip())
            else:
                inner[0] = f"{lead} {inner[0]}"
            blocks.append("\n".join(f"> {line}".rstrip() for line in "\n\n".join(inner).split("\n")))
        elif item.kind == "bullet":
            lines: list[str] = []
            i -= 1
            while i < len(items) and items[i].kind == "bullet":
                text, i = items[i].text, i + 1
                while text.endswith(":") and i < len(items) and items[i].kind == "cont":
                    first, *more = _INLINE_BULLET.split(items[i].text)  # `“...” - next point`: items run together
                    *done, text = f"{text} {first}", *more
                    lines, i = lines + done, i + 1
                lines.append(text)
            blocks.append("\n".join(f"- {line}" for line in lines if line))
        elif item.kind == "ordered":
            block, i = _render_ordered(items, i - 1)
            blocks.append(block)
        else:
            while i < len(items) and items[i].kind == "cont":
                item, i = _Item("text", f"{item.text} {items[i].text}"), i + 1
            blocks.append(item.text)
    return blocks


def _render_ordered(items: list[_Item], start: int) -> tuple[str, int]:
    """The ordered list starting at items[start], and the index after it. When the first `1. Short title` line
    is followed by a paragraph, each item takes its paragraph: a bold title, then the text."""
    parts: list[str] = []
    with_body: bool | None = None
    i = start
    while i < len(items) and items[i].kind in ("ordered", "cont"):
        item, after = items[i], items[i + 1] if i + 1 < len(items) else None
        i += 1
        if item.kind == "cont":
            parts[-1] += f" {item.text}"
            continue
        has_body = after is not None and after.kind == "text" and _is_heading_like(item.text)
        with_body = has_body if with_body is None else with_body and has_body
        if with_body and after is not None:
            parts.append(f"{item.num}. **{item.text}**\n\n{' ' * (len(item.num) + 2)}{after.text}")
            i += 1
        else:
            parts.append(f"{item.num}. {item.text}")
    return ("\n\n" if with_body else "\n").join(parts), i
