"""Replies: reading accepted replies, making untrusted text safe, and what a post page offers readers."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import mf2py
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.site.urls import reply_mailto
from sitegen.sources.replies import load_replies, parse_reply, render_reply_html

from .helpers import GOLDEN_BASIC as EXPECTED
from .helpers import HOSTILE, build_ok, elements, run_cli, strict_html

RELATIONS = EXPECTED / "posts" / "بناء-علاقات" / "index.html"
RELATIONS_URL = "https://blog.example.org/posts/%D8%A8%D9%86%D8%A7%D8%A1-%D8%B9%D9%84%D8%A7%D9%82%D8%A7%D8%AA/"
ZONE = ZoneInfo("Asia/Riyadh")
PATH = Path("content/replies/post/a.md")


def when(value: str) -> datetime:
    """mf2py writes zones as +0300, feeds as +03:00: compare the instants."""
    return datetime.fromisoformat(value)


def parse_page(path: Path):
    return strict_html(path.read_bytes())


# --- reading reply files ---------------------------------------------------------------------------------------


def test_a_reply_has_a_name_an_optional_url_a_date_and_text() -> None:
    reply, errors = parse_reply("---\nname: ليلى\nurl: https://laila.example/\ndate: 2025-02-03 10:00\n---\nشكرًا!\n",
                                PATH, "post", ZONE)
    assert errors == [] and reply is not None
    assert (reply.name, reply.url, reply.date.isoformat()) == ("ليلى", "https://laila.example/",
                                                               "2025-02-03T10:00:00+03:00")
    assert reply.html == "<p>شكرًا!</p>" and reply.id == "reply-a"


def test_every_problem_of_a_reply_is_reported_at_its_line() -> None:
    text = "---\nnmae: x\nurl: javascript:alert(1)\ndate: someday\n---\n\n"
    reply, errors = parse_reply(text, PATH, "post", ZONE)
    assert reply is None
    assert [(e.severity, e.line, e.message) for e in errors] == [
        ("warning", 2, "unknown key 'nmae' in a reply"),
        ("error", 1, "a reply needs the replier's name"),
        ("error", 3, "url 'javascript:alert(1)' must be an http:// or https:// address"),
        ("error", 4, "the reply's date 'someday' is not a date"),
        ("error", None, "the reply has no text"),
    ]
    assert errors[0].hint == "did you mean 'name'?"


def test_a_reply_without_front_matter_says_what_to_write() -> None:
    _, errors = parse_reply("just text\n", PATH, "post", ZONE)
    assert errors[0].message == "a reply needs front matter with its name and date"


def test_replies_are_grouped_by_post_oldest_first_and_folder_names_are_normalized(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "replies" / unicodedata.normalize("NFD", "مقالة-é")  # as macOS writes names
    folder.mkdir(parents=True)
    (folder / "b.md").write_text("---\nname: B\ndate: 2025-01-02\n---\nsecond\n", encoding="utf-8")
    (folder / "a.md").write_text("---\nname: A\ndate: 2025-01-03\n---\nthird\n", encoding="utf-8")
    (folder / "c.md").write_text("---\nname: C\ndate: 2025-01-01\n---\nfirst\n", encoding="utf-8")
    (tmp_path / "content" / "replies" / "stray.md").write_text("---\nname: S\ndate: 2025-01-01\n---\nx\n")
    replies, errors = load_replies(tmp_path, ZONE)
    assert list(replies) == [unicodedata.normalize("NFC", "مقالة-é")]
    assert [r.name for r in replies[unicodedata.normalize("NFC", "مقالة-é")]] == ["C", "B", "A"]
    assert [e.message for e in errors] == ["a reply must be in the folder of the post it answers"]


def _site_with(tmp_path: Path, replies: dict[str, str]) -> Path:
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "sitegen.yaml").write_text("title: t\nbase_url: https://example.org/\n", encoding="utf-8")
    (tmp_path / "content" / "posts" / "hello.md").write_text("---\ntitle: Hello\ndate: 2025-01-01\n---\nhi\n")
    (tmp_path / "content" / "posts" / "later.md").write_text("---\ntitle: Later\ndate: 2025-01-02\ndraft: true\n"
                                                             "---\nsoon\n")
    for path, text in replies.items():
        file = tmp_path / "content" / "replies" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return tmp_path


REPLY = "---\nname: R\ndate: 2025-01-05\n---\nok\n"


def test_a_reply_to_a_post_that_does_not_exist_is_an_error_naming_the_file(tmp_path: Path) -> None:
    site = _site_with(tmp_path, {"helo/r.md": REPLY})
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 1
    assert stderr.startswith("content/replies/helo/r.md: error: reply to 'helo', but no post has that slug\n"
                             "  hint: did you mean 'hello'?\n"), stderr


def test_replies_to_a_draft_wait_with_the_draft(tmp_path: Path) -> None:
    site = _site_with(tmp_path, {"later/r.md": REPLY, "hello/r.md": REPLY})
    build_ok("--source", site)
    assert "reply-r" in (site / "public/posts/hello/index.html").read_text(encoding="utf-8")
    assert not (site / "public/posts/later").exists()  # the draft and its reply wait
    build_ok("--drafts", "--source", site)
    assert "reply-r" in (site / "public/posts/later/index.html").read_text(encoding="utf-8")


# --- untrusted text --------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HOSTILE) | st.text(max_size=20), max_size=12).map("".join))
def test_no_reply_text_yields_a_script_an_event_attribute_or_a_javascript_url(text: str) -> None:
    html = render_reply_html(text)
    for tag, attrs in elements(html):
        assert tag not in {"script", "style", "iframe", "img", "svg", "object", "embed"}, html
        assert not any(name.startswith("on") for name in attrs), html
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert urlsplit(value).scheme in ("", "http", "https", "mailto"), html
        if tag == "a":
            assert attrs.get("rel") == "nofollow ugc", html


def test_reply_links_are_nofollow_ugc_and_raw_html_is_shown_as_text() -> None:
    html = render_reply_html("see <b>this</b> https://x.example/ and [me](https://me.example/)")
    assert html == ('<p>see &lt;b&gt;this&lt;/b&gt; <a href="https://x.example/" rel="nofollow ugc">'
                    'https://x.example/</a> and <a href="https://me.example/" rel="nofollow ugc">me</a></p>')


# --- the post page ---------------------------------------------------------------------------------------------


def test_replies_are_shown_under_the_post_oldest_first_with_names_escaped() -> None:
    html = RELATIONS.read_text(encoding="utf-8")
    assert html.index('id="reply-2025-02-02-mallory"') < html.index('id="reply-2025-02-03-ahmad"')
    assert "Mallory&#34; onmouseover=&#34;alert(1)</a>" in html and "onmouseover=\"alert" not in html
    assert "أحمد &lt;المهندس&gt; &amp; شركاه" in html
    assert "mallory@example.net" not in html  # a replier's email is never published
    for _tag, attrs in elements(html):
        assert not any(name.startswith("on") for name in attrs)
        assert not any("javascript:" in (value or "") for value in attrs.values())
    assert "<script" not in html.replace('<script type="application/ld+json">', "", 1)  # JSON-LD is data
    assert "(ردّان)" in html  # the count, with Arabic dual


def test_the_reply_count_is_shown_in_lists() -> None:
    home = (EXPECTED / "index.html").read_text(encoding="utf-8")
    assert '<a class="reply-count" href="/posts/بناء-علاقات/#replies">ردّان</a>' in home
    assert home.count('class="reply-count"') == 1  # posts without replies show no count


def test_posts_are_microformats2_h_entries_with_replies_as_h_cite_comments() -> None:
    parsed = mf2py.parse(doc=RELATIONS.read_text(encoding="utf-8"), url=RELATIONS_URL)
    entry = next(item for item in parsed["items"] if "h-entry" in item["type"])
    props = entry["properties"]
    assert props["name"] == ["بناء علاقات حقيقية في B2B"]
    assert props["url"] == [RELATIONS_URL]
    assert [when(v) for v in props["published"]] == [when("2025-02-01T09:30:00+03:00")]
    assert [when(v) for v in props["updated"]] == [when("2025-03-01T00:00:00+03:00")]
    assert props["category"] == ["شبكات", "B2B"]
    assert "العلاقات الحقيقية تُبنى بالثقة." in props["content"][0]["value"]
    author = props["author"][0]
    assert author["type"] == ["h-card"] and author["properties"]["name"] == ["سارة المثال"]
    comments = props["comment"]
    assert [c["type"] for c in comments] == [["h-cite"], ["h-cite"]]
    first, second = (c["properties"] for c in comments)
    assert first["author"][0]["properties"]["name"] == ['Mallory" onmouseover="alert(1)']
    assert second["author"][0]["properties"]["url"] == ["https://ahmad.example.com/"]
    assert [when(v) for v in second["published"]] == [when("2025-02-03T18:20:00+03:00")]
    assert second["url"] == [RELATIONS_URL + "#reply-2025-02-03-ahmad"]
    assert "الثقة فعلًا" in second["content"][0]["value"]


def test_lists_are_h_entries_too() -> None:
    parsed = mf2py.parse(doc=(EXPECTED / "index.html").read_text(encoding="utf-8"), url="https://blog.example.org/")
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert [e["properties"]["name"][0] for e in entries] == ["English post with an image", "بناء علاقات حقيقية في B2B"]
    assert entries[1]["properties"]["url"] == [RELATIONS_URL]


def test_reply_by_email_link_has_the_title_as_subject_and_the_url_as_body() -> None:
    page = parse_page(RELATIONS)
    href = page.find(".//a[@class='reply-email']").get("href")
    assert href.isascii()
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    assert (parts.scheme, unquote(parts.path)) == ("mailto", "sara@example.org")
    assert query == {"subject": ["Re: بناء علاقات حقيقية في B2B"], "body": [RELATIONS_URL]}
    assert reply_mailto("", "t", "u") == ""  # no address, no link
    assert reply_mailto("a+b@x.org", "A & B?", "https://x.org/?a=1&b=2") == \
        "mailto:a%2Bb@x.org?subject=Re%3A%20A%20%26%20B%3F&body=https%3A%2F%2Fx.org%2F%3Fa%3D1%26b%3D2"


def _labels(form) -> set[str]:
    return {label.get("for") for label in form.iter("label") if label.get("for")}


def test_every_post_has_a_netlify_reply_form_leading_to_a_thank_you_page_in_its_language() -> None:
    posts = {"posts/بناء-علاقات/index.html": ("/thanks/", RELATIONS_URL),
             "posts/bundle-post/index.html": ("/thanks/en/", "https://blog.example.org/posts/bundle-post/"),
             "posts/networking/index.html": ("/thanks/", "https://blog.example.org/posts/networking/")}
    for path, (thanks, url) in posts.items():
        page = parse_page(EXPECTED / path)
        form = page.find(".//form[@name='reply']")
        assert form is not None, path
        assert (form.get("method"), form.get("data-netlify"), form.get("data-netlify-honeypot")) == \
            ("POST", "true", "bot-field")
        assert form.get("action") == thanks and (EXPECTED / thanks.strip("/") / "index.html").is_file()
        hidden = {i.get("name"): i.get("value") for i in form.iter("input") if i.get("type") == "hidden"}
        assert hidden["form-name"] == "reply" and hidden["post"] == url
        honeypot = next(i for i in form.iter("input") if i.get("name") == "bot-field")
        assert honeypot is not None and "honeypot" in next(p for p in form.iter("p")
                                                         if honeypot in list(p.iter())).get("class")
        labels = _labels(form)
        for field in [*form.iter("input"), *form.iter("textarea")]:
            if field.get("type") == "hidden" or field.get("name") == "bot-field":
                continue
            assert field.get("id") in labels, (path, field.get("name"))
    thanks_en = parse_page(EXPECTED / "thanks/en/index.html")
    assert (thanks_en.get("lang"), thanks_en.get("dir")) == ("en", "ltr")
    assert thanks_en.find(".//meta[@name='robots']").get("content") == "noindex"
    assert "thanks" not in (EXPECTED / "sitemap.xml").read_text(encoding="utf-8")


def test_the_follow_page_explains_feeds_and_lists_profiles() -> None:
    page = parse_page(EXPECTED / "follow/index.html")
    text = "".join(page.itertext())
    assert "قارئ الخلاصات" in text and "انسخ" in text
    hrefs = [a.get("href") for a in page.iter("a")]
    for feed in ("feed.xml", "atom.xml", "feed.json"):
        assert f"https://blog.example.org/{feed}" in hrefs
    assert "https://blog.example.org/tags/%D8%B4%D8%A8%D9%83%D8%A7%D8%AA/feed.xml" in hrefs
    assert "https://www.linkedin.com/in/example" in hrefs
    assert page.find(".//main//form") is None  # no newsletter configured (the header holds the search box)
    assert "webmention" not in (EXPECTED / "index.html").read_text(encoding="utf-8")


def test_newsletter_form_webmention_link_and_no_reply_form_when_configured(tmp_path: Path) -> None:
    site = _site_with(tmp_path, {})
    (site / "sitegen.yaml").write_text(
        "title: t\nbase_url: https://example.org/\nlanguage: en\nnewsletter_url: https://buttondown.com/api/emails/"
        "embed-subscribe/me\nnewsletter_field: EMAIL\nwebmention: https://webmention.io/example.org/webmention\n"
        "reply_form: false\nauthor:\n  email: me@example.org\n", encoding="utf-8")
    build_ok("--source", site)
    follow = parse_page(site / "public/follow/index.html")
    form = follow.find(".//main//form")
    assert form.get("action") == "https://buttondown.com/api/emails/embed-subscribe/me"
    email = form.find(".//input[@type='email']")
    assert email.get("name") == "EMAIL" and email.get("id") in _labels(form)
    assert "Follow this blog" in "".join(follow.itertext())
    post = parse_page(site / "public/posts/hello/index.html")
    assert post.find(".//link[@rel='webmention']").get("href") == "https://webmention.io/example.org/webmention"
    assert post.find(".//main//form") is None and post.find(".//a[@class='reply-email']") is not None


def test_configuration_checks_the_new_keys() -> None:
    from sitegen.sources.config import parse_config

    config, errors = parse_config("reply_form: maybe\nnewsletter_url: buttondown\nwebmention: ftp://x\n",
                                  Path("sitegen.yaml"), Path("."))
    assert [e.line for e in errors] == [1, 2, 3]
    assert errors[0].message.startswith("'reply_form' must be true or false")
    assert errors[1].message == "newsletter_url 'buttondown' must be an absolute http(s) URL"
    assert errors[2].message == "webmention 'ftp://x' must be an absolute http(s) URL"
    assert (config.reply_form, config.newsletter_url, config.webmention) == (True, "", "")
