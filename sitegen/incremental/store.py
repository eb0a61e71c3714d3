"""The persistent build cache (`.sitegen-cache/` beside the site): parsed posts by the hash of their source (their
bodies in a file of their own, read when a page shows them), each source's size, time and hash, the digest each
output file was made from with the output folder's identity, and compiled templates; so a rebuild redoes only what
changed.

A parsed post is keyed by its source bytes, its path, the configuration and sitegen itself (its version, the hash of
its code, and the versions of the Markdown and highlighting libraries), so any change to one of those is a miss.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import os
import pickle
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from .. import __version__
from ..errors import CacheFailure, SourceError
from ..markdown import Link, TocEntry
from ..site.model import Body, LocalLink, Post, StoredBody
from ..sources.config import find_config
from ..sources.discover import SourceFile
from ..sources.document import Document

P = ParamSpec("P")
R = TypeVar("R")
CACHE_DIR = ".sitegen-cache"
_SCHEMA = 6
_NO_BODY = Body("", ())
_BATCH = 500
"""Keys per query of `bodies` (SQLite limits the parameters of one statement)."""
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "pygments", "jinja2", "babel", "pyyaml", "nh3", "feedgen",
              "hijridate", "pillow", "fonttools")


def code_fingerprint() -> bytes:
    """sitegen's version, the bytes of its code and the versions of the libraries that shape its output."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).parent.parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".js") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    versions = _installed_versions()
    for name in _LIBRARIES:
        digest.update(f"{name}={versions.get(_project_key(name), '?')}".encode())
    return digest.digest()


def _installed_versions() -> dict[str, str]:
    """The version of every distribution installed on sys.path, by `_project_key`, the first found winning (as
    importlib.metadata finds them), read from the names of the `*.dist-info` folders pip writes
    (`markdown_it_py-4.3.0.dist-info`, or an older `*.egg-info`): every build needs them, and importlib.metadata
    (with the email parser it loads) costs a no-change rebuild 6 ms more."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):  # an older setuptools install: name-version-pyX.Y
                project, _, version = name.rsplit(".", 1)[0].partition("-")
                found.setdefault(_project_key(project), version)
    return found


def _project_key(name: str) -> str:
    """A distribution's name as its dist-info folder spells it, lower-cased (PEP 503, then wheel's escaping)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def open_build_cache(root: Path) -> BuildCache | None:
    """The persistent cache beside the site at `root`, keyed to sitegen's code and the configuration file's bytes
    (not --drafts or --future: posts are parsed the same either way, choosing the ones to publish comes after, and
    pages' digests cover which were published). None in a folder whose name SQLite cannot take; CacheFailure when
    the cache cannot be opened (damaged, or on a read-only or full disk)."""
    try:
        return BuildCache(root / CACHE_DIR, code_fingerprint(), configuration_digest(root))
    except UnicodeEncodeError:  # a site folder whose name is not UTF-8
        return None
    except (OSError, sqlite3.Error) as exc:
        raise CacheFailure(_reason(exc)) from exc


def _reason(exc: BaseException) -> str:
    return f"{exc.strerror or exc}" if isinstance(exc, OSError) else f"{exc}" or type(exc).__name__


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """A cache method whose SQLite and unpickling errors become a CacheFailure: the build starts the cache over."""
    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, OSError) as exc:
            raise CacheFailure(_reason(exc)) from exc

    return guarded


def parse_fingerprint(code: bytes, configuration: bytes) -> bytes:
    """What a parsed source depends on besides itself: sitegen (`code_fingerprint`) and the configuration."""
    return hashlib.blake2b(code + configuration, digest_size=16).digest()


def source_key(fingerprint: bytes, relative: str, digest: bytes) -> bytes:
    """What a source is parsed from, as a key: sitegen and the configuration (`fingerprint`), the source's path
    within the site and the digest of its bytes. The same with or without a cache."""
    return hashlib.blake2b(fingerprint + relative.encode() + b"\0" + digest, digest_size=20).digest()


def configuration_digest(root: Path) -> bytes:
    """A digest of the configuration file's bytes (empty when there is none)."""
    config_file = find_config(root)
    return hashlib.blake2b(config_file.read_bytes() if config_file else b"", digest_size=16).digest()


