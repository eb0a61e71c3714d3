"""Dates in the Hijri calendar as Saudi Arabia's Umm al-Qura calendar reckons them, by `hijridate` (its tables cover
1343-1500 AH, 1924-2077 CE), with the month's name in Arabic or in an English transliteration."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ERA = {"ar": "هـ", "en": "AH"}
"""The era's mark after the year: 'هـ' (hijriyya) in Arabic, 'AH' (anno Hegirae) in every other language."""


@lru_cache(maxsize=4096)
def hijri_date(day: date, lang: str, numerals: str = "latin") -> str:
    """`day` in the Umm al-Qura calendar: '1 رمضان 1447 هـ', '1 Ramadan 1447 AH'; with `numerals` 'arabic', an
    Arabic page gets Arabic-Indic digits ('١ رمضان ١٤٤٧ هـ'; a page in another language keeps 0-9, as its
    Gregorian dates do). '' for a day outside the calendar's tables."""
    from hijridate import Gregorian  # loads its tables: only sites that show Hijri dates pay for it

    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return ""
    base = lang.split("-")[0].split("_")[0]
    month = hijri.month_name("ar" if base == "ar" else "en")
    text = f"{hijri.day} {month} {hijri.year} {ERA.get(base, ERA['en'])}"
    return text.translate(ARABIC_INDIC) if numerals == "arabic" and base == "ar" else text
