"""The Markdown accelerator (sitegen/markdown_rs.py, markdown-it-pyrs) against markdown-it-py alone.

For each corpus size (bench/corpus.py, the sitegen flavor): the time to render every post's body with
`render_markdown` on each road (one process, the same parser object as a build uses), the share of posts that take
the fast road, and a check that both roads give the same result for every post; then, unless --no-build, a cold
`python -m sitegen build --no-cache` of the corpus with and without the accelerator (SITEGEN_MARKDOWN=python), each
timed, and their output trees compared byte for byte.

    .venv/bin/python bench/markdown_accel.py                     # = --posts 1000 10000 --runs 3
    .venv/bin/python bench/markdown_accel.py --posts 1000 --no-build

Prints a Markdown table; writes bench/results/markdown_accel.json.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from sitegen import markdown, markdown_rs  # noqa: E402
from sitegen.markdown import ACCELERATED, create_parser, render_markdown  # noqa: E402
from sitegen.sources.document import split_front_matter  # noqa: E402

import corpus  # noqa: E402

RESULTS = REPO / "bench" / "results" / "markdown_accel.json"


def bodies_of(files: tuple[Path, ...]) -> list[str]:
    return [split_front_matter(path.read_text(encoding="utf-8"), path)[1] for path in files]


def time_render(bodies: list[str], *, accelerated: bool, runs: int) -> float:
    """Median seconds to render every body, on one road."""
    md = create_parser()
    md.options[ACCELERATED] = accelerated
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for body in bodies:
            render_markdown(body, md)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(bodies: list[str]) -> tuple[int, int]:
    """(posts on the fast road, posts where the roads differ)."""
    md = create_parser()
    md.options[ACCELERATED] = False
    fast = differ = 0
    for body in bodies:
        accelerated = markdown._render_accelerated(body, None)
        if accelerated is not None:
            fast += 1
            differ += accelerated != render_markdown(body, md)
    return fast, differ


def time_build(site: Path, output: Path, road: str | None) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1893456000"}
    env.pop(markdown_rs.ENVIRONMENT, None)
    if road:
        env[markdown_rs.ENVIRONMENT] = road
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--no-cache", "-o", str(output)], cwd=site, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def same_tree(one: Path, other: Path) -> bool:
    def files(root: Path) -> list[str]:
        return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())

    names = files(one)
    if names != files(other):
        return False
    _same, mismatch, errors = filecmp.cmpfiles(one, other, names, shallow=False)
    return not mismatch and not errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="only the Markdown rendering, no whole builds")
    args = parser.parse_args()
    if not markdown_rs.enabled():
        raise SystemExit("markdown-it-pyrs is not installed (or SITEGEN_MARKDOWN=python is set)")
    import markdown_it_pyrs

    rows = []
    with tempfile.TemporaryDirectory(prefix="sitegen-md-") as temp:
        for posts in args.posts:
            made = corpus.generate(posts=posts, out=Path(temp) / f"blog-{posts}", flavor="sitegen")
            bodies = bodies_of(made.files)
            fast, differ = compare(bodies)
            row: dict[str, object] = {
                "posts": posts,
                "python_s": round(time_render(bodies, accelerated=False, runs=args.runs), 3),
                "accelerated_s": round(time_render(bodies, accelerated=True, runs=args.runs), 3),
                "fast_road": round(fast / len(bodies), 4),
                "differ": differ,
            }
            if not args.no_build:
                site = made.root
                build_python = time_build(site, Path(temp) / f"out-python-{posts}", "python")
                build_fast = time_build(site, Path(temp) / f"out-fast-{posts}", None)
                row.update(build_python_s=round(build_python, 2), build_accelerated_s=round(build_fast, 2),
                           builds_identical=same_tree(Path(temp) / f"out-python-{posts}",
                                                      Path(temp) / f"out-fast-{posts}"))
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(f"\nmarkdown-it-pyrs {markdown_it_pyrs.__version__}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores\n")
    print("| posts | markdown-it-py | accelerated | speed-up | fast road | differ | cold build (py) "
          "| cold build (acc.) | identical |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        speedup = float(str(row["python_s"])) / max(float(str(row["accelerated_s"])), 1e-9)
        print(f"| {row['posts']} | {row['python_s']} s | {row['accelerated_s']} s | {speedup:.1f}x "
              f"| {float(str(row['fast_road'])):.1%} | {row['differ']} | {row.get('build_python_s', '-')} s "
              f"| {row.get('build_accelerated_s', '-')} s | {row.get('builds_identical', '-')} |")
    RESULTS.write_text(json.dumps({"markdown_it_pyrs": markdown_it_pyrs.__version__, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
