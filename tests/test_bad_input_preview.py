"""The preview survives every bad input without a restart: each one, saved into a previewed site, is reported (or
built with its warnings), the last good site stays served meanwhile, and undoing the edit brings a clean build back.
Tested on the preview's model (no sockets); tests/test_preview.py covers the HTTP side."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.build.run import BuildOptions, build
from sitegen.errors import BuildError
from sitegen.preview.model import Generation, Preview
from sitegen.render.pages import TemplateFailure

from .bad_input_cases import CASES, WARNINGS
from .helpers import CONFIG, FIXED_EPOCH, Files, make_site, write_file


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
        before[path] = path.read_bytes() if path.exists() and not path.is_symlink() else None
        if path.is_symlink() and data is not None:
            path.unlink()  # a link is made anew, and no file is written through one
        write_file(path, data, dated=False)
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


def build_diagnostics(root: Path, *, strict: bool) -> list[str]:
    """What `sitegen build` reports for the site at `root` (empty when it builds), each formatted as printed."""
    try:
        result = build(BuildOptions(root, root / "public", strict=strict))
    except BuildError as failure:
        return [d.format(root) for d in failure.diagnostics]
    return [d.format(root) for d in result.warnings]


def rendering_errors(generation: Generation) -> list[str]:
    """The template errors rendering every page gives, each once, in the order the build reports them."""
    found: list[str] = []
    for path in generation.plan.pages:
        try:
            generation.render(path)
        except TemplateFailure as failure:
            text = failure.error.format(generation.site.config.root)
            if text not in found:
                found.append(text)
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_the_preview_refuses_what_the_build_refuses_with_the_same_diagnostics(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One road: the build and the preview load a site the same way, so every invalid site of the suite gives the
    preview the diagnostics the build prints, in the same order (a template error when the page is rendered)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    files, _expected = CASES[name]
    root = make_site(tmp_path, files)
    strict = "--strict" in name
    built = build_diagnostics(root, strict=strict)
    assert built, "every case fails the build"
    result = Preview(BuildOptions(root, root / "public")).rebuild()
    shown = [d.format(root) for d in result.diagnostics]
    if strict:  # the preview is not strict: it shows the warnings and the site
        assert result.generation is not None and shown == built
    elif result.generation is not None:  # templates are rendered when a page is asked for
        assert "template" in name and shown == [] and rendering_errors(result.generation) == built
    else:
        assert shown == built
