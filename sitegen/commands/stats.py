"""`sitegen stats`: the blog's rhythm, from the posts a build publishes (loaded by the build's own road)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from ..build.load import SiteOptions, build_clock, load_site
from ..errors import BuildError
from ..incremental.parse import CachedParser
from ..render.stats import render_stats_json, render_stats_svg, render_stats_text
from ..site.stats import site_stats
from . import report, shown


def run(args: argparse.Namespace) -> int:
    root: Path = args.source
    try:
        now = parse_now(args.now) if args.now else build_clock()
    except ValueError as exc:
        print(f"sitegen: --now: {exc}", file=sys.stderr)
        return 2
    parser = CachedParser(workers=1)
    try:
        loaded = load_site(SiteOptions(root, drafts=args.drafts, now=now), parser)
    except BuildError as failure:
        report(failure.diagnostics, root)
        print("sitegen: the site has errors; `sitegen build` shows the same", file=sys.stderr)
        return 1
    finally:
        parser.close()
    stats = site_stats(loaded.site, now)
    if args.svg:
        try:
            args.svg.write_bytes(render_stats_svg(stats, loaded.config.language))
        except OSError as exc:
            print(f"sitegen: cannot write {shown(args.svg)}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(render_stats_json(stats), ensure_ascii=False, indent=2))
    else:
        text = render_stats_text(stats)
        if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
            from rich.console import Console
            from rich.text import Text

            Console(highlight=False).print(Text(text.rstrip("\n")).highlight_regex("█+", "green"))
        else:
            sys.stdout.write(text)
    if args.svg:
        print(f"chart written to {shown(args.svg)}", file=sys.stderr)
    return 0


def parse_now(text: str) -> datetime:
    """--now: an ISO date or time (UTC when it names no zone)."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
