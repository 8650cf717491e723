"""PostgreSQL stopped abruptly and started again while desks issue tickets: during the
outage every desk gets a plain DatabaseError; afterwards they reconnect by themselves
(``pool_pre_ping``), no committed ticket is lost and no number is given twice."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from datetime import date, time

import pytest
from sqlalchemy import select

from kiosk.app import open_context
from kiosk.core import booking_code
from kiosk.services import check_in, walk_in
from kiosk.store import Ticket
from kiosk.store.db import DatabaseError
from tests.conftest import make_config
from tests.display.conftest import own_pg  # noqa: F401  (the fixture: a server this test may restart)

pytestmark = pytest.mark.timeout(120)
DESKS = 4


class Desks:
    """Desk threads issuing tickets in a loop until told to stop; what each got is kept."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.numbers = itertools.count(1)
        self.lock = threading.Condition()
        self.issued: list[str] = []
        self.errors: list[str] = []
        self.other: list[BaseException] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), name=f"desk-{i}") for i in range(DESKS)]

    def _one(self, desk: int) -> str:
        if desk % 2:
            return walk_in(self.ctx, "lansia", birth=date(1950, 5, 5), actor=f"desk{desk}").ticket.label
        with self.lock:
            n = next(self.numbers)
        code = booking_code.generate(self.ctx.keyring.signing_key, "JKP", date(2026, 12, 1), time(10, 0), n)
        return check_in(self.ctx, code.text, actor=f"desk{desk}").ticket.label

    def _run(self, desk: int) -> None:
        while not self.stop.is_set():
            try:
                label = self._one(desk)
            except DatabaseError as exc:
                with self.lock:
                    self.errors.append(str(exc))
                    self.lock.notify_all()
                self.stop.wait(0.05)  # a desk retries when the clerk presses again
            except BaseException as exc:  # noqa: BLE001 - anything else is the failure this test looks for
                with self.lock:
                    self.other.append(exc)
                    self.lock.notify_all()
                return
            else:
                with self.lock:
                    self.issued.append(label)
                    self.lock.notify_all()

    def wait_for(self, what, timeout: float = 60) -> None:
        with self.lock:
            assert self.lock.wait_for(lambda: what() or self.other, timeout), "timed out"
        assert not self.other, self.other

    def __enter__(self) -> Desks:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)


def test_desks_get_a_clear_error_while_postgres_is_down_and_lose_nothing(tmp_path, clock, own_pg):  # noqa: F811
    ctx = open_context(make_config(tmp_path, priority={"daily_quota": 900}), db_url=own_pg.url, clock=clock)
    try:
        with Desks(ctx) as desks:
            # GIVEN desks issuing tickets
            desks.wait_for(lambda: len(desks.issued) >= 20)
            # WHEN the server dies (no clean shutdown) and stays away until every desk has hit it
            own_pg._run("pg_ctl", "-D", str(own_pg.data), "-m", "immediate", "-w", "stop")
            with desks.lock:
                before_outage = len(desks.issued)
            desks.wait_for(lambda: len(desks.errors) >= 2 * DESKS)
            # THEN every failure is a plain DatabaseError naming the server
            with desks.lock:
                during = list(desks.errors)
            assert all(e.startswith("database server 127.0.0.1") and "\n" not in e for e in during), during[:3]
            # WHEN it comes back
            own_pg.start()
            # THEN the desks issue tickets again without being restarted
            desks.wait_for(lambda: len(desks.issued) >= before_outage + 20)
        # AND every ticket a desk was given is in the database, each number once
        with ctx.db.read() as session:
            stored = [f"{p}{n:03d}" for p, n in session.execute(select(Ticket.prefix, Ticket.number))]
        assert not [label for label, k in Counter(stored).items() if k > 1]
        assert not [label for label, k in Counter(desks.issued).items() if k > 1]
        assert set(desks.issued) <= set(stored), set(desks.issued) - set(stored)
    finally:
        ctx.close()
