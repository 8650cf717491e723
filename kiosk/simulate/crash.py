"""Crash safety: a desk process killed with SIGKILL at random moments, again and again.

The child (``python -m kiosk.simulate.crash URL FOLDER JOURNAL DAY``) checks codes in on
one thread, calls the next ticket on another and prints on the printer thread into a
journal file, reporting every committed ticket on stdout. The parent kills it after a
random number of reports (the other threads are wherever they are) and, after each
kill, checks that nothing committed was lost, no number was given twice, every ticket
has its print job and (SQLite) the file passes ``PRAGMA integrity_check``. At the end it
prints what is left: every job printed, none twice without the reprint mark.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time as wallclock
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from kiosk.app import AppContext, open_context
from kiosk.config import ClockSettings, Config, OfficeSettings, PathSettings, QueueSettings, from_mapping
from kiosk.store import Booking, PrintJob, Ticket

SLOT = time(11, 0)
CHILD_OPENS = time(9, 0)  # inside the 09:00-10:30 window of the 11:00 slot


def office_config(folder: Path) -> Config:
    # Built directly rather than through from_mapping: validating printer.profile loads
    # python-escpos' capability database (0.3 s), a third of a child's start-up, and
    # these constants are valid (a test compares them with the validated config).
    return Config(office=OfficeSettings("JKP", "Kantor Imigrasi (uji crash)"),
                  queue=QueueSettings(counters={"1": ["B", "A"], "2": ["A", "B"]}),
                  clock=ClockSettings(allow_override=True), paths=PathSettings(data_dir=str(folder)))


def validated_office_config(folder: Path) -> Config:
    return from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi (uji crash)"},
                         "clock": {"allow_override": True},
                         "queue": {"counters": {"1": ["B", "A"], "2": ["A", "B"]}},
                         "paths": {"data_dir": str(folder)}})


class RunningClock:
    """Starts at a given time and runs at real speed: each child lives on a day of its own."""

    def __init__(self, start: datetime) -> None:
        self.start, self.t0 = start, wallclock.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=wallclock.monotonic() - self.t0)


# --- the child -----------------------------------------------------------------------------

def child(db_url: str, folder: Path, journal: Path, day: date) -> None:
    from kiosk.core import booking_code
    from kiosk.core.ticket_layout import PAPER_80MM
    from kiosk.devices.printing.profiles import PrinterModel
    from kiosk.devices.printing.recording import RecordingPrinter
    from kiosk.devices.printing.spooler import Backoff, PrinterWorker
    from kiosk.services import call_next, check_in
    from kiosk.services.printing import OutboxSource

    from kiosk.keyring import KeyRing
    from kiosk.store import Database

    config = office_config(folder)
    # The parent migrated the database and made the keys; skipping Alembic's start-up
    # check halves the time to a running desk, so more kills fit in the same minutes.
    clock = RunningClock(datetime.combine(day, CHILD_OPENS, config.tz))
    ctx = AppContext(config, Database(db_url, migrate=False), clock, KeyRing.load(config.keys_path))
    out = threading.Lock()

    def say(line: str) -> None:
        with out:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def desk() -> None:
        key = ctx.keyring.signing_key
        for number in range(1, 1000):
            code = booking_code.generate(key, config.office.code, day, SLOT, number).text
            result = check_in(ctx, code, actor="desk")
            if result.ticket is not None and result.issued:  # committed: it must survive the kill
                say(f"T {result.ticket.id} {result.ticket.label} {result.print_job_id}")

    def counters() -> None:
        while True:
            for counter in (1, 2):
                result = call_next(ctx, counter, actor=f"loket{counter}")
                say(f"C {result.ticket.label if result.ticket else '-'}")

    # A TM-T20II as its profile describes it (without loading the capability database).
    printer = RecordingPrinter(PrinterModel("TM-T20II", PAPER_80MM, native_qr=True, cutter=True), journal=journal)
    worker = PrinterWorker(printer, OutboxSource(ctx), backoff=Backoff(0.01, 2, 0.05), poll_seconds=0.01,
                           on_printed=lambda job, name: say(f"P {job} {name}"))
    worker.start()
    threading.Thread(target=counters, name="counter", daemon=True).start()
    say("ready")
    desk()
    threading.Event().wait()


# --- the parent ----------------------------------------------------------------------------

@dataclass
class CrashResult:
    kills: int = 0
    restarts: int = 0
    tickets: int = 0  # tickets the children reported committed
    calls: int = 0
    printed_before_kill: int = 0
    interrupted_jobs: int = 0  # found 'printing' after a kill: reprinted with the mark
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    database: str = "sqlite"

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"outcome": "ok" if self.ok else "failed", "database": self.database, "kills": self.kills,
                "restarts": self.restarts, "tickets": self.tickets, "calls": self.calls,
                "printed_before_kill": self.printed_before_kill, "interrupted_jobs": self.interrupted_jobs,
                "seconds": round(self.seconds, 1), "problems": self.problems[:20]}


def _verify(ctx: AppContext, reported: dict[int, tuple[str, int]]) -> list[str]:
    problems = []
    with ctx.db.read() as session:
        if ctx.db.is_sqlite:
            check = session.execute(text("PRAGMA integrity_check")).scalars().all()
            if check != ["ok"]:
                problems.append(f"integrity_check: {check[:3]}")
        tickets = {t.id: t for t in session.scalars(select(Ticket))}
        job_tickets = set(session.scalars(select(PrintJob.ticket_id).where(PrintJob.ticket_id.is_not(None))))
        jobs = set(session.scalars(select(PrintJob.id)))
        dup = session.execute(select(Ticket.service_day, Ticket.prefix, Ticket.number, func.count())
                              .group_by(Ticket.service_day, Ticket.prefix, Ticket.number)
                              .having(func.count() > 1)).all()
        checked_in = set(session.scalars(select(Booking.id).where(Booking.status == "checked_in")))
    booked = {t.booking_id for t in tickets.values() if t.booking_id is not None}
    for ticket_id, (label, job_id) in reported.items():
        ticket = tickets.get(ticket_id)
        if ticket is None or ticket.label != label:
            problems.append(f"committed ticket {label} (id {ticket_id}) is lost")
        if job_id not in jobs:
            problems.append(f"print job {job_id} of committed ticket {label} is lost")
    problems += [f"number {d[1]}{d[2]:03d} on {d[0]} given {d[3]} times" for d in dup]
    problems += [f"ticket {t.label} of {t.service_day} has no print job" for t in tickets.values()
                 if t.id not in job_tickets]
    problems += [f"booking {b} checked in without a ticket" for b in sorted(checked_in - booked)]
    return problems


def _paper(ctx: AppContext, journal: Path, final: bool) -> list[str]:
    """What reached the paper: never two unmarked copies; at the end, every ticket whole."""
    from kiosk.devices.printing.recording import read_journal
    from kiosk.services.printing import ticket_texts

    mark = ticket_texts().reprint
    copies: dict[str, list[bool]] = {}  # by the QR code: the booking code, one per ticket
    for entry in read_journal(journal):
        key = "|".join(entry["qr"]) or str(entry["name"])  # type: ignore[arg-type]
        copies.setdefault(key, []).append(mark in entry["lines"])  # type: ignore[operator]
    problems = [f"{key} printed {marks.count(False)} times without the reprint mark"
                for key, marks in copies.items() if marks.count(False) > 1]
    if final:
        with ctx.db.read() as session:
            codes = list(session.scalars(select(Booking.code).join(Ticket, Ticket.booking_id == Booking.id)))
            states = Counter(session.scalars(select(PrintJob.state)))
        problems += [f"{states[s]} print jobs still {s}" for s in states if s != "done"]
        problems += [f"the ticket of {code} never reached the paper" for code in codes if code not in copies]
    return problems


def crash_loop(folder: Path, kills: int, *, seed: int = 1, db_url: str | None = None,
               first_day: date = date(2027, 1, 4), max_lines: int = 40) -> CrashResult:
    """Start, kill and check a desk process ``kills`` times, then let one finish printing."""
    folder.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{folder / 'crash.db'}"
    journal = folder / "paper.jsonl"
    config = office_config(folder / "office")
    ctx = open_context(config, db_url=url, clock=RunningClock(datetime.combine(first_day, CHILD_OPENS, config.tz)),
                       create_keys=True)  # the simulated office's init
    rng = random.Random(seed)
    result = CrashResult(database="sqlite" if ctx.db.is_sqlite else "postgresql")
    reported: dict[int, tuple[str, int]] = {}
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = wallclock.perf_counter()
    try:
        for i in range(kills):
            day = first_day + timedelta(days=i)
            proc = subprocess.Popen([sys.executable, "-m", "kiosk.simulate.crash", url, str(folder / "office"),
                                     str(journal), day.isoformat()], cwd=root, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
            result.restarts += 1
            assert proc.stdout is not None
            lines: list[str] = []
            try:
                target = rng.randint(0, max_lines)  # reports after "ready" before the kill
                after_ready = -1
                for line in proc.stdout:
                    lines.append(line)
                    if after_ready >= 0 or line.startswith("ready"):
                        after_ready += 1
                    if after_ready >= target:
                        break
                proc.send_signal(signal.SIGKILL)
                result.kills += 1
                lines += proc.stdout.read().splitlines(keepends=True)  # whatever it wrote before dying
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.wait(30)
                proc.stdout.close()
            for line in lines:
                parts = line.split()
                if len(parts) == 4 and parts[0] == "T" and parts[3] != "None":
                    reported[int(parts[1])] = (parts[2], int(parts[3]))
                elif parts[:1] == ["C"] and parts[1] != "-":
                    result.calls += 1
                elif parts[:1] == ["P"]:
                    result.printed_before_kill += 1
            with ctx.db.read() as session:
                result.interrupted_jobs += session.scalar(
                    select(func.count()).select_from(PrintJob).where(PrintJob.state == "printing")) or 0
            found = _verify(ctx, reported) + _paper(ctx, journal, False)
            result.problems += [f"after kill {i + 1}: {p}" for p in found]
            if len(result.problems) > 50:
                break
        result.tickets = len(reported)
        # The desk starts once more and is left to finish printing.
        from kiosk.devices.printing.profiles import printer_model
        from kiosk.devices.printing.recording import RecordingPrinter
        from kiosk.devices.printing.spooler import PrinterWorker
        from kiosk.services.printing import OutboxSource

        source = OutboxSource(ctx)
        source.recover_interrupted()
        worker = PrinterWorker(RecordingPrinter(printer_model("TM-T20II"), journal=journal), source)
        if not worker.drain():
            result.problems.append("the last restart could not print the queue")
        result.problems += [f"at the end: {p}" for p in _verify(ctx, reported) + _paper(ctx, journal, True)]
    finally:
        result.seconds = wallclock.perf_counter() - started
        ctx.close()
    return result


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    child(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), date.fromisoformat(sys.argv[4]))
