"""Replies by email: a reader's message (an .eml file, or an mbox such as a Google Takeout export) read into a pending
reply for the post it answers, with the quoted message and the signature removed.

Every post offers a `mailto:` link whose subject is 'Re: <title>' and whose body is the post's URL
(`site.urls.reply_mailto`), so a reply names its post by a URL in the body or, failing that, by its subject.

Everything in a message is untrusted and its shape is unknown: headers may be missing or malformed, charsets
mislabelled, the file huge or binary. Nothing here raises on any input; each problem becomes a `SourceError` naming
the file and, in an mbox, the line the message starts on, and the other messages still come through.
"""

from __future__ import annotations

import email
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..text import clean_inline
from .posts import PostIndex
from .quotes import INVISIBLE, mail_text

MAX_FILE_BYTES = 128 * 1024 * 1024
"""A larger file is refused whole (it is read into memory): export only the replies, e.g. one Gmail label."""
MAX_MESSAGE_BYTES = 32 * 1024 * 1024
"""A larger message in an mbox is skipped (a reply with such attachments is not a reply to read)."""
MAX_NAME_CHARS = 100


@dataclass(frozen=True, slots=True)
class MailReply:
    """One reader's email, read as a pending reply."""

    post_slug: str | None
    """The slug of the post it answers; None when neither a URL in its body nor its subject names a post."""
    name: str
    """The sender's display name (decoded, one line), or the local part of the address when it has none."""
    email: str
    date: datetime
    """Aware: the Date header, else the newest Received header; UTC when the header gives no zone."""
    text: str
    """The reader's own words: see `mail_text` for what is removed and what is guaranteed."""
    message_id: str
    """The Message-ID header, or 'sha256:<digest of the message>' when it has none (for deduplication)."""
    subject: str
    """Decoded, one line."""


