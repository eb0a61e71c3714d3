"""Share cards: the sample blog's cards read back by OCR as their titles (and a wrongly drawn card does not), extreme
titles stay inside the card, the same title drawn by Chromium looks the same, pages point at their card, and cards
are part of the incremental build."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.render.cards import CARD_SIZE, Card, CardStyle, load_card_style, render_card

from .helpers import ROOT, build_ok, edit, read_tree
from .test_incremental import cold_tree, inodes, rebuild

Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")
ImageFont = pytest.importorskip("PIL.ImageFont")

THEME = ROOT / "themes" / "default"
MAX_CER = 0.10
"""The most characters in ten OCR may get wrong in a title it reads back. Tesseract reads the sample blog's seven
cards exactly (0 %, once ى and ي are folded, which it confuses); an unshaped left-to-right drawing of the same titles,
or one with the words in left-to-right order, reads at 50 to 71 %. 10 % leaves room for a misread letter or two in a
longer title and sits far below any wrong drawing (the test below asks more than 30 % of those)."""
TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None and not os.environ.get("CI"),
                                     reason="tesseract is not installed (.ci/run installs it; under CI it must be)")


@pytest.fixture(scope="module")
def style() -> CardStyle:
    loaded, errors = load_card_style([THEME])
    assert errors == [] and loaded is not None
    return loaded


@pytest.fixture(scope="module")
def sample_blog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample blog at the root of the repository, built."""
    site = tmp_path_factory.mktemp("sample") / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "sitegen.yaml", site / "sitegen.yaml")
    build_ok("--source", site, epoch="1893456000")  # 2030: every sample post published
    return site / "public"


def normalized(text: str) -> str:
    """Text as the comparison sees it: NFC, without tashkeel or bidi marks, ى as ي, spaces collapsed."""
    text = BIDI_MARKS.sub("", unicodedata.normalize("NFC", text))
    return " ".join(TASHKEEL.sub("", text).replace("ى", "ي").split())


def distance_within(needle: str, haystack: str) -> int:
    """The fewest edits that turn `needle` into some stretch of `haystack` (Sellers' approximate matching): the
    title's errors in an OCR text that also holds the blog's name and the date."""
    previous = list(range(len(needle) + 1))
    best = previous[-1]
    for char in haystack:
        current = [0]
        for i, wanted in enumerate(needle, 1):
            current.append(min(previous[i] + 1, current[i - 1] + 1, previous[i - 1] + (wanted != char)))
        previous = current
        best = min(best, current[-1])
    return best


def cer(title: str, ocr: str) -> float:
    wanted = normalized(title)
    return distance_within(wanted, normalized(ocr)) / len(wanted)


def ocr(png: bytes, title: str) -> str:
    """The text Tesseract reads on `png`, with the language data of the scripts in `title` (with English data too,
    a short Arabic word on its own line is sometimes read as Latin letters: تهمّ as "Teg"). Page segmentation 4, one
    column of lines of several sizes, is what a card is (segmentation 6, one block of one size, reads the dots between
    two Arabic lines as a line of their own)."""
    langs = [lang for lang, script in (("ara", "[؀-ۿ]"), ("eng", "[A-Za-z]")) if re.search(script, title)]
    result = subprocess.run(["tesseract", "stdin", "stdout", "-l", "+".join(langs) or "eng", "--psm", "4"],
                            input=png, capture_output=True, check=True)
    return result.stdout.decode()


def test_distance_within_finds_the_title_in_a_longer_text() -> None:
    assert distance_within("abc", "xx abc yy") == 0
    assert distance_within("abc", "xx abd yy") == 1
    assert distance_within("abc", "") == 3
    assert normalized("\u200fمَا هى\u200e  الشبكات") == "ما هي الشبكات"


