"""SQLAlchemy 2 models. Times are stored in UTC; ``service_day`` is the office-local day.

Changing a model needs a new migration in ``migrations/versions`` (a test compares the
models with the migrated schema).
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import (
    JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Time, TypeDecorator, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC, the same on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use timezone-aware times")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class Booking(Base):
    """An appointment: made here (code v1) or imported from another system."""

    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("office", "service_date", "number", name="uq_booking_number"),
        Index("ix_booking_day", "service_date", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    office: Mapped[str] = mapped_column(String(5))
    service_date: Mapped[date] = mapped_column(Date)
    slot: Mapped[time] = mapped_column(Time)
    number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default="local")  # local | whatsapp | import
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | checked_in | void | cancelled
    # Personal data: purged after the retention period; counts and times stay.
    name: Mapped[str | None] = mapped_column(String(120))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    void_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ticket: Mapped[Ticket | None] = relationship(back_populates="booking", uselist=False)


class Ticket(Base):
    """A queue ticket. ``prefix`` + ``number`` is what is printed and called (A042);
    ``service`` is the queue it waits in now (a transfer changes it, not the number)."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("service_day", "prefix", "number", name="uq_ticket_number"),
        Index("ix_ticket_queue", "service_day", "service", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_day: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(1))
    number: Mapped[int] = mapped_column(Integer)
    service: Mapped[str] = mapped_column(String(1))
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), unique=True)
    category: Mapped[str | None] = mapped_column(String(16))  # priority walk-ins
    slot: Mapped[time | None] = mapped_column(Time)
    counter: Mapped[int | None] = mapped_column(Integer)  # the counter that called it last
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)  # joined its current queue
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Personal data of walk-ins where the category needs it; purged like bookings.
    name: Mapped[str | None] = mapped_column(String(120))
    birth_date: Mapped[date | None] = mapped_column(Date)

    booking: Mapped[Booking | None] = relationship(back_populates="ticket")

    @property
    def label(self) -> str:
        return f"{self.prefix}{self.number:03d}"


class TicketEvent(Base):
    """Every change of a ticket; reports and the display are built from these."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_event_ticket", "ticket_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))  # issued | call | recall | serve | done | no_show | transfer | cancel | reprint
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    service: Mapped[str] = mapped_column(String(1))
    counter: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, object] | None] = mapped_column(JSON)


class PrintJob(Base):
    """The print outbox: written in the same transaction as the ticket it prints."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_state", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(16), default="ticket")  # ticket | reprint | test
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | printing | done | failed
    # The desk whose printer prints it (printer.station); None: any printer of the office.
    station: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Supervisor actions, key changes, purges, PIN failures: who did what, when."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[dict[str, object] | None] = mapped_column(JSON)


class CheckinAttempt(Base):
    """Every scan and its verdict (too-early attempts are a report figure). The scanned
    text itself is not kept: garbage may hold anything."""

    __tablename__ = "checkin_attempts"
    __table_args__ = (Index("ix_attempt_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(24))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    actor: Mapped[str] = mapped_column(String(40))


class DayCounter(Base):
    """Last number handed out per day and prefix; its row lock serialises numbering on
    PostgreSQL (SQLite serialises with BEGIN IMMEDIATE)."""

    __tablename__ = "day_counters"

    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(1), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class OfficeKeyRecord(Base):
    """Public facts of a booking-code key (never the secret): lets several PCs notice
    that their key files differ."""

    __tablename__ = "office_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IntakeMessage(Base):
    """A booking message already handled, with the reply it got: the same message id
    again gets the same reply and makes no second booking. The address and the e-KTP
    photo (Batam format) are personal data, purged with the booking's."""

    __tablename__ = "intake_messages"
    __table_args__ = (Index("ix_intake_phone", "phone"), Index("ix_intake_received", "received_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default="whatsapp")
    phone: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))  # book | cancel | status | help | unsupported
    outcome: Mapped[str] = mapped_column(String(32))
    reply_text: Mapped[str] = mapped_column(Text)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    address: Mapped[str | None] = mapped_column(Text)
    photo_path: Mapped[str | None] = mapped_column(String(255))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    booking: Mapped[Booking | None] = relationship()


class OutboxMessage(Base):
    """A reply to send: the default sender only writes here and to the log; the Cloud
    API sender records what it sent and what failed."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_state", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(16), default="whatsapp")
    phone: Mapped[str | None] = mapped_column(String(32))
    in_reply_to: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    image_path: Mapped[str | None] = mapped_column(String(255))
    # queued | sending (claimed by one sender) | sent | failed (retried) | given_up
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[str | None] = mapped_column(String(128))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
