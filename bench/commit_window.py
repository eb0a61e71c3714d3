"""How long an update in place leaves the output folder mixed: the time `_roll_forward` takes to move a rebuild's
changed files into `public/` one by one, after three kinds of edit.

    .venv/bin/python bench/commit_window.py SITE [--edits 3]

SITE is a built sitegen site (e.g. `bench/corpus.py --posts 10000 --out /tmp/c10k`); it is edited in place, three
ways: a post's text, a post's title, the configuration's title. For each rebuild it prints how many files were moved
and deleted one by one and for how many milliseconds; a rebuild that exchanged whole folders (more than MOVE_LIMIT
files changed) moves none.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import sitegen.output.stage as stage
from sitegen.cli import main


def measure(root: Path, edits: int) -> None:
    timings: list[tuple[float, int, int]] = []
    real = stage._roll_forward

    def timed(staging: Path, target: Path, stale: list[str]) -> None:
        files = sum(1 for f in (staging / "files").rglob("*") if f.is_file())
        started = time.perf_counter()
        real(staging, target, stale)
        timings.append((time.perf_counter() - started, files, len(stale)))

    stage._roll_forward = timed  # type: ignore[assignment]
    post = sorted((root / "content/posts").glob("*.md"))[-1]
    config = root / "sitegen.yaml"
    main(["build", "--source", str(root)])
    kinds = {
        "a post's text": lambda n: post.write_text(post.read_text(encoding="utf-8") + f"\nتعديل {n}\n",
                                                   encoding="utf-8"),
        "a post's title": lambda n: _retitle(post, f"عنوان {n}"),
        "the configuration's title": lambda n: _retitle(config, f"مدونة {n}"),
    }
    for kind, edit in kinds.items():
        for number in range(edits):
            timings.clear()
            edit(number)
            main(["build", "--source", str(root)])
            shown = ", ".join(f"{files} moved, {stale} deleted in {seconds * 1000:.1f} ms"
                              for seconds, files, stale in timings) or "exchanged whole folders"
            print(f"{kind}: {shown}")


def _retitle(path: Path, title: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    arguments = parser.parse_args()
    measure(arguments.site.resolve(), arguments.edits)
