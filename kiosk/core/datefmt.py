"""Dates and times in each language's own form.

Indonesian: "Selasa, 1 Desember 2026", "09.30", "Selasa, 1 Desember 2026, 09.30";
English: "Tuesday, 1 December 2026", "09:30", "Tuesday, 1 December 2026, 09:30".
``language`` is "id" (the default) or "en"; anything else reads as Indonesian. The pure
core takes the language as an argument; screens, messages and commands use the wrappers
in :mod:`kiosk.i18n`, which pass the language :func:`kiosk.i18n.tr` answers in.
"""

from __future__ import annotations

from datetime import date, datetime, time

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


def _names(language: str) -> tuple[list[str], list[str]]:
    return (DAYS_EN, MONTHS_EN) if language == "en" else (DAYS, MONTHS)


def long_date(d: date, language: str = "id") -> str:
    days, months = _names(language)
    return f"{days[d.weekday()]}, {d.day} {months[d.month - 1]} {d.year}"


def short_date(d: date, language: str = "id") -> str:
    _, months = _names(language)
    return f"{d.day} {months[d.month - 1]} {d.year}"


def clock_time(t: time | datetime, language: str = "id") -> str:
    """Indonesian style uses a dot (09.30), English a colon (09:30)."""
    return f"{t.hour:02d}{':' if language == 'en' else '.'}{t.minute:02d}"


def date_time(at: datetime, language: str = "id") -> str:
    """The long date and the clock time: "Selasa, 1 Desember 2026, 16.35"."""
    return f"{long_date(at.date(), language)}, {clock_time(at, language)}"
