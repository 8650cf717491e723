"""``demo``: a fresh demo office with today's bookings, then the application."""

from __future__ import annotations

import argparse

from kiosk.cli.common import emit


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="start a demo office (SQLite, preview printer)")
    p.add_argument("--folder", help="demo folder (default: 'demo' in the user data folder)")
    p.add_argument("--setup-only", action="store_true", help="create the demo office and print it, start nothing")
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
    try:
        return run_windows(office, ctx)
    finally:
        ctx.close()
