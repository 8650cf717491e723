"""Keys are created only by ``init`` and ``keys rotate``, never raced into existence."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from kiosk.keyring import KeyRing
from kiosk.store import Database, OfficeKeyRecord
from tests.test_cli import ROOT, Cli, init


def test_commands_other_than_init_and_rotate_stop_when_the_key_file_is_missing(tmp_path):
    # GIVEN an initialised office whose key file went missing
    cli = Cli(tmp_path)
    assert init(cli)[0] == 0
    keys = tmp_path / "data" / "keys.json"
    keys.unlink()
    # WHEN five desks add a booking at once
    env = dict(cli.env)
    procs = [subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--json", "booking", "add", "--name",
                               f"Budi {i}", "--birth", "1987-01-25", "--date", "2026-12-01", "--slot", "10:00"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT) for i in range(5)]
    results = [(p.wait(timeout=120), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs]
    # THEN each stops with a plain configuration error, no traceback and no new key
    for code, out, err in results:
        assert code == 2, (out, err)
        assert "berkas kunci kode booking tidak ditemukan" in json.loads(out)["message"] and "Traceback" not in err
    assert not keys.exists()
    db = Database(f"sqlite:///{tmp_path / 'data' / 'antrean.db'}", migrate=False)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(OfficeKeyRecord)) == 1  # init's key only
    db.dispose()
    # WHEN keys rotate is run THEN the file is created again
    code, out = cli("keys", "rotate")
    assert code == 0 and len(out["keys"]) == 1 and keys.exists()


def _create(path: str, queue) -> None:  # type: ignore[no-untyped-def]
    ring = KeyRing.create_or_load(Path(path))
    queue.put(ring.signing_key.key_id)


def test_concurrent_creations_end_with_one_key_everyone_uses(tmp_path):
    # GIVEN no key file; WHEN eight processes create it at the same moment
    path = tmp_path / "keys.json"
    mp = multiprocessing.get_context("spawn")
    queue = mp.Queue()
    procs = [mp.Process(target=_create, args=(str(path), queue)) for _ in range(8)]
    for p in procs:
        p.start()
    ids = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    # THEN all got the same single key, and it is the one in the file
    ring = KeyRing.load(path)
    assert len(ring.entries) == 1 and set(ids) == {ring.signing_key.key_id}
    assert len(ring.peppers) == 1 and (path.stat().st_mode & 0o077) == 0
    assert not list(tmp_path.glob("*.tmp"))
