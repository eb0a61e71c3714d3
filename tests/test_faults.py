"""Faults during a build: a crash, Ctrl-C, a full disk or a kill -9 in the middle of writing leaves the output
folder holding the old site or the new one, never a mix, and the next build cleans up what a killed one left.

Builds that are killed (SIGKILL, a real SIGINT) run in processes of their own, forked from this one; three that race
each other are `python -m sitegen build` processes; the others, and the builds after a kill, run in this process
(`run_cli`)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import threading
from pathlib import Path

import pytest

import sitegen.output.stage
from sitegen.cli import main
from sitegen.output.stage import recover_interrupted

from .helpers import FIXED_EPOCH, hidden_leftovers, read_tree, run_cli, run_forked, run_sitegen


@pytest.fixture
def old_and_new(site_copy) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A site built once (the old tree), then edited; the new tree is what a whole build of the edit gives."""
    site = site_copy("basic")
    assert run_cli("build", "--source", site)[0] == 0
    old = read_tree(site / "public")
    post = site / "content/posts/relations.md"
    post.write_text(post.read_text().replace("date: 2025-02-01 09:30", "date: 2025-02-02 09:30"))
    assert run_cli("build", "--source", site, "--output", site / "expected-new")[0] == 0
    new = read_tree(site / "expected-new")
    assert new != old
    return site, old, new


def failing_after(count: int, error: BaseException):  # type: ignore[no-untyped-def]
    """A stand-in for writing one file that fails on the `count`-th file."""
    calls = {"n": 0}
    real = sitegen.output.stage._write_file

    def write(dest: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == count:
            raise error
        real(dest, data)

    return write


def test_a_crash_mid_write_leaves_the_old_site(old_and_new, monkeypatch: pytest.MonkeyPatch) -> None:
    site, old, _new = old_and_new
    monkeypatch.setattr(sitegen.output.stage, "_write_file", failing_after(5, RuntimeError("disk on fire")))
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 70
    assert stderr.startswith("sitegen: internal error while writing public: RuntimeError: disk on fire "
                             "(at sitegen/output/stage.py:")
    assert read_tree(site / "public") == old
    assert hidden_leftovers(site / "public") == []


def test_a_full_disk_is_an_error_naming_the_file(old_and_new, monkeypatch: pytest.MonkeyPatch) -> None:
    """The error names the file as it would be in the output folder, not in the staging folder it was written to."""
    site, old, _new = old_and_new
    failed: list[Path] = []

    def write(dest: Path, data: bytes) -> None:
        failed.append(dest)
        if len(failed) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(dest))

    monkeypatch.setattr(sitegen.output.stage, "_write_file", write)
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 1
    shown = failed[-1].as_posix().split("/.public.tmp-")[1].split("/", 1)[1].removeprefix("files/")
    assert (site / "public" / shown).is_file()
    assert stderr == (f"public/{shown}: error: cannot write the site: No space left on device\n"
                      f"build failed with 1 problem; {(site / 'public').as_posix()} was left as it was\n")
    assert read_tree(site / "public") == old
    assert hidden_leftovers(site / "public") == []


def test_ctrl_c_mid_write_leaves_the_old_site(old_and_new, monkeypatch: pytest.MonkeyPatch) -> None:
    site, old, _new = old_and_new
    monkeypatch.setattr(sitegen.output.stage, "_write_file", failing_after(5, KeyboardInterrupt()))
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 130
    assert stderr == (f"\nsitegen: interrupted; {(site / 'public').as_posix()} holds a whole site, the previous one "
                      "or (if the build had finished) the new one\n")
    assert read_tree(site / "public") == old
    assert hidden_leftovers(site / "public") == []


