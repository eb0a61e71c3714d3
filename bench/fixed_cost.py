"""sitegen's fixed cost: `python -m sitegen --version` and a no-change build of the sample blog (the repository's
root), each the median wall time of 21 runs, the build's output in a temporary folder built once first.

    .venv/bin/python bench/fixed_cost.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(command: list[str], runs: int = 21) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="sitegen-fixed-") as folder:
        build = [sys.executable, "-m", "sitegen", "build", "--output", str(Path(folder) / "public")]
        subprocess.run(build, cwd=ROOT, capture_output=True, check=True)
        print(f"sitegen --version: {median_ms([sys.executable, '-m', 'sitegen', '--version']):.1f} ms")
        print(f"no-change build of the sample blog: {median_ms(build):.1f} ms")


if __name__ == "__main__":
    main()
