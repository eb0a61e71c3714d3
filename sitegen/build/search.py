"""The search index: Pagefind (https://pagefind.app) run over the posts and pages of the new site, after they are
rendered and before the site is put in place, so an interrupted build leaves no half-written index.

Pagefind reads each page's HTML: only what the theme marks `data-pagefind-body` (a post's or page's content) is
indexed, without what it marks `data-pagefind-ignore`, in one index per `<html lang>`. Its Arabic stemmer (Snowball)
folds what a reader types differently from the author: tashkeel and tatweel are dropped, أ إ آ become ا, ى becomes ي
and a final ة is read as ه, in the index and in the query alike, so no normalization of our own is needed (the
browser tests prove each form).

Pagefind cannot update an index: every run indexes every page it is given again (about 5.5 ms of CPU a post: a
minute at 10,000 posts, see bench/search.py). So the index is made in parts, each a bundle of its own
(pagefind/<shard>/), merged in the browser by the search page (Pagefind's multisite search, `mergeIndex`), and a
build runs Pagefind only for the parts whose pages changed. A post's part is its year (pages and undated posts have
one of their own, "pages"); a year with more than SHARD_PAGES pages is split into a power of two of parts by a hash of
each page's path, so adding or editing a post never moves another post between parts (only a year doubling past
the limit does, re-indexing that year once). A site with fewer than SHARD_FROM indexed pages has one part ("all"):
the browser then loads one bundle. Each part's digest is taken from the digests of its pages (which decide whether a
page is rendered again) and Pagefind's version, and a part whose digest equals the previous build's keeps its files
as they are. pagefind/shards.json lists the parts and their languages for the search page; Pagefind's interface
(pagefind-ui.js and .css) is kept once, in pagefind/.

Without the `pagefind` package, or when its binary fails, the site is built without the index and with a warning:
the search page then says search is unavailable.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..output.stage import Stage
from ..site.routes import SEARCH_FOLDER

FOLDER = SEARCH_FOLDER
"""The folder of the index in the site: /pagefind/shards.json, /pagefind/pagefind-ui.js, /pagefind/2024/..."""
INDEXED_KINDS = ("post", "page")
"""The kinds of page (site.routes.PageRoute.kind) search covers."""
UNUSED = frozenset({"pagefind-component-ui.css", "pagefind-component-ui.js", "pagefind-modular-ui.css",
                    "pagefind-modular-ui.js", "pagefind-highlight.js"})
"""Files of Pagefind's bundle the theme's search page does not load (other UIs): not published."""


SHARD_FROM = 2000
"""Indexed pages from which the index is split into parts (below, one part: one bundle for the browser to load). The
first search of a visit loads every part: at 1,000 posts in 15 parts it took 2.0 s, against 0.48 s in one
(bench/search.py), while one index of 2,000 pages is made again in about 8 s."""
SHARD_PAGES = 1000
"""Pages of a year above which its part is split in two, four... by a hash of each page's path."""
TEST_SHARD_PAGES = "SITEGEN_TEST_SHARD_PAGES"
"""An environment variable for tests only: a number that replaces SHARD_PAGES and splits any site into parts."""
MANIFEST = f"{FOLDER}/shards.json"
"""The list of parts, read by the search page (themes/default/static/search.js)."""
UI = ("pagefind-ui.css", "pagefind-ui.js")
"""Pagefind's interface, the same in every part's bundle: published once, in pagefind/."""


