"""Invalid sites: the build reports every problem with its exact text, then exits 1; odd but usable input builds
with the exact warnings. Each case is one distinct bad input (`sitegen build` run in-process, for speed; the
end-to-end CLI runs are in test_bad_input.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.sources.theme import packaged_themes

from .bad_input_cases import CASES, WARNINGS
from .helpers import make_site, run_cli


def _expected(text: str, root: Path) -> str:
    return text.replace("{root}", root.as_posix()).replace("{packaged}", packaged_themes().as_posix())


@pytest.mark.parametrize("name", list(CASES))
def test_invalid_site_reports_exact_errors(name: str, tmp_path: Path) -> None:
    files, expected = CASES[name]
    root = make_site(tmp_path, files)
    code, stdout, stderr = run_cli("build", "--source", root, *(["--strict"] if "--strict" in name else []))
    assert code == 1
    assert stdout == ""
    errors, summary = stderr.rsplit("build failed with ", 1)
    assert errors == _expected(expected, root)
    assert summary.endswith("public was left as it was\n")
    assert not (root / "public").exists()


@pytest.mark.parametrize("name", list(WARNINGS))
def test_odd_input_builds_with_exact_warnings(name: str, tmp_path: Path) -> None:
    files, expected = WARNINGS[name]
    root = make_site(tmp_path, files)
    code, stdout, stderr = run_cli("build", "--source", root)
    assert (code, stderr) == (0, expected)
    assert stdout.startswith("built ")
    assert (root / "public/index.html").is_file()


def test_strict_turns_every_warning_into_a_failure(tmp_path: Path) -> None:
    root = make_site(tmp_path, WARNINGS["title is a number"][0])
    code, _, stderr = run_cli("build", "--source", root, "--strict")
    assert code == 1
    assert stderr.endswith("build failed with 1 problem (warnings fail the build with --strict); "
                           f"{(root / 'public').as_posix()} was left as it was\n")

