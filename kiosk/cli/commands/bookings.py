"""``booking add``."""

from __future__ import annotations

import argparse

from kiosk.cli.common import CommandError, context, emit, parse_date, parse_slot
from kiosk.i18n import clock_time, long_date, tr
from kiosk.core.tickets import format_number
from kiosk.services.bookings import BookingError, add_booking

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("booking", parents=[common], help=tr(C, "booking di kantor ini"))
    bsub = p.add_subparsers(dest="booking_command", required=True)
    add = bsub.add_parser("add", parents=[common], help=tr(C, "tambah booking dan tampilkan kodenya"))
    add.add_argument("--name", required=True)
    add.add_argument("--birth", required=True, type=parse_date, help=tr(C, "tanggal lahir, YYYY-MM-DD"))
    add.add_argument("--date", required=True, type=parse_date, help=tr(C, "tanggal layanan, YYYY-MM-DD"))
    add.add_argument("--slot", required=True, type=parse_slot, help=tr(C, "jam jadwal, HH:MM (waktu kantor)"))
    add.add_argument("--phone", help=tr(C, "nomor WhatsApp, mis. 6281234567890"))
    add.set_defaults(handler=run_add)


def run_add(args: argparse.Namespace) -> int:
    ctx = context(args, "cli")
    try:
        info = add_booking(ctx, name=args.name, birth=args.birth, service_date=args.date, slot=args.slot,
                           phone=args.phone)
    except BookingError as exc:
        raise CommandError(str(exc), outcome="rejected") from None
    finally:
        ctx.close()
    emit(args, info.to_json(), info.code + "\n" + tr(
        C, "Nomor antrean {number}, {date} pukul {time}", number=format_number(ctx.config.queue.booking_service, info.number),
        date=long_date(info.service_date), time=clock_time(info.slot)))
    return 0
