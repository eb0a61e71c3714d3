"""The default theme in a real browser: Debian's Chromium driven by Playwright, the sample blog and the golden site
served as Netlify would serve them (netlify.toml's headers, so the real Content-Security-Policy, and gzip).

axe-core finds no accessibility violation; every page has the right direction; nothing overflows at 320 px; the
CSP blocks nothing and nothing is fetched from elsewhere; table columns aligned in Markdown keep their alignment
under the CSP; arrows, rules and code face the right way; dark, print, reduced motion and keyboard focus work. CI
installs Chromium (apt) and axe-core (npm ci --prefix tests/js); there a missing one is a failure, not a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tools.browser import CHROMIUM
from tools.static_server import serve

from .helpers import GOLDEN_BASIC as GOLDEN
from .helpers import POST, ROOT, build_ok, make_site

AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"

if not CHROMIUM.exists() or not AXE.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium (apt-get install chromium) and axe-core "
                           "(npm ci --prefix tests/js) for the theme's browser tests")
    pytest.skip("chromium or tests/js/node_modules (npm ci --prefix tests/js) missing", allow_module_level=True)

if os.environ.get("CI"):
    from playwright import sync_api  # in the test extras: under CI a missing Playwright is a failure
else:
    sync_api = pytest.importorskip("playwright.sync_api")

HOME, ABOUT, TAG = "/", "/about/", "/tags/الشبكات-المهنية/"
ARABIC_POST, ENGLISH_POST = "/posts/ما-هي-الشبكات/", "/posts/networking-at-tech-meetups/"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def sites(sample_blog: Path, preview_build: Path):
    """Base URLs of the sample blog, the golden site and the golden site built as a deploy preview, each on its own
    local server."""
    with serve(sample_blog) as sample_url, serve(GOLDEN) as golden_url, serve(preview_build) as preview_url:
        yield {"sample": (sample_url, sample_blog), "golden": (golden_url, GOLDEN),
               "preview": (preview_url, preview_build)}


@pytest.fixture
def browser(chromium):  # type: ignore[no-untyped-def]
    """The run's one Chromium (conftest.chromium)."""
    return chromium


@pytest.fixture(scope="module")
def tab(chromium):  # type: ignore[no-untyped-def]
    """tab(scheme): one tab per color scheme ('light', 'dark', or None for the browser's default), kept for the module,
    in which tests that only look at pages open them: a new context and renderer for each page cost Chromium twice
    the CPU time. Nothing carries over from one page to the next but the HTTP cache (the theme has no script), as for
    a reader going from page to page."""
    opened = {}

    def open_tab(scheme: str | None):  # type: ignore[no-untyped-def]
        if scheme not in opened:
            context = chromium.new_context(color_scheme=scheme) if scheme else chromium.new_context()
            opened[scheme] = (context, context.new_page())
        return opened[scheme][1]

    yield open_tab
    for context, _ in opened.values():
        context.close()


MISSING = "/no/such/page/"
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"
WATCH_CSP = ("document.addEventListener('securitypolicyviolation', e => (window.cspViolations = window.cspViolations "
             "|| []).push([e.effectiveDirective, e.blockedURI, e.target.nodeName || ''].join(' ')))")
DIRECTION = """() => ({
  dir: document.dir,
  lang: document.documentElement.lang,
  html: getComputedStyle(document.documentElement).direction,
  body: getComputedStyle(document.body).direction,
  main: getComputedStyle(document.querySelector('main')).direction,
  pre: [...document.querySelectorAll('pre')].map(e => getComputedStyle(e).direction),
  marked: [...document.querySelectorAll('main [dir="ltr"], main [dir="rtl"]')]
            .map(e => [e.getAttribute('dir'), getComputedStyle(e).direction]),
  width: document.documentElement.scrollWidth,
})"""
VISIT = """async () => {
  await new Promise(done => setTimeout(done));  // violations are reported by tasks
  return [window.cspViolations || [], document.querySelectorAll('link[rel=stylesheet]').length,
          document.styleSheets.length];
}"""


