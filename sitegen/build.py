"""The build pipeline: discover -> parse -> assemble the Site -> render -> write."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import CACHE_DIR, BuildCache, code_fingerprint
from .config import Config, find_config, load_config
from .content import SourceFile, discover_sources, load_document
from .errors import BuildError, Diagnostics, SourceError, processing
from .markdown import create_parser, render_markdown
from .output import check_output_dir, check_output_paths, folder_identity, staged_output
from .parallel import fewer_collections, map_chunks
from .progress import Progress, Stopwatch
from .render import Output, Plan, plan_site, render_site
from .site import Post, Site, assemble_site, find_url_collisions, is_published, make_post
from .templates import create_environment, find_theme
from .write import write_site

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


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


def generate(options: BuildOptions, diagnostics: Diagnostics) -> tuple[Site, Output]:
    """Everything but writing: the site and its output files in memory."""
    root = options.source
    with processing(root / "sitegen.yaml", "reading"):
        config, config_errors = load_config(root)
    diagnostics.extend(config_errors)
    if error := check_output_dir(options.output, root):
        diagnostics.add(error)
    theme, theme_errors = find_theme(config)
    diagnostics.extend(theme_errors)
    posts = load_posts(config, options, diagnostics)
    diagnostics.raise_if_errors()
    with processing(None, "rendering the site"):
        site = assemble_site(config, posts)
        env = create_environment(config, theme)
        output = render_site(site, env, theme)
    diagnostics.extend(output.errors)
    diagnostics.extend(check_output_paths(output))
    diagnostics.raise_if_errors()
    diagnostics.extend(check_links(site, output.paths))
    return site, output


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
    now = options.now or build_clock()
    sources = discover_sources(config.root)
    results, keys = parse_sources_cached(config, options, cache, progress, sources)
    posts: list[Post] = []
    post_keys: dict[Path, bytes] = {}
    for source, (post, errors), key in zip(sources, results, keys, strict=True):
        diagnostics.extend(errors)
        post_keys[source.path] = key
        if post is not None and is_published(post, now, drafts=options.drafts, future=options.future):
            posts.append(post)
    diagnostics.extend(find_url_collisions(_claims(posts), config.root))
    return posts, post_keys


def parse_sources_cached(config: Config, options: BuildOptions, cache: BuildCache | None, progress: Progress,
                         sources: list[SourceFile]) -> tuple[list[tuple[Post | None, list[SourceError]]], list[bytes]]:
    """Each source's (post, errors), drafts, future and failed ones included, in the order of `sources`: from the
    cache where it did not change, the rest parsed in worker processes (`options.workers`); and each source's cache
    key (empty when it has none). A post that comes from the cache has its body left there (a StoredBody)."""
    raws: list[bytes | None] = [None] * len(sources)
    keys: list[bytes] = [b""] * len(sources)
    if cache is not None:
        keys = _source_keys(cache, sources, raws, config.root)
    found = cache.get_parsed({k: s for k, s in zip(keys, sources, strict=True) if k}) if cache is not None else {}
    results: dict[int, tuple[Post | None, list[SourceError]]] = {}
    for index, (source, key) in enumerate(zip(sources, keys, strict=True)):
        hit = found.get(key)
        if hit is not None and _still_valid(hit, source):
            results[index] = hit[0], hit[1]
    misses = [i for i in range(len(sources)) if i not in results]
    progress.start("parsing", len(misses))
    md_holder: list[MarkdownIt] = []

    def parse_chunk(indexes: Sequence[int]) -> list[bytes | tuple[Post | None, list[SourceError]]]:
        """Parse sources; those with a cache key go to the cache (from the worker: the bodies never travel), and
        what was stored of them comes back."""
        if not md_holder:
            md_holder.append(create_parser())
        done: dict[int, tuple[Post | None, list[SourceError], int | None]] = {}
        for i in indexes:
            post, errors = parse_source(sources[i], config, md_holder[0], raws[i])
            done[i] = post, errors, _mtime_dependency(errors, sources[i])
        stored = cache.put_parsed({keys[i]: done[i] for i in indexes if keys[i]}) if cache is not None else {}
        return [stored[keys[i]] if keys[i] in stored else done[i][:2] for i in indexes]

    parsed = map_chunks(parse_chunk, misses, workers=options.workers, on_done=progress.advance)
    for index, item in zip(misses, parsed, strict=True):
        if isinstance(item, bytes):
            assert cache is not None
            post, errors, _ = cache.load_parsed(keys[index], item, sources[index])
            results[index] = post, errors
        else:
            results[index] = item
    if cache is not None:
        cache.keep_only_parsed({k for k in keys if k})
    return [results[index] for index in range(len(sources))], keys


def _source_keys(cache: BuildCache, sources: list[SourceFile], raws: list[bytes | None], root: Path) -> list[bytes]:
    """Each source's cache key, from its recorded digest when its size and modification time did not change, else
    from its bytes (read into `raws` for the parser). A source that cannot be read gets no key."""
    known = cache.source_stats()
    stats: dict[str, tuple[int, int, bytes]] = {}
    keys = []
    for index, source in enumerate(sources):
        relative = source.path.relative_to(root).as_posix()
        try:
            info = os.stat(source.path)
            seen = known.get(relative)
            if seen is not None and seen[0] == info.st_size and seen[1] == info.st_mtime_ns:
                digest = seen[2]
            else:
                raws[index] = raw = source.path.read_bytes()
                digest = hashlib.blake2b(raw, digest_size=20).digest()
        except OSError:
            keys.append(b"")  # parse_source reports it
            continue
        stats[relative] = (info.st_size, info.st_mtime_ns, digest)
        keys.append(cache.source_key(relative, digest))
    cache.save_source_stats(stats, known)
    return keys


def _mtime_dependency(errors: list[SourceError], source: SourceFile) -> int | None:
    """A post dated by its file's modification time depends on it; None for every other post."""
    if not any("modification time" in e.message for e in errors):
        return None
    try:
        return source.path.stat().st_mtime_ns
    except OSError:
        return None


