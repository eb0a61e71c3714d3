"""Invalid sites: the build reports every problem with its exact text, then exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_sitegen

CONFIG = "title: t\nbase_url: https://example.org/\ntimezone: Asia/Riyadh\n"

CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "bad yaml, mapped to the file's line": (
        {"content/posts/x.md": "---\ntitle: ok\ndescription: a: b\n---\nbody\n"},
        "content/posts/x.md:3:15: error: invalid YAML: mapping values are not allowed here\n"
        "     3 | description: a: b\n"
        "       |               ^\n"
        "  hint: a value containing ': ' must be quoted, e.g. title: \"Networking: why it matters\"\n",
    ),
    "every problem of every file at once": (
        {
            "content/posts/a.md": "---\ntitle: a\ndate: yesterday\ntags: one\n---\n",
            "content/posts/b.md": "---\ntitle: b\ndraft: maybe\n---\n",
        },
        "content/posts/a.md:3:1: error: date 'yesterday' is not a date\n"
        "     3 | date: yesterday\n"
        "       | ^\n"
        "  hint: use YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional time zone such as +03:00\n"
        "content/posts/a.md:4:1: error: 'tags' must be a list, not text\n"
        "     4 | tags: one\n"
        "       | ^\n"
        "  hint: write tags: [one]\n"
        "content/posts/b.md:3:1: error: 'draft' must be true or false, not 'maybe'\n"
        "     3 | draft: maybe\n"
        "       | ^\n",
    ),
    "front matter not closed": (
        {"content/posts/x.md": "---\ntitle: x\n\nbody\n"},
        "content/posts/x.md:1:1: error: front matter is not closed\n"
        "     1 | ---\n"
        "       | ^\n"
        "  hint: add a line '---' after the last key of the front matter\n",
    ),
    "configuration: unknown key and wrong type": (
        {"sitegen.yaml": CONFIG + "titel: x\nposts_per_page: ten\n"},
        "sitegen.yaml:4:1: error: unknown key 'titel'\n"
        "     4 | titel: x\n"
        "       | ^\n"
        "  hint: did you mean 'title'?\n"
        "sitegen.yaml:5: error: 'posts_per_page' must be a whole number, not str ('ten')\n"
        "     5 | posts_per_page: ten\n",
    ),
    "missing template": (
        {"content/pages/p.md": "---\ntitle: p\ntemplate: nowhere.html\n---\n"},
        "content/pages/p.md: error: template 'nowhere.html' not found\n"
        "  hint: add it to the site's templates/ folder or to the theme\n",
    ),
    "template syntax error, at the template's line": (
        {"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ post.title }\n{% endblock %}\n",
         "content/pages/p.md": "---\ntitle: p\n---\n"},
        "templates/page.html:3: error: template syntax error: unexpected '}'\n"
        "     3 | {{ post.title }\n",
    ),
    "undefined variable in a template": (
        {"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ post.subtitle }}\n{% endblock %}\n",
         "content/pages/p.md": "---\ntitle: p\n---\n"},
        "templates/page.html:3: error: template error: 'sitegen.site.Post object' has no attribute 'subtitle' "
        "(a variable or attribute that does not exist here)\n"
        "     3 | {{ post.subtitle }}\n",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_invalid_site_reports_exact_errors(name: str, tmp_path: Path) -> None:
    files, expected = CASES[name]
    (tmp_path / "sitegen.yaml").write_text(CONFIG)
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = run_sitegen("build", "--source", tmp_path)
    assert result.returncode == 1
    errors, _summary = result.stderr.rsplit("build failed", 1)
    assert errors == expected
    assert not (tmp_path / "public").exists()
