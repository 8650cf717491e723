"""Ticket numbers, states, the call-next policy, priority ages and number words."""

from datetime import date, datetime, time, timedelta, timezone

import pytest

from kiosk.core import words
from kiosk.core.priority import AgeRule, PriorityCategory, age_on
from kiosk.core.tickets import (
    FINAL_STATES, InvalidTransition, QueueOrder, TicketAction, TicketState, WaitingTicket, choose_next,
    format_number, next_free_number, next_state, parse_number,
)

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("n,text", [
    (0, "nol"), (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (12, "dua belas"), (19, "sembilan belas"),
    (20, "dua puluh"), (21, "dua puluh satu"), (99, "sembilan puluh sembilan"), (100, "seratus"),
    (101, "seratus satu"), (110, "seratus sepuluh"), (111, "seratus sebelas"), (200, "dua ratus"),
    (342, "tiga ratus empat puluh dua"), (999, "sembilan ratus sembilan puluh sembilan"),
])
def test_indonesian_number_words(n, text):
    assert words.number_words(n) == text


def test_number_words_range():
    for bad in (-1, 1000):
        with pytest.raises(ValueError):
            words.number_words(bad)
    assert all(words.number_words(n) for n in range(1000))


def test_announcement():
    assert words.announcement_text("A", 12, 3) == "Nomor antrean A dua belas, silakan menuju loket tiga"
    assert words.announcement_fragments("A", 12, 3) == [
        "nomor_antrean", "huruf_a", "dua", "belas", "silakan_menuju_loket", "tiga"]


def test_number_format_and_parse():
    assert format_number("A", 42) == "A042"
    assert parse_number(" a42 ") == ("A", 42)
    for bad in ("", "A", "42", "A0", "A1000", "AA1", "Å12", "A-1"):
        with pytest.raises(ValueError):
            parse_number(bad)
    with pytest.raises(ValueError):
        format_number("A", 0)


def test_next_free_number_never_reuses():
    assert next_free_number(0) == 1
    assert next_free_number(5) == 6  # gaps below the counter (cancelled 3, 4) are not reused
    assert next_free_number(5, {6, 7, 9}) == 8  # numbers an imported list reserved are stepped over
    with pytest.raises(OverflowError):
        next_free_number(999)
    with pytest.raises(OverflowError):
        next_free_number(997, {998, 999})


@pytest.mark.parametrize("state,action,after", [
    ("waiting", "call", "called"), ("called", "recall", "called"), ("called", "serve", "serving"),
    ("serving", "done", "done"), ("called", "done", "done"), ("called", "no_show", "no_show"),
    ("waiting", "transfer", "waiting"), ("called", "transfer", "waiting"),
    ("waiting", "cancel", "cancelled"), ("called", "cancel", "cancelled"),
])
def test_allowed_transitions(state, action, after):
    assert next_state(TicketState(state), TicketAction(action)) is TicketState(after)


def test_everything_else_is_refused():
    allowed = {("waiting", "call"), ("called", "recall"), ("called", "serve"), ("serving", "done"),
               ("called", "done"), ("called", "no_show"), ("waiting", "transfer"), ("called", "transfer"),
               ("waiting", "cancel"), ("called", "cancel")}
    for state in TicketState:
        for action in TicketAction:
            if (state.value, action.value) in allowed:
                continue
            with pytest.raises(InvalidTransition):
                next_state(state, action)
    for state in FINAL_STATES:  # nothing leaves a final state
        assert not any((state.value, a.value) in allowed for a in TicketAction)


def _t(i, service, number, minutes, slot=None):
    return WaitingTicket(i, service, number, T0 + timedelta(minutes=minutes), slot)


ORDERS = {"A": QueueOrder.BY_SLOT, "B": QueueOrder.BY_ARRIVAL}


def test_counter_takes_first_service_in_its_list_that_has_someone():
    waiting = [_t(1, "A", 5, 0, time(9, 0)), _t(2, "B", 1, 10)]
    assert choose_next(["B", "A"], waiting, ORDERS).ticket_id == 2
    assert choose_next(["A", "B"], waiting, ORDERS).ticket_id == 1
    assert choose_next(["B", "A"], [waiting[0]], ORDERS).ticket_id == 1
    assert choose_next(["B"], [waiting[0]], ORDERS) is None


def test_booked_queue_is_by_slot_then_number_not_arrival():
    waiting = [_t(1, "A", 3, 0, time(10, 0)), _t(2, "A", 9, 5, time(9, 30)), _t(3, "A", 8, 9, time(9, 30))]
    assert choose_next(["A"], waiting, ORDERS).ticket_id == 3


def test_priority_queue_is_first_come_first_served():
    waiting = [_t(1, "B", 2, 5), _t(2, "B", 3, 1), _t(3, "B", 1, 9)]
    assert choose_next(["B"], waiting, ORDERS).ticket_id == 2


def test_ages():
    assert age_on(date(1966, 12, 1), date(2026, 12, 1)) == 60
    assert age_on(date(1966, 12, 2), date(2026, 12, 1)) == 59
    assert age_on(date(2000, 2, 29), date(2001, 2, 28)) == 0
    assert age_on(date(2000, 2, 29), date(2001, 3, 1)) == 1
    rule = AgeRule(60, 5)
    today = date(2026, 12, 1)
    assert rule.allows(PriorityCategory.LANSIA, date(1966, 12, 1), today)
    assert not rule.allows(PriorityCategory.LANSIA, date(1966, 12, 2), today)
    assert rule.allows(PriorityCategory.ANAK, date(2021, 12, 2), today)  # 4 years old
    assert not rule.allows(PriorityCategory.ANAK, date(2021, 12, 1), today)  # 5 today
    assert not rule.allows(PriorityCategory.ANAK, date(2027, 1, 1), today)  # not born yet
    assert not rule.allows(PriorityCategory.LANSIA, None, today)
    assert rule.allows(PriorityCategory.DISABILITAS, None, today)
