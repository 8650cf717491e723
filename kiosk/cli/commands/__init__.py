"""Command modules, each with ``register(subparsers, common)``; add new ones here,
one per line, in the order ``--help`` lists them."""

from kiosk.cli.commands import (
    booking_lists,
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
    simulate,
    supervisor,
    whatsapp,
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
    whatsapp,
    booking_lists,
    desk,
    simulate,
]
