"""``init``, ``db upgrade|status`` and ``keys list|rotate|retire``."""

from __future__ import annotations

import argparse
import os

from kiosk.app import open_context, register_keys
from kiosk.cli.common import EXIT_CONFIG, CommandError, config_path, context, emit
from kiosk.config import Config, from_mapping, load_config, markdown_reference, to_toml
from kiosk.keyring import KeyRing
from kiosk.i18n import tr
from kiosk.private_files import write_private
from kiosk.store import Database

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help=tr(C, "buat file konfigurasi, basis data dan kunci kantor"))
    p.add_argument("--office", required=True, help=tr(C, "kode kantor, mis. JKP"))
    p.add_argument("--name", required=True, help=tr(C, "nama kantor, mis. 'Kantor Imigrasi Jakarta Pusat'"))
    p.add_argument("--timezone", default="Asia/Jakarta", help=tr(C, "zona waktu IANA (bawaan Asia/Jakarta)"))
    p.add_argument("--supervisor-pin", required=True, help=tr(C, "PIN supervisor, 6-12 angka (disimpan hanya sebagai hash dengan rahasia di file kunci)"))
    p.add_argument("--data-dir", default="", help=tr(C, "folder basis data dan kunci (bawaan: folder data pengguna)"))
    p.add_argument("--sender", choices=["outbox", "cloud_api"],
                   help=tr(C, "ke mana balasan WhatsApp pergi: cloud_api mengirimnya; outbox hanya mencatatnya dan TIDAK menjawab siapa pun (ditanyakan bila dijalankan di terminal; bawaan outbox bila tidak)"))
    p.add_argument("--phone-number-id", default="", help=tr(C, "id nomor telepon Cloud API (perlu untuk cloud_api)"))
    p.add_argument("--allow-clock-override", action="store_true",
                   help=tr(C, "izinkan ANTREAN_NOW (hanya instalasi latihan dan simulasi)"))
    p.set_defaults(handler=run_init)

    db = sub.add_parser("db", parents=[common], help=tr(C, "skema basis data"))
    dbsub = db.add_subparsers(dest="db_command", required=True)
    for name, help_text in (("upgrade", tr(C, "jalankan migrasi yang tertunda")),
                            ("status", tr(C, "tampilkan revisi skema"))):
        dbsub.add_parser(name, parents=[common], help=help_text).set_defaults(handler=run_db)

    cfg = sub.add_parser("config", parents=[common], help=tr(C, "periksa file konfigurasi, atau tampilkan rujukannya"))
    csub = cfg.add_subparsers(dest="config_command", required=True)
    csub.add_parser("check", parents=[common], help=tr(C, "periksa file konfigurasi")).set_defaults(handler=run_config)
    csub.add_parser("reference", parents=[common], help=tr(C, "setiap kunci sebagai tabel Markdown")) \
        .set_defaults(handler=run_config)

    keys = sub.add_parser("keys", parents=[common], help=tr(C, "kunci kode booking"))
    ksub = keys.add_subparsers(dest="keys_command", required=True)
    ksub.add_parser("list", parents=[common], help=tr(C, "daftar kunci (id dan sidik jari, tanpa rahasia)")) \
        .set_defaults(handler=run_keys)
    ksub.add_parser("rotate", parents=[common], help=tr(C, "tambah kunci tanda tangan baru; kode lama tetap berlaku")) \
        .set_defaults(handler=run_keys)
    retire = ksub.add_parser("retire", parents=[common], help=tr(C, "berhenti menerima kode yang ditandatangani dengan sebuah kunci"))
    retire.add_argument("key_id")
    retire.set_defaults(handler=run_keys)


