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

from .helpers import GOLDEN_BASIC as GOLDEN
from .helpers import ROOT

VNU = ROOT / "tests" / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

if JAVA is None or not VNU.exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Java (apt-get install default-jre-headless) and vnu-jar "
                           "(npm ci --prefix tests/js) for the HTML validity test")
    pytest.skip("java or tests/js/node_modules/vnu-jar missing (npm ci --prefix tests/js)", allow_module_level=True)


JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss4m"]
"""One short run: the JVM's quick compiler alone halves the checker's CPU time, same report; its deeper stacks need the
larger thread stack the checker asks for when it overflows (it says at least 512k)."""


def validate(files: list[Path]) -> list[dict]:
    """The Nu Html Checker's errors for `files`, checked in one run."""
    result = subprocess.run([JAVA, *JVM_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "json",
                             *map(str, files)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    return report["messages"]


@pytest.fixture(scope="module")
def checked(sample_blog: Path, preview_build: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[list[Path], Path, list[dict]]:
    """Every page of the sample blog, the golden site and the golden site built as a deploy preview (its drafts
    marked), and one broken page, checked in one run of the checker (Java starts once): (the pages, the broken page,
    the checker's errors)."""
    broken = tmp_path_factory.mktemp("checker") / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="ar"><title>x</title><p><div></p><img src="a.png">',
                      encoding="utf-8")
    pages = sorted(sample_blog.rglob("*.html")) + sorted(GOLDEN.rglob("*.html")) + sorted(preview_build.rglob("*.html"))
    return pages, broken, validate([*pages, broken])


def is_about(message: dict, page: Path) -> bool:
    return message.get("url", "").removeprefix("file:") == page.as_posix()


def test_every_page_is_valid_html(checked: tuple[list[Path], Path, list[dict]]) -> None:
    pages, broken, messages = checked
    assert len(pages) > 30
    errors = [f"{m.get('url', '').rsplit('/public/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if not is_about(m, broken)]
    assert errors == []


def test_the_checker_does_find_errors(checked: tuple[list[Path], Path, list[dict]]) -> None:
    """Guard against a checker that passes everything (a wrong flag, a changed output format): the broken page
    checked in the same run as the site's pages has its errors reported."""
    _pages, broken, messages = checked
    assert len([m for m in messages if is_about(m, broken)]) >= 2
