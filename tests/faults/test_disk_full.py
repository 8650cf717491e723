"""SQLite on a full disk: check-in and walk-in refuse with a plain DatabaseError, nothing
is corrupted, the tickets already issued stay, and work resumes when space returns.

The disk is a real, tiny tmpfs (mounting needs root); without root SQLite's own page
limit plays the full disk (the same SQLITE_FULL error the services see)."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from kiosk.app import open_context
from kiosk.core import booking_code
from kiosk.services import check_in, walk_in
from kiosk.store import Ticket
from kiosk.store.db import DatabaseError
from tests.conftest import make_config


def _code(ctx, number: int) -> str:
    return booking_code.generate(ctx.keyring.signing_key, "JKP", date(2026, 12, 1), time(10, 0), number).text


def _tmpfs(folder: Path) -> Iterator[tuple[Path, Callable[[], None], Callable[[], None]]]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root (the page-limit variant runs instead)")
    mnt = folder / "disk"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    filler = mnt / "filler"

    def fill() -> None:
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(fd)

    def free() -> None:
        filler.unlink()

    try:
        yield mnt, fill, free
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture(params=["tmpfs", "page_limit"])
def full_disk(request, tmp_path):
    """(database folder, fill the disk, give the space back)."""
    if request.param == "tmpfs":
        yield from _tmpfs(tmp_path)
        return
    folder = tmp_path / "disk"
    folder.mkdir()
    limit = {"pages": 0}  # 0: no limit of ours
    state = {"engine": None}

    def fill() -> None:
        engine = state["engine"]
        with engine.connect() as conn:
            limit["pages"] = conn.exec_driver_sql("PRAGMA page_count").scalar()
        engine.dispose()  # every new connection gets the limit

    def free() -> None:
        limit["pages"] = 0
        state["engine"].dispose()

    def attach(engine) -> None:
        state["engine"] = engine

        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn, _record) -> None:
            if limit["pages"]:
                dbapi_conn.execute(f"PRAGMA max_page_count = {int(limit['pages'])}")

    request.node.attach = attach
    yield folder, fill, free


def test_a_full_disk_refuses_clearly_corrupts_nothing_and_work_resumes(request, full_disk, tmp_path, clock):
    folder, fill, free = full_disk
    ctx = open_context(make_config(tmp_path, priority={"daily_quota": 200}),
                       db_url=f"sqlite:///{folder / 'antrean.db'}", clock=clock)
    try:
        if hasattr(request.node, "attach"):
            request.node.attach(ctx.db.engine)
        # GIVEN three tickets issued
        issued = [check_in(ctx, _code(ctx, n)).ticket.label for n in (1, 2)]
        issued.append(walk_in(ctx, "lansia", birth=date(1950, 5, 5)).ticket.label)
        # WHEN the disk fills up
        fill()
        # THEN check-in and walk-in (over and over, with big rows) refuse with a plain DatabaseError
        errors = []
        for n in range(3, 40):
            for attempt in (lambda n=n: check_in(ctx, _code(ctx, n)),
                            lambda: walk_in(ctx, "lansia", birth=date(1950, 5, 5), name="X" * 120)):
                try:
                    attempt()
                except DatabaseError as exc:
                    errors.append(str(exc))
        assert errors, "the full disk was never met"
        assert all("full" in e and "Traceback" not in e and "\n" not in e for e in errors), errors[:3]
        # WHEN the space comes back
        free()
        # THEN the file is sound and every ticket issued before the disk filled is still there
        with ctx.db.read() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            numbers = session.execute(select(Ticket.prefix, Ticket.number)).all()
        assert len(numbers) == len(set(numbers))
        assert all(any(label == f"{p}{n:03d}" for p, n in numbers) for label in issued), (issued, numbers)
        # AND work resumes: a new check-in and a new walk-in get fresh numbers
        again = check_in(ctx, _code(ctx, 90)).ticket.label
        more = walk_in(ctx, "lansia", birth=date(1950, 5, 5)).ticket.label
        assert again not in issued and more not in issued
    finally:
        ctx.close()
