"""Counter actions: call next by the counters' rules, recall, serve, done, no-show, transfer, cancel."""

from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kiosk.core import booking_code
from kiosk.core.tickets import WaitingTicket, choose_next
from kiosk.services import CallError, call_next, cancel, check_in, finish, no_show, recall, start_serving, transfer, walk_in
from kiosk.store import Ticket, TicketEvent
from tests.conftest import wib


def booked_ticket(ctx, number, slot=time(10, 0)):
    code = booking_code.generate(ctx.keyring.signing_key, "JKP", date(2026, 12, 1), slot, number)
    return check_in(ctx, code.text).ticket


def test_counter_1_serves_priority_first_and_counter_2_booked_first(ctx):
    # GIVEN an A ticket and then a B ticket waiting
    a = booked_ticket(ctx, 1)
    b = walk_in(ctx, "lansia", birth=date(1950, 5, 5)).ticket
    # WHEN loket 1 (B, A) and loket 2 (A, B) call next
    one, two = call_next(ctx, 1), call_next(ctx, 2)
    # THEN loket 1 gets B001 and loket 2 the A ticket
    assert one.ticket.label == b.label == "B001" and one.ticket.counter == 1
    assert two.ticket.label == a.label and two.ticket.counter == 2
    assert call_next(ctx, 3).ticket is None


def test_booked_queue_goes_by_slot_then_number(ctx):
    booked_ticket(ctx, 9, time(10, 0))
    booked_ticket(ctx, 3, time(10, 30))
    booked_ticket(ctx, 8, time(10, 0))
    assert [call_next(ctx, 2).ticket.label for _ in range(3)] == ["A008", "A009", "A003"]


def test_priority_queue_is_first_come_first_served(ctx, clock):
    for _ in range(3):
        walk_in(ctx, "ibu_hamil")
        clock.advance(timedelta(seconds=30))
    assert [call_next(ctx, 1).ticket.label for _ in range(3)] == ["B001", "B002", "B003"]


def test_full_life_of_a_ticket_writes_an_event_per_change(ctx):
    booked_ticket(ctx, 1)
    call_next(ctx, 2)
    assert recall(ctx, 2).ticket.state == "called"
    assert start_serving(ctx, 2).ticket.state == "serving"
    assert finish(ctx, 2).ticket.state == "done"
    with ctx.db.read() as s:
        events = s.scalars(select(TicketEvent).order_by(TicketEvent.id)).all()
        assert [(e.kind, e.from_state, e.to_state) for e in events] == [
            ("issued", None, "waiting"), ("call", "waiting", "called"), ("recall", "called", "called"),
            ("serve", "called", "serving"), ("done", "serving", "done")]
        assert all(e.counter == 2 for e in events[1:])
        assert s.scalars(select(Ticket)).one().finished_at is not None


def test_call_next_closes_a_served_ticket_as_done(ctx):
    booked_ticket(ctx, 1)
    booked_ticket(ctx, 2)
    first = call_next(ctx, 2).ticket
    start_serving(ctx, 2)
    second = call_next(ctx, 2)
    assert second.finished.label == first.label and second.finished.state == "done"
    assert second.ticket.label == "A002"


def test_call_next_never_counts_a_called_but_unserved_ticket_as_served(ctx):
    from kiosk.reports.daily import daily_report

    booked_ticket(ctx, 1)
    booked_ticket(ctx, 2)
    # GIVEN A001 called at loket 2 and never served
    call_next(ctx, 2)
    # WHEN the officer calls the next one
    second = call_next(ctx, 2)
    # THEN A001 is recorded as not served (no-show), and the officer is told so
    assert second.finished.label == "A001" and second.finished.state == "no_show"
    assert "A001 tidak dilayani" in second.message
    report = daily_report(ctx, ctx.today())
    assert report.no_shows == 1


def test_transfer_to_the_service_it_is_in_is_refused(ctx):
    booked_ticket(ctx, 1)
    call_next(ctx, 2)
    with pytest.raises(CallError) as info:
        transfer(ctx, 2, "A")
    assert "sudah di layanan A" in str(info.value)
    # AND nothing changed: still called at loket 2
    assert recall(ctx, 2).ticket.label == "A001"


