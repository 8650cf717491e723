"""Use cases the windows and the command line call: one transaction each, typed results,
an event for every change of a ticket."""

from kiosk.services.bookings import BookingError, add_booking
from kiosk.services.calls import CallError, call_next, cancel, finish, no_show, recall, start_serving, transfer
from kiosk.services.checkin import check_in
from kiosk.services.queue import queue_status
from kiosk.services.results import CallResult, CheckInOutcome, CheckInResult, TicketInfo, WalkInOutcome, WalkInResult
from kiosk.services.supervisor import PinLocked, PinRejected, override_void, reprint, verify_pin
from kiosk.services.walkin import walk_in

__all__ = [
    "BookingError", "CallError", "CallResult", "CheckInOutcome", "CheckInResult", "PinLocked", "PinRejected",
    "TicketInfo", "WalkInOutcome", "WalkInResult", "add_booking", "call_next", "cancel", "check_in", "finish",
    "no_show", "override_void", "queue_status", "recall", "reprint", "start_serving",
    "transfer", "verify_pin", "walk_in",
]
