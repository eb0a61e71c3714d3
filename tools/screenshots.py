"""Screenshots of the sample blog in headless Chromium, for the README: the home page, an Arabic post and the English
post, at 390 px (a phone) and 1280 px (a laptop), in light mode, plus an Arabic post in dark mode.

    .venv/bin/python tools/screenshots.py                 # writes docs/screenshots/*.png
    .venv/bin/python tools/screenshots.py --all --out /tmp/shots   # every page, both schemes, both widths (review)

Each image is the first screen of the page (390x844, 1280x800), or `--full` for the whole page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.browser import launch  # noqa: E402
from tools.static_server import build_sample_blog, serve  # noqa: E402

OUTPUT = ROOT / "docs" / "screenshots"
VIEWPORTS = {390: 844, 1280: 800}
HOME, ARABIC_POST, ENGLISH_POST = "/", "/posts/ما-هي-الشبكات/", "/posts/networking-at-tech-meetups/"
README_SHOTS = [  # (file name, page, width, colour scheme)
    ("home-ar-1280.png", HOME, 1280, "light"),
    ("home-ar-390.png", HOME, 390, "light"),
    ("post-ar-1280.png", ARABIC_POST, 1280, "light"),
    ("post-ar-390.png", ARABIC_POST, 390, "light"),
    ("post-en-1280.png", ENGLISH_POST, 1280, "light"),
    ("post-en-390.png", ENGLISH_POST, 390, "light"),
    ("post-ar-1280-dark.png", ARABIC_POST, 1280, "dark"),
    ("post-ar-390-dark.png", ARABIC_POST, 390, "dark"),
]


def every_page(site: Path) -> list[tuple[str, str, int, str]]:
    shots = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        path = "/" + relative.removesuffix("index.html")
        name = relative.removesuffix("/index.html").removesuffix("index.html").replace("/", "_") or "home"
        for width in VIEWPORTS:
            for scheme in ("light", "dark"):
                shots.append((f"{name.removesuffix('.html')}-{width}-{scheme}.png", path, width, scheme))
    return shots


def take(shots: list[tuple[str, str, int, str]], base: str, out: Path, full: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with launch() as browser:
        for name, path, width, scheme in shots:
            context = browser.new_context(viewport={"width": width, "height": VIEWPORTS[width]},
                                          color_scheme=scheme, device_scale_factor=1)
            page = context.new_page()
            page.goto(base + quote(path.lstrip("/")), wait_until="load")
            page.screenshot(path=str(out / name), full_page=full)
            context.close()
            print(f"{out / name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--all", action="store_true", help="every page of the sample blog, both widths and schemes")
    parser.add_argument("--full", action="store_true", help="whole pages instead of the first screen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample_blog(Path(tmp) / "public")
        with serve(site) as base:
            take(every_page(site) if args.all else README_SHOTS, base, args.out, args.full)


if __name__ == "__main__":
    main()
