"""Hijri dates (the Umm al-Qura calendar) beside the Gregorian ones.

Known dates, from the Umm al-Qura calendar as Saudi Arabia publishes it (the tables `hijridate` ships,
hijridate/ummalqura.py, are the Umm al-Qura calendar's month starts; the dates below are also those the Saudi
government announced): 1 Ramadan 1445 = 11 March 2024, 1 Ramadan 1446 = 1 March 2025, 1 Muharram 1447 = 26 June
2025, 1 Ramadan 1447 = 18 February 2026, 1 Shawwal 1447 = 20 March 2026.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitegen.render.hijri import hijri_date

from .helpers import build_ok

KNOWN = [
    (date(2024, 3, 11), "1 رمضان 1445 هـ", "1 Ramadan 1445 AH"),
    (date(2025, 3, 1), "1 رمضان 1446 هـ", "1 Ramadan 1446 AH"),
    (date(2025, 6, 26), "1 محرم 1447 هـ", "1 Muharram 1447 AH"),
    (date(2026, 2, 18), "1 رمضان 1447 هـ", "1 Ramadan 1447 AH"),
    (date(2026, 2, 17), "29 شعبان 1447 هـ", "29 Sha'ban 1447 AH"),
    (date(2026, 3, 20), "1 شوال 1447 هـ", "1 Shawwal 1447 AH"),
    (date(2025, 6, 6), "10 ذو الحجة 1446 هـ", "10 Dhu al-Hijjah 1446 AH"),
]


@pytest.mark.parametrize(("day", "arabic", "english"), KNOWN)
def test_known_umm_al_qura_dates(day: date, arabic: str, english: str) -> None:
    assert hijri_date(day, "ar") == arabic
    assert hijri_date(day, "en") == english
    assert hijri_date(day, "fr") == english, "other languages get the English transliteration"


def test_arabic_indic_digits_on_arabic_pages_only() -> None:
    assert hijri_date(date(2026, 2, 18), "ar", "arabic") == "١ رمضان ١٤٤٧ هـ"
    assert hijri_date(date(2026, 2, 18), "ar-SA", "arabic") == "١ رمضان ١٤٤٧ هـ"
    assert hijri_date(date(2026, 2, 18), "en", "arabic") == "1 Ramadan 1447 AH"


def test_every_month_has_its_arabic_name() -> None:
    names = [hijri_date(day, "ar").split(" ", 1)[1].rsplit(" ", 2)[0]
             for day in (date(2025, 6, 26 + 0), date(2025, 7, 26), date(2025, 8, 24), date(2025, 9, 23),
                         date(2025, 10, 23), date(2025, 11, 22), date(2025, 12, 22), date(2026, 1, 20),
                         date(2026, 2, 18), date(2026, 3, 20), date(2026, 4, 18), date(2026, 5, 18))]
    assert names == ["محرم", "صفر", "ربيع الأول", "ربيع الثاني", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
                     "رمضان", "شوال", "ذو القعدة", "ذو الحجة"]


def test_a_day_outside_the_calendars_tables_shows_no_hijri_date() -> None:
    assert hijri_date(date(1900, 1, 1), "ar") == ""
    assert hijri_date(date(2100, 1, 1), "en") == ""


def _site(tmp_path: Path, config: str) -> Path:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "sitegen.yaml").write_text("title: مدونة\nbase_url: https://b.example/\nlanguage: ar\n" + config,
                                       encoding="utf-8")
    (site / "content/posts/a.md").write_text("---\ntitle: أ\ndate: 2025-03-01\n---\nنص.\n", encoding="utf-8")
    (site / "content/posts/b.md").write_text("---\ntitle: B\ndate: 2025-06-26\nlang: en\n---\nText.\n",
                                             encoding="utf-8")
    return site


def test_pages_show_the_hijri_date_beside_the_gregorian_when_configured(tmp_path: Path) -> None:
    site = _site(tmp_path, "hijri: true\nhijri_numerals: arabic\n")
    build_ok("--source", site)
    arabic = (site / "public/posts/a/index.html").read_text(encoding="utf-8")
    assert ">1 مارس 2025 (١ رمضان ١٤٤٦ هـ)</time>" in arabic
    english = (site / "public/posts/b/index.html").read_text(encoding="utf-8")
    assert ">June 26, 2025 (1 Muharram 1447 AH)</time>" in english
    archive = (site / "public/archive/index.html").read_text(encoding="utf-8")
    assert "هـ" not in archive, "a short date ('d MMMM') stays Gregorian only"


def test_without_configuration_dates_stay_gregorian(tmp_path: Path) -> None:
    site = _site(tmp_path, "")
    build_ok("--source", site)
    assert ">1 مارس 2025</time>" in (site / "public/posts/a/index.html").read_text(encoding="utf-8")
