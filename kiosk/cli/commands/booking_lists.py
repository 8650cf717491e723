"""``bookings import FILE`` and ``bookings export --date D``: lists from other systems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.common import EXIT_OK, CommandError, context, emit, parse_date


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bookings", parents=[common], help="import and export booking lists (CSV, JSON)")
    bsub = p.add_subparsers(dest="bookings_command", required=True)
    imp = bsub.add_parser("import", parents=[common], help="import a booking list; all rows or none",
                          description="Columns: code, name, birth_date, date, slot, and optionally number and "
                                      "phone. A bad row is reported with its row number and nothing is "
                                      "imported; importing the same file again changes nothing.")
    imp.add_argument("file", type=Path, help="a .csv or .json file")
    imp.set_defaults(handler=run_import)
    exp = bsub.add_parser("export", parents=[common], help="write one day's bookings as CSV")
    exp.add_argument("--date", required=True, type=parse_date, help="service date, YYYY-MM-DD")
    exp.add_argument("--output", "-o", type=Path, help="file to write (owner-only); default: standard output")
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    from kiosk.booking.importer import ImportFailed, import_bookings

    ctx = context(args, "import")
    try:
        result = import_bookings(ctx, args.file)
    except ImportFailed as exc:
        raise CommandError("nothing imported:\n" + "\n".join(exc.errors), outcome="rejected") from None
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
        raise CommandError(f"cannot write {args.output}: {exc.strerror}") from None
    emit(args, {"outcome": "exported", "file": str(args.output), "rows": text.count("\n") - 1},
         f"{text.count(chr(10)) - 1} booking ditulis ke {args.output}")
    return EXIT_OK
