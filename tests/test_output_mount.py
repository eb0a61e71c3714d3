"""Output folders that cannot be replaced as a whole: a mount point (a Docker volume, a bind mount), updated in place
from a staging folder inside it, and a read-only folder, which a failed build reports truly (untouched, and why).

A real bind mount needs root and a system that lets `unshare -m` make a mount namespace; elsewhere those tests are
skipped, and the same paths run with the mount simulated (the check that finds one, or the exchange failing EBUSY)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen.output.stage
from sitegen.output.checks import check_output_dir

from .helpers import FIXED_EPOCH, ROOT, build_ok, copy_site, edit, hidden_leftovers, read_tree, run_cli


def _can_bind_mount(tmp: Path) -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not sys.platform.startswith("linux"):
        return False
    (tmp / "a").mkdir(parents=True)
    (tmp / "b").mkdir()
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind '{tmp}/a' '{tmp}/b'"], capture_output=True,
                           timeout=30)
    return probe.returncode == 0


def _build_mounted(volume: Path, output: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m sitegen build ARGS` in a mount namespace of its own where `volume` is bind-mounted on `output`."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT)}
    script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", volume, output, sys.executable, "-m", "sitegen",
                           "build", *map(str, args)], env=env, capture_output=True, text=True, timeout=120)


def test_a_bind_mounted_output_folder_builds_and_updates(tmp_path: Path) -> None:
    if not _can_bind_mount(tmp_path / "probe"):
        pytest.skip("needs root and a mount namespace (unshare -m)")
    site = copy_site("basic", tmp_path)
    volume, output = tmp_path / "volume", site / "public"
    volume.mkdir()
    output.mkdir()
    first = _build_mounted(volume, output, "--source", site)  # before the fix: "Device or resource busy"
    assert first.returncode == 0, first.stderr
    plain = tmp_path / "plain"
    build_ok("--source", site, "--output", plain, "--no-cache")
    assert read_tree(volume) == read_tree(plain)
    edit(site / "content/posts/relations.md", "العلاقات الحقيقية", "فقرة جديدة.\n\nالعلاقات الحقيقية")
    second = _build_mounted(volume, output, "--source", site)  # an update in place, from the cache's list
    assert second.returncode == 0, second.stderr
    build_ok("--source", site, "--output", plain, "--no-cache")
    assert read_tree(volume) == read_tree(plain)
    before = read_tree(volume)
    edit(site / "content/posts/relations.md", "date: 2025-02-01 09:30", "date: yesterday")
    failed = _build_mounted(volume, output, "--source", site, "--no-cache")
    assert failed.returncode == 1
    assert failed.stderr.endswith(f"build failed with 1 problem; {output} was left as it was\n"), failed.stderr
    assert read_tree(volume) == before
    assert [p.name for p in volume.iterdir() if p.name.startswith(".sitegen-tmp-")] == []
    assert hidden_leftovers(output) == []


@pytest.fixture
def mounted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every output folder is taken for a mount point, and renaming or exchanging one fails as it does there
    (EBUSY); the list collects the folders the build asked about."""
    asked: list[Path] = []

    def is_mount_point(folder: Path) -> bool:
        asked.append(folder)
        return True

    real = sitegen.output.stage._swap

    def busy(staging: Path, target: Path) -> None:
        if target.exists():
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(target))
        real(staging, target)  # the first build, before the folder is there

    monkeypatch.setattr(sitegen.output.stage, "is_mount_point", is_mount_point)
    monkeypatch.setattr(sitegen.output.stage, "_swap", busy)
    return asked


@pytest.mark.parametrize("cache", [True, False], ids=["update from the cache's list", "no cache"])
def test_a_mount_point_is_updated_in_place_from_inside(site_copy, tmp_path: Path, mounted: list[Path],
                                                       cache: bool) -> None:
    site = site_copy("basic")
    output = site / "public"
    output.mkdir()
    (output / "lost+found").mkdir()  # a mounted disk's: not the site's, and left alone
    flags = () if cache else ("--no-cache",)
    build_ok("--source", site, *flags)
    assert output in mounted
    plain = tmp_path / "plain"
    build_ok("--source", site, "--output", plain, "--no-cache")
    assert read_tree(output) == read_tree(plain)
    style = os.stat(output / "style.css").st_ino
    (output / "stale.html").write_text("from an older site")
    edit(site / "content/posts/relations.md", "العلاقات الحقيقية", "فقرة جديدة.\n\nالعلاقات الحقيقية")
    build_ok("--source", site, *flags)
    build_ok("--source", site, "--output", plain, "--no-cache")
    expected = read_tree(plain)
    if cache:  # the cache's list of files is trusted: a file put there by hand is not the build's to delete
        expected["stale.html"] = b"from an older site"
    assert read_tree(output) == expected
    assert os.stat(output / "style.css").st_ino == style  # an unchanged file is left where it is
    assert sorted(p.name for p in output.iterdir() if not sitegen.output.stage.site_entry(p.name)) == ["lost+found"]
    assert hidden_leftovers(output) == []


