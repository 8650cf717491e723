"""The daily report against a hand-checked day."""

import csv
import io
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from kiosk.app import open_context
from kiosk.core import booking_code
from kiosk.reports.daily import Durations, daily_report
from kiosk.reports.render import to_csv, to_html, write
from kiosk.services import call_next, check_in, finish, no_show, start_serving, walk_in
from kiosk.store import Booking
from tests.conftest import book, wib


@pytest.fixture
def fixture_day(ctx, clock):
    """GIVEN 2026-12-01: five bookings, two walk-ins, two counters (times in WIB)."""
    clock.set(wib(2026, 11, 30, 12, 0))
    codes = [book(ctx, slot="10:00", name=n) for n in ("Satu", "Dua", "Tiga")]
    codes += [book(ctx, slot="11:00", name=n) for n in ("Empat", "Lima")]
    with ctx.db.write() as s:
        s.scalars(select(Booking).where(Booking.code == codes[4])).one().status = "cancelled"
    steps = [
        ((7, 50), lambda: check_in(ctx, codes[0])),  # too early
        ((8, 10), lambda: check_in(ctx, codes[0])),  # A001
        ((8, 20), lambda: check_in(ctx, codes[1])),  # A002
        ((8, 30), lambda: walk_in(ctx, "lansia", birth=date(1950, 1, 1))),  # B001
        ((8, 40), lambda: walk_in(ctx, "ibu_hamil")),  # B002
        ((9, 0), lambda: call_next(ctx, 1)),  # B001, waited 30
        ((9, 0), lambda: start_serving(ctx, 1)),  # served, so the next call closes it as done
        ((9, 5), lambda: call_next(ctx, 2)),  # A001, waited 55
        ((9, 10), lambda: call_next(ctx, 1)),  # B001 done (10 min), B002 called, waited 30
        ((9, 20), lambda: finish(ctx, 2)),  # A001 served 15 min
        ((9, 25), lambda: call_next(ctx, 2)),  # A002, waited 65
        ((9, 30), lambda: no_show(ctx, 2)),
        ((9, 40), lambda: finish(ctx, 1)),  # B002 served 30 min
        ((9, 45), lambda: check_in(ctx, codes[2])),  # void
    ]
    for (hh, mm), step in steps:
        clock.set(wib(2026, 12, 1, hh, mm))
        step()
    return ctx


def test_figures_match_the_hand_checked_day(fixture_day):
    r = daily_report(fixture_day, date(2026, 12, 1))
    assert (r.bookings, r.checked_in, r.void, r.cancelled, r.not_arrived) == (5, 2, 1, 1, 1)
    assert (r.too_early_attempts, r.too_early_bookings, r.no_shows) == (1, 1, 1)
    assert r.walk_ins == {"lansia": 1, "ibu_hamil": 1}
    assert r.tickets_per_service == {"A": 2, "B": 2}
    assert r.waiting == {"A": Durations(2, 60.0, 60.0, 65.0), "B": Durations(2, 30.0, 30.0, 30.0)}
    assert r.service_time == {1: Durations(2, 20.0, 20.0, 30.0), 2: Durations(1, 15.0, 15.0, 15.0)}
    assert r.arrivals_per_hour == {8: 4} and r.calls_per_hour == {9: 4}
    assert [d.tickets for d in r.week] == [0, 0, 0, 0, 0, 0, 4] and r.week[-1].served == 3  # A001, B001, B002; A002 was a no-show
    assert r.week_trend == pytest.approx(12 / 28, abs=0.01)


def test_report_is_the_same_from_a_fresh_process_view(fixture_day, tmp_path):
    again = open_context(fixture_day.config, db_url=str(fixture_day.db.url.render_as_string(hide_password=False)),
                         clock=fixture_day.clock)
    try:
        assert daily_report(again, date(2026, 12, 1)) == daily_report(fixture_day, date(2026, 12, 1))
    finally:
        again.close()


def test_formats(fixture_day, tmp_path):
    r = daily_report(fixture_day, date(2026, 12, 1))
    rows = list(csv.DictReader(io.StringIO(to_csv(r))))
    assert {"kantor": "JKP", "tanggal": "2026-12-01", "bagian": "Booking", "item": "hangus (terlambat)",
            "ukuran": "jumlah", "nilai": "1"} in rows
    page = to_html(r)
    assert "Laporan harian" in page and "Selasa, 1 Desember 2026" in page and "09.00" in page
    pdf = tmp_path / "r.pdf"
    write(r, "pdf", pdf)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000


def test_an_empty_day(ctx):
    r = daily_report(ctx, date(2026, 12, 1))
    assert r.bookings == 0 and r.waiting == {} and r.week_trend == 0.0
    assert "Belum ada kedatangan" in to_html(r)
