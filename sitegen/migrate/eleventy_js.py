"""JavaScript read as text, never run: object and array literals (Eleventy data files, `---js` front matter of
plain `const` statements) and the few settings an Eleventy configuration file states literally."""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`)
  | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<punct>[{}\[\]:,;=().])
""", re.VERBOSE | re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_MAX_DEPTH = 100


class NotLiteral(ValueError):
    """The text is not a literal the importer can read without running it."""


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs; comments and spaces left out; NotLiteral at anything else (an operator, a regex)."""
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise NotLiteral(f"unexpected {text[position:position + 20]!r}")
        kind = match.lastgroup or ""
        if kind != "space":
            found.append((kind, match.group()))
        position = match.end()
    return found


class _Reader:
    def __init__(self, items: list[tuple[str, str]], start: int = 0) -> None:
        self.items = items
        self.at = start

    def peek(self) -> tuple[str, str]:
        return self.items[self.at] if self.at < len(self.items) else ("end", "")

    def take(self, text: str | None = None) -> tuple[str, str]:
        item = self.peek()
        if item[0] == "end" or (text is not None and item[1] != text):
            raise NotLiteral(f"expected {text or 'a value'}, found {item[1] or 'the end'!r}")
        self.at += 1
        return item

    def value(self, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise NotLiteral("nested too deeply")
        kind, text = self.take()
        if kind == "string":
            return unquote(text)
        if kind == "number":
            return float(text) if re.search(r"[.eE]", text) else int(text)
        if kind == "name" and text in ("true", "false", "null", "undefined"):
            return {"true": True, "false": False}.get(text)
        if text == "[":
            items: list[Any] = []
            while self.peek()[1] != "]":
                items.append(self.value(depth + 1))
                if self.peek()[1] != "]":
                    self.take(",")
            self.take("]")
            return items
        if text == "{":
            result: dict[str, Any] = {}
            while self.peek()[1] != "}":
                key_kind, key = self.take()
                if key_kind not in ("string", "name", "number"):
                    raise NotLiteral(f"key {key!r} is not literal")
                key = unquote(key) if key_kind == "string" else key
                if self.peek()[1] in (",", "}"):
                    raise NotLiteral(f"shorthand property {key!r} names a variable")
                self.take(":")
                result[key] = self.value(depth + 1)
                if self.peek()[1] != "}":
                    self.take(",")
            self.take("}")
            return result
        raise NotLiteral(f"{text!r} is not a literal")


def unquote(text: str) -> str:
    """A JavaScript string literal's value (quotes removed, escapes read)."""
    body = text[1:-1]
    value = re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", _escape, body, flags=re.DOTALL)
    try:  # a pair of \uD8xx\uDCxx escapes is one character
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return value


def _escape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "ux" and len(code) > 1:
        try:
            return chr(int(code.strip("u{}x"), 16))
        except (ValueError, OverflowError):
            return code
    return _ESCAPES.get(code, "" if code == "\n" else code)


def parse_literal(text: str) -> Any:
    """The value of `text`, a JavaScript literal (JSON5-like: comments, unquoted keys, trailing commas)."""
    reader = _Reader(tokens(text))
    value = reader.value()
    if reader.peek()[1] == ";":
        reader.take()
    if reader.peek()[0] != "end":
        raise NotLiteral("text after the value")
    return value


def parse_module(text: str) -> Any:
    """The exported object of a data file: `module.exports = {...}` or `export default {...}`."""
    items = tokens(text)
    for index, (_kind, word) in enumerate(items):
        after = [item[1] for item in items[index:index + 4]]
        if (word == "module" and after[1:4] == [".", "exports", "="]) or (word == "export"
                                                                         and after[1:2] == ["default"]):
            start = index + (2 if word == "export" else 4)
            reader = _Reader(items, start)
            value = reader.value()
            if reader.peek()[1] == ";":
                reader.take()
            if reader.peek()[0] != "end":
                raise NotLiteral("the data file has code after its object")
            return value
    raise NotLiteral("no `module.exports =` or `export default` of a literal")


def parse_declarations(text: str) -> dict[str, Any]:
    """`---js` front matter made only of `const|let|var name = literal;` statements, as a mapping."""
    reader = _Reader(tokens(text))
    values: dict[str, Any] = {}
    while reader.peek()[0] != "end":
        keyword = reader.take()[1]
        if keyword not in ("const", "let", "var"):
            raise NotLiteral(f"{keyword!r} is code, not a declaration")
        kind, name = reader.take()
        if kind != "name":
            raise NotLiteral(f"{name!r} is not a plain name")
        reader.take("=")
        values[name] = reader.value()
        if reader.peek()[1] == ";":
            reader.take()
    return values


_DIR_INPUT = re.compile(r"""\binput\s*:\s*(["'`])([^"'`\n]*)\1""")
_PATH_PREFIX = re.compile(r"""\bpathPrefix\s*:\s*(["'`])([^"'`\n]*)\1""")
_ENGINE = re.compile(r"""\bmarkdownTemplateEngine\s*:\s*(?:(["'`])([^"'`\n]*)\1|(false))""")
_PASSTHROUGH = re.compile(r"addPassthroughCopy\s*\(\s*")
_COMMENT = re.compile(r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|//[^\n]*|/\*.*?\*/", re.DOTALL)


def config_values(text: str) -> tuple[dict[str, Any], list[str]]:
    """What an Eleventy configuration states literally ('input', 'pathPrefix', 'markdownTemplateEngine',
    'passthrough': list of str or {from: to}), and the calls it makes that were not literal."""
    code = _COMMENT.sub(lambda m: m.group(1) or "", text)
    found: dict[str, Any] = {}
    problems: list[str] = []
    if match := _DIR_INPUT.search(code):
        found["input"] = match.group(2)
    if match := _PATH_PREFIX.search(code):
        found["pathPrefix"] = match.group(2)
    if match := _ENGINE.search(code):
        found["markdownTemplateEngine"] = False if match.group(3) else match.group(2)
    copies: list[Any] = []
    for match in _PASSTHROUGH.finditer(code):
        try:
            items = tokens(code[match.end():match.end() + 2000].split(")", 1)[0])
            copies.append(_Reader(items).value())
        except NotLiteral:
            problems.append(f"addPassthroughCopy({code[match.end():match.end() + 40].split(')')[0]}...) is not "
                            "literal")
    found["passthrough"] = copies
    return found, problems
