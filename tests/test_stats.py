"""`sitegen stats` on tests/sites/stats, a fixed-clock blog with known gaps: posts in January, February, April,
August, September and November 2025 (March, May to July, October and December missed), a draft in October, a post
dated March 2026 left out, and `cadence: monthly`. Golden text, JSON for scripts, and the SVG parsed with lxml."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from sitegen.site.stats import _cadence

from .helpers import ROOT, UPDATE_GOLDEN, edit, run_cli

NOW = "2026-01-20"
GOLDEN = ROOT / "tests" / "sites" / "stats" / "expected.txt"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def site(site_copy) -> Path:
    return site_copy("stats")


def stats(site: Path, *args: str, epoch: str = "0") -> str:
    code, stdout, stderr = run_cli("stats", "--source", site, *args, epoch=epoch)
    assert code == 0, stderr
    return stdout


def test_the_report_matches_its_golden_text(site: Path) -> None:
    text = stats(site, "--now", NOW)
    if UPDATE_GOLDEN:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_source_date_epoch_is_the_clock_without_now(site: Path) -> None:
    epoch = str(int(datetime(2026, 1, 20, tzinfo=UTC).timestamp()))
    assert stats(site, epoch=epoch) == GOLDEN.read_text(encoding="utf-8")


def test_json_gives_the_same_numbers(site: Path) -> None:
    data = json.loads(stats(site, "--now", NOW, "--json"))
    assert (data["posts"], data["words"], data["minutes"]) == (7, 73, 7)
    assert [(gap["days"], gap["after"]["title"], gap["before"]["date"]) for gap in data["gaps"]] == [
        (140, "العودة بعد غياب", "2025-08-20"), (90, "Writing every month", "2025-11-30"),
        (47, "A career in B2B", "2025-04-02")]
    assert data["months"][:3] == [{"month": "2025-01", "posts": 2}, {"month": "2025-02", "posts": 1},
                                  {"month": "2025-03", "posts": 0}]
    assert len(data["months"]) == 13 and data["since_last"] == 51
    assert data["cadence"] == {"every": "monthly", "missed": ["2025-03", "2025-05", "2025-06", "2025-07", "2025-10",
                                                              "2025-12"], "due": "2026-01-31", "overdue": True}
    assert [(row["key"], row["posts"]) for row in data["languages"]] == [("ar", 5), ("en", 2)]
    assert [(row["key"], row["posts"]) for row in data["tags"]] == [("علاقات", 3), ("career", 2), ("مهنة", 2)]


def test_drafts_count_only_when_asked(site: Path) -> None:
    data = json.loads(stats(site, "--now", NOW, "--json", "--drafts"))
    assert data["posts"] == 8 and "2025-10" not in data["cadence"]["missed"]


def test_a_post_this_month_moves_the_due_date_to_next_month(site: Path) -> None:
    edit(site / "content/posts/09-future.md", "date: 2026-03-01", "date: 2026-01-15")
    data = json.loads(stats(site, "--now", NOW, "--json"))
    assert data["cadence"]["due"] == "2026-02-28" and data["cadence"]["missed"][-1] == "2025-12"


def test_weekly_cadence_names_iso_weeks() -> None:
    days = [date(2025, 12, 1), date(2025, 12, 3), date(2025, 12, 22)]  # weeks 49 and 52; 50 and 51 missed
    cadence = _cadence("weekly", days, date(2026, 1, 7))  # week 2 of 2026, a Wednesday
    assert cadence.missed == ("2025-W50", "2025-W51", "2026-W01")
    assert cadence.due == date(2026, 1, 11) and cadence.overdue


def test_no_cadence_configured_reports_none(site: Path) -> None:
    edit(site / "sitegen.yaml", "cadence: monthly\n", "")
    text = stats(site, "--now", NOW)
    assert "Cadence" not in text and text.startswith("7 posts, 73 words")


def test_an_unknown_cadence_is_a_configuration_error(site: Path) -> None:
    edit(site / "sitegen.yaml", "cadence: monthly", "cadence: daily")
    code, _, err = run_cli("stats", "--source", site, "--now", NOW)
    assert code == 1 and "sitegen.yaml:5: error: cadence 'daily' is not one sitegen knows" in err


def test_a_bad_now_is_a_usage_error(site: Path) -> None:
    code, _, err = run_cli("stats", "--source", site, "--now", "tomorrow")
    assert code == 2 and "'tomorrow' is not a date" in err


def test_the_svg_is_valid_titled_and_right_to_left(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.svg"
    stats(site, "--now", NOW, "--svg", out)
    root = etree.parse(str(out)).getroot()
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert root.find(f"{SVG}title").text == "المقالات في كل شهر"
    bars = root.findall(f"{SVG}g")
    labels = [bar.find(f"{SVG}title").text for bar in bars]
    assert len(bars) == 13
    assert labels[:3] == ["يناير 2025: مقالان", "فبراير 2025: مقال واحد", "مارس 2025: لا مقالات"]
    xs = [int(bar.find(f"{SVG}rect").get("x")) for bar in bars]
    assert xs == sorted(xs, reverse=True)  # right to left: the first month on the right
    heights = [int(bar.find(f"{SVG}rect").get("height")) for bar in bars]
    assert heights[0] == 2 * heights[1] and heights[2] == 1  # two posts, one, none (a hairline)
    assert all(text.get("direction") == "rtl" for text in root.iter(f"{SVG}text"))


def test_an_english_blog_runs_left_to_right(site: Path, tmp_path: Path) -> None:
    edit(site / "sitegen.yaml", "language: ar", "language: en")
    out = tmp_path / "chart.svg"
    stats(site, "--now", NOW, "--svg", out)
    root = etree.parse(str(out)).getroot()
    bars = root.findall(f"{SVG}g")
    assert bars[0].find(f"{SVG}title").text == "January 2025: 2 posts"
    xs = [int(bar.find(f"{SVG}rect").get("x")) for bar in bars]
    assert xs == sorted(xs)
    assert not any(text.get("direction") for text in root.iter(f"{SVG}text"))


def test_an_empty_blog_says_so(tmp_path: Path) -> None:
    (tmp_path / "sitegen.yaml").write_text("title: t\n")
    assert stats(tmp_path, "--now", NOW) == "no published posts yet\n"
