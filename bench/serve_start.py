"""The preview's first start with a warm cache: from running `sitegen serve` to its address being printed, after a
`sitegen build` of the same blog, median of 5 starts.

    .venv/bin/python bench/corpus.py --posts 10000 --out /tmp/blog --flavor sitegen
    (cd /tmp/blog && ../path/to/.venv/bin/sitegen build)
    .venv/bin/python bench/serve_start.py /tmp/blog
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def main() -> None:
    root = sys.argv[1]
    times = []
    for port in range(8611, 8616):
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", str(port)], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert server.stdout is not None
        for line in server.stdout:
            if "http://" in line:
                times.append(time.perf_counter() - started)
                break
        server.terminate()
        server.wait()
    print(f"warm first start: median {statistics.median(times):.2f} s", [round(t, 2) for t in times])


if __name__ == "__main__":
    main()
