"""Ticket printing: renderers (ESC/POS bytes, PNG preview), transports, status, the printer thread.

``kiosk.core.ticket_layout`` decides what a ticket says; this package only draws it
and moves bytes. Nothing here knows about tickets in the database: the printer
thread takes jobs from a :class:`~kiosk.devices.printing.spooler.JobSource`.
"""
