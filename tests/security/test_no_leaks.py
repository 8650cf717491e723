"""Logs, crash reports and the support zip never carry personal data."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import date, time

import pytest
from sqlalchemy.exc import IntegrityError

from kiosk.config import from_mapping
from kiosk.ops import redacted_config, write_support_bundle
from kiosk.services import add_booking
from kiosk.store import Booking
from tests.test_cli import ROOT, Cli, init

NAME, BIRTH, PHONE = "Sri Wahyuningsih", date(1961, 3, 14), "6281298765432"


def test_diagnose_scrubs_names_dates_and_phones_planted_in_the_logs(tmp_path):
    # GIVEN an office with a booking, and log and crash files where personal data slipped in
    cli = Cli(tmp_path)
    assert init(cli, "--allow-clock-override")[0] == 0
    code, out = cli("booking", "add", "--name", NAME, "--birth", BIRTH.isoformat(), "--date", "2026-12-01",
                    "--slot", "10:00", "--phone", PHONE, now="2026-11-30T12:00")
    assert code == 0, out
    logs = tmp_path / "data" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "antrean.log").write_text(
        f"2026-12-01 09:00:00,001 INFO kiosk.x: careless line for {NAME.upper()} born {BIRTH.isoformat()} "
        f"({BIRTH:%d%m%Y}) phone {PHONE} / +62 812-9876-5432 sent #{NAME}#{BIRTH:%d%m%Y}#07082027\n"
        "2026-12-01 09:00:01,002 INFO kiosk.y: ticket A001 called to loket 2\n", encoding="utf-8")
    (logs / "crash-20261201T090000Z-1-abc.txt").write_text(f"Traceback: parameters ('{NAME}', '{BIRTH}')\n")
    # WHEN diagnose writes the support zip
    code, out = cli("diagnose", "--out", str(tmp_path / "support.zip"))
    assert code == 0, out
    with zipfile.ZipFile(tmp_path / "support.zip") as zf:
        everything = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    # THEN none of it is in the zip, while the log's own time stamps and ticket lines stay
    for planted in (NAME, NAME.upper(), "Wahyuningsih", BIRTH.isoformat(), f"{BIRTH:%d%m%Y}", PHONE,
                    "812-9876-5432", "07082027"):
        assert planted.casefold() not in everything.casefold(), planted
    assert "2026-12-01 09:00:01,002 INFO kiosk.y: ticket A001 called to loket 2" in everything


def test_a_database_password_with_a_raw_at_sign_is_fully_redacted(tmp_path):
    config = from_mapping({"database": {"url": "postgresql+psycopg://antrean:p@ss@w0rd@db.local/antrean"}})
    text = redacted_config(config)
    assert "ss@w0rd" not in text and "p@ss" not in text and "@db.local/antrean" in text
    out = write_support_bundle(from_mapping({"paths": {"data_dir": str(tmp_path)},
                                             "database": {"url": config.database.url}}), tmp_path / "d.zip")
    with zipfile.ZipFile(out) as zf:
        assert b"w0rd" not in b"".join(zf.read(n) for n in zf.namelist())


def test_two_crashes_in_one_second_write_two_crash_files(tmp_path):
    code = ("import threading\n"
            "from kiosk.config import from_mapping; from kiosk.ops import install_crash_handler\n"
            f"install_crash_handler(from_mapping({{'paths': {{'data_dir': {str(tmp_path)!r}}}}}))\n"
            "def boom(i):\n    raise RuntimeError(f'boom {i}')\n"
            "ts = [threading.Thread(target=boom, args=(i,)) for i in range(3)]\n"
            "[t.start() for t in ts]; [t.join() for t in ts]\n"
            "raise RuntimeError('boom main')\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60)
    reports = sorted((tmp_path / "logs").glob("crash-*.txt"))
    texts = {r.read_text() for r in reports}
    assert len(reports) == 4 and all(any(f"boom {w}" in t for t in texts) for w in ("0", "1", "2", "main"))


def test_a_unique_violation_holds_no_row_values_in_its_text(ctx):
    # GIVEN a booking; WHEN another row with the same number is inserted
    info = add_booking(ctx, name=NAME, birth=BIRTH, service_date=date(2026, 12, 1), slot=time(10, 0), phone=PHONE)
    with pytest.raises(IntegrityError) as caught:
        with ctx.db.write() as session:
            session.add(Booking(code="OTHER-1", office="JKP", service_date=date(2026, 12, 1), slot=time(10, 0),
                                number=info.number, source="import", status="active", name=NAME, birth_date=BIRTH,
                                phone=PHONE, created_at=ctx.now()))
    # THEN the error's text (what a log or crash report would show) names none of its values
    text = str(caught.value)
    assert NAME not in text and PHONE not in text and BIRTH.isoformat() not in text


@pytest.mark.postgres
def test_two_concurrent_imports_of_one_file_end_cleanly(tmp_path, pg_url):
    # GIVEN an office on PostgreSQL and a booking list
    cli = Cli(tmp_path)
    assert init(cli, "--allow-clock-override", "--db", pg_url)[0] == 0
    rows = ["code,name,birth_date,date,slot,number,phone"] + [
        f"EXT-{i:04d},{NAME} {chr(65 + i % 26)}{chr(97 + i // 26)},1961-03-14,2026-12-02,10:00,,{PHONE[:-3]}{i:03d}" for i in range(300)]
    (tmp_path / "list.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # WHEN two imports of it run at once, several times
    for _ in range(3):
        procs = [subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--json", "bookings", "import",
                                   str(tmp_path / "list.csv")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env={**cli.env, "ANTREAN_NOW": "2026-12-01T08:00"}, cwd=ROOT) for _ in range(2)]
        results = [(p.wait(timeout=120), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs]
        # THEN each either imports or finds the rows already there: no traceback, no data in output
        for code, out, err in results:
            assert "Traceback" not in err and NAME not in err and NAME not in out, err
            assert code == 0, (out, err)
            assert json.loads(out)["added"] + json.loads(out)["unchanged"] == 300
    logs = list((tmp_path / "data" / "logs").glob("*"))
    assert not [p for p in logs if p.name.startswith("crash-")]
    assert all(NAME not in p.read_text("utf-8", "replace") for p in logs if p.is_file())


@pytest.mark.postgres
def test_an_import_that_loses_a_race_on_a_code_gets_a_plain_message(tmp_path, pg_url):
    # GIVEN an office on PostgreSQL, and another PC inserting code EXT-RACE (for another
    # day) in a transaction it has not committed yet
    from sqlalchemy import create_engine, text

    cli = Cli(tmp_path)
    assert init(cli, "--allow-clock-override", "--db", pg_url)[0] == 0
    (tmp_path / "list.csv").write_text("code,name,birth_date,date,slot,number,phone\n"
                                       f"EXT-RACE,{NAME},1961-03-14,2026-12-02,10:00,,{PHONE}\n", encoding="utf-8")
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1)
                           if pg_url.startswith("postgresql://") else pg_url)
    other = engine.connect()
    other.execute(text("BEGIN"))
    other.execute(text("INSERT INTO bookings (code, office, service_date, slot, number, source, status, created_at) "
                       "VALUES ('EXT-RACE', 'JKP', '2026-12-03', '10:00', 1, 'import', 'active', now())"))
    # WHEN the import runs (its insert waits on the other PC's row) and the other PC commits
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--json", "bookings", "import",
                             str(tmp_path / "list.csv")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**cli.env, "ANTREAN_NOW": "2026-12-01T08:00"}, cwd=ROOT)
    waiting = engine.connect()
    for _ in range(600):  # until the import's INSERT is blocked on our row lock
        blocked = waiting.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                       "AND query LIKE 'INSERT INTO bookings%'")).scalar()
        waiting.rollback()
        if blocked:
            break
        __import__("time").sleep(0.05)
    other.execute(text("COMMIT"))
    other.close()
    waiting.close()
    engine.dispose()
    out, err = (b.decode() for b in proc.communicate(timeout=120))
    # THEN the loser gets a plain message: no traceback, no crash file, no personal data
    assert proc.returncode == 3, (out, err)
    assert json.loads(out)["outcome"] == "conflict" and "Coba lagi" in json.loads(out)["message"]
    assert "Traceback" not in err and NAME not in out + err and PHONE not in out + err
    logs = tmp_path / "data" / "logs"
    assert not list(logs.glob("crash-*"))
    assert all(NAME not in p.read_text("utf-8", "replace") and PHONE not in p.read_text("utf-8", "replace")
               for p in logs.iterdir() if p.is_file())
