"""The `sitegen` commands, one thin module each: they read their arguments, call the pipeline and print."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from ..errors import SourceError


def report(diagnostics: Iterable[SourceError], root: Path) -> None:
    """Print each diagnostic, compiler style, to standard error."""
    for diagnostic in diagnostics:
        print(diagnostic.format(root), file=sys.stderr)


def shown(path: Path) -> str:
    """`path` relative to the working folder when it lies inside it, as the user would type it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()