def sample_titles() -> dict[str, str]:
    """Each post of the sample blog: its card's path -> its title (read from the front matter)."""
    titles = {}
    for path in sorted((ROOT / "content" / "posts").glob("*.md")):
        title = re.search(r"^title: *(.+)$", path.read_text(encoding="utf-8"), re.M)
        assert title is not None
        titles[f"posts/{path.stem}/card.png"] = title.group(1).strip("'\"")
    return titles


@needs_tesseract
def test_every_sample_card_reads_back_as_its_title(sample_blog: Path) -> None:
    titles = sample_titles() | {"card.png": "مدونة العلاقات المهنية"}
    assert len(titles) == 7
    for path, title in titles.items():
        png = (sample_blog / path).read_bytes()
        with Image.open(io.BytesIO(png)) as image:
            assert image.size == CARD_SIZE
        text = ocr(png, title + " اسم الكاتب")  # the author is on every card, in Arabic
        assert cer(title, text) <= MAX_CER, (path, title, text)
        assert "اسم الكاتب" in normalized(text)


def wrong_title(title: str, style: CardStyle, how: str) -> bytes:
    """`title` drawn as generators without shaping or right-to-left layout draw it: 'unshaped' letters isolated and
    left to right (each letter apart, a left-to-right override), or 'word order' each word shaped but the words left
    to right."""
    image = Image.new("RGB", CARD_SIZE, style.background)
    font = ImageFont.truetype(str(style.title_font), 72, layout_engine=ImageFont.Layout.RAQM)
    if how == "unshaped":
        text, direction = "\u202d" + "\u200c".join(title) + "\u202c", "ltr"
    else:
        text, direction = " ".join(reversed(title.split())), "rtl"
    ImageDraw.Draw(image).text((1128, 300), text, font=font, fill=style.foreground, anchor="rs", direction=direction)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@needs_tesseract
@pytest.mark.parametrize("how", ["unshaped", "word order"])
def test_the_ocr_check_fails_on_a_wrongly_drawn_title(how: str, style: CardStyle) -> None:
    """The check above can fail: the same titles drawn wrongly read back far from the title."""
    for title in ["ما هي الشبكات المهنية؟ ولماذا تهمّ؟", "بناء علاقات تقنية حقيقية", "الشبكات: ما هي وكيف تعمل"]:
        right = render_card(Card(title, "مدونة", "اسم الكاتب", None, "ar"), style)
        assert cer(title, ocr(right, title)) <= MAX_CER
        assert cer(title, ocr(wrong_title(title, style, how), title)) > 3 * MAX_CER


EXTREME = {
    "300 characters": ("العلاقات المهنية في LinkedIn " * 12)[:300],
    "one 80-character word": "Networking" * 8,
    "an 80-letter Arabic word": "العلاقات" * 10,
    "Latin only": "How to keep in touch with the people you met at a conference, without a CRM or a spreadsheet",
    "mixed": "لماذا يفضّل مديرو التوظيف GitHub وStack Overflow على السيرة الذاتية (CV) في 2026؟",
    "emoji": "🚀 إطلاق المدونة 🎉 Launch day 👩🏽‍💻",
    "only emoji": "🚀🎉",
    "empty": "",
    "spaces and controls": "  عنوان\n\tمع\x07 مسافات  ",
}


def ink_box(png: bytes, background: str) -> tuple[int, int, int, int] | None:
    """The bounding box of everything drawn below the accent bar."""
    from PIL import ImageChops

    with Image.open(io.BytesIO(png)) as image:
        body = image.convert("RGB").crop((0, 12, *CARD_SIZE))
        plain = Image.new("RGB", body.size, background)
        box = ImageChops.difference(body, plain).getbbox()
    return None if box is None else (box[0], box[1] + 12, box[2], box[3] + 12)


