"""The office's booking rules from config: horizon, service days, slots, hours, age."""

from datetime import date, datetime, time

import pytest

from kiosk.booking.rules import BirthProblem, DateProblem, IntakeRules
from kiosk.config import IntakeSettings

TODAY = date(2026, 12, 1)  # a Tuesday


def rules(**changes) -> IntakeRules:
    return IntakeRules.from_settings(IntakeSettings(**changes))


def test_default_slots_every_30_minutes_from_0800_to_1430():
    r = rules()
    assert r.slots[0] == time(8, 0) and r.slots[-1] == time(14, 30) and len(r.slots) == 14
    # 14 x 11 = 154 places, the quota of 150 binds first: full at 150 with a slot still open
    full = {slot: 11 for slot in r.slots[:13]} | {r.slots[13]: 7}
    assert sum(full.values()) == 150 and r.pick_slot(full) is None
    assert r.pick_slot({**full, r.slots[13]: 6}) == r.slots[13]


@pytest.mark.parametrize("day,problem", [
    (date(2026, 11, 30), DateProblem.IN_PAST),  # yesterday
    (date(2026, 12, 1), DateProblem.TOO_SOON),  # today
    (date(2026, 12, 2), None),  # tomorrow, first bookable
    (date(2026, 12, 31), None),  # +30 days
    (date(2027, 1, 1), DateProblem.TOO_FAR),  # +31 days
    (date(2026, 12, 5), DateProblem.NOT_SERVICE_DAY),  # Saturday
    (date(2026, 12, 6), DateProblem.NOT_SERVICE_DAY),  # Sunday
])
def test_arrival_dates_inside_the_horizon_on_service_days(day, problem):
    assert rules().check_arrival(day, TODAY) is problem


def test_holidays_are_not_service_days():
    r = rules(holidays=["2026-12-25"])
    assert r.check_arrival(date(2026, 12, 25), TODAY) is DateProblem.NOT_SERVICE_DAY
    assert date(2026, 12, 25) not in list(r.bookable_days(TODAY))


def test_birth_in_the_past_and_at_most_120_years_ago():
    r = rules()
    assert r.check_birth(TODAY, TODAY) is BirthProblem.NOT_IN_PAST
    assert r.check_birth(date(2026, 11, 30), TODAY) is None
    assert r.check_birth(date(1906, 12, 1), TODAY) is None  # exactly 120 years
    assert r.check_birth(date(1906, 11, 30), TODAY) is BirthProblem.TOO_OLD


def test_birth_limit_on_29_february():
    # GIVEN today is 29 Feb 2020: 120 years earlier, 1900, was not a leap year
    assert rules().check_birth(date(1900, 2, 28), date(2020, 2, 29)) is None
    assert rules().check_birth(date(1900, 2, 27), date(2020, 2, 29)) is BirthProblem.TOO_OLD
    assert rules().check_birth(date(1908, 2, 29), date(2028, 2, 29)) is None


def test_earliest_slot_with_room_and_the_quota():
    r = rules(slot_capacity=2, daily_quota=5)
    assert r.pick_slot({}) == time(8, 0)
    assert r.pick_slot({time(8, 0): 2}) == time(8, 30)
    assert r.pick_slot({time(8, 0): 2, time(8, 30): 1}) == time(8, 30)
    assert r.pick_slot({time(8, 0): 2, time(8, 30): 2, time(9, 0): 1}) is None  # quota of 5 reached


def test_registration_hours():
    r = rules(registration_hours="07:30-10:00")
    assert not r.registration_open(datetime(2026, 12, 1, 7, 29))
    assert r.registration_open(datetime(2026, 12, 1, 7, 30))
    assert r.registration_open(datetime(2026, 12, 1, 9, 59))
    assert not r.registration_open(datetime(2026, 12, 1, 10, 0))
    assert rules().registration_open(datetime(2026, 12, 1, 23, 59))
