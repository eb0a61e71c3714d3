"""The reader's own words in an email body: the rules that find where a quoted message, a forwarded one, an Outlook
header block or a signature begins, and drop it and everything after it.

The rules were written against real replies from Gmail (English and Arabic), Outlook, Apple Mail, Thunderbird,
Yahoo and AOL (tests/fixtures/mail); each is tested on a line with its invisible direction marks removed and its
ends stripped, so a right-to-left reply is cut where a left-to-right one is.
"""

from __future__ import annotations

import re

from ..text import clean_text

MAX_TEXT_CHARS = 20_000
"""A reply's text is cut at a space before this many characters, with a warning."""

# What ends the reader's own words: everything from the first such line on is dropped. Tested against a line with
# its invisible direction marks removed and its ends stripped.
_CUT = re.compile(
    r"-{2,}\s*(?:original message|forwarded message|الرسالة الأصلية|رسالة محولة|رسالة معاد توجيهها)\s*-{2,}"
    r"|begin forwarded message:|--|_{20,}"  # Outlook's separator line, the signature separator '-- '
    r"|(?:sent from my \S.{0,40}|sent from (?:mail|outlook|yahoo mail)\b.{0,40}|get outlook for \S.{0,30}"
    r"|envoy[ée] de mon \S.{0,30}|أُ?رسلت من .{1,40}|مرسلة? من .{1,40}|تم الإرسال من .{1,40})(?:\s*<[^<>\s]{1,200}>)?",
    re.IGNORECASE)
_RULE = re.compile(r"[-_=*\\\s]*")
"""A line of dashes or underscores (an <hr> in an HTML message): dropped when it is the last before a cut."""
# Outlook's header block of the message answered: a From line and, within the next lines, a Sent, To or Subject.
_BLOCK_FROM = re.compile(r"\**(?:from|de|von|من)\s*:\**\s*\S", re.IGNORECASE)
_BLOCK_NEXT = re.compile(r"\**(?:sent|date|to|subject|cc|envoyé|gesendet|an|betreff|تاريخ الإرسال|تم الإرسال|"
                         r"أُ?رسلت|إلى|الموضوع|التاريخ|نسخة)\s*:", re.IGNORECASE)
# The line that introduces a quoted message: Gmail's, Apple Mail's and Thunderbird's 'On <date>, <name> wrote:'
# (wrapped over up to three lines), Gmail's Arabic 'في <date> كتب <name>:' (or '... تمت كتابة ما يلي بواسطة ...:').
_ATTRIBUTION = re.compile(r"(?:on\s.{1,300}\swrote|في\s.{1,300}(?:كتب|كتبت|كتابة).{0,200})\s?:", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"(?:on|في)\s", re.IGNORECASE)
_ANY_ATTRIBUTION = re.compile(r"(?=.*@)(?=.*\d).{1,300}:")
"""Other clients' attribution lines ('Le 3 avr. 2012, Bob <bob@x.org> a écrit :'), known by the quote after them."""
INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""Direction marks, embeddings, isolates and the byte-order mark: dropped before a line is tested (and a subject
matched to a title)."""
_DELIMITER = re.compile(r"\s*(?:-{3,}|\+{3,}|\.{3,})\s*")


def mail_text(body: str, drop_urls: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """The reader's own words in a message body, and whether they were cut for length.

    Removed: quoted lines ('>'), the line introducing a quote, Outlook's 'From:/Sent:' block and everything after
    it, '-----Original Message-----' and forwarded messages, the signature (after a '-- ' line) and mobile footers
    ('Sent from my iPhone'), and lines that are only one of `drop_urls` (the post URL the mailto link pre-fills).

    Guaranteed of the result, whatever the input: no control character but line breaks and tabs, no carriage
    return, no lone surrogate, no bidirectional override (each becomes an isolate); no line that is only '---',
    '...' or '+++' (such a line is escaped with a backslash, which Markdown renders away), so the text cannot close
    or open front matter when written below a reply's front matter; no leading or trailing blank line, no trailing
    space on a line, never more than one blank line in a row; at most MAX_TEXT_CHARS characters. It is Markdown
    source, still untrusted: it must be rendered as every reply is (no raw HTML, then nh3)."""
    text = body.replace("\r\n", "\n").translate({0x0D: 0x0A, 0x2028: 0x0A, 0x2029: 0x0A, 0x0B: 0x0A, 0x0C: 0x0A})
    lines = clean_text(text).split("\n")
    kept: list[str] = []
    size = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        probe = _probe(line)
        if probe.startswith(">"):
            index += 1
            continue
        if _CUT.fullmatch(probe) or _outlook_block(lines, index, probe):
            while kept and _RULE.fullmatch(kept[-1]):
                kept.pop()
            break
        if span := _attribution(lines, index, probe):
            if _quote_follows(lines, index + span):
                index += span
                continue
            break
        index += 1
        if probe.strip("<>") in drop_urls:
            continue
        line = line.rstrip()
        room = MAX_TEXT_CHARS - size - 2  # a line costs its characters, a line break and perhaps a backslash
        if full := len(line) > room:  # the text ends at the last space that fits (inside a first, unbroken line)
            piece = line[:max(room, 0)]
            line = piece.rpartition(" ")[0] or ("" if kept else piece)
        size += len(line) + 2
        kept.append("\\" + line.lstrip() if _DELIMITER.fullmatch(line) else line)
        if full:
            return _tidy(kept), True
    return _tidy(kept), False


def _probe(line: str) -> str:
    return INVISIBLE.sub("", line[:1000]).strip()


def _outlook_block(lines: list[str], index: int, probe: str) -> bool:
    if not _BLOCK_FROM.match(probe):
        return False
    return any(_BLOCK_NEXT.match(_probe(line)) for line in lines[index + 1:index + 5])


def _attribution(lines: list[str], index: int, probe: str) -> int:
    """How many lines the quote's introduction at `index` spans (0: there is none)."""
    if _ATTRIBUTION_START.match(probe):
        joined = probe
        for span in range(1, 4):
            if len(joined) <= 600 and _ATTRIBUTION.fullmatch(joined):
                return span
            if index + span >= len(lines) or (more := _probe(lines[index + span])).startswith(">") or not more:
                break
            joined += " " + more
    if len(probe) <= 300 and _ANY_ATTRIBUTION.fullmatch(probe) and _quote_follows(lines, index + 1):
        return 1
    return 0


def _quote_follows(lines: list[str], index: int) -> bool:
    """True when the first non-blank line from `index` on is quoted."""
    for line in lines[index:index + 50]:
        if probe := _probe(line):
            return probe.startswith(">")
    return False


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1]):
            out.append(line if line.strip() else "")
    return "\n".join(out).strip("\n")
