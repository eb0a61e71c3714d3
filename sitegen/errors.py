"""Diagnostics: errors and warnings that carry a path, a line and a hint, printed like a compiler's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceError:
    """One problem found in one input file."""

    path: Path
    """The file the problem is in (shown relative to the site root when possible)."""
    message: str
    line: int | None = None
    """1-based line in `path`, when known."""
    column: int | None = None
    """1-based column in `path`, when known."""
    hint: str | None = None
    """A suggestion for fixing it ("did you mean 'title'?")."""
    severity: str = "error"
    """'error' fails the build; 'warning' is printed and the build goes on."""

    def location(self, root: Path | None = None) -> str:
        """`path:line:col` with the path relative to `root` when it lies inside it."""
        shown = _relative(self.path, root)
        parts = [shown]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, root: Path | None = None, *, with_source: bool = True) -> str:
        """Render the diagnostic: location, message, then the source line and a hint."""
        text = f"{self.location(root)}: {self.severity}: {self.message}"
        if with_source and self.line is not None:
            source = _source_line(self.path, self.line)
            if source is not None:
                text += f"\n  {self.line:>4} | {source}"
                if self.column is not None:
                    prefix = source[: self.column - 1]
                    pad = "".join("\t" if ch == "\t" else " " for ch in prefix)
                    text += f"\n       | {pad}^"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class BuildError(Exception):
    """Raised when a stage found errors; carries every diagnostic, not just the first."""

    def __init__(self, diagnostics: list[SourceError]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format(with_source=False) for d in diagnostics))


@dataclass(slots=True)
class Diagnostics:
    """Collects the errors and warnings of one build so all of them are reported together."""

    items: list[SourceError] = field(default_factory=list)

    def add(self, item: SourceError) -> None:
        self.items.append(item)

    def error(self, path: Path, message: str, line: int | None = None, column: int | None = None,
              hint: str | None = None) -> None:
        self.items.append(SourceError(path, message, line, column, hint))

    def warning(self, path: Path, message: str, line: int | None = None, column: int | None = None,
                hint: str | None = None) -> None:
        self.items.append(SourceError(path, message, line, column, hint, severity="warning"))

    def extend(self, items: list[SourceError] | tuple[SourceError, ...]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[SourceError]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[SourceError]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        """Stop the build here if anything so far was an error."""
        if self.errors:
            raise BuildError(self.errors)


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _source_line(path: Path, line: int) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    if 1 <= line <= len(lines):
        return lines[line - 1].replace("\r", "")[:200]
    return None
