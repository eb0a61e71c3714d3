"""Replies by email: real Gmail, Outlook, Hotmail and iPhone messages (and Arabic ones of the same shapes) read into
pending replies for the right post, with quoted text and signatures removed; hostile files never crash the reader."""

from __future__ import annotations

import email
import time
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen.inbox.mail import (
    MailIndex,
    MailReply,
    decode_bytes,
    html_to_text,
    read_mail,
    split_mbox,
    unflow,
)
from sitegen.inbox.quotes import mail_text
from sitegen.site.urls import reply_mailto
from sitegen.sources.document import split_front_matter
from sitegen.sources.replies import parse_reply

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
AR_SLUG = "الكتابة-بالعربية"
AR_TITLE = "الكتابة بالعربية على الويب"
AR_URL = "https://example.org/posts/" + quote(AR_SLUG) + "/"
POSTS = {
    "/posts/static-sites/": "static-sites",
    "Static sites without a server": "static-sites",
    AR_URL: AR_SLUG,
    AR_TITLE: AR_SLUG,
    "Test": "test",
}


def read(name: str, posts: dict[str, str] = POSTS) -> tuple[list[MailReply], list[str]]:
    replies, errors = read_mail(FIXTURES / name, posts)
    return replies, [e.format(FIXTURES, with_source=False) for e in errors]


