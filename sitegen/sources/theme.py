"""The theme: its folders in order of precedence, and its own words (i18n)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError
from .config import Config

DEFAULT_THEME = "default"


@dataclass(frozen=True, slots=True)
class Theme:
    """The theme folders in order of precedence (the chosen theme, then the default one)."""

    folders: tuple[Path, ...]

    @property
    def template_dirs(self) -> list[Path]:
        return [f / "templates" for f in self.folders if (f / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        """Lowest precedence first, so later copies win."""
        return [f / "static" for f in reversed(self.folders) if (f / "static").is_dir()]


def packaged_themes() -> Path:
    """The themes shipped with sitegen: inside the wheel, or the source checkout's `themes/`."""
    package = Path(__file__).parent.parent
    inside = package / "themes"
    return inside if inside.is_dir() else package.parent / "themes"


def find_theme(config: Config) -> tuple[Theme, list[SourceError]]:
    """Locate the configured theme in the site's `themes/` or among the packaged ones."""
    folders: list[Path] = []
    for name in dict.fromkeys([config.theme, DEFAULT_THEME]):
        candidates = [config.root / "themes" / name, packaged_themes() / name]
        found = next((c for c in candidates if c.is_dir()), None)
        if found is None:
            looked = " and ".join(c.as_posix() for c in candidates)
            config_path = config.root / "sitegen.yaml"
            return Theme(tuple(folders)), [SourceError(config_path, f"theme '{name}' not found (looked in {looked})",
                                                       hint="fix 'theme:' in sitegen.yaml or add the theme folder")]
        if found not in folders:
            folders.append(found)
    shipped = packaged_themes() / DEFAULT_THEME  # the last fallback, even when the site has a partial themes/default
    if shipped.is_dir() and shipped.resolve() not in {f.resolve() for f in folders}:
        folders.append(shipped)
    return Theme(tuple(folders)), []


def load_translations(theme: Theme) -> dict[str, dict[str, Any]]:
    """The theme's own words: `i18n/<lang>.yaml` of each theme folder, the chosen theme's winning."""
    strings: dict[str, dict[str, Any]] = {}
    for folder in reversed(theme.folders):
        for file in sorted((folder / "i18n").glob("*.yaml")):
            strings.setdefault(file.stem, {}).update(yaml.safe_load(file.read_text(encoding="utf-8")) or {})
    return strings
