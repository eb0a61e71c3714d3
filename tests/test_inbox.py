"""The replies inbox, piece by piece: Netlify submissions and webmention.io entries read with their documented
field names (tests/fixtures/inbox/SOURCE.md), the pending store, post matching, and accepted replies written as a
hand-written reply file is, so that the build reads them back as it reads any other."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.inbox.accept import Refused, render_reply_file, reply_file_name, write_reply
from sitegen.inbox.fetch import next_link, retry_after
from sitegen.inbox.model import Pending
from sitegen.inbox.moderate import purge, resolve_ids
from sitegen.inbox.netlify import parse_submission
from sitegen.inbox.posts import PostIndex
from sitegen.inbox.store import merge_pulled, parse_store, render_store
from sitegen.inbox.webmentions import last_id, parse_mention
from sitegen.sources.replies import load_replies, parse_reply, render_reply_html
from sitegen.text import clean_inline, clean_text

from .helpers import HOSTILE, ROOT, elements  # the same hostile pieces hand-written replies are tested with

FIXTURES = ROOT / "tests" / "fixtures" / "inbox"
ZONE = ZoneInfo("Asia/Riyadh")
POSTS = PostIndex.build({"/posts/hello/": "hello", "https://example.org/posts/hello/": "hello",
                         "/posts/%D8%A8%D9%86%D8%A7%D8%A1/": "بناء",
                         "https://example.org/posts/%D8%A8%D9%86%D8%A7%D8%A1/": "بناء"})


def fixture(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- what the APIs answer -------------------------------------------------------------------------------------


def test_a_netlify_submission_is_read_by_its_documented_field_names() -> None:
    [submission] = fixture("netlify_submissions_page1.json")  # type: ignore[misc]
    assert parse_submission(submission, POSTS, spam=False) == Pending(
        id="nf-65b2f0c1a7d4e30008a1b201", source="netlify", post="hello", target="https://example.org/posts/hello/",
        name="ليلى", email="laila@example.net", url="https://laila.example/", date="2025-02-03T07:00:00+00:00",
        text="شكرًا على المقال!\nسطر ثانٍ.")  # the reader's IP and browser are not kept


def test_a_submission_from_a_deploy_preview_finds_its_post_and_spam_keeps_netlify_verdict() -> None:
    [mallory] = fixture("netlify_submissions_page2.json")  # type: ignore[misc]
    item = parse_submission(mallory, POSTS, spam=False)
    assert item is not None and item.post == "hello"  # the preview's host, the post's path
    [spam] = fixture("netlify_spam.json")  # type: ignore[misc]
    item = parse_submission(spam, POSTS, spam=True)
    assert item is not None and (item.spam, item.post, item.target) == (True, None,
                                                                        "https://example.org/posts/nowhere/")


def test_a_submission_naming_the_posts_index_html_finds_its_post() -> None:
    """The form's post field as a page served at '.../index.html' sends it (the URL matcher email uses too)."""
    submission = {"id": "i", "data": {"post": "https://example.org/posts/hello/index.html"}}
    item = parse_submission(submission, POSTS, spam=False)
    assert item is not None and item.post == "hello"
    assert POSTS.match("/posts/%D8%A8%D9%86%D8%A7%D8%A1/index.html") == "بناء"


def test_a_submission_without_an_id_or_of_the_wrong_shape_is_left_out() -> None:
    for broken in (None, [], {"data": {}}, {"id": ""}, {"id": 5}):
        assert parse_submission(broken, POSTS, spam=False) is None
    odd = parse_submission({"id": "x", "data": ["not", "a", "mapping"], "created_at": "soon"}, POSTS, spam=False)
    assert odd == Pending(id="nf-x", source="netlify", date="soon")


def test_webmentions_become_replies_to_moderate_and_likes_and_reposts_to_count() -> None:
    feed = fixture("webmention_mentions.jf2.json")
    assert isinstance(feed, dict)
    items = [item for entry in feed["children"] if (item := parse_mention(entry, POSTS)) is not None]
    assert [(i.id, i.kind, i.state, i.post, i.name) for i in items] == [
        ("wm-1812345", "reply", "pending", "hello", "Aaron Parecki"),
        ("wm-1812346", "like", "counted", "hello", "Tantek"),
        ("wm-1812347", "repost", "counted", "hello", "Someone"),
    ]  # the private one is left out
    reply = items[0]
    assert (reply.text, reply.url, reply.source_url, reply.date) == (
        "Great post!", "https://aaronparecki.com/", "https://aaronparecki.com/2025/02/05/1/",
        "2025-02-05T09:15:00-08:00")
    assert items[1].date == "2025-02-05T18:00:00+00:00"  # no `published`: when webmention.io received it
    assert last_id(items) == 1812347