@pytest.mark.parametrize("name", list(EXTREME))
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_extreme_title_stays_inside_the_margins(name: str, lang: str, style: CardStyle) -> None:
    card = Card(EXTREME[name], "مدونة العلاقات المهنية: a blog about people " * 3, "اسم الكاتب", date(2026, 11, 22),
                lang)
    png = render_card(card, style)
    assert png == render_card(card, style)  # the same bytes every time
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == CARD_SIZE
        assert "tIME" not in image.info and image.format == "PNG"
    box = ink_box(png, style.background)
    assert box is not None
    left, top, right, bottom = box
    margin = style.margin
    assert margin <= left and right <= CARD_SIZE[0] - margin, box
    assert margin <= top and bottom <= CARD_SIZE[1] - margin, box


def test_a_long_title_wraps_and_shrinks_a_short_one_stays_large(style: CardStyle) -> None:
    def title_height(title: str) -> int:
        png = render_card(Card(title, "", "", None, "ar"), style)
        box = ink_box(png, style.background)
        assert box is not None
        return box[3] - box[1]

    short, long = title_height("بناء علاقات"), title_height(EXTREME["300 characters"])
    assert long > 3 * short  # several lines
    assert long <= CARD_SIZE[1] - 2 * style.margin


def test_a_theme_changes_colours_and_font_and_bad_settings_are_reported(tmp_path: Path, style: CardStyle) -> None:
    theme = tmp_path / "mine"
    (theme / "cards").mkdir(parents=True)
    shutil.copy(style.text_font, theme / "cards" / "plain.ttf")
    (theme / "cards" / "card.yaml").write_text('background: "#ffffff"\ntitle_font: plain.ttf\n', encoding="utf-8")
    mine, errors = load_card_style([theme, THEME])
    assert errors == [] and mine is not None
    assert (mine.background, mine.title_font, mine.foreground) == ("#ffffff", theme / "cards" / "plain.ttf",
                                                                     style.foreground)
    assert mine.fingerprint != style.fingerprint
    with Image.open(io.BytesIO(render_card(Card("عنوان", "", "", None, "ar"), mine))) as image:
        assert image.convert("RGB").getpixel((600, 600)) == (255, 255, 255)
    (theme / "cards" / "card.yaml").write_text('background: white\nmargin: -1\nsize: 3\n', encoding="utf-8")
    bad, errors = load_card_style([theme, THEME])
    assert bad is None
    assert [e.message for e in errors] == ["unknown card setting 'size'"]
    (theme / "cards" / "card.yaml").write_text('background: white\nmargin: -1\ntext_font: none.ttf\n',
                                               encoding="utf-8")
    bad, errors = load_card_style([theme, THEME])
    assert bad is None
    assert [(e.path.name, e.message) for e in errors] == [
        ("card.yaml", "background: 'white' is not a colour"),
        ("card.yaml", "text_font: no font file none.ttf beside the card settings"),
        ("card.yaml", "margin must be a whole number of pixels from 0 to 200")]
    (theme / "cards" / "card.yaml").write_text('margin: 150\ntext_size: 60\n', encoding="utf-8")
    bad, errors = load_card_style([theme, THEME])
    assert bad is None
    assert [e.message for e in errors] == ["the margin and text size leave no room for the title on a card 627 "
                                           "pixels high"]


def meta(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', html))


def test_each_page_points_at_its_own_card_and_an_own_image_wins(sample_blog: Path) -> None:
    for path, title in sample_titles().items():
        tags = meta(sample_blog / path.replace("card.png", "index.html"))
        assert tags["og:image"] == tags["twitter:image"]
        assert tags["og:image"].startswith("https://example.netlify.app/posts/")
        assert tags["og:image"].endswith("/card.png")
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "627")
        assert tags["og:image:alt"] == title.replace("'", "&#39;")
        assert tags["twitter:card"] == "summary_large_image"
    home = meta(sample_blog / "index.html")
    assert home["og:image"] == "https://example.netlify.app/card.png"
    about = meta(sample_blog / "about" / "index.html")  # a page has no card: the site's default image
    assert about["og:image"] == "https://example.netlify.app/social.png"


