"""Handling one booking message: parse, apply the office's rules, book, reply.

One write transaction per message. Race-free under concurrency (several webhook
workers, several PCs on PostgreSQL):

- the same message id twice: the first one's reply is stored with it and returned again;
- one active booking per phone and per name + date of birth: advisory locks on both
  (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), taken in that
  order, before anything is read;
- slot capacity and the daily quota are counted under the day-counter row lock that
  numbering takes (:func:`kiosk.services.common.lock_counter_row`), so two messages
  for the same day are counted one after the other. A day already full is refused
  without taking that lock: in a flood, the refusals do not queue behind the bookings.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.booking.image import ReplyCard, write_png
from kiosk.booking.parser import BookRequest, CancelRequest, Problem, StatusRequest, Unusable, parse_message
from kiosk.booking.replies import IntakeOutcome, booked_text, refusal_text
from kiosk.booking.rules import BirthProblem, DateProblem, IntakeRules
from kiosk.core import booking_code
from kiosk.core.tickets import format_number
from kiosk.i18n import clock_time
from kiosk.services.bookings import BookingError, clean_phone, insert_booking
from kiosk.private_files import write_private
from kiosk.services.common import lock_counter_row
from kiosk.store import Booking, IntakeMessage

log = logging.getLogger(__name__)
MAX_PHOTO_BYTES = 10 * 1024 * 1024

_PROBLEM_OUTCOME = {
    Problem.NOT_A_COMMAND: IntakeOutcome.HELP, Problem.WRONG_FORMAT: IntakeOutcome.WRONG_FORMAT, Problem.BAD_NAME: IntakeOutcome.BAD_NAME,
    Problem.BAD_BIRTH_DATE: IntakeOutcome.BAD_DATE, Problem.BAD_ARRIVAL_DATE: IntakeOutcome.BAD_DATE, Problem.BAD_ADDRESS: IntakeOutcome.BAD_ADDRESS,
    Problem.PHOTO_MISSING: IntakeOutcome.PHOTO_MISSING, Problem.BAD_CANCEL: IntakeOutcome.BAD_CANCEL,
}
_DATE_OUTCOME = {DateProblem.IN_PAST: IntakeOutcome.DATE_IN_PAST, DateProblem.TOO_SOON: IntakeOutcome.TOO_SOON,
                 DateProblem.TOO_FAR: IntakeOutcome.TOO_FAR, DateProblem.NOT_SERVICE_DAY: IntakeOutcome.NOT_SERVICE_DAY}
_BIRTH_OUTCOME = {BirthProblem.NOT_IN_PAST: IntakeOutcome.BIRTH_NOT_IN_PAST, BirthProblem.TOO_OLD: IntakeOutcome.BIRTH_TOO_OLD}


class BadMessage(ValueError):
    """A message the channel should never have delivered (no sender, no id)."""


@dataclass(frozen=True)
class IncomingMessage:
    message_id: str
    phone: str
    text: str = ""
    kind: str = "text"  # text | image | other (audio, sticker, location, ...)
    photo: bytes | None = None  # the e-KTP image, when it could be fetched
    channel: str = "whatsapp"


@dataclass(frozen=True)
class IntakeReply:
    outcome: IntakeOutcome
    text: str
    phone: str
    message_id: str
    code: str | None = None
    label: str | None = None
    service_date: date | None = None
    slot: time | None = None
    image_path: Path | None = None
    replayed: bool = False  # the message id was seen before: nothing new happened
    next_free: date | None = field(default=None, compare=False)

    @property
    def booked(self) -> bool:
        return self.outcome is IntakeOutcome.BOOKED

    def to_json(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value, "text": self.text, "code": self.code, "number": self.label,
            "date": self.service_date.isoformat() if self.service_date else None,
            "slot": self.slot.strftime("%H:%M") if self.slot else None,
            "image": str(self.image_path) if self.image_path else None, "replayed": self.replayed,
        }


def rules_of(ctx: AppContext) -> IntakeRules:
    return IntakeRules.from_settings(ctx.config.intake)


def replies_dir(ctx: AppContext) -> Path:
    return ctx.config.data_dir / "replies"


def photos_dir(ctx: AppContext) -> Path:
    return ctx.config.data_dir / "ektp"


# --- locking ----------------------------------------------------------------------------

def _lock_key(*parts: str) -> int:
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _advisory_lock(ctx: AppContext, session: Session, *parts: str) -> None:
    """Serialise transactions about the same person (PostgreSQL; SQLite is serial already)."""
    if not ctx.db.is_sqlite:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key("intake", *parts)})


# --- counting ---------------------------------------------------------------------------

def taken_per_slot(ctx: AppContext, session: Session, first: date, last: date) -> dict[date, dict[time, int]]:
    """Bookings that hold a place (every status but cancelled), per day and slot."""
    rows = session.execute(
        select(Booking.service_date, Booking.slot, func.count())
        .where(Booking.office == ctx.config.office.code, Booking.service_date >= first,
               Booking.service_date <= last, Booking.status != "cancelled")
        .group_by(Booking.service_date, Booking.slot))
    taken: dict[date, dict[time, int]] = defaultdict(dict)
    for day, slot, count in rows:
        taken[day][slot] = count
    return taken


def next_free_date(ctx: AppContext, session: Session, rules: IntakeRules, after: date | None) -> date | None:
    """The first bookable service day after ``after`` (or from the horizon's start) with room."""
    today = ctx.today()
    start = max(after, rules.first_bookable(today)) if after else rules.first_bookable(today)
    days = list(rules.bookable_days(today, start))
    if after is not None:
        days = [d for d in days if d > after]
    if not days:
        return None
    taken = taken_per_slot(ctx, session, days[0], days[-1])
    return next((d for d in days if rules.has_room(taken.get(d, {}))), None)


def active_booking_of_phone(ctx: AppContext, session: Session, phone: str) -> Booking | None:
    return session.scalars(
        select(Booking).where(Booking.phone == phone, Booking.status == "active",
                              Booking.service_date >= ctx.today())
        .order_by(Booking.service_date, Booking.slot).limit(1)).first()


def active_booking_of_person(ctx: AppContext, session: Session, name: str, birth: date) -> Booking | None:
    """Same date of birth and the same name, ignoring case in any script."""
    folded = name.casefold()
    candidates = session.execute(
        select(Booking.id, Booking.name).where(Booking.birth_date == birth, Booking.status == "active",
                                               Booking.service_date >= ctx.today()))
    match = next((booking_id for booking_id, other in candidates
                  if other is not None and other.casefold() == folded), None)
    return session.get(Booking, match) if match is not None else None


# --- the use case -----------------------------------------------------------------------

@dataclass
class _Result:
    outcome: IntakeOutcome
    text: str
    booking: Booking | None = None
    next_free: date | None = None
    address: str | None = None
    photo: bytes | None = None


def handle_message(ctx: AppContext, message: IncomingMessage, *, render_image: bool = True) -> IntakeReply:
    """Answer one message; the same message id again returns the same reply, unchanged."""
    if not message.message_id or len(message.message_id) > 128:
        raise BadMessage("message id missing or longer than 128 characters")
    try:
        phone = clean_phone(message.phone)
    except BookingError as exc:
        raise BadMessage(f"sender is not a phone number: {exc}") from None
    rules = rules_of(ctx)
    fmt = rules.message_format
    if message.kind not in ("text", "image"):
        request: object = None
    else:
        request = parse_message(message.text or "", fmt, has_photo=message.kind == "image")
    for attempt in range(3):
        try:
            with ctx.db.write() as session:
                _advisory_lock(ctx, session, "phone", phone)
                seen = session.scalars(select(IntakeMessage).where(IntakeMessage.message_id == message.message_id)
                                       ).one_or_none()
                if seen is not None:
                    return _replay(ctx, seen, phone, render_image)
                result = _decide(ctx, session, rules, request, phone, message)
                photo_path = _store_photo(ctx, message.message_id, result.photo) if result.photo else None
                try:
                    session.add(IntakeMessage(
                        message_id=message.message_id, channel=message.channel, phone=phone,
                        received_at=ctx.now(), kind=_kind(request), outcome=result.outcome.value,
                        reply_text=result.text, booking_id=result.booking.id if result.booking else None,
                        address=result.address, photo_path=str(photo_path) if photo_path else None))
                    session.flush()
                except BaseException:
                    if photo_path is not None:
                        photo_path.unlink(missing_ok=True)
                    raise
                reply = _reply(ctx, result, phone, message.message_id)
            break
        except IntegrityError:
            # Another worker stored the same message id (or took the same number) first:
            # run again; the replay branch or a fresh count answers.
            if attempt == 2:
                raise
    log.info("intake %s from ...%s: %s", message.message_id[-12:], phone[-4:], reply.outcome.value)
    if render_image and reply.code is not None:
        reply = _with_image(ctx, reply)
    return reply


def _kind(request: object) -> str:
    if isinstance(request, BookRequest):
        return "book"
    if isinstance(request, CancelRequest):
        return "cancel"
    if isinstance(request, StatusRequest):
        return "status"
    if isinstance(request, Unusable):
        return "help" if request.problem is Problem.NOT_A_COMMAND else "invalid"
    return "unsupported"


def _decide(ctx: AppContext, session: Session, rules: IntakeRules, request: object, phone: str,
            message: IncomingMessage) -> _Result:
    fmt = rules.message_format
    if request is None:
        return _Result(IntakeOutcome.UNSUPPORTED, refusal_text(IntakeOutcome.UNSUPPORTED, fmt))
    if isinstance(request, Unusable):
        outcome = _PROBLEM_OUTCOME[request.problem]
        return _Result(outcome, refusal_text(outcome, fmt))
    if isinstance(request, StatusRequest):
        booking = active_booking_of_phone(ctx, session, phone)
        if booking is None:
            return _Result(IntakeOutcome.NO_ACTIVE_BOOKING, refusal_text(IntakeOutcome.NO_ACTIVE_BOOKING, fmt))
        return _Result(IntakeOutcome.STATUS, _booked_text(ctx, booking, again=True), booking)
    if isinstance(request, CancelRequest):
        return _cancel(ctx, session, request, phone, fmt)
    assert isinstance(request, BookRequest)
    return _book(ctx, session, rules, request, phone, message)


def _book(ctx: AppContext, session: Session, rules: IntakeRules, request: BookRequest, phone: str,
          message: IncomingMessage) -> _Result:
    fmt = rules.message_format
    today = ctx.today()
    first, last = rules.first_bookable(today), rules.last_bookable(today)
    if not rules.registration_open(ctx.local_now()):
        assert rules.registration_hours is not None
        start, end = rules.registration_hours
        hours = f"{clock_time(start)}-{clock_time(end)}"
        return _Result(IntakeOutcome.OUTSIDE_HOURS, refusal_text(IntakeOutcome.OUTSIDE_HOURS, fmt, hours=hours))
    birth_problem = rules.check_birth(request.birth, today)
    if birth_problem is not None:
        outcome = _BIRTH_OUTCOME[birth_problem]
        return _Result(outcome, refusal_text(outcome, fmt))
    if request.arrival is not None:
        date_problem = rules.check_arrival(request.arrival, today)
        if date_problem is not None:
            outcome = _DATE_OUTCOME[date_problem]
            free = next_free_date(ctx, session, rules, request.arrival) \
                if date_problem is DateProblem.NOT_SERVICE_DAY else None
            return _Result(outcome, refusal_text(outcome, fmt, asked=request.arrival, first=first, last=last,
                                                 next_free=free))
    _advisory_lock(ctx, session, "person", request.name.casefold(), request.birth.isoformat())
    existing = active_booking_of_phone(ctx, session, phone) or \
        active_booking_of_person(ctx, session, request.name, request.birth)
    if existing is not None:
        return _Result(IntakeOutcome.ALREADY_BOOKED, refusal_text(IntakeOutcome.ALREADY_BOOKED, fmt, code=existing.code), existing)
    candidates = [request.arrival] if request.arrival is not None else list(rules.bookable_days(today))
    prefix = ctx.config.queue.booking_service
    for day in candidates:
        # A full day stays full (only a cancellation frees a place), so it is skipped
        # without waiting for the lock; a day with room is counted again under the lock.
        if rules.pick_slot(taken_per_slot(ctx, session, day, day).get(day, {})) is None:
            continue
        lock_counter_row(ctx, session, day, prefix)
        slot = rules.pick_slot(taken_per_slot(ctx, session, day, day).get(day, {}))
        if slot is None:
            continue
        try:
            info = insert_booking(ctx, session, name=request.name, birth=request.birth, service_date=day, slot=slot,
                                  phone=phone, source=message.channel)
        except BookingError:  # the day's 999 numbers are used up (many cancellations)
            continue
        booking = session.get(Booking, info.id)
        assert booking is not None
        return _Result(IntakeOutcome.BOOKED, _booked_text(ctx, booking), booking, address=request.address,
                       photo=message.photo if request.address is not None else None)
    if request.arrival is None:
        return _Result(IntakeOutcome.NO_FREE_DATE, refusal_text(IntakeOutcome.NO_FREE_DATE, fmt, last=last))
    free = next_free_date(ctx, session, rules, request.arrival)
    return _Result(IntakeOutcome.QUOTA_FULL, refusal_text(IntakeOutcome.QUOTA_FULL, fmt, asked=request.arrival, next_free=free, last=last),
                   next_free=free)


def _cancel(ctx: AppContext, session: Session, request: CancelRequest, phone: str, fmt: str) -> _Result:
    code = booking_code.normalize(request.code) if booking_code.looks_like_v1(request.code) else request.code.strip()
    booking = session.scalars(select(Booking).where(Booking.code == code, Booking.phone == phone)
                              .with_for_update()).one_or_none()
    if booking is None:
        return _Result(IntakeOutcome.CANCEL_NOT_FOUND, refusal_text(IntakeOutcome.CANCEL_NOT_FOUND, fmt, code=code))
    if booking.status != "active" or booking.service_date < ctx.today():
        return _Result(IntakeOutcome.CANCEL_NOT_ACTIVE, refusal_text(IntakeOutcome.CANCEL_NOT_ACTIVE, fmt, code=code))
    booking.status = "cancelled"
    booking.cancelled_at = ctx.now()
    return _Result(IntakeOutcome.CANCELLED, refusal_text(IntakeOutcome.CANCELLED, fmt, code=code))


def _booked_text(ctx: AppContext, booking: Booking, again: bool = False) -> str:
    return booked_text(code=booking.code, label=_label(ctx, booking), service_date=booking.service_date,
                       slot=booking.slot, arrive_minutes=ctx.config.arrival.must_arrive_before,
                       office_name=ctx.config.office.name, again=again)


def _label(ctx: AppContext, booking: Booking) -> str:
    return format_number(ctx.config.queue.booking_service, booking.number)


def _reply(ctx: AppContext, result: _Result, phone: str, message_id: str, replayed: bool = False) -> IntakeReply:
    b = result.booking if result.outcome in (IntakeOutcome.BOOKED, IntakeOutcome.STATUS) else None
    return IntakeReply(result.outcome, result.text, phone, message_id, b.code if b else None,
                       _label(ctx, b) if b else None, b.service_date if b else None, b.slot if b else None,
                       replayed=replayed, next_free=result.next_free)


def _replay(ctx: AppContext, seen: IntakeMessage, phone: str, render_image: bool) -> IntakeReply:
    outcome = IntakeOutcome(seen.outcome)
    reply = _reply(ctx, _Result(outcome, seen.reply_text, seen.booking), phone, seen.message_id, replayed=True)
    return _with_image(ctx, reply) if render_image and reply.code else reply


def _with_image(ctx: AppContext, reply: IntakeReply) -> IntakeReply:
    from dataclasses import replace

    assert reply.code and reply.label and reply.service_date and reply.slot
    card = ReplyCard(reply.code, reply.label, reply.service_date, reply.slot, ctx.config.office.name,
                     ctx.config.arrival.must_arrive_before)
    folder = replies_dir(ctx)
    path = folder / f"{reply.code}.png"
    if not path.exists():
        path = write_png(card, folder)
    return replace(reply, image_path=path)


def _store_photo(ctx: AppContext, message_id: str, photo: bytes) -> Path | None:
    """The e-KTP photo, owner-only, named by a hash of the message id (no personal data
    in the file name)."""
    if len(photo) > MAX_PHOTO_BYTES:
        log.warning("e-KTP photo of %d bytes not stored (limit %d)", len(photo), MAX_PHOTO_BYTES)
        return None
    path = photos_dir(ctx) / (hashlib.sha256(message_id.encode()).hexdigest()[:32] + _photo_suffix(photo))
    write_private(path, photo)
    return path


def _photo_suffix(photo: bytes) -> str:
    if photo.startswith(b"\x89PNG"):
        return ".png"
    if photo.startswith(b"\xff\xd8"):
        return ".jpg"
    return ".bin"