def test_the_next_page_comes_from_the_link_header() -> None:
    header = ('<https://api.netlify.com/api/v1/forms/f/submissions?page=3&per_page=100>; rel="last", '
              '</api/v1/forms/f/submissions?page=2&per_page=100>; rel="next"')
    assert next_link(header, "https://api.netlify.com/api/v1/forms/f/submissions?per_page=100") == \
        "https://api.netlify.com/api/v1/forms/f/submissions?page=2&per_page=100"
    assert next_link('<https://x/?page=1>; rel="prev"', "https://x/") is None
    assert next_link("", "https://x/") is None


def test_the_rate_limit_message_says_when_to_try_again() -> None:
    now = datetime(2025, 2, 3, 12, 0, 0, tzinfo=UTC)
    headers = Message()
    headers["X-RateLimit-Reset"] = str(int(now.timestamp()) + 90)
    assert retry_after(headers, now) == "try again after 2025-02-03 12:01:30 UTC (in 90 s)"
    headers["Retry-After"] = "30"
    assert retry_after(headers, now) == "try again after 2025-02-03 12:00:30 UTC (in 30 s)"
    assert retry_after(Message(), now) == "try again in a few minutes"


def test_a_post_is_matched_by_its_path_on_any_host_encoded_or_not() -> None:
    assert POSTS.match("https://example.org/posts/hello/") == "hello"
    assert POSTS.match("https://deploy-preview-3--x.netlify.app/posts/hello") == "hello"
    assert POSTS.match("https://example.org/posts/بناء/") == "بناء"
    assert POSTS.match("/posts/%D8%A8%D9%86%D8%A7%D8%A1/#replies") == "بناء"
    assert POSTS.match("hello") == "hello"
    assert POSTS.match("https://example.org/posts/nowhere/") is None
    assert POSTS.match("") is None


# --- the pending store ----------------------------------------------------------------------------------------

A = Pending(id="nf-a", source="netlify", name="A", date="2025-02-02T10:00:00+00:00", text="one")
B = Pending(id="wm-7", source="webmention", kind="like", state="counted", date="2025-02-01T10:00:00+00:00")


def test_the_store_is_one_sorted_json_line_a_reply_oldest_first() -> None:
    text = render_store([A, B])
    assert text == ('{"date": "2025-02-01T10:00:00+00:00", "id": "wm-7", "kind": "like", "source": "webmention", '
                    '"state": "counted"}\n'
                    '{"date": "2025-02-02T10:00:00+00:00", "id": "nf-a", "kind": "reply", "name": "A", '
                    '"source": "netlify", "state": "pending", "text": "one"}\n')
    assert render_store([B, A]) == text
    assert parse_store(text.encode(), Path("s")) == ({"wm-7": B, "nf-a": A}, [])


def test_a_broken_store_line_is_reported_at_its_line() -> None:
    raw = (render_store([A]) + '{"id": "x"}\nnot json\n{"id": "nf-a", "source": "netlify"}\n'
           '{"id": "y", "source": "s", "state": "gone"}\n').encode()
    items, errors = parse_store(raw, Path("content/replies/_pending.jsonl"))
    assert list(items) == ["nf-a"]
    assert [(e.line, e.message) for e in errors] == [
        (2, "a record needs an 'id' and a 'source'"),
        (3, "not a JSON record: Expecting value: line 1 column 1 (char 0)"),
        (4, "the reply nf-a is in the store twice"),
        (5, "unknown state 'gone' (one of: pending, accepted, rejected, spam, counted, purged)"),
    ]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_reading_any_bytes_as_a_store_never_crashes(raw: bytes) -> None:
    items, errors = parse_store(raw, Path("s"))
    assert all(isinstance(item, Pending) for item in items.values()) and isinstance(errors, list)


