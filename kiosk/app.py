"""The application context every service, command and window receives."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from kiosk.config import Config, ConfigError, load_config
from kiosk.core.arrival import ArrivalWindow
from kiosk.core.clock import Clock, FixedClock, SystemClock, parse_override
from kiosk.core.priority import AgeRule
from kiosk.core.tickets import QueueOrder
from kiosk.keyring import KeyRing
from kiosk.store import Database, OfficeKeyRecord

CLOCK_ENV = "ANTREAN_NOW"


class ClockOverrideRefused(ConfigError):
    pass


def clock_from_environment(config: Config) -> Clock:
    """The system clock, or ANTREAN_NOW when the config allows overriding it."""
    override = os.environ.get(CLOCK_ENV, "").strip()
    if not override:
        return SystemClock()
    if not config.clock.allow_override:
        raise ClockOverrideRefused(
            f"{CLOCK_ENV} is set but clock.allow_override = false: this install uses the real clock "
            "(set clock.allow_override = true only on a training or simulation install)", key="clock.allow_override")
    try:
        return FixedClock(parse_override(override, config.tz))
    except ValueError:
        raise ConfigError(f"{CLOCK_ENV} = {override!r}: expected an ISO 8601 time such as 2026-12-01T09:30:00",
                          key=CLOCK_ENV) from None


@dataclass
class AppContext:
    config: Config
    db: Database
    clock: Clock
    keyring: KeyRing
    actor: str = field(default="system")

    def now(self) -> datetime:
        return self.clock.now()

    def local_now(self) -> datetime:
        return self.clock.now().astimezone(self.config.tz)

    def today(self) -> date:
        return self.local_now().date()

    @property
    def window(self) -> ArrivalWindow:
        from datetime import timedelta

        a = self.config.arrival
        return ArrivalWindow(timedelta(minutes=a.opens_before), timedelta(minutes=a.must_arrive_before))

    @property
    def age_rule(self) -> AgeRule:
        p = self.config.priority
        return AgeRule(p.lansia_min_age, p.anak_under_age)

    @property
    def queue_orders(self) -> dict[str, QueueOrder]:
        q = self.config.queue
        return {s: QueueOrder.BY_SLOT if s == q.booking_service else QueueOrder.BY_ARRIVAL for s in q.services}

    def close(self) -> None:
        self.db.dispose()


def register_keys(db: Database, keyring: KeyRing) -> None:
    """Record the key ids and fingerprints (never secrets) so PCs can be compared."""
    with db.write() as session:
        known = {r.key_id: r for r in session.scalars(select(OfficeKeyRecord))}
        for entry in keyring.entries:
            record = known.get(entry.key.key_id)
            if record is None:
                session.add(OfficeKeyRecord(key_id=entry.key.key_id, fingerprint=entry.fingerprint,
                                            created_at=entry.created, retired_at=entry.retired))
            elif record.retired_at != entry.retired:
                record.retired_at = entry.retired


def open_context(config: Config | None = None, *, config_path: Path | None = None, db_url: str | None = None,
                 clock: Clock | None = None, create_keys: bool = False) -> AppContext:
    """Load config, open (and migrate) the database, load the keys, pick the clock.

    Only ``init`` and ``keys rotate`` pass ``create_keys``: any other command that finds
    no key file stops (KeyFileError, exit 2) instead of minting a key of its own, which
    on a second PC would sign codes no other PC accepts."""
    config = config or load_config(config_path)
    clock = clock or clock_from_environment(config)
    keyring = KeyRing.create_or_load(config.keys_path, clock.now()) if create_keys else KeyRing.load(config.keys_path)
    db = Database(db_url or config.database_url)
    try:
        register_keys(db, keyring)
    except BaseException:
        db.dispose()
        raise
    return AppContext(config, db, clock, keyring)
