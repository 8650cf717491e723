"""Command modules, each with ``register(subparsers, common)``; add new ones here."""

from kiosk.cli.commands import (
    booking_lists, bookings, calls, checkin, demo, ops, printer, report, scan, setup, supervisor, whatsapp,
)

COMMANDS = [setup, bookings, checkin, calls, supervisor, report, ops, demo, printer, scan, whatsapp, booking_lists]
