"""``purge`` and ``diagnose``."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from kiosk.cli.common import config_path, context, emit
from kiosk.config import load_config
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("purge", parents=[common], help="remove personal data older than privacy.retention_days")
    p.add_argument("--days", type=int, help="override the retention period for this run")
    p.set_defaults(handler=run_purge)
    d = sub.add_parser("diagnose", parents=[common], help="write a support zip (logs, config) without keys or "
                       "personal data")
    d.add_argument("--out", type=Path, help="zip file (default: antrean-diagnose-<time>.zip here)")
    d.set_defaults(handler=run_diagnose)


def run_purge(args: argparse.Namespace) -> int:
    from kiosk.services.privacy import purge_personal_data

    ctx = context(args, "cli")
    try:
        result = purge_personal_data(ctx, actor="cli", retention_days=args.days)
    finally:
        ctx.close()
    emit(args, {"cutoff": result.cutoff.isoformat(), "counts": result.counts},
         tr(C, "Data pribadi sebelum {cutoff} dihapus: {counts}", cutoff=result.cutoff.isoformat(),
            counts=", ".join(f"{k} {v}" for k, v in result.counts.items())))
    return 0


def run_diagnose(args: argparse.Namespace) -> int:
    from kiosk.ops import write_support_bundle

    config = load_config(config_path(args))
    out = args.out or Path(f"antrean-diagnose-{datetime.now():%Y%m%d-%H%M%S}.zip")
    write_support_bundle(config, out)
    emit(args, {"out": str(out)}, str(out))
    return 0
