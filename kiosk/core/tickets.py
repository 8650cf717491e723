"""Ticket numbers, the ticket state machine and the call-next policy."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

MAX_NUMBER = 999


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class TicketAction(StrEnum):
    CALL = "call"
    RECALL = "recall"
    SERVE = "serve"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    CANCEL = "cancel"


S, A = TicketState, TicketAction
# (action, from state) -> to state. Anything not listed is refused.
TRANSITIONS: dict[tuple[TicketAction, TicketState], TicketState] = {
    (A.CALL, S.WAITING): S.CALLED,
    (A.RECALL, S.CALLED): S.CALLED,
    (A.SERVE, S.CALLED): S.SERVING,
    (A.DONE, S.CALLED): S.DONE,  # served without pressing "Mulai layani"
    (A.DONE, S.SERVING): S.DONE,
    (A.NO_SHOW, S.CALLED): S.NO_SHOW,
    (A.TRANSFER, S.WAITING): S.WAITING,  # waits again, in the other service's queue
    (A.TRANSFER, S.CALLED): S.WAITING,
    (A.CANCEL, S.WAITING): S.CANCELLED,
    (A.CANCEL, S.CALLED): S.CANCELLED,
}
FINAL_STATES = frozenset({S.DONE, S.NO_SHOW, S.CANCELLED})
del S, A


class InvalidTransition(ValueError):
    def __init__(self, state: TicketState, action: TicketAction) -> None:
        super().__init__(f"cannot {action.value} a ticket that is {state.value}")
        self.state = state
        self.action = action


def next_state(state: TicketState, action: TicketAction) -> TicketState:
    try:
        return TRANSITIONS[(action, state)]
    except KeyError:
        raise InvalidTransition(state, action) from None


def format_number(prefix: str, number: int) -> str:
    """``("A", 42)`` → ``"A042"``."""
    if not 1 <= number <= MAX_NUMBER:
        raise ValueError(f"ticket number must be 1-{MAX_NUMBER}, got {number}")
    return f"{prefix}{number:03d}"


def parse_number(label: str) -> tuple[str, int]:
    """``"a42"`` / ``"A042"`` → ``("A", 42)``; raises ValueError for anything else."""
    text = label.strip().upper()
    if len(text) < 2 or not text[0].isalpha() or not text[0].isascii() or not text[1:].isdigit():
        raise ValueError(f"not a ticket number: {label!r}")
    number = int(text[1:])
    if not 1 <= number <= MAX_NUMBER:
        raise ValueError(f"not a ticket number: {label!r}")
    return text[0], number


def next_free_number(last: int, taken: Collection[int] = ()) -> int:
    """The first number above ``last`` (the day's counter) that is not ``taken``: numbers
    never repeat within a day, gaps below the counter are not reused, and numbers an
    imported list reserved are stepped over rather than closing the day."""
    number = last + 1
    while number in taken:
        number += 1
    if number > MAX_NUMBER:
        raise OverflowError("all ticket numbers of the day are used")
    return number


class QueueOrder(StrEnum):
    BY_SLOT = "slot"  # booked service: lowest (slot, number) first
    BY_ARRIVAL = "arrival"  # walk-in service: first come, first served


@dataclass(frozen=True)
class WaitingTicket:
    ticket_id: int
    service: str
    number: int
    queued_at: datetime
    slot: time | None = None


def _sort_key(order: QueueOrder, ticket: WaitingTicket) -> tuple[object, ...]:
    if order is QueueOrder.BY_SLOT:
        # Tickets without a slot (transferred in) go after the booked ones, in arrival order.
        return (ticket.slot is None, ticket.slot or time.max, ticket.number, ticket.queued_at)
    return (ticket.queued_at, ticket.number)


def order_queue(order: QueueOrder, tickets: Iterable[WaitingTicket]) -> list[WaitingTicket]:
    return sorted(tickets, key=lambda t: _sort_key(order, t))


def choose_next(
    services_in_order: Sequence[str],
    waiting: Iterable[WaitingTicket],
    orders: dict[str, QueueOrder],
) -> WaitingTicket | None:
    """The ticket a counter serving ``services_in_order`` calls next.

    The first service in the counter's list that has anyone waiting wins; within it,
    the service's own order applies.
    """
    by_service: dict[str, list[WaitingTicket]] = {}
    for ticket in waiting:
        by_service.setdefault(ticket.service, []).append(ticket)
    for service in services_in_order:
        queue = by_service.get(service)
        if queue:
            return order_queue(orders.get(service, QueueOrder.BY_ARRIVAL), queue)[0]
    return None
