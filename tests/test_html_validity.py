"""Every page of the sample blog and of the golden site is valid HTML by the Nu Html Checker (the W3C validator,
`vnu-jar` from npm, run with Java once over all pages). CI installs it with `npm ci --prefix tests/js`; there a
missing Java or vnu.jar is a failure, not a skip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tools.static_server import build_sample_blog

from .helpers import GOLDEN_BASIC as GOLDEN
from .helpers import ROOT

VNU = ROOT / "tests" / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

if JAVA is None or not VNU.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Java (apt-get install default-jre-headless) and vnu-jar "
                           "(npm ci --prefix tests/js) for the HTML validity test")
    pytest.skip("java or tests/js/node_modules/vnu-jar missing (npm ci --prefix tests/js)", allow_module_level=True)


def validate(files: list[Path]) -> list[dict]:
    """The Nu Html Checker's errors for `files`, checked in one run."""
    result = subprocess.run([JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    return report["messages"]


def test_every_page_is_valid_html(tmp_path: Path) -> None:
    sample = build_sample_blog(tmp_path / "public")
    pages = sorted(sample.rglob("*.html")) + sorted(GOLDEN.rglob("*.html"))
    assert len(pages) > 30
    messages = validate(pages)
    errors = [f"{m.get('url', '').rsplit('/public/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == []


def test_the_checker_does_find_errors(tmp_path: Path) -> None:
    """Guard against a checker that passes everything (a wrong flag, a changed output format)."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="ar"><title>x</title><p><div></p><img src="a.png">',
                      encoding="utf-8")
    assert len(validate([broken])) >= 2
