"""An author's file as text (bytes -> clean text + warnings): UTF-8 checked, line endings made '\\n', control
characters removed and bidi overrides made isolates, each kind of change a warning at its place."""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from ..text import BIDI_OVERRIDES, CONTROL_CHARS, clean_text, describe_char, find_unwanted

_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))


def read_source_text(raw: bytes, path: Path) -> tuple[str | None, list[SourceError]]:
    """An author's file as text: UTF-8 checked, byte-order mark dropped, line endings made '\\n', control
    characters removed and bidi overrides made isolates (`clean_text`), each kind of change a warning at its
    first place. The text is None when the file cannot be read as text at all: not UTF-8, or holding a NUL
    character."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return None, [SourceError(path, f"the file is {name} text; sitegen reads UTF-8",
                                      hint="save the file as UTF-8 in your editor")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw[:8192]:
            return None, [_binary(path)]
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        return None, [SourceError(path, f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, column,
                                  hint="save the file as UTF-8 in your editor")]
    if raw[:8192].count(b"\x00") > 80:  # UTF-8 all right, but hardly text
        return None, [_binary(path)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (nul := text.find("\x00")) >= 0:  # no text file holds one: it was written by something else, or damaged
        line = text.count("\n", 0, nul) + 1
        more = text.count("\x00") - 1
        others = f" (and {more} more)" if more else ""
        return None, [SourceError(path, f"the file holds a NUL character (U+0000){others}, so it is not text", line,
                                  nul - text.rfind("\n", 0, nul),
                                  hint="remove the NUL characters, or save the file again as UTF-8 text")]
    if find_unwanted(text) is None:  # nearly every file: nothing to clean or warn about (UTF-8 has no surrogates)
        return text, []
    return clean_text(text), _invisible_characters(text, path)


def _binary(path: Path) -> SourceError:
    return SourceError(path, "this is a binary file, not Markdown text", hint="move it out of content/, or into a "
                       "post's own folder to publish it beside the post")


def _invisible_characters(text: str, path: Path) -> list[SourceError]:
    """A warning at the first control character and at the first bidi override of `text`, if any."""
    warnings = []
    for pattern, done in ((CONTROL_CHARS, "removed"), (BIDI_OVERRIDES, "replaced by an isolate")):
        found = pattern.search(text)
        if found is None:
            continue
        start = found.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        more = len(pattern.findall(text)) - 1
        others = f" (and {more} more)" if more else ""
        warnings.append(SourceError(path, f"{describe_char(found.group())}{others} {done}", line, column,
                                    hint="invisible characters can make text read differently from what it is",
                                    severity="warning"))
    return warnings
