"""Search in a real browser: the sample blog built by the CLI (with its Pagefind index), served as Netlify serves it
(netlify.toml's headers, so the real Content-Security-Policy), its search page typed into by keyboard in Debian's
Chromium. Arabic queries find the right posts however the reader writes them (tashkeel, hamza and alef forms,
ة/ه, ى/ي, Arabic and Latin words together); the results and messages are Arabic and right to left; the CSP blocks
nothing and nothing is fetched from another origin; axe finds no violation."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from sitegen.build.search import TEST_SHARD_PAGES
from tools.browser import CHROMIUM
from tools.static_server import serve

from .helpers import ROOT, SAMPLE_EPOCH, run_cli
from .test_theme_browser import AXE, run_axe

if not CHROMIUM.exists() or not AXE.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium and axe-core (npm ci --prefix tests/js)")
    pytest.skip("chromium or tests/js/node_modules missing", allow_module_level=True)
if not os.environ.get("CI"):
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("pagefind")

BUILDING = "بناء علاقات تقنية حقيقية"
GOLDEN_RULES = "فن بناء العلاقات المهنية: القواعد الذهبية"
COMMUNITIES = "مجتمعات المتخصصين: ماذا نستفيد منها وكيف نبدأ"
NETWORKS = "الشبكات: ما هي وكيف تعمل"
MEETUPS = "Networking at tech meetups without feeling like a salesperson"
INPUT = ".pagefind-ui__search-input"
RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"
"""A result's title (not the headings inside the post it shows too)."""