def zone(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


# --- golden expectations, one per fixture ------------------------------------------------------------------------

def test_gmail_takeout_mbox_arabic_and_english_replies_and_a_broken_message_between() -> None:
    replies, errors = read("gmail_takeout.mbox")
    assert replies == [
        MailReply(
            post_slug=AR_SLUG, name="سارة العلي", email="sara.ali@example.net",
            date=datetime(2026, 11, 30, 20, 3, 52, tzinfo=zone(2)),
            text="شكرًا على هذه التدوينة، جرّبت الخطوات على مدونتي ونجحت.\n"
                 "سؤال واحد: هل يعمل الاتجاه من اليمين إلى اليسار في الخلاصات أيضًا؟",
            message_id="<CAKx7Q9vA1b2C3d4E5f6G7h8I9j0@mail.gmail.com>", subject=f"رد: {AR_TITLE}"),
        MailReply(  # the subject names no post: the URL the mailto link pre-filled does; it is not kept as text
            post_slug="static-sites", name="Tom O'Brien", email="tom@example.com",
            date=datetime(2026, 12, 1, 8, 29, 41, tzinfo=zone(1)),
            text="Great post! I moved my blog off WordPress last year and never looked back.\n"
                 "The bit about atomic deploys saved me an afternoon.",
            message_id="<CAJ3tom-2@mail.gmail.com>", subject="Your post"),
    ]
    # the author's own answer (label Sent) is skipped without a word; the broken one is named by its line
    assert errors == ["gmail_takeout.mbox:66: error: the message has no sender address (From header)"]


def test_outlook_windows_1256_original_message() -> None:
    replies, errors = read("outlook_windows1256.eml")
    assert errors == []
    assert replies == [MailReply(
        post_slug=AR_SLUG, name="خالد منصور", email="khaled@example.com",
        date=datetime(2026, 12, 1, 6, 15, tzinfo=UTC),
        # the '---' line is escaped (it would close front matter); the attachment is not read
        text="أتفق معك تمامًا، وأضيف أن الخطوط العربية تحتاج إلى عناية خاصة.\n\\---\n"
             "رابط مفيد: https://fonts.example.com/arabic\n\nمع التحية،\nخالد",
        message_id="<DB9PR08MB1234A1B2C3D4E5F6@DB9PR08MB1234.eurprd08.prod.outlook.com>",
        subject=f"RE: {AR_TITLE}")]


def test_outlook_sent_block_without_a_date_header_takes_the_newest_received() -> None:
    replies, errors = read("outlook_sent_block.eml")
    assert errors == []
    assert replies == [MailReply(
        post_slug=AR_SLUG, name="ليلى سليم", email="layla@example.com",
        date=datetime(2026, 11, 30, 22, 40, 10, tzinfo=UTC),
        text='Thanks Nour, this is exactly what I needed for the Arabic edition of our newsletter.\n'
             'One question: does the feed keep the dir="rtl" attribute?',
        message_id="<AM9PR08MB7777F00D@AM9PR08MB7777.eurprd08.prod.outlook.com>",
        subject=f"Re: {AR_TITLE}")]


def test_html_only_message_with_a_mislabelled_charset() -> None:
    replies, errors = read("html_only_mislabelled.eml")
    assert errors == []
    assert replies == [MailReply(
        post_slug="static-sites", name="André Dupont", email="andre@example.fr",
        date=datetime(2026, 12, 1, 11, 0, tzinfo=zone(1)),
        text="Merci ! J’ai traduit l’article en arabe : ma traduction <https://blog.example.fr/ar>.\n\n\\---\n\n"
             "À bientôt",
        message_id="<html-only-1@example.fr>", subject="Re: Re: Static sites without a server")]


@pytest.mark.parametrize("name, who, when", [
    ("talon_hotmail.eml", ("Alexey Q", "xxx@hotmail.com"), datetime(2012, 4, 2, 21, 47, 37, tzinfo=zone(8))),
    ("talon_iphone.eml", ("xxx", "xxx@gmail.com"), datetime(2012, 4, 3, 16, 23, 59, tzinfo=zone(4))),
    ("talon_apple_mail.eml", ("xxx", "xxx@gmail.com"), datetime(2012, 4, 3, 16, 55, 26, tzinfo=zone(4))),
    ("talon_thunderbird.eml", ("bob", "bob@xxx.mailgun.org"), datetime(2012, 4, 2, 18, 27, 8, tzinfo=zone(4))),
    ("talon_yahoo.eml", ("Alex Q", "xxx@yahoo.com"), datetime(2012, 4, 2, 6, 45, 30, tzinfo=zone(-7))),
    ("talon_aol.eml", ("Megan Odin", "xxx@aol.com"), datetime(2012, 4, 2, 9, 57, 58, tzinfo=zone(-4))),
])
def test_real_replies_from_talon(name: str, who: tuple[str, str], when: datetime) -> None:
    replies, errors = read(name)
    assert errors == []
    assert [(r.post_slug, r.name, r.email, r.date, r.text) for r in replies] == [("test", *who, when, "Hello")]


@pytest.mark.parametrize("name, expected", [("talon_aol.eml", "Hello"), ("talon_hotmail.eml", "Hello")])
def test_real_html_parts_give_the_same_text(name: str, expected: str) -> None:
    message = email.message_from_bytes((FIXTURES / name).read_bytes(), policy=policy.default)
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    assert mail_text(html_to_text(html.get_content())) == (expected, False)


def test_real_outlook_message_without_a_date_is_refused_but_its_text_is_read() -> None:
    replies, errors = read("talon_outlook.eml")
    assert replies == []
    assert errors == ["talon_outlook.eml: error: the message from me@example.com has no readable date ('')\n"
                      "  hint: a Date header like 'Tue, 1 Dec 2026 19:00:00 +0000'"]
    message = email.message_from_bytes((FIXTURES / "talon_outlook.eml").read_bytes(), policy=policy.default)
    plain, html = (message.get_body(preferencelist=(kind,)) for kind in ("plain", "html"))
    assert plain is not None and html is not None
    assert mail_text(plain.get_content()) == ("Hello", False)
    assert mail_text(html_to_text(html.get_content())) == ("Allo! Follow up MIME!", False)


def test_gmail_html_part_gives_the_same_text_as_the_plain_part() -> None:
    (_, chunk), *_ = split_mbox((FIXTURES / "gmail_takeout.mbox").read_bytes())
    message = email.message_from_bytes(chunk, policy=policy.default)
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    text, _ = mail_text(html_to_text(html.get_content()))
    assert text == ("شكرًا على هذه التدوينة، جرّبت الخطوات على مدونتي ونجحت.\n"
                    "سؤال واحد: هل يعمل الاتجاه من اليمين إلى اليسار في الخلاصات أيضًا؟")


def test_mbox_or_single_message_is_told_by_content_not_by_name(tmp_path: Path) -> None:
    mbox = write(tmp_path, (FIXTURES / "gmail_takeout.mbox").read_bytes(), "export.eml")
    single = write(tmp_path, (FIXTURES / "talon_iphone.eml").read_bytes(), "reply.mbox")
    assert [r.name for r in read_mail(mbox, POSTS)[0]] == ["سارة العلي", "Tom O'Brien"]
    assert [r.text for r in read_mail(single, POSTS)[0]] == ["Hello"]


# --- quote and signature rules -----------------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ("Thanks!\n\nOn Sun, Nov 29, 2026 at 9:12 PM Nour <nour@example.org> wrote:\n> post\n", "Thanks!"),
    ("Thanks!\n\nOn Sun, Nov 29, 2026 at 9:12 PM Nour Haddad\n<nour@example.org> wrote:\n\n> post\n", "Thanks!"),
    ("شكرًا\n\nفي الأحد، 29 نوفمبر 2026 في 9:12 م كتب نور <nour@example.org>:\n> نص\n", "شكرًا"),
    ("Thanks!\n\n-----Original Message-----\nFrom: Nour\nSent: Sunday\nSubject: x\n\nold text\n", "Thanks!"),
    ("Thanks!\n\n*From:* Nour <n@example.org>\n*Sent:* Sunday\n*To:* me\n\nold text\n", "Thanks!"),
    ("شكرًا\n\nمن: نور <n@example.org>\nتم الإرسال: الأحد\nإلى: أنا\nالموضوع: x\n\nنص قديم\n", "شكرًا"),
    ("Thanks!\n-- \nTom\nhttps://tom.example.com\n", "Thanks!"),
    ("Thanks!\n\nSent from my iPhone\n", "Thanks!"),
    ("شكرًا\n\nأُرسلت من الـ iPhone\n", "شكرًا"),
    ("Thanks!\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n", "Thanks!"),
    # bottom-posting and interleaved answers keep the reader's lines and drop the quoted ones
    ("On Sun, Nov 29, 2026, Nour <n@example.org> wrote:\n> a question?\n\nmy answer\n> another?\nsecond\n",
     "my answer\nsecond"),
    # a line that only looks like a quote header is the reader's when no quote follows it
    ("On Sunday I wrote: nothing.\nReally.\n", "On Sunday I wrote: nothing.\nReally."),
    ("a\n\n\n\nb  \n\n", "a\n\nb"),
    ("---\n...\n+++\n - - -\n", "\\---\n\\...\n\\+++\n - - -"),
])
def test_mail_text_rules(body: str, expected: str) -> None:
    assert mail_text(body) == (expected, False)


