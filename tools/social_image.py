"""Draw the default theme's sharing image (themes/default/static/social.png, 1200x630, what LinkedIn and others
show for a page without an `image:`) with headless Chromium. No words on it, so it suits any blog; a site replaces
it with its own `static/social.png`.

    .venv/bin/python tools/social_image.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.browser import launch  # noqa: E402

OUTPUT = ROOT / "themes" / "default" / "static" / "social.png"

# Lines of a right-to-left paragraph, in the theme's colours: the blog's writing, abstracted.
LINES = [(620, "#145c8f"), (540, "#145c8f"), (0, ""), (700, "#c9c3b6"), (660, "#c9c3b6"), (700, "#c9c3b6"),
         (420, "#c9c3b6"), (0, ""), (680, "#dedad1"), (560, "#dedad1")]


def page_html() -> str:
    bars = "".join(f'<div class="bar" style="width:{w}px;background:{c}"></div>' if w else '<div class="gap"></div>'
                   for w, c in LINES)
    return f"""<!DOCTYPE html><html dir="rtl"><head><style>
      html, body {{ margin: 0; width: 1200px; height: 630px; background: #fbfaf7; overflow: hidden; }}
      .frame {{ position: absolute; inset: 0; border-inline-start: 28px solid #145c8f; }}
      .text {{ position: absolute; inset-inline-start: 130px; inset-block-start: 110px; display: flex;
               flex-direction: column; align-items: flex-start; gap: 22px; }}
      .bar {{ height: 22px; border-radius: 11px; }}
      .gap {{ height: 8px; }}
      .mark {{ position: absolute; inset-inline-end: 110px; inset-block-end: 90px; width: 120px; height: 120px;
               border-radius: 28px; background: #145c8f; display: flex; flex-direction: column;
               align-items: flex-start; justify-content: center; gap: 13px; padding-inline-start: 26px;
               box-sizing: border-box; }}
      .mark i {{ display: block; height: 12px; border-radius: 6px; background: #fbfaf7; }}
    </style></head><body><div class="frame"></div><div class="text">{bars}</div>
    <div class="mark"><i style="width:68px"></i><i style="width:52px"></i><i style="width:36px"></i></div>
    </body></html>"""


def main() -> None:
    with launch() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(page_html())
        page.screenshot(path=str(OUTPUT), type="png")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
