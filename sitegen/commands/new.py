"""`sitegen new`: a post (a draft) or a page with its front matter filled in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from ..build.load import build_clock
from ..sources.config import load_config
from ..sources.document import slug_problem
from ..text import slugify
from . import report, shown


def run(args: argparse.Namespace) -> int:
    root: Path = args.source
    config, errors = load_config(root)
    if errors:
        report(errors, root)
        return 1
    slug = args.slug or slugify(args.title)
    if not slug:
        print("sitegen: cannot make a slug from that title; pass --slug", file=sys.stderr)
        return 1
    if problem := slug_problem(slug):
        print(f"sitegen: {problem}; pass another --slug", file=sys.stderr)
        return 1
    folder = root / "content" / ("pages" if args.page else "posts")
    path = folder / f"{slug}.md"
    if path.exists():
        print(f"sitegen: {shown(path)} already exists", file=sys.stderr)
        return 1
    now = build_clock().astimezone(config.zone).replace(microsecond=0)
    front = {"title": args.title, "date": now.isoformat(), "description": "", "tags": [], "draft": True}
    if args.page:
        front = {"title": args.title, "description": ""}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(_front_matter(front) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"sitegen: cannot write {shown(path)}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"created {shown(path)}")
    return 0


def _front_matter(values: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n"
