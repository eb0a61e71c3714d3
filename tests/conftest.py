"""Fixtures shared by the test modules; the helpers they share are in helpers.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import ROOT, SAMPLE_EPOCH, run_cli


@pytest.fixture
def site_copy(tmp_path: Path):
    """Copy a site from tests/sites/NAME into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(ROOT / "tests" / "sites" / name, dest, ignore=shutil.ignore_patterns("expected*", "public"))
        return dest

    return copy


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The repository's own sample blog built once for the whole run, at the sample clock (2030): its output folder
    and what the build printed on stderr (its warnings). Tests only read it."""
    out = tmp_path_factory.mktemp("sample-blog") / "public"
    code, _, stderr = run_cli("build", "--source", ROOT, "--output", out, epoch=SAMPLE_EPOCH)
    assert code == 0, stderr
    return out, stderr


@pytest.fixture(scope="session")
def sample_blog(sample_build: tuple[Path, str]) -> Path:
    """The sample blog's built site (see sample_build); read it, never change it."""
    return sample_build[0]
