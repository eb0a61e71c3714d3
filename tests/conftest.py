"""Fixtures shared by the test modules; the helpers they share are in helpers.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import ROOT


@pytest.fixture
def site_copy(tmp_path: Path):
    """Copy a site from tests/sites/NAME into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(ROOT / "tests" / "sites" / name, dest, ignore=shutil.ignore_patterns("expected*", "public"))
        return dest

    return copy
