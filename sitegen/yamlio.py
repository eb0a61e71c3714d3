"""YAML parsing that keeps line numbers, so every complaint points at the author's own file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError


@dataclass(frozen=True, slots=True)
class YamlMapping:
    """A parsed YAML mapping with the file line of each top-level key and of nested keys by dotted path."""

    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    """'author.name' -> 1-based line in the file (for keys and list items alike)."""

    def line(self, key: str, default: int | None = None) -> int | None:
        return self.lines.get(key, default)


def parse_yaml_mapping(text: str, path: Path, first_line: int = 1) -> tuple[YamlMapping | None, list[SourceError]]:
    """Parse `text` (which starts at `first_line` of `path`) as a mapping; report problems at file lines."""
    offset = first_line - 1
    if not text.strip():
        return YamlMapping({}), []
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlMapping({}), []
        errors = _duplicate_keys(node, path, offset)
        if not isinstance(node, yaml.MappingNode):
            kind = {"ScalarNode": "a single value", "SequenceNode": "a list"}.get(type(node).__name__, "not a mapping")
            return None, [SourceError(path, f"front matter must be a mapping of keys to values, not {kind}",
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
    finally:
        loader.dispose()
    if not all(isinstance(k, str) for k in values):
        bad = next(k for k in values if not isinstance(k, str))
        errors.append(SourceError(path, f"key {bad!r} must be text", first_line))
        values = {str(k): v for k, v in values.items()}
    lines: dict[str, int] = {}
    _collect_lines(node, "", offset, lines)
    return YamlMapping(values, lines), errors


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
    return None
