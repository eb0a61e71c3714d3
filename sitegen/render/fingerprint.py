"""Fingerprinted stylesheets and scripts: `/_immutable/style.<hash>.css`, a name that changes with the content,
so hosts can let browsers cache them for a year (netlify.toml does) and a new version is still seen at once.

Only `sitegen build` fingerprints; the preview serves the plain names, so it can swap a stylesheet in place.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from ..site.urls import IMMUTABLE_FOLDER

FINGERPRINTED_SUFFIXES = frozenset({".css", ".js", ".mjs"})


def is_fingerprinted_kind(path: str) -> bool:
    """Stylesheets and scripts are fingerprinted; images and other files keep their names."""
    return PurePosixPath(path).suffix.lower() in FINGERPRINTED_SUFFIXES


def fingerprinted_path(path: str, data: bytes) -> str:
    """'css/style.css' and its bytes -> '_immutable/css/style.1a2b3c4d5e.css' (10 hex digits of its SHA-256)."""
    pure = PurePosixPath(path)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(PurePosixPath(IMMUTABLE_FOLDER) / pure.parent / f"{pure.stem}.{digest}{pure.suffix}")