@pytest.fixture(scope="module")
def sharded_blog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample blog with its index in parts of at most two pages (a year each, split in two by the hash): the
    search page merges five bundles, each with its own languages."""
    out = tmp_path_factory.mktemp("sharded-blog") / "public"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TEST_SHARD_PAGES, "2")
        code, _, stderr = run_cli("build", "--source", ROOT, "--output", out, epoch=SAMPLE_EPOCH)
    assert code == 0, stderr
    shards = json.loads((out / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert len(shards) > 3 and sum(sum(shard["languages"].values()) for shard in shards) == 7
    yield out


@pytest.fixture(scope="module", params=["one part", "parts"])
def site(request: pytest.FixtureRequest, sample_blog: Path) -> Iterator[str]:
    """The sample blog served with its index in one part (as built), then in parts."""
    built = sample_blog if request.param == "one part" else request.getfixturevalue("sharded_blog")
    with serve(built) as base:
        yield base


@pytest.fixture
def search_page(chromium: Any, site: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """The search page, focused on nothing: (page, console messages, requests to another origin)."""
    context = chromium.new_context()
    page = context.new_page()
    messages: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).netloc != urlsplit(site).netloc else None)
    assert page.goto(site + "search/").status == 200
    page.wait_for_selector(INPUT)
    yield page, messages, elsewhere
    context.close()


def _search(page: Any, query: str) -> list[str]:
    """Type `query` into the search box (as keys, after clearing it) and return the titles of the results."""
    box = page.locator(INPUT)
    box.fill("")
    box.focus()
    page.keyboard.type(query)
    page.wait_for_function("q => { const m = document.querySelector('.pagefind-ui__message'); "  # not 'searching...'
                           "return m && m.textContent.includes(q) && !m.textContent.trim().endsWith('...'); }",
                           arg=query)
    page.wait_for_timeout(100)  # the result titles load just after the count
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__result-title.pagefind-ui__loading')")
    return [title.strip() for title in page.locator(RESULT).all_inner_texts()]


# Each query is typed as a reader would; the posts it must find are those whose text has the word as the author
# wrote it (checked against content/posts/).
QUERIES = [
    pytest.param("مُصْداقية", [BUILDING], id="tashkeel in the query, none in the text (مصداقية)"),
    pytest.param("ينسى", [GOLDEN_RULES], id="no tashkeel in the query, tashkeel in the text (يُنسى)"),
    pytest.param("اخلاقيات", [BUILDING], id="bare alef for hamza above (أخلاقيات)"),
    pytest.param("ارسال", [BUILDING], id="bare alef for hamza below (إرسال)"),
    pytest.param("الاخرين", None, id="bare alef for madda (الآخرين)"),
    pytest.param("مصداقيه", [BUILDING], id="ه for ة"),
    pytest.param("مصـــداقية", [BUILDING], id="tatweel in the query"),
    pytest.param("الاقوي", [COMMUNITIES, GOLDEN_RULES], id="ي for ى, and bare alef (الأقوى)"),
    pytest.param("LinkedIn مصداقية", [BUILDING, MEETUPS], id="a Latin and an Arabic word in one query"),
    pytest.param("salesperson", [MEETUPS], id="an English word finds the English post from the Arabic page"),
]


@pytest.mark.parametrize(("query", "titles"), QUERIES)
def test_arabic_queries_find_the_posts_however_they_are_written(search_page: Any, query: str,
                                                                titles: list[str] | None) -> None:
    page, messages, elsewhere = search_page
    found = _search(page, query)
    if titles is None:  # a common word: it must find what the word as written finds
        assert found and sorted(found) == sorted(_search(page, "الآخرين"))
    elif page.evaluate("fetch('/pagefind/shards.json').then(r => r.json()).then(m => m.shards.length)") == 1:
        assert found == titles  # in the order of relevance: the post with both words of a query of two first
    else:  # every post with the word; but a part without it adds what Pagefind finds there instead (it shortens a
        # word no page of the part has until one matches: the about page's 'ا'), ranked by that part's own scores
        assert set(titles) <= set(found)
        assert set(found) - set(titles) <= {"عن الكاتب", NETWORKS}
    assert messages == []  # no CSP violation, no error
    assert elsewhere == []


def test_a_word_of_a_title_finds_that_post_first(search_page: Any) -> None:
    """Ranking across parts: each part scores its own pages, and the merged results are sorted by those scores; a
    post whose title has the word comes before posts that only mention it."""
    page, _, _ = search_page
    found = _search(page, "مجتمعات")
    assert found[0] == COMMUNITIES
    found = _search(page, "الشبكات")
    assert found[0] == NETWORKS


def test_results_are_right_to_left_and_a_query_without_match_says_so_in_arabic(search_page: Any) -> None:
    page, messages, _ = search_page
    found = _search(page, "العلاقات")
    assert len(found) >= 3
    directions = page.eval_on_selector_all(".pagefind-ui__result", "rs => rs.map(r => getComputedStyle(r).direction)")
    assert directions and set(directions) == {"rtl"}
    assert page.eval_on_selector(".pagefind-ui__form", "f => getComputedStyle(f).direction") == "rtl"
    assert page.locator(INPUT).get_attribute("placeholder") == "بحث"
    _search(page, "zzqxw")
    assert page.locator(".pagefind-ui__message").inner_text().strip() == "لا توجد نتائج ل zzqxw"
    assert messages == []


def test_the_keyboard_reaches_the_box_and_the_results(search_page: Any) -> None:
    page, _, _ = search_page
    for _ in range(30):  # from the top of the page: skip link, header links, then the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.pagefind-ui__search-input')"):
            break
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.type("مصداقية")
    page.wait_for_selector(".pagefind-ui__result-link")
    page.wait_for_function("() => !document.querySelector('.pagefind-ui__result-title.pagefind-ui__loading')")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.pagefind-ui__result-link')"):
            break
    else:
        pytest.fail("Tab never reached a result")
    assert page.evaluate("document.activeElement.textContent.trim()") == BUILDING
    page.keyboard.press("Enter")
    page.wait_for_url("**/posts/**")
    assert page.locator("h1").inner_text() == BUILDING


def test_the_header_box_sends_its_query_to_the_search_page(chromium: Any, site: str) -> None:
    page = chromium.new_page()
    try:
        page.goto(site)
        page.locator("#site-search-q").fill("اخلاقيات")
        page.keyboard.press("Enter")
        page.wait_for_selector(".pagefind-ui__result-link")
        page.wait_for_function("() => !document.querySelector('.pagefind-ui__result-title.pagefind-ui__loading')")
        assert page.locator(RESULT).all_inner_texts()[0] == BUILDING
        assert page.locator(INPUT).input_value() == "اخلاقيات"
    finally:
        page.close()


def test_axe_finds_no_violation_on_the_search_page_with_results(search_page: Any) -> None:
    page, _, _ = search_page
    _search(page, "العلاقات")
    assert run_axe(page) == []


def test_without_wasm_unsafe_eval_the_csp_blocks_search(chromium: Any, sample_blog: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """What netlify.toml adds for search is needed: without 'wasm-unsafe-eval' the browser refuses to compile
    Pagefind's WebAssembly and nothing is found."""
    import tools.static_server

    real = tools.static_server.netlify_headers()
    csp = real[0][1]["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval';" in csp
    stricter = [(pattern, {**values, "Content-Security-Policy": csp.replace(" 'wasm-unsafe-eval'", "")})
                if "Content-Security-Policy" in values else (pattern, values) for pattern, values in real]
    monkeypatch.setattr(tools.static_server, "netlify_headers", lambda: stricter)
    page = chromium.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    try:
        with serve(sample_blog) as base:
            page.goto(base + "search/?q=مصداقية")
            page.wait_for_timeout(3000)
            assert page.locator(RESULT).count() == 0
            refused = [m for m in messages if "CompileError" in m and "Content Security Policy" in m]
            assert refused, messages
    finally:
        page.close()