def test_no_show_and_actions_without_a_ticket(ctx):
    with pytest.raises(CallError):
        recall(ctx, 2)
    booked_ticket(ctx, 1)
    call_next(ctx, 2)
    assert no_show(ctx, 2).ticket.state == "no_show"
    with pytest.raises(CallError):
        finish(ctx, 2)


def test_invalid_transition_is_refused_with_a_message(ctx):
    booked_ticket(ctx, 1)
    call_next(ctx, 2)
    start_serving(ctx, 2)
    with pytest.raises(CallError) as info:
        no_show(ctx, 2)  # serving -> no_show is not a transition
    assert "A001" in str(info.value)


def test_transfer_moves_the_ticket_to_the_other_queue_keeping_its_number(ctx):
    booked_ticket(ctx, 1)
    call_next(ctx, 2)
    moved = transfer(ctx, 2, "b")
    assert moved.ticket.label == "A001" and moved.ticket.service == "B" and moved.ticket.state == "waiting"
    assert call_next(ctx, 1).ticket.label == "A001"  # loket 1 serves B first
    with pytest.raises(CallError):
        transfer(ctx, 1, "Z")


def test_cancel(ctx):
    walk_in(ctx, "disabilitas")
    assert cancel(ctx, "B001", actor="supervisor", reason="double").state == "cancelled"
    assert call_next(ctx, 1).ticket is None
    with pytest.raises(CallError):
        cancel(ctx, "B001", actor="supervisor")
    with pytest.raises(CallError):
        cancel(ctx, "not a number", actor="supervisor")


def test_unknown_counter(ctx):
    with pytest.raises(CallError) as info:
        call_next(ctx, 9)
    assert "9" in str(info.value)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["A", "B"]), st.integers(0, 6)), min_size=1, max_size=8, unique=True))
def test_database_order_equals_the_core_policy(make_ctx, clock, tickets):
    """The SQL ORDER BY of call_next mirrors kiosk.core.tickets.choose_next."""
    clock.set(wib(2026, 12, 1, 8, 0))
    ctx = make_ctx()
    with ctx.db.write() as s:
        s.query(TicketEvent).delete()
        s.query(Ticket).delete()
    expected_pool = []
    for i, (service, slot_index) in enumerate(tickets):
        number = 100 + (i * 37) % 97
        slot = time(8 + slot_index, 0) if service == "A" else None
        with ctx.db.write() as s:
            t = Ticket(service_day=date(2026, 12, 1), prefix=service, number=number, service=service,
                       state="waiting", slot=slot, issued_at=clock.now(), queued_at=clock.now())
            s.add(t)
            s.flush()
            expected_pool.append(WaitingTicket(t.id, service, number, clock.now(), slot))
        clock.advance(timedelta(seconds=(i * 13) % 7 + 1))
    for _ in range(len(tickets)):
        expected = choose_next(["B", "A"], expected_pool, ctx.queue_orders)
        got = call_next(ctx, 1).ticket
        assert got.id == expected.ticket_id
        expected_pool = [t for t in expected_pool if t.ticket_id != expected.ticket_id]



def test_today_counts_agree_with_the_daily_report_after_counter_work(ctx):
    from kiosk.reports.daily import daily_report
    from kiosk.services.today import latest_event, today_overview

    for n in (1, 2, 3):
        booked_ticket(ctx, n)
    walk_in(ctx, "disabilitas")
    seen = latest_event(ctx)
    # GIVEN counters calling, serving and transferring
    call_next(ctx, 2)
    transfer(ctx, 2, "B")
    call_next(ctx, 3)
    start_serving(ctx, 3)
    finish(ctx, 3)
    # THEN the desk sees there were new ticket events
    assert latest_event(ctx) > seen
    # AND its counts are the report's
    overview = today_overview(ctx)
    report = daily_report(ctx, ctx.today())
    assert {s.service: s.checked_in for s in overview.services} == report.tickets_per_service
    booking_row = next(s for s in overview.services if s.service == "A")
    assert (booking_row.booked, booking_row.void) == (report.bookings, report.void)
