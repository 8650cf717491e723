"""The office's booking rules, from ``[intake]`` in the config (pure: today is passed in).

Which dates can be booked (horizon, service days, holidays), which slots a day has and
how many fit in each, and when messages are taken (registration hours).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from kiosk.config import IntakeSettings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_AGE_YEARS = 120


class DateProblem(StrEnum):
    IN_PAST = "date_in_past"  # yesterday or earlier
    TOO_SOON = "too_soon"  # today (or before the horizon starts)
    TOO_FAR = "too_far"  # after the horizon
    NOT_SERVICE_DAY = "not_service_day"  # weekend or holiday


class BirthProblem(StrEnum):
    NOT_IN_PAST = "birth_not_in_past"
    TOO_OLD = "birth_too_old"


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 Feb → 28 Feb in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class IntakeRules:
    message_format: str
    service_days: frozenset[int]  # date.weekday() numbers
    holidays: frozenset[date]
    daily_quota: int
    slots: tuple[time, ...]
    slot_capacity: int
    horizon_min_days: int
    horizon_max_days: int
    registration_hours: tuple[time, time] | None

    @classmethod
    def from_settings(cls, s: IntakeSettings) -> IntakeRules:
        first, last = _hhmm(s.first_slot), _hhmm(s.last_slot)
        slots = []
        at = datetime.combine(date(2000, 1, 1), first)
        while at.time() <= last and at.date() == date(2000, 1, 1):
            slots.append(at.time())
            at += timedelta(minutes=s.slot_minutes)
        hours = None
        if s.registration_hours:
            start, end = s.registration_hours.split("-")
            hours = (_hhmm(start), _hhmm(end))
        return cls(s.message_format, frozenset(WEEKDAYS.index(d) for d in s.service_days),
                   frozenset(date.fromisoformat(d) for d in s.holidays), s.daily_quota, tuple(slots),
                   s.slot_capacity, s.horizon_min_days, s.horizon_max_days, hours)

    # --- dates ----------------------------------------------------------------------

    def is_service_day(self, day: date) -> bool:
        return day.weekday() in self.service_days and day not in self.holidays

    def first_bookable(self, today: date) -> date:
        return today + timedelta(days=self.horizon_min_days)

    def last_bookable(self, today: date) -> date:
        return today + timedelta(days=self.horizon_max_days)

    def check_arrival(self, day: date, today: date) -> DateProblem | None:
        if day < today:
            return DateProblem.IN_PAST
        if day < self.first_bookable(today):
            return DateProblem.TOO_SOON
        if day > self.last_bookable(today):
            return DateProblem.TOO_FAR
        if not self.is_service_day(day):
            return DateProblem.NOT_SERVICE_DAY
        return None

    def bookable_days(self, today: date, start: date | None = None) -> Iterator[date]:
        """Service days inside the horizon, from ``start`` (default: the first bookable)."""
        day = max(start or self.first_bookable(today), self.first_bookable(today))
        while day <= self.last_bookable(today):
            if self.is_service_day(day):
                yield day
            day += timedelta(days=1)

    # --- birth ----------------------------------------------------------------------

    def check_birth(self, birth: date, today: date) -> BirthProblem | None:
        if birth >= today:
            return BirthProblem.NOT_IN_PAST
        if birth < years_before(today, MAX_AGE_YEARS):
            return BirthProblem.TOO_OLD
        return None

    # --- slots and quota ------------------------------------------------------------

    def has_room(self, taken_per_slot: Mapping[time, int]) -> bool:
        return sum(taken_per_slot.values()) < self.daily_quota and self.pick_slot(taken_per_slot) is not None

    def pick_slot(self, taken_per_slot: Mapping[time, int]) -> time | None:
        """The earliest slot with room, or None when the day is full (quota or slots)."""
        if sum(taken_per_slot.values()) >= self.daily_quota:
            return None
        for slot in self.slots:
            if taken_per_slot.get(slot, 0) < self.slot_capacity:
                return slot
        return None

    # --- registration hours ---------------------------------------------------------

    def registration_open(self, local_now: datetime) -> bool:
        if self.registration_hours is None:
            return True
        start, end = self.registration_hours
        return start <= local_now.time().replace(tzinfo=None) < end
