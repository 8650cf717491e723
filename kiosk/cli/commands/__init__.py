"""Command modules, each with ``register(subparsers, common)``; add new ones here."""

from kiosk.cli.commands import booking_lists, bookings, calls, checkin, demo, setup, supervisor, whatsapp

COMMANDS = [setup, bookings, checkin, calls, supervisor, demo, whatsapp, booking_lists]