def test_a_failed_build_leaves_a_mount_point_untouched(site_copy, mounted: list[Path]) -> None:
    site = site_copy("basic")
    build_ok("--source", site)
    before = read_tree(site / "public")
    edit(site / "content/posts/relations.md", "date: 2025-02-01 09:30", "date: yesterday")
    code, _, stderr = run_cli("build", "--source", site)
    assert code == 1 and stderr.endswith(f"{(site / 'public').as_posix()} was left as it was\n"), stderr
    assert read_tree(site / "public") == before
    assert [p.name for p in (site / "public").iterdir() if p.name.startswith(".")] == [".sitegen-build"]


def test_an_exchange_failing_ebusy_moves_the_staged_site_inside(site_copy, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A bind mount the check did not see: the exchange fails, and the staged site is committed from inside."""
    monkeypatch.setattr(sitegen.output.stage, "is_mount_point", lambda folder: False)
    real = sitegen.output.stage._swap
    refused: list[Path] = []

    def busy(staging: Path, target: Path) -> None:
        if target.exists():
            refused.append(target)
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(target))
        real(staging, target)

    monkeypatch.setattr(sitegen.output.stage, "_swap", busy)
    site = site_copy("basic")
    build_ok("--source", site, "--no-cache")
    (site / "public/stale.html").write_text("from an older site")
    edit(site / "content/posts/relations.md", "العلاقات الحقيقية", "فقرة جديدة.\n\nالعلاقات الحقيقية")
    build_ok("--source", site, "--no-cache")
    assert refused == [site / "public"]
    plain = tmp_path / "plain"
    build_ok("--source", site, "--output", plain, "--no-cache")
    assert read_tree(site / "public") == read_tree(plain)  # stale.html is gone: the new site is the whole folder
    assert hidden_leftovers(site / "public") == []
    assert [p for p in (site / "public").iterdir() if p.name.startswith(".sitegen-tmp-")] == []


def test_a_killed_build_s_staging_folder_inside_is_not_the_site_s(site_copy, mounted: list[Path]) -> None:
    site = site_copy("basic")
    output = site / "public"
    stale = output / ".sitegen-tmp-99999" / "files" / "posts"
    stale.mkdir(parents=True)
    (stale / "index.html").write_text("half")
    assert check_output_dir(output, site) is None  # not "holds files but no site"
    build_ok("--source", site)
    assert not (output / ".sitegen-tmp-99999").exists()
    assert (output / "index.html").is_file()


def _without_permission_override() -> list[str] | None:
    """A command prefix under which this user's files' permissions are enforced: none for an ordinary user; for root,
    `setpriv` dropping the capabilities that override them (None where it cannot)."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    if not shutil.which("setpriv") or subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        return None
    return prefix


def test_a_read_only_output_folder_is_reported_untouched(site_copy) -> None:
    prefix = _without_permission_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions are not enforced")
    site = site_copy("basic")
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(ROOT)}

    def build() -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, "-m", "sitegen", "build", "--source", str(site)], env=env,
                              capture_output=True, text=True, timeout=120, cwd=site)

    output = site / "public"
    for number, folder in enumerate((output, output / "posts" / "بناء-علاقات")):
        assert build().returncode == 0  # the site, and the cache's record of what the folder holds
        before = read_tree(output)
        edit(site / "content/posts/relations.md", "العلاقات الحقيقية", f"فقرة {number}.\n\nالعلاقات الحقيقية")
        folder.chmod(0o555)
        try:
            failed = build()
        finally:
            folder.chmod(0o755)
        shown = folder.relative_to(site).as_posix()
        assert (failed.returncode, failed.stdout) == (1, "")
        # before the fix: "public holds part of the new site; the next build finishes the update"
        assert failed.stderr == (f"{shown}: error: cannot write the site: Permission denied\n"
                                 "  hint: the previous site is still there, untouched; make the folder writable, or "
                                 "pass another --output\nbuild failed with 1 problem; public was left as it was\n")
        assert read_tree(output) == before
        assert hidden_leftovers(output) == []
    assert build().returncode == 0
    assert read_tree(output) != before