def killed_build(site: Path, when: str, *options: str) -> subprocess.CompletedProcess[str]:
    """Run `sitegen build` in a process of its own (forked from this one) that SIGKILLs itself at `when`: 'writing'
    (the 5th file), 'swapped' (just after the new site was swapped in), 'between renames' (no atomic exchange: after
    the old site was moved aside, before the new one was moved in) or 'committing' (an update in place, after its
    first file was moved in); or that gets a SIGINT (Ctrl-C) at the 5th file: 'ctrl-c'."""
    def child() -> int:
        output = sitegen.output.stage
        calls = []
        real_write, real_exchange, real_rename, real_replace = (output._write_file, output._exchange, Path.rename,
                                                                 os.replace)

        def die() -> None:
            os.kill(os.getpid(), signal.SIGKILL)

        def write(dest: Path, data: bytes) -> None:
            calls.append(dest)
            if when == "writing" and len(calls) == 5:
                die()
            if when == "ctrl-c" and len(calls) == 5:
                os.kill(os.getpid(), signal.SIGINT)
            real_write(dest, data)

        def exchange(first: Path, second: Path) -> bool:
            if when == "between renames":
                return False
            done = real_exchange(first, second)
            if when == "swapped":
                if not done:  # no RENAME_EXCHANGE here: the two-rename path, killed after both renames
                    real_rename(second, second.parent / (".public.old-" + str(os.getpid())))
                    real_rename(first, second)
                die()
            return done

        def rename(self: Path, target: Path) -> Path:
            result = real_rename(self, target)
            if when == "between renames" and Path(target).name.startswith(".public.old-"):
                die()
            return result

        def replace(source: str, target: str) -> None:
            real_replace(source, target)
            if when == "committing" and "/.public.tmp-" in str(source):
                die()

        # patched in the child only: it is a process of its own
        output._write_file, output._exchange, Path.rename = write, exchange, rename  # type: ignore[method-assign]
        output.os.replace = replace
        return main(["build", "--source", str(site), *options])

    return run_forked(child, env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})


# A rebuild with the cache updates the output folder in place; without it (and on a first build) it writes a new
# folder and swaps it in. Faults while writing must leave the old site in both.
MODES = pytest.mark.parametrize("mode", [(), ("--no-cache",)], ids=["in place", "swapped in"])


@MODES
def test_kill_9_while_writing_leaves_the_old_site_and_the_next_build_cleans_up(old_and_new, mode) -> None:
    site, old, new = old_and_new
    result = killed_build(site, "writing", *mode)
    assert result.returncode == -signal.SIGKILL
    assert read_tree(site / "public") == old
    assert [name.split("-")[0] for name in hidden_leftovers(site / "public")] == [".public.tmp"]  # the killed build's
    assert hidden_leftovers(site / "public", lock=True)[0] == ".public.sitegen-lock"  # its lock file, unlocked
    assert run_cli("build", "--source", site)[0] == 0
    assert read_tree(site / "public") == new
    assert hidden_leftovers(site / "public", lock=True) == []


@MODES
def test_a_real_ctrl_c_while_writing_leaves_the_old_site_and_nothing_else(old_and_new, mode) -> None:
    site, old, _new = old_and_new
    result = killed_build(site, "ctrl-c", *mode)
    assert result.returncode == 130
    assert result.stderr.endswith("holds a whole site, the previous one or (if the build had finished) the new one\n")
    assert "Traceback" not in result.stderr
    assert read_tree(site / "public") == old
    assert hidden_leftovers(site / "public") == []


@pytest.mark.parametrize("recovery", ["recover_interrupted", "next build"])
def test_kill_9_while_updating_in_place_is_completed_by_the_next_build(old_and_new, recovery: str) -> None:
    """A kill after the journal was written (the first changed file moved in): the folder is a mix until the next
    build, whose first step (recover_interrupted, alone here) completes the update before anything else."""
    site, old, new = old_and_new
    result = killed_build(site, "committing")
    assert result.returncode == -signal.SIGKILL
    assert read_tree(site / "public") not in (old, new)
    assert [name.split("-")[0] for name in hidden_leftovers(site / "public")] == [".public.tmp"]
    if recovery == "recover_interrupted":
        recover_interrupted(site / "public")
    else:
        assert run_cli("build", "--source", site)[0] == 0
    assert read_tree(site / "public") == new
    assert hidden_leftovers(site / "public") == []


