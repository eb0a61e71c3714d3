"""Hugo's URLs, worked out as Hugo does (common/paths/path.go Sanitize, helpers MakePathSanitized,
resources/page/permalinks.go): paths sanitized and lower-cased, `[permalinks]` patterns expanded."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

_TOKEN = re.compile(r":(\w+)(\[[^\]]*\])?")
DATE_TOKENS = frozenset({"year", "month", "monthname", "day", "weekday", "weekdayname", "yearday"})


def _allowed(char: str, text: str, index: int) -> bool:
    """common/paths.isAllowedPathCharacter."""
    if char == " ":
        return False
    kind = unicodedata.category(char)
    if kind[0] in "LM" or kind == "Nd" or char in "./\\_#+~":
        return True
    return char == "%" and bool(re.fullmatch(r"[0-9A-Fa-f]{2}", text[index + 1:index + 3]))


def sanitize(text: str) -> str:
    """common/paths.Sanitize: spaces and hyphens become one hyphen between allowed characters, anything else not
    allowed in a path is dropped."""
    out: list[str] = []
    hyphen = False
    for index, char in enumerate(text):
        if _allowed(char, text, index):
            if hyphen:
                out.append("-")
                hyphen = False
            out.append(char)
        elif out and (char == "-" or char.isspace()):
            hyphen = True
    return "".join(out)


def urlize(text: str, lower: bool = True) -> str:
    """PathSpec.URLize, unescaped: sanitized, then lower-cased unless `disablePathToLower`."""
    cleaned = sanitize(text)
    return cleaned.lower() if lower else cleaned


def date_token(name: str, when: datetime) -> str:
    """pageToPermalinkDate for the named tokens."""
    values = {"year": str(when.year), "month": f"{when.month:02d}", "monthname": when.strftime("%B"),
              "day": f"{when.day:02d}", "weekday": str((when.weekday() + 1) % 7),
              "weekdayname": when.strftime("%A"), "yearday": str(when.timetuple().tm_yday)}
    return values[name]


def expand(pattern: str, values: dict[str, str], when: datetime | None) -> tuple[str | None, str | None]:
    """A `[permalinks]` pattern filled in; (None, why) when a token is not known or needs a date there is not."""
    problem: str | None = None

    def replace(match: re.Match[str]) -> str:
        nonlocal problem
        name, cut = match.group(1), match.group(2)
        if name in DATE_TOKENS:
            if when is None:
                problem = f"':{name}' needs a date and the page has none"
                return ""
            return date_token(name, when)
        if name in ("sections", "sectionslugs") and cut:
            return "/".join(_cut(values[name].split("/"), cut)) if name in values else ""
        if name not in values:
            problem = f"':{name}' is not a permalink token sitegen knows"
            return ""
        return values[name]

    filled = _TOKEN.sub(replace, pattern.replace("\\:", "\x00")).replace("\x00", ":")
    return (None, problem) if problem else (filled, None)


def _cut(parts: list[str], cut: str) -> list[str]:
    """toSliceFunc: '[1:]', '[last]', '[0]'."""
    spec = cut.strip("[]").strip().lower()

    def index(text: str, low: bool) -> int:
        if text == "":
            return 0 if low else len(parts)
        if text == "last":
            return len(parts) - 1
        return min(max(int(text), 0), len(parts)) if text.isdigit() else 0

    if ":" not in spec:
        position = index(spec, True)
        return parts[position:position + 1] if 0 <= position < len(parts) else []
    low, _, high = spec.partition(":")
    return parts[index(low, True):index(high, False)]


def finish(path: str, ugly: bool) -> str:
    """A page's path as a URL: one leading slash, and a trailing one unless it names a file or URLs are ugly."""
    path = "/" + re.sub(r"/{2,}", "/", path).strip("/")
    if path == "/":
        return path
    if re.search(r"\.[A-Za-z0-9]{1,5}$", path.rsplit("/", 1)[-1]):
        return path
    return path + ".html" if ugly else path + "/"