def _still_valid(hit: tuple[Post | None, list[SourceError], int | None], source: SourceFile) -> bool:
    mtime = hit[2]
    if mtime is None:
        return True
    try:
        return source.path.stat().st_mtime_ns == mtime
    except OSError:
        return False


def check_plan_paths(plan: Plan) -> list[SourceError]:
    """Every path stays inside the output folder, and no path is claimed twice."""
    out = Output(files=dict.fromkeys([*plan.pages, *plan.generated], b""), copies=dict(plan.copies))
    return check_output_paths(out)


ParseCache = dict[Path, tuple["Post | None", list[SourceError]]]
"""Parsed sources by path, kept by the preview between rebuilds; the watcher removes what changed."""


def load_posts(config: Config, options: BuildOptions, diagnostics: Diagnostics,
               cache: ParseCache | None = None, sources: list[SourceFile] | None = None) -> list[Post]:
    """Read, validate and render every source (or take it from `cache`); drafts and future posts are dropped
    unless asked for."""
    now = options.now or build_clock()
    md = create_parser()
    posts: list[Post] = []
    for source in discover_sources(config.root) if sources is None else sources:
        if cache is not None and source.path in cache:
            post, errors = cache[source.path]
        else:
            post, errors = parse_source(source, config, md)
            if cache is not None:
                cache[source.path] = (post, errors)
        diagnostics.extend(errors)
        if post is not None and is_published(post, now, drafts=options.drafts, future=options.future):
            posts.append(post)
    diagnostics.extend(find_url_collisions(_claims(posts), config.root))
    return posts


def parse_source(source: SourceFile, config: Config, md: MarkdownIt,
                 raw: bytes | None = None) -> tuple[Post | None, list[SourceError]]:
    """One source file (its bytes, when already read) to a post: front matter validated, Markdown rendered."""
    with processing(source.path, "reading"):
        document, errors = load_document(source, config.zone, raw)
        if document is None:
            return None, errors
        rendered = render_markdown(document.body, md, title=document.title)
        if rendered.too_deep_at is not None:
            return None, [*errors, SourceError(
                document.path, "lists or quotes nest too deeply here; what lies deeper would be lost",
                document.body_line + rendered.too_deep_at - 1, hint="nest them less deeply (at most 49 lists or 99 "
                "quotes)")]
        return make_post(document, rendered, config), errors


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
