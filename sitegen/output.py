"""Writing the site: into a folder beside the output, then swapped in, so a failed build changes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from .errors import SourceError
from .render import Output


def check_output_dir(target: Path, root: Path) -> SourceError | None:
    """Refuse an output folder that would replace the site's sources."""
    target, root = target.resolve(), root.resolve()
    if target == root or target in root.parents or (root / "content") in (target, *target.parents):
        return SourceError(target, "the output folder must not contain the site's sources",
                           hint="use a folder of its own, such as public/")
    return None


def check_output_paths(out: Output) -> list[SourceError]:
    """Every path stays inside the output folder, and no path is claimed by a page and a copied file."""
    errors = []
    for path in sorted(out.paths):
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not path:
            errors.append(SourceError(Path(path), "refusing to write outside the output folder"))
    for path in sorted(set(out.files) & set(out.copies)):
        errors.append(SourceError(out.copies[path], f"this file would overwrite the generated /{path}",
                                  hint="rename or remove the static file"))
    return errors


def write_output(out: Output, target: Path) -> None:
    """Write everything to a fresh folder beside `target`, then swap it in."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(target)
    staging = parent / f".{target.name}.tmp-{os.getpid()}"
    try:
        staging.mkdir()
        made: set[Path] = set()
        for path, data in out.files.items():
            dest = staging / path
            _ensure_parent(dest, made)
            dest.write_bytes(data)
        for path, source in out.copies.items():
            dest = staging / path
            _ensure_parent(dest, made)
            shutil.copyfile(source, dest)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def recover_interrupted(target: Path) -> None:
    """Clean up after a build killed midway: restore an output moved aside, remove stale staging folders."""
    parent = target.parent
    if not parent.is_dir():
        return
    aside = sorted(parent.glob(f".{target.name}.old-*"))
    if aside and not target.exists():
        aside[-1].rename(target)
        aside = aside[:-1]
    for stale in [*aside, *parent.glob(f".{target.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}"
    target.rename(aside)
    staging.rename(target)
    shutil.rmtree(aside, ignore_errors=True)


def _ensure_parent(dest: Path, made: set[Path]) -> None:
    parent = dest.parent
    if parent not in made:
        parent.mkdir(parents=True, exist_ok=True)
        made.add(parent)
