"""`sitegen build`: build the site into its output folder and say how it went."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..build.run import BuildOptions, build
from ..errors import BuildError, UnfinishedUpdate
from ..progress import Progress
from . import report, shown


def run(args: argparse.Namespace) -> int:
    root: Path = args.source
    output = args.output or root / "public"
    options = BuildOptions(source=root, output=output, drafts=args.drafts, future=args.future, strict=args.strict,
                           use_cache=not args.no_cache, workers=args.jobs)
    progress = _progress()
    try:
        result = build(options, progress)
    except BuildError as failure:
        report(failure.diagnostics, root)
        errors = len([d for d in failure.diagnostics if d.severity == "error"])
        count = errors or len(failure.diagnostics)
        strict = "" if errors else " (warnings fail the build with --strict)"
        state = "was left as it was"
        if isinstance(failure, UnfinishedUpdate):
            state = "holds part of the new site; the next build finishes the update"
        print(f"build failed with {count} problem{'s' if count != 1 else ''}{strict}; {shown(output)} {state}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nsitegen: interrupted; {shown(output)} holds a whole site, the previous one or (if the build had "
              "finished) the new one", file=sys.stderr)
        return 130
    finally:
        progress.close()
    report(result.warnings, root)
    unchanged = result.pages - result.rendered
    print(f"built {result.pages} pages ({result.files} files) in {result.seconds:.2f} s -> {shown(output)}"
          + (f"; {unchanged} unchanged pages carried over" if unchanged > 0 else ""))
    if args.profile:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<24} {seconds:8.3f} s")
    return 0


def _progress() -> Progress:
    """A progress bar when standard error is a terminal; silence otherwise (CI logs, pipes)."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        from ..progress import BarProgress

        return BarProgress()
    return Progress()
