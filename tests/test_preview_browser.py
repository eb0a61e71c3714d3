"""The preview in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium)."""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest

from tools.browser import CHROMIUM

from .helpers import Server, edit

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium (apt-get install chromium) for the browser tests")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

WAIT = 20_000  # ms: generous upper bounds; the tests check behaviour, not speed (bench/ measures that)


@pytest.fixture
def browser(chromium):  # type: ignore[no-untyped-def]
    """The run's one Chromium (conftest.chromium)."""
    return chromium


@pytest.fixture
def server(site_copy):
    running = Server(site_copy("basic"))
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 900, "height": 500})
    tab = context.new_page()
    yield tab
    context.close()


def open_live(page, url: str) -> None:
    """Open a page and wait until its live-reload connection is up."""
    page.goto(url)
    page.wait_for_function("window.sitegenLive && window.sitegenLive.readyState === 1", timeout=WAIT)


POST = "content/posts/2025-01-10-networking.md"


def test_an_edit_shows_without_touching_the_browser(server: Server, page) -> None:
    open_live(page, server.url + "posts/networking/")
    page.evaluate("window.before = window.sitegenLive")
    edit(server.site / POST, "## كيف تبدأ", "## كيف تبدأ اليوم")
    page.wait_for_function("document.querySelector('h2#كيف-تبدأ-اليوم') !== null", timeout=WAIT)
    # updated in place: no reload, and the injected script of the new page did not run a second time
    assert page.evaluate("window.before === window.sitegenLive")
    edit(server.site / POST, "title: \"ما هي الشبكات المهنية؟\"", "title: \"ما هي الشبكات المهنية اليوم؟\"")
    page.wait_for_function("document.title.startsWith('ما هي الشبكات المهنية اليوم؟')", timeout=WAIT)


def test_scroll_position_is_kept_on_reload(server: Server, page) -> None:
    edit(server.site / POST, "## لماذا تهم؟", "## لماذا تهم؟\n\n" + "فقرة طويلة للتمرير.\n\n" * 80)
    open_live(page, server.url + "posts/networking/")
    page.evaluate("window.scrollTo(0, 1200)")
    edit(server.site / POST, "## كيف تبدأ", "## كيف تبدأ الآن")
    page.wait_for_function("document.querySelector('h2#كيف-تبدأ-الآن') !== null", timeout=WAIT)
    page.wait_for_function("Math.abs(window.scrollY - 1200) < 5", timeout=WAIT)


def test_css_is_swapped_without_a_reload(server: Server, page) -> None:
    (server.site / "static").mkdir()
    css = server.site / "static" / "style.css"
    css.write_text("body { background-color: rgb(1, 2, 3); }")
    open_live(page, server.url + "posts/networking/")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=WAIT)
    page.evaluate("window.survivesReload = 42")
    css.write_text("body { background-color: rgb(4, 5, 6); }")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(4, 5, 6)'", timeout=WAIT)
    assert page.evaluate("window.survivesReload") == 42


def test_broken_front_matter_shows_an_overlay_and_fixing_it_recovers(server: Server, page) -> None:
    open_live(page, server.url + "posts/networking/")
    page.evaluate("window.beforeError = 1")
    edit(server.site / POST, "tags: [شبكات, مهنة]", "tags: [شبكات, مهنة")
    overlay = page.locator("#sitegen-error-overlay")
    overlay.wait_for(timeout=WAIT)
    assert "content/posts/2025-01-10-networking.md:4:12: error: invalid YAML" in overlay.inner_text()
    assert page.evaluate("window.beforeError") == 1  # the last good page stays, under the overlay
    edit(server.site / POST, "tags: [شبكات, مهنة", "tags: [شبكات, مهنة]\nupdated: 2025-05-05")
    overlay.wait_for(state="detached", timeout=WAIT)
    page.wait_for_function("document.body.textContent.includes('5 مايو 2025')", timeout=WAIT)


def test_a_tab_on_another_page_stays_put_and_a_title_edit_reloads_home(server: Server, browser) -> None:
    context = browser.new_context()
    other, home = context.new_page(), context.new_page()
    try:
        open_live(other, server.url + "about/")
        open_live(home, server.url)
        other.evaluate("window.marker = 'still here'")
        other.evaluate("window.messages = []; sitegenLive.addEventListener('message', e => messages.push(e.data))")
        # the preview shows future posts too, so the home page lists the future post and the English one
        edit(server.site / "content/posts/bundle-post/index.md", "title: English post with an image",
             "title: English post with a chart")
        home.wait_for_function("document.body.textContent.includes('English post with a chart')", timeout=WAIT)
        other.wait_for_function("messages.some(m => m.includes('\"ok\"'))", timeout=WAIT)
        other.wait_for_timeout(300)
        assert other.evaluate("window.marker") == "still here"
    finally:
        context.close()


def test_navigate_follows_the_author_to_the_saved_post(site_copy, browser) -> None:
    server = Server(site_copy("basic"), "--navigate")
    context = browser.new_context()
    try:
        tab = context.new_page()
        open_live(tab, server.url)
        edit(server.site / "content/posts/relations.md", "العلاقات الحقيقية تُبنى بالثقة.", "تُبنى بالثقة والوقت.")
        tab.wait_for_url(server.url + quote("posts/بناء-علاقات/"), timeout=WAIT)
        tab.wait_for_function("document.body.textContent.includes('تُبنى بالثقة والوقت.')", timeout=WAIT)
    finally:
        context.close()
        server.stop()


def test_an_arabic_url_opens(served_basic: Server, page) -> None:
    response = page.goto(served_basic.url + "posts/بناء-علاقات/")
    assert response.status == 200
    assert page.title().startswith("بناء علاقات حقيقية في B2B")
    assert page.evaluate("document.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
