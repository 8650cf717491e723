"""A simulated office day through the real services, then what must hold after it.

``simulate_day(db_url, folder)`` makes the bookings the day before, plays the day
(``kiosk.simulate.day``), checks it (``kiosk.simulate.checks``) and returns the checks
and the day's KPIs. ``python main.py simulate`` and ``benchmarks/day.py`` call it.
"""

from __future__ import annotations

import time as wallclock
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the crash child (kiosk.simulate.crash) starts faster without them
    from kiosk.simulate.checks import Check

DEFAULT_DAY = date(2026, 12, 1)  # a Tuesday
SUPERVISOR_PIN = "864213"


class SimulationError(RuntimeError):
    """The simulation cannot run (e.g. the database already holds that day)."""


@dataclass
class SimulationResult:
    day: date
    database: str  # "sqlite" or "postgresql"
    bookings: int
    walk_ins: int
    seed: int
    checks: list[Check]
    kpis: dict[str, Any]
    seconds: float = 0.0  # wall time of the whole run, bookings included
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"outcome": "ok" if self.ok else "failed", "day": self.day.isoformat(), "database": self.database,
                "bookings": self.bookings, "walk_ins": self.walk_ins, "seed": self.seed,
                "seconds": round(self.seconds, 1),
                "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
                "kpis": self.kpis}

    def describe(self) -> str:
        k = self.kpis
        w, s = k["waiting_minutes"], k["service_minutes"]
        lines = [f"Simulated day {self.day} on {self.database}: {self.bookings} bookings, {self.walk_ins} walk-ins, "
                 f"seed {self.seed}, {self.seconds:.1f} s", ""]
        lines += [f"  [{'ok' if c.ok else 'FAILED'}] {c.name}: {c.detail}" for c in self.checks]
        lines += ["", f"  tickets {k['tickets']} {k['tickets_per_service']}, served {k['served']}, "
                      f"no-shows {k['no_shows']}, last call {k['last_call']}",
                  f"  waiting p50 {w['median']} min, p90 {w['p90']} min, average {w['average']} min",
                  f"  service p50 {s['median']} min, p90 {s['p90']} min, average {s['average']} min",
                  f"  desk verdicts {k['verdicts']}, walk-ins {k['walk_in_verdicts']}",
                  f"  void {k['void']}, too early {k['too_early_attempts']}, wrong day {k['wrong_day']}, "
                  f"rejected scans {k['rejected_scans']}, walk-ins {k['walk_ins_issued']} issued / "
                  f"{k['walk_ins_refused']} refused",
                  f"  recalls {k['recalls']}, transfers {k['transfers']}, supervisor reprints "
                  f"{k['supervisor_reprints']}, printed layouts {k['printed_layouts']}, printer failures met "
                  f"{k['printer_failures_met']}"]
        return "\n".join(lines)


def simulate_day(db_url: str, folder: Path, *, bookings: int = 150, walk_ins: int = 30, seed: int = 1,
                 day: date = DEFAULT_DAY) -> SimulationResult:
    """Play one office day on the database at ``db_url`` (empty, or at least without that
    day); ``folder`` holds the simulated office's keys. Default office settings."""
    if not 1 <= bookings <= 999:
        raise SimulationError(f"bookings must be 1-999, got {bookings}")
    if not 0 <= walk_ins <= 999:
        raise SimulationError(f"walk-ins must be 0-999, got {walk_ins}")
    from sqlalchemy import func, select

    from kiosk.app import open_context
    from kiosk.config import from_mapping
    from kiosk.core.clock import FixedClock
    from kiosk.services.supervisor import with_new_office_pin
    from kiosk.simulate.checks import run_checks
    from kiosk.simulate.day import DayEngine
    from kiosk.simulate.plan import make_plan
    from kiosk.store import Booking

    started = wallclock.perf_counter()
    config = from_mapping({
        "office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat (simulasi)"},
        "clock": {"allow_override": True},
        "priority": {"daily_quota": max(30, walk_ins)},
        "paths": {"data_dir": str(folder)},
    }, source=folder / "config.toml")
    config = with_new_office_pin(config, SUPERVISOR_PIN)  # a fresh office: key file, then the PIN hash
    clock = FixedClock(datetime.combine(day, time(6, 0), tzinfo=config.tz))
    ctx = open_context(config, db_url=db_url, clock=clock)
    try:
        with ctx.db.read() as session:
            taken = session.scalar(select(func.count()).select_from(Booking).where(
                Booking.service_date.in_((day, day.fromordinal(day.toordinal() + 1))))) or 0
        if taken:
            raise SimulationError(f"the database already holds {taken} bookings for {day} or the day after: "
                                  "simulate on an empty database")
        plan = make_plan(day, bookings, walk_ins, seed, config.tz)
        engine = DayEngine(ctx, clock, plan, SUPERVISOR_PIN)
        engine.run()
        checks, _report, kpis = run_checks(ctx, plan, engine)
    finally:
        ctx.close()
    return SimulationResult(day, "sqlite" if ctx.db.is_sqlite else "postgresql", bookings, walk_ins, seed, checks,
                            kpis, wallclock.perf_counter() - started)
