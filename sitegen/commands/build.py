"""`sitegen build`: build the site into its output folder and say how it went."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..build.deploy import Deployment, DeploymentError, find_deployment
from ..build.run import BuildOptions, build
from ..errors import BuildError, Stopped, UnfinishedUpdate
from ..progress import Progress
from . import report, shown


def run(args: argparse.Namespace) -> int:
    root: Path = args.source
    output = args.output or root / "public"
    try:
        deployment = find_deployment(args.base_url, args.preview, os.environ)
    except DeploymentError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 2
    if deployment.host or deployment.preview:
        print(_deployment_line(deployment), flush=True)
    options = BuildOptions(source=root, output=output, drafts=args.drafts, future=args.future, strict=args.strict,
                           use_cache=not args.no_cache, workers=args.jobs, deployment=deployment)
    progress = _progress()
    try:
        with _stopped_by_signals() as stopped:
            result = build(options, _Stoppable(progress, stopped), lambda holder: _waiting(output, holder))
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
    except KeyboardInterrupt as stop:
        how = f"stopped by {signal.Signals(stop.signum).name}" if isinstance(stop, Stopped) else "interrupted"
        print(f"\nsitegen: {how}; {shown(output)} holds a whole site, the previous one or (if the build had "
              "finished) the new one", file=sys.stderr)
        return 128 + (stop.signum if isinstance(stop, Stopped) else signal.SIGINT)
    finally:
        progress.close()
    report(result.warnings, root)
    unchanged = result.pages - result.rendered
    print(f"built {result.pages} pages ({result.files} files) in {result.seconds:.2f} s -> {shown(output)}"
          + (f"; {unchanged} unchanged pages carried over" if unchanged > 0 else ""))
    for note in result.notes:
        print(f"note: {note}")
    if args.profile:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<24} {seconds:8.3f} s")
    return 0


def _deployment_line(deployment: Deployment) -> str:
    """What the build was told about where it will be served, as the first line of its report."""
    kind = deployment.host or "preview"
    if deployment.base_url:
        where = f"for {deployment.base_url}"
    else:
        where = f"for base_url, or {deployment.fallback_url} if sitegen.yaml has none"
    what = "; drafts and future posts included and marked, pages not indexed" if deployment.preview else ""
    return f"{kind}: building {where}{what}"


@contextmanager
def _stopped_by_signals() -> Iterator[list[int]]:
    """SIGTERM and SIGHUP stop the build as Ctrl-C does (the staging folder removed, a commit under way finished):
    Python's default would end the process on the spot. The signal raises Stopped where the main thread is; as an
    exception raised inside a finalizer is dropped, it is also recorded in the list this yields, which `_Stoppable`
    checks as the build goes. Only the main thread can set signal handlers."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def stop(signum: int, _frame: object) -> None:
        received.append(signum)
        raise Stopped(signum)

    previous = {number: signal.signal(number, stop) for number in _STOP_SIGNALS}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _Stoppable(Progress):
    """The build's progress, passed on to `progress`, that stops the build once a stop signal was received."""

    def __init__(self, progress: Progress, received: list[int]) -> None:
        self.progress = progress
        self.received = received

    def start(self, stage: str, total: int) -> None:
        self._check()
        self.progress.start(stage, total)

    def advance(self, steps: int = 1) -> None:
        self._check()
        self.progress.advance(steps)

    def close(self) -> None:
        self.progress.close()

    def _check(self) -> None:
        if self.received:
            raise Stopped(self.received[0])


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _waiting(output: Path, holder: int | None) -> None:
    by = f" (process {holder})" if holder else ""
    print(f"sitegen: another build into {shown(output)} is running{by}; waiting for it to finish", file=sys.stderr,
          flush=True)


def _progress() -> Progress:
    """A progress bar when standard error is a terminal; silence otherwise (CI logs, pipes)."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        from ..progress import BarProgress

        return BarProgress()
    return Progress()
