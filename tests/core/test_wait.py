"""Wait estimates from ticket events (kiosk.core.wait): the room replayed, the call policy played forward."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.tickets import QueueOrder
from kiosk.core.wait import (
    DEFAULT_SERVICE, QueueEvent, estimate_waits, expected_arrivals, naive_wait, replay, round_minutes,
)

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)
ORDERS = {"A": QueueOrder.BY_SLOT, "B": QueueOrder.BY_ARRIVAL}


def minutes(m: float) -> datetime:
    return T0 + timedelta(minutes=m)


class Day:
    """Builds a day's events the way the services write them."""

    def __init__(self) -> None:
        self.events: list[QueueEvent] = []
        self.ids: dict[str, int] = {}

    def issue(self, at: float, label: str, slot: time | None = None) -> None:
        self.ids[label] = len(self.ids) + 1
        self.events.append(QueueEvent(minutes(at), self.ids[label], label, "issued", label[0], None,
                                      int(label[1:]), slot))

    def act(self, at: float, label: str, kind: str, counter: int | None = None, service: str | None = None) -> None:
        self.events.append(QueueEvent(minutes(at), self.ids[label], label, kind, service or label[0], counter,
                                      int(label[1:])))

    def serve(self, start: float, end: float, label: str, counter: int) -> None:
        self.act(start, label, "call", counter)
        self.act(end, label, "done", counter)


def test_replay_orders_the_waiting_and_knows_who_is_at_each_counter() -> None:
    # GIVEN three booked tickets checked in out of slot order, one of them called
    day = Day()
    day.issue(0, "A003", time(10, 30))
    day.issue(1, "A001", time(10, 0))
    day.issue(2, "A002", time(10, 0))
    day.act(3, "A001", "call", 2)
    # WHEN the day is replayed
    state = replay(day.events, ORDERS)
    # THEN the queue is in slot order and counter 2 has A001
    assert state.waiting["A"] == ["A002", "A003"]
    assert state.busy[2][0] == "A001"
    assert state.ahead("A003") == 1 and state.ahead("A001") is None


def test_service_time_is_measured_and_counters_share_the_queue() -> None:
    # GIVEN two counters that each took 10 minutes per ticket, and four people waiting
    day = Day()
    for i in range(1, 5):
        day.issue(0, f"B{i:03d}")
    day.serve(0, 10, "B001", 1)
    day.serve(0, 10, "B002", 2)
    day.serve(10, 20, "B003", 1)
    day.serve(10, 20, "B004", 2)
    for i in range(5, 9):
        day.issue(20, f"B{i:03d}")
    state = replay(day.events, ORDERS)
    # WHEN the waits are estimated at 20 minutes
    waits = estimate_waits(state, {1: ["B"], 2: ["B"]}, minutes(20), orders=ORDERS)
    # THEN two are called now, two after one service time
    assert waits == {"B005": timedelta(0), "B006": timedelta(0), "B007": timedelta(minutes=10),
                     "B008": timedelta(minutes=10)}
    # AND the naive estimate ignores that two counters serve
    assert naive_wait(state, "B008", minutes(20)) == timedelta(minutes=30)


def test_the_call_policy_decides_who_a_counter_takes() -> None:
    # GIVEN counter 1 serving B first, counter 2 serving only A, both busy for 5 more minutes
    day = Day()
    day.issue(0, "A001", time(10, 0))
    day.issue(0, "A002", time(10, 0))
    day.issue(0, "B001")
    day.act(1, "A001", "call", 2)
    day.issue(1, "A003", time(10, 0))
    day.issue(1, "B002")
    day.act(2, "B001", "call", 1)
    state = replay(day.events, ORDERS)
    # WHEN estimated at minute 2 with no service measured yet
    waits = estimate_waits(state, {1: ["B", "A"], 2: ["A"]}, minutes(2), orders=ORDERS)
    # THEN counter 1 takes B002 when it frees, counter 2 takes A002 when it frees
    d = DEFAULT_SERVICE
    assert waits["B002"] == minutes(2) + d - minutes(2) and waits["A002"] == minutes(1) + d - minutes(2)
    # AND A003 goes to whichever counter frees next
    assert waits["A003"] == minutes(1) + 2 * d - minutes(2)


def test_bookings_still_to_come_with_earlier_slots_count_ahead() -> None:
    # GIVEN one counter, a ticket with the 11:00 slot already here, and a 10:00 booking not yet checked in
    day = Day()
    day.issue(0, "A005", time(11, 0))
    state = replay(day.events, ORDERS)
    alone = estimate_waits(state, {1: ["A"]}, minutes(0), orders=ORDERS)
    expected = expected_arrivals([(time(10, 0), 2)], "A", T0.date(), WIB, minutes(0), timedelta(minutes=120),
                                 timedelta(minutes=30))
    # WHEN the expected booking is taken into account (due halfway through its window, 08:45: any moment now)
    waits = estimate_waits(state, {1: ["A"]}, minutes(0), orders=ORDERS, expected=expected)
    # THEN the counter serves the 10:00 booking first
    assert alone["A005"] == timedelta(0)
    assert waits["A005"] == DEFAULT_SERVICE
    # AND a booking due only after the counter is free does not hold the counter back
    later = expected_arrivals([(time(10, 45), 2)], "A", T0.date(), WIB, minutes(0), timedelta(minutes=120),
                              timedelta(minutes=30))
    assert estimate_waits(state, {1: ["A"]}, minutes(0), orders=ORDERS, expected=later)["A005"] == timedelta(0)
    # AND a booking past its deadline is not expected any more
    assert expected_arrivals([(time(9, 20), 3)], "A", T0.date(), WIB, minutes(0), timedelta(minutes=120),
                             timedelta(minutes=30)) == []


def test_counters_start_at_opening_and_a_new_ticket_joins_the_end() -> None:
    # GIVEN two tickets issued before the counters open
    day = Day()
    day.issue(0, "B001")
    day.issue(0, "B002")
    state = replay(day.events, ORDERS)
    # WHEN estimated with counters opening at minute 30
    waits = estimate_waits(state, {1: ["B"]}, minutes(0), orders=ORDERS, opens_at=minutes(30), extra="B")
    # THEN the first is called at opening, the next one a service time later, the newcomer after them
    assert waits["B001"] == timedelta(minutes=30)
    assert waits["B002"] == timedelta(minutes=30) + DEFAULT_SERVICE
    assert waits["+"] == timedelta(minutes=30) + 2 * DEFAULT_SERVICE


def test_minutes_for_people_round_up() -> None:
    assert round_minutes(timedelta(0)) == 0
    assert round_minutes(timedelta(minutes=1)) == 5
    assert round_minutes(timedelta(minutes=11)) == 15