@pytest.mark.parametrize("delsp, expected", [
    (False, "one two three\n>quoted \n>line\n-- \nsig\nFrom here"),
    (True, "one twothree\n>quoted \n>line\n-- \nsig\nFrom here"),
])
def test_format_flowed_soft_breaks_are_joined(delsp: bool, expected: str) -> None:
    assert unflow("one two \nthree\n>quoted \n>line\n-- \nsig\n From here", delsp=delsp) == expected


def test_the_prefilled_post_url_is_dropped_only_for_the_post_answered() -> None:
    body = f"{AR_URL}\n\nI liked it, and this one too:\nhttps://example.org/posts/static-sites/\n"
    index = MailIndex.build(POSTS)
    assert index.match(body, "anything") == AR_SLUG
    assert mail_text(body, index.url_lines(body, AR_SLUG))[0] == (
        "I liked it, and this one too:\nhttps://example.org/posts/static-sites/")


def test_long_text_is_cut_with_a_warning(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"], message["Date"], message["Subject"] = "a@example.org", "Tue, 1 Dec 2026 10:00:00 +0000", "x"
    message.set_content("word " * 20 + "\n" + ("a line\n" * 10_000))
    replies, errors = read_mail(write(tmp_path, bytes(message)), {})
    assert len(replies[0].text) == 17_508 and replies[0].text.endswith("\na line")
    assert [(e.severity, e.message) for e in errors] == [
        ("warning", "the message from a@example.org is long; its text was cut to 17508 characters")]


@pytest.mark.parametrize("body, expected", [
    ("hi\n" + "ab " * 10_000, "hi\n" + ("ab " * 6_664).rstrip()),  # at the last space that fits
    ("x" * 30_000, "x" * 19_998),  # a first line without a space is cut where it must be
    ("hi\n" + "x" * 30_000, "hi"),  # a later one is left out
    ("---\n" * 10_000, "\n".join(["\\---"] * 4_000)),  # escaped lines still fit
])
def test_long_text_limits(body: str, expected: str) -> None:
    assert mail_text(body) == (expected, True)
    assert len(expected) <= 20_000


# --- matching the post -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("subject, body, slug", [
    (f"Re: {AR_TITLE}", "", AR_SLUG),
    (f"رد: رد: {AR_TITLE}", "", AR_SLUG),
    (f"RE:Fwd: {' '.join(AR_TITLE.split())}  ", "", AR_SLUG),
    (f"AW[2]: Re(3): {AR_TITLE.replace(' ', '  ')}", "", AR_SLUG),
    ("Re: STATIC SITES without a server", "", "static-sites"),
    ("Re: Static sites", "", None),
    # a URL beats the subject, in any spelling: Arabic unencoded, no trailing slash, www., http, index.html
    ("Re: Test", f"see https://www.example.org/posts/{AR_SLUG}.", AR_SLUG),
    ("x", f"<{AR_URL.rstrip('/')}>", AR_SLUG),
    ("x", "http://example.org/posts/static-sites/index.html", "static-sites"),
    ("x", "https://elsewhere.example/posts/static-sites/", "static-sites"),  # a site-relative key: any host
    ("x", f"https://elsewhere.example/posts/{AR_SLUG}/", None),  # an absolute key: its own host only
    # two posts linked: the subject's, when it is one of them
    ("Re: Test", f"{AR_URL}\nhttps://example.org/posts/static-sites/", AR_SLUG),
    ("Re: Static sites without a server", f"{AR_URL}\nhttps://example.org/posts/static-sites/", "static-sites"),
])
def test_post_matching(subject: str, body: str, slug: str | None) -> None:
    assert MailIndex.build(POSTS).match(body, subject) == slug


