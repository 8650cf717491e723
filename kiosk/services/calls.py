"""Counter actions: call next, recall, start serving, done, no-show, transfer, cancel."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import nulls_last, select
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.core.tickets import InvalidTransition, QueueOrder, TicketAction, TicketState, next_state
from kiosk.i18n import tr
from kiosk.store import Ticket
from kiosk.services.common import find_ticket, record_event
from kiosk.services.results import CallResult, TicketInfo

C = "Counter"
ACTIVE = (TicketState.CALLED.value, TicketState.SERVING.value)


class CallError(ValueError):
    """A counter action that cannot be done; the message is for the officer."""


def _services_of(ctx: AppContext, counter: int) -> list[str]:
    services = ctx.config.queue.counters.get(str(counter))
    if services is None:
        raise CallError(tr(C, "Loket {counter} tidak ada di konfigurasi (ada: {known}).", counter=counter,
                           known=", ".join(sorted(ctx.config.queue.counters, key=int))))
    return services


def _current(ctx: AppContext, session: Session, counter: int) -> Ticket | None:
    """The ticket this counter has called or is serving today, locked."""
    return session.scalars(
        select(Ticket).where(Ticket.service_day == ctx.today(), Ticket.counter == counter,
                             Ticket.state.in_(ACTIVE))
        .order_by(Ticket.called_at.desc()).limit(1).with_for_update()).first()


def _transition(ctx: AppContext, session: Session, ticket: Ticket, action: TicketAction, *, counter: int | None,
                actor: str, detail: dict[str, object] | None = None) -> None:
    before = ticket.state
    try:
        ticket.state = next_state(TicketState(before), action).value
    except InvalidTransition:
        raise CallError(tr(C, "Nomor {number} sedang berstatus {state}; tindakan ini tidak bisa dilakukan.",
                           number=ticket.label, state=before)) from None
    now = ctx.now()
    if action is TicketAction.CALL:
        ticket.called_at = now
        ticket.counter = counter
    if ticket.state in (TicketState.DONE, TicketState.NO_SHOW, TicketState.CANCELLED):
        ticket.finished_at = now
    record_event(ctx, session, ticket, action.value, from_state=before, actor=actor, counter=counter, detail=detail)


def _order_by(order: QueueOrder) -> list[object]:
    # Mirrors kiosk.core.tickets.order_queue (a test holds them equal).
    if order is QueueOrder.BY_SLOT:
        return [nulls_last(Ticket.slot.asc()), Ticket.number, Ticket.queued_at]
    return [Ticket.queued_at, Ticket.number]


def call_next(ctx: AppContext, counter: int, *, actor: str = "counter") -> CallResult:
    """Close the counter's current ticket, then call the first waiting ticket of the first
    service in the counter's list that has one. Two counters never get the same ticket:
    SQLite serialises writers; on PostgreSQL the candidate row is taken with
    ``FOR UPDATE SKIP LOCKED``."""
    services = _services_of(ctx, counter)
    orders = ctx.queue_orders
    with ctx.db.write() as session:
        finished = None
        current = _current(ctx, session, counter)
        if current is not None:
            # Served, it is done; called but never served, it is recorded as not served
            # (no-show), never counted as served (docs/display.md).
            action = TicketAction.DONE if current.state == TicketState.SERVING.value else TicketAction.NO_SHOW
            _transition(ctx, session, current, action, counter=counter, actor=actor, detail={"auto": True})
            finished = TicketInfo.of(current)
        for service in services:
            candidate = session.scalars(
                select(Ticket).where(Ticket.service_day == ctx.today(), Ticket.service == service,
                                     Ticket.state == TicketState.WAITING.value)
                .order_by(*_order_by(orders.get(service, QueueOrder.BY_ARRIVAL)))
                .limit(1).with_for_update(skip_locked=True)).first()
            if candidate is not None:
                _transition(ctx, session, candidate, TicketAction.CALL, counter=counter, actor=actor)
                info = TicketInfo.of(candidate)
                return CallResult("call", counter, tr(C, "Memanggil {number} ke loket {counter}.",
                                                      number=info.label, counter=counter) + _closed(finished),
                                  info, finished)
        return CallResult("call", counter, tr(C, "Tidak ada antrean yang menunggu untuk loket {counter}.",
                                              counter=counter) + _closed(finished), None, finished)


def _closed(finished: TicketInfo | None) -> str:
    """What happened to the ticket the counter had before, when it was not served."""
    if finished is None or finished.state != TicketState.NO_SHOW.value:
        return ""
    return " " + tr(C, "{number} tidak dilayani: dicatat tidak hadir.", number=finished.label)


def _act_on_current(ctx: AppContext, counter: int, action: TicketAction, actor: str,
                    message: Callable[[TicketInfo], str], **detail: object) -> CallResult:
    _services_of(ctx, counter)
    with ctx.db.write() as session:
        ticket = _current(ctx, session, counter)
        if ticket is None:
            raise CallError(tr(C, "Loket {counter} belum memanggil nomor apa pun.", counter=counter))
        if action is TicketAction.TRANSFER:
            if ticket.service == detail["to"]:
                raise CallError(tr(C, "{number} sudah di layanan {service}; pilih layanan lain untuk mengalihkan.",
                                   number=ticket.label, service=ticket.service))
            ticket.service = str(detail["to"])
            ticket.queued_at = ctx.now()
        _transition(ctx, session, ticket, action, counter=counter, actor=actor, detail=dict(detail) or None)
        if action is TicketAction.TRANSFER:
            ticket.counter = None
        info = TicketInfo.of(ticket)
    return CallResult(action.value, counter, message(info), info)


def recall(ctx: AppContext, counter: int, *, actor: str = "counter") -> CallResult:
    return _act_on_current(ctx, counter, TicketAction.RECALL, actor,
                           lambda t: tr(C, "Memanggil ulang {number} ke loket {counter}.", number=t.label,
                                        counter=counter))


def start_serving(ctx: AppContext, counter: int, *, actor: str = "counter") -> CallResult:
    return _act_on_current(ctx, counter, TicketAction.SERVE, actor, lambda t: tr(C, "Melayani {number} di loket {counter}.", number=t.label, counter=counter))


def finish(ctx: AppContext, counter: int, *, actor: str = "counter") -> CallResult:
    return _act_on_current(ctx, counter, TicketAction.DONE, actor, lambda t: tr(C, "{number} selesai dilayani.", number=t.label))


def no_show(ctx: AppContext, counter: int, *, actor: str = "counter") -> CallResult:
    return _act_on_current(ctx, counter, TicketAction.NO_SHOW, actor, lambda t: tr(C, "{number} tidak hadir.", number=t.label))


def transfer(ctx: AppContext, counter: int, to_service: str, *, actor: str = "counter") -> CallResult:
    to_service = to_service.strip().upper()
    if to_service not in ctx.config.queue.services:
        raise CallError(tr(C, "Layanan {service} tidak ada (ada: {known}).", service=to_service[:8],
                           known=", ".join(ctx.config.queue.services)))
    return _act_on_current(ctx, counter, TicketAction.TRANSFER, actor,
                           lambda t: tr(C, "{number} dialihkan ke layanan {service}.", number=t.label,
                                        service=to_service), to=to_service)


def cancel(ctx: AppContext, label: str, *, actor: str, reason: str | None = None) -> TicketInfo:
    """Cancel one of today's tickets (a supervisor action: the caller checks the PIN)."""
    with ctx.db.write() as session:
        ticket = find_ticket(session, ctx.today(), label)
        if ticket is None:
            raise CallError(tr(C, "Nomor {number} tidak ada hari ini.", number=label[:12]))
        _transition(ctx, session, ticket, TicketAction.CANCEL, counter=None, actor=actor,
                    detail={"reason": reason} if reason else None)
        return TicketInfo.of(ticket)
