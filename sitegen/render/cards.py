"""Share cards: a PNG for each post and for the home page, with the title, the blog's name, the author and the date
in the post's language and direction, which LinkedIn, X, WhatsApp and Facebook show when a page is shared.

Text is laid out by Pillow's Raqm engine: HarfBuzz shapes it (Arabic letters joined, lam-alef ligatures) and
FriBiDi orders it by the Unicode bidi algorithm (a Latin word inside an Arabic title keeps its own order). A title is
broken into lines in logical order, then each line is laid out on its own, as the bidi algorithm asks. Pillow's
wheels carry Raqm and HarfBuzz; FriBiDi is loaded from the system (Debian's libfribidi0, Homebrew's fribidi).

A card's bytes are a function of what it shows (`Card`) and of the theme's card settings and fonts (`CardStyle`):
`card_key` is all of it, so a rebuild redraws a card only when one of them changes. The PNG carries no time and is
compressed at a fixed level, in a fixed palette, so a card is the same bytes on every build.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BuildError, SourceError
from ..site.model import Post, Site
from ..text import text_direction

if TYPE_CHECKING:
    from PIL import Image, ImageDraw
    from PIL.ImageFont import FreeTypeFont

CARD_SIZE = (1200, 627)
"""LinkedIn's recommended link image (1.91:1); X's summary_large_image, WhatsApp and Facebook take the same size
(Facebook's own 1200x630 differs by three rows, which it crops away)."""
CARD_NAME = "card.png"
STYLE_FILE = "cards/card.yaml"
"""A theme's card settings, beside its fonts."""
ELLIPSIS = "\u2026"

_COLOURS = ("background", "foreground", "accent", "muted")
_FONTS = ("title_font", "text_font")
_KEYS = (*_COLOURS, *_FONTS, "margin", "title_sizes", "text_size")
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


@dataclass(frozen=True, slots=True)
class CardStyle:
    """How a theme draws its cards (cards/card.yaml of each theme folder, the chosen theme's keys winning)."""

    background: str
    foreground: str
    """The title's colour."""
    accent: str
    """The blog's name and the bar along the top."""
    muted: str
    """The author and the date."""
    title_font: Path
    text_font: Path
    margin: int
    title_sizes: tuple[int, int]
    """The title's smallest and largest size in pixels."""
    text_size: int
    fingerprint: bytes
    """A digest of the settings and the fonts' bytes: everything a card's pixels depend on besides its text and
    sitegen's code (whose digest holds Pillow's version)."""


@dataclass(frozen=True, slots=True)
class Card:
    """What one card shows."""

    title: str
    site_name: str
    """The line above the title: the blog's name (on the home page's card, the site's host)."""
    author: str
    date: date | None
    lang: str
    """The language the title is in: it sets the direction, the shaping rules and how the date is written."""


def post_card(site: Site, post: Post) -> Card:
    """The card of a post."""
    config = site.config
    return Card(post.title, config.title, post.doc.author or config.author.name,
                post.date.date() if post.date else None, post.lang)


def home_card(site: Site) -> Card:
    """The card of the home page: the blog's name as the title, its address above it."""
    config = site.config
    host = config.base_url.split("://", 1)[-1].strip("/")
    return Card(config.title, host, config.author.name, None, config.language)


def card_key(card: Card, style: CardStyle) -> bytes:
    """Everything a card's bytes depend on besides sitegen's own code."""
    shown = (card.title, card.site_name, card.author, card.date.isoformat() if card.date else "", card.lang)
    return repr(shown).encode() + b"\0" + style.fingerprint


def load_card_style(theme_folders: Sequence[Path]) -> tuple[CardStyle | None, list[SourceError]]:
    """The card settings of the theme: each folder's cards/card.yaml, `theme_folders` in order of precedence (the
    chosen theme first, the default theme last), a font named in a file being found beside that file."""
    settings: dict[str, Any] = {}
    origin: dict[str, Path] = {}
    errors: list[SourceError] = []
    for folder in reversed(theme_folders):
        path = folder / STYLE_FILE
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            errors.append(SourceError(path, f"cannot read the card settings: {exc.strerror or exc}"))
            continue
        values, problems = _settings_file(path, data)
        errors.extend(problems)
        settings.update(values)
        origin.update(dict.fromkeys(values, path))
    missing = [key for key in _KEYS if key not in settings]
    if missing and not errors:
        errors.append(SourceError(theme_folders[0] / STYLE_FILE if theme_folders else Path(STYLE_FILE),
                                  f"the card settings lack {', '.join(missing)}"))
    if errors or missing:
        return None, errors
    for key in _COLOURS:
        if not (isinstance(settings[key], str) and _COLOUR.fullmatch(settings[key])):
            errors.append(SourceError(origin[key], f"{key}: {settings[key]!r} is not a colour",
                                      hint="write #rrggbb, in quotes"))
    fonts = {}
    for key in _FONTS:
        font = origin[key].parent / str(settings[key])
        if not font.is_file():
            errors.append(SourceError(origin[key], f"{key}: no font file {font.name} beside the card settings"))
        fonts[key] = font
    sizes = settings["title_sizes"]
    if not (isinstance(sizes, list) and len(sizes) == 2 and all(_is_size(s, 8, 200) for s in sizes)
            and sizes[0] <= sizes[1]):
        errors.append(SourceError(origin["title_sizes"], "title_sizes must be [smallest, largest], 8 to 200 pixels"))
    for key, low, high in (("margin", 0, 200), ("text_size", 8, 80)):
        if not _is_size(settings[key], low, high):
            errors.append(SourceError(origin[key], f"{key} must be a whole number of pixels from {low} to {high}"))
    if not errors and 2 * settings["margin"] + 5 * settings["text_size"] + 2 * sizes[0] > CARD_SIZE[1]:
        errors.append(SourceError(origin["margin"], "the margin and text size leave no room for the title "
                                  f"on a card {CARD_SIZE[1]} pixels high", hint="make the margin or text_size smaller"))
    if errors:
        return None, errors
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(sorted((k, str(v)) for k, v in settings.items())).encode())
    for font in fonts.values():
        stat = font.stat()
        digest.update(_font_digest(font, stat.st_size, stat.st_mtime_ns))
    return CardStyle(settings["background"], settings["foreground"], settings["accent"], settings["muted"],
                     fonts["title_font"], fonts["text_font"], settings["margin"], (sizes[0], sizes[1]),
                     settings["text_size"], digest.digest()), []