def test_the_mailto_link_sitegen_writes_is_matched() -> None:
    """The subject and body of the link every post offers (decoded as a mail program decodes a mailto: URL)."""
    from urllib.parse import parse_qs, urlsplit

    link = reply_mailto("nour@example.org", "الكتابة  بالعربية\nعلى الويب", AR_URL)
    fields = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert fields == {"subject": f"Re: {AR_TITLE}", "body": AR_URL}
    index = MailIndex.build(POSTS)
    assert index.match("", fields["subject"]) == AR_SLUG and index.match(fields["body"], "") == AR_SLUG


# --- decoding ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, charset, expected", [
    ("سلام".encode(), "us-ascii", "سلام"),  # UTF-8 labelled ASCII
    ("café".encode(), "iso-8859-1", "café"),  # UTF-8 labelled Latin-1
    ("café".encode("latin-1"), "iso-8859-1", "café"),
    ("سلام".encode("windows-1256"), "windows-1256", "سلام"),
    ("سلام".encode(), "x-no-such-charset", "سلام"),
    (b"caf\xe9", "utf-8", "caf\ufffd"),
    (b"caf\xe9", None, "caf\ufffd"),
])
def test_decode_bytes(data: bytes, charset: str | None, expected: str) -> None:
    assert decode_bytes(data, charset) == expected


# --- hostile input -----------------------------------------------------------------------------------------------

