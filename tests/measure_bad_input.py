"""Time sitegen on huge and pathological posts (not a test; the suite checks behaviour, never time).

    .venv/bin/python -m tests.measure_bad_input

Each row builds a one-post site in a temporary folder with the real pipeline (in-process) and prints the wall time
of the whole build and its outcome.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sitegen.build.run import BuildOptions, build
from sitegen.errors import BuildError

POST = "---\ntitle: t\ndate: 2025-03-01\n---\n"
MB = 1024 * 1024


def dense(megabytes: int) -> str:
    """Headings, a paragraph with bold, a link and code, a list, a quote and a code block, every ~1.4 KB."""
    sentence = "فقرة عربية عن العلاقات المهنية: فيها **كلمات** و[رابط](https://example.com/) و`code` وكلمات English. "
    section = ("## قسم\n\n" + sentence * 8 + "\n\n- عنصر\n- عنصر آخر\n  - متداخل\n\n> اقتباس\n\n"
               "```python\nprint(1)\n```\n\n")
    return section * (megabytes * MB // len(section.encode()) + 1)


def plain(megabytes: int) -> str:
    """Paragraphs of Arabic prose only."""
    paragraph = "هذه فقرة عربية طويلة عن بناء العلاقات المهنية في عالم الأعمال الحديث وكيف نستفيد منها. " * 6
    return (paragraph + "\n\n") * (megabytes * MB // len(paragraph.encode()) + 1)


def one_paragraph(megabytes: int) -> str:
    """A text file without blank lines: one paragraph, with colons, URLs and addresses on every line."""
    line = "كلمة: قيمة، انظر http://example.com/a و www.example.org و a@b.example\n"
    return line * (megabytes * MB // len(line.encode()) + 1)


CASES: dict[str, Callable[[], str]] = {
    "10 MB, dense Markdown": lambda: dense(10),
    "10 MB, plain paragraphs": lambda: plain(10),
    "1 MB, one paragraph of colons and URLs": lambda: one_paragraph(1),
    "10,000 nested '> '": lambda: "> " * 10_000 + "x\n",
    "10,000 nested '- '": lambda: "- " * 10_000 + "x\n",
    "10,000 nested '1. '": lambda: "1. " * 10_000 + "x\n",
    "1,000 list levels by indentation (1 MB)": lambda: "".join("  " * i + "- x\n" for i in range(1_000)),
    "10,000 '*' emphasis": lambda: "*" * 10_000 + "x" + "*" * 10_000 + "\n",
    "10,000 '[' brackets": lambda: "[" * 10_000 + "x" + "]" * 10_000 + "(u)\n",
}
FRONT_CASES: dict[str, str] = {
    "YAML nested 5,000 deep": "extra: " + "[" * 5_000 + "]" * 5_000 + "\n",
    "YAML billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}' if i else '*a'] * 9)}]\n" for i in range(9)),
}


def measure(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sitegen.yaml").write_text("title: t\nbase_url: https://example.org/\n")
        (root / "content/posts").mkdir(parents=True)
        (root / "content/posts/x.md").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        try:
            result = build(BuildOptions(root, root / "public"))
            outcome = f"built, {result.pages} pages"
        except BuildError as failure:
            first = next(d for d in failure.diagnostics if d.severity == "error")
            outcome = f"error: {first.message}"
        seconds = time.perf_counter() - started
        print(f"{name:42} {len(text.encode()) / MB:7.2f} MB {seconds:7.2f} s  {outcome}", flush=True)


def main() -> None:
    for name, make in CASES.items():
        measure(name, POST + make())
    for name, front in FRONT_CASES.items():
        measure(name, "---\ntitle: t\ndate: 2025-03-01\n" + front + "---\nx\n")


if __name__ == "__main__":
    main()
