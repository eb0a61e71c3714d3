"""A Pelican reStructuredText file read with docutils: its title and docinfo fields as metadata, its body as HTML
(kept as HTML inside the Markdown file; no converter to Markdown is well kept)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .model import Note

_SETTINGS: dict[str, Any] = {
    "file_insertion_enabled": False,  # `.. include::` and `.. raw:: :file:` would read any file on the disk
    "raw_enabled": True,
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "input_encoding": "unicode",
    "output_encoding": "unicode",
    "syntax_highlight": "short",
    "initial_header_level": 2,
    "embed_stylesheet": False,
    "_disable_config": True,
}


def read_rst(text: str, path: Path, notes: list[Note]) -> tuple[dict[str, str], dict[str, int], str, int] | None:
    """Metadata (lowercased docinfo fields, 'title'), their lines, the body as HTML and 1 (the body's first line
    in the file is not known after conversion); None with an error note when docutils is missing or fails."""
    try:
        from docutils import nodes
        from docutils.core import publish_doctree, publish_parts
    except ImportError:  # pragma: no cover - docutils is a dependency
        notes.append(Note(path, "reStructuredText needs the 'docutils' package, which is not installed",
                          severity="error"))
        return None
    try:
        tree = publish_doctree(text, source_path=str(path), settings_overrides=_SETTINGS)
        parts = publish_parts(text, source_path=str(path), writer="html5", settings_overrides=_SETTINGS)
    except Exception as exc:  # docutils raises many kinds on broken input; none may stop the import
        notes.append(Note(path, f"docutils could not read this file: {exc}", severity="error"))
        return None
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    title = tree.next_node(nodes.title)
    if title is not None:
        meta["title"] = title.astext()
    for docinfo in tree.findall(nodes.docinfo):
        for element in docinfo.children:
            if not isinstance(element, nodes.Element):
                continue
            if element.tagname == "field" and len(element.children) == 2:
                name, value = element.children[0].astext().lower(), element.children[1].astext()
            elif element.tagname == "authors":
                name, value = "authors", ", ".join(child.astext() for child in element.children)
            else:
                name, value = element.tagname.lower(), element.astext()
            meta[name] = value
            if element.line is not None:
                lines[name] = element.line
    notes.append(Note(path, "reStructuredText: the body was converted to HTML by docutils and kept as HTML in the "
                            "Markdown file; check how it looks"))
    return meta, lines, str(parts["body"]).strip() + "\n", 1
