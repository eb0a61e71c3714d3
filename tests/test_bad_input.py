"""Bad input beyond exact messages: what the site looks like after it (time zones, numbers as titles, encodings,
hostile text escaped everywhere, huge and deeply nested posts), and internal errors reported without a traceback."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest

import sitegen.build.load
import sitegen.build.run
import sitegen.incremental.parse
import sitegen.render.pages
from sitegen.build.load import SiteOptions, load_site
from sitegen.errors import SourceError
from sitegen.incremental.parse import CachedParser

from .helpers import CONFIG, POST, ROOT, make_site, run_cli, run_sitegen, strict_html

FEEDS = ("feed.xml", "atom.xml")


def h1_of(page: Path) -> str:
    """The text of a page's <h1>."""
    return "".join(strict_html(page.read_bytes()).find(".//h1").itertext())


def posts_of(root: Path) -> dict[str, object]:
    """The site as data, by slug (drafts and future posts included)."""
    site = load_site(SiteOptions(root, drafts=True, future=True), CachedParser(use_cache=False)).site
    return {post.slug: post for post in site.posts}


# --- dates, numbers, encodings ---------------------------------------------------------------------------------

def test_a_date_without_a_time_zone_is_in_the_sites_zone(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/posts/local.md": "---\ntitle: a\ndate: 2025-03-01 10:00\n---\n",
        "content/posts/day.md": "---\ntitle: b\ndate: 2025-03-02\n---\n",
        "content/posts/named.md": "---\ntitle: c\ndate: 2025-03-03 10:00:00+05:00\n---\n",
        "content/posts/utc.md": "---\ntitle: d\ndate: 2025-03-04T10:00:00Z\n---\n",
        "content/posts/2025-03-05-file.md": "---\ntitle: e\n---\n",
    })
    posts = posts_of(root)
    riyadh = timedelta(hours=3)
    assert posts["local"].date == datetime(2025, 3, 1, 10, tzinfo=timezone(riyadh))
    assert posts["local"].date.utcoffset() == riyadh  # Asia/Riyadh, from sitegen.yaml
    assert posts["day"].date.isoformat() == "2025-03-02T00:00:00+03:00"
    assert posts["named"].date.isoformat() == "2025-03-03T10:00:00+05:00"  # a zone written is kept
    assert posts["utc"].date.isoformat() == "2025-03-04T10:00:00+00:00"
    assert posts["file"].date.isoformat() == "2025-03-05T00:00:00+03:00"
    assert run_cli("build", "--source", root)[0] == 0
    page = (root / "public/posts/local/index.html").read_text()
    assert 'datetime="2025-03-01T10:00:00+03:00"' in page
    entry = next(e for e in feedparser.parse((root / "public/atom.xml").read_bytes()).entries if e.title == "a")
    assert entry.published == "2025-03-01T10:00:00+03:00"


def test_another_sites_zone_moves_the_same_date(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"sitegen.yaml": CONFIG.replace("Asia/Riyadh", "America/New_York"),
                                "content/posts/x.md": "---\ntitle: a\ndate: 2025-07-01 10:00\n---\n"})
    assert posts_of(root)["x"].date.isoformat() == "2025-07-01T10:00:00-04:00"  # summer time


def test_a_title_that_is_a_number_is_used_as_text(tmp_path: Path) -> None:
    """Decision: a warning (quote it), and the number's text is the title everywhere."""
    root = make_site(tmp_path, {"content/posts/x.md": "---\ntitle: 2025\ndate: 2025-03-01\n---\nنص\n",
                                "content/posts/y.md": "---\ntitle: 3.50\ndate: 2025-03-02\n---\nنص\n"})
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 0
    assert "warning: 'title' is a number (2025); using it as text" in stderr
    assert h1_of(root / "public/posts/x/index.html") == "2025"
    assert h1_of(root / "public/posts/y/index.html") == "3.5"  # YAML read 3.50 as a number
    titles = [e.title for e in feedparser.parse((root / "public/feed.xml").read_bytes()).entries]
    assert titles == ["3.5", "2025"]


