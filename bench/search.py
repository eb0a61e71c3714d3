"""The search index's cost: `sitegen build` of a generated Arabic blog (bench/corpus.py) with and without its
Pagefind step, cold, with no change and after one edit.

For each size it builds the blog cold (no output, no cache), then again with nothing changed (the index is kept: no
page it covers changed), then after a paragraph is appended to one post (Pagefind indexes every post again: it has
no way to update an index). Each build runs in this process through sitegen's own `build()`; the time Pagefind takes
is measured around `run_pagefind` (placing the pages in a folder of their own, the `pagefind` command, reading its
bundle), and the build's total around the call.

    .venv/bin/python bench/search.py                 # = --posts 1000 10000
    .venv/bin/python bench/search.py --posts 1000

prints a Markdown table and writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import sitegen.build.search as search  # noqa: E402
from sitegen.build.run import BuildOptions, build  # noqa: E402

import corpus  # noqa: E402


def _timed_build(site: Path, spent: list[float]) -> dict[str, Any]:
    """Build `site` into site/public; seconds in all, seconds in Pagefind, pages indexed, index files."""
    spent.clear()
    started = time.perf_counter()
    result = build(BuildOptions(site, site / "public"))
    total = time.perf_counter() - started
    bundle = site / "public" / "pagefind"
    files = [path for path in bundle.rglob("*") if path.is_file()]
    return {"total_s": round(total, 2), "pagefind_s": round(sum(spent), 2), "pagefind_runs": len(spent),
            "rendered": result.rendered, "index_files": len(files),
            "index_mb": round(sum(path.stat().st_size for path in files) / 1e6, 2)}


def measure(posts: int) -> dict[str, Any]:
    spent: list[float] = []
    real = search.run_pagefind

    def timed(pages):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return real(pages)
        finally:
            spent.append(time.perf_counter() - started)

    search.run_pagefind = timed
    try:
        with tempfile.TemporaryDirectory(prefix="sitegen-search-bench-") as folder:
            made = corpus.generate(posts, Path(folder) / "blog", "sitegen")
            site = Path(folder) / "blog"
            row: dict[str, Any] = {"posts": posts, "cold": _timed_build(site, spent)}
            row["no_change"] = _timed_build(site, spent)
            newest = made.files[made.newest]
            with open(newest, "a", encoding="utf-8") as post:
                post.write("\nفقرة أُضيفت لقياس إعادة البناء بعد تعديل واحد.\n")
            row["one_edit"] = _timed_build(site, spent)
            return row
    finally:
        search.run_pagefind = real


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1893456000")
    rows = [measure(posts) for posts in args.posts]
    print("| posts | cold: build / Pagefind | no change: build / Pagefind | one edit: build / Pagefind | index |")
    print("| ---: | --- | --- | --- | ---: |")
    for row in rows:
        cells = [f"{row[k]['total_s']:.2f} s / {row[k]['pagefind_s']:.2f} s ({row[k]['pagefind_runs']} run)"
                 for k in ("cold", "no_change", "one_edit")]
        print(f"| {row['posts']} | {' | '.join(cells)} | {row['cold']['index_files']} files, "
              f"{row['cold']['index_mb']} MB |")
    results = REPO / "bench" / "results" / "search.json"
    results.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
