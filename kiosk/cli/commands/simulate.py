"""``simulate``: a whole office day through the real services, then its checks and KPIs."""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

from kiosk.cli.common import EXIT_CONFIG, EXIT_OK, EXIT_REJECTED, CommandError, emit, parse_date, positive_int
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("simulate", parents=[common],
                       help=tr(C, "simulasikan satu hari kantor (booking, kedatangan, loket, printer) lalu periksa"))
    p.add_argument("--bookings", type=positive_int, default=150, help=tr(C, "booking yang dibuat sehari sebelumnya (bawaan 150)"))
    p.add_argument("--walkins", type=int, default=30, help=tr(C, "prioritas tanpa booking pada hari itu (bawaan 30)"))
    p.add_argument("--seed", type=int, default=1, help=tr(C, "benih acak: benih yang sama memainkan hari yang sama"))
    p.add_argument("--date", type=parse_date, help=tr(C, "hari yang dimainkan, YYYY-MM-DD (bawaan 2026-12-01, hari Selasa)"))
    p.set_defaults(handler=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    from kiosk.simulate import DEFAULT_DAY, SimulationError, simulate_day

    if args.walkins < 0:
        raise CommandError(tr(C, "--walkins harus 0 atau lebih"), EXIT_CONFIG, "usage_error")
    # The day's printer faults are part of the plan; their warnings are not news here.
    logging.getLogger("kiosk.devices.printing.spooler").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="antrean-sim-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'simulation.db'}"
        try:
            result = simulate_day(url, Path(tmp) / "office", bookings=args.bookings, walk_ins=args.walkins,
                                  seed=args.seed, day=args.date or DEFAULT_DAY)
        except SimulationError as exc:
            raise CommandError(str(exc), EXIT_CONFIG, "usage_error") from None
    emit(args, result.to_json(), result.describe())
    return EXIT_OK if result.ok else EXIT_REJECTED
