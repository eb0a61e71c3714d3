"""The preview survives every bad input without a restart: each one, saved into a previewed site, is reported (or
built with its warnings), the last good site stays served meanwhile, and undoing the edit brings a clean build back.
Tested on the preview's model (no sockets); tests/test_preview.py covers the HTTP side."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.build.run import BuildOptions
from sitegen.preview.model import Generation, Preview
from sitegen.render.pages import TemplateFailure

from .bad_input_cases import CASES, WARNINGS
from .helpers import CONFIG, Files


@pytest.fixture(scope="module")
def previewed(tmp_path_factory: pytest.TempPathFactory) -> Preview:
    root = tmp_path_factory.mktemp("previewed")
    (root / "sitegen.yaml").write_text(CONFIG)
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/good.md").write_text("---\ntitle: جيد\ndate: 2025-01-01\n---\nنص جيد\n")
    preview = Preview(BuildOptions(root, root / "public", drafts=True, future=True))
    assert preview.rebuild().errors == ()
    return preview


def save(root: Path, files: Files) -> dict[Path, bytes | None]:
    """Write `files` into the site (None deletes); return what was there before, to undo it."""
    before: dict[Path, bytes | None] = {}
    for relative, data in files.items():
        path = root / relative
        before[path] = path.read_bytes() if path.exists() else None
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return before


def undo(before: dict[Path, bytes | None]) -> None:
    for path, data in before.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)


def fails(generation: Generation, path: str) -> bool:
    """Whether rendering `path` fails with a located template error (which the server shows as its page)."""
    try:
        generation.render(path)
    except TemplateFailure as failure:
        assert failure.error.format(with_source=False).startswith(("templates/", "content/", str(Path("/"))))
        return True
    return False


def good_page_is_served(preview: Preview) -> None:
    generation = preview.current
    assert generation is not None
    assert "نص جيد" in (generation.render("posts/good/index.html") or b"").decode()


@pytest.mark.parametrize("name", list(CASES))
def test_the_preview_reports_a_bad_input_keeps_serving_and_recovers(name: str, previewed: Preview) -> None:
    files, _expected = CASES[name]
    before = save(previewed.root, files)
    try:
        result = previewed.rebuild(set(before))
        if "--strict" in name:  # the preview is not strict: broken links are warnings there
            assert result.errors == () and result.generation is not None
        elif "template" in name and result.generation is not None:  # templates are rendered on request
            assert result.errors == ()
            assert [path for path in result.generation.plan.pages if fails(result.generation, path)]
        else:
            assert any(e.severity == "error" for e in result.errors)
            assert result.generation is None
        good_page_is_served(previewed)
    finally:
        undo(before)
    assert previewed.rebuild(set(before)).errors == ()
    good_page_is_served(previewed)


@pytest.mark.parametrize("name", list(WARNINGS))
def test_the_preview_builds_odd_input_and_renders_every_page(name: str, previewed: Preview) -> None:
    files, _expected = WARNINGS[name]
    before = save(previewed.root, files)
    try:
        result = previewed.rebuild(set(before))
        assert result.errors == ()
        generation = result.generation
        assert generation is not None
        for path in generation.plan.pages:
            assert generation.render(path)
    finally:
        undo(before)
    assert previewed.rebuild(set(before)).errors == ()
