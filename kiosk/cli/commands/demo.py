"""``demo``: a fresh demo office with today's bookings, then the application."""

from __future__ import annotations

import argparse

from kiosk.core.tickets import format_number
from kiosk.cli.common import emit
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help=tr(C, "jalankan kantor demo (SQLite, printer pratinjau)"))
    p.add_argument("--folder", help=tr(C, "folder demo (bawaan: 'demo' di folder data pengguna)"))
    p.add_argument("--setup-only", action="store_true", help=tr(C, "buat kantor demo dan tampilkan isinya, tanpa menjalankan apa pun"))
    p.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from kiosk.demo import create_demo_office, describe

    office = create_demo_office(args.folder)
    emit(args, office.to_json(), describe(office))
    if args.setup_only:
        return 0
    from kiosk.app import open_context
    from kiosk.config import load_config
    from kiosk.ops import install_crash_handler, setup_logging
    from kiosk.ui.launch import run_demo as run_windows

    config = load_config(office.config_path)
    setup_logging(config)  # the rotating log file, as every other command writes
    install_crash_handler(config)
    ctx = open_context(config)
    ctx.actor = "desk"
    web = start_web(office, ctx)
    try:
        return run_windows(office, ctx)
    finally:
        if web is not None:
            web.stop()
        ctx.close()


def start_web(office, ctx):  # type: ignore[no-untyped-def]
    """The web board beside the windows; the demo goes on without it when the port is taken."""
    from kiosk.services.status import status_url
    from kiosk.web.runner import PortInUse, WebServer

    try:
        server = WebServer(ctx, ctx.config.web.host, ctx.config.web.port).start()
    except (PortInUse, OSError) as exc:
        print(f"Web board not started: {exc}")
        return None
    first = office.bookings[0]
    ticket = status_url(ctx, first.service_date, format_number(ctx.config.queue.booking_service, first.number))
    print(f"\nWeb board (any TV browser): {server.url}/display")
    print(f"Status page of {first.code}'s ticket, once checked in: {ticket}", flush=True)
    return server
