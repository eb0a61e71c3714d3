"""The email loop on the repository's own sample blog, as its author would run it: a Gmail export holding two replies
to one of its posts is added, listed, accepted and built, through the real command line, and the replies are on the
post's page without their quoted text, signature or sender's address."""

from __future__ import annotations

import shutil
from pathlib import Path

from .helpers import ROOT, SAMPLE_EPOCH, run_sitegen, strict_html

MBOX = ROOT / "tests" / "fixtures" / "mail" / "gmail_sample_blog.mbox"
SLUG = "بناء-علاقات-تقنية-حقيقية"


def test_an_emailed_reply_reaches_the_sample_blogs_page(tmp_path: Path) -> None:
    site = tmp_path / "blog"
    site.mkdir()
    shutil.copy(ROOT / "sitegen.yaml", site)
    for folder in ("content", "themes"):
        shutil.copytree(ROOT / folder, site / folder, ignore=shutil.ignore_patterns("_pending.*", "_mentions.yaml"))

    def sitegen(*args: str | Path) -> str:
        done = run_sitegen(*args, cwd=site, epoch=SAMPLE_EPOCH)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        return done.stdout

    assert sitegen("replies", "add", MBOX) == "added 2 new replies; `sitegen replies` lists them\n"
    listed = sitegen("replies").splitlines()
    heads = [line for line in listed if line.startswith("em-")]
    assert [line.split("  ")[1:] for line in heads] == [  # the first by the URL in its body, the second by subject
        ["2026-12-01 19:20", SLUG, "سارة العلي <sara.ali@example.net>"],
        ["2026-12-02 10:41", SLUG, "سارة العلي <sara.ali@example.net>"]]
    assert listed[listed.index(heads[1]) + 1:] == ["    وسؤال آخر: كيف أتابع مع من تعرّفت عليهم دون أن أبدو مُلحّة؟"]
    ids = [line.split()[0] for line in heads]
    accepted = sitegen("replies", "accept", *ids).splitlines()
    assert [line.split(" -> ")[1].rsplit("-", 1)[0] for line in accepted] == [
        f"content/replies/{SLUG}/2026-12-01-سارة-العلي", f"content/replies/{SLUG}/2026-12-02-سارة-العلي"]
    assert sitegen("replies") == "no replies waiting\n"
    assert sitegen("build").startswith("built ")

    html = (site / "public" / "posts" / SLUG / "index.html").read_text(encoding="utf-8")
    page = strict_html(html.encode())
    replies = [element for element in page.iter("article") if "reply" in (element.get("class") or "").split()]
    authors = [" ".join("".join(r.find("h3").itertext()).split()).split(" · ")[0] for r in replies]
    assert authors == ["ريم", "Omar Haddad", "سارة العلي", "سارة العلي"]  # oldest first, after the two already there
    texts = [" ".join("".join(r.find("div").itertext()).split()) for r in replies[2:]]
    assert texts == ["شكرًا على هذا المقال. أعجبتني فكرة أن العلاقة تبدأ بالعطاء قبل الطلب، وجرّبتها في لقاء "
                     "المطورين الأخير فنجحت.",
                     "وسؤال آخر: كيف أتابع مع من تعرّفت عليهم دون أن أبدو مُلحّة؟"]
    heading = " ".join("".join(page.find(".//*[@id='replies-title']").itertext()).split())
    assert heading == "الردود (4 ردود)"
    for private in ("sara.ali@example.net", "sara.example.net", "أهلًا سارة", "author@example.com>", "-- "):
        assert private not in "".join(page.find(".//*[@id='replies']").itertext()), private