@dataclass
class Visit:
    """What one page load showed: status, Content-Security-Policy header, CSP violations (directive, blocked URI,
    element), console errors and warnings, the URLs requested, (linked, applied) stylesheets, DIRECTION."""

    status: int
    csp: str
    violations: list[str]
    problems: list[str]
    requests: list[str]
    stylesheets: tuple[int, int]
    direction: dict[str, Any]


class Watched:
    """One tab at 320 px, kept for the module, that watches every page it opens: a listener registered before any of
    the page's own code counts CSP violations, console errors and requests are recorded."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 320, "height": 640})
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type in ("error", "warning") and self.problems.append(
            message.text))
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))

    def __call__(self, url: str) -> Visit:
        self.requests, self.problems = [], []
        response = self.page.goto(url)
        violations, linked, applied = self.page.evaluate(VISIT)
        return Visit(response.status, response.headers.get("content-security-policy", ""), violations,
                     self.problems, self.requests, (linked, applied), self.page.evaluate(DIRECTION))


@pytest.fixture(scope="module")
def watched(chromium) -> Iterator[Watched]:  # type: ignore[no-untyped-def]
    tab = Watched(chromium)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def walk(watched: Watched, sites):  # type: ignore[no-untyped-def]
    """walk(site): every page of the sample blog or the golden site, and a missing page, opened once in the watched
    tab for all the tests that look at every page: {path: Visit}."""
    walked: dict[str, dict[str, Visit]] = {}

    def visits(site: str) -> dict[str, Visit]:
        if site not in walked:
            base, folder = sites[site]
            walked[site] = {path: watched(url_of(base, path)) for path in [*page_urls(folder), MISSING]}
        return walked[site]

    return visits


def page_urls(folder: Path) -> list[str]:
    """Every page of a built site as a URL path ('/posts/x/', '/404.html')."""
    urls = []
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        urls.append("/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return urls


def url_of(base: str, path: str) -> str:
    return base + quote(path.lstrip("/"))


def run_axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the driver, so the page's CSP does not apply
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
                           "['violations']})", AXE_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [HOME, ARABIC_POST, ENGLISH_POST, TAG, ABOUT, "/tags/", "/archive/", "/follow/",
                                  "/404.html", "/page/2/"])
def test_axe_finds_no_accessibility_violations(tab, sites, path: str, scheme: str) -> None:
    base, folder = sites["sample"]
    if path == "/page/2/" and not (folder / "page/2").is_dir():
        base, folder = sites["golden"]  # the golden site has two posts a page
    page = tab(scheme)
    assert page.goto(url_of(base, path)).status == 200
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    violations = run_axe(page)
    assert violations == [], f"{path} ({scheme}): {violations}"


@pytest.mark.parametrize("path", ["/posts/بناء-علاقات/", "/posts/bundle-post/", "/posts/networking/", "/follow/"])
def test_axe_on_the_golden_site_with_replies_code_and_images(tab, sites, path: str) -> None:
    base, _ = sites["golden"]
    page = tab(None)
    assert page.goto(url_of(base, path)).status == 200
    violations = run_axe(page)
    assert violations == [], f"{path}: {violations}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/posts/draft/", "/posts/future/"])
def test_axe_on_a_deploy_preview_with_its_draft_and_scheduled_notes(tab, sites, path: str, scheme: str) -> None:
    base, _ = sites["preview"]
    page = tab(scheme)
    assert page.goto(url_of(base, path)).status == 200
    assert page.locator(".post-status").count() >= 1  # the note is on the page axe checks
    violations = run_axe(page)
    assert violations == [], f"{path} ({scheme}): {violations}"


@pytest.mark.parametrize("site", ["sample", "golden"])
def test_every_page_has_the_right_direction_and_no_horizontal_scroll_at_320px(walk, site: str) -> None:
    seen = set()
    for path, visit in walk(site).items():
        found = visit.direction
        expected = "ltr" if found["lang"].startswith("en") else "rtl"
        seen.add(expected)
        assert found["dir"] == found["html"] == found["body"] == found["main"] == expected, (path, found)
        assert set(found["pre"]) <= {"ltr"}, f"{path}: code must read left to right"
        assert all(attr == computed for attr, computed in found["marked"]), (path, found["marked"])
        assert found["width"] <= 320, f"{path} is {found['width']} px wide at 320 px"
    assert seen == {"rtl", "ltr"}


def test_mixed_direction_words_keep_their_own_direction(tab, sites) -> None:
    base, _ = sites["sample"]
    page = tab(None)
    page.goto(url_of(base, ARABIC_POST))
    tags = page.evaluate("[...document.querySelectorAll('a.tag')].map(a => [a.textContent, getComputedStyle(a)"
                         ".direction])")
    assert dict(tags) == {"الشبكات المهنية": "rtl", "مسار مهني": "rtl", "LinkedIn": "ltr"}
    page.goto(url_of(base, HOME))
    english = page.evaluate("""() => {
      const article = document.querySelector('article[lang="en"]');
      const title = article.querySelector('h2').getBoundingClientRect();
      const box = article.getBoundingClientRect();
      return [getComputedStyle(article).direction, Math.round(title.left - box.left)];
    }""")
    assert english == ["ltr", 0]  # the English title starts at the left in the Arabic list


ARROWS = """() => {
  const content = (selector, pseudo) => {
    const element = document.querySelector(selector);
    return element ? getComputedStyle(element, pseudo).content : null;
  };
  const quote = document.querySelector('blockquote');
  return {
    readMore: content('.read-more', '::after'),
    older: content('.post-nav-older .post-nav-label', '::before'),
    newer: content('.post-nav-newer .post-nav-label', '::after'),
    quote: quote && [getComputedStyle(quote).borderRightWidth, getComputedStyle(quote).borderLeftWidth],
    bullet: (() => {
      const li = document.querySelector('.post-body ul li, .summary-text ul li');
      if (!li) return null;
      const list = li.parentElement.getBoundingClientRect(), item = li.getBoundingClientRect();
      return [Math.round(list.right - item.right), Math.round(item.left - list.left)];
    })(),
  };
}"""


def test_arrows_quote_rules_and_list_markers_are_mirrored(tab, sites) -> None:
    base, _ = sites["sample"]
    page = tab(None)
    page.goto(url_of(base, HOME))
    assert page.evaluate(ARROWS)["readMore"] == '" ←" / ""'
    page.goto(url_of(base, "/posts/القواعد-الذهبية-للعلاقات-المهنية/"))
    rtl = page.evaluate(ARROWS)
    assert (rtl["older"], rtl["newer"]) == ('"→ " / ""', '" ←" / ""')
    assert rtl["quote"] == ["3px", "0px"]  # the rule stands where Arabic lines start: on the right
    assert rtl["bullet"][0] > 0 and rtl["bullet"][1] == 0  # indented from the right
    page.goto(url_of(base, ENGLISH_POST))
    ltr = page.evaluate(ARROWS)
    assert (ltr["older"], ltr["newer"]) == ('"← " / ""', '" →" / ""')
    assert ltr["bullet"][0] == 0 and ltr["bullet"][1] > 0


@pytest.mark.parametrize("site", ["sample", "golden"])
def test_the_csp_blocks_nothing_and_nothing_is_fetched_from_elsewhere(walk, sites, site: str) -> None:
    """Every page of the site, and a missing one, served with netlify.toml's headers: no CSP violation (counted by a
    listener that runs before anything of the page), no console error, every stylesheet applied, no other origin."""
    base, _ = sites[site]
    visits = walk(site)
    for path, visit in visits.items():
        missing = path == MISSING
        assert visit.status == (404 if missing else 200), path
        assert "style-src 'self'" in visit.csp and "script-src 'self'" in visit.csp, path
        assert visit.violations == [], path
        assert visit.stylesheets[0] == visit.stylesheets[1] >= 1, path  # every linked stylesheet applied
        assert visit.problems == ([NOT_FOUND] if missing else []), path  # the browser reports a 404, as it should
    requests = [url for visit in visits.values() for url in visit.requests]
    assert requests and all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]


ALIGNED_TABLE = """| الأداة | Tool | الاستخدام | المستخدمون |
| --- | :--- | :---: | ---: |
| لينكدإن | LinkedIn | التواصل المهني | 1,000 |
| ميت أب | Meetup | لقاءات | 60 |
"""
CELL_ALIGNMENT = ("[...document.querySelectorAll('.post-body tr')]"
                  ".map(row => [...row.cells].map(cell => getComputedStyle(cell).textAlign))")


def test_aligned_table_columns_keep_their_alignment_under_the_csp(watched, tmp_path: Path) -> None:
    """GFM's `:---`, `:---:` and `---:` under `style-src 'self'`: the side the author wrote, in an Arabic page as in an
    English one (README, "Markdown"), a column without a colon where the page's lines start, and no violation."""
    site = make_site(tmp_path, {"content/posts/ar.md": POST + "---\n" + ALIGNED_TABLE,
                                "content/posts/en.md": POST + "lang: en\n---\n" + ALIGNED_TABLE})
    build_ok("--source", site)
    with serve(site / "public") as base:
        for path, direction in (("/posts/ar/", "rtl"), ("/posts/en/", "ltr")):
            visit = watched(url_of(base, path))
            assert (visit.status, visit.direction["dir"]) == (200, direction)
            found = {"alignment": watched.page.evaluate(CELL_ALIGNMENT), "violations": visit.violations,
                     "problems": visit.problems}
            assert found == {"alignment": [["start", "left", "center", "right"]] * 3, "violations": [], "problems": []}


