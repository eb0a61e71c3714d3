"""The search index: Pagefind (https://pagefind.app) run over the posts and pages of the new site, after they are
rendered and before the site is put in place, so an interrupted build leaves no half-written index.

Pagefind reads each page's HTML: only what the theme marks `data-pagefind-body` (a post's or page's content) is
indexed, without what it marks `data-pagefind-ignore`, in one index per `<html lang>`. Its Arabic stemmer (Snowball)
folds what a reader types differently from the author: tashkeel and tatweel are dropped, أ إ آ become ا, ى becomes ي
and a final ة is read as ه, in the index and in the query alike, so no normalization of our own is needed (the
browser tests prove each form).

Pagefind cannot update an index: every run indexes every page again (about 0.8 ms a post: 8 s at 10,000 posts, see
bench/search.py). So the index is only made again when a page it covers changed: its digest is taken from the
digests of the indexed pages (which decide whether a page is rendered again) and Pagefind's version, and a build
whose digest equals the previous build's keeps the previous index files as they are.

Without the `pagefind` package, or when its binary fails, the site is built without the index and with a warning:
the search page then says search is unavailable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..output.stage import Stage
from ..site.routes import SEARCH_FOLDER

FOLDER = SEARCH_FOLDER
"""The folder of the index in the site: /pagefind/pagefind-ui.js, /pagefind/pagefind-entry.json..."""
INDEXED_KINDS = ("post", "page")
"""The kinds of page (site.routes.PageRoute.kind) search covers."""
UNUSED = frozenset({"pagefind-component-ui.css", "pagefind-component-ui.js", "pagefind-modular-ui.css",
                    "pagefind-modular-ui.js", "pagefind-highlight.js"})
"""Files of Pagefind's bundle the theme's search page does not load (other UIs): not published."""


class SearchUnavailable(Exception):
    """Pagefind is not installed, or its binary failed."""


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The index files a build put in the site."""

    digests: dict[str, bytes]
    """Output path ('pagefind/pagefind.js') -> the index's digest, the same for each: the next build keeps them when
    its own digest is equal."""
    indexed: int
    """Pages Pagefind indexed in this build: 0 when the previous index was kept (or none could be made)."""
    warning: SourceError | None = None


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


def write_search_index(stage: Stage, pages: Iterable[str], digests: Mapping[str, bytes],
                       previous: Mapping[str, bytes], locate: Callable[[str], Path | None],
                       where: Path) -> SearchIndex:
    """Index `pages` (output paths) into `stage`'s pagefind/ folder, or keep the previous build's index files when
    none of the pages changed. `digests` are the pages' digests in this build, `previous` every file's digest in the
    previous one; `locate` gives the file that holds a page of the new site. `where` is the output folder, named by
    the warning."""
    version = pagefind_version()
    if version is None:
        return SearchIndex({}, 0, _warning(where, "the pagefind package is not installed"))
    pages = list(pages)
    if not pages:  # nothing to search (Pagefind refuses a site without pages): the search page says so
        return SearchIndex({}, 0)
    digest = index_digest({path: digests.get(path, b"") for path in pages}, version)
    old = [path for path in previous if path.startswith(FOLDER + "/")]
    if old and all(previous[path] == digest for path in old) and _all_there(stage, old):
        for path in old:
            stage.keep(path)
        return SearchIndex(dict.fromkeys(old, digest), 0)
    located = {path: file for path in pages if (file := locate(path)) is not None}
    try:
        files = run_pagefind(located)
    except SearchUnavailable as failure:
        return SearchIndex({}, 0, _warning(where, str(failure)))
    for name, data in files.items():
        stage.write(name, data)
    return SearchIndex(dict.fromkeys(files, digest), len(located))


def run_pagefind(pages: Mapping[str, Path | bytes]) -> dict[str, bytes]:
    """Pagefind's bundle for `pages` (output path 'posts/x/index.html' -> the page's file or bytes): output path
    ('pagefind/...') -> bytes. Raises SearchUnavailable when Pagefind is missing or fails.

    The pages are put in a folder of their own (hard links where the file system allows) and Pagefind's command is
    run on it, not its Python service: the service is stopped with a signal as soon as it answers, before its last
    files reach the disk (pagefind 1.5.2 leaves pagefind-entry.json empty now and then), and it reads one answer
    every 100 ms (17 minutes for 10,000 pages sent one by one)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchUnavailable("the pagefind package is not installed") from exc
    binary = get_executable()
    if binary is None:
        raise SearchUnavailable("the pagefind package has no binary for this system (install 'pagefind[bin]')")
    with tempfile.TemporaryDirectory(prefix="sitegen-pagefind-") as temporary:
        site, bundle = Path(temporary) / "site", Path(temporary) / FOLDER
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
        files = {f"{FOLDER}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
                 for path in sorted(bundle.rglob("*")) if path.is_file() and path.name not in UNUSED}
    entry = f"{FOLDER}/pagefind-entry.json"
    if entry not in files:
        raise SearchUnavailable("Pagefind wrote no index")
    try:
        files[entry] = _sorted_json(files[entry])
    except ValueError as exc:
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
    except OSError:
        shutil.copyfile(page, dest)


def _sorted_json(data: bytes) -> bytes:
    """pagefind-entry.json with its keys in order: Pagefind lists the languages in an order of its own that changes
    from run to run, and a rebuild must give the bytes of a cold build."""
    return json.dumps(json.loads(data), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _all_there(stage: Stage, paths: Iterable[str]) -> bool:
    """Every file of `paths` is in the previous site, to be kept (checked first: a file linked from the previous site
    must never be written over, as that would change the old site's file too)."""
    return stage.previous is not None and all((stage.previous / path).is_file() for path in paths)


def _warning(where: Path, why: str) -> SourceError:
    return SourceError(where, f"the site was built without its search index: {why}", severity="warning",
                       hint="install it (pip install 'pagefind[bin]'); the search page says search is unavailable "
                            "until then")
