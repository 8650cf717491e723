"""Typed results of the services, ready for windows and for JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timezone
from enum import StrEnum
from typing import Any

from kiosk.store import Ticket


class CheckInOutcome(StrEnum):
    ACCEPTED = "accepted"
    TOO_EARLY = "too_early"
    WRONG_DAY = "wrong_day"
    VOID = "void"
    ALREADY_CHECKED_IN = "already_checked_in"
    WRONG_OFFICE = "wrong_office"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    INVALID = "invalid"


class WalkInOutcome(StrEnum):
    ISSUED = "issued"
    BIRTH_REQUIRED = "birth_required"
    AGE_REFUSED = "age_refused"
    QUOTA_FULL = "quota_full"
    CATEGORY_UNKNOWN = "category_unknown"
    INVALID_INPUT = "invalid_input"  # a name or date of birth a booking would refuse too


@dataclass(frozen=True)
class TicketInfo:
    id: int
    label: str
    prefix: str
    number: int
    service: str
    state: str
    service_day: date
    issued_at: datetime
    counter: int | None = None
    category: str | None = None
    slot: time | None = None
    booking_code: str | None = None

    @classmethod
    def of(cls, ticket: Ticket) -> TicketInfo:
        return cls(ticket.id, ticket.label, ticket.prefix, ticket.number, ticket.service, ticket.state,
                   ticket.service_day, ticket.issued_at.astimezone(timezone.utc), ticket.counter, ticket.category, ticket.slot,
                   ticket.booking.code if ticket.booking is not None else None)

    def to_json(self) -> dict[str, Any]:
        # "number" is what people read (A042); "sequence" the bare integer.
        fields: dict[str, Any] = _jsonable(asdict(self))
        return fields | {"number": self.label, "sequence": self.number}


@dataclass(frozen=True)
class CheckInResult:
    outcome: CheckInOutcome
    message: str
    ticket: TicketInfo | None = None
    service_date: date | None = None
    slot: time | None = None
    opens_at: datetime | None = None
    deadline: datetime | None = None
    print_job_id: int | None = None
    mistyped: bool = False  # INVALID, but one character away from a valid code
    office: str | None = None  # WRONG_OFFICE: the office the code is for, and its name when known
    office_name: str | None = None

    @property
    def issued(self) -> bool:
        return self.outcome is CheckInOutcome.ACCEPTED

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"outcome": self.outcome.value, "message": self.message}
        if self.ticket is not None:
            data["ticket"] = self.ticket.to_json()
        for key in ("service_date", "slot", "opens_at", "deadline"):
            if getattr(self, key) is not None:
                data[key] = _jsonable(getattr(self, key))
        return data


@dataclass(frozen=True)
class WalkInResult:
    outcome: WalkInOutcome
    message: str
    ticket: TicketInfo | None = None
    quota_left: int | None = None
    print_job_id: int | None = None
    # The message as a function of the facts, so a window can say it again after a
    # language switch (None: only the message as it was said).
    say: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    @property
    def issued(self) -> bool:
        return self.outcome is WalkInOutcome.ISSUED

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"outcome": self.outcome.value, "message": self.message, "quota_left": self.quota_left}
        if self.ticket is not None:
            data["ticket"] = self.ticket.to_json()
        return data


@dataclass(frozen=True)
class CallResult:
    action: str
    counter: int
    message: str
    ticket: TicketInfo | None = None
    finished: TicketInfo | None = None  # the ticket call-next closed first, if any

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action, "counter": self.counter, "message": self.message,
            "ticket": self.ticket.to_json() if self.ticket else None,
            "finished": self.finished.to_json() if self.finished else None,
        }


@dataclass(frozen=True)
class QueueStatus:
    day: date
    waiting: dict[str, int]
    counters: dict[int, TicketInfo | None]
    last_calls: list[dict[str, Any]] = field(default_factory=list)
    priority_quota_left: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(), "waiting": self.waiting,
            "counters": {str(k): (v.to_json() if v else None) for k, v in self.counters.items()},
            "last_calls": _jsonable(self.last_calls), "priority_quota_left": self.priority_quota_left,
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat(timespec="minutes") if isinstance(value, time) else value.isoformat()
    return value