def write(tmp_path: Path, data: bytes, name: str = "x.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data, message", [
    (b"", "not an email: no headers found"),
    (b"\x00\xff\xfe" * 1000, "not an email: no headers found"),
    (b"Subject: hi\n\nno sender\n", "the message has no sender address (From header)"),
    (b"From: a@example.org\nDate: 32 Foo 99999 99:99\n\nhi\n", "the message from a@example.org has no readable date"),
    (b"From: a@example.org\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n\n> only a quote\n",
     "the message from a@example.org has no text of its own (only quoted text, a signature or nothing)"),
    (b"From: =?utf-8?q?=E2=80?= <a@\nDate: x\n\n", "the message has no sender address (From header)"),
])
def test_hostile_messages_become_errors(tmp_path: Path, data: bytes, message: str) -> None:
    replies, errors = read_mail(write(tmp_path, data), {})
    assert replies == [] and len(errors) == 1 and errors[0].message.startswith(message)


@pytest.mark.parametrize("sender, name", [
    ("layla@example.com <layla@example.com>", "layla"),  # a name that is an address is never published
    ("=?utf-8?q?=22=D9=84=D9=8A=D9=84=D9=89=22?= <l@example.com>", "ليلى"),
    ("<l@example.com>", "l"),
    ("\"Doe, Jane\" <jane@example.com>", "Doe, Jane"),
    ("=?utf-8?q?A=1B[2J=E2=80=AEB?= <a@example.com>", "A[2J\u2067B\u2069"),  # no escape sequence, no override
])
def test_sender_names(tmp_path: Path, sender: str, name: str) -> None:
    data = f"From: {sender}\nDate: Tue, 1 Dec 2026 10:00:00 +0000\nX-Gmail-Labels: Inbox,\"Category Personal\"\n\nhi\n"
    replies, errors = read_mail(write(tmp_path, data.encode()), {})
    assert errors == [] and [r.name for r in replies] == [name]


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.inbox.mail as mail

    monkeypatch.setattr(mail, "MAX_FILE_BYTES", 100)
    replies, errors = read_mail(write(tmp_path, b"x" * 101), {})
    assert replies == [] and [e.message for e in errors] == ["the file is too large to be mail (101 bytes)"]
    assert read_mail(tmp_path / "missing.eml", {})[1][0].message.startswith("cannot read file:")


def test_deeply_nested_html_and_long_lines_finish_quickly(tmp_path: Path) -> None:
    html = "<div>" * 50_000 + "hi" + "</div>" * 50_000
    line = "On " + "x" * 1_000_000 + " wrote:"
    for body, kind in ((html, "html"), (line + "\n" + line, "plain")):
        message = EmailMessage()
        message["From"], message["Date"] = "a@example.org", "Tue, 1 Dec 2026 10:00:00 +0000"
        message.set_content(body, subtype=kind)
        start = time.monotonic()
        read_mail(write(tmp_path, bytes(message)), {})
        assert time.monotonic() - start < 10


def test_mbox_split_keeps_an_unescaped_from_line_inside_a_paragraph_and_unescapes_quoted_ones() -> None:
    raw = (b"From a@x Mon Jan 01 00:00:00 2026\nFrom: a@example.org\n\nhello\nFrom here on\n>From the start\n\n"
           b"From b@x Mon Jan 01 00:00:00 2026\nFrom: b@example.org\n\nbye\n")
    assert list(split_mbox(raw)) == [
        (1, b"From: a@example.org\n\nhello\nFrom here on\nFrom the start\n\n"),
        (8, b"From: b@example.org\n\nbye\n")]


# --- properties --------------------------------------------------------------------------------------------------

WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,!?'éشكرًا لكم"), min_size=1,
                max_size=40)
READER_TEXT = st.lists(st.one_of(WORDS, st.just("")), min_size=1, max_size=12).map("\n".join).filter(
    lambda text: text.strip() != "")


def expected_text(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1]):
            out.append(line if line.strip() else "")
    return "\n".join(out).strip("\n")


