"""YAML parsing that keeps line numbers, so every complaint points at the author's own file and line.

The loader is PyYAML's safe one with three more refusals, because front matter and `sitegen.yaml` never need what
they guard against and a hostile or broken file could abuse it: an alias (`*name`) of a list or mapping (a list
that contains itself, or the exponential "billion laughs" expansion), values nested more than `MAX_DEPTH` levels
deep (PyYAML composes recursively), and values PyYAML cannot construct (`!!int abc`), which it would otherwise
raise as a bare Python exception. An impossible date (2025-02-30) is read as text, so the field that wants a date
reports it in its own words. Every string is cleaned with `clean_inline`: control characters removed, bidi
overrides made isolates, each change reported as a warning at its key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor

from ..errors import SourceError
from ..text import clean_inline, describe_char, find_unwanted

MAX_DEPTH = 32
"""How deep lists and mappings may nest; front matter needs two or three levels."""


@dataclass(frozen=True, slots=True)
class YamlMapping:
    """A parsed YAML mapping with the file line of each top-level key and of nested keys by dotted path."""

    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    """'author.name' -> 1-based line in the file (for keys and list items alike)."""

    def line(self, key: str, default: int | None = None) -> int | None:
        return self.lines.get(key, default)


class _Constructing:
    """Located errors for values that cannot be read, whichever parser composed them."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]  # a mixin of a yaml constructor
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            shown = node.value if isinstance(node, yaml.ScalarNode) else node.tag
            raise ConstructorError(None, None, f"cannot read {shown!r} as {node.tag.rsplit(':', 1)[-1]} "
                                   f"({type(exc).__name__}: {exc})", node.start_mark) from exc


class _Loader(_Constructing, yaml.SafeLoader):
    """SafeLoader refusing aliases of collections and deep nesting, with located errors for unreadable values."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            target = self.anchors.get(event.anchor)
            if target is not None and not isinstance(target, yaml.ScalarNode):
                raise ComposerError(None, None, f"the alias *{event.anchor} repeats a list or mapping, which "
                                    "sitegen does not allow", event.start_mark)
            return self._compose(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"values nested more than {MAX_DEPTH} levels deep",
                                    self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return self._compose(parent, index)
        finally:
            self._depth -= 1

    def _compose(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        node = super().compose_node(parent, index)
        assert node is not None  # only the end of the stream composes to None, and it is checked for first
        return node


def _timestamp(loader: SafeConstructor, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, AttributeError):
        return loader.construct_scalar(node)  # the date field says why it is not a date


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)  # type: ignore[type-var]


class _FastLoader(_Constructing, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser with the same constructors, for front matter that cannot nest deeply or use aliases
    (most of it): the same values, several times faster."""


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _fast_enough(text: str) -> bool:
    """Whether libyaml may parse `text`: nothing in it can nest deeply or repeat (no anchors or aliases, brackets
    opened few levels deep, shallow indentation), and it holds no backslash escapes (whose decoding differs between
    parsers)."""
    return (yaml.__with_libyaml__ and "&" not in text and "*" not in text and "\\" not in text
            and _bracket_depth(text) <= MAX_DEPTH // 2
            and max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0) <= MAX_DEPTH)


