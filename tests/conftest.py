"""Shared helpers: run the real CLI, and a switch to rewrite golden files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UPDATE_GOLDEN = os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1"
FIXED_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: the golden sites' clock


def run_sitegen(*args: str | Path, cwd: Path | None = None,
                epoch: str = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    """Run `python -m sitegen ARGS` as a user would, with a fixed clock."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def site_copy(tmp_path: Path):
    """Copy a site from tests/sites/NAME into a temporary folder and return its path."""
    import shutil

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(ROOT / "tests" / "sites" / name, dest, ignore=shutil.ignore_patterns("expected*", "public"))
        return dest

    return copy
