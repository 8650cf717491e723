"""How good is the wait estimate a ticket gets when it is issued?

    .venv/bin/python benchmarks/wait_estimate.py [--seeds 1 2 3 4 5] [--json]

Plays simulated office days (``kiosk.simulate``, 150 bookings + 30 walk-ins, SQLite in
a temp folder), then, for every ticket that was called, replays the day's events up to
its ``issued`` event and asks ``kiosk.core.wait`` for its estimate — exactly what the
ticket page, the board and the walk-in ticket are told at that moment. The real wait
is issue → first call. Reported: mean absolute error (MAE), median absolute error and
the bias of our estimate, next to the naive estimate (people ahead × mean service time)
and the naive estimate divided by the counters open.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.config import from_mapping  # noqa: E402
from kiosk.core.tickets import QueueOrder  # noqa: E402
from sqlalchemy import select  # noqa: E402

from kiosk.core.wait import estimate_waits, expected_arrivals, naive_wait, open_counters, replay  # noqa: E402
from kiosk.simulate import DEFAULT_DAY, simulate_day  # noqa: E402
from kiosk.store import Booking, Database, Ticket  # noqa: E402


def errors_for_day(seed: int, bookings: int, walk_ins: int) -> dict[str, list[float]]:
    from kiosk.services.estimates import room_events

    with tempfile.TemporaryDirectory(prefix="antrean-wait-") as folder:
        url = f"sqlite:///{Path(folder) / 'day.db'}"
        simulate_day(url, Path(folder), bookings=bookings, walk_ins=walk_ins, seed=seed)
        config = from_mapping({})
        q = config.queue
        orders = {s: QueueOrder.BY_SLOT if s == q.booking_service else QueueOrder.BY_ARRIVAL for s in q.services}
        counters = {int(c): list(s) for c, s in q.counters.items()}
        db = Database(url, migrate=False)
        try:
            with db.read() as session:
                events = room_events(session, DEFAULT_DAY)
                bookings = session.execute(select(Booking.slot, Booking.number, Ticket.id).outerjoin(
                    Ticket, Ticket.booking_id == Booking.id).where(Booking.service_date == DEFAULT_DAY)).all()
        finally:
            db.dispose()
    issued_at = {e.ticket_id: e.at for e in events if e.kind == "issued"}
    a = config.arrival
    opens_at = datetime.combine(DEFAULT_DAY, time.fromisoformat(config.intake.first_slot), tzinfo=config.tz)
    first_call = {}
    for e in events:
        if e.kind == "call":
            first_call.setdefault(e.ticket_id, e.at)
    out: dict[str, list[float]] = {"ours": [], "naive": [], "naive_per_counter": [], "real": []}
    for i, e in enumerate(events):
        if e.kind != "issued" or e.ticket_id not in first_call:
            continue
        state = replay(events[: i + 1], orders, e.at)
        real = (first_call[e.ticket_id] - e.at).total_seconds() / 60
        pending = [(slot, number) for slot, number, ticket_id in bookings
                   if ticket_id is None or issued_at[ticket_id] > e.at]
        expected = expected_arrivals(pending, q.booking_service, DEFAULT_DAY, config.tz, e.at,
                                     timedelta(minutes=a.opens_before), timedelta(minutes=a.must_arrive_before))
        ours = estimate_waits(state, counters, e.at, orders=orders, expected=expected, opens_at=opens_at) \
            .get(e.label, timedelta(0)).total_seconds() / 60
        naive = (naive_wait(state, e.label, e.at) or timedelta(0)).total_seconds() / 60
        n_open = len(open_counters(state, counters, e.at))
        out["real"].append(real)
        out["ours"].append(ours - real)
        out["naive"].append(naive - real)
        out["naive_per_counter"].append(naive / n_open - real)
    return out


def summary(errs: list[float]) -> dict[str, float]:
    return {"mae": round(statistics.fmean(abs(e) for e in errs), 1),
            "median_abs": round(statistics.median(abs(e) for e in errs), 1),
            "bias": round(statistics.fmean(errs), 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--bookings", type=int, default=150)
    parser.add_argument("--walkins", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for seed in args.seeds:
        e = errors_for_day(seed, args.bookings, args.walkins)
        rows.append({"seed": seed, "tickets": len(e["real"]), "real_mean": round(statistics.fmean(e["real"]), 1),
                     "ours": summary(e["ours"]), "naive": summary(e["naive"]),
                     "naive_per_counter": summary(e["naive_per_counter"])})
    if args.json:
        print(json.dumps(rows))
        return 0
    print("| seed | tickets | mean real wait | ours: MAE / median / bias | naive: MAE / median / bias | "
          "naive ÷ open counters: MAE / median / bias |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        cells = [f"{r[k]['mae']} / {r[k]['median_abs']} / {r[k]['bias']:+}" for k in ("ours", "naive", "naive_per_counter")]
        print(f"| {r['seed']} | {r['tickets']} | {r['real_mean']} | " + " | ".join(cells) + " |")
    print("\nminutes; error = estimate − real wait (negative: the estimate was too short)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
