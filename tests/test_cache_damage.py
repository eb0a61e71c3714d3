"""A damaged build cache, or one that cannot be written: the build notices, says so in a warning, starts the cache
over (or builds without it) and gives the site a cold build gives; the next build uses the new cache."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import sitegen.incremental.store
from sitegen.incremental.store import CACHE_DIR

from .helpers import build_ok, edit, pages_built, read_tree, run_cli

HINT = f"  hint: nothing to do if it does not happen again; deleting {CACHE_DIR} is always safe\n"
STARTED_OVER = "it was started over and the site built in full"


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 16)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _sql(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement)


def _replace_by_file(path: Path) -> None:
    shutil.rmtree(path)
    path.write_text("not a folder")


def _replace_by_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


DAMAGE: dict[str, tuple[Callable[[Path], None], str | None]] = {
    # what is damaged -> (how, the reason the warning gives; None: no warning, the cache repairs itself)
    "cache.sqlite garbage": (lambda c: _garbage(c / "cache.sqlite"), "file is not a database"),
    "cache.sqlite cut in half": (lambda c: _truncate(c / "cache.sqlite"), "database disk image is malformed"),
    "cache.sqlite emptied": (lambda c: (c / "cache.sqlite").write_bytes(b""), None),
    "cache.sqlite a folder": (lambda c: _replace_by_folder(c / "cache.sqlite"), "unable to open database file"),
    "bodies.sqlite garbage": (lambda c: _garbage(c / "bodies.sqlite"), "file is not a database"),
    "bodies.sqlite cut in half": (lambda c: _truncate(c / "bodies.sqlite"), "database disk image is malformed"),
    "bodies.sqlite deleted": (lambda c: (c / "bodies.sqlite").unlink(), None),
    "a parsed post garbage": (lambda c: _sql(c / "cache.sqlite", "UPDATE parsed SET value = x'00ff'"), None),
    "a body garbage": (lambda c: _sql(c / "bodies.sqlite", "UPDATE bodies SET body = x'00ff'"),
                       "invalid load key, '\\x00'."),
    "the bodies deleted": (lambda c: _sql(c / "bodies.sqlite", "DELETE FROM bodies"), "a post's body is missing"),
    "a body of another kind": (lambda c: _sql(c / "bodies.sqlite", "UPDATE bodies SET body = x'80044e2e'"),
                               "a post's body is not what the cache writes"),
    "the pages' digests dropped": (lambda c: _sql(c / "cache.sqlite", "DROP TABLE pages"), None),
    "a page's digest of another type": (lambda c: _sql(c / "cache.sqlite", "UPDATE pages SET digest = 'text'"),
                                        "a page's digest is not what the cache writes"),
    "the output's identity garbage": (lambda c: _sql(c / "cache.sqlite", "UPDATE outputs SET inode = 'x'"), None),
    "the sources' stats garbage": (lambda c: _sql(c / "cache.sqlite", "UPDATE sources SET digest = x'00', size = 'x'"),
                                   None),
    "the cache a file": (lambda c: _replace_by_file(c), "Not a directory"),
    "the compiled templates a file": (lambda c: _replace_by_file(c / "templates"), "Not a directory"),
    "the compiled templates garbage": (lambda c: [_garbage(f) for f in (c / "templates").rglob("*") if f.is_file()],
                                       None),
    "the write-ahead log garbage": (lambda c: _garbage(c / "cache.sqlite-wal"), None),
}


def cold_tree(site: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    build_ok("--source", site, "--output", out, "--no-cache")
    return read_tree(out)


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_cache_is_started_over_and_the_site_is_whole(name: str, site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    build_ok("--source", site)
    edit(site / "content/posts/relations.md", "تُبنى بالثقة.", "تُبنى بالثقة والصبر.")  # pages must be redone
    damage, reason = DAMAGE[name]
    damage(site / CACHE_DIR)
    code, _stdout, stderr = run_cli("build", "--source", site)
    assert code == 0, stderr
    if reason is None:
        assert stderr == ""
    else:
        assert stderr == (f"{CACHE_DIR}: warning: the build cache could not be read ({reason}); {STARTED_OVER}\n"
                          + HINT)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    pages, carried = pages_built(build_ok("--source", site))
    assert carried == pages  # the new cache serves the next build


def test_a_cache_that_cannot_be_written_is_done_without(site_copy, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk under the cache (as SQLite reports it): the site is built without the cache."""
    site = site_copy("basic")

    def full(self: object, items: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sitegen.incremental.store.BuildCache, "put_parsed",
                        sitegen.incremental.store._guarded(full))
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 0, stderr
    assert stderr == (f"{CACHE_DIR}: warning: the build cache cannot be used (database or disk is full); the site "
                      "was built without it\n" + HINT)
    assert read_tree(site / "public") == cold_tree(site, tmp_path)


def test_a_cache_on_a_read_only_disk_is_done_without(site_copy, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_copy("basic")
    real = sitegen.incremental.store.BuildCache.__init__

    def read_only(self, folder: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder))

    monkeypatch.setattr(sitegen.incremental.store.BuildCache, "__init__", read_only)
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 0, stderr
    assert stderr.startswith(f"{CACHE_DIR}: warning: the build cache cannot be used (Read-only file system); ")
    assert read_tree(site / "public") == cold_tree(site, tmp_path)
    monkeypatch.setattr(sitegen.incremental.store.BuildCache, "__init__", real)
    code, _, stderr = run_cli("build", "--source", site)
    assert (code, stderr) == (0, "")  # writable again: the cache is made