def _bracket_depth(text: str) -> int:
    """How deep `[` and `{` are opened in `text` at most, as if every one were YAML's (braces in a quoted text,
    such as the theme's '{n} of {total}', open and close at once)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH // 2:
        return 0  # too few to nest deeply at all
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


def parse_yaml_mapping(text: str, path: Path, first_line: int = 1,
                       what: str = "front matter") -> tuple[YamlMapping | None, list[SourceError]]:
    """Parse `text` (which starts at `first_line` of `path`) as a mapping; report problems at file lines.
    `what` names the text in messages ("front matter", "the configuration")."""
    if _fast_enough(text):
        doc, errors = _parse_mapping(text, path, first_line, what, _FastLoader)
        if not errors:
            return doc, errors
    # anything to report is reported by the careful parser, whose messages the tests and docs know
    return _parse_mapping(text, path, first_line, what, _Loader)


def _parse_mapping(text: str, path: Path, first_line: int, what: str,
                   loader_class: type[yaml.SafeLoader]) -> tuple[YamlMapping | None, list[SourceError]]:
    offset = first_line - 1
    if not text.strip():
        return YamlMapping({}), []
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as a control character
        line = text.count("\n", 0, exc.position) + 1 + offset
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [SourceError(path, f"invalid YAML: {describe_char(chr(exc.character))} is not allowed", line,
                                  column, hint="remove the invisible character")]
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlMapping({}), []
        errors = _duplicate_keys(node, path, offset)
        if not isinstance(node, yaml.MappingNode):
            kind = {"ScalarNode": "a single value", "SequenceNode": "a list"}.get(type(node).__name__, "not a mapping")
            return None, [SourceError(path, f"{what} must be a mapping of keys to values, not {kind}",
                                      node.start_mark.line + 1 + offset, node.start_mark.column + 1,
                                      hint="write one 'key: value' per line")]
        values = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else first_line
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [SourceError(path, f"invalid YAML: {problem}", line, column, hint=_yaml_hint(problem))]
    except yaml.YAMLError as exc:
        return None, [SourceError(path, f"invalid YAML: {exc}", first_line)]
    except RecursionError:  # cannot happen below MAX_DEPTH; a located message all the same
        return None, [SourceError(path, "invalid YAML: values nested too deeply", first_line)]
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    _collect_lines(node, "", offset, lines)
    clean: dict[str, Any] = {}
    changed: dict[str, tuple[str, str]] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            errors.append(SourceError(path, f"key {key_node.value or 'null'} must be text",
                                      key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1,
                                      hint=f"quote it: \"{key_node.value}\": ..."))
        elif key in values:
            clean[clean_inline(key)] = _clean_value(values[key], key, changed)
    for key, char in changed.values():
        done = "removed"
        if "\u202a" <= char <= "\u202e":
            done = "replaced by an isolate"
        elif "\ud800" <= char <= "\udfff":
            done = "replaced by U+FFFD"
        errors.append(SourceError(path, f"'{key}' contains {describe_char(char)}; {done}", lines.get(key), 1,
                                  hint="invisible characters can make text read differently from what it is",
                                  severity="warning"))
    return YamlMapping(clean, lines), errors


def _clean_value(value: Any, key: str, changed: dict[str, tuple[str, str]]) -> Any:
    """`value` with every string cleaned by `clean_inline`; the first change under each top-level key is noted
    in `changed` as (dotted key, character)."""
    if isinstance(value, str):
        cleaned = clean_inline(value)
        if found := find_unwanted(value):
            changed.setdefault(key.split(".")[0], (key, found.group()))
        elif "\ufffd" in cleaned and "\ufffd" not in value:  # a lone surrogate ("\\ud800") was replaced
            changed.setdefault(key.split(".")[0], (key, next(c for c in value if "\ud800" <= c <= "\udfff")))
        return cleaned
    if isinstance(value, list):
        return [_clean_value(item, f"{key}.{i}", changed) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {(clean_inline(k) if isinstance(k, str) else k): _clean_value(v, f"{key}.{k}", changed)
                for k, v in value.items()}
    return value


def _collect_lines(node: yaml.Node, prefix: str, offset: int, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            out[key] = key_node.start_mark.line + 1 + offset
            _collect_lines(value_node, key + ".", offset, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = f"{prefix}{index}"
            out[key] = item.start_mark.line + 1 + offset
            _collect_lines(item, key + ".", offset, out)


def _duplicate_keys(node: yaml.Node, path: Path, offset: int) -> list[SourceError]:
    errors: list[SourceError] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            key = str(key_node.value)
            if key in seen:
                errors.append(SourceError(path, f"duplicate key '{key}' (first set on line {seen[key]})", line,
                                          key_node.start_mark.column + 1, hint="keep one of the two"))
            else:
                seen[key] = line
            errors.extend(_duplicate_keys(value_node, path, offset))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            errors.extend(_duplicate_keys(item, path, offset))
    return errors


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Networking: why it matters\""
    if "found character '\\t'" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    if "could not find expected ':'" in problem:
        return "each line must be 'key: value'"
    if "repeats a list or mapping" in problem:
        return "write the list or mapping out again where it is needed"
    return None
