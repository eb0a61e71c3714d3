"""What share cards cost: the real `sitegen build` of a generated blog (bench/corpus.py) cold, with no change, after
one edit of a post's text (no card to redraw) and after one edit of a post's title (one card to redraw); and how long
drawing the cards alone takes in one process.

    .venv/bin/python bench/cards.py --posts 10000

prints a Markdown table. Each build is a separate `python -m sitegen build` process with its default workers; a
scenario's time is the wall time of that process. "cards drawn" counts the card files the build wrote anew (a new
inode or modification time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpus_module

REPO = Path(__file__).resolve().parent.parent


def build(site: Path) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site)], check=True, env=env,
                   stdout=subprocess.DEVNULL, cwd=site)
    return time.perf_counter() - start


def card_stats(public: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in public.rglob("card.png")}


def edit_first(site: Path, old_prefix: str, new_prefix: str) -> None:
    """Change the first line starting with `old_prefix` of the newest post."""
    post = sorted((site / "content" / "posts").rglob("*.md"))[-1]
    lines = post.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(old_prefix))
    lines[at] = new_prefix + lines[at][len(old_prefix):]
    post.write_text("\n".join(lines), encoding="utf-8")


def draw_alone(site: Path) -> tuple[int, float]:
    """A card for every post's title drawn in this process, one after another: (cards, seconds)."""
    sys.path.insert(0, str(REPO))
    from sitegen.render.cards import Card, load_card_style, render_card

    style, errors = load_card_style([REPO / "themes" / "default"])
    assert style is not None, errors
    titles = [line[len("title: "):].strip("'\"") for post in sorted((site / "content" / "posts").rglob("*.md"))
              for line in post.read_text(encoding="utf-8").split("\n")[:12] if line.startswith("title: ")]
    start = time.perf_counter()
    for title in titles:
        render_card(Card(title, "مدونة العلاقات المهنية", "اسم الكاتب", date(2026, 11, 22), "ar"), style)
    return len(titles), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpus (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="sitegen-cards-"))
    site = work / "blog"
    shutil.rmtree(site, ignore_errors=True)
    corpus_module.generate(posts=args.posts, out=site, flavor="sitegen")
    config = site / "sitegen.yaml"  # the benchmark corpus leaves cards out, as its peers draw none
    config.write_text(config.read_text().replace("share_cards: false\n", ""))
    public = site / "public"
    rows = []
    seconds = build(site)
    rows.append(("cold", seconds, len(card_stats(public))))
    for name, change in (("no change", None), ("one edit of a post's text", ("## ", "## قسم: ")),
                         ("one edit of a post's title", ('title: "', 'title: "جديد '))):
        before = card_stats(public)
        if change:
            edit_first(site, *change)
        seconds = build(site)
        after = card_stats(public)
        rows.append((name, seconds, sum(1 for p in after if after[p] != before.get(p))))
    print(f"{args.posts} posts ({len(card_stats(public))} cards), {os.cpu_count()} cores\n")
    print("| build | seconds | cards drawn |\n| --- | ---: | ---: |")
    for name, seconds, drawn in rows:
        print(f"| {name} | {seconds:.1f} | {drawn} |")
    count, alone = draw_alone(site)
    print(f"\nDrawing {count} cards alone, in one process: {alone:.1f} s ({alone / count * 1000:.1f} ms a card)")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
