"""Patch mode of `staged_output`: only changed files are staged and moved into the output folder, stale ones
deleted, and a commit cut short by a kill is finished by the next build (a roll-forward journal)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
from pathlib import Path

import pytest

import sitegen.output.stage
from sitegen.output.stage import PatchStage, Stage, folder_identity, recover_interrupted, staged_output

from .helpers import hidden_leftovers, read_tree, run_forked

OLD = {
    "index.html": b"<h1>home</h1>",
    "style.css": b"body {}",
    "posts/a/index.html": b"post a",
    "posts/b/index.html": b"post b",
    "tags/x/index.html": b"tag x",
    "img/logo.png": b"\x89PNG logo",
    "feed": b"old feed file",
    "notes/index.html": b"old notes folder",
}
NEW = {
    "index.html": b"<h1>home, edited</h1>",  # changed
    "style.css": b"body {}",  # written again, same bytes
    "posts/a/index.html": b"post a",  # kept
    "posts/b/index.html": b"post b",  # kept
    "posts/c/index.html": b"post c",  # new, in a new folder
    "img/logo.png": b"\x89PNG logo",  # copied, same bytes
    "robots.txt": b"User-agent: *",  # copied, new
    "feed/atom.xml": b"<feed/>",  # a folder where a file was
    "notes": b"a file where a folder was",
}  # gone: tags/x/index.html (and tags/), feed, notes/index.html
UNCHANGED = ["style.css", "posts/a/index.html", "posts/b/index.html", "img/logo.png"]


def make_tree(folder: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
        os.utime(folder / path, ns=(1_000_000_000, 1_000_000_000))


def write_new_site(stage: Stage, sources: Path) -> None:
    """What a build does with a Stage: keep, write and copy every file of NEW, then name them all."""
    for path in ("posts/a/index.html", "posts/b/index.html"):
        if not stage.keep(path):
            stage.write(path, NEW[path])
    for path in ("index.html", "style.css", "posts/c/index.html", "feed/atom.xml", "notes"):
        stage.write(path, NEW[path])
    for path in ("img/logo.png", "robots.txt"):
        source = sources / path.replace("/", "_")
        source.write_bytes(NEW[path])
        stage.copy(path, source)
    stage.finish(NEW)


def identities(target: Path, paths: list[str]) -> dict[str, tuple[int, int]]:
    return {path: ((info := os.stat(target / path)).st_ino, info.st_mtime_ns) for path in paths}


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    target = tmp_path / "site/public"
    make_tree(target, OLD)
    (tmp_path / "sources").mkdir()
    return target


def test_patch_mode_changes_only_what_changed(old_site: Path, tmp_path: Path) -> None:
    before = identities(old_site, UNCHANGED)
    with staged_output(old_site, OLD) as stage:
        assert isinstance(stage, PatchStage)
        write_new_site(stage, tmp_path / "sources")
        assert old_site.joinpath("tags/x/index.html").exists()  # nothing changes before the block ends
    assert read_tree(old_site) == NEW
    assert identities(old_site, UNCHANGED) == before  # same inode, same mtime: left alone
    assert not (old_site / "tags").exists()  # the stale file's emptied folders are gone
    assert hidden_leftovers(old_site) == []

    full = tmp_path / "full/public"
    make_tree(full, OLD)
    with staged_output(full) as stage:
        assert not isinstance(stage, PatchStage)
        write_new_site(stage, tmp_path / "sources")
    assert sorted(p.relative_to(full).as_posix() for p in full.rglob("*")) == \
        sorted(p.relative_to(old_site).as_posix() for p in old_site.rglob("*"))  # folders too
    assert read_tree(full) == read_tree(old_site)


def test_patch_mode_works_from_forked_workers(old_site: Path) -> None:
    with staged_output(old_site, OLD) as stage:
        worker = multiprocessing.get_context("fork").Process(target=stage.write, args=("posts/d.html", b"d"))
        worker.start()
        worker.join()
        assert worker.exitcode == 0
        stage.finish([*OLD, "posts/d.html"])
    assert read_tree(old_site) == {**OLD, "posts/d.html": b"d"}


def test_an_error_in_the_block_leaves_the_folder_as_it_was(old_site: Path, tmp_path: Path) -> None:
    before = identities(old_site, list(OLD))
    with pytest.raises(RuntimeError, match="template on fire"), staged_output(old_site, OLD) as stage:
        write_new_site(stage, tmp_path / "sources")
        raise RuntimeError("template on fire")
    assert read_tree(old_site) == OLD
    assert identities(old_site, list(OLD)) == before
    assert hidden_leftovers(old_site) == []


def test_finish_is_required_in_patch_mode(old_site: Path) -> None:
    with pytest.raises(RuntimeError, match=r"needs Stage\.finish"), staged_output(old_site, OLD) as stage:
        stage.write("index.html", b"new")
    assert read_tree(old_site) == OLD
    assert hidden_leftovers(old_site) == []


def test_without_an_output_folder_the_whole_site_is_staged(tmp_path: Path) -> None:
    target = tmp_path / "public"
    with staged_output(target, OLD) as stage:
        assert not isinstance(stage, PatchStage)
        write_new_site(stage, tmp_path)
    assert read_tree(target) == NEW


def test_stale_paths_outside_the_folder_are_never_deleted(old_site: Path) -> None:
    outside = old_site.parent / "keep-me"
    outside.write_bytes(b"mine")
    with staged_output(old_site, [*OLD, "../keep-me", str(outside)]) as stage:
        stage.finish(OLD)
    assert outside.read_bytes() == b"mine"
    assert read_tree(old_site) == OLD


def test_ctrl_c_during_the_commit_still_completes_it(old_site: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace, moves = os.replace, []

    def replace(source: str, dest: Path) -> None:
        real_replace(source, dest)
        moves.append(dest)
        if len(moves) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt), staged_output(old_site, OLD) as stage:
        write_new_site(stage, tmp_path / "sources")
    assert read_tree(old_site) == NEW
    assert hidden_leftovers(old_site) == []


def killed_patch(target: Path, sources: Path, when: str) -> subprocess.CompletedProcess[str]:
    """Patch `target` from OLD to NEW in a process of its own (forked from this one) that SIGKILLs itself at `when`:
    'moving' (just after the 2nd staged file was moved into `target`) or 'journal' (just before the journal gets its
    final name)."""

    def child() -> None:
        real_replace, real_rename, moves = os.replace, os.rename, []

        def replace(source: str, dest: str) -> None:
            real_replace(source, dest)
            if Path(dest).is_relative_to(target):
                moves.append(dest)
                if when == "moving" and len(moves) == 2:
                    os.kill(os.getpid(), signal.SIGKILL)

        def rename(source: str, dest: str) -> None:
            if when == "journal" and Path(dest).name == "commit.json":
                os.kill(os.getpid(), signal.SIGKILL)
            real_rename(source, dest)

        os.replace, os.rename = replace, rename  # in the child only: it is a process of its own
        with staged_output(target, OLD) as stage:
            write_new_site(stage, sources)

    return run_forked(child)


@pytest.mark.parametrize("recovery", ["recover_interrupted", "next build"])
def test_kill_9_during_the_commit_is_finished_by_the_next_build(old_site: Path, tmp_path: Path,
                                                                recovery: str) -> None:
    before = identities(old_site, UNCHANGED)
    result = killed_patch(old_site, tmp_path / "sources", "moving")
    assert result.returncode == -signal.SIGKILL, result.stderr
    mix = read_tree(old_site)
    assert mix not in (OLD, NEW)
    assert "tags/x/index.html" in mix  # killed before the stale files were deleted
    assert [name.split("-")[0] for name in hidden_leftovers(old_site)] == [".public.tmp"]
    if recovery == "recover_interrupted":
        recover_interrupted(old_site)
    else:
        with staged_output(old_site, NEW) as stage:  # a build that changes nothing
            assert all(stage.keep(path) for path in NEW)
            stage.finish(NEW)
    assert read_tree(old_site) == NEW
    assert identities(old_site, UNCHANGED) == before
    assert not (old_site / "tags").exists()
    assert hidden_leftovers(old_site) == []


def test_kill_9_before_the_journal_leaves_the_old_site(old_site: Path, tmp_path: Path) -> None:
    result = killed_patch(old_site, tmp_path / "sources", "journal")
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert read_tree(old_site) == OLD
    assert len(hidden_leftovers(old_site)) == 1
    recover_interrupted(old_site)
    assert read_tree(old_site) == OLD
    assert hidden_leftovers(old_site) == []


def test_a_journal_for_a_folder_since_replaced_is_not_applied(old_site: Path, tmp_path: Path) -> None:
    assert killed_patch(old_site, tmp_path / "sources", "moving").returncode == -signal.SIGKILL
    old_site.rename(old_site.parent / "moved-away")
    make_tree(old_site, {"index.html": b"a site made by hand"})
    recover_interrupted(old_site)
    assert read_tree(old_site) == {"index.html": b"a site made by hand"}
    assert hidden_leftovers(old_site) == []


def test_folder_identity_names_one_folder(tmp_path: Path) -> None:
    folder = tmp_path / "public"
    assert folder_identity(folder) is None
    folder.mkdir()
    identity = folder_identity(folder)
    assert identity == (os.stat(folder).st_dev, os.stat(folder).st_ino)
    folder.rename(tmp_path / "old")  # kept, so its inode cannot be reused
    folder.mkdir()
    assert folder_identity(folder) not in (None, identity)
    (tmp_path / "file").write_text("x")
    assert folder_identity(tmp_path / "file") is None


def test_a_write_failure_in_patch_mode_names_the_output_file(old_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    staging = old_site.parent / f".public.tmp-{os.getpid()}"

    def full(dest: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device", str(dest))

    monkeypatch.setattr(sitegen.output.stage, "_write_file", full)
    with pytest.raises(sitegen.output.stage.BuildError) as failure, staged_output(old_site, OLD) as stage:
        stage.write("posts/c/index.html", b"c")
    [error] = failure.value.diagnostics
    assert (error.path, error.message) == (old_site / "posts/c/index.html",
                                           "cannot write the site: No space left on device")
    assert not staging.exists()
    assert read_tree(old_site) == OLD


def test_a_failure_while_moving_files_in_is_reported_and_finished_by_the_next_build(
        old_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal is complete, so the folder already holds part of the new site: the error says so (the CLI tells
    the author the next build finishes it), the staging folder stays, and recovery completes the update."""
    real = os.replace
    moved: list[str] = []

    def replace(source: str, target: str) -> None:
        if len(moved) == 1:
            raise OSError(5, "Input/output error", target)
        moved.append(target)
        real(source, target)

    monkeypatch.setattr(sitegen.output.stage.os, "replace", replace)
    with pytest.raises(sitegen.output.stage.UnfinishedUpdate) as failure, staged_output(old_site, OLD) as stage:
        write_new_site(stage, tmp_path / "sources")
    [error] = failure.value.diagnostics
    assert error.message == "cannot finish updating the site: Input/output error"
    assert read_tree(old_site) not in (OLD, NEW)
    monkeypatch.undo()
    recover_interrupted(old_site)
    assert read_tree(old_site) == NEW
    assert [p.name for p in old_site.parent.iterdir()] == ["public"]