def _by_fields(cls: type) -> Any:
    """A reducer that pickles a frozen data class as its class and field values, unpickled by one call to the
    class (three times faster than the default, which sets each slot through `dataclasses.fields`)."""
    names = tuple(f.name for f in dataclasses.fields(cls))

    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple(getattr(obj, name) for name in names)

    return reduce


_REDUCERS: dict[type, Any] = {cls: _by_fields(cls) for cls in (Post, Document, SourceFile, LocalLink, Link, TocEntry,
                                                                Body, SourceError)}


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return out.getvalue()


class _PostPickler(pickle.Pickler):
    """Pickles a parsed post without its body, stored apart (see put_parsed), and without its source file, which
    the loader is given: the one found on disk this time, with the site's root as spelled this time."""

    dispatch_table = _REDUCERS

    def __init__(self, out: io.BytesIO, source: SourceFile | None) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        self.source = source

    def persistent_id(self, obj: Any) -> str | None:
        if obj is _NO_BODY:
            return "body"
        if obj is self.source and obj is not None:
            return "source"
        return None


def _dumps_post(value: tuple[Post | None, list[SourceError], int | None]) -> bytes:
    out = io.BytesIO()
    _PostPickler(out, value[0].doc.source if value[0] is not None else None).dump(value)
    return out.getvalue()


class _PostLoader(pickle.Unpickler):
    """Unpickles a stored post with its body left in the cache and the source file given."""

    def __init__(self, data: bytes, body: StoredBody, source: SourceFile) -> None:
        super().__init__(io.BytesIO(data))
        self.body = body
        self.source = source

    def persistent_load(self, pid: Any) -> StoredBody | SourceFile:
        if pid == "body":
            return self.body
        if pid == "source":
            return self.source
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


