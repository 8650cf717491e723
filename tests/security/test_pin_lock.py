"""The supervisor PIN cannot be raced, brute-forced from the config, or kept at 4 digits."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.config import load_config, replace, to_toml
from kiosk.keyring import KeyRing
from kiosk.services import PinLocked, PinRejected, verify_pin
from kiosk.services.supervisor import MAX_FAILURES, PinNeedsReset, change_pin
from kiosk.store import AuditEvent
from tests.conftest import TEST_PIN


def _count(ctx, action: str) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)) or 0


def _burst(ctx, pins: list[str]) -> dict[str, int]:
    outcomes = {"rejected": 0, "locked": 0, "ok": 0}
    lock = threading.Lock()
    start = threading.Barrier(len(pins))

    def guess(pin: str) -> None:
        start.wait()
        try:
            verify_pin(ctx, pin, actor="desk", action="reprint")
            key = "ok"
        except PinLocked:
            key = "locked"
        except PinRejected:
            key = "rejected"
        with lock:
            outcomes[key] += 1

    threads = [threading.Thread(target=guess, args=(pin,), name=f"guess-{i}") for i, pin in enumerate(pins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_a_parallel_burst_of_wrong_pins_gets_at_most_five_judgements(ctx):
    # GIVEN no recent failures; WHEN 12 wrong PINs arrive at the same moment
    outcomes = _burst(ctx, [f"{100000 + i}" for i in range(12)])
    # THEN only MAX_FAILURES of them are told "PIN salah"; the rest are locked out
    assert outcomes == {"rejected": MAX_FAILURES, "locked": 12 - MAX_FAILURES, "ok": 0}
    assert _count(ctx, "pin_failed") == MAX_FAILURES


def test_the_right_pin_inside_a_burst_does_not_get_through_after_five_failures(ctx):
    # GIVEN five wrong PINs already judged
    for i in range(MAX_FAILURES):
        with pytest.raises(PinRejected):
            verify_pin(ctx, f"99999{i}", actor="desk", action="reprint")
    # WHEN a burst holding the right PIN follows
    outcomes = _burst(ctx, [TEST_PIN] + [f"{200000 + i}" for i in range(7)])
    # THEN nobody is told anything but "locked"
    assert outcomes == {"rejected": 0, "locked": 8, "ok": 0}
    assert _count(ctx, "pin_ok") == 0


def test_a_legacy_unpeppered_hash_asks_for_a_new_pin_and_set_pin_migrates_it(ctx, tmp_path):
    # GIVEN an install from before the pepper: scrypt$ of a 4-digit PIN in config.toml
    import base64

    salt = b"s" * 16
    digest = hashlib.scrypt(b"2468", salt=salt, n=2**14, r=8, p=1)
    legacy = f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    config_file = tmp_path / "config.toml"
    ctx.config = replace(ctx.config, security={"supervisor_pin_hash": legacy})
    config_file.write_text(to_toml(ctx.config), encoding="utf-8")
    # WHEN the supervisor tries an action THEN a clear message says to set a new PIN
    with pytest.raises(PinNeedsReset) as info:
        verify_pin(ctx, "2468", actor="desk", action="reprint")
    assert "set-pin" in str(info.value) and "6-12" in str(info.value)
    # WHEN set-pin gets a new PIN that is too short THEN nothing changes
    with pytest.raises(ValueError):
        change_pin(ctx, config_file, "2468", "1357", actor="supervisor")
    assert load_config(config_file).security.supervisor_pin_hash == legacy
    # WHEN set-pin gets the old PIN and a 6-digit one THEN the new hash is peppered and works
    change_pin(ctx, config_file, "2468", "135790", actor="supervisor")
    stored = load_config(config_file).security.supervisor_pin_hash
    assert stored.startswith("scrypt-hmac$")
    verify_pin(ctx, "135790", actor="desk", action="reprint")


def test_set_pin_rotates_the_pepper_and_keeps_only_the_new_one(ctx, tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(to_toml(ctx.config), encoding="utf-8")
    old_pepper_ids = set(KeyRing.load(ctx.config.keys_path).peppers)
    change_pin(ctx, config_file, TEST_PIN, "97531024", actor="supervisor")
    ring = KeyRing.load(ctx.config.keys_path)
    stored = load_config(config_file).security.supervisor_pin_hash
    assert len(ring.peppers) == 1 and not set(ring.peppers) & old_pepper_ids
    assert stored.split("$")[1] in ring.peppers
    with pytest.raises(PinRejected):
        verify_pin(ctx, TEST_PIN, actor="desk", action="reprint")  # the old PIN is gone
    verify_pin(ctx, "97531024", actor="desk", action="reprint")
    assert (config_file.stat().st_mode & 0o077) == 0
    assert not list(Path(tmp_path).glob("config.toml.*.tmp"))


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_parallel_processes_guessing_get_at_most_five_answers(tmp_path, backend, request):
    import json
    import subprocess
    import sys

    from tests.test_cli import ROOT, Cli, init

    # GIVEN an office (on SQLite, or PostgreSQL shared by "several PCs")
    cli = Cli(tmp_path)
    extra = ["--db", request.getfixturevalue("pg_url")] if backend == "postgres" else []
    assert init(cli, *extra)[0] == 0
    # WHEN ten processes try wrong PINs at the same moment
    procs = [subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--json", "supervisor", "reprint", "A001",
                               "--pin", f"{300000 + i}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=cli.env, cwd=ROOT) for i in range(10)]
    messages = [json.loads(p.communicate(timeout=120)[0])["message"] for p in procs]
    # THEN five are told the PIN is wrong and five are locked out
    assert sum(m.startswith("PIN salah") for m in messages) == MAX_FAILURES, messages
    assert sum(m.startswith("Terlalu banyak") for m in messages) == 10 - MAX_FAILURES