@pytest.mark.parametrize("name, raw", [
    ("byte-order mark", ("\ufeff" + POST + "---\nنص عربي\n").encode()),
    ("Windows line endings", (POST + "---\nنص عربي\n").replace("\n", "\r\n").encode()),
    ("old Mac line endings", (POST + "---\nنص عربي\n").replace("\n", "\r").encode()),
    ("all three", ("\ufeff" + POST + "---\nنص عربي\n").replace("\n", "\r\n").encode()),
])
def test_bom_and_line_endings_are_read_as_plain_utf8(name: str, raw: bytes, tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/posts/x.md": raw})
    code, _, stderr = run_cli("build", "--source", root)
    assert (code, stderr) == (0, "")
    page = (root / "public/posts/x/index.html").read_bytes()
    assert h1_of(root / "public/posts/x/index.html") == "t"  # the front matter was found
    assert "<p>نص عربي</p>".encode() in page
    assert b"\r" not in page and "\ufeff".encode() not in page
    for feed in FEEDS:
        assert b"\r" not in (root / "public" / feed).read_bytes()


# --- hostile text: escaped or removed in HTML, attributes, JSON-LD and every feed --------------------------------

HOSTILE_TITLE = ("A <script>alert(1)</script> \"q\" 's' ]]> &amp; \x01\x07\x1b bidi\u202eevil\u202c \u2066ok\u2069 "
                 "rlm\u200f")
HOSTILE_DESCRIPTION = "d <i>\"x\"</i> ]]> \x03 \u202d end"
HOSTILE_TAGS = ["tag<b>\"]]>\x02", "وسم\u202e"]
HOSTILE_FRONT = (f"---\ntitle: {json.dumps(HOSTILE_TITLE)}\ndate: 2025-03-01\n"
                 f"description: {json.dumps(HOSTILE_DESCRIPTION)}\ntags: {json.dumps(HOSTILE_TAGS)}\n---\n")
HOSTILE_BODY = ("نص ]]> و & و < و \x04 و \u202eمعكوس\u202c و \u200fعلامة.\n\n"
                "By reference: &#x202E;كيان&#x202C; &#12; &#1; ![صو&#x202e;رة](x.png \"t&#x202e;\")\n\n"
                "`]]> </script>` and [a link](https://example.com/\"onmouseover=\"x) and <https://e.com/a?b=\"c\">\n\n"
                "## Heading ]]> \u202e <&>\n\n```\n]]> \x05 </pre>\n```\n")
CLEAN_TITLE = "A <script>alert(1)</script> \"q\" 's' ]]> &amp;  bidi\u2067evil\u2069 \u2066ok\u2069 rlm\u200f"
CLEAN_DESCRIPTION = "d <i>\"x\"</i> ]]>  \u2066 end\u2069"
CLEAN_TAGS = ["tag<b>\"]]>", "وسم\u2067\u2069"]
UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("hostile"), {
        "sitegen.yaml": CONFIG.replace("title: t", "title: 'Blog <&> \"]]>\u202e'")
        + "author:\n  name: \"Me <me> \\x01\"\n",
        "content/posts/x.md": HOSTILE_FRONT + HOSTILE_BODY,
        "content/pages/about.md": "---\ntitle: \"<about> \\u202e\"\n---\nصفحة\n",
    })
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 0, stderr
    return root / "public"


