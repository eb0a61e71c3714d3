"""Text helpers that know about Arabic: slugs, word counts, reading time, direction, and the invisible characters
that have no place in a page."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urljoin

# Arabic harakat, tanween, shadda, sukun, superscript alef, Quranic marks, and tatweel (kashida):
# they change how a word looks, not which word it is, so slugs and word counts ignore them.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")
_NOT_SLUG = re.compile(r"[^\w]+", re.UNICODE)
_TAG = re.compile(r"<[^>]*>")
_CODE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')
# A word starts at its first letter or digit and runs to the next space.
_WORD = re.compile(f"[^\\W_{_ARABIC_MARKS.pattern[1:-1]}]\\S*")

# Silent reading speeds, words per minute, from Trauzettel-Klosinski et al., "Standardized assessment of
# reading performance" (IReST, 2012): Arabic is read markedly slower than English per word.
READING_SPEED_WPM: dict[str, int] = {"ar": 138, "fa": 158, "he": 187, "ur": 150, "en": 228, "fr": 195, "de": 179,
                                     "es": 218}
DEFAULT_READING_SPEED = 200

RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})


def slugify(text: str) -> str:
    """A URL slug that keeps Arabic (and every other) letter: 'بناء علاقات حقيقية' -> 'بناء-علاقات-حقيقية'."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_MARKS.sub("", text)
    # Latin accents go (café -> cafe); other scripts keep their letters.
    text = unicodedata.normalize("NFC", _LATIN_ACCENTS.sub("", unicodedata.normalize("NFD", text)))
    text = text.lower().replace("_", "-")
    return _NOT_SLUG.sub("-", text).strip("-")


def strip_tags(markup: str) -> str:
    """Plain text of an HTML fragment."""
    return html.unescape(_TAG.sub(" ", markup))


def count_words(markup: str) -> int:
    """Words in rendered HTML, code blocks excluded; a word is a space-separated run holding a letter or digit
    (Arabic marks and tatweel do not count as letters)."""
    return len(_WORD.findall(strip_tags(_CODE_BLOCK.sub(" ", markup))))


def reading_minutes(words: int, language: str) -> int:
    """Minutes to read `words` at the language's typical silent reading speed (at least one)."""
    speed = READING_SPEED_WPM.get(base_language(language), DEFAULT_READING_SPEED)
    return max(1, round(words / speed))


def base_language(language: str) -> str:
    """'ar-SA' -> 'ar'."""
    return language.replace("_", "-").split("-")[0].lower()


def text_direction(language: str) -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if base_language(language) in RTL_LANGUAGES else "ltr"


