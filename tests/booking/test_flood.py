"""A flood of 1,000 messages for one day: exactly the quota is booked, no slot holds more
than its capacity, every other sender is told the next free date."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import select

from kiosk.booking.intake import handle_message
from kiosk.store import Booking, IntakeMessage
from tests.booking.flood_worker import message
from tests.conftest import PROJECT_ROOT, make_config

N = 1000


def assert_flood_outcome(ctx) -> None:
    with ctx.db.read() as s:
        booked = s.scalars(select(Booking).where(Booking.status == "active")).all()
        outcomes = Counter(m.outcome for m in s.scalars(select(IntakeMessage)))
        refusals = s.scalars(select(IntakeMessage.reply_text).where(IntakeMessage.outcome == "quota_full")).all()
    assert outcomes == {"booked": 150, "quota_full": N - 150}
    assert len(booked) == 150
    assert sorted(b.number for b in booked) == list(range(1, 151))  # the order of the day, no gaps
    per_slot = Counter(b.slot for b in booked)
    assert max(per_slot.values()) <= 11
    # the earliest slots are filled first: 13 full slots and 7 in the 14th
    assert sorted(per_slot.values(), reverse=True) == [11] * 13 + [7]
    assert all("Kamis, 3 Desember 2026" in text for text in refusals)


@pytest.mark.slow
def test_flood_in_one_process_on_sqlite(tmp_path, clock):
    from kiosk.app import open_context

    # (PostgreSQL gets the harder, two-process variant below.)
    ctx = open_context(make_config(tmp_path), db_url=f"sqlite:///{tmp_path / 'antrean.db'}", clock=clock)
    try:
        for i in range(N):
            handle_message(ctx, message(i, "02122026"), render_image=False)
        assert_flood_outcome(ctx)
    finally:
        ctx.close()


@pytest.mark.slow
@pytest.mark.postgres
def test_flood_from_two_processes_on_postgresql(pg_url, tmp_path, clock):
    from kiosk.app import open_context

    # GIVEN one database and one key file shared by two processes
    ctx = open_context(make_config(tmp_path), db_url=pg_url, clock=clock)
    try:
        env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
        args = [pg_url, str(tmp_path / "data"), clock.now().isoformat()]
        # WHEN both handle half of the flood at the same time
        workers = [subprocess.Popen([sys.executable, "-m", "tests.booking.flood_worker", *args, str(first),
                                     str(N // 2)], cwd=PROJECT_ROOT, env=env, stderr=subprocess.PIPE)
                   for first in (0, N // 2)]
        errors = [w.communicate(timeout=240)[1] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], errors
        # THEN the rules held as if they had run one after the other
        assert_flood_outcome(ctx)
    finally:
        ctx.close()