pendings = st.builds(Pending, id=st.text(min_size=1, max_size=10), source=st.sampled_from(["netlify", "email"]),
                     name=st.text(max_size=20), text=st.text(max_size=40), date=st.text(max_size=30),
                     spam=st.booleans(), post=st.none() | st.text(min_size=1, max_size=10))  # a slug or none


@settings(max_examples=200, deadline=None)
@given(st.lists(pendings, max_size=5, unique_by=lambda p: p.id))
def test_the_store_reads_back_what_it_wrote(items: list[Pending]) -> None:
    text = render_store(items)
    assert parse_store(text.encode(), Path("s")) == ({item.id: item for item in items}, [])
    assert text.count("\n") == len(items)  # one line a reply, whatever its text holds


def test_pulling_keeps_what_the_store_holds_and_adds_only_new_ids() -> None:
    decided = Pending(id="nf-a", source="netlify", state="rejected", name="A")
    merged, added = merge_pulled({"nf-a": decided}, [A, B])
    assert merged == {"nf-a": decided, "wm-7": B} and added == [B]


def test_a_purge_drops_the_words_and_keeps_the_ids() -> None:
    rejected = Pending(id="nf-r", source="netlify", state="rejected", name="R", email="r@x", text="t", post="p")
    kept, count = purge({"nf-r": rejected, "nf-a": A})
    assert count == 1
    assert kept == {"nf-r": Pending(id="nf-r", source="netlify", state="purged", post="p"), "nf-a": A}


def test_ids_are_found_whole_or_by_their_first_characters() -> None:
    store = {"nf-abc1": A, "nf-abc2": B, "wm-7": B}
    assert resolve_ids(store, ["wm", "nf-abc1"]) == ([B, A], [])
    assert resolve_ids(store, ["nf-abc", "zz", ""])[1] == [
        "'nf-abc' is the start of several ids (nf-abc1, nf-abc2): give more of it",
        "no reply has the id 'zz' (`sitegen replies --all` lists every one)",
        "no reply has the id '' (`sitegen replies --all` lists every one)"]


# --- accepting ------------------------------------------------------------------------------------------------

LAILA = Pending(id="nf-65b2f0c1a7d4e30008a1b201", source="netlify", post="hello", name="ليلى",
                email="laila@example.net", url="https://laila.example/", date="2025-02-03T07:00:00+00:00",
                text="شكرًا على المقال!\nسطر ثانٍ.")


def test_an_accepted_reply_is_the_file_a_person_would_write() -> None:
    assert render_reply_file(LAILA, ZONE) == ("---\nname: ليلى\nurl: https://laila.example/\n"
                                              "date: '2025-02-03T10:00:00+03:00'\nemail: laila@example.net\n---\n"
                                              "شكرًا على المقال!\nسطر ثانٍ.\n")
    assert reply_file_name(LAILA) == "2025-02-03-ليلى-d5b991.md"  # sha256("nf-65b2f0c1a7d4e30008a1b201")


def test_an_accepted_reply_reads_back_as_it_was_sent(tmp_path: Path) -> None:
    path = write_reply(tmp_path, LAILA, "hello", ZONE)
    assert path.parent == tmp_path / "content" / "replies" / "hello"
    replies, errors = load_replies(tmp_path, ZONE)
    assert errors == []
    [reply] = replies["hello"]
    assert (reply.name, reply.url, reply.date) == ("ليلى", "https://laila.example/",
                                                   datetime(2025, 2, 3, 7, tzinfo=UTC))
    assert reply.html == render_reply_html(LAILA.text) == "<p>شكرًا على المقال!<br>\nسطر ثانٍ.</p>"
    assert "laila@example.net" not in reply.html


def test_lone_surrogates_from_json_are_written_as_replacement_characters(tmp_path: Path) -> None:
    item = Pending(id="nf-s", source="netlify", name="Sa\ud800m", date="2025-01-01T00:00:00Z",
                   text="hi \ud83d\ude00 \udc00")
    path = write_reply(tmp_path, item, "hello", ZONE)
    assert path.name == "2025-01-01-sa-m-52ee74.md"
    assert path.read_text(encoding="utf-8") == ("---\nname: Sa\ufffdm\ndate: '2025-01-01T03:00:00+03:00'\n---\n"
                                                "hi 😀 \ufffd\n")


