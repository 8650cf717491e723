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
    p = sub.add_parser("purge", parents=[common], help=tr(C, "hapus data pribadi yang lebih lama dari privacy.retention_days"))
    p.add_argument("--days", type=int, help=tr(C, "ganti masa simpan untuk kali ini saja"))
    p.set_defaults(handler=run_purge)
    d = sub.add_parser("diagnose", parents=[common], help=tr(C, "tulis zip dukungan (log, konfigurasi) tanpa kunci atau data pribadi"))
    d.add_argument("--out", type=Path, help=tr(C, "file zip (bawaan: antrean-diagnose-<time>.zip di sini)"))
    d.set_defaults(handler=run_diagnose)
    register_backup(sub, common)
    register_selftest(sub, common)


def run_purge(args: argparse.Namespace) -> int:
    from kiosk.services.privacy import purge_personal_data

    ctx = context(args, "cli")
    try:
        result = purge_personal_data(ctx, actor="cli", retention_days=args.days)
        assert result is not None  # always runs when asked by hand
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
    write_support_bundle(config, out, names=_personal_texts(args.db or config.database_url))
    emit(args, {"out": str(out)}, str(out))
    return 0


def _personal_texts(url: str) -> list[str]:
    """Names and addresses still in the database, so the support zip can blank them out
    wherever they appear. Best effort: diagnose must work when the database does not."""
    from sqlalchemy import select, union

    from kiosk.store import Booking, Database, IntakeMessage, Ticket

    try:
        db = Database(url, migrate=False)
    except Exception:  # noqa: BLE001 - an unreachable database is itself worth diagnosing
        return []
    try:
        with db.read() as session:
            rows = session.execute(union(select(Booking.name), select(Ticket.name),
                                         select(IntakeMessage.address))).scalars()
            return [r for r in rows if r]
    except Exception:  # noqa: BLE001
        return []
    finally:
        db.dispose()


def register_backup(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    b = sub.add_parser("backup", parents=[common], help=tr(C, "salin basis data SQLite dengan aman saat kantor berjalan"))
    b.add_argument("--out", type=Path, required=True, help=tr(C, "file cadangan yang ditulis (belum boleh ada)"))
    b.set_defaults(handler=run_backup)


def run_backup(args: argparse.Namespace) -> int:
    from kiosk.cli.common import EXIT_CONFIG, CommandError
    from kiosk.store.backup import BackupError, backup_sqlite

    config = load_config(config_path(args))
    url = args.db or config.database_url
    try:
        pages = backup_sqlite(url, args.out)
    except BackupError as exc:
        raise CommandError(str(exc), EXIT_CONFIG, "usage") from None
    emit(args, {"out": str(args.out), "pages": pages}, str(args.out))
    return 0


def register_selftest(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    s = sub.add_parser("selftest", parents=[common], help=tr(C, "periksa instalasi ini tanpa layar (tanpa konfigurasi)"))
    s.set_defaults(handler=run_selftest)


def run_selftest(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from kiosk.selftest import run_selftest as selftest

    checks = selftest()
    ok = all(c.ok for c in checks)
    emit(args, {"ok": ok, "checks": [asdict(c) for c in checks]},
         "\n".join(f"{'OK  ' if c.ok else 'FAIL'} {c.name:<9} {c.detail} ({c.ms:.0f} ms)" for c in checks))
    return 0 if ok else 1