def truncate(text: str, limit: int = 160) -> str:
    """Collapse whitespace and cut at a word boundary, adding an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ،,;:.")
    return cut + "…"


def resolve_links(markup: str, base: str) -> str:
    """Resolve every relative href/src in an HTML fragment against `base` (for summaries shown elsewhere, feeds)."""
    def resolve(match: re.Match[str]) -> str:
        url = urljoin(base, html.unescape(match.group(2)))
        return f'{match.group(1)}="{html.escape(url)}"'

    return _URL_ATTR.sub(resolve, markup)


# Characters an author never means to publish: C0 controls but tab and newline, DEL, C1 controls, and Unicode
# noncharacters. HTML calls them parse errors and XML 1.0 forbids most of them.
_NONCHARACTERS = "".join(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
CONTROL_CHARS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef{_NONCHARACTERS}]")
# Bidirectional embeddings and overrides (LRE RLE PDF LRO RLO): an override reverses the letters it covers, which
# lets a title or a link read differently from what it is. Each becomes the isolate of the same direction (LRI RLI
# PDI), which keeps the author's intent (this run is right-to-left) without the reversal or the leak into the text
# around it. Marks (LRM, RLM, ALM) and isolates are kept: Arabic authors need them.
BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
_BIDI_TO_ISOLATE = str.maketrans({"\u202a": "\u2066", "\u202b": "\u2067", "\u202c": "\u2069",
                                  "\u202d": "\u2066", "\u202e": "\u2067"})
_UNWANTED = re.compile(f"{CONTROL_CHARS.pattern}|{BIDI_OVERRIDES.pattern}")
# The same search without the astral noncharacters: a class of single astral characters makes `re` test each one
# in turn (15x slower over a post), so they are looked for only in text that has an astral character at all.
_UNWANTED_BMP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ISOLATE_OPEN = frozenset("\u2066\u2067\u2068")
_ISOLATE_CLOSE = "\u2069"
_ISOLATES = re.compile("[\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def find_unwanted(text: str) -> re.Match[str] | None:
    """The first control character or bidirectional override/embedding in `text`, if any."""
    return (_UNWANTED if _ASTRAL.search(text) else _UNWANTED_BMP).search(text)


def clean_text(text: str) -> str:
    """Body text made safe to publish: control characters removed, bidi embeddings and overrides made isolates,
    and surrogates (YAML's "\\ud83d\\ude00" escapes give them) paired into the character they mean, or replaced
    by U+FFFD when alone, since UTF-8 cannot carry them."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if find_unwanted(text) is None:  # nearly always: skip the slow rewrite
        return text
    return CONTROL_CHARS.sub("", text).translate(_BIDI_TO_ISOLATE)


def clean_inline(text: str) -> str:
    """A title, tag or other one-line value made safe: `clean_text`, then the isolates balanced, so the value
    cannot change the direction of the text it is shown next to (an unmatched close is dropped, an unclosed
    isolate is closed at the end)."""
    text = clean_text(text)
    if not _ISOLATES.search(text):
        return text
    out: list[str] = []
    depth = 0
    for char in text:
        if char in _ISOLATE_OPEN:
            depth += 1
        elif char == _ISOLATE_CLOSE:
            if depth == 0:
                continue
            depth -= 1
        out.append(char)
    return "".join(out) + _ISOLATE_CLOSE * depth


def describe_char(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', 'control character U+0007', 'noncharacter U+FFFE', 'lone surrogate
    U+D800'."""
    code = f"U+{ord(char):04X}"
    if name := unicodedata.name(char, ""):
        return f"{code} {name}"
    kind = {"Cc": "control character", "Cs": "lone surrogate"}.get(unicodedata.category(char), "noncharacter")
    return f"{kind} {code}"


# Texts with fields: a permalink ('/posts/{year}/{slug}/') and the theme's words ('Page {n} of {total}'). A field is
# a name alone in braces; '{{' and '}}' write a brace. Nothing else is read: str.format would also take a format
# spec ('{slug:>99999999999}' makes a string of that many characters), a conversion, an attribute or an index
# ('{n.__class__}'), which no URL or word needs and which a mistake or a hostile theme could abuse.
_FIELD_PIECE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def text_fields(text: str) -> tuple[list[str], list[str]]:
    """The names of the fields of `text`, in order, and each piece of it that is not a field: '{slug:>9}', '{0}',
    '{n.real}', a lone brace."""
    names: list[str] = []
    bad: list[str] = []
    for match in _FIELD_PIECE.finditer(text):
        piece = match.group()
        if piece in ("{{", "}}"):
            continue
        if match.group(1) is not None and _FIELD_NAME.fullmatch(match.group(1)):
            names.append(match.group(1))
        else:
            bad.append(piece)
    return names, bad


def fill_fields(text: str, values: dict[str, str]) -> str:
    """`text` with each field replaced by its value (KeyError for a field `values` lacks) and '{{', '}}' made
    braces; a piece that is not a field is left as it is."""
    def fill(match: re.Match[str]) -> str:
        piece = match.group()
        if piece in ("{{", "}}"):
            return piece[0]
        name = match.group(1)
        if name is not None and _FIELD_NAME.fullmatch(name):
            return values[name]
        return piece

    return _FIELD_PIECE.sub(fill, text) if "{" in text or "}" in text else text


def shown_piece(piece: str) -> str:
    """A piece `text_fields` found not to be a field, as a message names it: '{slug:>9}', "a lone '}'"."""
    return f"a lone '{piece}'" if piece in ("{", "}") else piece
