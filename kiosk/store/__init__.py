"""Storage: SQLAlchemy models, the database wrapper and Alembic migrations."""

from kiosk.store.db import Database, DatabaseError
from kiosk.store.models import (
    AuditEvent, Base, Booking, CheckinAttempt, DayCounter, IntakeMessage, OfficeKeyRecord, OutboxMessage, PrintJob, Ticket,
    TicketEvent,
)

__all__ = [
    "AuditEvent", "Base", "Booking", "CheckinAttempt", "Database", "DatabaseError", "DayCounter", "IntakeMessage",
    "OfficeKeyRecord", "OutboxMessage", "PrintJob", "Ticket", "TicketEvent",
]