def test_a_post_with_its_own_image_keeps_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "sites" / "basic", site)
    shutil.rmtree(site / "expected", ignore_errors=True)
    edit(site / "content/posts/relations.md", "layout: post", "layout: post\nimage: https://cdn.example/x.png")
    build_ok("--source", site, epoch="1893456000")  # 2030: every sample post published
    tags = meta(site / "public/posts/بناء-علاقات/index.html")
    assert tags["og:image"] == tags["twitter:image"] == "https://cdn.example/x.png"
    assert (site / "public/posts/بناء-علاقات/card.png").is_file()  # still drawn, for whoever links it


def test_share_cards_false_draws_none_and_pages_keep_the_sites_image(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "sites" / "basic", site)
    shutil.rmtree(site / "expected", ignore_errors=True)
    (site / "sitegen.yaml").write_text((site / "sitegen.yaml").read_text() + "share_cards: false\n")
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "card.png").write_bytes(b"mine")  # no card claims the path: the author's file is served
    build_ok("--source", site, epoch="1893456000")
    public = site / "public"
    assert not [p for p in public.rglob("card.png") if p != public / "card.png"]
    assert (public / "card.png").read_bytes() == b"mine"
    for page in (public / "index.html", public / "posts/بناء-علاقات/index.html"):
        tags = meta(page)
        assert tags["og:image"] == tags["twitter:image"] == "https://blog.example.org/social.png"


def test_a_file_named_like_a_card_is_a_collision(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "sites" / "basic", site)
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "card.png").write_bytes(b"x")
    from .helpers import run_cli

    code, _, stderr = run_cli("build", "--source", site)
    assert code != 0
    assert "static/card.png" in stderr and "would overwrite the generated /card.png" in stderr


def test_an_image_named_card_png_beside_a_post_is_a_collision_named_at_the_image(tmp_path: Path) -> None:
    from .helpers import make_site, run_cli

    site = make_site(tmp_path, {"content/posts/x/index.md": "---\ntitle: x\ndate: 2025-01-01\n---\n![c](card.png)\n",
                                "content/posts/x/card.png": b"PNG"})
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 1
    assert stderr.startswith("content/posts/x/card.png: error: this file would overwrite the generated "
                             "/posts/x/card.png\n")


def cards_of(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in tree.items() if path.endswith("card.png")}


CARD_CHANGES = {
    "title": ("content/posts/relations.md", "title: بناء علاقات حقيقية في B2B", "title: علاقات B2B"),
    "author": ("content/posts/relations.md", "layout: post", "layout: post\nauthor: نور"),
    "date": ("content/posts/relations.md", "date: 2025-02-01", "date: 2025-02-02"),
    "language": ("content/posts/relations.md", "layout: post", "layout: post\nlang: en"),
    "blog name": ("sitegen.yaml", "title: ", "title: New "),
}


