"""``bookings import FILE`` and ``bookings export --date D``: lists from other systems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.common import EXIT_OK, CommandError, context, emit, parse_date
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bookings", parents=[common], help=tr(C, "impor dan ekspor daftar booking (CSV, JSON)"))
    bsub = p.add_subparsers(dest="bookings_command", required=True)
    imp = bsub.add_parser("import", parents=[common], help=tr(C, "impor daftar booking; semua baris atau tidak sama sekali"),
                          description=tr(C, "Kolom: code, name, birth_date, date, slot, dan bila ada number dan phone. Baris yang salah dilaporkan dengan nomor barisnya dan tidak ada yang diimpor; mengimpor file yang sama lagi tidak mengubah apa pun."))
    imp.add_argument("file", type=Path, help=tr(C, "file .csv atau .json"))
    imp.set_defaults(handler=run_import)
    exp = bsub.add_parser("export", parents=[common], help=tr(C, "tulis booking satu hari sebagai CSV"))
    exp.add_argument("--date", required=True, type=parse_date, help=tr(C, "tanggal layanan, YYYY-MM-DD"))
    exp.add_argument("--output", "-o", type=Path, help=tr(C, "file tujuan (hanya pemilik); bawaan: keluaran standar"))
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from kiosk.booking.importer import ImportFailed, import_bookings

    ctx = context(args, "import")
    try:
        result = import_bookings(ctx, args.file)
    except ImportFailed as exc:
        raise CommandError(tr(C, "tidak ada yang diimpor:") + "\n" + "\n".join(exc.errors), outcome="rejected") from None
    finally:
        ctx.close()
    emit(args, {"outcome": "imported", **result.to_json()},
         f"{result.added} booking diimpor, {result.unchanged} sudah ada (tidak berubah).")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from kiosk.booking.importer import export_day
    from kiosk.private_files import write_private

    ctx = context(args, "export")
    try:
        text = export_day(ctx, args.date)
    finally:
        ctx.close()
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_private(args.output, text)
    except OSError as exc:
        raise CommandError(tr(C, "tidak bisa menulis {file}: {reason}", file=args.output, reason=exc.strerror)) from None
    emit(args, {"outcome": "exported", "file": str(args.output), "rows": text.count("\n") - 1},
         f"{text.count(chr(10)) - 1} booking ditulis ke {args.output}")
    return EXIT_OK
