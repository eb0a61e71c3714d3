"""Lighthouse scores of the sample blog: the home page and posts, served locally as Netlify would serve them
(netlify.toml's headers, gzip), audited by the `lighthouse` npm package driving Debian's Chromium.

    npm ci --prefix tools/lighthouse          # once: Lighthouse 12 (Node 18.16+)
    .venv/bin/python tools/lighthouse.py      # mobile (Lighthouse's default: Moto G Power, slow 4G, 4x CPU)
    .venv/bin/python tools/lighthouse.py --preset desktop --reports /tmp/lighthouse

Fails (exit 1) unless accessibility, best practices and SEO score 100 and performance at least 95 on every page.
It runs outside the test suite: each audit takes ~10-20 s and performance scores vary with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tools.static_server import build_sample_blog, serve  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"home": "/", "post (ar)": "/posts/ما-هي-الشبكات/", "post (en)": "/posts/networking-at-tech-meetups/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def audit(url: str, preset: str) -> dict:
    """Lighthouse's JSON report of one URL."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = ["node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--chrome-flags={flags}", f"--only-categories={','.join(CATEGORIES)}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, capture_output=True,
                            text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed for {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def scores(report: dict) -> dict[str, int]:
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def failed_audits(report: dict, category: str) -> list[str]:
    """Titles of the audits that cost a category points (for the report)."""
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    return [audits[ref["id"]]["title"] for ref in refs
            if ref["weight"] and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--reports", type=Path, help="folder to keep each page's full JSON report in")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: npm ci --prefix tools/lighthouse", file=sys.stderr)
        return 2
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        site = build_sample_blog(Path(tmp) / "public")
        with serve(site) as base:
            print(f"Lighthouse {args.preset}, {base} (sample blog)")
            print(f"{'page':<12}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for name, path in PAGES.items():
                report = audit(base + quote(path.lstrip("/")), args.preset)
                if args.reports:
                    args.reports.mkdir(parents=True, exist_ok=True)
                    slug = name.replace(" ", "-").strip("()").replace("(", "").replace(")", "")
                    (args.reports / f"{slug}-{args.preset}.json").write_text(json.dumps(report), encoding="utf-8")
                got = scores(report)
                print(f"{name:<12}" + "".join(f"{got[c]:>16}" for c in CATEGORIES))
                for category, score in got.items():
                    if score < MINIMUM[category]:
                        ok = False
                        print(f"  {category} below {MINIMUM[category]}: {failed_audits(report, category)}")
                metrics = {key: report["audits"][key]["displayValue"] for key in
                           ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                            "cumulative-layout-shift", "total-byte-weight")}
                print("  " + ", ".join(f"{k}: {v}" for k, v in metrics.items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
