"""The arrival window: is a booking code acceptable at the moment of the scan?

All times are office-local, timezone-aware datetimes. The rule (DESIGN §3):
from slot − ``opens_before`` up to and including slot − ``must_arrive_before`` the
code is accepted; earlier the same day it is too early (and stays valid); after it,
or on any later day, the code is void (*hangus*).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class ArrivalVerdict(StrEnum):
    ACCEPTED = "accepted"
    TOO_EARLY = "too_early"
    WRONG_DAY = "wrong_day"  # booked for a later day; the code stays valid
    VOID = "void"  # late, or the booked day has passed
    WRONG_OFFICE = "wrong_office"


@dataclass(frozen=True)
class ArrivalWindow:
    opens_before: timedelta = timedelta(minutes=120)
    must_arrive_before: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        if self.must_arrive_before < timedelta(0):
            raise ValueError("must_arrive_before cannot be negative")
        if self.opens_before <= self.must_arrive_before:
            raise ValueError("the window must open before the arrival deadline")


@dataclass(frozen=True)
class ArrivalDecision:
    verdict: ArrivalVerdict
    slot_at: datetime | None = None  # the scheduled slot, office-local
    opens_at: datetime | None = None  # first moment a scan is accepted
    deadline: datetime | None = None  # last moment a scan is accepted


def slot_datetime(service_date: date, slot: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(service_date, slot, tzinfo=tz)


def judge_arrival(
    *,
    office: str,
    code_office: str,
    service_date: date,
    slot: time,
    now: datetime,
    tz: ZoneInfo,
    window: ArrivalWindow,
) -> ArrivalDecision:
    """Decide a scan at ``now`` (any timezone; compared in the office's)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if code_office != office:
        return ArrivalDecision(ArrivalVerdict.WRONG_OFFICE)
    # Scans are judged to the second, as shown on the officer's clock: 09:30:00.4 is 09:30:00.
    local_now = now.astimezone(tz).replace(microsecond=0)
    slot_at = slot_datetime(service_date, slot, tz)
    opens_at = slot_at - window.opens_before
    deadline = slot_at - window.must_arrive_before
    today = local_now.date()
    if service_date > today:
        verdict = ArrivalVerdict.WRONG_DAY
    elif service_date < today or local_now > deadline:
        verdict = ArrivalVerdict.VOID
    elif local_now < opens_at:
        verdict = ArrivalVerdict.TOO_EARLY
    else:
        verdict = ArrivalVerdict.ACCEPTED
    return ArrivalDecision(verdict, slot_at, opens_at, deadline)
