"""What happens on a simulated day: who booked, who comes when, with what.

A plan is drawn from a seeded random generator, so the same seed gives the same day.
Times are office-local; the engine (``kiosk.simulate.day``) plays them through the
real services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

DESK_OPENS = time(7, 0)
COUNTERS_OPEN = time(8, 0)
SLOTS = [time(8 + i // 2, 30 * (i % 2)) for i in range(14)]  # 08:00 ... 14:30
FIRST_NAMES = ["Budi", "Siti", "Andi", "Dewi", "Rudi", "Sri", "Agus", "Nur", "Putu", "Made", "Wayan", "Ayu",
               "Joko", "Rina", "Hendra", "Fitri", "Yusuf", "Lestari", "Bambang", "Intan"]
LAST_NAMES = ["Santoso", "Rahayu", "Wijaya", "Lestari", "Hartono", "Saputra", "Siregar", "Nasution", "Hidayat",
              "Kusuma", "Pratama", "Simanjuntak", "Wibowo", "Gunawan", "Setiawan"]


class Arrival(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"  # after slot - 30 min: the code becomes void
    TOO_EARLY = "too_early"  # before slot - 120 min, comes back inside the window
    WRONG_DAY = "wrong_day"  # booked for tomorrow, comes today
    GARBAGE = "garbage"  # shows a damaged, forged or foreign code instead


@dataclass
class PlannedBooking:
    index: int
    name: str
    birth: date
    service_date: date
    slot: time
    arrival: Arrival
    scans: list[datetime] = field(default_factory=list)  # local times of each scan
    rescan: bool = False  # scans again after getting a ticket ("is it really done?")
    garbage: str = ""  # which kind of bad code (GARBAGE only)
    code: str = ""  # filled in when the booking is made


@dataclass(frozen=True)
class PlannedWalkIn:
    at: datetime
    category: str
    birth: date | None
    valid: bool  # the age rule (or the missing date of birth) refuses it when False


@dataclass
class DayPlan:
    day: date
    bookings: list[PlannedBooking]
    walk_ins: list[PlannedWalkIn]
    seed: int


GARBAGE_KINDS = ["forged", "other_office", "noise", "huge", "control", "unknown_import"]


def _at(day: date, t: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, t, tzinfo=tz)


def _seconds(rng: random.Random, low_min: float, high_min: float) -> timedelta:
    return timedelta(seconds=rng.randint(int(low_min * 60), int(high_min * 60)))


def _birth(rng: random.Random, day: date, low_years: int, high_years: int) -> date:
    """A date of birth making someone ``low``-``high`` whole years old on ``day``
    (a year of margin on each side keeps birthdays away from the edge)."""
    return day - timedelta(days=rng.randint(low_years * 366 + 2, high_years * 365 + 360))


def make_plan(day: date, bookings: int, walk_ins: int, seed: int, tz: ZoneInfo) -> DayPlan:
    rng = random.Random(seed)
    late, early, wrong, garbage = (round(bookings * share) for share in (0.10, 0.05, 0.03, 0.02))
    kinds = ([Arrival.LATE] * late + [Arrival.TOO_EARLY] * early + [Arrival.WRONG_DAY] * wrong
             + [Arrival.GARBAGE] * garbage)
    kinds += [Arrival.ON_TIME] * (bookings - len(kinds))
    slots = [SLOTS[i * len(SLOTS) // bookings] for i in range(bookings)]  # a quota per slot
    # Too-early people need a slot whose window opens after the desk does.
    late_slots = [i for i, s in enumerate(slots) if s >= time(9, 30)]
    early_at = set(rng.sample(late_slots, min(early, len(late_slots))))
    rest = [k for k in kinds if k is not Arrival.TOO_EARLY]
    rng.shuffle(rest)
    assigned: list[Arrival] = []
    for i in range(bookings):
        assigned.append(Arrival.TOO_EARLY if i in early_at else rest.pop())
    desk_opens = _at(day, DESK_OPENS, tz)
    planned: list[PlannedBooking] = []
    bad_codes = iter(GARBAGE_KINDS * (garbage // len(GARBAGE_KINDS) + 1))  # forged first: always met
    for i, (slot, kind) in enumerate(zip(slots, assigned, strict=True)):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        slot_at = _at(day, slot, tz)
        opens, deadline = slot_at - timedelta(minutes=120), slot_at - timedelta(minutes=30)
        b = PlannedBooking(i, name, _birth(rng, day, 18, 70), day, slot, kind)
        if kind is Arrival.ON_TIME:
            at = slot_at - _seconds(rng, 30, 115)
            b.scans = [max(at, desk_opens + _seconds(rng, 0, 20))] if at < desk_opens else [at]
            b.rescan = rng.random() < 0.03
        elif kind is Arrival.LATE:
            b.scans = [deadline + _seconds(rng, 1 / 60, 60)]
        elif kind is Arrival.TOO_EARLY:
            room = (opens - desk_opens).total_seconds() / 60
            b.scans = [opens - _seconds(rng, 1, min(90, room)), opens + _seconds(rng, 0, 60)]
        elif kind is Arrival.WRONG_DAY:
            b.service_date = day + timedelta(days=1)
            b.scans = [desk_opens + _seconds(rng, 30, 420)]
        else:
            b.garbage = next(bad_codes)
            b.scans = [desk_opens + _seconds(rng, 30, 420)]
        planned.append(b)
    rng.shuffle(planned)  # bookings are made in no particular order of slots
    walk = [_walk_in(rng, day, tz, i) for i in range(walk_ins)]
    return DayPlan(day, planned, sorted(walk, key=lambda w: w.at), seed)


def _walk_in(rng: random.Random, day: date, tz: ZoneInfo, i: int) -> PlannedWalkIn:
    at = _at(day, time(7, 30), tz) + _seconds(rng, 0, 390)
    # One in ten is refused by the age rule or for a missing date of birth.
    if i % 10 == 4:
        return PlannedWalkIn(at, "lansia", _birth(rng, day, 50, 58), False)  # too young
    if i % 20 == 9:
        return PlannedWalkIn(at, "anak", _birth(rng, day, 6, 11), False)  # too old
    if i % 20 == 19:
        return PlannedWalkIn(at, "lansia", None, False)  # no date of birth given
    roll = rng.random()
    if roll < 0.40:
        return PlannedWalkIn(at, "lansia", _birth(rng, day, 61, 88), True)
    if roll < 0.60:
        return PlannedWalkIn(at, "anak", _birth(rng, day, 0, 3), True)
    return PlannedWalkIn(at, "disabilitas" if roll < 0.80 else "ibu_hamil", None, True)
