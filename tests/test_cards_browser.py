"""A card's title drawn by sitegen (Pillow, Raqm) and by Chromium (its own HarfBuzz and bidi) with the same font file
look the same; an unshaped drawing of the title does not.

The metric: each drawing is cut to the box of its ink, then (1) the two boxes' widths and heights must agree within
3 % (shaping changes widths: joined Arabic letters and lam-alef are narrower than isolated ones, so a wrong shaping or
a dropped glyph moves the width by far more), and (2) the two inks, scaled to one size, must correlate pixel for
pixel at 0.9 or more (the order of words and letters: a right-to-left line drawn left to right, or unjoined letters,
puts the ink elsewhere). Antialiasing differs between the two rasterizers, which costs a few hundredths of
correlation, never a tenth.
"""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path
from typing import Any

import pytest

from sitegen.render.cards import _font, load_card_style

from .helpers import ROOT

Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")
ImageFont = pytest.importorskip("PIL.ImageFont")

if not Path("/usr/bin/chromium").exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium (apt-get install chromium)")
    pytest.skip("chromium missing", allow_module_level=True)
if os.environ.get("CI"):
    from playwright import sync_api  # noqa: F401
else:
    pytest.importorskip("playwright.sync_api")

SIZE = 64
TITLES = {
    "Arabic with a Latin word": ("كيف تبني حضورك على LinkedIn دون أن تخسر وقتك", "rtl", "ar"),
    "lam-alef and hamza": ("الشبكات: ما هي وكيف تعمل؟ لا أعرف", "rtl", "ar"),
    "English": ("Networking at tech meetups", "ltr", "en"),
}


def font_path() -> Path:
    style, errors = load_card_style([ROOT / "themes" / "default"])
    assert style is not None and not errors
    return style.title_font


def ink(image: Any) -> Any:
    """The grey image cut to the box of its ink (dark on white)."""
    grey = image.convert("L")
    box = Image.eval(grey, lambda v: 255 - v).point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box is not None
    return grey.crop(box)


def sitegen_line(text: str, direction: str, language: str, *, shaped: bool = True) -> Any:
    font = _font(font_path(), SIZE)
    image = Image.new("RGB", (2400, 200), "white")
    if not shaped:  # each letter apart, left to right: how generators without shaping draw Arabic
        text, direction = "\u202d" + "\u200c".join(text) + "\u202c", "ltr"
    ImageDraw.Draw(image).text((40, 130), text, font=font, fill="black", anchor="ls", direction=direction,
                               language=language)
    return ink(image)


@pytest.fixture(scope="module")
def chromium_line(chromium: Any) -> Any:
    data = base64.b64encode(font_path().read_bytes()).decode()
    page = chromium.new_page(viewport={"width": 2400, "height": 200})

    def draw(text: str, direction: str, language: str) -> Any:
        page.set_content(f"""<!doctype html><html lang="{language}"><style>
            @font-face {{ font-family: card; src: url(data:font/ttf;base64,{data}); }}
            body {{ margin: 0; background: white; }}
            p {{ font: {SIZE}px/1.6 card; color: black; white-space: nowrap; margin: 40px; display: inline-block; }}
            </style><p dir="{direction}">{text}</p></html>""")
        page.evaluate("document.fonts.ready")
        return ink(Image.open(io.BytesIO(page.locator("p").screenshot())))

    yield draw
    page.close()


def correlation(a: Any, b: Any) -> float:
    """Pearson's correlation of two inks scaled to one size."""
    size = (max(a.width, b.width), max(a.height, b.height))
    x, y = list(a.resize(size).tobytes()), list(b.resize(size).tobytes())  # one byte a pixel (mode L)
    mean_x, mean_y = sum(x) / len(x), sum(y) / len(y)
    cov = sum((p - mean_x) * (q - mean_y) for p, q in zip(x, y, strict=True))
    var_x = sum((p - mean_x) ** 2 for p in x)
    var_y = sum((q - mean_y) ** 2 for q in y)
    return float(cov / (var_x * var_y) ** 0.5)


@pytest.mark.parametrize("name", list(TITLES))
def test_chromium_draws_the_title_as_the_card_does(name: str, chromium_line: Any) -> None:
    text, direction, language = TITLES[name]
    ours, theirs = sitegen_line(text, direction, language), chromium_line(text, direction, language)
    assert abs(ours.width - theirs.width) <= 0.03 * theirs.width, (ours.size, theirs.size)
    assert abs(ours.height - theirs.height) <= 0.03 * theirs.height + 2, (ours.size, theirs.size)
    assert correlation(ours, theirs) >= 0.9


@pytest.mark.parametrize("name", ["Arabic with a Latin word", "lam-alef and hamza"])
def test_an_unshaped_title_does_not_pass_the_comparison(name: str, chromium_line: Any) -> None:
    text, direction, language = TITLES[name]
    wrong, theirs = sitegen_line(text, direction, language, shaped=False), chromium_line(text, direction, language)
    assert correlation(wrong, theirs) < 0.6