class SearchUnavailable(Exception):
    """Pagefind is not installed, or its binary failed."""


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The index files a build put in the site."""

    digests: dict[str, bytes]
    """Output path ('pagefind/2024/pagefind.js') -> the digest the next build compares (_part_digests; the manifest's
    and the interface's own)."""
    warning: SourceError | None = None


def assign_shards(pages: Mapping[str, int | None]) -> dict[str, list[str]]:
    """The parts of the index: part name -> output paths, from `pages` (output path -> the post's year, None for a
    page or an undated post)."""
    limit = int(os.environ.get(TEST_SHARD_PAGES) or 0) or SHARD_PAGES
    if len(pages) < SHARD_FROM and not os.environ.get(TEST_SHARD_PAGES):
        return {"all": sorted(pages)}
    years: dict[str, list[str]] = {}
    for path in sorted(pages):
        years.setdefault("pages" if pages[path] is None else str(pages[path]), []).append(path)
    shards: dict[str, list[str]] = {}
    for year, paths in years.items():
        parts = 1
        while len(paths) > limit * parts:
            parts *= 2
        if parts == 1:
            shards[year] = paths
            continue
        for path in paths:
            bucket = int.from_bytes(hashlib.sha256(path.encode("utf-8", "surrogateescape")).digest()[:4], "big")
            shards.setdefault(f"{year}-{bucket % parts}", []).append(path)
    return dict(sorted(shards.items()))


def pagefind_version() -> str | None:
    """The installed Pagefind's version (its Python package's and its binary's: 'pagefind-1.5.2
    pagefind_bin_extended-1.5.2'), None without it; read from the names of their dist-info folders, as
    importlib.metadata would cost a rebuild with nothing to render the time to load it."""
    import importlib.util

    spec = importlib.util.find_spec("pagefind")
    if spec is None or spec.origin is None:
        return None
    installed = Path(spec.origin).parent.parent
    names = sorted(path.name.removesuffix(".dist-info") for path in installed.glob("pagefind*.dist-info"))
    binary = os.environ.get("PAGEFIND_BINARY_PATH")
    return " ".join(names + ([f"binary {binary}"] if binary else [])) or "pagefind"


def index_digest(pages: Mapping[str, bytes], version: str) -> bytes:
    """The digest of an index of `pages` (output path -> the page's digest) made by Pagefind `version`."""
    hasher = hashlib.sha256(f"pagefind {version}\n".encode())
    for path in sorted(pages):
        hasher.update(path.encode("utf-8", "surrogateescape") + b"\0" + pages[path] + b"\n")
    return hasher.digest()


def write_search_index(stage: Stage, pages: Mapping[str, int | None], digests: Mapping[str, bytes],
                       previous: Mapping[str, bytes], locate: Callable[[str], Path | None],
                       where: Path) -> SearchIndex:
    """Index `pages` (output path -> the post's year, None for a page) into `stage`'s pagefind/ folder, one bundle
    per part (assign_shards), keeping the previous build's files of each part none of whose pages changed, and the
    list of parts (MANIFEST). `digests`
    are the pages' digests in this build, `previous` every file's digest in the previous one; `locate` gives the file
    that holds a page of the new site. `where` is the output folder, named by the warning."""
    version = pagefind_version()
    if version is None:
        return SearchIndex({}, _warning(where, "the pagefind package is not installed"))
    if not pages:  # nothing to search (Pagefind refuses a site without pages): the search page says so
        return SearchIndex({})
    written: dict[str, bytes] = {}
    languages: dict[str, dict[str, int]] = {}
    ui_digest = hashlib.sha256(f"pagefind-ui {version}\n".encode()).digest()
    ui_kept = _keep(stage, previous, [f"{FOLDER}/{name}" for name in UI], ui_digest)
    written.update(dict.fromkeys(ui_kept, ui_digest))
    made_any = False
    by_part: dict[str, list[str]] = {}  # the previous index's files, by part folder
    for path in previous:
        if path.startswith(FOLDER + "/") and path.count("/") >= 2:
            by_part.setdefault("/".join(path.split("/", 2)[:2]), []).append(path)
    for shard, members in assign_shards(pages).items():
        folder = f"{FOLDER}/{shard}"
        part = _Part(members, locate, version)
        inputs = index_digest({path: digests.get(path, b"") for path in members}, version)
        # without the interface's files to keep, the first part is made again to get them
        kept = None if not ui_kept and not made_any else _keep_part(stage, previous, by_part.get(folder, []),
                                                                    folder, inputs, part)
        if kept is not None:
            written.update(kept)
            assert stage.previous is not None  # the part's files were kept from it
            languages[shard] = _languages((stage.previous / folder / "pagefind-entry.json").read_bytes())
            continue
        try:
            files = run_pagefind(part.files, folder)
            languages[shard] = _languages(files[f"{folder}/pagefind-entry.json"])
        except SearchUnavailable as failure:
            return SearchIndex({}, _warning(where, str(failure)))
        made_any = True
        for name in UI:
            data = files.pop(f"{folder}/{name}")
            if not ui_kept:
                stage.write(f"{FOLDER}/{name}", data)
                written[f"{FOLDER}/{name}"] = ui_digest
        ui_kept = [f"{FOLDER}/{name}" for name in UI]
        for path, data in files.items():
            stage.write(path, data)
        written.update(_part_digests(files, folder, inputs, part.content))
    manifest = render_manifest(languages)
    stage.write(MANIFEST, manifest)
    written[MANIFEST] = hashlib.sha256(manifest).digest()
    return SearchIndex(written)


def make_index(pages: Mapping[str, Path | bytes]) -> dict[str, bytes]:
    """An index of `pages` in one part, in memory (for the preview): output path -> bytes, as a build writes them.
    Raises SearchUnavailable."""
    folder = f"{FOLDER}/all"
    files = run_pagefind(pages, folder)
    for name in UI:
        files[f"{FOLDER}/{name}"] = files.pop(f"{folder}/{name}")
    files[MANIFEST] = render_manifest({"all": _languages(files[f"{folder}/pagefind-entry.json"])})
    return files


def render_manifest(languages: Mapping[str, Mapping[str, int]]) -> bytes:
    """pagefind/shards.json: each part's bundle and the pages it has in each language (part -> language -> pages),
    so the search page merges each language of each part once (Pagefind asked for a language a bundle lacks searches
    the bundle's largest language instead, which would show its results twice)."""
    shards = [{"bundle": f"/{FOLDER}/{shard}/", "languages": dict(sorted(languages[shard].items()))}
              for shard in sorted(languages)]
    return json.dumps({"shards": shards}, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def run_pagefind(pages: Mapping[str, Path | bytes], folder: str = FOLDER) -> dict[str, bytes]:
    """Pagefind's bundle for `pages` (output path 'posts/x/index.html' -> the page's file or bytes) as if written in
    `folder`: output path ('pagefind/2024/...') -> bytes. Raises SearchUnavailable when Pagefind is missing or fails.

    The pages are put in a folder of their own (hard links where the file system allows) and Pagefind's command is
    run on it, not its Python service: the service is stopped with a signal as soon as it answers, before its last
    files reach the disk (pagefind 1.5.2 leaves pagefind-entry.json empty now and then), and it reads one answer
    every 100 ms (17 minutes for 10,000 pages sent one by one)."""
    import subprocess  # only when Pagefind runs: a build that keeps its index does not load them
    import tempfile

    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchUnavailable("the pagefind package is not installed") from exc
    binary = get_executable()
    if binary is None:
        raise SearchUnavailable("the pagefind package has no binary for this system (install 'pagefind[bin]')")
    with tempfile.TemporaryDirectory(prefix="sitegen-pagefind-") as temporary:
        site, bundle = Path(temporary) / "site", Path(temporary) / "bundle"
        for path, page in pages.items():
            _place(site / path, page)
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), "--silent"]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SearchUnavailable(f"Pagefind failed: {type(exc).__name__}: {exc}") from exc
        if done.returncode != 0:
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise SearchUnavailable(f"Pagefind failed (exit status {done.returncode})"
                                    + (f": {said[-1]}" if said else ""))
        files = {f"{folder}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
                 for path in sorted(bundle.rglob("*")) if path.is_file() and path.name not in UNUSED}
    entry = f"{folder}/pagefind-entry.json"
    if entry not in files:
        raise SearchUnavailable("Pagefind wrote no index")
    try:
        files[entry] = _sorted_json(files[entry])
        _languages(files[entry])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SearchUnavailable(f"Pagefind wrote a broken pagefind-entry.json ({exc})") from exc
    return files


