"""Command modules, each with ``register(subparsers, common)``; add new ones here,
one per line, in the order ``--help`` lists them."""

from kiosk.cli.commands import (
    bookings,
    calls,
    checkin,
    demo,
    desk,
    display,
    ops,
    printer,
    report,
    scan,
    setup,
    supervisor,
)

COMMANDS = [
    setup,
    bookings,
    checkin,
    calls,
    supervisor,
    report,
    ops,
    demo,
    printer,
    scan,
    display,
    desk,
]