def read_mail(path: Path, posts: Mapping[str, str]) -> tuple[list[MailReply], list[SourceError]]:
    """Every message in an .eml file or an mbox (told apart by content: an mbox starts with a 'From ' line), read
    as a reply. `posts` maps each post's URL (absolute or site-relative; trailing slash, percent-encoding and
    Unicode normalization do not matter) and each post's title to its slug. A key that starts with '/' or 'http' is
    a URL, any other a title. Messages in Gmail's Sent or Drafts label are the author's own and are skipped."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [SourceError(path, f"the file is too large to be mail ({size} bytes)",
                                    hint="export only the replies (one label or folder), or split the file into "
                                         f"files under {MAX_FILE_BYTES // 2**20} MiB")]
        raw = path.read_bytes()
    except OSError as exc:
        return [], [SourceError(path, f"cannot read file: {exc.strerror or exc}")]
    index = MailIndex.build(posts)
    replies: list[MailReply] = []
    errors: list[SourceError] = []
    for line, chunk in split_mbox(raw) if _is_mbox(raw) else [(None, raw)]:
        if len(chunk) > MAX_MESSAGE_BYTES:
            errors.append(SourceError(path, f"the message is too large ({len(chunk)} bytes); skipped", line))
            continue
        try:
            reply, problems = parse_mail(chunk, index, path, line)
        except Exception as exc:  # a message no rule foresaw must not stop the others
            reply, problems = None, [SourceError(path, f"cannot read the message: {type(exc).__name__}: {exc}",
                                                 line)]
        errors.extend(problems)
        if reply is not None:
            replies.append(reply)
    return replies, errors


def _is_mbox(raw: bytes) -> bool:
    return raw.lstrip(b"\r\n").startswith(b"From ")


def split_mbox(raw: bytes) -> Iterator[tuple[int, bytes]]:
    """Each message of an mbox with the 1-based line of its 'From ' line. A message starts at a 'From ' line at the
    top or after an empty line (RFC 4155), so an unescaped 'From ' inside a paragraph stays in its message; '>From '
    lines are unescaped (mboxrd)."""
    lines = raw.splitlines(keepends=True)
    start: int | None = None
    previous_blank = True
    for number, text in enumerate(lines):
        if text.startswith(b"From ") and previous_blank:
            if start is not None:
                yield start + 1, _unescape(lines[start + 1:number])
            start = number
        previous_blank = text in (b"\n", b"\r\n")
    if start is not None:
        yield start + 1, _unescape(lines[start + 1:])


_ESCAPED_FROM = re.compile(rb">(>*From )")


def _unescape(lines: list[bytes]) -> bytes:
    return b"".join(_ESCAPED_FROM.sub(rb"\1", line, count=1) if line.startswith(b">") else line for line in lines)


def parse_mail(raw: bytes, posts: MailIndex, path: Path, line: int | None = None
               ) -> tuple[MailReply | None, list[SourceError]]:
    """One message's bytes as a reply, or None and why not."""
    message = email.message_from_bytes(raw, policy=policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        return None, [SourceError(path, "not an email: no headers found", line)]
    labels = {label.strip(' "').casefold() for label in _header(message, "X-Gmail-Labels").split(",")}
    if labels & {"sent", "drafts"}:
        return None, []
    name, address = _sender(message)
    if not address:
        return None, [SourceError(path, "the message has no sender address (From header)", line)]
    when = _date(message)
    if when is None:
        return None, [SourceError(path, f"the message from {address} has no readable date "
                                        f"({_header(message, 'Date')[:60]!r})", line,
                                  hint="a Date header like 'Tue, 1 Dec 2026 19:00:00 +0000'")]
    subject = _one_line(_header(message, "Subject"))
    body = _body(message)
    slug = posts.match(body, subject)
    text, cut = mail_text(body, posts.url_lines(body, slug))
    errors: list[SourceError] = []
    if cut:
        errors.append(SourceError(path, f"the message from {address} is long; its text was cut to "
                                        f"{len(text)} characters", line, severity="warning"))
    if not text:
        errors.append(SourceError(path, f"the message from {address} has no text of its own "
                                        "(only quoted text, a signature or nothing)", line))
        return None, errors
    message_id = _one_line(_header(message, "Message-ID"))[:300] or f"sha256:{hashlib.sha256(raw).hexdigest()}"
    return MailReply(post_slug=slug, name=name, email=address, date=when, text=text, message_id=message_id,
                     subject=subject), errors


def _header(message: Message, name: str) -> str:
    """A header's decoded value, '' when missing; a header the parser cannot read is taken as it was sent."""
    try:
        value = message.get(name)
    except Exception:  # the header classes of policy.default raise on some malformed values
        value = None
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                value = str(raw)
                break
    return "" if value is None else str(value)


def _one_line(text: str) -> str:
    """A header value as one line of NFC text, safe to show (no control character, balanced isolates)."""
    return unicodedata.normalize("NFC", " ".join(clean_inline(text).split()))


def _sender(message: Message) -> tuple[str, str]:
    """(display name, address) of the From header; the name falls back to the address's local part."""
    raw = _header(message, "From")
    pairs = getaddresses([raw]) if raw else []
    name, address = pairs[0] if pairs else ("", "")
    address = _one_line(address)
    if "@" not in address or " " in address:
        return "", ""
    name = _one_line(name).strip("'\"")
    if not name or "@" in name:  # a name that is an address would publish it: the local part is shown instead
        name = address.split("@")[0]
    return name[:MAX_NAME_CHARS], address


def _date(message: Message) -> datetime | None:
    """The Date header, else the newest date among the Received headers (the part after their last ';')."""
    if (when := _parse_date(_header(message, "Date"))) is not None:
        return when
    received = [_parse_date(value.rpartition(";")[2]) for value in message.get_all("Received", [])]
    dates = [when for when in received if when is not None]
    return max(dates) if dates else None


def _parse_date(text: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(" ".join(str(text).split()))
        when = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
        when.astimezone(UTC)  # a date at the edge of the calendar raises here, not in a caller
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when


def _body(message: EmailMessage) -> str:
    """The message's text: its text/plain part, else its HTML as text; attachments are never read."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    text = decode_bytes(data, part.get_content_charset())
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    if part.get_param("format", "", header="content-type") == "flowed":
        delsp = str(part.get_param("delsp", "", header="content-type")).lower() == "yes"
        return unflow(text, delsp=delsp)
    return text


_LATIN_LABELS = frozenset({"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"})


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset, forgiving the usual mislabels: UTF-8 sent as ASCII or Latin-1 is read as
    UTF-8; bytes the declared charset cannot decode are tried as UTF-8, then decoded with replacement characters."""
    label = (charset or "").strip().lower()
    if label in _LATIN_LABELS or not label:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for name in (label or "utf-8", "utf-8"):
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode(label or "utf-8", "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def html_to_text(html: str) -> str:
    """An HTML body as plain text: paragraphs and line breaks kept, blockquotes as '>' lines (so they are removed as
    quoted text), the head, scripts, styles, images and comments dropped, links as their text followed by the URL
    in angle brackets."""
    from bs4 import Tag
    from markdownify import MarkdownConverter  # here: only an HTML-only message needs bs4 and markdownify

    base: Any = MarkdownConverter  # its stubs do not list the methods overridden here

    class Converter(base):  # type: ignore[misc]
        def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            href = str(el.get("href") or "")
            return f"{text} <{href}>" if href.startswith(("http://", "https://")) and href != text.strip() else text

        def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            return ""

        convert_head = convert_title = convert_img

    converter = Converter(escape_asterisks=False, escape_underscores=False, escape_misc=False)
    return str(converter.convert(html))


def unflow(text: str, *, delsp: bool) -> str:
    """format=flowed text (RFC 3676) with its soft line breaks joined: a line ending in a space continues on the
    next, unless it is quoted, the signature separator, or the next line is quoted."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line[1:] if line.startswith(" ") else line  # space-stuffing
        if out and out[-1].endswith(" ") and out[-1] != "-- " and not out[-1].startswith(">") \
                and not line.startswith(">"):
            out[-1] = (out[-1][:-1] if delsp else out[-1]) + line
        else:
            out.append(line)
    return "\n".join(out)


_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]{1,2000}", re.IGNORECASE)
_URL_TAIL = ".,;:!?*،؛"


@dataclass(frozen=True, slots=True)
class MailIndex:
    """The site's posts by URL and by title, normalized for matching what a mail program sends back."""

    urls: PostIndex
    titles: Mapping[str, str]
    """Title (NFC, case-folded, spaces collapsed) -> slug."""

    @classmethod
    def build(cls, posts: Mapping[str, str]) -> MailIndex:
        """A key of `posts` that starts with '/' or 'http' is a URL, any other a title."""
        titles = {title: slug for key, slug in posts.items()
                  if not key.startswith("/") and not key.lower().startswith(("http://", "https://"))
                  and (title := _title_key(key))}
        return cls(PostIndex.build(posts), titles)

    def slug_of_url(self, url: str) -> str | None:
        return self.urls.slug_of_url(url.rstrip(_URL_TAIL))

    def match(self, body: str, subject: str) -> str | None:
        """The post a message answers: by a post URL in its body (the subject's post when several are), else by
        its subject with any 'Re:', 'RE:', 'Fwd:' or 'رد:' prefixes removed."""
        found = [slug for url in _urls(body) if (slug := self.slug_of_url(url))]
        by_subject = self._by_subject(subject)
        return by_subject if by_subject in found or not found else found[0]

    def _by_subject(self, subject: str) -> str | None:
        text = subject
        for _ in range(10):
            if (slug := self.titles.get(_title_key(text))) is not None:
                return slug
            shorter = _PREFIX.sub("", text, count=1)
            if shorter == text:
                return None
            text = shorter
        return None

    def url_lines(self, body: str, slug: str | None) -> frozenset[str]:
        """The URLs in `body` that are the URL of post `slug`, as written (with trailing punctuation removed)."""
        if slug is None:
            return frozenset()
        return frozenset(url.rstrip(_URL_TAIL) for url in _urls(body) if self.slug_of_url(url) == slug)


def _urls(body: str) -> list[str]:
    """The first 500 http(s) URLs in the body."""
    return [match.group() for match in islice(_URL.finditer(body), 500)]


_PREFIX = re.compile(r"\s*(?:re|fwd?|aw|sv|tr|rv|رد|إعادة توجيه|توجيه)\s*(?:\[\d{1,4}\]|\(\d{1,4}\))?\s*[:：]\s*",
                     re.IGNORECASE)


def _title_key(title: str) -> str:
    return " ".join(unicodedata.normalize("NFC", INVISIBLE.sub("", title)).casefold().split())
