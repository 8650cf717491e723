"""Dates and times the Indonesian way: "Selasa, 1 Desember 2026", "09.30"."""

from __future__ import annotations

from datetime import date, datetime, time

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]


def long_date(d: date) -> str:
    return f"{DAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def clock_time(t: time | datetime) -> str:
    """Indonesian style uses a dot: 09.30."""
    return f"{t.hour:02d}.{t.minute:02d}"
