"""The search index's cost: `sitegen build` of a generated Arabic blog (bench/corpus.py) with its index in one
Pagefind bundle ("one index", as before the index was split) and in parts ("parts", build/search.py's default),
cold, with no change and after one edit; then, in Chromium, the time from typing a query to its results on each.

For each size and each way it builds the blog cold (no output, no cache: a corpus of its own), then again with
nothing changed (every part kept), then after a paragraph is appended to the newest post (one index: Pagefind indexes
every post again, it cannot update an index; parts: only the newest post's year). Each build runs in this process
through sitegen's own `build()`; the time Pagefind takes is measured around `run_pagefind` (placing the pages in a
folder of their own, the `pagefind` command, reading its bundle), and the build's total around the call. The browser
(Playwright, Debian's Chromium) opens the search page of each built site and types queries: the first one pays for
loading the index (one bundle, or every part's), the next ones only for searching.

    .venv/bin/python bench/search.py                 # = --posts 1000 10000
    .venv/bin/python bench/search.py --posts 1000 --no-browser

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

QUERIES = ["العلاقات المهنية", "مصداقية", "شبكة"]
"""Typed one after another into the search page: a common phrase first (the index is loaded), then two words."""


def _timed_build(site: Path, spent: list[str | float]) -> dict[str, Any]:
    """Build `site` into site/public; seconds in all, seconds in Pagefind, its runs, index files."""
    spent.clear()
    started = time.perf_counter()
    result = build(BuildOptions(site, site / "public"))
    total = time.perf_counter() - started
    bundle = site / "public" / "pagefind"
    files = [path for path in bundle.rglob("*") if path.is_file()]
    times = [value for value in spent if isinstance(value, float)]
    return {"total_s": round(total, 2), "pagefind_s": round(sum(times), 2), "pagefind_runs": len(times),
            "parts_made": [value for value in spent if isinstance(value, str)], "rendered": result.rendered,
            "parts": len(json.loads((bundle / "shards.json").read_bytes())["shards"]),
            "index_files": len(files), "index_mb": round(sum(path.stat().st_size for path in files) / 1e6, 2)}


def _browser(site: Path) -> list[dict[str, Any]]:
    """Seconds from the last key of each query to its results, on the search page of the built `site`."""
    from playwright.sync_api import sync_playwright
    from tools.browser import CHROMIUM
    from tools.static_server import serve

    timings = []
    with serve(site / "public") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page()
        page.goto(base + "search/")
        page.wait_for_selector(".pagefind-ui__search-input")
        box = page.locator(".pagefind-ui__search-input")
        for query in QUERIES:
            box.fill("")
            box.focus()
            page.keyboard.type(query)
            started = time.perf_counter()
            page.wait_for_function("q => { const m = document.querySelector('.pagefind-ui__message'); "
                                   "return m && m.textContent.includes(q) && !m.textContent.trim().endsWith('...'); }",
                                   arg=query, timeout=120_000)
            page.wait_for_function("() => !document.querySelector('.pagefind-ui__result-title.pagefind-ui__loading')",
                                   timeout=120_000)
            timings.append({"query": query, "s": round(time.perf_counter() - started, 2),
                            "results": page.locator(".pagefind-ui__message").inner_text().strip()})
        browser.close()
    return timings


def measure(posts: int, way: str, browser: bool) -> dict[str, Any]:
    spent: list[str | float] = []
    real, shard_from = search.run_pagefind, search.SHARD_FROM

    def timed(pages, folder=search.FOLDER):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return real(pages, folder)
        finally:
            spent.extend([folder.removeprefix(search.FOLDER + "/"), time.perf_counter() - started])

    search.run_pagefind = timed
    search.SHARD_FROM = shard_from if way == "parts" else 10**12
    try:
        with tempfile.TemporaryDirectory(prefix="sitegen-search-bench-") as folder:
            made = corpus.generate(posts, Path(folder) / "blog", "sitegen")
            site = Path(folder) / "blog"
            config = site / "sitegen.yaml"  # the benchmark corpus makes no index (its peers make none): this one does
            config.write_text(config.read_text(encoding="utf-8").replace("search: false\n", ""), encoding="utf-8")
            row: dict[str, Any] = {"posts": posts, "way": way, "cold": _timed_build(site, spent)}
            row["no_change"] = _timed_build(site, spent)
            with open(made.files[made.newest], "a", encoding="utf-8") as post:
                post.write("\nفقرة أُضيفت لقياس إعادة البناء بعد تعديل واحد.\n")
            row["one_edit"] = _timed_build(site, spent)
            if browser:
                row["browser"] = _browser(site)
            return row
    finally:
        search.run_pagefind, search.SHARD_FROM = real, shard_from


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1893456000")
    rows = [measure(posts, way, not args.no_browser) for posts in args.posts for way in ("one index", "parts")]
    print("| posts | index | cold: build / Pagefind | no change | one edit: build / Pagefind (parts made) | "
          "typing to results: first query / next |")
    print("| ---: | --- | --- | --- | --- | --- |")
    for row in rows:
        cold, same, edit = row["cold"], row["no_change"], row["one_edit"]
        typed = row.get("browser")
        seen = (f"{typed[0]['s']:.2f} s / {max(t['s'] for t in typed[1:]):.2f} s" if typed else "")
        print(f"| {row['posts']} | {row['way']} ({cold['parts']} part{'s' if cold['parts'] > 1 else ''}, "
              f"{cold['index_files']} files, {cold['index_mb']} MB) | {cold['total_s']:.2f} s / "
              f"{cold['pagefind_s']:.2f} s | {same['total_s']:.2f} s ({same['pagefind_runs']} run) | "
              f"{edit['total_s']:.2f} s / {edit['pagefind_s']:.2f} s ({', '.join(edit['parts_made'])}) | {seen} |")
    results = REPO / "bench" / "results" / "search.json"
    results.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
