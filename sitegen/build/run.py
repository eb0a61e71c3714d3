"""`sitegen build`'s pipeline: load the site (the one road), then render every page whose inputs changed into a
staged copy of the output folder, and put it in place."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, CacheFailure, Diagnostics, SourceError, processing
from ..incremental.digests import BUILD_MARK, manifest_token
from ..incremental.parse import CachedParser
from ..incremental.store import CACHE_DIR, BuildCache
from ..output.stage import folder_identity, holds_files, output_lock, recover_interrupted, staged_output
from ..parallel import fewer_collections
from ..progress import Progress, Stopwatch
from ..render.schedule import schedule_notes
from .deploy import Deployment
from .load import LoadedSite, SiteOptions, load_site
from .write import Written, write_site

if TYPE_CHECKING:
    import jinja2


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
    deployment: Deployment = field(default_factory=Deployment)
    """Where the site will be served, when the command line or the host says so."""

    @property
    def site(self) -> SiteOptions:
        return SiteOptions(self.source, self.drafts, self.future, self.now, self.deployment)


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
    notes: tuple[str, ...] = ()
    """What the author should know about the site built, though nothing is wrong with it."""


def build(options: BuildOptions, progress: Progress | None = None,
          waiting: Callable[[int | None], None] | None = None) -> BuildResult:
    """Build the site; raise BuildError with every problem found, leaving the old output untouched.

    Sources are parsed in worker processes, or taken from the cache when they did not change; pages and feeds whose
    inputs did not change are carried over from the previous output; files whose bytes did not change are not
    rewritten. Builds into one output folder take turns: `waiting` is told the process id of the build this one
    waits for."""
    progress = progress or Progress()
    with fewer_collections():
        try:
            return _build(options, progress, waiting)
        except CacheFailure as failure:  # damaged, or deleted under the build: start it over
            first = failure
        _remove_cache(options.source)
        try:
            result = _build(options, progress, waiting)
            notice = f"the build cache could not be read ({first}); it was started over and the site built in full"
        except CacheFailure as again:  # it cannot be written (a full or read-only disk): do without it
            _remove_cache(options.source)
            result = _build(replace(options, use_cache=False), progress, waiting)
            notice = f"the build cache cannot be used ({again}); the site was built without it"
    warning = SourceError(options.source / CACHE_DIR, notice, severity="warning",
                          hint=f"nothing to do if it does not happen again; deleting {CACHE_DIR} is always safe")
    return replace(result, warnings=(*result.warnings, warning))


def _remove_cache(root: Path) -> None:
    """Delete the build cache beside the site (a folder, or whatever took its name)."""
    path = root / CACHE_DIR
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _build(options: BuildOptions, progress: Progress, waiting: Callable[[int | None], None] | None) -> BuildResult:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    clock = Stopwatch(timings)
    parser = CachedParser(options.use_cache, progress, options.workers)
    output = options.output
    try:
        loaded = load_site(options.site, parser, output=output, clock=clock)
        cache = parser.cache
        diagnostics = Diagnostics(list(loaded.warnings))

        def make_env() -> jinja2.Environment:  # only a build with pages to render loads Jinja
            from ..render.templates import create_environment

            with processing(None, "loading the templates"):
                return create_environment(loaded.config, loaded.theme, loaded.translations, loaded.share_image,
                                          auto_reload=False, compiled=cache.compiled if cache is not None else None)
        with clock("rendering and writing"), processing(output, "writing"), output_lock(output, waiting):
            # From here to the digests being saved, no other build reads or writes this folder.
            recover_interrupted(output)
            previous = _previous_output(cache, output)
            inputs = parser.code, parser.configuration
            try:
                written = _write(loaded, make_env, cache, progress, diagnostics, options, previous, inputs)
            except _OutputChanged:  # the folder changed under this build: write the whole site
                previous = _Previous()
                written = _write(loaded, make_env, cache, progress, Diagnostics(list(loaded.warnings)), options,
                                 previous, inputs)
            # Unless what the cache holds is still true: the same digests, for the folder it recorded.
            if cache is not None and (written.digests != previous.digests or not previous.recorded):
                # A build that deleted files had every digest forgotten (write_site): all are saved again, else the
                # next build would trust none and render the whole site.
                kept = {} if previous.digests.keys() - written.digests.keys() else previous.digests
                cache.save_page_digests(output, written.digests, folder_identity(output), kept)
    finally:
        parser.close()
    return BuildResult(written.pages, len(written.paths - {BUILD_MARK}), time.perf_counter() - started,
                       tuple(diagnostics.warnings), written.rendered, loaded.parsed, timings, _notes(loaded, options))


def _notes(loaded: LoadedSite, options: BuildOptions) -> tuple[str, ...]:
    """A site with no address of its own (the configuration names none, nor the command line or host) is built for
    the preview's: say so, as its feeds would lead readers nowhere once deployed. Each post dated after the build's
    clock is named, with when it will appear."""
    scheduled = schedule_notes(loaded.site)
    if "base_url" in loaded.config.given or options.deployment.base_url or options.deployment.fallback_url:
        return scheduled
    return (*scheduled, "sitegen.yaml sets no base_url, so feeds, the sitemap and share links point at "
            f"{loaded.config.base_url}; set it before you deploy anywhere but Netlify (where the site's own address "
            "is used)",)


class _OutputChanged(Exception):
    """The output folder no longer holds what the build trusted it to hold when it began."""


@dataclass(frozen=True, slots=True)
class _Previous:
    """What the last build wrote to the output folder, as far as this build can show it."""

    digests: dict[str, bytes] = field(default_factory=dict)
    """Each file's digest (the page or file it was made from); empty: the whole site is rendered afresh."""
    mark: bytes | None = None
    """The folder's BUILD_MARK when the build began, checked again before the new site is put in place."""
    in_place: bool = False
    """Only changed files need writing into the folder (staged_output's patch mode): it is the very one that build
    wrote (the same identity), or a copy that has every file the build wrote. False for a copy short of files: its
    files are trusted for what to render, but the new site is staged whole (hard links to the files carried over,
    the missing ones rendered) and exchanged with it in one step."""
    recorded: bool = False
    """The cache recorded this folder's identity: False for a copy (a build saves it, so the next takes the folder
    for its own)."""


