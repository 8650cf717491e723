"""``printer test|status|run`` and ``ticket render NUMBER --format escpos|png --out FILE``."""

from __future__ import annotations

import argparse
import os
import signal
import tempfile
import threading
from pathlib import Path

from kiosk.cli.common import EXIT_OK, EXIT_UNAVAILABLE, CommandError, config_path, context, emit, parse_date
from kiosk.config import load_config
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("printer", parents=[common], help=tr(C, "printer tiket: halaman uji, status, pencetakan"))
    psub = p.add_subparsers(dest="printer_command", required=True, metavar="ACTION")
    psub.add_parser("test", parents=[common], help=tr(C, "cetak halaman uji sekarang di printer yang diatur")) \
        .set_defaults(handler=run_test)
    psub.add_parser("status", parents=[common], help=tr(C, "keadaan printer dan tiket yang menunggu dicetak")) \
        .set_defaults(handler=run_status)
    r = psub.add_parser("run", parents=[common], help=tr(C, "cetak tiket yang mengantre (utas printer, di latar depan)"))
    r.add_argument("--once", action="store_true", help=tr(C, "berhenti bila antrean cetak kosong (atau printer gagal)"))
    r.set_defaults(handler=run_printer)
    t = sub.add_parser("ticket", parents=[common], help=tr(C, "tiket sebagai file"))
    tsub = t.add_subparsers(dest="ticket_command", required=True, metavar="ACTION")
    render = tsub.add_parser("render", parents=[common], help=tr(C, "buat gambar salah satu tiket hari ini tanpa mencetaknya"))
    render.add_argument("number", help=tr(C, "nomor tiket, mis. A042"))
    render.add_argument("--format", choices=["escpos", "png"], required=True)
    render.add_argument("--out", required=True, type=Path, help=tr(C, "file tujuan"))
    render.add_argument("--date", type=parse_date, help=tr(C, "hari layanan YYYY-MM-DD (bawaan: hari ini)"))
    render.set_defaults(handler=run_render)


def _printer(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from kiosk.devices.printing.factory import make_printer
    from kiosk.devices.printing.profiles import ProfileError

    config = load_config(config_path(args))
    try:
        return config, make_printer(config)
    except ProfileError as exc:
        raise CommandError(str(exc), 2, "config_error") from None


def run_test(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from kiosk.core.ticket_layout import layout_test_page
    from kiosk.devices.printing.printer import PreviewPrinter, PrintError
    from kiosk.services.printing import ticket_texts

    config, printer = _printer(args)
    layout = layout_test_page(config.office.name, config.printer.profile, printer.paper,
                              datetime.now(timezone.utc).astimezone(config.tz), ticket_texts())
    try:
        sent = printer.print_layout(layout, "test")
    except PrintError as exc:
        raise CommandError(f"{exc.status.message()}: {exc}", EXIT_UNAVAILABLE, exc.status.state.value) from None
    where = f" → {printer.last_path}" if isinstance(printer, PreviewPrinter) else ""
    emit(args, {"outcome": "printed", "printer": printer.describe(), "bytes": sent,
                "file": str(printer.last_path) if isinstance(printer, PreviewPrinter) else None},
         tr(C, "Halaman uji dicetak: {printer}", printer=printer.describe()) + where)
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    from kiosk.services.printing import pending_jobs
    from kiosk.store import DatabaseError

    _, printer = _printer(args)
    status = printer.status()
    try:
        ctx = context(args, "cli")
        try:
            jobs: list[dict[str, object]] | None = pending_jobs(ctx)
        finally:
            ctx.close()
    except DatabaseError:
        jobs = None  # the printer's state is still worth showing
    data = {"outcome": status.state.value, "printer": printer.describe(), "state": status.state.value,
            "paper_low": status.paper_low, "detail": status.detail, "pending_jobs": jobs}
    waiting = "?" if jobs is None else str(len(jobs))
    emit(args, data, f"{printer.describe()}: {status.message()}"
                     f"{' — ' + status.detail if status.detail else ''}\n"
                     + tr(C, "Menunggu dicetak: {count}", count=waiting))
    return EXIT_OK if status.ok else EXIT_UNAVAILABLE


def run_printer(args: argparse.Namespace) -> int:
    from kiosk.services.printing import pending_jobs, printer_worker

    ctx = context(args, "printer")
    done = threading.Event()
    failed: list[str] = []

    def on_status(status) -> None:  # type: ignore[no-untyped-def]
        emit(args, {"event": "status", "state": status.state.value, "detail": status.detail}, status.message())
        if args.once and not status.ok:
            failed.append(status.message())
            done.set()

    def on_printed(job_id: int, name: str) -> None:
        emit(args, {"event": "printed", "job": job_id, "name": name}, tr(C, "Dicetak: {name}", name=name))
        if args.once and not pending_jobs(ctx):
            done.set()

    worker = printer_worker(ctx, on_status=on_status, on_printed=on_printed)
    previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        if args.once and not pending_jobs(ctx):
            return EXIT_OK
        worker.start()
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
        signal.signal(signal.SIGTERM, previous)
        ctx.close()
    return EXIT_UNAVAILABLE if failed else EXIT_OK


def run_render(args: argparse.Namespace) -> int:
    from kiosk.core.tickets import parse_number
    from kiosk.devices.printing.profiles import printer_model
    from kiosk.devices.printing.render_escpos import render_escpos
    from kiosk.devices.printing.render_png import render_png
    from kiosk.services.printing import render_ticket_layout

    try:
        parse_number(args.number)
    except ValueError:
        raise CommandError(tr(C, "Bukan nomor antrean: {text} (contoh: A042)", text=repr(args.number)), 2,
                           "usage") from None
    ctx = context(args, "cli")
    try:
        p = ctx.config.printer
        model = printer_model(p.profile, p.paper_mm, p.native_qr)
        try:
            layout = render_ticket_layout(ctx, args.number, model.paper, day=args.date)
        except LookupError:
            raise CommandError(tr(C, "Tiket {number} tidak ada pada hari itu.", number=args.number.upper()), 1,
                               "not_found") from None
    finally:
        ctx.close()
    data = render_escpos(layout, model) if args.format == "escpos" else render_png(layout)
    out: Path = args.out
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=".ticket-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out)
    except OSError as exc:
        raise CommandError(tr(C, "tidak bisa menulis {file}: {reason}", file=out, reason=exc.strerror), 2, "usage") from None
    emit(args, {"outcome": "rendered", "file": str(out), "format": args.format, "bytes": len(data),
                "profile": model.profile, "paper_dots": model.paper.width_dots},
         f"{args.number.upper()} → {out} ({len(data)} bytes, {args.format})")
    return EXIT_OK
