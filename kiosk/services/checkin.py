"""Check-in: a scanned or typed code becomes a verdict, and on acceptance a ticket and
its print job, in one transaction."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.core import booking_code
from kiosk.core.arrival import ArrivalVerdict, judge_arrival
from kiosk.core.booking_code import BookingCode, MalformedCode
from kiosk.core import text as text_rules
from kiosk.store import Booking, CheckinAttempt, Ticket
from kiosk.services.common import queue_print, record_event
from kiosk.services.messages import checkin_message
from kiosk.services.results import CheckInOutcome, CheckInResult, TicketInfo

log = logging.getLogger(__name__)

def _reject(outcome: CheckInOutcome, **kw: object) -> CheckInResult:
    # The office is kept on the result so that its sentence can be said again in
    # another language (kiosk.services.messages.result_message).
    office, office_name = kw.get("office"), kw.get("office_name")
    return CheckInResult(outcome, checkin_message(outcome, **kw),  # type: ignore[arg-type]
                         office=office if isinstance(office, str) else None,
                         office_name=office_name if isinstance(office_name, str) else None)


def _reject_invalid(ctx: AppContext, text: str) -> CheckInResult:
    """Not a valid code: one character away from one (a typing slip, "periksa lagi
    kodenya"), or not (forged, or not ours)."""
    if booking_code.one_character_off(text, ctx.config.office.code, ctx.keyring.keys):
        log.info("check-in rejected: one character off a valid code")
        return CheckInResult(CheckInOutcome.INVALID, checkin_message(CheckInOutcome.INVALID, mistyped=True),
                             mistyped=True)
    return _reject(CheckInOutcome.INVALID)


def check_in(ctx: AppContext, text: str, *, actor: str = "desk") -> CheckInResult:
    """Judge a scanned code at the clock's current time; issue a ticket when accepted.

    Garbage (empty, huge, control characters, forged, other office) changes nothing in
    the database; a late scan voids the booking permanently."""
    if not isinstance(text, str) or len(text) > booking_code.MAX_INPUT_LENGTH or not text.strip() \
            or not text_rules.is_printable(text.strip()):
        return _reject(CheckInOutcome.INVALID)
    text = text.strip()
    if booking_code.looks_like_v1(text):
        office = ctx.config.office.code
        try:
            code = booking_code.parse(text)
        except MalformedCode:
            return _reject_invalid(ctx, text)
        if code.office != office:
            if booking_code.one_character_off(text, office, ctx.keyring.keys):
                return _reject_invalid(ctx, text)  # our code with one letter of the office mistyped
            return _reject(CheckInOutcome.WRONG_OFFICE, office=code.office,
                           office_name=ctx.config.office.other_offices.get(code.office))
        if not booking_code.verify(code, ctx.keyring.keys):
            log.info("check-in rejected: MAC does not verify")
            return _reject_invalid(ctx, text)
        return _check_in_v1(ctx, code, actor)
    if not text_rules.is_imported_code(text):
        return _reject(CheckInOutcome.INVALID)
    return _check_in_imported(ctx, text, actor)


def _lock_booking(ctx: AppContext, session: Session, code: str) -> Booking | None:
    return session.scalars(select(Booking).where(Booking.code == code).with_for_update()).one_or_none()


def _check_in_v1(ctx: AppContext, code: BookingCode, actor: str) -> CheckInResult:
    with ctx.db.write() as session:
        booking = _lock_booking(ctx, session, code.text)
        if booking is None:
            # A valid code is its own proof (DESIGN §3: verifiable with no booking list).
            # Record it so its verdict (void, ticket) sticks.
            booking = Booking(code=code.text, office=code.office, service_date=code.service_date, slot=code.slot,
                              number=code.number, source="code", status="active", created_at=ctx.now())
        return _decide(ctx, session, booking, actor)


def _check_in_imported(ctx: AppContext, text: str, actor: str) -> CheckInResult:
    with ctx.db.write() as session:
        booking = _lock_booking(ctx, session, text)
        if booking is None or booking.source != "import":
            return _reject(CheckInOutcome.UNKNOWN)
        return _decide(ctx, session, booking, actor)


def _decide(ctx: AppContext, session: Session, booking: Booking, actor: str) -> CheckInResult:
    def attempt(outcome: CheckInOutcome) -> None:
        if booking.id is None:
            session.add(booking)
            session.flush()
        session.add(CheckinAttempt(at=ctx.now(), outcome=outcome.value, booking_id=booking.id, actor=actor))

    if booking.status == "cancelled":
        attempt(CheckInOutcome.CANCELLED)
        return _reject(CheckInOutcome.CANCELLED)
    if booking.ticket is not None:
        attempt(CheckInOutcome.ALREADY_CHECKED_IN)
        ticket = TicketInfo.of(booking.ticket)
        return CheckInResult(CheckInOutcome.ALREADY_CHECKED_IN,
                             checkin_message(CheckInOutcome.ALREADY_CHECKED_IN, label=ticket.label), ticket,
                             booking.service_date, booking.slot)
    decision = judge_arrival(office=ctx.config.office.code, code_office=booking.office,
                             service_date=booking.service_date, slot=booking.slot, now=ctx.now(),
                             tz=ctx.config.tz, window=ctx.window)
    if booking.status == "void":
        attempt(CheckInOutcome.VOID)
        return CheckInResult(CheckInOutcome.VOID, checkin_message(CheckInOutcome.VOID, slot=booking.slot,
                             deadline=decision.deadline), None, booking.service_date, booking.slot,
                             decision.opens_at, decision.deadline)
    verdict = decision.verdict
    if verdict is ArrivalVerdict.WRONG_OFFICE:
        return _reject(CheckInOutcome.WRONG_OFFICE, office=booking.office)
    if verdict is ArrivalVerdict.ACCEPTED:
        attempt(CheckInOutcome.ACCEPTED)
        ticket, job_id = issue_booked_ticket(ctx, session, booking, actor)
        return CheckInResult(CheckInOutcome.ACCEPTED, checkin_message(CheckInOutcome.ACCEPTED, label=ticket.label),
                             ticket, booking.service_date, booking.slot, decision.opens_at, decision.deadline, job_id)
    outcome = CheckInOutcome(verdict.value)
    if outcome is CheckInOutcome.VOID:
        booking.status = "void"
        booking.void_at = ctx.now()
    attempt(outcome)
    return CheckInResult(outcome, checkin_message(outcome, service_date=booking.service_date, slot=booking.slot,
                                                  opens_at=decision.opens_at, deadline=decision.deadline),
                         None, booking.service_date, booking.slot, decision.opens_at, decision.deadline)


def issue_booked_ticket(ctx: AppContext, session: Session, booking: Booking, actor: str,
                        detail: dict[str, object] | None = None) -> tuple[TicketInfo, int]:
    """The ticket carries the number the applicant was told at booking (A042)."""
    service = ctx.config.queue.booking_service
    now = ctx.now()
    ticket = Ticket(service_day=booking.service_date, prefix=service, number=booking.number, service=service,
                    state="waiting", booking=booking, slot=booking.slot, issued_at=now, queued_at=now)
    session.add(ticket)
    booking.status = "checked_in"
    session.flush()
    record_event(ctx, session, ticket, "issued", from_state=None, actor=actor, detail=detail)
    job = queue_print(ctx, session, ticket)
    return TicketInfo.of(ticket), job.id


def booking_for_code(ctx: AppContext, session: Session, code_text: str) -> Booking | None:
    return session.scalars(select(Booking).where(Booking.code == code_text)).one_or_none()


def is_imported_code(ctx: AppContext, text: str) -> bool:
    """True when ``text`` is the code of a booking imported from another system's list.

    The camera's region-first reader asks this (read-only) before it reports a text
    that is not shaped like a booking code; check-in still judges the booking.
    """
    if not text_rules.is_imported_code(text):  # the shape first: no query for what cannot be one
        return False
    with ctx.db.read() as session:
        found = session.scalars(select(Booking.id).where(Booking.code == text, Booking.source == "import")).first()
    return found is not None


__all__ = ["booking_for_code", "check_in", "is_imported_code", "issue_booked_ticket"]
