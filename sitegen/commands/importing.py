"""`sitegen import`: articles in raw shapes (plain text, Jekyll or Hugo Markdown) converted into posts."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import SourceError, processing
from ..sources.decode import read_source_text
from ..sources.document import slug_problem
from ..sources.importer import convert_document, render_post_file
from . import report, shown


def run(args: argparse.Namespace) -> int:
    root: Path = args.source
    folder = root / "content" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    failed = 0
    for file in args.files:
        try:
            text, problems = read_source_text(file.read_bytes(), file)
        except OSError as exc:
            text, problems = None, [SourceError(file, f"cannot read: {exc.strerror or exc}")]
        report(problems, root)
        if text is None:
            failed += 1
            continue
        with processing(file, "importing"):
            post = convert_document(text, file.name)
        dest = folder / f"{post.slug}.md"
        if problem := slug_problem(post.slug):
            report([SourceError(file, problem, hint="give the post a shorter title")], root)
            failed += 1
            continue
        if dest.exists() and not args.force:
            report([SourceError(file, f"{shown(dest)} already exists", hint="pass --force to overwrite it")], root)
            failed += 1
            continue
        try:
            dest.write_text(render_post_file(post), encoding="utf-8")
        except OSError as exc:
            report([SourceError(dest, f"cannot write: {exc.strerror or exc}")], root)
            failed += 1
            continue
        print(f"{file} -> {shown(dest)}")
        report([SourceError(dest, w, severity="warning") for w in post.warnings], root)
    return 1 if failed else 0
