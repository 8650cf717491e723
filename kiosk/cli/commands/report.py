"""``report --date D --format csv|html|pdf --out FILE``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.cli.common import EXIT_CONFIG, CommandError, context, emit, parse_date
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help=tr(C, "laporan harian (dari peristiwa tiket)"))
    p.add_argument("--date", type=parse_date, help=tr(C, "harinya, YYYY-MM-DD (bawaan: hari ini)"))
    p.add_argument("--format", choices=["csv", "html", "pdf"], default="csv")
    p.add_argument("--out", type=Path, help=tr(C, "file keluaran (bawaan: keluaran standar untuk csv dan html)"))
    p.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from kiosk.reports.daily import daily_report
    from kiosk.reports.render import to_csv, to_html, write

    if args.format == "pdf" and args.out is None:
        raise CommandError(tr(C, "--format pdf perlu --out FILE"), EXIT_CONFIG, "usage")
    if args.format == "pdf" and sys.platform.startswith("linux") and not os.environ.get("DISPLAY") \
            and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ctx = context(args, "report")
    try:
        report = daily_report(ctx, args.date or ctx.today())
    finally:
        ctx.close()
    if args.out is None:
        sys.stdout.write(to_csv(report) if args.format == "csv" else to_html(report))
        return 0
    write(report, args.format, args.out)
    emit(args, {"out": str(args.out), "format": args.format, "date": report.day.isoformat()},
         f"{args.out} ({args.format})")
    return 0