def test_hostile_text_never_reaches_any_file_raw(hostile_site: Path) -> None:
    files = [p for p in hostile_site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not UNWANTED.search(text), f"{path.name}: control character or bidi override"
        if path.suffix != ".json":  # in JSON the title is a string value, which readers escape when they show it
            assert "<script>alert" not in text, path.name
            assert "<about>" not in text and "<me>" not in text, path.name


def test_every_page_is_valid_html_with_the_text_as_written(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        strict_html(path.read_bytes())
    page = strict_html((hostile_site / "posts/x/index.html").read_bytes())
    assert page.find(".//title").text == f"{CLEAN_TITLE} · Blog <&> \"]]>\u2067\u2069"
    assert "".join(page.find(".//h1").itertext()) == CLEAN_TITLE
    meta = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
    assert meta["description"] == CLEAN_DESCRIPTION
    tags = [a.text for a in page.iter("a") if "tag" in (a.get("class") or "").split()]
    assert tags == CLEAN_TAGS
    links = [a.get("href") for a in page.iter("a") if "example.com" in (a.get("href") or "")]
    assert links == ["https://example.com/%22onmouseover=%22x"]


def test_json_ld_if_the_theme_has_it_cannot_close_its_script(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        for script in strict_html(path.read_bytes()).iter("script"):
            if script.get("type") == "application/ld+json":
                raw = script.text or ""
                assert "</" not in raw and "<!--" not in raw
                data = json.loads(raw)
                if path.parent.name == "x":
                    assert CLEAN_TITLE in strings_in(data)


def strings_in(value: object) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings_in(item)] if isinstance(value, list) else []


def test_every_feed_parses_with_the_text_as_written(hostile_site: Path) -> None:
    feeds = [p for p in hostile_site.rglob("*.xml") if p.name != "sitemap.xml"]
    assert {p.name for p in feeds} >= set(FEEDS)
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        entry = next(e for e in parsed.entries if "/posts/x/" in e.link)
        assert entry.title == CLEAN_TITLE
        assert "]]> </script>" in entry.content[0].value or "]]&gt; &lt;/script&gt;" in entry.content[0].value
    for path in hostile_site.rglob("feed.json"):  # not the search index's pagefind-entry.json
        items = json.loads(path.read_text())["items"]
        assert next(i for i in items if "/posts/x/" in i["url"])["title"] == CLEAN_TITLE
    ET.parse(hostile_site / "sitemap.xml")


def test_marks_and_isolates_arabic_authors_need_are_kept(hostile_site: Path) -> None:
    page = (hostile_site / "posts/x/index.html").read_text()
    assert "\u200fعلامة" in page  # RLM in the body
    assert "\u2067معكوس\u2069" in page  # an override in the body became the isolate of its direction


# --- huge and deeply nested posts ---------------------------------------------------------------------------------

def big_post(megabytes: int) -> str:
    """Arabic paragraphs with headings, lists, links and code, `megabytes` MB of it, ending in a marker."""
    sentence = "فقرة عربية عن بناء العلاقات المهنية في عالم الأعمال، وفيها **كلمات مهمة** وبعض English words. "
    section = ("## قسم\n\n" + sentence * 12 + "\n\n" + sentence * 12 + " [رابط](https://example.com/)\n\n"
               "- عنصر\n- عنصر آخر\n\n> اقتباس\n\n```python\nprint(1)\n```\n\n")
    count = megabytes * 1024 * 1024 // len(section.encode()) + 1
    return POST + "---\n" + section * count + "THE-END-MARKER\n"


def test_a_10_mb_post_builds_whole(tmp_path: Path) -> None:
    """10 MB of ordinary Markdown: no crash, nothing lost (time it with tests/measure_bad_input.py)."""
    root = make_site(tmp_path, {"content/posts/x.md": big_post(10)})
    assert (root / "content/posts/x.md").stat().st_size > 10 * 1024 * 1024
    code, _, stderr = run_cli("build", "--source", root)
    assert (code, stderr) == (0, "")
    page = (root / "public/posts/x/index.html").read_text()
    assert "<p>THE-END-MARKER</p>" in page
    assert page.count("<h2 id=") > 1000
    assert page.count("<strong>") > 50_000


def test_one_long_paragraph_full_of_colons_and_urls_builds(tmp_path: Path) -> None:
    """A text file without blank lines is one paragraph; autolinking in it must stay linear."""
    line = "كلمة: قيمة، انظر http://example.com/a و www.example.org و a@b.example و http: لا رابط\n"
    root = make_site(tmp_path, {"content/posts/x.md": POST + "---\n" + line * 5_000 + "END\n"})
    assert run_cli("build", "--source", root)[0] == 0
    page = (root / "public/posts/x/index.html").read_text()
    assert page.count('<a href="http://example.com/a">') == 5_000
    assert "END</p>" in page


def test_nesting_up_to_the_limit_is_kept_whole(tmp_path: Path) -> None:
    body = ("> " * 90 + "deep quote\n\n" + "- " * 45 + "deep item\n\n"
            + "".join("  " * i + "- level\n" for i in range(45)) + "\nafter\n")
    root = make_site(tmp_path, {"content/posts/x.md": POST + "---\n" + body})
    code, _, stderr = run_cli("build", "--source", root)
    assert (code, stderr) == (0, "")
    page = (root / "public/posts/x/index.html").read_bytes()
    strict_html(page)
    text = page.decode()
    assert text.count("<blockquote>") == 90
    assert "deep quote" in text and "deep item" in text and "<p>after</p>" in text
    assert text.count("level") == 45


# --- internal errors: the file being processed, a request to report it, no traceback -----------------------------

def boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("boom")


def internal_error_text(doing: str, where: str) -> str:
    from sitegen import __version__
    return (f"sitegen: internal error while {doing}: RuntimeError: boom (at {where})\n"
            f"This is a bug in sitegen {__version__}, not a mistake in your site. Please report it at "
            "https://github.com/sitegen/sitegen/issues\n"
            "with this message (and the file named above, if you can share it).\n")


def line_of(module: object, text: str) -> int:
    """The line of `text` in a module's source (to name it in the expected message without hard-coding it)."""
    source = Path(module.__file__).read_text().splitlines()  # type: ignore[attr-defined]
    return next(i for i, line in enumerate(source, 1) if text in line)


@pytest.mark.parametrize("patch, doing, where", [
    ("render_markdown", "reading content/posts/x.md",
     ("incremental/parse", "rendered = render_markdown(document.body, md, title=document.title)")),
    ("plan_site", "assembling the site", ("build/load", "plan = plan_site(site, routes, static.redirects")),
    ("write_site", "writing public", ("build/run", "written = write_site(loaded, make_env, stage")),
])
def test_an_internal_error_names_the_file_and_shows_no_traceback(
        patch: str, doing: str, where: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path, {"content/posts/x.md": POST + "---\nنص\n"})
    module = {"build/load": sitegen.build.load, "build/run": sitegen.build.run,
              "incremental/parse": sitegen.incremental.parse}[where[0]]
    monkeypatch.setattr(module, patch, boom)
    monkeypatch.delenv("SITEGEN_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run_cli("build")
    assert (code, stdout) == (70, "")
    assert stderr == internal_error_text(doing, f"sitegen/{where[0]}.py:{line_of(module, where[1])}") + (
        "Run again with --debug (or SITEGEN_DEBUG=1) to see the Python traceback.\n")
    assert not (tmp_path / "public").exists()


@pytest.mark.parametrize("posts, jobs", [(1, "1"), (120, "2")], ids=["one process", "worker processes"])
def test_an_internal_error_while_rendering_names_the_page(posts: int, jobs: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The page being rendered is named, also when a forked worker hit the error (it comes back whole: cause,
    page, and the line of sitegen's code)."""
    make_site(tmp_path, {f"content/posts/p{i}.md": f"---\ntitle: p{i}\ndate: 2025-01-01\n---\nنص\n"
                         for i in range(posts)})
    monkeypatch.setattr(sitegen.render.pages, "text_direction", boom)
    monkeypatch.delenv("SITEGEN_DEBUG", raising=False)
    code, stdout, stderr = run_cli("build", "--source", tmp_path, "--jobs", jobs)
    where = f"sitegen/render/pages.py:{line_of(sitegen.render.pages, 'dir=text_direction(lang)')}"
    assert (code, stdout) == (70, "")
    assert stderr == internal_error_text("rendering index.html", where) + (
        "Run again with --debug (or SITEGEN_DEBUG=1) to see the Python traceback.\n")
    code, _, stderr = run_cli("build", "--source", tmp_path, "--jobs", jobs, "--debug")
    assert "Traceback (most recent call last):" in stderr and stderr.rstrip().endswith("RuntimeError: boom")


@pytest.mark.parametrize("how", ["--debug first", "--debug after the command", "SITEGEN_DEBUG=1"])
def test_debug_shows_the_traceback(how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path, {"content/posts/x.md": POST + "---\nنص\n"})
    monkeypatch.setattr(sitegen.incremental.parse, "render_markdown", boom)
    args = {"--debug first": ["--debug", "build"], "--debug after the command": ["build", "--debug"],
            "SITEGEN_DEBUG=1": ["build"]}[how]
    if how.startswith("SITEGEN"):
        monkeypatch.setenv("SITEGEN_DEBUG", "1")
    code, _, stderr = run_cli(*args, "--source", root)
    assert code == 70
    assert stderr.startswith("sitegen: internal error while reading content/posts/x.md: RuntimeError: boom")
    assert "Traceback (most recent call last):" in stderr
    assert stderr.rstrip().endswith("RuntimeError: boom")


def test_the_real_cli_prints_no_traceback_for_an_internal_error(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/posts/x.md": POST + "---\nنص\n"})
    script = ("import sys, sitegen.incremental.parse\n"
              "def boom(*a, **k):\n    raise KeyError('x')\n"
              "sitegen.incremental.parse.render_markdown = boom\n"
              "from sitegen.cli import main\n"
              f"sys.exit(main(['build', '--source', {str(root)!r}]))\n")
    import subprocess
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 70
    assert result.stderr.startswith("sitegen: internal error while reading content/posts/x.md: KeyError: 'x'")
    assert "Traceback" not in result.stderr


def test_terminal_control_sequences_in_names_are_shown_escaped(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/posts/x\x1b[2J\u202e.md": "---\ntitle: a\ndate: never\n---\n"})
    code, _, stderr = run_cli("build", "--source", root)
    assert code == 1
    assert stderr.startswith("content/posts/x\\x1b[2J\\u202e.md:3:1: error: date 'never' is not a date\n")
    assert "\x1b" not in stderr and "\u202e" not in stderr


def test_a_name_that_is_not_utf8_or_breaks_the_line_is_shown_escaped(tmp_path: Path) -> None:
    error = SourceError(tmp_path / "content/posts/caf\udce9\tx\ny.md", "a message", 2, hint="caf\udcff")
    assert error.format(tmp_path) == "content/posts/caf\\xe9\\tx\\ny.md:2: error: a message\n  hint: caf\\xff"


def test_a_symbolic_link_is_named_as_itself_not_as_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/x.txt").write_text("x")
    (tmp_path / "static").mkdir()
    (tmp_path / "static/x.txt").symlink_to("../elsewhere/x.txt")
    assert SourceError(tmp_path / "static/x.txt", "m").format(tmp_path) == "static/x.txt: error: m"


# --- the other commands ------------------------------------------------------------------------------------------

def test_new_refuses_an_unsafe_slug(tmp_path: Path) -> None:
    make_site(tmp_path, {})
    code, _, stderr = run_cli("new", "x", "--slug", "../../outside", "--source", tmp_path)
    assert (code, stderr) == (1, "sitegen: slug '../../outside' is not safe in a URL path; pass another --slug\n")
    assert not (tmp_path.parent / "outside.md").exists()


@pytest.mark.parametrize("raw, message", [
    ("نص".encode("utf-16"), " error: the file is UTF-16 text; sitegen reads UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", " error: this is a binary file, not Markdown text"),
    (b"caf\xe9\n", "1:4: error: the file is not valid UTF-8 (byte 0xe9)"),
])
def test_import_reports_unreadable_files(raw: bytes, message: str, tmp_path: Path) -> None:
    make_site(tmp_path, {})
    source = tmp_path / "old.txt"
    source.write_bytes(raw)
    code, _, stderr = run_cli("import", source, "--source", tmp_path)
    assert code == 1
    assert f"old.txt:{message}" in stderr.replace(f"{source.as_posix()}:", "old.txt:")
    assert not list((tmp_path / "content").rglob("*.md"))


def test_end_to_end_through_the_real_cli(tmp_path: Path) -> None:
    """A few real runs: a broken site fails cleanly, the same site fixed builds, and --strict fails on a warning."""
    root = make_site(tmp_path, {"content/posts/x.md": "---\ntitle: [\n---\n",
                                "content/posts/y.md": b"\xff\xfe\x00\x00"})
    result = run_sitegen("build", "--source", root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count(": error: ") == 2
    make_site(tmp_path, {"content/posts/x.md": POST + "---\n[missing](/nowhere/)\n", "content/posts/y.md": None})
    assert run_sitegen("build", "--source", root).returncode == 0
    strict = run_sitegen("build", "--source", root, "--strict")
    assert strict.returncode == 1
    assert "content/posts/x.md:5:1: warning: link to /nowhere/ leads to no page or file of this site" in strict.stderr


def test_surrogate_escapes_in_yaml_become_the_character_they_mean(tmp_path: Path) -> None:
    front = "---\ntitle: \"a\\ud800b \\ud83d\\ude00\"\ndate: 2025-03-01\n---\n"
    root = make_site(tmp_path, {"content/posts/x.md": front})
    assert run_cli("build", "--source", root)[0] == 0
    assert h1_of(root / "public/posts/x/index.html") == "a\ufffdb \U0001f600"
