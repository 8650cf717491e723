"""Supervisor actions behind the PIN: override a void, reprint, cancel; set the PIN."""

from __future__ import annotations

import argparse

from kiosk.cli.common import EXIT_OK, CommandError, config_path, context, emit
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("supervisor", parents=[common], help=tr(C, "tindakan yang perlu PIN supervisor"))
    ssub = p.add_subparsers(dest="supervisor_command", required=True)
    o = ssub.add_parser("override", parents=[common], help=tr(C, "terbitkan tiket untuk kode booking yang hangus"))
    o.add_argument("code")
    o.add_argument("--pin", required=True)
    o.add_argument("--reason", required=True)
    r = ssub.add_parser("reprint", parents=[common], help=tr(C, "cetak ulang tiket (bertanda CETAK ULANG)"))
    r.add_argument("number", help=tr(C, "nomor tiket, mis. A042"))
    r.add_argument("--pin", required=True)
    c = ssub.add_parser("cancel", parents=[common], help=tr(C, "batalkan tiket yang menunggu atau sudah dipanggil"))
    c.add_argument("number")
    c.add_argument("--pin", required=True)
    c.add_argument("--reason", required=True)
    s = ssub.add_parser("set-pin", parents=[common], help=tr(C, "ganti PIN supervisor"))
    s.add_argument("--pin", required=True, help=tr(C, "PIN saat ini"))
    s.add_argument("--new-pin", required=True, help=tr(C, "6-12 angka; hash dibuat ulang dengan pepper baru"))
    for parser in (o, r, c, s):
        parser.set_defaults(handler=run_supervisor)


def run_supervisor(args: argparse.Namespace) -> int:
    from kiosk import services
    from kiosk.services import CallError, PinLocked, PinRejected
    from kiosk.services.supervisor import SupervisorError, change_pin

    ctx = context(args, "supervisor")
    try:
        command = args.supervisor_command
        if command == "override":
            result = services.override_void(ctx, args.code, pin=args.pin, reason=args.reason, actor="supervisor")
            emit(args, result.to_json(), f"[{result.outcome.value}] {result.message}")
        elif command == "reprint":
            ticket, job = services.reprint(ctx, args.number, pin=args.pin, actor="supervisor")
            emit(args, {"ticket": ticket.to_json(), "print_job": job}, tr(C, "{number}: cetak ulang dikirim", number=ticket.label))
        elif command == "cancel":
            ticket = services.cancel_ticket(ctx, args.number, pin=args.pin, reason=args.reason, actor="supervisor")
            emit(args, {"ticket": ticket.to_json()}, tr(C, "{number} dibatalkan", number=ticket.label))
        else:
            try:
                change_pin(ctx, config_path(args), args.pin, args.new_pin, actor="supervisor")
            except ValueError as exc:
                raise CommandError(str(exc), 2, "usage") from None
            emit(args, {"outcome": "pin_changed"}, tr(C, "PIN supervisor diganti."))
    except (PinLocked, PinRejected, SupervisorError, CallError) as exc:
        raise CommandError(str(exc), outcome="refused") from None
    finally:
        ctx.close()
    return EXIT_OK
