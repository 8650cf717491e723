"""The print outbox as the printer thread sees it, and print jobs the CLI asks for.

Jobs are rows of ``print_jobs``; the check-in and walk-in services add them in the
ticket's own transaction. :class:`OutboxSource` is the printer thread's
:class:`~kiosk.devices.printing.spooler.JobSource`: each method is one transaction,
and the ticket is laid out when its job starts, so "waiting ahead" is what the queue
looks like when the paper comes out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true, update
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.core.ticket_layout import (
    Paper, TicketContent, TicketLayout, TicketTexts, layout_test_page, layout_ticket,
)
from kiosk.core.tickets import QueueOrder
from kiosk.devices.printing.printer import TicketPrinter
from kiosk.devices.printing.spooler import PendingJob, PrinterWorker
from kiosk.i18n import current_language, tr
from kiosk.core.wait import round_minutes
from kiosk.services.common import find_ticket
from kiosk.services.estimates import WaitEstimator
from kiosk.services.names import category_name, service_name
from kiosk.services.status import status_url
from kiosk.store import PrintJob, Ticket

TEST_PAGE = "test"
C = "Ticket"


def ticket_texts() -> TicketTexts:
    """The ticket's fixed words in the current language."""
    return TicketTexts(
        language=current_language(),
        heading=tr(C, "NOMOR ANTREAN"),
        category=tr(C, "Kategori: {category}"),
        scheduled=tr(C, "Jadwal: {time}"),
        checked_in=tr(C, "Check-in: {time}"),
        waiting=tr(C, "Menunggu di depan Anda: {count} orang"),
        estimate=tr(C, "Perkiraan tunggu: +/- {minutes} menit"),
        status_page=tr(C, "Pindai QR untuk status antrean"),
        instructions=tr(C, "Harap menunggu panggilan nomor Anda di ruang tunggu"),
        reprint=tr(C, "*** CETAK ULANG ***"),
        test_page=tr(C, "HALAMAN UJI PRINTER"),
        left=tr(C, "kiri"),
        right=tr(C, "kanan"),
        lansia=category_name("lansia"),
        anak=category_name("anak"),
        disabilitas=category_name("disabilitas"),
        ibu_hamil=category_name("ibu_hamil"),
    )


def ticket_reference(office: str, day: date, label: str) -> str:
    """What the QR code of a walk-in ticket holds, e.g. ``JKP-261127-B003``; booked
    tickets carry their booking code, which the desk scanner recognises."""
    return f"{office}-{day:%y%m%d}-{label}"


def waiting_ahead(ctx: AppContext, session: Session, ticket: Ticket) -> int:
    """How many tickets of the same queue are called before this one.

    One COUNT in the database, mirroring ``kiosk.core.tickets.order_queue`` (a test
    checks both agree): loading the whole queue cost milliseconds on the path to the
    printer's first byte.
    """
    if ticket.state != "waiting":
        return 0
    order = ctx.queue_orders.get(ticket.service)
    if order is None:
        return 0
    q, n, slot = ticket.queued_at, ticket.number, ticket.slot
    if order is QueueOrder.BY_SLOT:  # (slot is None, slot, number, queued_at)
        tie = or_(Ticket.number < n, and_(Ticket.number == n, Ticket.queued_at < q))
        if slot is None:
            before = or_(Ticket.slot.is_not(None), and_(Ticket.slot.is_(None), tie))
        else:
            before = and_(Ticket.slot.is_not(None), or_(Ticket.slot < slot, and_(Ticket.slot == slot, tie)))
    else:  # (queued_at, number)
        before = or_(Ticket.queued_at < q, and_(Ticket.queued_at == q, Ticket.number < n))
    return session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.service_day == ticket.service_day, Ticket.service == ticket.service, Ticket.state == "waiting",
        Ticket.id != ticket.id, before)) or 0


def ticket_content(ctx: AppContext, session: Session, ticket: Ticket, *, reprint: bool,
                   at: datetime | None = None) -> TicketContent:
    """What the ticket says; never the name or date of birth stored with it."""
    tz = ctx.config.tz
    booking = ticket.booking
    reference = booking.code if booking is not None else ticket_reference(ctx.config.office.code,
                                                                          ticket.service_day, ticket.label)
    ahead = waiting_ahead(ctx, session, ticket)
    estimate = None
    if ticket.category is not None and ahead and ticket.state == "waiting":  # the walk-in ticket says it
        wait = WaitEstimator(ctx, session, at).for_ticket(ticket.label)
        estimate = round_minutes(wait) if wait is not None else None
    return TicketContent(
        office_name=ctx.config.office.name,
        label=ticket.label,
        service_name=service_name(ctx.config.queue.services.get(ticket.prefix, ticket.prefix)),
        reference=reference,
        printed_at=(at or ctx.now()).astimezone(tz),
        waiting_ahead=ahead,
        category=ticket.category,
        scheduled=ticket.slot if booking is not None else None,
        checked_in=ticket.issued_at.astimezone(tz) if booking is not None else None,
        reprint=reprint,
        status_url=status_url(ctx, ticket.service_day, ticket.label),
        estimated_minutes=estimate,
    )