class BuildCache:
    """A SQLite file of cached values; one build at a time writes it."""

    def __init__(self, folder: Path, code: bytes, configuration: bytes) -> None:
        self.code = code
        """sitegen's code fingerprint (`code_fingerprint`)."""
        self.configuration = configuration
        """A digest of the configuration file's bytes."""
        fingerprint = parse_fingerprint(code, configuration)
        self.compiled = folder / "templates" / fingerprint.hex()[:20]
        """Compiled templates (Jinja's bytecode cache), per fingerprint: how templates compile depends on sitegen's
        code, which Jinja's own key (the template's source) does not see."""
        self.compiled.mkdir(parents=True, exist_ok=True)
        for other in self.compiled.parent.iterdir():
            if other != self.compiled:
                shutil.rmtree(other, ignore_errors=True)
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")
        self.fingerprint = fingerprint
        self.folder = folder
        bodies_lost = not (folder / "bodies.sqlite").exists()
        self._db = self._connect()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA bodies.journal_mode=WAL")
        # Written by another sitegen, or its posts' bodies deleted (by hand): start over.
        if bodies_lost or self._db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
            for table in ("parsed", "bodies", "pages", "sources", "outputs", "bodies.bodies"):
                self._db.execute(f"DROP TABLE IF EXISTS {table}")
            self._db.execute(f"PRAGMA user_version = {_SCHEMA}")
        # Bodies have a file of their own: the posts' metadata, read whole by every build, stays in 2 KB a post of
        # contiguous pages, instead of being spread between the bodies (13 KB a post) over the whole file.
        self._db.execute("CREATE TABLE IF NOT EXISTS parsed (key BLOB PRIMARY KEY, value BLOB)")
        self._db.execute("CREATE TABLE IF NOT EXISTS bodies.bodies (key BLOB PRIMARY KEY, body BLOB)")
        self._db.execute("CREATE TABLE IF NOT EXISTS pages (output TEXT, path TEXT, digest BLOB, "
                         "PRIMARY KEY (output, path))")
        self._db.execute("CREATE TABLE IF NOT EXISTS outputs (output TEXT PRIMARY KEY, device INTEGER, inode INTEGER)")
        self._db.execute("CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, "
                         "digest BLOB)")
        self._pid = os.getpid()
        self._forked: tuple[int, sqlite3.Connection] | None = None
        self._last_body: tuple[bytes, Body] | None = None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.folder / "cache.sqlite", isolation_level=None, timeout=60)
        db.execute("ATTACH DATABASE ? AS bodies", (str(self.folder / "bodies.sqlite"),))
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA bodies.synchronous=NORMAL")
        return db

    def _conn(self) -> sqlite3.Connection:
        """This process's connection: a forked worker opens its own (an SQLite connection must not cross a fork;
        the parent's is left alone, never closed, in the worker)."""
        pid = os.getpid()
        if pid == self._pid:
            return self._db
        if self._forked is None or self._forked[0] != pid:
            self._forked = pid, self._connect()
        return self._forked[1]

    @_guarded
    def source_stats(self) -> dict[str, tuple[int, int, bytes]]:
        """Each source's size, modification time and content digest when last read: a source whose size and time
        are unchanged is not read again."""
        return {path: (size, mtime, digest) for path, size, mtime, digest
                in self._conn().execute("SELECT path, size, mtime, digest FROM sources")}

    @_guarded
    def save_source_stats(self, stats: dict[str, tuple[int, int, bytes]], known: dict[str, tuple[int, int, bytes]]
                          ) -> None:
        """Record `stats`, unless they are what `source_stats` gave (`known`)."""
        gone = [(path,) for path in known.keys() - stats.keys()]
        changed = [(path, *values) for path, values in stats.items() if known.get(path) != values]
        if not gone and not changed:
            return
        with self._transaction():
            self._conn().executemany("DELETE FROM sources WHERE path = ?", gone)
            self._conn().executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)", changed)

    @_guarded
    def get_parsed(self, sources: dict[bytes, SourceFile]) -> dict[bytes, Any]:
        """(post, errors, mtime) by key, for the sources found under those keys; each post's body stays in the cache
        until a page shows it. The table is read in one scan, in the order it lies on disk."""
        found: dict[bytes, Any] = {}
        for key, value in self._conn().execute("SELECT key, value FROM parsed"):
            source = sources.get(key)
            if source is None:
                continue  # a source that changed or went away; keep_only_parsed forgets it
            try:
                found[key] = self.load_parsed(key, value, source)
            except Exception:  # a cache written by another version: a miss, never an error
                continue
        return found

    @_guarded
    def put_parsed(self, items: dict[bytes, Any]) -> dict[bytes, bytes]:
        """Store (post, errors, mtime) by key, each post's body apart. Returns what was stored of each, without the
        body, for `load_parsed`. Worker processes call this for what they parsed."""
        rows, bodies, stored = [], [], {}
        for key, (post, errors, mtime) in items.items():
            if post is not None:
                bodies.append((key, _dumps(post.read_body())))
                post = dataclasses.replace(post, body=_NO_BODY)
            stored[key] = _dumps_post((post, errors, mtime))
            rows.append((key, stored[key]))
        # Two files commit apart: bodies first, so a post is never stored without its body (a build stopped between
        # the two leaves bodies no post points at, which keep_only_parsed removes).
        with self._transaction():
            self._conn().executemany("INSERT OR REPLACE INTO bodies.bodies VALUES (?, ?)", bodies)
        with self._transaction():
            self._conn().executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", rows)
        return stored

    @_guarded
    def load_parsed(self, key: bytes, stored: bytes, source: SourceFile
                    ) -> tuple[Post | None, list[SourceError], int | None]:
        """(post, errors, mtime) of `source` from what `put_parsed` returned; the post's body stays in the cache."""
        loaded: tuple[Post | None, list[SourceError], int | None] = _PostLoader(stored, StoredBody(self, key),
                                                                                source).load()
        return loaded

    @_guarded
    def body(self, key: bytes) -> Body:
        """A post's body, read from the cache (by this process's own connection: workers are forked)."""
        if self._last_body is not None and self._last_body[0] == key:  # a page asks for content, then toc
            return self._last_body[1]
        row = self._conn().execute("SELECT body FROM bodies.bodies WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise CacheFailure("a post's body is missing")
        body = pickle.loads(row[0])
        if not isinstance(body, Body):
            raise CacheFailure("a post's body is not what the cache writes")
        self._last_body = key, body
        return body

    @_guarded
    def bodies(self, keys: Collection[bytes]) -> dict[bytes, Body]:
        """The bodies of many posts, read in a few queries (the preview keeps every body in memory: one query each
        took 0.4 s of its first start at 10,000 posts)."""
        found: dict[bytes, Body] = {}
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start:start + _BATCH]
            marks = ",".join("?" * len(batch))
            for key, data in self._conn().execute(f"SELECT key, body FROM bodies.bodies WHERE key IN ({marks})",
                                                  batch):
                body = pickle.loads(data)
                if not isinstance(body, Body):
                    raise CacheFailure("a post's body is not what the cache writes")
                found[key] = body
        if len(found) != len(wanted):
            raise CacheFailure("a post's body is missing")
        return found

    def __reduce__(self) -> Any:
        raise TypeError("a BuildCache stays in the process that opened it (and its forks)")

    @_guarded
    def keep_only_parsed(self, keys: set[bytes]) -> None:
        """Forget parsed entries no source uses any more, so the cache does not grow for ever."""
        stale = [(key,) for (key,) in self._conn().execute("SELECT key FROM parsed") if key not in keys]
        if not stale:
            return
        with self._transaction():
            self._conn().executemany("DELETE FROM parsed WHERE key = ?", stale)
        # Their bodies, and any body of no post. The keys come from the key index (a few hundred KB): a DELETE with
        # a subquery would scan the whole bodies table instead.
        unused = [(key,) for (key,) in self._conn().execute("SELECT key FROM bodies.bodies") if key not in keys]
        with self._transaction():
            self._conn().executemany("DELETE FROM bodies.bodies WHERE key = ?", unused)

    @_guarded
    def page_digests(self, output: Path) -> dict[str, bytes]:
        """What each page in the output folder was made from, as of the last build that wrote it."""
        digests = dict(self._conn().execute("SELECT path, digest FROM pages WHERE output = ?", (_folder(output),)))
        if not all(isinstance(path, str) and isinstance(digest, bytes) for path, digest in digests.items()):
            raise CacheFailure("a page's digest is not what the cache writes")
        return digests

    @_guarded
    def forget_page_digests(self, output: Path, paths: Iterable[str] | None = None) -> None:
        """Called before the output folder changes: the digests of `paths` (of every file, when None), which are
        about to change, are dropped, so a build that stops half-way leaves none that lies."""
        folder = _folder(output)
        with self._transaction():
            if paths is None:
                self._conn().execute("DELETE FROM pages WHERE output = ?", (folder,))
                self._conn().execute("DELETE FROM outputs WHERE output = ?", (folder,))
            else:
                self._conn().executemany("DELETE FROM pages WHERE output = ? AND path = ?",
                                         ((folder, path) for path in paths))

    @_guarded
    def output_identity(self, output: Path) -> tuple[int, int] | None:
        """The (device, inode) of the output folder when its digests were saved."""
        row = self._conn().execute("SELECT device, inode FROM outputs WHERE output = ?", (_folder(output),)).fetchone()
        return (row[0], row[1]) if row else None

    @_guarded
    def save_page_digests(self, output: Path, digests: dict[str, bytes], identity: tuple[int, int] | None,
                          previous: dict[str, bytes]) -> None:
        """Every file of the output folder with the digest it was made from (empty for copied files), and the
        folder's identity: the next build updates the folder in place only if it is still the same folder.
        `previous` is what `page_digests` gave for this folder at the start of the build (empty when it was not
        trusted): only what differs from it is written."""
        folder = _folder(output)
        with self._transaction():
            if not previous:
                self._conn().execute("DELETE FROM pages WHERE output = ?", (folder,))
            self._conn().executemany("DELETE FROM pages WHERE output = ? AND path = ?",
                                     ((folder, path) for path in previous.keys() - digests.keys()))
            self._conn().executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                                     ((folder, p, d) for p, d in digests.items() if previous.get(p) != d))
            self._conn().execute("DELETE FROM outputs WHERE output = ?", (folder,))
            if identity is not None:
                self._conn().execute("INSERT INTO outputs VALUES (?, ?, ?)", (folder, *identity))

    def close(self) -> None:
        """Close the connection (the opening process's; a worker's closes when the worker ends)."""
        self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn())


def _folder(output: Path) -> str:
    return str(output.resolve())


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
