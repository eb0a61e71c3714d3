"""Diagnostics: errors and warnings that carry a path, a line and a hint, printed like a compiler's."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

ISSUES_URL = "https://github.com/sitegen/sitegen/issues"
DEBUG_ENV = "SITEGEN_DEBUG"
"""Set to 1 to see the Python traceback of an internal error (like --debug)."""


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
        text = f"{_shown(self.location(root))}: {self.severity}: {_shown(self.message)}"
        if with_source and self.line is not None:
            source = _source_line(self.path, self.line)
            if source is not None:
                source = _UNPRINTABLE.sub("\ufffd", source)  # one character for one, so the caret stays put
                text += f"\n  {self.line:>4} | {source}"
                if self.column is not None:
                    prefix = source[: self.column - 1]
                    pad = "".join("\t" if ch == "\t" else " " for ch in prefix)
                    text += f"\n       | {pad}^"
        if self.hint:
            text += f"\n  hint: {_shown(self.hint)}"
        return text


class BuildError(Exception):
    """Raised when a stage found errors; carries every diagnostic, not just the first."""

    def __init__(self, diagnostics: list[SourceError]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format(with_source=False) for d in diagnostics))


class UnfinishedUpdate(BuildError):
    """The output folder was being updated in place when writing failed: it holds part of the new site until the
    next build finishes the update."""


class CacheFailure(Exception):
    """The build cache could not be read or written: damaged, deleted under the build, or on a full or read-only
    disk. Never a mistake in the site: the build starts the cache over (or does without it) and says so."""


class Stopped(KeyboardInterrupt):
    """The build was told to stop by a signal other than Ctrl-C's (SIGTERM from a CI timeout, `timeout` or `docker
    stop`; SIGHUP when its terminal closes): it stops as it does on Ctrl-C, leaving a whole site."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass(slots=True)
class Diagnostics:
    """Collects the errors and warnings of one build so all of them are reported together."""

    items: list[SourceError] = field(default_factory=list)

    def add(self, item: SourceError) -> None:
        self.items.append(item)

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
            raise BuildError(self.items)  # the warnings too: a compiler shows them beside the errors


_PACKAGE = Path(__file__).parent


class InternalError(Exception):
    """An unexpected exception (a bug in sitegen, not a mistake in the site), with the file being processed."""

    def __init__(self, cause: BaseException, path: Path | None, doing: str) -> None:
        self.cause = cause
        self.path = path
        """The file sitegen was working on, when known."""
        self.doing = doing
        """What it was doing: 'reading', 'rendering', 'writing'."""
        self.trace = "".join(traceback.format_exception(cause)).rstrip()
        """The cause's traceback as text (kept as text: it survives the trip back from a worker process)."""
        self.location = _innermost_own_line(cause)
        target = f" {path}" if path is not None else ""
        super().__init__(f"internal error while {doing}{target}: {type(cause).__name__}: {cause}")

    def __reduce__(self) -> tuple[object, ...]:
        return _restore_internal_error, (self.cause, self.path, self.doing, self.trace, self.location)

    def where(self) -> str:
        """The innermost line of sitegen's own code in the traceback ('sitegen/feeds.py:88'), for the report."""
        return self.location

    def format(self, root: Path | None = None) -> str:
        """'sitegen: internal error while reading content/posts/x.md: ValueError: ...' (no traceback)."""
        target = f" {_relative(self.path, root)}" if self.path is not None else ""
        where = self.where()
        return _shown(f"sitegen: internal error while {self.doing}{target}: {type(self.cause).__name__}: "
                      f"{self.cause}" + (f" (at {where})" if where else ""))


def _innermost_own_line(cause: BaseException) -> str:
    for frame in reversed(traceback.extract_tb(cause.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(_PACKAGE):
            return f"sitegen/{path.relative_to(_PACKAGE).as_posix()}:{frame.lineno}"
    return ""


def _restore_internal_error(cause: BaseException, path: Path | None, doing: str, trace: str,
                            location: str) -> InternalError:
    error = InternalError(cause, path, doing)
    error.trace, error.location = trace, location
    return error


def internal_error_report(exc: BaseException, root: Path | None, *, debug: bool = False) -> str:
    """What an unexpected exception prints: the file being processed, a request to report it, and the traceback
    only when asked for. The one wording of an internal error: the CLI prints it when a command fails, the preview
    prints it and shows it in the browser when a rebuild fails."""
    if not isinstance(exc, InternalError):
        exc = InternalError(exc, None, "running")
    lines = [exc.format(root),
             f"This is a bug in sitegen {__version__}, not a mistake in your site. Please report it at {ISSUES_URL}",
             "with this message (and the file named above, if you can share it)."]
    if debug:
        lines.append(exc.trace)
    else:
        lines.append(f"Run again with --debug (or {DEBUG_ENV}=1) to see the Python traceback.")
    return "\n".join(lines)


@contextmanager
def processing(path: Path | None, doing: str) -> Iterator[None]:
    """Turn an unexpected exception raised inside the block into an InternalError naming `path`. A BuildError
    (mistakes in the site), an InternalError from an inner block, a CacheFailure (the build handles it) and
    KeyboardInterrupt pass as they are."""
    try:
        yield
    except (BuildError, InternalError, CacheFailure):
        raise
    except Exception as exc:
        raise InternalError(exc, path, doing) from exc


# What must not reach a terminal as it is: control characters (an escape sequence can rewrite the screen), bidi
# overrides (they reverse the text around them) and the bytes of a file name that is not UTF-8 (Python keeps them as
# lone surrogates, U+DC80-U+DCFF, which no terminal can print). Marks and isolates, which Arabic text needs, are left
# alone.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\udc80-\udcff]")


def _shown(text: str) -> str:
    """`text` with every unprintable character written as an escape, such as \\u202e; a byte of a name that is not
    UTF-8 as the byte it is (\\xe9)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def display_path(path: Path, root: Path | None) -> str:
    """`path` relative to `root` when it lies inside it ('content/posts/x.md'), else as it is."""
    return _relative(path, root)


def _relative(path: Path, root: Path | None) -> str:
    """`path` relative to `root` when inside it, with a tab or a line break in a name written as an escape (a name
    must not start a line of its own in a diagnostic)."""
    shown = path.as_posix()
    if root is not None and (inside := _inside(path, root)) is not None:
        shown = inside
    return shown.replace("\t", "\\t").replace("\n", "\\n")


def _inside(path: Path, root: Path) -> str | None:
    """`path` relative to `root`, if it lies inside it. The folder is resolved, not the file: a symbolic link is
    named as itself, not as where it points."""
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _source_line(path: Path, line: int) -> str | None:
    """Line `line` of the file (lines end at '\\n' only, as sitegen counts them), cut to 200 characters."""
    try:
        with path.open("rb") as file:
            for number, raw in enumerate(file, 1):
                if number == line:
                    text = raw[:1000].decode("utf-8", "replace").rstrip("\r\n").removeprefix("\ufeff")
                    return text.replace("\r", "")[:200]
    except OSError:
        return None
    return None