def test_two_replies_alike_get_two_files(tmp_path: Path) -> None:
    first = write_reply(tmp_path, LAILA, "hello", ZONE)
    second = write_reply(tmp_path, LAILA, "hello", ZONE)  # the same id twice cannot happen; a name clash cannot hurt
    assert first != second and second.name == first.name.replace(".md", "-2.md")
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_a_reply_without_name_date_or_text_is_refused_with_what_it_lacks(tmp_path: Path) -> None:
    empty = Pending(id="nf-e", source="netlify", name="  ", date="soon", text="\n \n")
    try:
        write_reply(tmp_path, empty, "hello", ZONE)
    except Refused as exc:
        assert str(exc) == "nf-e has no name and no date and no text, which a published reply needs"
    else:
        raise AssertionError("refused")
    assert not (tmp_path / "content").exists()


def test_a_url_that_is_not_a_web_address_is_left_out() -> None:
    item = Pending(id="nf-x", source="netlify", name="M", url="javascript:alert(1)", date="2025-01-01", text="x")
    assert "url:" not in render_reply_file(item, ZONE)


def test_a_url_without_a_host_is_left_out_and_the_reply_accepted(tmp_path: Path) -> None:
    """'https://' passes a look at its start, but the build's reader refuses it: it is dropped, not the reply."""
    item = Pending(id="nf-u", source="netlify", name="M", url="https://", date="2025-01-01T00:00:00Z", text="x")
    path = write_reply(tmp_path, item, "hello", ZONE)
    assert path.read_text(encoding="utf-8") == "---\nname: M\ndate: '2025-01-01T03:00:00+03:00'\n---\nx\n"


@settings(max_examples=300, deadline=None)
@given(name=st.text(min_size=1, max_size=30) | st.sampled_from(["\ud800", "a\nb: c", "'\"", "- x", "---"]),
       text=st.lists(st.sampled_from(HOSTILE) | st.text(max_size=20), min_size=1, max_size=12).map("".join),
       url=st.sampled_from(["", "https://ok.example/", "javascript:alert(1)", "http://x y/", "data:x"]))
def test_an_accepted_reply_is_sanitized_exactly_as_a_hand_written_one(name: str, text: str, url: str) -> None:
    """Whatever a form sends, the accepted file reads back through the build's reader into the HTML the same text
    gives when typed into a reply file by hand, with the same guarantees (no script, event or javascript: URL)."""
    item = Pending(id="nf-h", source="netlify", name=name, url=url, date="2025-02-03T07:00:00Z", text=text)
    try:
        file = render_reply_file(item, ZONE)
    except Refused:  # only when cleaning left no name or no text
        assert not clean_inline(name).split() or not clean_text(text.replace("\r", "\n")).strip()
        return
    reply, errors = parse_reply(file, Path("content/replies/hello/r.md"), "hello", ZONE)
    assert reply is not None, errors
    assert [e for e in errors if e.severity == "error"] == []
    typed = clean_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()  # as a reply file's text is read
    assert reply.html == render_reply_html(typed)
    assert reply.url in (None, "https://ok.example/")
    for tag, attrs in elements(reply.html):
        assert tag not in {"script", "style", "iframe", "img", "svg", "object", "embed"}
        assert not any(attr.startswith("on") for attr in attrs)
        for attr in ("href", "src"):
            assert not (attrs.get(attr) or "").strip().lower().startswith(("javascript:", "data:"))


def test_an_emails_subject_finds_a_post_by_a_title_no_other_post_shares(tmp_path: Path) -> None:
    from sitegen.inbox.posts import load_post_refs
    from sitegen.sources.config import load_config

    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (tmp_path / "sitegen.yaml").write_text("title: t\nbase_url: https://example.org/\n")
    for slug, title in (("a", "Same"), ("b", "Same"), ("c", "  Unique   title "), ("d", "https://x.example/"),
                        ("e", "بناء علاقات")):
        (posts / f"{slug}.md").write_text(f"---\ntitle: '{title}'\ndate: 2025-01-01\n---\nx\n", encoding="utf-8")
    urls, titles, problems = load_post_refs(load_config(tmp_path)[0])
    assert problems == []
    assert titles == {"Unique title": "c", "بناء علاقات": "e"}  # 'Same' names two posts; a URL is no title
    assert urls["/posts/c/"] == "c" and urls["https://example.org/posts/c/"] == "c"
