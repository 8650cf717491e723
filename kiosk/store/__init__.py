"""Storage: SQLAlchemy models, the database wrapper and Alembic migrations."""

from kiosk.store.db import Database, DatabaseError
from kiosk.store.models import AuditEvent, Base, Booking, CheckinAttempt, DayCounter, OfficeKeyRecord, PrintJob, Ticket, TicketEvent

__all__ = [
    "AuditEvent", "Base", "Booking", "CheckinAttempt", "Database", "DatabaseError", "DayCounter",
    "OfficeKeyRecord", "PrintJob", "Ticket", "TicketEvent",
]
