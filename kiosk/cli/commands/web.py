"""``web [--host H] [--port P]``: the board for any TV browser and each ticket's status page."""

from __future__ import annotations

import argparse
import logging

from kiosk.cli.common import EXIT_CONFIG, EXIT_OK, CommandError, config_path, positive_int
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("web", parents=[common], help=tr(C, "papan web untuk peramban TV dan halaman status tiket"),
                       description=tr(C, "Melayani /display (papan), /t/<token> (halaman status tiket, bila web.public_url diisi) dan server-sent events-nya. Hanya baca, hanya data umum; berjalan di samping atau tanpa layar Qt."))
    p.add_argument("--host", help=tr(C, "alamat yang didengarkan (bawaan: web.host, 127.0.0.1)"))
    p.add_argument("--port", type=positive_int, help=tr(C, "port (bawaan: web.port, 8089)"))
    p.set_defaults(handler=run_web)


def open_web_context(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Config, database (read only, no migration: it may start before the database is
    reachable) and the office keys when this PC has them (status pages need them)."""
    from kiosk.app import AppContext, clock_from_environment
    from kiosk.config import load_config
    from kiosk.keyring import KeyFileError, KeyRing
    from kiosk.ops import setup_logging
    from kiosk.store import Database

    config = load_config(config_path(args))
    setup_logging(config)
    clock = clock_from_environment(config)
    try:
        keyring = KeyRing.load(config.keys_path)
    except KeyFileError as exc:
        keyring = KeyRing(config.keys_path, [])
        if config.web.public_url:
            logging.getLogger(__name__).warning("ticket status pages are off on this PC: %s", exc)
    db = Database(args.db or config.database_url, migrate=False)
    return AppContext(config, db, clock, keyring, actor="web")


def run_web(args: argparse.Namespace) -> int:
    from kiosk.services.privacy import DailyPurge
    from kiosk.web.runner import PortInUse, serve

    ctx = open_web_context(args)
    host = args.host or ctx.config.web.host
    port = args.port or ctx.config.web.port
    public = ctx.config.web.public_url

    def ready() -> None:
        print(f"Web board on http://{host}:{port}/display"
              + (f"; ticket pages at {public.rstrip('/')}/t/…" if public else "; ticket pages off (web.public_url)")
              + "; Ctrl+C stops", flush=True)

    try:
        # The web PC may be the only one running all day: it purges personal data too.
        with DailyPurge(ctx):
            serve(ctx, host, port, on_ready=ready)
    except PortInUse:
        raise CommandError(tr(C, "port {port} di {host} sudah dipakai: hentikan program lain itu atau pilih "
                              "port lain dengan --port atau web.port", port=port, host=host), EXIT_CONFIG, "port_in_use") from None
    except OSError as exc:
        raise CommandError(tr(C, "tidak bisa mendengarkan di {host}:{port}: {reason}", host=host, port=port,
                              reason=exc.strerror or exc), EXIT_CONFIG, "usage") from None
    finally:
        ctx.close()
    return EXIT_OK
