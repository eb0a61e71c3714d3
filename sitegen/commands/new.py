"""`sitegen new`: a post (a draft) or a page with its front matter filled in."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

from ..build.load import build_clock
from ..sources.config import load_config
from ..sources.document import slug_problem
from ..sources.language import detect_language
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
    lang = title_language(args.title, config.language)
    front: dict[str, object] = {"title": args.title, **({"lang": lang} if lang else {})}
    if args.page:
        front.update(description="")
    else:
        front.update(date=now.isoformat(), description="", tags=[], draft=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(_front_matter(front) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"sitegen: cannot write {shown(path)}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"created {shown(path)}")
    if lang:
        print(f"  lang: {lang}, as its title is not in the site's language ({config.language}); change the line if "
              "the text is in another language")
    if not args.page:
        print("  it is a draft: `sitegen serve` shows it as you write; `sitegen build` leaves it out until you set "
              "`draft: false` (or delete that line)")
    return 0


_SCRIPT_LANGUAGES = {"ARABIC": "ar", "LATIN": "en"}
"""The language a title in this script most likely is when it is too short for `detect_language` to tell."""


def title_language(title: str, site_language: str) -> str | None:
    """The `lang:` of a new post titled `title`, when the title is in another script than the site's language (as
    the language's own name is written): detected from the title, else the script's most common language; None when
    the scripts are the same or the title's cannot be told."""
    from babel import Locale

    script = _script(title)
    if script is None or script == _script(Locale.parse(site_language.replace("-", "_")).display_name or ""):
        return None
    return detect_language(title) or _SCRIPT_LANGUAGES.get(script)


def _script(text: str) -> str | None:
    """The script most letters of `text` are written in, by their Unicode names ('LATIN', 'ARABIC', 'CJK')."""
    names = Counter(unicodedata.name(ch, " ").split(" ")[0] for ch in text if ch.isalpha())
    return names.most_common(1)[0][0] if names else None


def _front_matter(values: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n"
