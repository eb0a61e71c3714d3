"""Fixtures shared by the test modules; the helpers they share are in helpers.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from .helpers import ROOT, SAMPLE_EPOCH, Server, copy_site, run_cli

# In CI the property tests run the same examples every time (a failure there is reproducible, and a submission does
# not fail on an example no run before ever tried); a local run draws new ones and finds new cases, which are then
# pinned with @example.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def site_copy(tmp_path: Path):
    """Copy a site from tests/sites/NAME into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        return copy_site(name, tmp_path)

    return copy


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The sources this process parses from now on (what forked worker processes parse is not seen)."""
    import sitegen.incremental.parse

    calls: list[Path] = []
    real = sitegen.incremental.parse.parse_source

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(source.path)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(sitegen.incremental.parse, "parse_source", counting)
    return calls


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


@pytest.fixture(scope="session")
def preview_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/basic built as a deploy preview (`--preview`): its draft and future posts published with the note
    that says so. Read it, never change it."""
    site = copy_site("basic", tmp_path_factory.mktemp("preview-build"))
    code, _, stderr = run_cli("build", "--source", site, "--preview", "--base-url", "https://preview.example.org/")
    assert code == 0, stderr
    return site / "public"


@pytest.fixture(scope="session")
def served_basic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`sitegen serve` of a copy of tests/sites/basic, for the tests that only send it requests: none edits the copy."""
    server = Server(copy_site("basic", tmp_path_factory.mktemp("served")))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, launched once for every browser test of the run. The modules that use
    it skip themselves first where Chromium or Playwright is missing (and fail under CI)."""
    from playwright.sync_api import sync_playwright

    from tools.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
