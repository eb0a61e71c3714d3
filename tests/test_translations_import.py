"""Translations brought in from Hugo: its `translationKey`, and its file pairs ('post.en.md' beside 'post.ar.md',
or the same file in each language's content folder), become sitegen's `translation_key:`; the imported site builds
with the versions linked. The layouts are those Hugo documents (gohugo.io/content-management/multilingual/)."""

from __future__ import annotations

from pathlib import Path

from sitegen.migrate.hugo import read_hugo

from .helpers import build_ok, run_cli

CONFIG = ('baseURL = "https://example.org/"\ndefaultContentLanguage = "ar"\n'
          '[languages.ar]\nweight = 1\n[languages.en]\nweight = 2\n')


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_translation_keys_and_file_pairs_become_translation_key(tmp_path: Path) -> None:
    _write(tmp_path, {"hugo.toml": CONFIG,
                      "content/posts/meetups.ar.md": "---\ntitle: لقاءات\ndate: 2025-03-01\n---\nنص.\n",
                      "content/posts/meetups.en.md": "---\ntitle: Meetups\ndate: 2025-03-02\n---\nText.\n",
                      "content/posts/trip/index.md": "---\ntitle: رحلة\ndate: 2025-01-01\n---\nنص.\n",
                      "content/posts/trip/index.en.md": "---\ntitle: Trip\ndate: 2025-01-01\n---\nText.\n",
                      "content/posts/alone.md": "---\ntitle: وحدها\ndate: 2025-01-01\n---\nنص.\n",
                      "content/posts/a.md": "---\ntitle: أ\ndate: 2025-01-01\ntranslationKey: same\n---\nنص.\n",
                      "content/posts/b.en.md": "---\ntitle: B\ndate: 2025-01-01\ntranslationKey: same\n---\nx\n"})
    keys = {entry.source.relative_to(tmp_path / "content/posts").as_posix():
            (entry.front.get("lang"), entry.front.get("translation_key")) for entry in read_hugo(tmp_path).entries}
    assert keys == {"meetups.ar.md": ("ar", "posts/meetups"), "meetups.en.md": ("en", "posts/meetups"),
                    "trip/index.md": ("ar", "posts/trip"), "trip/index.en.md": ("en", "posts/trip"),
                    "alone.md": ("ar", None), "a.md": ("ar", "same"), "b.en.md": ("en", "same")}
    entry = next(e for e in read_hugo(tmp_path).entries if e.source.name == "a.md")
    assert "translationKey" not in entry.front and list(entry.front)[:4] == ["title", "date", "lang",
                                                                            "translation_key"]


def test_content_folders_per_language_pair_files_at_the_same_path(tmp_path: Path) -> None:
    config = CONFIG.replace("[languages.ar]\nweight = 1", '[languages.ar]\ncontentDir = "content/ar"').replace(
        "[languages.en]\nweight = 2", '[languages.en]\ncontentDir = "content/en"')
    _write(tmp_path, {"hugo.toml": config,
                      "content/ar/posts/x.md": "---\ntitle: س\ndate: 2025-03-01\n---\nنص.\n",
                      "content/en/posts/x.md": "---\ntitle: X\ndate: 2025-03-01\n---\nText.\n"})
    keys = {(e.front.get("lang"), e.front.get("translation_key")) for e in read_hugo(tmp_path).entries}
    assert keys == {("ar", "posts/x"), ("en", "posts/x")}


def test_an_imported_bilingual_hugo_site_builds_with_its_versions_linked(tmp_path: Path) -> None:
    old = _write(tmp_path / "old", {"hugo.toml": CONFIG,
                                    "content/posts/meetups.ar.md": "---\ntitle: لقاءات\ndate: 2025-03-01\n---\nنص.\n",
                                    "content/posts/meetups.en.md": "---\ntitle: Meetups\ndate: 2025-03-02\n---\nx\n"})
    new = tmp_path / "new"
    code, _out, err = run_cli("import", old, "--source", new)
    assert code == 0, err
    build_ok("--source", new)
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in (new / "public/posts").glob("*/index.html")}
    assert len(pages) == 2
    for page in pages.values():
        assert page.count('<link rel="alternate" hreflang=') == 3
        assert '<nav class="translations"' in page
