"""Walk-in priority tickets: lansia, anak, disabilitas, ibu hamil."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kiosk.app import AppContext
from kiosk.i18n import short_date, tr
from kiosk.core.priority import PriorityCategory
from kiosk.core.text import squeeze
from kiosk.store import Ticket
from kiosk.services.bookings import BookingError, check_birth_date, clean_name
from kiosk.services.names import category_name
from kiosk.services.common import allocate_number, lock_counter_row, priority_tickets_issued, queue_print, record_event
from kiosk.services.results import TicketInfo, WalkInOutcome, WalkInResult

C = "WalkIn"
MAX_NAME = 120


def category_label(category: PriorityCategory) -> str:
    return category_name(category.value)


def quota_left(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return max(0, ctx.config.priority.daily_quota - priority_tickets_issued(ctx, session, ctx.today()))


def _refused(outcome: WalkInOutcome, say: Callable[[], str], *, quota_left: int | None = None) -> WalkInResult:
    """A refusal, its words said now and again after a language switch."""
    return WalkInResult(outcome, say(), quota_left=quota_left, say=say)


def walk_in(ctx: AppContext, category: str, *, birth: date | None = None, name: str | None = None,
            actor: str = "desk") -> WalkInResult:
    """Issue a ``B`` ticket when the category's rule and the daily quota allow it."""
    try:
        cat = PriorityCategory(category)
    except ValueError:
        cat = None
    if cat is None or cat.value not in ctx.config.priority.categories:
        shown = str(category)[:40]
        return _refused(WalkInOutcome.CATEGORY_UNKNOWN,
                        lambda: tr(C, "Kategori prioritas tidak dikenal: {category}.", category=shown))
    today = ctx.today()
    rule = ctx.age_rule
    try:  # the same rules as a booking's: no 1800 birth making a lansia, no control characters
        if birth is not None:
            check_birth_date(birth, today)
        if name is not None and name.strip():
            name = clean_name(name)
    except BookingError as exc:
        return WalkInResult(WalkInOutcome.INVALID_INPUT, str(exc))
    if rule.needs_birth_date(cat) and birth is None:
        needing = cat
        return _refused(WalkInOutcome.BIRTH_REQUIRED,
                        lambda: tr(C, "Kategori {category} memerlukan tanggal lahir.", category=category_label(needing)))
    if not rule.allows(cat, birth, today):
        born = birth
        if cat is PriorityCategory.LANSIA:
            def say() -> str:
                return tr(C, "Ditolak: lansia harus berusia minimal {age} tahun (lahir {birth}).",
                          age=rule.lansia_min_age, birth=short_date(born) if born else "-")
        else:
            def say() -> str:
                return tr(C, "Ditolak: kategori anak untuk usia di bawah {age} tahun (lahir {birth}).",
                          age=rule.anak_under_age, birth=short_date(born) if born else "-")
        return _refused(WalkInOutcome.AGE_REFUSED, say)
    if name is not None:
        name = squeeze(name) or None
    prefix = ctx.config.queue.priority_service
    quota = ctx.config.priority.daily_quota
    with ctx.db.write() as session:
        lock_counter_row(ctx, session, today, prefix)  # serialises the quota check
        issued = priority_tickets_issued(ctx, session, today)
        if issued >= quota:
            return _refused(WalkInOutcome.QUOTA_FULL,
                            lambda: tr(C, "Kuota antrean prioritas hari ini ({quota}) sudah habis.", quota=quota),
                            quota_left=0)
        number = allocate_number(ctx, session, today, prefix)
        now = ctx.now()
        ticket = Ticket(service_day=today, prefix=prefix, number=number, service=prefix, state="waiting",
                        category=cat.value, issued_at=now, queued_at=now,
                        name=name if rule.needs_birth_date(cat) else None,
                        birth_date=birth if rule.needs_birth_date(cat) else None)
        session.add(ticket)
        session.flush()
        record_event(ctx, session, ticket, "issued", from_state=None, actor=actor, detail={"category": cat.value})
        job = queue_print(ctx, session, ticket)
        info = TicketInfo.of(ticket)
    return WalkInResult(WalkInOutcome.ISSUED,
                        tr(C, "Nomor antrean prioritas {number} ({category}) sedang dicetak.", number=info.label,
                           category=category_label(cat)),
                        info, quota_left=quota - issued - 1, print_job_id=job.id)
