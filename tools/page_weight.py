"""What a browser downloads to show pages of the sample blog, before images: each request's transferred size (gzip,
as Netlify serves it) and uncompressed size, measured in Chromium with the Resource Timing API.

    .venv/bin/python tools/page_weight.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.browser import launch  # noqa: E402
from tools.static_server import build_sample_blog, serve  # noqa: E402

PAGES = ["/", "/posts/أهمية-الشبكات-المهنية/", "/posts/networking-at-tech-meetups/", "/tags/الشبكات-المهنية/"]
LIMIT = 100 * 1024
MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const rest = performance.getEntriesByType('resource').filter(r => r.initiatorType !== 'img');
  return [nav, ...rest].map(r => [r.name, r.transferSize, r.decodedBodySize]);
}"""


def main() -> int:
    worst = 0
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample_blog(Path(tmp) / "public")
        with serve(site) as base, launch() as browser:
            for path in PAGES:
                context = browser.new_context()
                page = context.new_page()
                page.goto(base + quote(path.lstrip("/")), wait_until="load")
                page.wait_for_timeout(200)  # the icon is fetched just after load
                rows = page.evaluate(MEASURE)
                context.close()
                transferred = sum(r[1] for r in rows)
                decoded = sum(r[2] for r in rows)
                worst = max(worst, transferred)
                print(f"{path}: {len(rows)} requests, {transferred / 1024:.1f} KB transferred, "
                      f"{decoded / 1024:.1f} KB uncompressed")
                for name, sent, size in rows:
                    print(f"    {unquote(name.removeprefix(base.rstrip('/'))):<60} {sent:>7} B {size:>7} B")
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
