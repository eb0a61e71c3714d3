"""The build pipeline: discover -> parse -> assemble the Site -> render -> write."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..errors import BuildError, Diagnostics, SourceError, processing
from ..incremental.parse import parse_sources_cached
from ..incremental.store import CACHE_DIR, BuildCache, code_fingerprint
from ..output.checks import check_output_dir, check_output_paths
from ..output.stage import folder_identity, staged_output
from ..parallel import fewer_collections
from ..progress import Progress, Stopwatch
from ..render.plan import Plan, plan_site
from ..render.templates import create_environment
from ..site.assemble import assemble_site, find_url_collisions
from ..site.model import Post, Site
from ..site.posts import is_published
from ..sources.config import Config, find_config, load_config
from ..sources.discover import discover_sources
from ..sources.theme import find_theme
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
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent in each stage, for --profile."""


def build_clock() -> datetime:
    """Now, or the reproducible-builds clock `SOURCE_DATE_EPOCH` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC)


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
    diagnostics = Diagnostics()
    root = options.source
    with clock("configuration"), processing(root / "sitegen.yaml", "reading"):
        config, config_errors = load_config(root)
        diagnostics.extend(config_errors)
        if error := check_output_dir(options.output, root):
            diagnostics.add(error)
        theme, theme_errors = find_theme(config)
        diagnostics.extend(theme_errors)
        diagnostics.raise_if_errors()
    cache = open_cache(config, options)
    try:
        with clock("parsing"):
            posts, post_keys = load_posts_cached(config, options, diagnostics, cache, progress)
        diagnostics.raise_if_errors()
        with clock("assembling"), processing(None, "assembling the site"):
            site = assemble_site(config, posts)
            diagnostics.extend(site.problems)
            diagnostics.raise_if_errors()
            env = create_environment(config, theme, auto_reload=False,
                                     compiled=cache.compiled if cache is not None else None)
            plan = plan_site(site, theme)
            diagnostics.extend(check_plan_paths(plan))
            diagnostics.raise_if_errors()
        previous = _previous_output(cache, options.output)
        with clock("rendering and writing"), processing(options.output, "writing"), \
                staged_output(options.output, previous.keys() if previous else None) as stage:
            written = write_site(site, env, plan, stage, cache, post_keys, theme, progress, diagnostics,
                                 options.output, previous, options.workers)
            diagnostics.raise_if_errors()
            diagnostics.extend(check_links(site, written.paths))
            if options.strict and diagnostics.warnings:
                raise BuildError(diagnostics.items)
            stage.finish(written.paths)
        if cache is not None and written.digests != previous:  # else what the cache holds is still true
            cache.save_page_digests(options.output, written.digests, folder_identity(options.output), previous)
    finally:
        if cache is not None:
            cache.close()
    return BuildResult(written.pages, len(written.paths), time.perf_counter() - started,
                       tuple(diagnostics.warnings), written.rendered, timings)


def _previous_output(cache: BuildCache | None, output: Path) -> dict[str, bytes]:
    """What the last build wrote to `output` (each file's digest), when the folder is still the one it wrote; an
    empty dict means the whole site is written afresh."""
    if cache is None:
        return {}
    identity = folder_identity(output)
    if identity is None or cache.output_identity(output) != identity:
        return {}
    return cache.page_digests(output)


def open_cache(config: Config, options: BuildOptions) -> BuildCache | None:
    """The persistent cache beside the site, keyed to sitegen's code and the configuration file's bytes."""
    if not options.use_cache:
        return None
    digest = hashlib.blake2b(code_fingerprint(), digest_size=16)
    config_file = find_config(config.root)
    digest.update(config_file.read_bytes() if config_file else b"")  # not --drafts or --future: posts are parsed
    # the same either way (choosing the ones to publish comes after), and pages' digests cover which were published
    try:
        return BuildCache(config.root / CACHE_DIR, digest.digest())
    except (OSError, sqlite3.Error):
        return None  # a read-only site or a damaged cache: build without one


def load_posts_cached(config: Config, options: BuildOptions, diagnostics: Diagnostics, cache: BuildCache | None,
                      progress: Progress) -> tuple[list[Post], dict[Path, bytes]]:
    """Every source parsed, from the cache where it did not change, the rest in worker processes. A source whose
    size and modification time are as when it was last read is not read again. Returns the published posts and each
    source's cache key (what its pages are made from)."""
    sources = discover_sources(config.root)
    results, keys = parse_sources_cached(config, cache, progress, sources, options.workers)
    post_keys = {source.path: key for source, key in zip(sources, keys, strict=True)}
    return published_posts(results, options, diagnostics, config.root), post_keys


def published_posts(results: list[tuple[Post | None, list[SourceError]]], options: BuildOptions,
                    diagnostics: Diagnostics, root: Path) -> list[Post]:
    """The posts to publish (drafts and future posts only when asked for); every source's problems and URL
    collisions go to `diagnostics`."""
    now = options.now or build_clock()
    posts: list[Post] = []
    for post, errors in results:
        diagnostics.extend(errors)
        if post is not None and is_published(post, now, drafts=options.drafts, future=options.future):
            posts.append(post)
    diagnostics.extend(find_url_collisions(_claims(posts), root))
    return posts


def check_plan_paths(plan: Plan) -> list[SourceError]:
    """Every path stays inside the output folder, and no path is claimed twice."""
    return check_output_paths([*plan.pages, *plan.generated], plan.copies)


def _claims(posts: list[Post]) -> list[tuple[str, Path, str]]:
    claims = [(p.url, p.doc.path, "the URL") for p in posts]
    claims += [("/" + alias.strip("/") + "/", p.doc.path, "the alias") for p in posts for alias in p.aliases]
    return claims


def check_links(site: Site, paths: set[str]) -> list[SourceError]:
    """Warn about links and images in posts that point at no page or file of this site."""
    warnings = []
    for post in (*site.posts, *site.pages):
        for local in post.links:
            if any(path in paths for path in local.paths):
                continue
            link = local.link
            what = "image" if link.is_image else "link"
            warnings.append(SourceError(
                post.doc.path, f"{what} to {link.target} leads to no page or file of this site",
                post.doc.body_line + link.line - 1, severity="warning", hint="fix the address, or remove the link"))
    return warnings