def test_kill_9_just_after_the_swap_leaves_the_new_site(old_and_new) -> None:
    site, _old, new = old_and_new
    result = killed_build(site, "swapped", "--no-cache")
    assert result.returncode == -signal.SIGKILL
    assert read_tree(site / "public") == new
    assert len(hidden_leftovers(site / "public")) == 1  # the old site, not yet removed
    assert run_cli("build", "--source", site)[0] == 0
    assert read_tree(site / "public") == new
    assert hidden_leftovers(site / "public") == []


def test_kill_9_between_two_renames_is_repaired_to_the_old_site(old_and_new) -> None:
    """Where the system cannot exchange two folders in one step, a kill can fall between the two renames: the
    next build (here its first step alone) puts the old site back before anything else."""
    site, old, _new = old_and_new
    result = killed_build(site, "between renames", "--no-cache")
    assert result.returncode == -signal.SIGKILL
    assert not (site / "public").exists()
    recover_interrupted(site / "public")
    assert read_tree(site / "public") == old
    assert hidden_leftovers(site / "public") == []


def test_the_two_rename_swap_works_where_exchange_is_missing(old_and_new, monkeypatch: pytest.MonkeyPatch) -> None:
    site, _old, new = old_and_new
    monkeypatch.setattr(sitegen.output.stage, "_exchange", lambda first, second: False)
    assert run_cli("build", "--source", site, "--no-cache")[0] == 0
    assert read_tree(site / "public") == new
    assert hidden_leftovers(site / "public") == []


def test_a_stale_staging_folder_of_a_killed_build_is_removed(site_copy) -> None:
    site = site_copy("basic")
    (site / ".public.tmp-99999/posts").mkdir(parents=True)
    (site / ".public.old-99998").mkdir()
    (site / "public").mkdir()
    assert run_cli("build", "--source", site)[0] == 0
    assert hidden_leftovers(site / "public") == []


def test_builds_into_one_folder_take_turns(old_and_new) -> None:
    """Three `sitegen build` processes at once, as when two terminals (or a terminal and an editor) build the same
    site: what makes them take turns must work between processes, so they are real ones."""
    site, _old, new = old_and_new
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(run_sitegen("build", "--source", site).returncode))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [0, 0, 0]
    assert read_tree(site / "public") == new
    assert hidden_leftovers(site / "public") == []


def test_a_linked_output_folder_stays_a_link(old_and_new, tmp_path: Path) -> None:
    site, _old, new = old_and_new
    real = tmp_path / "www"
    (site / "public").rename(real)
    (site / "public").symlink_to(real)
    assert run_cli("build", "--source", site)[0] == 0
    assert (site / "public").is_symlink()
    assert read_tree(real) == new


def test_an_output_path_that_is_a_file_is_refused(site_copy) -> None:
    site = site_copy("basic")
    (site / "out").write_text("not a folder")
    code, _, stderr = run_cli("build", "--source", site, "--output", site / "out")
    assert code == 1
    assert stderr.startswith("out: error: the output folder is a file\n"
                             "  hint: remove it, or pass another --output\n")
    assert (site / "out").read_text() == "not a folder"


def test_a_folder_that_holds_no_site_is_not_replaced(site_copy, tmp_path: Path) -> None:
    site = site_copy("basic")
    documents = tmp_path / "Documents"
    (documents / "taxes").mkdir(parents=True)
    (documents / "taxes/2025.pdf").write_bytes(b"%PDF")
    code, _, stderr = run_cli("build", "--source", site, "--output", documents)
    assert code == 1
    assert stderr.startswith(
        f"{documents.as_posix()}: error: the output folder holds files but no site (no index.html); a build "
        "replaces the whole folder, so sitegen will not use this one\n  hint: empty it, or pass another --output\n")
    assert read_tree(documents) == {"taxes/2025.pdf": b"%PDF"}
    (documents / "taxes/2025.pdf").unlink()
    (documents / "taxes").rmdir()
    assert run_cli("build", "--source", site, "--output", documents)[0] == 0  # empty: fine
