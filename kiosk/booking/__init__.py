"""Booking intake: WhatsApp messages (parser, office rules, slots and quota, replies with
a scannable image), the Cloud API webhook and senders, and booking lists from other
systems. See docs/booking-intake.md."""