class OutboxSource:
    """``print_jobs`` for the printer thread (see kiosk.devices.printing.spooler).

    With ``printer.station`` set, the thread takes the jobs of its own desk and those
    of no desk in particular (claiming them); with it empty, every job.
    """

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.station = ctx.config.printer.station or None

    def _mine(self) -> ColumnElement[bool]:
        if self.station is None:
            return true()
        return or_(PrintJob.station == self.station, PrintJob.station.is_(None))

    def recover_interrupted(self) -> list[int]:
        # Only jobs this desk was printing: another desk's job in progress is not ours to redo.
        owner = PrintJob.station.is_(None) if self.station is None else PrintJob.station == self.station
        with self.ctx.db.write() as session:
            ids = list(session.scalars(select(PrintJob.id).where(PrintJob.state == "printing", owner)))
            if ids:
                session.execute(update(PrintJob).where(PrintJob.id.in_(ids))
                                .values(state="pending", reprint=True, last_error="interrupted while printing"))
            return ids

    def next_pending(self) -> PendingJob | None:
        with self.ctx.db.read() as session:
            job = session.scalars(select(PrintJob).where(PrintJob.state == "pending", self._mine())
                                  .order_by(PrintJob.id).limit(1)).one_or_none()
            if job is None:
                return None
            name = TEST_PAGE
            if job.ticket_id is not None:
                ticket = session.get(Ticket, job.ticket_id)
                name = ticket.label if ticket is not None else f"job-{job.id}"
            return PendingJob(job.id, name)

    def start(self, job_id: int, paper: Paper) -> TicketLayout:
        # The mark is committed on its own, before the first byte, and holds the write
        # lock only for one UPDATE; the layout is read afterwards. "state = pending" in
        # the UPDATE makes the claim atomic when several desks look at the same job.
        values: dict[str, object] = {"state": "printing", "attempts": PrintJob.attempts + 1,
                                     "started_at": self.ctx.now()}
        if self.station is not None:
            values["station"] = self.station
        with self.ctx.db.write() as session:
            marked = session.execute(update(PrintJob).where(PrintJob.id == job_id, PrintJob.state == "pending",
                                                            self._mine())
                                     .values(**values)
                                     .returning(PrintJob.ticket_id, PrintJob.reprint)).one_or_none()
        if marked is None:
            raise LookupError(f"print job {job_id} is no longer pending")
        ticket_id, reprint = marked
        if ticket_id is None:
            return layout_test_page(self.ctx.config.office.name, self.ctx.config.printer.profile, paper,
                                    self.ctx.local_now(), ticket_texts())
        with self.ctx.db.read() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise LookupError(f"ticket {ticket_id} of print job {job_id} is gone")
            return layout_ticket(ticket_content(self.ctx, session, ticket, reprint=reprint), paper, ticket_texts())

    def printed(self, job_id: int) -> None:
        with self.ctx.db.write() as session:
            session.execute(update(PrintJob).where(PrintJob.id == job_id)
                            .values(state="done", printed_at=self.ctx.now(), last_error=None))

    def failed(self, job_id: int, error: str, *, partly_printed: bool) -> None:
        values: dict[str, object] = {"state": "pending", "last_error": error[:500]}
        if partly_printed:
            values["reprint"] = True
        with self.ctx.db.write() as session:
            session.execute(update(PrintJob).where(PrintJob.id == job_id).values(**values))


    def give_up(self, job_id: int, error: str) -> None:
        with self.ctx.db.write() as session:
            session.execute(update(PrintJob).where(PrintJob.id == job_id)
                            .values(state="failed", last_error=error[:500]))


def queue_test_page(ctx: AppContext) -> int:
    """A test page is a job like any other, so it also proves the printer thread works."""
    with ctx.db.write() as session:
        job = PrintJob(ticket_id=None, kind="test", reprint=False, state="pending", attempts=0,
                       created_at=ctx.now(), station=ctx.config.printer.station or None)
        session.add(job)
        session.flush()
        return job.id


def render_ticket_layout(ctx: AppContext, label: str, paper: Paper, *, day: date | None = None) -> TicketLayout:
    """Today's ticket ``label`` laid out as it would print now (no job, nothing changes)."""
    with ctx.db.read() as session:
        ticket = find_ticket(session, day or ctx.today(), label)
        if ticket is None:
            raise LookupError(label)
        return layout_ticket(ticket_content(ctx, session, ticket, reprint=False), paper, ticket_texts())


def pending_jobs(ctx: AppContext) -> list[dict[str, object]]:
    """Jobs this desk's printer still has to print (or is printing)."""
    mine = OutboxSource(ctx)._mine()
    with ctx.db.read() as session:
        jobs = session.scalars(select(PrintJob).where(PrintJob.state.in_(("pending", "printing")), mine)
                               .order_by(PrintJob.id))
        return [{"id": j.id, "kind": j.kind, "state": j.state, "attempts": j.attempts, "reprint": j.reprint,
                 "last_error": j.last_error} for j in jobs]


def printer_worker(ctx: AppContext, printer: TicketPrinter | None = None, **options: Any) -> PrinterWorker:
    """The one way a printer thread is assembled: ``printer`` (the configured one when
    None; a printer the config names but the machine lacks raises here) fed by this
    office's print outbox. ``options`` are :class:`PrinterWorker`'s (``on_status``,
    ``on_printed``, ``backoff``, ``poll_seconds``, ``name``)."""
    if printer is None:
        from kiosk.devices.printing.factory import make_printer  # loads python-escpos only when needed

        printer = make_printer(ctx.config)
    return PrinterWorker(printer, OutboxSource(ctx), **options)
