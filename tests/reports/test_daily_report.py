"""The daily report against a hand-checked day (every figure below is worked out by hand
from the fixture's timeline, not read back from the code)."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from kiosk.app import open_context
from kiosk.reports.daily import (
    CategoryRow, CounterRow, DayTotals, Durations, HourRow, ServiceRow, daily_report, working_days,
)
from kiosk.services import call_next, check_in, finish, no_show, start_serving, walk_in
from kiosk.store import Booking
from tests.conftest import WIB, book, wib

DAY = date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def fixture_day(ctx, clock):
    """GIVEN 2026-12-01: six bookings, three walk-ins, two counters (times in WIB)."""
    clock.set(wib(2026, 11, 30, 12, 0))
    codes = [book(ctx, slot="10:00", name=n) for n in ("Satu", "Dua", "Tiga")]
    codes += [book(ctx, slot="11:00", name=n) for n in ("Empat", "Lima")]
    codes.append(book(ctx, slot="18:35", name="Enam"))  # may check in until 18:05
    with ctx.db.write() as s:
        s.scalars(select(Booking).where(Booking.code == codes[4])).one().status = "cancelled"
    steps = [
        ((7, 50), lambda: check_in(ctx, codes[0])),  # too early
        ((8, 10), lambda: check_in(ctx, codes[0])),  # A001
        ((8, 20), lambda: check_in(ctx, codes[1])),  # A002
        ((8, 30), lambda: walk_in(ctx, "lansia", birth=date(1950, 1, 1))),  # B001
        ((8, 40), lambda: walk_in(ctx, "ibu_hamil")),  # B002
        ((9, 0), lambda: call_next(ctx, 1)),  # B001 to loket 1, waited 30
        ((9, 0), lambda: start_serving(ctx, 1)),  # served, so the next call closes it as done
        ((9, 5), lambda: call_next(ctx, 2)),  # A001 to loket 2, waited 55
        ((9, 10), lambda: call_next(ctx, 1)),  # B001 done (10 min), B002 called, waited 30
        ((9, 20), lambda: finish(ctx, 2)),  # A001 served 15 min
        ((9, 25), lambda: call_next(ctx, 2)),  # A002, waited 65
        ((9, 30), lambda: no_show(ctx, 2)),
        ((9, 40), lambda: finish(ctx, 1)),  # B002 served 30 min
        ((9, 45), lambda: check_in(ctx, codes[2])),  # void
        ((15, 30), lambda: walk_in(ctx, "disabilitas")),  # B003, still waiting at 15:46
    ]
    for (hh, mm), step in steps:
        clock.set(wib(2026, 12, 1, hh, mm))
        step()
    clock.set(wib(2026, 12, 1, 15, 46))
    return ctx


def test_the_day_at_a_glance_at_15_46(fixture_day):
    r = daily_report(fixture_day, DAY)
    assert r.as_of == wib(2026, 12, 1, 15, 46) and r.in_progress
    assert (r.bookings, r.checked_in, r.void, r.cancelled) == (6, 2, 1, 1)
    # Empat (11:00, window closed 10:30) did not come; Enam (18:35) may still come until 18:05.
    assert (r.not_arrived, r.booked_no_show, r.still_expected) == (2, 1, 1)
    assert (r.too_early_attempts, r.too_early_bookings, r.no_shows) == (1, 1, 1)
    assert (r.arrived, r.served, r.waiting_now) == (5, 3, 1)  # A001 B001 B002 served; B003 waits
    assert (r.priority_used, r.priority_quota) == (3, 30)


@pytest.mark.parametrize(("hh", "mm", "ss", "no_show", "expected"), [
    (10, 30, 0, 0, 2),  # Empat's last accepted moment: not a no-show yet
    (10, 30, 1, 1, 1),
    (18, 5, 0, 1, 1),  # Enam's last accepted moment
    (18, 5, 1, 2, 0),
])
def test_a_booking_is_a_no_show_only_once_its_window_has_closed(fixture_day, hh, mm, ss, no_show, expected):
    r = daily_report(fixture_day, DAY, now=datetime(2026, 12, 1, hh, mm, ss, tzinfo=WIB))
    assert (r.booked_no_show, r.still_expected) == (no_show, expected)


def test_a_past_day_is_reported_as_of_its_end(fixture_day, clock):
    clock.set(wib(2026, 12, 3, 8, 0))
    r = daily_report(fixture_day, DAY)
    assert r.as_of == wib(2026, 12, 2, 0, 0) and not r.in_progress
    assert (r.booked_no_show, r.still_expected, r.waiting_now) == (2, 0, 1)


def test_per_service_hour_counter_and_category(fixture_day):
    r = daily_report(fixture_day, DAY)
    assert r.services == [
        ServiceRow("A", 2, 1, Durations(2, 60.0, 60.0, 65.0), Durations(1, 15.0, 15.0, 15.0)),
        ServiceRow("B", 3, 2, Durations(2, 30.0, 30.0, 30.0), Durations(2, 20.0, 20.0, 30.0)),
    ]
    # Waits by hour of arrival: 08h arrivals waited 55, 65, 30 and 30 minutes.
    assert r.hours[0] == HourRow(8, 4, 0, 45.0, 65.0)
    assert r.hours[1] == HourRow(9, 0, 4, None, None)
    assert [h.hour for h in r.hours] == list(range(8, 16)) and r.hours[-1] == HourRow(15, 1, 0, None, None)
    assert all(h == HourRow(h.hour, 0, 0, None, None) for h in r.hours[2:-1])
    # Loket 1 was busy 09:00-09:40 without a gap; loket 2 09:05-09:20 and 09:25-09:30.
    assert r.counters == [CounterRow(1, 2, Durations(2, 20.0, 20.0, 30.0), 0.0),
                          CounterRow(2, 1, Durations(1, 15.0, 15.0, 15.0), 5.0)]
    assert r.categories == [CategoryRow("lansia", 1, 1, Durations(1, 30.0, 30.0, 30.0)),
                            CategoryRow("disabilitas", 1, 0, Durations(0, None, None, None)),
                            CategoryRow("ibu_hamil", 1, 1, Durations(1, 30.0, 30.0, 30.0))]
    # The figures the simulation's own ledger checks stay as they were.
    assert r.walk_ins == {"lansia": 1, "ibu_hamil": 1, "disabilitas": 1}
    assert r.tickets_per_service == {"A": 2, "B": 3}
    assert r.waiting == {"A": Durations(2, 60.0, 60.0, 65.0), "B": Durations(2, 30.0, 30.0, 30.0)}
    assert r.service_time == {1: Durations(2, 20.0, 20.0, 30.0), 2: Durations(1, 15.0, 15.0, 15.0)}
    assert r.arrivals_per_hour == {8: 4, 15: 1} and r.calls_per_hour == {9: 4}


def test_a_counter_serving_now_is_busy_until_now(fixture_day, clock):
    clock.set(wib(2026, 12, 1, 15, 50))
    call_next(fixture_day, 2)  # B003 at loket 2 from 15:50
    r = daily_report(fixture_day, DAY, now=wib(2026, 12, 1, 16, 0))
    # loket 2: busy 09:05-09:20, 09:25-09:30, 15:50-16:00; the span is 09:05-16:00 (415 min)
    assert r.counters[1] == CounterRow(2, 1, Durations(1, 15.0, 15.0, 15.0), 415.0 - 15 - 5 - 10)
    assert r.waiting_now == 0


def test_the_last_seven_working_days_skip_weekends_and_holidays(make_ctx, clock):
    ctx = make_ctx(intake={"holidays": ["2026-11-26"]})
    assert working_days(ctx, DAY) == [date(2026, 11, d) for d in (20, 23, 24, 25, 27, 30)] + [DAY]
    six_days = make_ctx(intake={"service_days": ["mon", "tue", "wed", "thu", "fri", "sat"]})
    assert working_days(six_days, DAY) == [date(2026, 11, d) for d in (24, 25, 26, 27, 28, 30)] + [DAY]


def _walk_ins(ctx, clock, day: date, times: list[tuple[int, int]]) -> None:
    for hh, mm in times:
        clock.set(wib(day.year, day.month, day.day, hh, mm))
        walk_in(ctx, "ibu_hamil")


def test_the_week_compares_with_the_same_weekday_up_to_the_same_time(fixture_day, clock):
    # GIVEN last Tuesday: four tickets before 15:46 and one after
    _walk_ins(fixture_day, clock, date(2026, 11, 24), [(8, 0), (8, 5), (9, 0), (10, 0), (16, 30)])
    # WHEN today's report is taken at 15:46 (five tickets so far)
    r = daily_report(fixture_day, DAY, now=wib(2026, 12, 1, 15, 46))
    # THEN the week lists working days only, whole days, and the trend compares 5 with 4
    assert [d.day for d in r.week] == [date(2026, 11, d) for d in (23, 24, 25, 26, 27, 30)] + [DAY]
    assert r.week[1] == DayTotals(date(2026, 11, 24), 5, 0, None) and r.week[-1].tickets == 5
    assert r.week[-1].served == 3
    assert (r.trend.tickets, r.trend.base, r.trend.base_day) == (5, 4, date(2026, 11, 24))
    assert r.trend.change_percent == 25
    # and the day over, all five of last Tuesday count: 5 against 5
    later = daily_report(fixture_day, DAY, now=wib(2026, 12, 2, 9, 0))
    assert later.trend.base == 5 and later.trend.change_percent == 0 and later.trend.until is None


def test_without_last_week_the_trend_is_over_the_average_of_the_other_days(make_ctx, clock):
    ctx = make_ctx(intake={"holidays": ["2026-11-24"]})
    _walk_ins(ctx, clock, date(2026, 11, 25), [(8, 0), (8, 10), (8, 20)])
    _walk_ins(ctx, clock, date(2026, 11, 27), [(8, 0), (8, 10), (8, 20)])
    _walk_ins(ctx, clock, DAY, [(8, 0), (8, 10)])
    r = daily_report(ctx, DAY, now=wib(2026, 12, 2, 6, 0))
    # the six working days before: 20, 23, 25, 26, 27, 30 November, six tickets in all
    assert (r.trend.base_day, r.trend.base_days, r.trend.base) == (None, 6, 1.0)
    assert r.trend.change_percent == 100


def test_report_is_the_same_from_a_fresh_process_view(fixture_day):
    again = open_context(fixture_day.config, db_url=str(fixture_day.db.url.render_as_string(hide_password=False)),
                         clock=fixture_day.clock)
    try:
        assert daily_report(again, DAY) == daily_report(fixture_day, DAY)
    finally:
        again.close()


def test_an_empty_day(ctx):
    r = daily_report(ctx, DAY)
    assert r.bookings == 0 and r.waiting == {} and r.hours == [] and r.counters == []
    assert r.trend is not None and r.trend.change_percent is None
    assert [d.tickets for d in r.week] == [0] * 7


def test_a_closed_day_has_no_trend(ctx):
    r = daily_report(ctx, date(2026, 12, 5))  # a Saturday
    assert r.trend is None and r.week[-1].day == date(2026, 12, 4)


def test_the_report_taken_now_agrees_with_the_desk_today_tab(fixture_day):
    from kiosk.services.today import today_overview

    r, today = daily_report(fixture_day, DAY), today_overview(fixture_day)
    assert sum(s.waiting for s in today.services) == r.waiting_now == 1
    assert sum(s.checked_in for s in today.services) == r.arrived == 5
    assert sum(s.void for s in today.services) == r.void == 1
    assert today.priority_quota_left == r.priority_quota - r.priority_used == 27
