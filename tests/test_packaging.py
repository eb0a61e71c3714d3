"""The wheel carries the default theme, so a site without a themes/ folder still builds, and the Netlify build plugin
that `sitegen init` copies into a new blog."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .helpers import ROOT


def test_wheel_contains_the_default_theme(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("sitegen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = ROOT / "themes" / "default"
    expected = {f"sitegen/themes/default/{p.relative_to(theme).as_posix()}" for p in theme.rglob("*") if p.is_file()}
    assert expected <= names
    assert "sitegen/themes/default/templates/base.html" in names
    plugin = "sitegen/netlify/plugins/sitegen-cache"
    assert {f"{plugin}/manifest.yml", f"{plugin}/index.js"} <= names
    for name in ("manifest.yml", "index.js"):
        shipped = zipfile.ZipFile(wheel).read(f"{plugin}/{name}")
        assert shipped == (ROOT / "netlify/plugins/sitegen-cache" / name).read_bytes()
