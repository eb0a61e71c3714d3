"""The preview's live site: the last good build kept in memory, rebuilt from what changed, rendered on request."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from ..build.load import load_site
from ..build.run import BuildOptions
from ..build.search import INDEXED_KINDS, SearchUnavailable, make_index
from ..errors import BuildError, CacheFailure, InternalError, SourceError, internal_error_report
from ..incremental.parse import ParseCache, ParsedSources, parse_sources_cached, parse_sources_in_memory
from ..incremental.store import open_build_cache
from ..parallel import fewer_collections
from ..progress import Progress
from ..render.pages import render_page
from ..render.plan import Plan
from ..render.templates import create_environment
from ..site.model import Body, Post, Site, StoredBody
from ..site.routes import SEARCH_URL, RouteMemo
from ..site.urls import url_to_path
from ..sources.config import CONFIG_NAMES, Config
from ..sources.discover import SourceFile, discover_sources
from ..sources.theme import Theme


@dataclass(slots=True)
class Generation:
    """One good build of the site: its data, its plan, and the pages rendered from it so far."""

    number: int
    site: Site
    plan: Plan
    env: jinja2.Environment
    rendered: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    search: dict[str, bytes] | None = None
    """The search index's files (build.search), made the first time one is asked for."""
    search_lock: threading.Lock = field(default_factory=threading.Lock)

    def render(self, path: str) -> bytes | None:
        """The bytes of an output path, rendering a page the first time it is asked for; None if no such path."""
        cached = self.rendered.get(path)
        if cached is not None:
            return cached
        if path in self.plan.pages:
            data = render_page(self.plan.pages[path], self.site, self.env).encode("utf-8")
        elif path in self.plan.generated:
            data = self.plan.generated[path]()
        else:
            return None
        with self.lock:
            self.rendered[path] = data
        return data

    def search_file(self, path: str) -> bytes | None:
        """A file of the search index ('pagefind/all/pagefind.js'...), None when there is no such file. The index, in
        one part (build.search.make_index), is made from every post and page (rendered for it) when the search page
        first asks for it in this generation: the preview pays for Pagefind only when search is used, once per
        change. Without Pagefind there is none, and the search page says search is unavailable."""
        if (route := self.plan.pages.get(url_to_path(SEARCH_URL))) is None or route.kind != "search":
            return None  # search is turned off (`search: false`)
        with self.search_lock:
            if self.search is None:
                pages: dict[str, Path | bytes] = {}
                for page, route in self.plan.pages.items():
                    if route.kind in INDEXED_KINDS:
                        with contextlib.suppress(Exception):  # a page that fails shows its error when opened
                            pages[page] = self.render(page) or b""
                try:
                    self.search = make_index(pages)
                except SearchUnavailable:
                    self.search = {}
        return self.search.get(path)

    def digest(self, path: str) -> str | None:
        """A fingerprint of what a path shows, to tell whether an open tab must reload."""
        try:
            data = self.render(path)
        except Exception:  # a mistake in a template or a bug of ours: the page shows it when the tab reloads
            return "error"
        if data is None:
            source = self.plan.copies.get(path)
            return f"{source}:{source.stat().st_mtime_ns}" if source and source.exists() else None
        return page_digest(data)