def _write(loaded: LoadedSite, make_env: Callable[[], jinja2.Environment], cache: BuildCache | None, progress: Progress,
           diagnostics: Diagnostics, options: BuildOptions, previous: _Previous, inputs: tuple[bytes, bytes]
           ) -> Written:
    """Render and stage the site, then put it in place: in full, or (a folder `previous` shows in place) by
    updating the folder in place, after checking once more that it still holds what `previous` describes."""
    output = options.output
    with staged_output(output, previous.digests.keys() if previous.in_place else None) as stage:
        written = write_site(loaded, make_env, stage, cache, progress, diagnostics, output, previous.digests,
                             options.workers, *inputs)
        diagnostics.raise_if_errors()
        if options.strict and diagnostics.warnings:
            raise BuildError(diagnostics.items)
        if previous.digests and _mark(output) != previous.mark:
            raise _OutputChanged
        stage.finish(written.paths)
    return written


def _previous_output(cache: BuildCache | None, output: Path) -> _Previous:
    """What the last build wrote to `output`, when the folder can be shown to hold it: its BUILD_MARK matches the
    manifest of the digests the cache holds for it. Nothing (the whole site is rendered afresh) for an emptied or
    missing folder, one another build or a person rewrote, a cache that lost its record.

    The folder that build wrote (the identity the cache recorded) is updated in place. A folder with another
    identity, or none recorded, but the matching mark is a copy of it: `public/` and `.sitegen-cache/` restored
    together from a CI cache (Netlify's build plugin puts both back before each build). Its digests still decide
    which pages are rendered again, and its files are the ones carried over. It is updated in place too when every
    file the build wrote is there (one `lstat` each, where staging a whole tree makes one folder per page: 6 s of
    `mkdir` at 10,000 posts on an overlay file system); a copy short of files is written in full mode instead, so
    each missing file is rendered again (a copy's files are otherwise trusted as the folder's own are). A cache
    restored from another sitegen, configuration or theme matches the mark but not the pages: every page's digest
    covers those, so each page is rendered again."""
    if cache is None:
        return _Previous()
    identity = folder_identity(output)
    if identity is None:
        return _Previous()
    digests, mark = cache.page_digests(output), _mark(output)
    if not digests or mark != manifest_token(digests):
        return _Previous()
    same = cache.output_identity(output) == identity
    return _Previous(digests, mark, in_place=same or holds_files(output, digests), recorded=same)


def _mark(output: Path) -> bytes | None:
    try:
        return (output / BUILD_MARK).read_bytes()
    except OSError:
        return None
