"""Command modules, each with ``register(subparsers, common)``; add new ones here."""

from kiosk.cli.commands import bookings, calls, checkin, demo, desk, ops, printer, report, setup, supervisor

COMMANDS = [setup, bookings, checkin, calls, supervisor, report, ops, demo, printer, desk]
