"""The arrival window at the moment of the scan (DESIGN §3)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.arrival import ArrivalVerdict as V
from kiosk.core.arrival import ArrivalWindow, judge_arrival

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
SLOT_DAY, SLOT = date(2026, 12, 1), time(10, 0)


def judge(now, *, office="JKP", code_office="JKP", day=SLOT_DAY, tz=WIB, window=ArrivalWindow()):
    return judge_arrival(office=office, code_office=code_office, service_date=day, slot=SLOT, now=now, tz=tz,
                         window=window)


@pytest.mark.parametrize("hh,mm,ss,verdict", [
    (7, 30, 0, V.TOO_EARLY),
    (7, 59, 59, V.TOO_EARLY),
    (8, 0, 0, V.ACCEPTED),  # slot - 120 min opens the window
    (9, 0, 0, V.ACCEPTED),
    (9, 30, 0, V.ACCEPTED),  # slot - 30:00 exactly is still on time
    (9, 30, 1, V.VOID),  # one second later the code is void
    (10, 0, 0, V.VOID),
    (23, 59, 59, V.VOID),
])
def test_window_edges(hh, mm, ss, verdict):
    assert judge(datetime(2026, 12, 1, hh, mm, ss, tzinfo=WIB)).verdict is verdict


def test_fraction_of_a_second_after_the_deadline_counts_as_the_deadline_second():
    assert judge(datetime(2026, 12, 1, 9, 30, 0, 999_999, tzinfo=WIB)).verdict is V.ACCEPTED


def test_decision_tells_when_the_window_opens_and_closes():
    d = judge(datetime(2026, 12, 1, 7, 30, tzinfo=WIB))
    assert d.opens_at == datetime(2026, 12, 1, 8, 0, tzinfo=WIB)
    assert d.deadline == datetime(2026, 12, 1, 9, 30, tzinfo=WIB)


def test_future_day_is_wrong_day_and_past_day_is_void():
    assert judge(datetime(2026, 11, 30, 9, 0, tzinfo=WIB)).verdict is V.WRONG_DAY
    assert judge(datetime(2026, 12, 2, 9, 0, tzinfo=WIB)).verdict is V.VOID


def test_other_office_is_rejected_whatever_the_time():
    assert judge(datetime(2026, 12, 1, 9, 0, tzinfo=WIB), code_office="BDG").verdict is V.WRONG_OFFICE


def test_scan_time_is_judged_in_the_office_timezone():
    # 01:00 UTC is 09:00 in Makassar (WITA, UTC+8): inside the window there.
    now_utc = datetime(2026, 12, 1, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert judge(now_utc, tz=WITA).verdict is V.ACCEPTED
    # ...but only 08:00 in Jakarta, still accepted; 23:30 UTC the day before is too early in WITA.
    assert judge(datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC")), tz=WITA).verdict is V.TOO_EARLY


def test_custom_window():
    window = ArrivalWindow(timedelta(minutes=60), timedelta(minutes=15))
    assert judge(datetime(2026, 12, 1, 8, 59, tzinfo=WIB), window=window).verdict is V.TOO_EARLY
    assert judge(datetime(2026, 12, 1, 9, 45, tzinfo=WIB), window=window).verdict is V.ACCEPTED
    assert judge(datetime(2026, 12, 1, 9, 45, 1, tzinfo=WIB), window=window).verdict is V.VOID


def test_window_must_open_before_its_deadline():
    with pytest.raises(ValueError):
        ArrivalWindow(timedelta(minutes=30), timedelta(minutes=30))


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        judge(datetime(2026, 12, 1, 9, 0))