@dataclass(frozen=True, slots=True)
class Rebuild:
    """What a rebuild found: the new generation (None when it failed), errors, and the files that changed."""

    generation: Generation | None
    diagnostics: tuple[SourceError, ...]
    """What loading the site reported, in the build's order: a failed rebuild's errors with the warnings found beside
    them (what `sitegen build` prints), or a good rebuild's warnings."""
    stylesheets: tuple[str, ...]
    """Output paths of changed CSS files, for swapping in place."""
    changed_urls: tuple[str, ...]
    """URLs of posts and pages whose source changed, for --navigate."""
    seconds: float
    internal: InternalError | None = None
    """The unexpected exception that stopped the rebuild (a bug of ours, an OSError such as a symlink loop), if any:
    the last good generation stays served, as after errors in the site."""
    failure: str = ""
    """What the terminal and every open tab show when the rebuild failed: its diagnostics as `sitegen build`
    prints them, or the internal error in the words the CLI prints it; empty when it succeeded."""

    @property
    def errors(self) -> tuple[SourceError, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[SourceError, ...]:
        return tuple(d for d in self.diagnostics if d.severity != "error")


class MemoryParser:
    """The preview's way of parsing sources (a SourceParser for `load_site`): parsed sources are kept in memory
    between rebuilds and only what changed is parsed again, in this process. The first build, and one after a
    change to the configuration, takes what did not change from the persistent build cache (`.sitegen-cache/`,
    shared with `sitegen build`)."""

    def __init__(self, workers: int | None = None, use_cache: bool = True) -> None:
        self.use_cache = use_cache
        """Take what did not change from the build cache; without it, every source is parsed here."""
        self.cache: ParseCache = {}
        self.sources: list[SourceFile] | None = None
        """The content files, found again only when files are added, removed or renamed."""
        self.source_paths: frozenset[Path] = frozenset()
        """The paths of `sources`."""
        self.problems: list[SourceError] = []
        """What looking for the content files found."""
        self.from_scratch = True
        """The next build reads every source: fill the memory from the build cache first."""
        self.workers = workers
        """Worker processes a build from scratch may fork to parse what the build cache lacks (None: one per core;
        1: none). Forking is safe only while no other thread can hold a lock the workers need (an import, babel's
        locale data): the serve command sets 1 once the HTTP server's threads run."""

    def __call__(self, config: Config) -> ParsedSources:
        if self.sources is None:
            self.sources, self.problems = discover_sources(config.root)
            self.source_paths = frozenset(source.path for source in self.sources)
        if self.from_scratch:
            self.from_scratch = False
            if self.use_cache:
                self.cache.update(self._from_build_cache(config, self.sources))
        missing = sum(1 for source in self.sources if source.path not in self.cache)
        return ParsedSources(self.sources, parse_sources_in_memory(config, self.sources, self.cache), {}, missing,
                             tuple(self.problems))

    def forget_all(self) -> None:
        self.sources = None
        self.cache.clear()
        self.from_scratch = True

    def forget(self, changed: set[Path], content: Path) -> None:
        """Drop what the changed files invalidate: their parsed posts, and the file list when a file came or went."""
        known = self.source_paths if self.sources is not None else frozenset()
        if any(p not in known or not p.exists() for p in changed if p.is_relative_to(content)):
            self.sources = None
        others = [path for path in changed if self.cache.pop(path, None) is None]
        if not others:
            return  # only sources changed (an edit): each was forgotten above
        # a file beside a bundle's index.md, a renamed folder: forget the bundle's index too
        bundles = [p for p in self.cache if p.name.startswith("index.")]
        for path in others:
            for index in bundles:
                if path.is_relative_to(index.parent):
                    self.cache.pop(index, None)

    def _from_build_cache(self, config: Config, sources: list[SourceFile]) -> ParseCache:
        """Every source parsed as `sitegen build` parses it: from the build cache where it did not change, the rest
        in worker processes (`self.workers`), stored there for the next start. Bodies are read into memory before
        the cache is closed (the preview holds every body, as when it parses them itself): pages are rendered in
        the server's threads, and an SQLite connection stays in the thread that opened it. Empty when there is no
        usable cache (a read-only site, a damaged cache, a cache changed under us): every source is then parsed in
        this process."""
        if not sources:
            return {}
        try:
            cache = open_build_cache(config.root)
        except CacheFailure:
            return {}
        if cache is None:
            return {}
        try:
            with fewer_collections():
                results, _keys, _parsed = parse_sources_cached(config, cache, Progress(), sources, self.workers)
                stored = [post.body.key for post, _ in results if post is not None and isinstance(post.body,
                                                                                                  StoredBody)]
                bodies = cache.bodies(stored)
                return {source.path: _in_memory(source, post, errors, bodies)
                        for source, (post, errors) in zip(sources, results, strict=True)}
        except (OSError, CacheFailure, BrokenExecutor):
            return {}
        finally:
            cache.close()


class Preview:
    """The site as the preview serves it, loaded by the same road as `sitegen build` (`load_site`): whatever the
    build refuses, a rebuild reports with the same diagnostics, and the last good generation stays served."""

    def __init__(self, options: BuildOptions, *, debug: bool = False) -> None:
        self.options = replace(options, source=options.source.resolve())
        self.debug = debug
        """Add the Python traceback to an internal error's report (`--debug`)."""
        self.root = self.options.source
        self.parser = MemoryParser(self.options.workers, self.options.use_cache)
        self.memo = RouteMemo()
        """The routes and link checks of the posts the last rebuild loaded, for the next to take where unchanged."""
        self.theme: Theme | None = None
        self.env: jinja2.Environment | None = None
        self._env_inputs: tuple[object, ...] = ()
        """What the environment was made from (configuration, theme, words, sharing image)."""
        self.current: Generation | None = None
        self.diagnostics: tuple[SourceError, ...] = ()
        """What the last rebuild reported (see Rebuild.diagnostics)."""
        self.internal: InternalError | None = None
        """The unexpected exception that stopped the last rebuild (see Rebuild.internal)."""
        self.failure = ""
        """What the last rebuild's failure shows (see Rebuild.failure); empty when it succeeded."""
        self._count = 0
        self._stylesheet_history: list[tuple[int, tuple[str, ...]]] = []
        """(generation, stylesheets changed by the rebuild that made it), for tabs that connect late."""
        self._lock = threading.Lock()

    @property
    def workers(self) -> int | None:
        return self.parser.workers

    @workers.setter
    def workers(self, value: int | None) -> None:
        self.parser.workers = value

    def rebuild(self, changed: set[Path] | None = None) -> Rebuild:
        """Rebuild after `changed` files (None: from scratch); keep the last good generation on failure, whether
        the site has errors or the rebuild met an unexpected exception: nothing a rebuild raises escapes, so the
        watcher that calls it goes on and the next good edit recovers."""
        started = time.perf_counter()
        with self._lock:
            changed_set = {_absolute(p) for p in changed} if changed is not None else None
            self.internal = None
            try:
                self._forget(changed_set)
                with fewer_collections():  # a rebuild makes a whole site of objects with no cycles in them
                    generation = self._generate()
            except Exception as exc:  # a bug of ours, an OSError (a symlink loop): reported, never fatal
                generation = None
                internal = exc if isinstance(exc, InternalError) else InternalError(exc, None, "rebuilding the site")
                self.internal = internal
                self.diagnostics = ()
                self.env = None
                self.parser.forget_all()  # what is in memory may be half updated: the next rebuild reads it all
            self.failure = self._failure() if generation is None else ""
            if generation is not None:
                self.current = generation
            sheets = self._stylesheets(changed_set)
            if sheets and self.current is not None:
                self._stylesheet_history = [*self._stylesheet_history[-50:], (self.current.number, sheets)]
        return Rebuild(generation, self.diagnostics, sheets, self._urls_of(changed_set),
                       time.perf_counter() - started, self.internal, self.failure)

    @property
    def errors(self) -> tuple[SourceError, ...]:
        """The errors of the last rebuild: while there are any, the last good generation is served."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    def _failure(self) -> str:
        """The text of a failed rebuild: its internal error as the CLI prints one, or its diagnostics."""
        if self.internal is not None:
            return internal_error_report(self.internal, self.root, debug=self.debug)
        return format_errors(self.diagnostics, self.root)

    def stylesheets_since(self, generation: int) -> tuple[str, ...]:
        """Stylesheets changed by the rebuilds after `generation`."""
        return tuple(sorted({s for number, sheets in self._stylesheet_history if number > generation for s in sheets}))

    def _forget(self, changed: set[Path] | None) -> None:
        """Drop what the changed files invalidate."""
        if changed is None or any(p.name in CONFIG_NAMES and p.parent == self.root for p in changed):
            self.env = None
            self.parser.forget_all()
            return
        content = self.root / "content"
        if any(p.suffix in (".html", ".xml", ".j2") and not p.is_relative_to(content) for p in changed):
            self.env = None  # a template changed
        self.parser.forget(changed, content)

    def _generate(self) -> Generation | None:
        try:
            loaded = load_site(self.options.site, self.parser, memo=self.memo)
        except BuildError as failure:
            self.diagnostics = tuple(failure.diagnostics)
            return None
        self.diagnostics = loaded.warnings
        inputs = (loaded.config, loaded.theme, loaded.translations, loaded.share_image)
        if self.env is None or inputs != self._env_inputs:
            self.env = create_environment(*inputs)
            self._env_inputs = inputs
        self.theme = loaded.theme
        self._count += 1
        return Generation(self._count, loaded.site, loaded.plan, self.env)

    def _stylesheets(self, changed: set[Path] | None) -> tuple[str, ...]:
        if not changed or self.current is None:
            return ()
        sheets = {_absolute(source): path for path, source in self.current.plan.copies.items() if path.endswith(".css")}
        return tuple(sorted(path for source, path in sheets.items()
                            if source in changed or any(source.is_relative_to(p) for p in changed if p.is_dir())))

    def _urls_of(self, changed: set[Path] | None) -> tuple[str, ...]:
        if not changed or self.current is None:
            return ()
        pages = self.current.plan.pages
        posts = (parsed[0] for path in changed if (parsed := self.parser.cache.get(path)) is not None)
        return tuple(post.url for post in posts if post is not None and url_to_path(post.url) in pages)


def _in_memory(source: SourceFile, post: Post | None, errors: list[SourceError], bodies: dict[bytes, Body]
               ) -> tuple[Post | None, list[SourceError]]:
    """A source parsed by the build cache as the preview keeps it: its body in memory (from `bodies`, read in one
    go), and its errors in the file found this time (the cache keeps the path as spelled by the build that parsed
    it: `-s .`, a symlink)."""
    if post is not None and isinstance(post.body, StoredBody):
        post = replace(post, body=bodies[post.body.key])
    return post, [e if e.path == source.path else replace(e, path=source.path) for e in errors]


def format_errors(errors: tuple[SourceError, ...] | list[SourceError], root: Path) -> str:
    """Diagnostics as `sitegen build` prints them, each with its source line, separated by blank lines."""
    return "\n\n".join(error.format(root) for error in errors)


def page_digest(data: bytes) -> str:
    """The fingerprint of a page's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _absolute(path: Path) -> Path:
    """An absolute, normalised path without resolving symlinks (cheap: no system calls)."""
    return Path(os.path.normpath(os.path.abspath(path)))


def request_path(url_path: str) -> str | None:
    """The output path a request asks for, or None when it tries to leave the site ('..', absolute, NUL)."""
    if "\x00" in url_path or "\\" in url_path:
        return None
    parts = url_path.split("/")
    if any(part in ("..", ".") for part in parts) or url_path.startswith("//"):
        return None
    return url_to_path("/" + "/".join(p for p in parts if p) + ("/" if url_path.endswith("/") else ""))