def test_the_home_page_transfers_less_than_100_kb(browser, sites) -> None:
    base, _ = sites["sample"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(base, wait_until="load")
    sizes = page.evaluate("""() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const other = performance.getEntriesByType('resource').filter(r => r.initiatorType !== 'img');
      return {transferred: [nav, ...other].reduce((sum, r) => sum + r.transferSize, 0),
              decoded: [nav, ...other].reduce((sum, r) => sum + r.decodedBodySize, 0),
              requests: 1 + other.length};
    }""")
    context.close()
    assert sizes["transferred"] < 100 * 1024 and sizes["decoded"] < 100 * 1024, sizes


def test_dark_print_reduced_motion_and_keyboard_focus(browser, sites) -> None:
    base, _ = sites["sample"]
    light = browser.new_context(color_scheme="light")
    dark = browser.new_context(color_scheme="dark", reduced_motion="reduce")
    backgrounds = []
    for context in (light, dark):
        page = context.new_page()
        page.goto(url_of(base, ARABIC_POST))
        backgrounds.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        backgrounds.append(page.evaluate("getComputedStyle(document.documentElement).scrollBehavior"))
    assert backgrounds[0] != backgrounds[2] and (backgrounds[1], backgrounds[3]) == ("smooth", "auto")
    dark.close()

    page = light.new_page()
    page.goto(url_of(base, ARABIC_POST))
    page.keyboard.press("Tab")
    skip = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
      return [e.className, r.top >= 0 && r.bottom <= innerHeight && r.width > 0,
              getComputedStyle(e).outlineStyle]; }""")
    assert skip == ["skip-link", True, "solid"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")  # the skip link skipped the header
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

    page.emulate_media(media="print")
    hidden = page.evaluate("['.site-nav', '.reply-box', '.follow-box', '.post-nav', '.toc']"
                           ".map(s => getComputedStyle(document.querySelector(s)).display)")
    assert hidden == ["none"] * 5
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    light.close()