@pytest.mark.parametrize("change", list(CARD_CHANGES))
def test_a_card_is_redrawn_when_what_it_shows_changes_and_the_rebuild_equals_a_cold_build(
        change: str, site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    rebuild(site)
    before_inodes = inodes(site / "public")
    before = cards_of(read_tree(site / "public"))
    path, old, new = CARD_CHANGES[change]
    edit(site / path, old, new)
    rebuild(site)
    after_inodes = inodes(site / "public")
    after = cards_of(read_tree(site / "public"))
    redrawn = sorted(p for p in after if after_inodes[p] != before_inodes.get(p))
    changed = sorted(p for p in after if after[p] != before.get(p))
    if change == "blog name":
        assert changed == redrawn == sorted(after)  # every card shows it
    else:
        assert changed == redrawn == ["posts/بناء-علاقات/card.png"]
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


@pytest.mark.parametrize("change", [
    ("content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر."),  # a post's text
    ("content/posts/relations.md", "layout: post", "description: وصف آخر"),  # its description
    ("templates/partials/post_meta.html", None, "<p>{{ post.words }}</p>\n"),  # a template
])
def test_what_a_card_does_not_show_redraws_no_card(change: tuple[str, str | None, str], site_copy,
                                                   tmp_path: Path) -> None:
    site = site_copy("basic")
    rebuild(site)
    before = inodes(site / "public")
    path, old, new = change
    if old is None:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(new, encoding="utf-8")
    else:
        edit(site / path, old, new)
    rebuild(site)
    after = inodes(site / "public")
    assert after != before
    assert {p: after[p] for p in after if p.endswith("card.png")} == {
        p: before[p] for p in before if p.endswith("card.png")}
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_the_theme_card_settings_redraw_every_card(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    rebuild(site)
    before = cards_of(read_tree(site / "public"))
    (site / "themes/default/cards").mkdir(parents=True)
    (site / "themes/default/cards/card.yaml").write_text('accent: "#ff0000"\n', encoding="utf-8")
    rebuild(site)
    after = cards_of(read_tree(site / "public"))
    assert after.keys() == before.keys() and all(after[p] != before[p] for p in after)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_without_raqm_a_build_stops_with_advice_instead_of_drawing_unjoined_letters(
        site_copy, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import features

    from sitegen.render import cards

    from .helpers import run_cli

    site = site_copy("basic")
    monkeypatch.setattr(features, "check_feature", lambda name: name != "raqm")
    cards._font.cache_clear()
    code, _, stderr = run_cli("build", "--source", site, "--jobs", "1")
    cards._font.cache_clear()
    assert code == 1, stderr
    assert "share cards need Pillow's Raqm layout, which needs the FriBiDi library" in stderr
    assert "apt-get install libfribidi0" in stderr


def test_card_paths_lie_beside_their_pages() -> None:
    from sitegen.site.routes import card_path

    assert card_path("/") == "card.png"
    assert card_path("/posts/بناء/") == "posts/بناء/card.png"


@pytest.mark.parametrize("permalink", ["/{year}/{month}/{slug}/", "/{lang}/{slug}/", "/p/{year}.{month}/{slug}/"])
def test_og_image_names_the_card_the_build_wrote_whatever_the_permalink(permalink: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests" / "sites" / "basic", site)
    shutil.rmtree(site / "expected", ignore_errors=True)
    edit(site / "sitegen.yaml", "permalink: /posts/{slug}/", f"permalink: {permalink}")
    build_ok("--source", site)
    public = site / "public"
    pages = [page for page in public.rglob("*") if page.is_file() and '"og:type" content="article"' in
             page.read_text(encoding="utf-8", errors="replace")]
    assert len(pages) >= 3
    for page in pages:
        url = meta(page)["og:image"]
        assert url.startswith("https://blog.example.org/") and url.endswith("card.png")
        assert (public / unquote(url.removeprefix("https://blog.example.org/"))).is_file(), (page, url)


def test_the_preview_serves_the_cards(served_basic) -> None:  # type: ignore[no-untyped-def]
    from .helpers import get

    folder = "/posts/" + quote("بناء-علاقات") + "/"
    status, headers, body = get(served_basic, folder + "card.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == CARD_SIZE
    assert f'{folder}card.png">' in get(served_basic, folder)[2].decode()


_WORDS = st.text(st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإىةلا َُِّ" "abcXYZ019" "\u200c\u200d\u200f.,:؟!()«»"
                                  "🚀👩🏽‍💻\x00\n\t"), min_size=0, max_size=30)


@given(st.lists(_WORDS, max_size=25).map(" ".join), st.sampled_from(["ar", "en", "fa"]))
@settings(max_examples=25, deadline=None)
def test_any_title_stays_inside_the_card(title: str, lang: str) -> None:
    style, _ = load_card_style([THEME])
    assert style is not None
    png = render_card(Card(title, "مدونة", "اسم الكاتب", date(2026, 1, 2), lang), style)
    box = ink_box(png, style.background)
    assert box is not None  # at least the blog's name and the author
    left, top, right, bottom = box
    assert style.margin <= left and right <= CARD_SIZE[0] - style.margin
    assert style.margin <= top and bottom <= CARD_SIZE[1] - style.margin