def message_bytes(body: str, *, charset: str = "utf-8", cte: str = "quoted-printable") -> bytes:
    message = EmailMessage()
    message["From"] = "سارة <sara@example.net>"
    message["Date"] = "Tue, 1 Dec 2026 10:00:00 +0000"
    message["Subject"] = f"Re: {AR_TITLE}"
    message.set_content(body, charset=charset, cte=cte)
    return bytes(message)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=READER_TEXT, cte=st.sampled_from(["quoted-printable", "base64", "8bit"]))
@example(text="café\n\nشكرًا", cte="base64")
def test_text_that_is_not_quoted_survives_a_round_trip(tmp_path: Path, text: str, cte: str) -> None:
    replies, errors = read_mail(write(tmp_path, message_bytes(text, cte=cte)), POSTS)
    assert errors == []
    assert [(r.post_slug, r.name, r.text) for r in replies] == [(AR_SLUG, "سارة", expected_text(text))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=READER_TEXT, quoted=st.lists(st.text(st.sampled_from("QRSTUVW ثجح"), min_size=1, max_size=30),
                                         min_size=1, max_size=8),
       style=st.sampled_from(["gmail", "gmail-ar", "outlook", "original", "iphone"]))
def test_the_stripped_text_never_holds_the_quoted_part(tmp_path: Path, text: str, quoted: list[str],
                                                       style: str) -> None:
    quote_lines = "\n".join(quoted)
    tail = {
        "gmail": "On Sun, Nov 29, 2026 at 9:12 PM Nour <nour@example.org> wrote:\n\n"
                 + "\n".join("> " + q for q in quoted),
        "gmail-ar": "في الأحد، 29 نوفمبر 2026 في 9:12 م تمت كتابة ما يلي بواسطة نور <nour@example.org>:\n"
                    + "\n".join(">" + q for q in quoted),
        "outlook": f"________________________________\nFrom: Nour\nSent: Sunday\nTo: me\n\n{quote_lines}",
        "original": f"-----Original Message-----\nFrom: Nour\nSent: Sunday\n\n{quote_lines}",
        "iphone": f"Sent from my iPhone\n\nOn Nov 29, 2026, at 21:12, Nour wrote:\n\n{quote_lines}",
    }[style]
    replies, errors = read_mail(write(tmp_path, message_bytes(f"{text}\n\n{tail}\n")), POSTS)
    assert errors == []
    assert replies[0].text == expected_text(text)
    assert not any(q.strip() and q.strip() in replies[0].text for q in quoted)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), mbox=st.booleans())
@example(data=b"From: a@b\nContent-Type: multipart/alternative; boundary=x\n\n--x\n", mbox=True)
@example(data=b"Content-Type: text/html\nFrom: a@b\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n\n<p>hi", mbox=False)
def test_any_bytes_never_crash(tmp_path: Path, data: bytes, mbox: bool) -> None:
    raw = (b"From x Mon Jan 01 00:00:00 2026\n" + data + b"\n\nFrom y Mon Jan 01 00:00:00 2026\n" + data) if mbox \
        else data
    replies, errors = read_mail(write(tmp_path, raw), POSTS)
    for reply in replies:
        assert reply.text and reply.date.tzinfo is not None and "@" in reply.email
    assert all(error.path.name == "x.eml" for error in errors)


@settings(max_examples=300)
@given(body=st.text(max_size=400))
@example(body="---\ntitle: injected\n---\nhi")
@example(body="\ufeff---\nx\n...\n\r\n---\r")
def test_the_text_cannot_break_a_reply_file(body: str) -> None:
    """Whatever a message holds, its text written below a reply's front matter stays the body, unchanged, and the
    reply parses with the front matter that was written."""
    text, _ = mail_text(body)
    front = "name: Sara\ndate: 2026-12-01\n"
    found, rest, _, error = split_front_matter(f"---\n{front}---\n{text}\n", Path("r.md"))
    assert (found, rest, error) == (front.rstrip("\n"), text + "\n", None)
    assert "\r" not in text and text == text.strip("\n")
    if text.strip():
        reply, errors = parse_reply(f"---\n{front}---\n{text}\n", Path("r.md"), "p", ZoneInfo("UTC"))
        assert reply is not None and reply.name == "Sara" and [e.severity for e in errors] == []
