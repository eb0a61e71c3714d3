"""The wheel carries the default theme, so a site without a themes/ folder still builds, and the Netlify build plugin
that `sitegen init` copies into a new blog."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from .helpers import ROOT


def test_wheel_contains_the_default_theme(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("sitegen_blog-*.whl")  # the distribution is sitegen-blog on PyPI
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


def test_sitegen_init_from_the_wheel_alone_writes_a_blog_that_builds(tmp_path: Path) -> None:
    """The installed package, not this checkout, is all `sitegen init` needs: the wheel installed on its own (its
    dependencies from this environment), run from another folder, writes netlify.toml, the plugin and the texts."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("sitegen_blog-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(tmp_path / "lib"),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "lib")}
    where = subprocess.run([sys.executable, "-c", "import sitegen.scaffold as s; print(s.packaged_root())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(tmp_path / "lib" / "sitegen")  # not the checkout
    blog = tmp_path / "blog"
    made = subprocess.run([sys.executable, "-m", "sitegen", "init", str(blog), "--yes"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    assert (blog / "netlify/plugins/sitegen-cache/index.js").read_bytes() == (
        ROOT / "netlify/plugins/sitegen-cache/index.js").read_bytes()
    assert "[[plugins]]" in (blog / "netlify.toml").read_text()
    built = subprocess.run([sys.executable, "-m", "sitegen", "build", "--strict"], cwd=blog, env=env,
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0 and built.stderr == "", built.stderr
