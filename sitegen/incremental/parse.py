"""Parsing sources into posts, from the build cache where a source did not change, the rest in worker processes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceError, processing
from ..markdown import create_parser, render_markdown
from ..parallel import map_chunks
from ..progress import Progress
from ..site.model import Post
from ..site.posts import make_post
from ..sources.config import Config
from ..sources.discover import SourceFile, discover_sources
from ..sources.document import load_document
from .store import BuildCache, code_fingerprint, configuration_digest, open_build_cache, parse_fingerprint, source_key

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


Parsed = tuple["Post | None", list[SourceError]]
"""What parsing one source gave: its post (None when it could not be made) and its problems."""
ParseCache = dict[Path, Parsed]
"""Parsed sources by path, kept by the preview between rebuilds; the watcher removes what changed."""


@dataclass(frozen=True, slots=True)
class ParsedSources:
    """Every content file of a site parsed, drafts, future and failed ones included, in the order of `sources`."""

    sources: list[SourceFile]
    results: list[Parsed]
    keys: dict[Path, bytes] = field(default_factory=dict)
    """Each source's cache key (its path, bytes, the configuration and sitegen): what its pages are made from."""
    parsed: int = 0
    """How many sources were parsed this time (the others were known already)."""
    problems: tuple[SourceError, ...] = ()
    """What looking for the sources found (a link round a loop, a name that is not UTF-8), before any was read."""


class CachedParser:
    """Parses a site's sources as `sitegen build` does: from the build cache beside the site where a source did not
    change, the rest in worker processes. The cache is opened once the configuration is known to be good (so no
    cache folder appears where there is no site) and stays open for the rest of the build, until `close`."""

    def __init__(self, use_cache: bool = True, progress: Progress | None = None, workers: int | None = None) -> None:
        self.use_cache = use_cache
        self.progress = progress or Progress()
        self.workers = workers
        self.cache: BuildCache | None = None
        self.code = b""
        """sitegen's code fingerprint, as the sources were keyed with it (the build's page digests use it too)."""
        self.configuration = b""
        """The configuration file's digest, likewise."""

    def __call__(self, config: Config) -> ParsedSources:
        if self.use_cache and self.cache is None:
            self.cache = open_build_cache(config.root)
        if self.cache is not None:
            self.code, self.configuration = self.cache.code, self.cache.configuration
        else:
            self.code, self.configuration = code_fingerprint(), configuration_digest(config.root)
        sources, problems = discover_sources(config.root)
        results, keys, parsed = parse_sources_cached(config, self.cache, self.progress, sources, self.workers,
                                                     parse_fingerprint(self.code, self.configuration))
        return ParsedSources(sources, results, {s.path: k for s, k in zip(sources, keys, strict=True) if k}, parsed,
                             tuple(problems))

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def parse_sources_cached(config: Config, cache: BuildCache | None, progress: Progress, sources: list[SourceFile],
                         workers: int | None = None, fingerprint: bytes | None = None
                         ) -> tuple[list[Parsed], list[bytes], int]:
    """Each source's (post, errors), drafts, future and failed ones included, in the order of `sources`: from the
    cache where it did not change, the rest parsed in `workers` worker processes; and each source's key (empty for
    a source that cannot be read), and how many were parsed. A post that comes from the cache has its body left there
    (a StoredBody)."""
    raws: list[bytes | None] = [None] * len(sources)
    if fingerprint is None:
        fingerprint = cache.fingerprint if cache is not None else parse_fingerprint(code_fingerprint(),
                                                                                      configuration_digest(config.root))
    keys = _source_keys(cache, sources, raws, config.root, fingerprint)
    found = cache.get_parsed({k: s for k, s in zip(keys, sources, strict=True) if k}) if cache is not None else {}
    results: dict[int, Parsed] = {}
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
            done[i] = post, errors, _mtime_dependency(post, sources[i])
        stored = cache.put_parsed({keys[i]: done[i] for i in indexes if keys[i]}) if cache is not None else {}
        return [stored[keys[i]] if keys[i] in stored else done[i][:2] for i in indexes]

    parsed = map_chunks(parse_chunk, misses, workers=workers, on_done=progress.advance)
    for index, item in zip(misses, parsed, strict=True):
        if isinstance(item, bytes):
            assert cache is not None
            post, errors, _ = cache.load_parsed(keys[index], item, sources[index])
            results[index] = post, errors
        else:
            results[index] = item
    if cache is not None:
        cache.keep_only_parsed({k for k in keys if k})
    return [results[index] for index in range(len(sources))], keys, len(misses)


def _source_keys(cache: BuildCache | None, sources: list[SourceFile], raws: list[bytes | None], root: Path,
                 fingerprint: bytes) -> list[bytes]:
    """Each source's key (`store.source_key`), from the digest the cache recorded when its size and modification
    time did not change, else from its bytes (read into `raws` for the parser). A source that cannot be read gets
    no key."""
    known = cache.source_stats() if cache is not None else {}
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
        keys.append(source_key(fingerprint, relative, digest))
    if cache is not None:
        cache.save_source_stats(stats, known)
    return keys


def _mtime_dependency(post: Post | None, source: SourceFile) -> int | None:
    """The source's modification time when what was parsed depends on it (a post dated by it; a source that failed,
    whose messages may name it), else None."""
    if post is not None and not post.doc.dated_by_mtime:
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


def parse_sources_in_memory(config: Config, sources: list[SourceFile], cache: ParseCache
                            ) -> list[tuple[Post | None, list[SourceError]]]:
    """Every source parsed, or taken from `cache` (the preview's, kept between rebuilds), in this process."""
    md: MarkdownIt | None = None
    results = []
    for source in sources:
        found = cache.get(source.path)
        if found is None:
            md = md or create_parser()
            found = cache[source.path] = parse_source(source, config, md)
        results.append(found)
    return results