def run_init(args: argparse.Namespace) -> int:
    from kiosk.config import replace
    from kiosk.services.supervisor import check_pin_format, hash_pin

    path = config_path(args)
    if path.exists():
        raise CommandError(tr(C, "{path} sudah ada; init tidak pernah menimpa konfigurasi", path=path), EXIT_CONFIG,
                           "config_error")
    try:
        check_pin_format(args.supervisor_pin)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_CONFIG, "config_error") from None
    sender = args.sender or _ask_sender()
    phone_number_id = args.phone_number_id.strip()
    if sender == "cloud_api" and not phone_number_id:
        phone_number_id = _ask("Cloud API phone-number id: ")
        if not phone_number_id:
            raise CommandError(tr(C, "--sender cloud_api perlu --phone-number-id (id nomor telepon Cloud API untuk "
                                  "nomor WhatsApp kantor)"), EXIT_CONFIG, "config_error")
    config = from_mapping({
        "office": {"code": args.office, "name": args.name, "timezone": args.timezone},
        "intake": {"sender": sender, "phone_number_id": phone_number_id},
        "clock": {"allow_override": bool(args.allow_clock_override)},
        "paths": {"data_dir": args.data_dir},
        **({"database": {"url": args.db}} if args.db else {}),
    }, source=path.resolve())
    # The key file first: the PIN hash is keyed with its pepper.
    ring = KeyRing.create_or_load(config.keys_path)
    config = replace(config, security={"supervisor_pin_hash": hash_pin(args.supervisor_pin, ring)})
    write_private(path, to_toml(config), exclusive=True)  # it holds the PIN hash; never replaces a config
    ctx = open_context(load_config(path))
    try:
        key = ctx.keyring.signing_key
        emit(args, {"config": str(path), "database": _safe_url(ctx.db), "key_id": key.key_id,
                    "keys_file": str(ctx.config.keys_path)},
             f"Created {path}\nDatabase: {_safe_url(ctx.db)}\nBooking-code key {key.key_id} in {ctx.config.keys_path}")
    finally:
        ctx.close()
    return 0


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty() and not os.environ.get("CI")


def _ask(prompt: str) -> str:
    import sys

    if not _interactive():
        return ""
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def _ask_sender() -> str:
    """Ask in a terminal; with no terminal (scripts, CI) the default, said out loud."""
    import sys


    answer = _ask(tr("Cli", "Balasan WhatsApp dikirim lewat: [1] WhatsApp Cloud API (cloud_api), [2] hanya "
                            "dicatat, TIDAK ADA yang dijawab (outbox). Pilih 1 atau 2 [2]: "))
    if answer in ("1", "cloud_api"):
        return "cloud_api"
    print(tr("Cli", "intake.sender = \"outbox\": balasan WhatsApp hanya dicatat, tidak ada pemohon yang dijawab. "
                    "Ubah ke \"cloud_api\" untuk mengirim."), file=sys.stderr)
    return "outbox"


def _safe_url(db: Database) -> str:
    return db.url.render_as_string(hide_password=True)


def run_db(args: argparse.Namespace) -> int:
    config: Config = load_config(config_path(args))
    db = Database(args.db or config.database_url, migrate=args.db_command == "upgrade")
    try:
        revision = db.current_revision()
        emit(args, {"database": _safe_url(db), "revision": revision}, f"{_safe_url(db)}: schema revision {revision}")
    finally:
        db.dispose()
    return 0


def run_keys(args: argparse.Namespace) -> int:
    # Only `keys rotate` may create a missing key file (its first key is the rotation).
    creating = args.keys_command == "rotate" and not load_config(config_path(args)).keys_path.exists()
    ctx = context(args, "admin", create_keys=creating)
    try:
        ring: KeyRing = ctx.keyring
        if args.keys_command == "rotate" and not creating:
            ring.rotate(ctx.now())
        elif args.keys_command == "retire":
            active = [e for e in ring.entries if e.key.active and e.key.key_id != args.key_id]
            if not active:
                raise CommandError(tr(C, "kunci aktif terakhir tidak bisa dipensiunkan; jalankan rotate dulu"))
            try:
                ring.retire(args.key_id, ctx.now())
            except Exception as exc:
                raise CommandError(str(exc)) from None
        register_keys(ctx.db, ring)
        rows = [{"id": e.key.key_id, "fingerprint": e.fingerprint, "created": e.created.isoformat(),
                 "retired": e.retired.isoformat() if e.retired else None,
                 "signing": e.key.key_id == ring.signing_key.key_id} for e in ring.entries]
        emit(args, {"keys": rows}, "\n".join(
            f"{r['id']}  {r['fingerprint']}  {'retired ' + str(r['retired']) if r['retired'] else 'active'}"
            f"{'  (signing)' if r['signing'] else ''}" for r in rows))
    finally:
        ctx.close()
    return 0





def run_config(args: argparse.Namespace) -> int:
    if args.config_command == "reference":
        print(markdown_reference())
        return 0
    path = config_path(args)
    config = load_config(path)
    emit(args, {"config": str(path), "ok": True, "office": config.office.code},
         f"{path}: OK (office {config.office.code}, database {config.database_url.split('://')[0]})")
    return 0