TIMEOUT = 600
"""Seconds Pagefind may take (it indexes 10,000 posts in about ten)."""


def _place(dest: Path, page: Path | bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(page, bytes):
        dest.write_bytes(page)
        return
    try:
        os.link(page, dest)
    except OSError:  # another file system, or one without hard links
        import shutil

        shutil.copyfile(page, dest)


def _sorted_json(data: bytes) -> bytes:
    """pagefind-entry.json with its keys in order: Pagefind lists the languages in an order of its own that changes
    from run to run, and a rebuild must give the bytes of a cold build."""
    return json.dumps(json.loads(data), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class _Part:
    """The pages of one part of the index: the files that hold them and the digest of their bytes, each worked out
    the first time it is asked for (a part kept by its pages' digests needs neither)."""

    def __init__(self, members: list[str], locate: Callable[[str], Path | None], version: str) -> None:
        self._members, self._locate, self._version = members, locate, version
        self._files: dict[str, Path] | None = None
        self._content: bytes | None = None

    @property
    def files(self) -> dict[str, Path]:
        if self._files is None:
            self._files = {path: file for path in self._members if (file := self._locate(path)) is not None}
        return self._files

    @property
    def content(self) -> bytes:
        if self._content is None:
            self._content = content_digest(self.files, self._version)
        return self._content


def _keep(stage: Stage, previous: Mapping[str, bytes], paths: list[str], digest: bytes) -> list[str]:
    """Carry `paths` over from the previous site when each was made with `digest` and is still there; the paths
    kept, [] when not."""
    if not paths or any(previous.get(path) != digest for path in paths) or not stage.keep_all(paths):
        return []
    return paths


def _keep_part(stage: Stage, previous: Mapping[str, bytes], old: list[str], folder: str, inputs: bytes,
               part: _Part) -> dict[str, bytes] | None:
    """Carry a part's files (`old`, as the previous build wrote them) over when its pages are what they were: their
    digests (`inputs`) are equal, or else (a page whose inputs changed may show the same bytes, as every page does
    when a post is added elsewhere) the bytes of its pages are; the files kept and their digests, None when not."""
    entry = f"{folder}/pagefind-entry.json"
    contents = {previous[path] for path in old if path != entry}
    if entry not in previous or len(contents) != 1:
        return None
    content = contents.pop()
    if previous[entry] != inputs and part.content != content:
        return None
    if not stage.keep_all(old):
        return None
    return _part_digests(dict.fromkeys(old, b""), folder, inputs, content)


def _part_digests(files: Mapping[str, bytes], folder: str, inputs: bytes, content: bytes) -> dict[str, bytes]:
    """The digests a part's files are recorded with for the next build: its pagefind-entry.json the digest of its
    pages' inputs (equal, the part is kept without reading a page), the others the digest of its pages' bytes."""
    entry = f"{folder}/pagefind-entry.json"
    return {path: inputs if path == entry else content for path in files}


def content_digest(pages: Mapping[str, Path], version: str) -> bytes:
    """The digest of an index of the pages' bytes (output path -> the file that holds the page): all Pagefind reads."""
    return index_digest({path: hashlib.sha256(file.read_bytes()).digest() for path, file in pages.items()}, version)


def _languages(entry: bytes) -> dict[str, int]:
    """A bundle's languages and their pages, from its pagefind-entry.json (run_pagefind checked its shape)."""
    return {str(language): int(index["page_count"]) for language, index in json.loads(entry)["languages"].items()}


def _warning(where: Path, why: str) -> SourceError:
    return SourceError(where, f"the site was built without its search index: {why}", severity="warning",
                       hint="install it (pip install 'pagefind[bin]'); the search page says search is unavailable "
                            "until then")
