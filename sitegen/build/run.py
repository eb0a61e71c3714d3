"""`sitegen build`'s pipeline: load the site (the one road), then render every page whose inputs changed into a
staged copy of the output folder, and put it in place."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import BuildError, Diagnostics, SourceError, processing
from ..incremental.parse import CachedParser
from ..incremental.store import BuildCache
from ..output.stage import folder_identity, staged_output
from ..parallel import fewer_collections
from ..progress import Progress, Stopwatch
from ..render.templates import create_environment
from .load import SiteOptions, load_site
from .write import write_site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the `build` command was asked to do."""

    source: Path
    output: Path
    drafts: bool = False
    future: bool = False
    strict: bool = False
    """Treat warnings (such as broken links) as errors."""
    now: datetime | None = None
    """The build's clock; defaults to $SOURCE_DATE_EPOCH or the current time."""
    use_cache: bool = True
    """Keep parsed posts and page digests in .sitegen-cache/ beside the site."""
    workers: int | None = None
    """Worker processes (default: one per core)."""

    @property
    def site(self) -> SiteOptions:
        return SiteOptions(self.source, self.drafts, self.future, self.now)


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    """HTML pages in the site."""
    files: int
    """All files in the site."""
    seconds: float
    warnings: tuple[SourceError, ...]
    rendered: int = 0
    """Pages rendered by this build (the others were carried over unchanged)."""
    parsed: int = 0
    """Sources parsed by this build (the others came from the cache)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage, for --profile."""


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site; raise BuildError with every problem found, leaving the old output untouched.

    Sources are parsed in worker processes, or taken from the cache when they did not change; pages and feeds whose
    inputs did not change are carried over from the previous output; files whose bytes did not change are not
    rewritten."""
    with fewer_collections():
        return _build(options, progress or Progress())


def _build(options: BuildOptions, progress: Progress) -> BuildResult:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    clock = Stopwatch(timings)
    parser = CachedParser(options.use_cache, progress, options.workers)
    try:
        loaded = load_site(options.site, parser, output=options.output, clock=clock)
        cache = parser.cache
        diagnostics = Diagnostics(list(loaded.warnings))
        with clock("assembling"), processing(None, "assembling the site"):
            env = create_environment(loaded.config, loaded.theme, loaded.translations, loaded.share_image,
                                     auto_reload=False, compiled=cache.compiled if cache is not None else None)
        previous = _previous_output(cache, options.output)
        with clock("rendering and writing"), processing(options.output, "writing"), \
                staged_output(options.output, previous.keys() if previous else None) as stage:
            written = write_site(loaded, env, stage, cache, progress, diagnostics, options.output, previous,
                                 options.workers)
            diagnostics.raise_if_errors()
            if options.strict and diagnostics.warnings:
                raise BuildError(diagnostics.items)
            stage.finish(written.paths)
        if cache is not None and written.digests != previous:  # else what the cache holds is still true
            cache.save_page_digests(options.output, written.digests, folder_identity(options.output), previous)
    finally:
        parser.close()
    return BuildResult(written.pages, len(written.paths), time.perf_counter() - started,
                       tuple(diagnostics.warnings), written.rendered, loaded.parsed, timings)


def _previous_output(cache: BuildCache | None, output: Path) -> dict[str, bytes]:
    """What the last build wrote to `output` (each file's digest), when the folder is still the one it wrote; an
    empty dict means the whole site is written afresh."""
    if cache is None:
        return {}
    identity = folder_identity(output)
    if identity is None or cache.output_identity(output) != identity:
        return {}
    return cache.page_digests(output)