@lru_cache(maxsize=16)  # read on every build and preview rebuild: parsed once for its bytes
def _settings_file(path: Path, data: bytes) -> tuple[dict[str, Any], tuple[SourceError, ...]]:
    """The settings of one cards/card.yaml with these bytes that can be used, and an error (at its line) for each that
    cannot. The dictionary is shared: copy it."""
    from ..sources.yamlio import parse_yaml_mapping

    text = data.decode("utf-8", errors="replace")
    doc, errors = parse_yaml_mapping(text, path, what="the card settings")
    if doc is None:
        return {}, tuple(errors)
    values = {}
    for key, value in doc.values.items():
        if key in _KEYS:
            values[key] = value
        else:
            errors.append(SourceError(path, f"unknown card setting {key!r}", doc.line(key),
                                      hint=f"keys: {', '.join(_KEYS)}"))
    return values, tuple(errors)


@lru_cache(maxsize=16)  # a font is read and hashed once while its size and modification time stay
def _font_digest(font: Path, _size: int, _mtime_ns: int) -> bytes:
    return hashlib.blake2b(font.read_bytes(), digest_size=16).digest()


def _is_size(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def render_card(card: Card, style: CardStyle) -> bytes:
    """The card as PNG bytes."""
    from PIL import Image, ImageDraw

    width, height = CARD_SIZE
    margin = style.margin
    direction = text_direction(card.lang)
    language = card.lang.split("-")[0]
    cover = Image.new("L", CARD_SIZE, 0)  # how much of each pixel the text covers; coloured at the end
    draw = ImageDraw.Draw(cover)
    x = width - margin if direction == "rtl" else margin
    inner = width - 2 * margin
    text = _Text(style.text_font, direction, language)

    top = margin  # the blog's name, on one line
    name = text.fit(card.site_name, style.text_size, inner, max_lines=1)
    if name.lines:
        text.draw(draw, (x, top + name.ascent), name.lines[0], name.font)
    meta_text = " \u00b7 ".join(part for part in (card.author, _date_text(card)) if part)
    meta = text.fit(meta_text, style.text_size, inner, max_lines=1)
    bottom = height - margin
    if meta.lines:
        text.draw(draw, (x, bottom - meta.descent), meta.lines[0], meta.font)

    gap = style.text_size
    box_top = top + name.height + gap
    box_bottom = bottom - meta.height - gap
    heading = _Text(style.title_font, direction, language)
    title = heading.fit_box(card.title, style.title_sizes, inner, box_bottom - box_top)
    y = box_top + (box_bottom - box_top - title.height) // 2 + title.ascent
    for line in title.lines:
        heading.draw(draw, (x, y), line, title.font)
        y += title.step
    bands = ((0, box_top - gap // 2, style.accent), (box_top - gap // 2, box_bottom + gap // 2, style.foreground),
             (box_bottom + gap // 2, height, style.muted))
    return _png(cover, bands, style.background)


_LEVELS = 16
"""Shades of each colour between the background and itself, for the edges of letters."""
_SHADES = tuple([band * _LEVELS + round(value * (_LEVELS - 1) / 255) for value in range(256)] for band in range(3))
"""For each band, text coverage (0-255) -> the palette index of its shade."""


def _png(cover: Image.Image, bands: Sequence[tuple[int, int, str]], background: str) -> bytes:
    """The card as a PNG of 48 colours: the text's coverage, painted in each horizontal band's colour over the
    background, with the accent's bar along the top. A palette image writes a third of the bytes of an RGB one, many
    times faster; its colours are fixed and zlib's level is set (3: 26 KB a card in 2-3 ms, where level 6 takes
    three times as long for 21 KB), so the bytes are the same on every build."""
    from PIL import ImageDraw

    index = cover.copy()
    for number, (start, end, _) in enumerate(bands):
        band = (0, max(0, start), cover.width, min(cover.height, end))
        if band[3] > band[1]:
            index.paste(cover.crop(band).point(_SHADES[number]), band[:2])
    ImageDraw.Draw(index).rectangle((0, 0, cover.width, 11), fill=_LEVELS - 1)  # the first band's colour: accent
    index.putpalette(_palette(background, tuple(colour for _, _, colour in bands)))
    out = BytesIO()
    index.save(out, format="PNG", compress_level=3)
    return out.getvalue()


@lru_cache(maxsize=16)
def _palette(background: str, colours: tuple[str, ...]) -> list[int]:
    """_LEVELS shades from the background to each colour, as a flat list of RGB values."""
    from PIL import ImageColor

    base = ImageColor.getrgb(background)
    palette: list[int] = []
    for colour in colours:
        rgb = ImageColor.getrgb(colour)
        palette += [round(b + (c - b) * level / (_LEVELS - 1))
                    for level in range(_LEVELS) for b, c in zip(base, rgb, strict=False)]
    return palette


def _date_text(card: Card) -> str:
    """The date as the theme writes it in a page of the card's language (the `date` filter's long format, without
    the Hijri date it may add: a card has room for one)."""
    if card.date is None:
        return ""
    from .templates import _date_text, _locale_name

    return _date_text(card.date, "long", _locale_name(card.lang))


@dataclass(frozen=True, slots=True)
class _Block:
    """Lines of text laid out at one size: the distance between baselines, the ink above the first baseline and
    below the last, and the height of it all."""

    font: FreeTypeFont
    lines: tuple[str, ...]
    step: int
    ascent: int
    descent: int
    cut: bool = False
    """Whether a word was cut, being wider than a line."""

    @property
    def height(self) -> int:
        return self.ascent + self.step * (len(self.lines) - 1) + self.descent if self.lines else 0


class _Text:
    """Measuring text in one font, direction and language."""

    def __init__(self, font: Path, direction: str, language: str) -> None:
        self.path = font
        self.direction = direction
        self.language = language
        self.chars = _cmap(font)

    def clean(self, text: str) -> str:
        """`text` in NFC, on one line, without what the font cannot draw (emoji, control characters): a card shows
        no empty boxes."""
        kept = "".join(ch for ch in unicodedata.normalize("NFC", text)
                       if ch.isspace() or (ord(ch) in self.chars and unicodedata.category(ch) not in ("Cc", "Cs")))
        return " ".join(kept.split())

    def fit_box(self, text: str, sizes: tuple[int, int], width: int, height: int) -> _Block:
        """`text` wrapped at the largest size whose lines fit `width` and `height`; at the smallest, the lines that
        fit, the last one ending in an ellipsis."""
        smallest, largest = sizes
        sizes_down = [*range(largest, smallest, -4), smallest]
        for whole_words in (True, False):  # a size at which no word is cut, else the largest at which it fits
            for size in sizes_down:
                block = self.fit(text, size, width)
                if block.height <= height and not (whole_words and block.cut):
                    return block
        lines = (height - block.ascent - block.descent) // block.step + 1
        return self.fit(text, smallest, width, max_lines=max(1, lines))

    def fit(self, text: str, size: int, width: int, max_lines: int | None = None) -> _Block:
        """`text` wrapped to `width` at `size`; past `max_lines`, cut with an ellipsis."""
        font = _font(self.path, size)
        words = self.clean(text).split(" ")
        lines = _wrap(words, lambda line: self.width(font, line) <= width)
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = _shorten(lines[-1], lambda line: self.width(font, line + ELLIPSIS) <= width) + ELLIPSIS
        ascent = descent = 0
        for line in lines:
            _, top, _, under = font.getbbox(line, anchor="ls", direction=self.direction, language=self.language)
            ascent, descent = max(ascent, -int(top)), max(descent, int(under))
        ascent, descent = max(ascent, round(size * 0.75)), max(descent, round(size * 0.25))
        step = max(round(size * 1.5), ascent + descent + size // 10)  # Arabic dots need room between lines
        cut = len(" ".join(lines).split(" ")) != len(words)
        return _Block(font, tuple(lines), step, ascent, descent, cut)

    def draw(self, draw: ImageDraw.ImageDraw, at: tuple[int, int], line: str, font: FreeTypeFont) -> None:
        """`line` with its baseline at `at`, starting there (its right end in right-to-left text); moved inwards when a
        glyph's ink reaches past the line's start."""
        rtl = self.direction == "rtl"
        anchor = "rs" if rtl else "ls"
        left, _, right, _ = font.getbbox(line, anchor=anchor, direction=self.direction, language=self.language)
        x = at[0] - max(0, int(right) + 1) if rtl else at[0] + max(0, -int(left) + 1)
        draw.text((x, at[1]), line, font=font, fill=255, anchor=anchor, direction=self.direction,
                  language=self.language)

    def width(self, font: FreeTypeFont, line: str) -> float:
        """How wide `line` is: its advance, or its ink where a glyph reaches past it."""
        left, _, right, _ = font.getbbox(line, anchor="ls", direction=self.direction, language=self.language)
        advance = font.getlength(line, direction=self.direction, language=self.language)
        return max(advance, right) - min(0, left) + 2  # a pixel each side for antialiasing


def _wrap(words: Sequence[str], fits: Callable[[str], bool]) -> list[str]:
    """`words` broken at spaces into lines that fit, in logical order; a word wider than a line is cut where it must
    be, between characters (never between a letter and its marks)."""
    lines: list[str] = []
    current = ""
    for word in words:
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while not fits(word):
            cut = _longest_prefix(word, fits)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _longest_prefix(word: str, fits: Callable[[str], bool]) -> int:
    """The length of the longest start of `word` that fits, ending between two characters (one at least)."""
    cuts = [i for i in range(1, len(word)) if _can_cut(word, i)] or [len(word)]
    low, high = 0, len(cuts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if fits(word[:cuts[middle]]):
            low = middle
        else:
            high = middle - 1
    return cuts[low]


def _can_cut(word: str, at: int) -> bool:
    """True where `word` may be cut before position `at`: not before a mark or joiner, nor after a joiner."""
    after, before = word[at], word[at - 1]
    return not (unicodedata.combining(after) or unicodedata.category(after) == "Mn"
                or after in "\u200c\u200d" or before in "\u200c\u200d")


def _shorten(line: str, fits: Callable[[str], bool]) -> str:
    """`line` less its last words (or characters) until it fits."""
    while line and not fits(line):
        cut = line.rfind(" ")
        if cut > 0:
            line = line[:cut]
        else:
            cut = _longest_prefix(line, fits)
            line = line[:cut] if fits(line[:cut]) else ""
    return line.rstrip()


@lru_cache(maxsize=64)
def _font(path: Path, size: int) -> FreeTypeFont:
    """The font at `size`, laid out by Raqm (HarfBuzz shaping and FriBiDi ordering); loaded once per process."""
    from PIL import ImageFont, features

    if not features.check_feature("raqm"):  # Pillow would fall back to drawing letters unjoined, left to right
        raise BuildError([SourceError(path, "share cards need Pillow's Raqm layout, which needs the FriBiDi library",
                                      hint="install FriBiDi (Debian and Ubuntu: apt-get install libfribidi0; macOS: "
                                      "brew install fribidi), or set share_cards: false in sitegen.yaml")])
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


@lru_cache(maxsize=8)
def _cmap(path: Path) -> frozenset[int]:
    """The characters the font has glyphs for."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())
